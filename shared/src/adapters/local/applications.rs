//! Applications on SQLite, with their documents, history, idempotent
//! responses and issued documents (tables of migration 2 in `db.rs`).
//!
//! A save is one transaction that starts with the conditional update of the
//! application (`WHERE version = expected`): when it changes no row, nothing
//! else is written. The partial unique index `applications_one_open` keeps
//! one open application per applicant, as the `OPENAPP#` lock item does on
//! DynamoDB.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;

use super::db::{Ctx, Db, immediate, parse_ts, ts, unique_violation};
use super::store::{NotificationRow, from_json, to_json};
use crate::domain::account::AccountId;
use crate::domain::application::lifecycle::Status;
use crate::domain::application::{Application, ApplicationId, AuditEvent, Reference, SupportingDocument};
use crate::domain::issued_document::{IssuedDocument, VerificationCode};
use crate::domain::prefecture::PrefectureCode;
use crate::ports::{
    Applications, Case, DocumentChange, QueueCursor, QueueFilter, QueuePage, StoreError, StoreResult, StoredResponse,
    Writes,
};

/// The applications port of the embedded mode.
#[derive(Clone)]
pub struct SqliteApplications {
    db: Db,
}

impl SqliteApplications {
    pub fn new(db: Db) -> Self {
        SqliteApplications { db }
    }

    /// Forget the idempotent responses past their retention, as DynamoDB's TTL does.
    pub async fn purge_expired(&self, now: DateTime<Utc>) -> StoreResult<usize> {
        let now = ts(now);
        self.db
            .write(move |conn| {
                conn.execute("DELETE FROM stored_responses WHERE expires_at <= ?1", [now])
                    .ctx("purging stored responses")
            })
            .await
    }
}

/// A serde enum's text (`"under_review"`), for columns that are looked up.
fn code<T: Serialize>(value: &T) -> StoreResult<String> {
    match serde_json::to_value(value).ctx("encoding a code")? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(StoreError::Unavailable(anyhow::anyhow!("unexpected code {other}"))),
    }
}

fn refused(what: &'static str) -> StoreError {
    StoreError::Unavailable(anyhow::anyhow!("refused write: {what}"))
}

/// The columns of one application row, computed before going to the blocking pool.
struct ApplicationRow {
    id: String,
    applicant: String,
    status: String,
    version: i64,
    prefecture: Option<String>,
    submitted_at: Option<String>,
    created_at: String,
    open: bool,
    /// The next deadline (`Application::next_deadline`), if any.
    due_at: Option<String>,
    reference: String,
    /// `civil_status::search_key` of the surname.
    surname_key: String,
    body: String,
}

impl ApplicationRow {
    fn of(a: &Application) -> StoreResult<Self> {
        Ok(ApplicationRow {
            id: a.id.to_string(),
            applicant: a.applicant.to_string(),
            status: code(&a.status)?,
            version: i64::try_from(a.version).ctx("application version out of range")?,
            prefecture: a.prefecture.as_ref().map(|p| p.as_str().to_string()),
            submitted_at: a.submitted_at.map(ts),
            created_at: ts(a.created_at),
            open: !a.status.is_final(),
            due_at: a.next_deadline().map(|(at, _)| ts(at)),
            reference: a.reference.0.clone(),
            surname_key: crate::domain::civil_status::search_key(&a.civil_status.surname),
            body: to_json(a)?,
        })
    }
}

/// The control-flow meaning of a failed application write.
fn application_write_error(e: rusqlite::Error) -> StoreError {
    match unique_violation(&e) {
        Some("applications.applicant") => StoreError::OpenApplicationExists,
        Some("applications.id") => refused("application id reused"),
        _ => StoreError::Unavailable(anyhow::Error::new(e).context("writing an application")),
    }
}

/// Everything a save writes beside the application, encoded.
struct SaveRows {
    /// `(document id, Some((created_at, body)))` to put, `None` to delete.
    documents: Vec<(String, Option<(String, String)>)>,
    /// `(id, at, body)`.
    events: Vec<(String, String, String)>,
    notifications: Vec<NotificationRow>,
    /// `(key, application, status, body, created_at, expires_at)`.
    idempotency: Option<(String, String, u16, String, String, String)>,
    /// `(code, issued_at, body)`.
    issued: Option<(String, String, String)>,
    /// `(code, body)`.
    reissued: Option<(String, String)>,
}

