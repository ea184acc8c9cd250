//! Accounts and their notifications: one partition per account. Uniqueness
//! of emails and state records is kept by reservation items written in the
//! same transaction as the account (`attribute_not_exists`).

use async_trait::async_trait;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};
use chrono::{DateTime, Utc};

use super::table::{
    Key, NOTIFICATION_PREFIX, Table, account_partition, attribute, built, failed, item, n, pointed_account, pointer, s,
    value,
};
use super::transaction::{IfRefused, Transaction};
use crate::domain::account::{Account, AccountId};
use crate::domain::contact::Email;
use crate::domain::notification::{Notification, NotificationId};
use crate::ports::{Accounts, Notifications, StoreError, StoreResult};

fn put_notification(tx: &mut Transaction<'_>, note: &Notification) -> StoreResult<()> {
    let item = item(&Key::notification(note.account_id, note.id), note, None)?;
    tx.put_new(item, IfRefused::Unexpected("notification id reused"))
}

#[async_trait]
impl Accounts for Table {
    async fn create(&self, account: &Account, notification: Option<&Notification>) -> StoreResult<()> {
        let mut tx = Transaction::new(self);
        tx.put_new(
            item(&Key::account(account.id), account, None)?,
            IfRefused::Unexpected("account id reused"),
        )?;
        tx.put_new(
            pointer(&Key::email(account.email.as_str()), account.id),
            IfRefused::EmailTaken,
        )?;
        if let Some(record) = &account.record {
            tx.put_new(pointer(&Key::link(record), account.id), IfRefused::RecordLinked)?;
        }
        if let Some(note) = notification {
            put_notification(&mut tx, note)?;
        }
        tx.send("TransactWriteItems (create account)").await
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
        let mut tx = Transaction::new(self);
        tx.push(
            TransactWriteItem::builder().put(built(put.build())?).build(),
            IfRefused::VersionConflict,
        );
        if stored.email != account.email {
            let release = Delete::builder()
                .table_name(&self.name)
                .set_key(Some(Key::email(stored.email.as_str()).attributes()))
                .condition_expression("account_id = :id")
                .expression_attribute_values(":id", s(account.id.0.to_string()));
            tx.push(
                TransactWriteItem::builder().delete(built(release.build())?).build(),
                IfRefused::VersionConflict,
            );
            tx.put_new(
                pointer(&Key::email(account.email.as_str()), account.id),
                IfRefused::EmailTaken,
            )?;
        }
        if let Some(note) = notification {
            put_notification(&mut tx, note)?;
        }
        tx.send("TransactWriteItems (update account)").await
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
