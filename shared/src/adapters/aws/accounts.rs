//! Accounts and their notifications: one partition per account. Uniqueness
//! of emails and state records is kept by reservation items written in the
//! same transaction as the account (`attribute_not_exists`).

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};
use chrono::{DateTime, Utc};

use super::table::{
    Item, Key, NOTIFICATION_PREFIX, Table, account_partition, attribute, built, failed, item, n, pointed_account,
    pointer, s, value,
};
use crate::domain::account::{Account, AccountId};
use crate::domain::contact::Email;
use crate::domain::notification::{Notification, NotificationId};
use crate::ports::{Accounts, Notifications, StoreError, StoreResult};

/// What a refused condition on one item of a transaction means.
#[derive(Clone, Copy)]
enum IfRefused {
    EmailTaken,
    RecordLinked,
    VersionConflict,
    /// Cannot happen unless the data is inconsistent (a reused id).
    Unexpected(&'static str),
}

impl IfRefused {
    fn error(self) -> StoreError {
        match self {
            IfRefused::EmailTaken => StoreError::EmailTaken,
            IfRefused::RecordLinked => StoreError::RecordLinked,
            IfRefused::VersionConflict => StoreError::VersionConflict,
            IfRefused::Unexpected(what) => StoreError::Unavailable(anyhow::anyhow!("refused write: {what}")),
        }
    }
}

/// A `Put` only if the item is new.
fn put_new(table: &Table, item: Item) -> StoreResult<TransactWriteItem> {
    let put = Put::builder()
        .table_name(&table.name)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(pk)");
    Ok(TransactWriteItem::builder().put(built(put.build())?).build())
}

fn notification_put(table: &Table, note: &Notification) -> StoreResult<(TransactWriteItem, IfRefused)> {
    let item = item(&Key::notification(note.account_id, note.id), note, None)?;
    Ok((put_new(table, item)?, IfRefused::Unexpected("notification id reused")))
}

/// Transactions refused only because another transaction held an item are retried this many times.
const CONFLICT_RETRIES: u32 = 4;

impl Table {
    /// Write all items or none. A refused condition becomes the error its
    /// item names (the first refused item in order wins).
    async fn transact(&self, items: Vec<(TransactWriteItem, IfRefused)>, operation: &'static str) -> StoreResult<()> {
        let (writes, meanings): (Vec<_>, Vec<_>) = items.into_iter().unzip();
        let mut attempt = 0;
        loop {
            let result = self
                .client
                .transact_write_items()
                .set_transact_items(Some(writes.clone()))
                .send()
                .await;
            let error = match result {
                Ok(_) => return Ok(()),
                Err(e) => e,
            };
            let Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) = error.as_service_error()
            else {
                return Err(failed(operation)(error));
            };
            let codes: Vec<&str> = cancelled
                .cancellation_reasons()
                .iter()
                .map(|r| r.code().unwrap_or("None"))
                .collect();
            if let Some(index) = codes.iter().position(|c| *c == "ConditionalCheckFailed") {
                let meaning = meanings
                    .get(index)
                    .copied()
                    .unwrap_or(IfRefused::Unexpected("unknown item"));
                return Err(meaning.error());
            }
            if codes.contains(&"TransactionConflict") && attempt < CONFLICT_RETRIES {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(20 << attempt)).await;
                continue;
            }
            return Err(StoreError::Unavailable(anyhow::anyhow!(
                "DynamoDB {operation}: transaction cancelled ({})",
                codes.join(", ")
            )));
        }
    }
}

#[async_trait]
impl Accounts for Table {
    async fn create(&self, account: &Account, notification: Option<&Notification>) -> StoreResult<()> {
        let mut items = vec![
            (
                put_new(self, item(&Key::account(account.id), account, None)?)?,
                IfRefused::Unexpected("account id reused"),
            ),
            (
                put_new(self, pointer(&Key::email(account.email.as_str()), account.id))?,
                IfRefused::EmailTaken,
            ),
        ];
        if let Some(record) = &account.record {
            items.push((
                put_new(self, pointer(&Key::link(record), account.id))?,
                IfRefused::RecordLinked,
            ));
        }
        if let Some(note) = notification {
            items.push(notification_put(self, note)?);
        }
        self.transact(items, "TransactWriteItems (create account)").await
    }

    async fn get(&self, id: AccountId) -> StoreResult<Option<Account>> {
        self.get_value(&Key::account(id), "GetItem (account)").await
    }

    async fn find_by_email(&self, email: &Email) -> StoreResult<Option<Account>> {
        let Some(lookup) = self.get_item(&Key::email(email.as_str()), "GetItem (email)").await? else {
            return Ok(None);
        };
        self.get(pointed_account(&lookup)?).await
    }

    /// The stored account is read first to learn its current email; the
    /// version condition makes that read safe. The state record link is
    /// fixed at activation and not moved here.
    async fn update(
        &self,
        account: &Account,
        expected_version: u64,
        notification: Option<&Notification>,
    ) -> StoreResult<()> {
        let Some(stored) = self.get(account.id).await? else {
            return Err(StoreError::VersionConflict);
        };
        if stored.version != expected_version {
            return Err(StoreError::VersionConflict);
        }
        let put = Put::builder()
            .table_name(&self.name)
            .set_item(Some(item(&Key::account(account.id), account, None)?))
            .condition_expression("#version = :expected")
            .expression_attribute_names("#version", "version")
            .expression_attribute_values(":expected", n(expected_version));
        let mut items = vec![(
            TransactWriteItem::builder().put(built(put.build())?).build(),
            IfRefused::VersionConflict,
        )];
        if stored.email != account.email {
            let release = Delete::builder()
                .table_name(&self.name)
                .set_key(Some(Key::email(stored.email.as_str()).attributes()))
                .condition_expression("account_id = :id")
                .expression_attribute_values(":id", s(account.id.0.to_string()));
            items.push((
                TransactWriteItem::builder().delete(built(release.build())?).build(),
                IfRefused::VersionConflict,
            ));
            items.push((
                put_new(self, pointer(&Key::email(account.email.as_str()), account.id))?,
                IfRefused::EmailTaken,
            ));
        }
        if let Some(note) = notification {
            items.push(notification_put(self, note)?);
        }
        self.transact(items, "TransactWriteItems (update account)").await
    }
}

#[async_trait]
impl Notifications for Table {
    async fn list(&self, account: AccountId) -> StoreResult<Vec<Notification>> {
        let mut notifications = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.name)
                .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
                .expression_attribute_values(":pk", s(account_partition(account)))
                .expression_attribute_values(":prefix", s(NOTIFICATION_PREFIX))
                .scan_index_forward(false)
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(failed("Query (notifications)"))?;
            for item in page.items.unwrap_or_default() {
                notifications.push(value(item)?);
            }
            start = page.last_evaluated_key;
            if start.is_none() {
                return Ok(notifications);
            }
        }
    }

    async fn mark_read(&self, account: AccountId, id: NotificationId, at: DateTime<Utc>) -> StoreResult<bool> {
        // The key holds the account: another account's notification is simply not there.
        let result = self
            .client
            .update_item()
            .table_name(&self.name)
            .set_key(Some(Key::notification(account, id).attributes()))
            .update_expression("SET read_at = :at")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":at", attribute(&at)?)
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e)
                if matches!(
                    e.as_service_error(),
                    Some(UpdateItemError::ConditionalCheckFailedException(_))
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(failed("UpdateItem (notification)")(e)),
        }
    }
}
