//! State records, imported in bulk with `BatchWriteItem`.

use std::collections::HashSet;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
use tokio::task::JoinSet;

use super::table::{Key, Table, built, failed, item};
use crate::domain::state_record::{RecordKey, StateRecord};
use crate::ports::{StateRecords, StoreError, StoreResult};

/// DynamoDB's limit of writes per `BatchWriteItem`.
const BATCH: usize = 25;
/// Batches in flight at once: fast imports without starving the table.
const IN_FLIGHT: usize = 4;
/// Rounds of retrying throttled writes before giving up.
const RETRIES: u32 = 8;

#[async_trait]
impl StateRecords for Table {
    async fn get(&self, key: &RecordKey) -> StoreResult<Option<StateRecord>> {
        self.get_value(&Key::record(key), "GetItem (state record)").await
    }

    async fn put_many(&self, records: &[StateRecord]) -> StoreResult<()> {
        // A batch may not name one key twice: keep the last version of each record.
        let mut seen = HashSet::new();
        let mut requests = Vec::with_capacity(records.len());
        for record in records.iter().rev() {
            if seen.insert(record.key()) {
                let put = PutRequest::builder().set_item(Some(item(&Key::record(&record.key()), record, None)?));
                requests.push(WriteRequest::builder().put_request(built(put.build())?).build());
            }
        }
        requests.reverse();

        let mut batches = requests.chunks(BATCH).map(<[WriteRequest]>::to_vec);
        let mut running = JoinSet::new();
        loop {
            while running.len() < IN_FLIGHT {
                let Some(batch) = batches.next() else { break };
                running.spawn(self.clone().write_batch(batch));
            }
            let Some(done) = running.join_next().await else {
                return Ok(());
            };
            done.map_err(|e| StoreError::Unavailable(anyhow::anyhow!("import task: {e}")))??;
        }
    }
}

impl Table {
    /// One `BatchWriteItem`, retrying the writes DynamoDB left unprocessed
    /// (throttling) with exponential backoff.
    async fn write_batch(self, mut batch: Vec<WriteRequest>) -> StoreResult<()> {
        for attempt in 0..=RETRIES {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis((25u64 << attempt).min(2_000))).await;
            }
            let output = self
                .client
                .batch_write_item()
                .request_items(&self.name, batch)
                .send()
                .await
                .map_err(failed("BatchWriteItem (state records)"))?;
            batch = output
                .unprocessed_items
                .and_then(|mut left| left.remove(&self.name))
                .unwrap_or_default();
            if batch.is_empty() {
                return Ok(());
            }
        }
        Err(StoreError::Unavailable(anyhow::anyhow!(
            "DynamoDB BatchWriteItem (state records): {} writes still unprocessed after {RETRIES} retries",
            batch.len()
        )))
    }
}
