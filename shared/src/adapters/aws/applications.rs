//! Applications on the single table. One partition per application holds the
//! application item and, beside it, its documents, history and the entries
//! of its issued documents; the applicant's partition points at each of
//! their applications.
//!
//! | item                      | pk                     | sk                            | extra                     |
//! |---------------------------|------------------------|-------------------------------|---------------------------|
//! | application               | `APP#<id>`             | `APP`                         | `version`; `gsi1pk` =     |
//! |                           |                        |                               | (`gsi2pk` = `DEADLINES`,  |
//! |                           |                        |                               | `gsi2sk` = `<next         |
//! |                           |                        |                               | deadline>#<id>` if any)   |
//! |                           |                        |                               | `PREF#<code>#<status>`,   |
//! |                           |                        |                               | `gsi1sk` = `<submitted    |
//! |                           |                        |                               | at>#<id>` once submitted  |
//! | the applicant's pointer   | `ACCOUNT#<applicant>`  | `APP#<id>`                    | `application_id`          |
//! | open-application lock     | `OPENAPP#<applicant>`  | `OPENAPP`                     | `application_id`          |
//! | supporting document       | `APP#<id>`             | `DOC#<document id>`           |                           |
//! | audit event               | `APP#<id>`             | `EVENT#<event id>`            | (uuid v7: time-ordered)   |
//! | stored response           | `IDEM#<key>`           | `IDEM`                        | `ttl` 48 hours            |
//! | issued document           | `ISSUED#<code>`        | `ISSUED`                      |                           |
//! | cases by status (a shard) | `COUNTS#<préfecture>`  | `SHARD#<0..15>`               | one number per status     |
//! | … its entry by application| `APP#<id>`             | `ISSUED#<issued at>#<code>`   |                           |
//!
//! Once submitted to a préfecture, the application item is also in the
//! agents' search: `gsi3pk` = `PREF#<code>#REF`, `gsi3sk` = `<reference>`
//! (a direct lookup), and `gsi4pk` = `PREF#<code>#NAME`, `gsi4sk` =
//! `<surname search key>#<submitted at>#<id>` (a prefix search). Each save
//! that moves a case in or out of a status adds −1 and +1 to the counts of
//! its shard (the application id's), so the queue's counts are one `Query`
//! of 16 items and two cases rarely contend for one counter.
//!
//! Instants in keys are fixed-width RFC 3339 (nanoseconds, `Z`), so they sort as text.
//! A save is one `TransactWriteItems`: the application `Put` is conditional
//! on `version = :expected` and comes first, so a stale save is refused
//! whole. The lock is created with the application (`attribute_not_exists`)
//! and deleted by the save that reaches a final status.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{Delete, KeysAndAttributes, Put, TransactWriteItem, Update};

use super::transaction::{IfRefused, Transaction};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::table::{GSI1, GSI3, GSI4, Item, Key, Table, account_partition, built, failed, item, n, s, value};
use crate::domain::account::AccountId;
use crate::domain::application::lifecycle::Status;
use crate::domain::application::{Application, ApplicationId, AuditEvent, DocumentId, Reference, SupportingDocument};
use crate::domain::civil_status::search_key;
use crate::domain::issued_document::{IssuedDocument, VerificationCode};
use crate::domain::prefecture::PrefectureCode;
use crate::ports::{
    Applications, Case, DocumentChange, QueueCursor, QueueFilter, QueuePage, StoreError, StoreResult, StoredResponse,
    Writes,
};

const APPLICATION_PREFIX: &str = "APP#";
const DOCUMENT_PREFIX: &str = "DOC#";
const EVENT_PREFIX: &str = "EVENT#";
const ISSUED_PREFIX: &str = "ISSUED#";
/// The attribute of pointer and lock items naming the application.
const APPLICATION_ID: &str = "application_id";
/// The partition of the deadlines index (`gsi2`): every case with a next
/// deadline, sorted by it.
const DEADLINES: &str = "DEADLINES";
/// Keys per `BatchGetItem`.
const BATCH_GET: usize = 100;

fn application_partition(id: ApplicationId) -> String {
    format!("{APPLICATION_PREFIX}{}", id.0)
}

fn application_key(id: ApplicationId) -> Key {
    Key {
        pk: application_partition(id),
        sk: "APP".into(),
    }
}