impl SaveRows {
    fn of(writes: &Writes<'_>) -> StoreResult<Self> {
        let documents = writes
            .last_change_per_document()
            .into_iter()
            .map(|change| match change {
                DocumentChange::Put(d) => Ok((d.id.0.to_string(), Some((ts(d.created_at), to_json(d)?)))),
                DocumentChange::Delete(id) => Ok((id.0.to_string(), None)),
            })
            .collect::<StoreResult<_>>()?;
        let events = writes
            .events
            .iter()
            .map(|e| Ok((e.id.to_string(), ts(e.at), to_json(e)?)))
            .collect::<StoreResult<_>>()?;
        let idempotency = writes.idempotency.map(|r| {
            (
                r.key.clone(),
                r.application.to_string(),
                r.status,
                r.body.clone(),
                ts(r.created_at),
                ts(r.keep_until()),
            )
        });
        let issued = writes
            .issued
            .map(|i| Ok::<_, StoreError>((i.code.as_str().to_string(), ts(i.issued_at), to_json(i)?)))
            .transpose()?;
        Ok(SaveRows {
            documents,
            events,
            notifications: writes
                .notifications
                .iter()
                .map(NotificationRow::of)
                .collect::<StoreResult<_>>()?,
            idempotency,
            issued,
            reissued: writes
                .reissued
                .map(|i| Ok::<_, StoreError>((i.code.as_str().to_string(), to_json(i)?)))
                .transpose()?,
        })
    }

