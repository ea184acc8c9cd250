//! The single DynamoDB table: its key layout, and the translation between
//! domain values and items. Every item has `pk` and `sk`; the domain value's
//! fields sit beside them as top-level attributes (via `serde_dynamo`), so
//! conditions such as `version = :expected` read them directly.
//!
//! | item                 | pk                          | sk            | extra                  |
//! |----------------------|-----------------------------|---------------|------------------------|
//! | account              | `ACCOUNT#<id>`              | `ACCOUNT`     | `version`              |
//! | email reservation    | `EMAIL#<email>`             | `EMAIL`       | `account_id`           |
//! | state record link    | `LINK#<kind>#<number>`      | `LINK`        | `account_id`           |
//! | state record         | `RECORD#<kind>#<number>`    | `RECORD`      |                        |
//! | notification         | `ACCOUNT#<id>`              | `NOTIF#<id>`  | (uuid v7: time-ordered)|
//! | session              | `SESSION#<hash>`            | `SESSION`     | `ttl` absolute expiry  |
//! | one-time token       | `TOKEN#<hash>`              | `TOKEN`       | `ttl` expiry           |
//! | throttled attempts   | `ATTEMPTS#<key>`            | `ATTEMPTS`    | `version`, `ttl`       |
//! | mail sent marker     | `MAILSENT#<mail id>`        | `MAILSENT`    | `ttl` a week           |
//!
//! GSIs `gsi1` (`gsi1pk`, `gsi1sk`) and `gsi2` (`gsi2pk`, `gsi2sk`) are
//! reserved for cases by préfecture and status and for complement deadlines.

use std::collections::HashMap;

use anyhow::{Context, anyhow};
use aws_sdk_dynamodb::error::{DisplayErrorContext, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::account::AccountId;
use crate::domain::notification::NotificationId;
use crate::domain::session::TokenHash;
use crate::domain::state_record::RecordKey;
use crate::ports::StoreError;

pub type Item = HashMap<String, AttributeValue>;

pub const PK: &str = "pk";
pub const SK: &str = "sk";
pub const TTL: &str = "ttl";
pub const GSI1: &str = "gsi1";
pub const GSI2: &str = "gsi2";
/// The agents' lookup by reference, per préfecture.
pub const GSI3: &str = "gsi3";
/// The agents' search by surname, per préfecture.
pub const GSI4: &str = "gsi4";

/// One DynamoDB table and a client for it; cheap to clone.
#[derive(Clone)]
pub struct Table {
    pub client: aws_sdk_dynamodb::Client,
    pub name: String,
}

/// The primary key of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub pk: String,
    pub sk: String,
}

impl Key {
    fn new(pk: String, sk: &str) -> Key {
        Key { pk, sk: sk.to_string() }
    }

    pub fn account(id: AccountId) -> Key {
        Key::new(account_partition(id), "ACCOUNT")
    }

    pub fn email(email: &str) -> Key {
        Key::new(format!("EMAIL#{email}"), "EMAIL")
    }

    pub fn link(record: &RecordKey) -> Key {
        Key::new(
            format!("LINK#{}#{}", record.kind.as_str(), record.number.as_str()),
            "LINK",
        )
    }

    pub fn record(record: &RecordKey) -> Key {
        Key::new(
            format!("RECORD#{}#{}", record.kind.as_str(), record.number.as_str()),
            "RECORD",
        )
    }

    pub fn notification(account: AccountId, id: NotificationId) -> Key {
        Key {
            pk: account_partition(account),
            sk: format!("{NOTIFICATION_PREFIX}{}", id.0),
        }
    }

    pub fn session(hash: &TokenHash) -> Key {
        Key::new(format!("SESSION#{}", hash.as_str()), "SESSION")
    }

    pub fn token(hash: &TokenHash) -> Key {
        Key::new(format!("TOKEN#{}", hash.as_str()), "TOKEN")
    }

    pub fn attempts(key: &str) -> Key {
        Key::new(format!("ATTEMPTS#{key}"), "ATTEMPTS")
    }

    pub fn mail_sent(id: uuid::Uuid) -> Key {
        Key::new(format!("MAILSENT#{id}"), "MAILSENT")
    }

    /// The key as the attributes of a `GetItem`, `DeleteItem` or `UpdateItem`.
    pub fn attributes(&self) -> Item {
        HashMap::from([(PK.to_string(), s(&self.pk)), (SK.to_string(), s(&self.sk))])
    }
}

/// The partition of an account: the account item and its notifications.
pub fn account_partition(id: AccountId) -> String {
    format!("ACCOUNT#{}", id.0)
}

pub const NOTIFICATION_PREFIX: &str = "NOTIF#";

pub fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

/// A TTL attribute value: epoch seconds.
pub fn ttl(at: DateTime<Utc>) -> AttributeValue {
    n(at.timestamp())
}