fn pointer_key(applicant: AccountId, id: ApplicationId) -> Key {
    Key {
        pk: account_partition(applicant),
        sk: format!("{APPLICATION_PREFIX}{}", id.0),
    }
}

fn lock_key(applicant: AccountId) -> Key {
    Key {
        pk: format!("OPENAPP#{}", applicant.0),
        sk: "OPENAPP".into(),
    }
}

fn document_key(application: ApplicationId, id: DocumentId) -> Key {
    Key {
        pk: application_partition(application),
        sk: format!("{DOCUMENT_PREFIX}{}", id.0),
    }
}

fn event_key(event: &AuditEvent) -> Key {
    Key {
        pk: application_partition(event.application),
        sk: format!("{EVENT_PREFIX}{}", event.id),
    }
}

fn stored_response_key(key: &str) -> Key {
    Key {
        pk: format!("IDEM#{key}"),
        sk: "IDEM".into(),
    }
}

fn issued_key(code: &VerificationCode) -> Key {
    Key {
        pk: format!("ISSUED#{}", code.as_str()),
        sk: "ISSUED".into(),
    }
}

fn issued_entry_key(issued: &IssuedDocument) -> Key {
    Key {
        pk: application_partition(issued.application),
        sk: format!("{ISSUED_PREFIX}{}#{}", sortable(issued.issued_at), issued.code.as_str()),
    }
}

/// Fixed-width RFC 3339, sorted as text.
fn sortable(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// A serde enum's text (`"under_review"`), for keys.
fn code<T: Serialize>(value: &T) -> StoreResult<String> {
    match serde_json::to_value(value).map_err(|e| StoreError::Unavailable(e.into()))? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(StoreError::Unavailable(anyhow::anyhow!("unexpected code {other}"))),
    }
}

/// The application item, in the agents' queue (`gsi1`) once submitted to a préfecture.
fn application_item(application: &Application) -> StoreResult<Item> {
    let mut stored = item(&application_key(application.id), application, None)?;
    if let Some((at, _)) = application.next_deadline() {
        stored.insert("gsi2pk".into(), s(DEADLINES));
        stored.insert("gsi2sk".into(), s(format!("{}#{}", sortable(at), application.id)));
    }
    if let (Some(prefecture), Some(submitted_at)) = (&application.prefecture, application.submitted_at) {
        let queue = format!("PREF#{}#{}", prefecture.as_str(), code(&application.status)?);
        stored.insert("gsi1pk".into(), s(queue));
        stored.insert(
            "gsi1sk".into(),
            s(format!("{}#{}", sortable(submitted_at), application.id)),
        );
        let code = prefecture.as_str();
        stored.insert("gsi3pk".into(), s(format!("PREF#{code}#REF")));
        stored.insert("gsi3sk".into(), s(application.reference.0.clone()));
        stored.insert("gsi4pk".into(), s(format!("PREF#{code}#NAME")));
        stored.insert(
            "gsi4sk".into(),
            s(format!(
                "{}#{}#{}",
                search_key(&application.civil_status.surname),
                sortable(submitted_at),
                application.id
            )),
        );
    }
    Ok(stored)
}

/// Shards of each préfecture's counts.
const COUNT_SHARDS: u128 = 16;

/// The counts item of `application`'s shard in its préfecture, once it is in a queue.
fn counts_key(application: &Application) -> Option<(Key, String)> {
    let prefecture = application.prefecture.as_ref()?;
    application.submitted_at?;
    let status = code(&application.status).ok()?;
    let key = Key {
        pk: format!("COUNTS#{}", prefecture.as_str()),
        sk: format!("SHARD#{}", application.id.0.as_u128() % COUNT_SHARDS),
    };
    Some((key, status))
}

/// A small item naming an application (pointer, lock).
fn naming(key: &Key, id: ApplicationId) -> Item {
    let mut item = key.attributes();
    item.insert(APPLICATION_ID.into(), s(id.0.to_string()));
    item
}

fn named_application(item: &Item) -> StoreResult<ApplicationId> {
    item.get(APPLICATION_ID)
        .and_then(|v| v.as_s().ok())
        .and_then(|v| uuid::Uuid::parse_str(v).ok())
        .map(ApplicationId)
        .ok_or_else(|| StoreError::Unavailable(anyhow::anyhow!("an item without a valid {APPLICATION_ID}")))
}

