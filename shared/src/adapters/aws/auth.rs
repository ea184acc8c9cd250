//! Sessions, one-time tokens and throttled attempts: short-lived items that
//! DynamoDB's TTL removes once they no longer matter. Expiry itself is the
//! domain's to judge (TTL deletion is lazy), so reads return what is stored.

use async_trait::async_trait;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::ReturnValue;
use chrono::{DateTime, Utc};

use super::table::{Key, Table, attribute, failed, item, n, value};
use crate::domain::session::{ABSOLUTE_TIMEOUT, Session, TokenHash};
use crate::domain::throttle::Attempts;
use crate::domain::token::OneTimeToken;
use crate::ports::{OneTimeTokens, Sessions, StoreResult, Throttle};

#[async_trait]
impl Sessions for Table {
    async fn create(&self, session: &Session) -> StoreResult<()> {
        let expires = session.created_at + ABSOLUTE_TIMEOUT;
        self.put_item(
            item(&Key::session(&session.token_hash), session, Some(expires))?,
            "PutItem (session)",
        )
        .await
    }

    async fn get(&self, hash: &TokenHash) -> StoreResult<Option<Session>> {
        self.get_value(&Key::session(hash), "GetItem (session)").await
    }

    /// Only an existing session is touched: a session deleted meanwhile
    /// (logout) must not come back as a fragment.
    async fn touch(&self, hash: &TokenHash, at: DateTime<Utc>) -> StoreResult<()> {
        let result = self
            .client
            .update_item()
            .table_name(&self.name)
            .set_key(Some(Key::session(hash).attributes()))
            .update_expression("SET last_seen_at = :at")
            .condition_expression("attribute_exists(pk)")
            .expression_attribute_values(":at", attribute(&at)?)
            .send()
            .await;
        match result {
            Err(e)
                if !matches!(
                    e.as_service_error(),
                    Some(UpdateItemError::ConditionalCheckFailedException(_))
                ) =>
            {
                Err(failed("UpdateItem (session)")(e))
            }
            _ => Ok(()),
        }
    }

    async fn delete(&self, hash: &TokenHash) -> StoreResult<()> {
        self.delete_item(&Key::session(hash), "DeleteItem (session)").await
    }
}

#[async_trait]
impl OneTimeTokens for Table {
    async fn put(&self, token: &OneTimeToken) -> StoreResult<()> {
        self.put_item(
            item(&Key::token(&token.hash), token, Some(token.expires_at))?,
            "PutItem (token)",
        )
        .await
    }

    /// One `DeleteItem` returning the old item: of two concurrent takers,
    /// only one gets it back.
    async fn take(&self, hash: &TokenHash) -> StoreResult<Option<OneTimeToken>> {
        let output = self
            .client
            .delete_item()
            .table_name(&self.name)
            .set_key(Some(Key::token(hash).attributes()))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(failed("DeleteItem (token)"))?;
        output.attributes.filter(|item| !item.is_empty()).map(value).transpose()
    }
}

#[async_trait]
impl Throttle for Table {
    async fn get(&self, key: &str) -> StoreResult<Attempts> {
        Ok(self
            .get_value(&Key::attempts(key), "GetItem (attempts)")
            .await?
            .unwrap_or_default())
    }

    /// One conditional `PutItem`: on the version read, or on no item at all.
    async fn replace(&self, key: &str, expected_version: u64, next: &Attempts) -> StoreResult<bool> {
        let item = item(&Key::attempts(key), next, Some(next.keep_until()))?;
        let request = self.client.put_item().table_name(&self.name).set_item(Some(item));
        let request = if expected_version == 0 {
            request.condition_expression("attribute_not_exists(pk)")
        } else {
            request
                .condition_expression("version = :expected")
                .expression_attribute_values(":expected", n(expected_version))
        };
        match request.send().await {
            Ok(_) => Ok(true),
            Err(e)
                if matches!(
                    e.as_service_error(),
                    Some(PutItemError::ConditionalCheckFailedException(_))
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(failed("PutItem (attempts)")(e)),
        }
    }

    async fn clear(&self, key: &str) -> StoreResult<()> {
        self.delete_item(&Key::attempts(key), "DeleteItem (attempts)").await
    }
}