/// The item for `value` under `key`, with a TTL if it expires.
pub fn item<T: Serialize>(key: &Key, value: &T, expires: Option<DateTime<Utc>>) -> Result<Item, StoreError> {
    let mut item: Item = serde_dynamo::aws_sdk_dynamodb_1::to_item(value).context("encoding an item")?;
    let mut reserve = |name: &str, value: AttributeValue| match item.insert(name.to_string(), value) {
        None => Ok(()),
        Some(_) => Err(anyhow!(
            "the domain value has a field named {name}, reserved by the table"
        )),
    };
    reserve(PK, s(&key.pk))?;
    reserve(SK, s(&key.sk))?;
    if let Some(at) = expires {
        reserve(TTL, ttl(at))?;
    }
    Ok(item)
}

/// A small item that only points at an account (email reservation, record link).
pub fn pointer(key: &Key, account: AccountId) -> Item {
    let mut item = key.attributes();
    item.insert("account_id".into(), s(account.0.to_string()));
    item
}

/// The domain value stored in an item (key and TTL attributes are ignored).
/// The decoder's message is dropped: serde quotes the offending value, and
/// items hold personal data that must not reach the logs.
pub fn value<T: DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    serde_dynamo::aws_sdk_dynamodb_1::from_item(item).map_err(|_| {
        StoreError::Unavailable(anyhow!(
            "a stored item does not decode as {}",
            std::any::type_name::<T>()
        ))
    })
}

/// A domain value as one attribute (for `UpdateItem` values).
pub fn attribute<T: Serialize>(value: &T) -> Result<AttributeValue, StoreError> {
    Ok(serde_dynamo::aws_sdk_dynamodb_1::to_attribute_value(value).context("encoding an attribute")?)
}

/// The account a pointer item names.
pub fn pointed_account(item: &Item) -> Result<AccountId, StoreError> {
    let id = item
        .get("account_id")
        .and_then(|v| v.as_s().ok())
        .and_then(|v| uuid::Uuid::parse_str(v).ok())
        .ok_or_else(|| anyhow!("a pointer item without a valid account_id"))?;
    Ok(AccountId(id))
}

/// A failed call as `Unavailable`, saying which operation failed. Only the
/// error's code and message are kept, never the request (it holds personal data).
pub fn failed<E>(operation: &'static str) -> impl FnOnce(SdkError<E>) -> StoreError
where
    E: std::error::Error + Send + Sync + 'static,
{
    move |e| StoreError::Unavailable(anyhow!("DynamoDB {operation}: {}", DisplayErrorContext(&e)))
}

/// A builder that refused its input, as `Unavailable` (a programming error).
pub fn built<T>(result: Result<T, aws_sdk_dynamodb::error::BuildError>) -> Result<T, StoreError> {
    result.map_err(|e| StoreError::Unavailable(anyhow!("building a DynamoDB request: {e}")))
}

/// The calls every adapter makes; strongly consistent reads, so that a
/// write is seen by the next request whichever function serves it.
impl Table {
    pub async fn get_item(&self, key: &Key, operation: &'static str) -> Result<Option<Item>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.name)
            .set_key(Some(key.attributes()))
            .consistent_read(true)
            .send()
            .await
            .map_err(failed(operation))?;
        Ok(output.item)
    }

    pub async fn get_value<T: DeserializeOwned>(
        &self,
        key: &Key,
        operation: &'static str,
    ) -> Result<Option<T>, StoreError> {
        self.get_item(key, operation).await?.map(value).transpose()
    }

    pub async fn put_item(&self, item: Item, operation: &'static str) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.name)
            .set_item(Some(item))
            .send()
            .await
            .map_err(failed(operation))?;
        Ok(())
    }

    pub async fn delete_item(&self, key: &Key, operation: &'static str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.name)
            .set_key(Some(key.attributes()))
            .send()
            .await
            .map_err(failed(operation))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::throttle::Attempts;

    #[test]
    fn values_round_trip_beside_their_key_and_ttl() {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let attempts = Attempts {
            attempts: 6,
            failures: 4,
            last_failure_at: Some(at),
            locked_until: None,
            version: 5,
        };
        let stored = item(&Key::attempts("login:a@b.test"), &attempts, Some(attempts.keep_until())).unwrap();
        assert_eq!(stored[PK], s("ATTEMPTS#login:a@b.test"));
        assert_eq!(stored[SK], s("ATTEMPTS"));
        assert_eq!(stored[TTL], n(1_800_000_000 + 24 * 3600));
        assert_eq!(value::<Attempts>(stored).unwrap(), attempts);
    }

    #[test]
    fn a_field_named_like_a_key_attribute_is_refused() {
        #[derive(Serialize)]
        struct Clash {
            pk: u8,
        }
        assert!(item(&Key::attempts("x"), &Clash { pk: 1 }, None).is_err());
    }

    #[test]
    fn decoding_errors_do_not_quote_the_stored_value() {
        let mut stored = Key::attempts("x").attributes();
        stored.insert("failures".into(), s("Awa Diallo"));
        let error = value::<Attempts>(stored).unwrap_err().to_string();
        assert!(!error.contains("Awa"), "{error}");
    }
}