impl Table {
    /// Every item of partition `pk` whose sort key starts with `prefix` (all
    /// of them if it is empty), in sort key order, read strongly consistent.
    async fn query_prefix(&self, pk: String, prefix: &str, operation: &'static str) -> StoreResult<Vec<Item>> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.name)
                .expression_attribute_values(":pk", s(&pk));
            // No prefix: the whole partition.
            query = if prefix.is_empty() {
                query.key_condition_expression("pk = :pk")
            } else {
                query
                    .key_condition_expression("pk = :pk AND begins_with(sk, :prefix)")
                    .expression_attribute_values(":prefix", s(prefix))
            };
            let page = query
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(failed(operation))?;
            items.extend(page.items.unwrap_or_default());
            start = page.last_evaluated_key;
            if start.is_none() {
                return Ok(items);
            }
        }
    }

    /// The items under `keys` that exist, read strongly consistent, in no particular order.
    async fn get_many(&self, keys: Vec<Item>, operation: &'static str) -> StoreResult<Vec<Item>> {
        let mut found = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(BATCH_GET) {
            let mut pending = chunk.to_vec();
            let mut attempt = 0;
            while !pending.is_empty() {
                if attempt > 0 {
                    tokio::time::sleep(Duration::from_millis((25u64 << attempt).min(2_000))).await;
                }
                attempt += 1;
                let request = KeysAndAttributes::builder()
                    .set_keys(Some(pending))
                    .consistent_read(true)
                    .build();
                let output = self
                    .client
                    .batch_get_item()
                    .request_items(&self.name, built(request)?)
                    .send()
                    .await
                    .map_err(failed(operation))?;
                found.extend(
                    output
                        .responses
                        .and_then(|mut r| r.remove(&self.name))
                        .unwrap_or_default(),
                );
                // Keys left unprocessed (throttling) are asked again.
                pending = output
                    .unprocessed_keys
                    .and_then(|mut left| left.remove(&self.name))
                    .map(|left| left.keys)
                    .unwrap_or_default();
                if attempt > 8 && !pending.is_empty() {
                    return Err(StoreError::Unavailable(anyhow::anyhow!(
                        "DynamoDB {operation}: {} keys still unprocessed",
                        pending.len()
                    )));
                }
            }
        }
        Ok(found)
    }
}

#[async_trait]
impl Applications for Table {
    async fn create(&self, application: &Application) -> StoreResult<()> {
        let mut tx = Transaction::new(self);
        if !application.status.is_final() {
            tx.put_new(
                naming(&lock_key(application.applicant), application.id),
                IfRefused::OpenApplicationExists,
            )?;
        }
        tx.put_new(
            application_item(application)?,
            IfRefused::Unexpected("application id reused"),
        )?;
        tx.put_new(
            naming(&pointer_key(application.applicant, application.id), application.id),
            IfRefused::Unexpected("application id reused"),
        )?;
        tx.send("TransactWriteItems (create application)").await
    }

    async fn get(&self, id: ApplicationId) -> StoreResult<Option<Application>> {
        self.get_value(&application_key(id), "GetItem (application)").await
    }

    async fn case(&self, id: ApplicationId) -> StoreResult<Option<Case>> {
        let items = self.query_prefix(application_partition(id), "", "Query (case)").await?;
        let mut application = None;
        let (mut documents, mut events, mut issued) = (Vec::new(), Vec::new(), Vec::new());
        for item in items {
            let sk = item.get("sk").and_then(|v| v.as_s().ok()).cloned().unwrap_or_default();
            if sk == "APP" {
                application = Some(value::<Application>(item)?);
            } else if sk.starts_with(DOCUMENT_PREFIX) {
                documents.push(value::<SupportingDocument>(item)?);
            } else if sk.starts_with(EVENT_PREFIX) {
                events.push(value::<AuditEvent>(item)?);
            } else if sk.starts_with(ISSUED_PREFIX) {
                issued.push(value::<IssuedDocument>(item)?);
            }
        }
        let Some(application) = application else {
            return Ok(None);
        };
        documents.sort_by_key(|d: &SupportingDocument| (d.created_at, d.id));
        events.sort_by_key(|e: &AuditEvent| (e.at, e.id));
        issued.sort_by_key(|i: &IssuedDocument| i.issued_at);
        Ok(Some(Case {
            application,
            documents,
            events,
            issued,
        }))
    }