    fn insert(&self, tx: &Transaction<'_>, application: &str) -> StoreResult<()> {
        for (id, put) in &self.documents {
            match put {
                Some((created_at, body)) => tx
                    .prepare_cached(
                        "INSERT INTO documents (application, id, created_at, body) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (application, id) DO UPDATE
                         SET created_at = excluded.created_at, body = excluded.body",
                    )
                    .and_then(|mut s| s.execute(params![application, id, created_at, body]))
                    .ctx("writing a document")?,
                None => tx
                    .prepare_cached("DELETE FROM documents WHERE application = ?1 AND id = ?2")
                    .and_then(|mut s| s.execute(params![application, id]))
                    .ctx("deleting a document")?,
            };
        }
        for (id, at, body) in &self.events {
            tx.prepare_cached("INSERT INTO events (application, id, at, body) VALUES (?1, ?2, ?3, ?4)")
                .and_then(|mut s| s.execute(params![application, id, at, body]))
                .map_err(|e| match unique_violation(&e) {
                    Some(_) => refused("event id reused"),
                    None => StoreError::Unavailable(anyhow::Error::new(e).context("writing an event")),
                })?;
        }
        for note in &self.notifications {
            note.insert(tx)?;
        }
        if let Some((key, application, status, body, created_at, expires_at)) = &self.idempotency {
            tx.prepare_cached(
                "INSERT INTO stored_responses (key, application, status, body, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut s| s.execute(params![key, application, status, body, created_at, expires_at]))
            // Another request already answered under this key: it won.
            .map_err(|e| match unique_violation(&e) {
                Some(_) => StoreError::VersionConflict,
                None => StoreError::Unavailable(anyhow::Error::new(e).context("writing a stored response")),
            })?;
        }
        if let Some((code, issued_at, body)) = &self.issued {
            tx.prepare_cached(
                "INSERT INTO issued_documents (code, application, issued_at, body) VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| s.execute(params![code, application, issued_at, body]))
            .map_err(|e| match unique_violation(&e) {
                Some(_) => refused("verification code reused"),
                None => StoreError::Unavailable(anyhow::Error::new(e).context("writing an issued document")),
            })?;
        }
        if let Some((code, body)) = &self.reissued {
            let changed = tx
                .prepare_cached("UPDATE issued_documents SET body = ?2 WHERE code = ?1 AND application = ?3")
                .and_then(|mut s| s.execute(params![code, body, application]))
                .ctx("replacing an issued document")?;
            if changed != 1 {
                return Err(refused("replacing an issued document that does not exist"));
            }
        }
        Ok(())
    }
}

/// The `body` column of every row `sql` selects with `key`, decoded.
fn bodies<T: serde::de::DeserializeOwned>(
    conn: &rusqlite::Connection,
    sql: &'static str,
    key: &str,
    what: &'static str,
) -> StoreResult<Vec<T>> {
    let rows = conn
        .prepare_cached(sql)
        .and_then(|mut s| {
            s.query_map([key], |r| r.get::<_, String>(0))
                .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        })
        .ctx(what)?;
    rows.iter().map(|body| from_json(body)).collect()
}

/// The `body` of the row `sql` selects with `key`, if any, decoded.
fn body<T: serde::de::DeserializeOwned>(
    conn: &rusqlite::Connection,
    sql: &'static str,
    key: &str,
    what: &'static str,
) -> StoreResult<Option<T>> {
    let body: Option<String> = conn
        .prepare_cached(sql)
        .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
        .ctx(what)?;
    body.as_deref().map(from_json).transpose()
}

#[async_trait]
impl Applications for SqliteApplications {
    async fn create(&self, application: &Application) -> StoreResult<()> {
        let row = ApplicationRow::of(application)?;
        self.db
            .write(move |conn| {
                conn.prepare_cached(
                    "INSERT INTO applications
                         (id, applicant, status, version, prefecture, submitted_at, created_at, open, body, due_at,
                          reference, surname_key)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        row.id,
                        row.applicant,
                        row.status,
                        row.version,
                        row.prefecture,
                        row.submitted_at,
                        row.created_at,
                        row.open,
                        row.body,
                        row.due_at,
                        row.reference,
                        row.surname_key
                    ])
                })
                .map_err(application_write_error)?;
                Ok(())
            })
            .await
    }

    async fn case(&self, id: ApplicationId) -> StoreResult<Option<Case>> {
        let id = id.to_string();
        self.db
            .read(move |conn| {
                let Some(application) = body::<Application>(
                    conn,
                    "SELECT body FROM applications WHERE id = ?1",
                    &id,
                    "reading an application",
                )?
                else {
                    return Ok(None);
                };
                Ok(Some(Case {
                    application,
                    documents: bodies(
                        conn,
                        "SELECT body FROM documents WHERE application = ?1 ORDER BY created_at, id",
                        &id,
                        "listing documents",
                    )?,
                    events: bodies(
                        conn,
                        "SELECT body FROM events WHERE application = ?1 ORDER BY at, id",
                        &id,
                        "listing events",
                    )?,
                    issued: bodies(
                        conn,
                        "SELECT body FROM issued_documents WHERE application = ?1 ORDER BY issued_at, code",
                        &id,
                        "listing issued documents",
                    )?,
                }))
            })
            .await
    }

    async fn get(&self, id: ApplicationId) -> StoreResult<Option<Application>> {
        let id = id.to_string();
        self.db
            .read(move |conn| {
                body(
                    conn,
                    "SELECT body FROM applications WHERE id = ?1",
                    &id,
                    "reading an application",
                )
            })
            .await
    }

    async fn list_for_applicant(&self, applicant: AccountId) -> StoreResult<Vec<Application>> {
        let applicant = applicant.to_string();
        self.db
            .read(move |conn| {
                bodies(
                    conn,
                    "SELECT body FROM applications WHERE applicant = ?1 ORDER BY created_at DESC, id DESC",
                    &applicant,
                    "listing applications",
                )
            })
            .await
    }

    async fn due(&self, now: DateTime<Utc>) -> StoreResult<Vec<Application>> {
        let now = ts(now);
        self.db
            .read(move |conn| {
                bodies(
                    conn,
                    "SELECT body FROM applications WHERE due_at IS NOT NULL AND due_at <= ?1 ORDER BY due_at, id",
                    &now,
                    "reading the deadlines",
                )
            })
            .await
    }

    async fn queue(
        &self,
        prefecture: &PrefectureCode,
        filter: &QueueFilter,
        after: Option<&QueueCursor>,
        limit: usize,
    ) -> StoreResult<QueuePage> {
        let prefecture = prefecture.as_str().to_string();
        // Before every instant and id: the first page.
        let (after_at, after_id) = after.map_or((String::new(), String::new()), |c| {
            (ts(c.submitted_at), c.id.to_string())
        });
        let limit = i64::try_from(limit).ctx("queue page size out of range")?;
        let by = filter.clone();
        let after_key = after.and_then(|c| c.surname_key.clone()).unwrap_or_default();
        let applications = self
            .db
            .read(move |conn| {
                let rows = match &by {
                    QueueFilter::Status(status) => {
                        let status = code(status)?;
                        conn.prepare_cached(
                            "SELECT body FROM applications
                             WHERE prefecture = ?1 AND status = ?2 AND submitted_at IS NOT NULL
                               AND (submitted_at, id) > (?3, ?4)
                             ORDER BY submitted_at, id LIMIT ?5",
                        )
                        .and_then(|mut s| {
                            s.query_map(params![prefecture, status, after_at, after_id, limit], |r| {
                                r.get::<_, String>(0)
                            })
                            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                        })
                    }
                    QueueFilter::Surname(prefix) => {
                        // Keys starting with `prefix`: from it up to the last
                        // character after it; the cursor's key and instant after that.
                        let upper = format!("{prefix}\u{10FFFF}");
                        conn.prepare_cached(
                            "SELECT body FROM applications
                             WHERE prefecture = ?1 AND submitted_at IS NOT NULL
                               AND surname_key >= ?2 AND surname_key < ?3
                               AND (surname_key, submitted_at, id) > (?4, ?5, ?6)
                             ORDER BY surname_key, submitted_at, id LIMIT ?7",
                        )
                        .and_then(|mut s| {
                            s.query_map(
                                params![prefecture, prefix, upper, after_key, after_at, after_id, limit],
                                |r| r.get::<_, String>(0),
                            )
                            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                        })
                    }
                }
                .ctx("reading the queue")?;
                rows.iter()
                    .map(|body| from_json::<Application>(body))
                    .collect::<StoreResult<Vec<_>>>()
            })
            .await?;
        let full = i64::try_from(applications.len()).is_ok_and(|n| n == limit);
        let next = if full {
            applications.last().and_then(|a| QueueCursor::of(a, filter))
        } else {
            None
        };
        Ok(QueuePage { applications, next })
    }

    async fn find_reference(
        &self,
        prefecture: &PrefectureCode,
        reference: &Reference,
    ) -> StoreResult<Option<Application>> {
        let (prefecture, reference) = (prefecture.as_str().to_string(), reference.0.clone());
        self.db
            .read(move |conn| {
                let body: Option<String> = conn
                    .prepare_cached(
                        "SELECT body FROM applications
                         WHERE prefecture = ?1 AND reference = ?2 AND submitted_at IS NOT NULL",
                    )
                    .and_then(|mut s| s.query_row(params![prefecture, reference], |r| r.get(0)).optional())
                    .ctx("finding a reference")?;
                body.as_deref().map(from_json).transpose()
            })
            .await
    }

    async fn counts(&self, prefecture: &PrefectureCode) -> StoreResult<Vec<(Status, u64)>> {
        let prefecture = prefecture.as_str().to_string();
        let rows: Vec<(String, i64)> = self
            .db
            .read(move |conn| {
                conn.prepare_cached(
                    "SELECT status, count(*) FROM applications
                     WHERE prefecture = ?1 AND submitted_at IS NOT NULL GROUP BY status",
                )
                .and_then(|mut s| {
                    s.query_map([prefecture], |r| Ok((r.get(0)?, r.get(1)?)))
                        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                })
                .ctx("counting the queue")
            })
            .await?;
        rows.into_iter()
            .map(|(status, n)| {
                let status = from_json::<Status>(&format!("\"{status}\""))?;
                Ok((status, u64::try_from(n).unwrap_or(0)))
            })
            .collect()
    }

    async fn save(&self, application: &Application, read: &Application, writes: Writes<'_>) -> StoreResult<()> {
        writes.check(application)?;
        let row = ApplicationRow::of(application)?;
        let expected = i64::try_from(read.version).ctx("application version out of range")?;
        let rows = SaveRows::of(&writes)?;
        self.db
            .write(move |conn| {
                let tx = immediate(conn)?;
                // The applicant is fixed at creation; `open` moves with the status.
                let changed = tx
                    .prepare_cached(
                        "UPDATE applications SET status = ?2, version = ?3, prefecture = ?4, submitted_at = ?5,
                             open = ?6, body = ?7, due_at = ?9, surname_key = ?10
                         WHERE id = ?1 AND version = ?8",
                    )
                    .and_then(|mut s| {
                        s.execute(params![
                            row.id,
                            row.status,
                            row.version,
                            row.prefecture,
                            row.submitted_at,
                            row.open,
                            row.body,
                            expected,
                            row.due_at,
                            row.surname_key
                        ])
                    })
                    .map_err(application_write_error)?;
                if changed == 0 {
                    return Err(StoreError::VersionConflict);
                }
                rows.insert(&tx, &row.id)?;
                // Dropping `tx` on any error above rolls everything back.
                tx.commit().ctx("saving an application")
            })
            .await
    }

    async fn documents(&self, id: ApplicationId) -> StoreResult<Vec<SupportingDocument>> {
        let id = id.to_string();
        self.db
            .read(move |conn| {
                bodies(
                    conn,
                    "SELECT body FROM documents WHERE application = ?1 ORDER BY created_at, id",
                    &id,
                    "listing documents",
                )
            })
            .await
    }

    async fn events(&self, id: ApplicationId) -> StoreResult<Vec<AuditEvent>> {
        let id = id.to_string();
        self.db
            .read(move |conn| {
                bodies(
                    conn,
                    "SELECT body FROM events WHERE application = ?1 ORDER BY at, id",
                    &id,
                    "listing events",
                )
            })
            .await
    }

    async fn stored_response(&self, key: &str) -> StoreResult<Option<StoredResponse>> {
        let key = key.to_string();
        self.db
            .read(move |conn| {
                let row: Option<(Option<String>, u16, String, String)> = conn
                    .prepare_cached("SELECT application, status, body, created_at FROM stored_responses WHERE key = ?1")
                    .and_then(|mut s| {
                        s.query_row([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                            .optional()
                    })
                    .ctx("reading a stored response")?;
                row.map(|(application, status, body, created_at)| {
                    // A row kept from before the column: about no application.
                    let application = application
                        .and_then(|a| uuid::Uuid::parse_str(&a).ok())
                        .unwrap_or_default();
                    Ok(StoredResponse {
                        key,
                        application: ApplicationId(application),
                        status,
                        body,
                        created_at: parse_ts(&created_at)?,
                    })
                })
                .transpose()
            })
            .await
    }

    async fn issued(&self, code: &VerificationCode) -> StoreResult<Option<IssuedDocument>> {
        let code = code.as_str().to_string();
        self.db
            .read(move |conn| {
                body(
                    conn,
                    "SELECT body FROM issued_documents WHERE code = ?1",
                    &code,
                    "reading an issued document",
                )
            })
            .await
    }

    async fn issued_for(&self, id: ApplicationId) -> StoreResult<Vec<IssuedDocument>> {
        let id = id.to_string();
        self.db
            .read(move |conn| {
                bodies(
                    conn,
                    "SELECT body FROM issued_documents WHERE application = ?1 ORDER BY issued_at, code",
                    &id,
                    "listing issued documents",
                )
            })
            .await
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::Duration;
    use rusqlite::Connection;

    use super::*;
    use crate::adapters::local::db::MIGRATIONS;

    /// A draft with the fields a store must keep; shared with the AWS adapter's tests.
    pub(crate) fn draft() -> Application {
        use crate::domain::civil_status::{CivilStatus, CountryCode, Sex};
        use crate::domain::state_record::{DocumentNumber, RecordKey, RecordKind};
        let at = DateTime::parse_from_rfc3339("2026-09-01T09:00:00Z").unwrap().to_utc();
        Application {
            id: ApplicationId(uuid::Uuid::now_v7()),
            reference: crate::domain::application::Reference("SEJ-2026-7F3K9Q2M".into()),
            applicant: AccountId(uuid::Uuid::now_v7()),
            status: crate::domain::application::lifecycle::Status::Draft,
            version: 1,
            reason: crate::domain::application::ReasonForStay::Studies,
            procedure: crate::domain::eligibility::Procedure::Renewal,
            late_fee_eur: None,
            record: RecordKey {
                kind: RecordKind::Permit,
                number: DocumentNumber::parse("P1234567").unwrap(),
            },
            civil_status: CivilStatus {
                surname: "Diallo".into(),
                given_names: "Awa".into(),
                sex: Sex::F,
                birth_date: chrono::NaiveDate::from_ymd_opt(2003, 4, 5).unwrap(),
                birth_place: "Dakar".into(),
                birth_country: CountryCode::parse("SEN").unwrap(),
                nationality: CountryCode::parse("SEN").unwrap(),
            },
            foreigner_number: None,
            personal: Default::default(),
            studies: Default::default(),
            resources: Default::default(),
            ephoto_code: None,
            validated: Vec::new(),
            comment: None,
            prefecture: Some(crate::domain::prefecture::PrefectureCode::parse("2A").unwrap()),
            assigned_agent: None,
            complements: Vec::new(),
            card: None,
            messages: Vec::new(),
            decision: None,
            current_title: None,
            extended_until: None,
            created_at: at,
            updated_at: at,
            submitted_at: None,
        }
    }

    fn temp_db() -> std::path::PathBuf {
        std::env::temp_dir().join(format!("sejour-applications-{}.db", uuid::Uuid::new_v4()))
    }

    /// What DynamoDB's TTL does to stored responses, the local runtime does when it opens.
    #[tokio::test]
    async fn stored_responses_are_forgotten_after_their_retention() {
        let path = temp_db();
        let store = SqliteApplications::new(Db::open(&path).unwrap());
        let app = draft();
        store.create(&app).await.unwrap();
        let response = StoredResponse {
            key: "account:key".into(),
            application: app.id,
            status: 201,
            body: "{}".into(),
            created_at: app.created_at,
        };
        let mut saved = app.clone();
        saved.version = 2;
        let writes = Writes {
            idempotency: Some(&response),
            ..Writes::default()
        };
        store.save(&saved, &app, writes).await.unwrap();

        let now = response.created_at + StoredResponse::RETENTION - Duration::seconds(1);
        assert_eq!(store.purge_expired(now).await.unwrap(), 0);
        assert_eq!(store.stored_response("account:key").await.unwrap(), Some(response));
        assert_eq!(store.purge_expired(now + Duration::seconds(1)).await.unwrap(), 1);
        assert_eq!(store.stored_response("account:key").await.unwrap(), None);
        drop(store);
        let _ = std::fs::remove_file(&path);
    }

    /// A database of the first release gains the application tables and keeps its data.
    #[tokio::test]
    async fn a_first_release_database_is_upgraded() {
        let path = temp_db();
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch("PRAGMA user_version = 1").unwrap();
        conn.execute(
            "INSERT INTO state_records (kind, number, body) VALUES ('permit', 'P1', '{}')",
            [],
        )
        .unwrap();
        drop(conn);

        let db = Db::open(&path).unwrap();
        assert_eq!(db.schema_version().unwrap() as usize, MIGRATIONS.len());
        let kept: i64 = db
            .read(|conn| {
                conn.query_row("SELECT count(*) FROM state_records", [], |r| r.get(0))
                    .ctx("counting")
            })
            .await
            .unwrap();
        assert_eq!(kept, 1);
        let store = SqliteApplications::new(db);
        let app = draft();
        store.create(&app).await.unwrap();
        assert_eq!(store.get(app.id).await.unwrap(), Some(app));
        drop(store);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn the_last_change_of_each_document_counts() {
        use crate::domain::application::DocumentId;
        let (a, b) = (DocumentId(uuid::Uuid::now_v7()), DocumentId(uuid::Uuid::now_v7()));
        let changes = [
            DocumentChange::Delete(a),
            DocumentChange::Delete(b),
            DocumentChange::Delete(a),
        ];
        let writes = Writes {
            documents: &changes,
            ..Writes::default()
        };
        assert_eq!(
            writes.last_change_per_document(),
            vec![&DocumentChange::Delete(b), &DocumentChange::Delete(a)]
        );
    }

    #[test]
    fn saves_too_large_for_one_atomic_write_are_refused() {
        let app = draft();
        let event = |i: i64| AuditEvent {
            id: uuid::Uuid::now_v7(),
            application: app.id,
            at: app.created_at + Duration::seconds(i),
            actor: crate::domain::application::Actor::System,
            action: crate::domain::application::lifecycle::Action::Submit,
            from: app.status,
            to: app.status,
        };
        let fits: Vec<_> = (0..97).map(event).collect();
        let writes = Writes {
            events: &fits,
            ..Writes::default()
        };
        assert_eq!(writes.items(), 100);
        assert!(writes.check(&app).is_ok());
        let too_many: Vec<_> = (0..98).map(event).collect();
        let writes = Writes {
            events: &too_many,
            ..Writes::default()
        };
        assert!(writes.check(&app).is_err());

        let mut foreign = event(0);
        foreign.application = ApplicationId(uuid::Uuid::now_v7());
        let writes = Writes {
            events: std::slice::from_ref(&foreign),
            ..Writes::default()
        };
        assert!(writes.check(&app).is_err());
    }
}
