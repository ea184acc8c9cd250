//! One DynamoDB transaction (TransactWriteItems) built item by item, each
//! with what a refused condition on it means; sent all or nothing, with
//! TransactionConflict cancellations retried a few times.

use std::time::Duration;

use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};

use super::table::{Item, Key, Table, built, failed};
use crate::ports::{StoreError, StoreResult};

/// Transactions refused only because another transaction held an item are retried this many times.
const CONFLICT_RETRIES: u32 = 4;

/// What a refused condition on one item of a transaction means.
#[derive(Clone, Copy)]
pub(super) enum IfRefused {
    EmailTaken,
    RecordLinked,
    VersionConflict,
    OpenApplicationExists,
    /// Cannot happen unless the data is inconsistent (a reused id).
    Unexpected(&'static str),
}

impl IfRefused {
    fn error(self) -> StoreError {
        match self {
            IfRefused::EmailTaken => StoreError::EmailTaken,
            IfRefused::RecordLinked => StoreError::RecordLinked,
            IfRefused::VersionConflict => StoreError::VersionConflict,
            IfRefused::OpenApplicationExists => StoreError::OpenApplicationExists,
            IfRefused::Unexpected(what) => StoreError::Unavailable(anyhow::anyhow!("refused write: {what}")),
        }
    }
}

/// One DynamoDB transaction being put together.
pub(super) struct Transaction<'t> {
    table: &'t Table,
    items: Vec<TransactWriteItem>,
    meanings: Vec<IfRefused>,
}

impl<'t> Transaction<'t> {
    pub(super) fn new(table: &'t Table) -> Self {
        Transaction {
            table,
            items: Vec::new(),
            meanings: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, write: TransactWriteItem, if_refused: IfRefused) {
        self.items.push(write);
        self.meanings.push(if_refused);
    }

    /// A `Put` only if the item is new.
    pub(super) fn put_new(&mut self, item: Item, if_refused: IfRefused) -> StoreResult<()> {
        let put = Put::builder()
            .table_name(&self.table.name)
            .set_item(Some(item))
            .condition_expression("attribute_not_exists(pk)");
        self.push(
            TransactWriteItem::builder().put(built(put.build())?).build(),
            if_refused,
        );
        Ok(())
    }

    pub(super) fn put(&mut self, item: Item) -> StoreResult<()> {
        let put = Put::builder().table_name(&self.table.name).set_item(Some(item));
        self.push(
            TransactWriteItem::builder().put(built(put.build())?).build(),
            IfRefused::Unexpected("unconditional put"),
        );
        Ok(())
    }

    pub(super) fn delete(&mut self, key: &Key) -> StoreResult<()> {
        let delete = Delete::builder()
            .table_name(&self.table.name)
            .set_key(Some(key.attributes()));
        self.push(
            TransactWriteItem::builder().delete(built(delete.build())?).build(),
            IfRefused::Unexpected("unconditional delete"),
        );
        Ok(())
    }

    /// Write all items or none. A refused condition becomes the error its
    /// item names (the first refused item in order wins).
    pub(super) async fn send(self, operation: &'static str) -> StoreResult<()> {
        let mut attempt = 0;
        loop {
            let result = self
                .table
                .client
                .transact_write_items()
                .set_transact_items(Some(self.items.clone()))
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
                let meaning = self
                    .meanings
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