    async fn list_for_applicant(&self, applicant: AccountId) -> StoreResult<Vec<Application>> {
        let pointers = self
            .query_prefix(
                account_partition(applicant),
                APPLICATION_PREFIX,
                "Query (applications of an applicant)",
            )
            .await?;
        let keys = pointers
            .iter()
            .map(|p| Ok(application_key(named_application(p)?).attributes()))
            .collect::<StoreResult<Vec<_>>>()?;
        let mut applications = self
            .get_many(keys, "BatchGetItem (applications)")
            .await?
            .into_iter()
            .map(value::<Application>)
            .collect::<StoreResult<Vec<_>>>()?;
        applications.sort_by_key(|a| std::cmp::Reverse((a.created_at, a.id)));
        Ok(applications)
    }

    async fn due(&self, now: DateTime<Utc>) -> StoreResult<Vec<Application>> {
        // `$` sorts after the `#` that follows each instant: `now` included.
        let bound = format!("{}$", sortable(now));
        let mut applications = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .query()
                .table_name(&self.name)
                .index_name("gsi2")
                .key_condition_expression("gsi2pk = :deadlines AND gsi2sk < :bound")
                .expression_attribute_values(":deadlines", s(DEADLINES))
                .expression_attribute_values(":bound", s(&bound))
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(failed("Query (deadlines)"))?;
            for item in page.items.unwrap_or_default() {
                applications.push(value::<Application>(item)?);
            }
            start = page.last_evaluated_key;
            if start.is_none() {
                return Ok(applications);
            }
        }
    }

    async fn queue(
        &self,
        prefecture: &PrefectureCode,
        filter: &QueueFilter,
        after: Option<&QueueCursor>,
        limit: usize,
    ) -> StoreResult<QueuePage> {
        let code_of = prefecture.as_str();
        let query = self
            .client
            .query()
            .table_name(&self.name)
            .limit(i32::try_from(limit).unwrap_or(i32::MAX));
        let query = match filter {
            QueueFilter::Status(status) => {
                let queue = format!("PREF#{code_of}#{}", code(status)?);
                // `#` sorts before every character of an instant: the first page.
                let after = after.map_or("#".to_string(), |c| format!("{}#{}", sortable(c.submitted_at), c.id));
                query
                    .index_name(GSI1)
                    .key_condition_expression("gsi1pk = :queue AND gsi1sk > :after")
                    .expression_attribute_values(":queue", s(queue))
                    .expression_attribute_values(":after", s(after))
            }
            QueueFilter::Surname(prefix) => {
                // Keys starting with `<prefix>`: from it to the last one
                // before the next prefix, after the cursor if any.
                let from = match after {
                    Some(c) => format!(
                        "{}#{}#{}",
                        c.surname_key.as_deref().unwrap_or_default(),
                        sortable(c.submitted_at),
                        c.id
                    ),
                    None => prefix.clone(),
                };
                query
                    .index_name(GSI4)
                    .key_condition_expression("gsi4pk = :names AND gsi4sk BETWEEN :from AND :to")
                    .expression_attribute_values(":names", s(format!("PREF#{code_of}#NAME")))
                    .expression_attribute_values(":from", s(format!("{from}\u{0}")))
                    .expression_attribute_values(":to", s(format!("{prefix}\u{10FFFF}")))
            }
        };
        let output = query.send().await.map_err(failed("Query (queue)"))?;
        let applications = output
            .items
            .unwrap_or_default()
            .into_iter()
            .map(value::<Application>)
            .collect::<StoreResult<Vec<_>>>()?;
        let next = match output.last_evaluated_key {
            Some(_) => applications.last().and_then(|a| QueueCursor::of(a, filter)),
            None => None,
        };
        Ok(QueuePage { applications, next })
    }

    async fn find_reference(
        &self,
        prefecture: &PrefectureCode,
        reference: &Reference,
    ) -> StoreResult<Option<Application>> {
        let output = self
            .client
            .query()
            .table_name(&self.name)
            .index_name(GSI3)
            .key_condition_expression("gsi3pk = :references AND gsi3sk = :reference")
            .expression_attribute_values(":references", s(format!("PREF#{}#REF", prefecture.as_str())))
            .expression_attribute_values(":reference", s(reference.0.clone()))
            .send()
            .await
            .map_err(failed("Query (reference)"))?;
        output
            .items
            .unwrap_or_default()
            .into_iter()
            .next()
            .map(value::<Application>)
            .transpose()
    }

    async fn counts(&self, prefecture: &PrefectureCode) -> StoreResult<Vec<(Status, u64)>> {
        let output = self
            .client
            .query()
            .table_name(&self.name)
            .key_condition_expression("pk = :counts")
            .expression_attribute_values(":counts", s(format!("COUNTS#{}", prefecture.as_str())))
            .send()
            .await
            .map_err(failed("Query (counts)"))?;
        let mut counts: Vec<(Status, u64)> = Vec::new();
        for shard in output.items.unwrap_or_default() {
            for (name, number) in shard {
                let Ok(status) = serde_json::from_value::<Status>(serde_json::Value::String(name)) else {
                    continue;
                };
                let n = number.as_n().ok().and_then(|n| n.parse::<i64>().ok()).unwrap_or(0);
                match counts.iter_mut().find(|(s, _)| *s == status) {
                    Some((_, total)) => *total = total.saturating_add_signed(n),
                    None => counts.push((status, u64::try_from(n).unwrap_or(0))),
                }
            }
        }
        counts.retain(|(_, n)| *n > 0);
        Ok(counts)
    }

    /// Whether the lock is to be released (or taken again) follows from the
    /// status read; the version condition makes that read the stored one.
    async fn save(&self, application: &Application, read: &Application, writes: Writes<'_>) -> StoreResult<()> {
        writes.check(application)?;
        let expected_version = read.version;
        let stored = read;
        let mut tx = Transaction::new(self);
        let put = Put::builder()
            .table_name(&self.name)
            .set_item(Some(application_item(application)?))
            .condition_expression("#version = :expected")
            .expression_attribute_names("#version", "version")
            .expression_attribute_values(":expected", n(expected_version));
        tx.push(
            TransactWriteItem::builder().put(built(put.build())?).build(),
            IfRefused::VersionConflict,
        );

        let lock = lock_key(stored.applicant);
        match (stored.status.is_final(), application.status.is_final()) {
            (false, true) => {
                let release = Delete::builder()
                    .table_name(&self.name)
                    .set_key(Some(lock.attributes()))
                    .condition_expression("#application = :id")
                    .expression_attribute_names("#application", APPLICATION_ID)
                    .expression_attribute_values(":id", s(application.id.0.to_string()));
                tx.push(
                    TransactWriteItem::builder().delete(built(release.build())?).build(),
                    IfRefused::Unexpected("the open-application lock is not this application's"),
                );
            }
            (true, false) => tx.put_new(naming(&lock, application.id), IfRefused::OpenApplicationExists)?,
            _ => {}
        }

        // The préfecture's counts follow the case from one status to the next.
        let (before, after) = (counts_key(stored), counts_key(application));
        if before != after {
            let mut moves: Vec<(Key, Vec<(String, i64)>)> = Vec::new();
            for (counted, delta) in [(before, -1), (after, 1)] {
                let Some((key, status)) = counted else { continue };
                match moves.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, changes)) => changes.push((status, delta)),
                    None => moves.push((key, vec![(status, delta)])),
                }
            }
            for (key, changes) in moves {
                let mut update = Update::builder().table_name(&self.name).set_key(Some(key.attributes()));
                let mut terms = Vec::new();
                for (i, (status, delta)) in changes.into_iter().enumerate() {
                    terms.push(format!("#s{i} :d{i}"));
                    update = update
                        .expression_attribute_names(format!("#s{i}"), status)
                        .expression_attribute_values(format!(":d{i}"), n(delta));
                }
                let update = update.update_expression(format!("ADD {}", terms.join(", ")));
                tx.push(
                    TransactWriteItem::builder().update(built(update.build())?).build(),
                    IfRefused::Unexpected("unconditional update"),
                );
            }
        }

        for change in writes.last_change_per_document() {
            match change {
                DocumentChange::Put(document) => {
                    tx.put(item(&document_key(application.id, document.id), document, None)?)?
                }
                DocumentChange::Delete(id) => tx.delete(&document_key(application.id, *id))?,
            }
        }
        for event in writes.events {
            tx.put_new(
                item(&event_key(event), event, None)?,
                IfRefused::Unexpected("event id reused"),
            )?;
        }
        for note in writes.notifications {
            // The very item the Notifications adapter lists.
            tx.put_new(
                item(&Key::notification(note.account_id, note.id), note, None)?,
                IfRefused::Unexpected("notification id reused"),
            )?;
        }
        if let Some(response) = writes.idempotency {
            // Another request already answered under this key: it won.
            tx.put_new(
                item(
                    &stored_response_key(&response.key),
                    response,
                    Some(response.keep_until()),
                )?,
                IfRefused::VersionConflict,
            )?;
        }
        if let Some(issued) = writes.issued {
            tx.put_new(
                item(&issued_key(&issued.code), issued, None)?,
                IfRefused::Unexpected("verification code reused"),
            )?;
            tx.put_new(
                item(&issued_entry_key(issued), issued, None)?,
                IfRefused::Unexpected("verification code reused"),
            )?;
        }
        if let Some(issued) = writes.reissued {
            for key in [issued_key(&issued.code), issued_entry_key(issued)] {
                let put = Put::builder()
                    .table_name(&self.name)
                    .set_item(Some(item(&key, issued, None)?))
                    .condition_expression("attribute_exists(pk)");
                tx.push(
                    TransactWriteItem::builder().put(built(put.build())?).build(),
                    IfRefused::Unexpected("replacing an issued document that does not exist"),
                );
            }
        }
        tx.send("TransactWriteItems (save application)").await
    }

    async fn documents(&self, id: ApplicationId) -> StoreResult<Vec<SupportingDocument>> {
        let items = self
            .query_prefix(application_partition(id), DOCUMENT_PREFIX, "Query (documents)")
            .await?;
        let mut documents = items
            .into_iter()
            .map(value::<SupportingDocument>)
            .collect::<StoreResult<Vec<_>>>()?;
        documents.sort_by_key(|d| (d.created_at, d.id));
        Ok(documents)
    }

    async fn events(&self, id: ApplicationId) -> StoreResult<Vec<AuditEvent>> {
        let items = self
            .query_prefix(application_partition(id), EVENT_PREFIX, "Query (events)")
            .await?;
        let mut events = items
            .into_iter()
            .map(value::<AuditEvent>)
            .collect::<StoreResult<Vec<_>>>()?;
        events.sort_by_key(|e| (e.at, e.id));
        Ok(events)
    }

    async fn stored_response(&self, key: &str) -> StoreResult<Option<StoredResponse>> {
        self.get_value(&stored_response_key(key), "GetItem (stored response)")
            .await
    }

    async fn issued(&self, code: &VerificationCode) -> StoreResult<Option<IssuedDocument>> {
        self.get_value(&issued_key(code), "GetItem (issued document)").await
    }

    async fn issued_for(&self, id: ApplicationId) -> StoreResult<Vec<IssuedDocument>> {
        let items = self
            .query_prefix(application_partition(id), ISSUED_PREFIX, "Query (issued documents)")
            .await?;
        items.into_iter().map(value).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_in_keys_sort_as_text() {
        let early = DateTime::parse_from_rfc3339("2026-09-01T09:00:00Z").unwrap().to_utc();
        let later = early + chrono::Duration::nanoseconds(1_500);
        assert!(sortable(early) < sortable(later));
        assert_eq!(sortable(early).len(), sortable(later).len());
    }

    #[test]
    fn keys_are_distinct_from_the_account_items() {
        let applicant = AccountId(uuid::Uuid::now_v7());
        let id = ApplicationId(uuid::Uuid::now_v7());
        let pointer = pointer_key(applicant, id);
        assert_eq!(pointer.pk, Key::account(applicant).pk);
        assert_ne!(pointer.sk, Key::account(applicant).sk);
        assert!(!pointer.sk.starts_with(super::super::table::NOTIFICATION_PREFIX));
    }

    /// The agents' queue (`gsi1`): submitted cases by préfecture and status, by submission date.
    #[test]
    fn submitted_applications_are_in_their_prefectures_queue() {
        use crate::domain::application::lifecycle::Status;
        let mut app = crate::adapters::local::applications::tests::draft();
        let stored = application_item(&app).unwrap();
        assert!(!stored.contains_key("gsi1pk"), "a draft is in no queue");

        app.status = Status::UnderReview;
        app.submitted_at = Some(app.created_at + chrono::Duration::hours(1));
        let stored = application_item(&app).unwrap();
        assert_eq!(stored["gsi1pk"], s("PREF#2A#under_review"));
        assert_eq!(
            stored["gsi1sk"],
            s(format!("2026-09-01T10:00:00.000000000Z#{}", app.id))
        );
        assert_eq!(value::<Application>(stored).unwrap(), app);

        app.prefecture = None;
        assert!(!application_item(&app).unwrap().contains_key("gsi1pk"));
    }
}
