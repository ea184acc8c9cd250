//! The state ports on SQLite: accounts, notifications, state records,
//! sessions, one-time tokens and throttled attempts.
//!
//! Domain values are stored as their serde JSON in a `body` column; the
//! columns beside it are the keys and the attributes that are looked up,
//! constrained or sorted on, as the DynamoDB items are.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::db::{Ctx, Db, immediate, parse_ts, ts, unique_violation};
use crate::domain::account::{Account, AccountId};
use crate::domain::contact::Email;
use crate::domain::notification::{Notification, NotificationId, NotificationKind};
use crate::domain::session::{ABSOLUTE_TIMEOUT, Session, TokenHash};
use crate::domain::state_record::{RecordKey, StateRecord};
use crate::domain::throttle::Attempts;
use crate::domain::token::OneTimeToken;
use crate::ports::{Accounts, Notifications, OneTimeTokens, Sessions, StateRecords, StoreError, StoreResult, Throttle};

/// Every state port of the embedded mode, over one database.
#[derive(Clone)]
pub struct SqliteStore {
    db: Db,
}

impl SqliteStore {
    pub fn new(db: Db) -> Self {
        SqliteStore { db }
    }

    /// Delete what DynamoDB's TTL would have deleted by `now`: ended
    /// sessions, expired tokens, forgotten login failures.
    pub async fn purge_expired(&self, now: DateTime<Utc>) -> StoreResult<usize> {
        let now = ts(now);
        self.db
            .write(move |conn| {
                let tx = immediate(conn)?;
                let mut purged = 0;
                for sql in [
                    "DELETE FROM sessions WHERE expires_at <= ?1",
                    "DELETE FROM one_time_tokens WHERE expires_at <= ?1",
                    "DELETE FROM attempts WHERE keep_until <= ?1",
                ] {
                    purged += tx.execute(sql, [&now]).ctx("purging expired items")?;
                }
                tx.commit().ctx("purging expired items")?;
                Ok(purged)
            })
            .await
    }
}

pub(super) fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).ctx("encoding a stored item")
}

pub(super) fn from_json<T: DeserializeOwned>(json: &str) -> StoreResult<T> {
    serde_json::from_str(json).ctx("decoding a stored item")
}

fn record_key(key: &RecordKey) -> String {
    format!("{}#{}", key.kind.as_str(), key.number.as_str())
}

/// The columns of one account row, computed before going to the blocking pool.
struct AccountRow {
    id: String,
    email: String,
    record_key: Option<String>,
    version: i64,
    body: String,
}

impl AccountRow {
    fn of(account: &Account) -> StoreResult<Self> {
        Ok(AccountRow {
            id: account.id.to_string(),
            email: account.email.as_str().to_string(),
            record_key: account.record.as_ref().map(record_key),
            version: i64::try_from(account.version).ctx("account version out of range")?,
            body: to_json(account)?,
        })
    }
}

/// The control-flow meaning of a failed account write.
fn account_write_error(e: rusqlite::Error) -> StoreError {
    match unique_violation(&e) {
        Some("accounts.email") => StoreError::EmailTaken,
        Some("accounts.record_key") => StoreError::RecordLinked,
        _ => StoreError::Unavailable(anyhow::Error::new(e).context("writing an account")),
    }
}

fn kind_text(kind: NotificationKind) -> StoreResult<String> {
    match serde_json::to_value(kind).ctx("encoding a notification kind")? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(StoreError::Unavailable(anyhow::anyhow!(
            "unexpected notification kind {other}"
        ))),
    }
}

/// The columns of one notification row.
pub(super) struct NotificationRow {
    account_id: String,
    id: String,
    kind: String,
    created_at: String,
    read_at: Option<String>,
}

impl NotificationRow {
    pub(super) fn of(n: &Notification) -> StoreResult<Self> {
        Ok(NotificationRow {
            account_id: n.account_id.to_string(),
            id: n.id.0.to_string(),
            kind: kind_text(n.kind)?,
            created_at: ts(n.created_at),
            read_at: n.read_at.map(ts),
        })
    }

    pub(super) fn insert(&self, tx: &Transaction<'_>) -> StoreResult<()> {
        tx.prepare_cached(
            "INSERT INTO notifications (account_id, id, kind, created_at, read_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut s| {
            s.execute(params![
                self.account_id,
                self.id,
                self.kind,
                self.created_at,
                self.read_at
            ])
        })
        .ctx("writing a notification")?;
        Ok(())
    }
}

#[async_trait]
impl Accounts for SqliteStore {
    async fn create(&self, account: &Account, notification: Option<&Notification>) -> StoreResult<()> {
        let row = AccountRow::of(account)?;
        let note = notification.map(NotificationRow::of).transpose()?;
        self.db
            .write(move |conn| {
                let tx = immediate(conn)?;
                tx.prepare_cached(
                    "INSERT INTO accounts (id, email, record_key, version, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .and_then(|mut s| s.execute(params![row.id, row.email, row.record_key, row.version, row.body]))
                .map_err(account_write_error)?;
                if let Some(note) = note {
                    note.insert(&tx)?;
                }
                // Dropping `tx` on any error above rolls everything back.
                tx.commit().ctx("writing an account")
            })
            .await
    }

    async fn get(&self, id: AccountId) -> StoreResult<Option<Account>> {
        let id = id.to_string();
        self.db
            .read(move |conn| {
                let body: Option<String> = conn
                    .prepare_cached("SELECT body FROM accounts WHERE id = ?1")
                    .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
                    .ctx("reading an account")?;
                body.as_deref().map(from_json).transpose()
            })
            .await
    }

    async fn find_by_email(&self, email: &Email) -> StoreResult<Option<Account>> {
        let email = email.as_str().to_string();
        self.db
            .read(move |conn| {
                let body: Option<String> = conn
                    .prepare_cached("SELECT body FROM accounts WHERE email = ?1")
                    .and_then(|mut s| s.query_row([email], |r| r.get(0)).optional())
                    .ctx("reading an account")?;
                body.as_deref().map(from_json).transpose()
            })
            .await
    }

    async fn update(
        &self,
        account: &Account,
        expected_version: u64,
        notification: Option<&Notification>,
    ) -> StoreResult<()> {
        let row = AccountRow::of(account)?;
        let expected = i64::try_from(expected_version).ctx("account version out of range")?;
        let note = notification.map(NotificationRow::of).transpose()?;
        self.db
            .write(move |conn| {
                let tx = immediate(conn)?;
                // The email and record columns are the reservations: the
                // UNIQUE constraints move them with the row, or refuse.
                let changed = tx
                    .prepare_cached(
                        "UPDATE accounts SET email = ?2, record_key = ?3, version = ?4, body = ?5
                         WHERE id = ?1 AND version = ?6",
                    )
                    .and_then(|mut s| {
                        s.execute(params![
                            row.id,
                            row.email,
                            row.record_key,
                            row.version,
                            row.body,
                            expected
                        ])
                    })
                    .map_err(account_write_error)?;
                if changed == 0 {
                    return Err(StoreError::VersionConflict);
                }
                if let Some(note) = note {
                    note.insert(&tx)?;
                }
                tx.commit().ctx("writing an account")
            })
            .await
    }
}

#[async_trait]
impl Notifications for SqliteStore {
    async fn list(&self, account: AccountId) -> StoreResult<Vec<Notification>> {
        let account_id = account.to_string();
        self.db
            .read(move |conn| {
                let mut stmt = conn
                    .prepare_cached(
                        "SELECT id, kind, created_at, read_at FROM notifications
                         WHERE account_id = ?1 ORDER BY created_at DESC, id DESC",
                    )
                    .ctx("listing notifications")?;
                let rows = stmt
                    .query_map([&account_id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, Option<String>>(3)?,
                        ))
                    })
                    .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                    .ctx("listing notifications")?;
                rows.into_iter()
                    .map(|(id, kind, created_at, read_at)| {
                        Ok(Notification {
                            id: NotificationId(Uuid::parse_str(&id).ctx("reading a notification id")?),
                            account_id: account,
                            kind: serde_json::from_value(serde_json::Value::String(kind))
                                .ctx("reading a notification kind")?,
                            created_at: parse_ts(&created_at)?,
                            read_at: read_at.as_deref().map(parse_ts).transpose()?,
                        })
                    })
                    .collect()
            })
            .await
    }

    async fn mark_read(&self, account: AccountId, id: NotificationId, at: DateTime<Utc>) -> StoreResult<bool> {
        let (account, id, at) = (account.to_string(), id.0.to_string(), ts(at));
        self.db
            .write(move |conn| {
                let changed = conn
                    .prepare_cached("UPDATE notifications SET read_at = ?3 WHERE account_id = ?1 AND id = ?2")
                    .and_then(|mut s| s.execute(params![account, id, at]))
                    .ctx("marking a notification read")?;
                Ok(changed > 0)
            })
            .await
    }
}

#[async_trait]
impl StateRecords for SqliteStore {
    async fn get(&self, key: &RecordKey) -> StoreResult<Option<StateRecord>> {
        let (kind, number) = (key.kind.as_str(), key.number.as_str().to_string());
        self.db
            .read(move |conn| {
                let body: Option<String> = conn
                    .prepare_cached("SELECT body FROM state_records WHERE kind = ?1 AND number = ?2")
                    .and_then(|mut s| s.query_row(params![kind, number], |r| r.get(0)).optional())
                    .ctx("reading a state record")?;
                body.as_deref().map(from_json).transpose()
            })
            .await
    }

    /// One transaction and one prepared statement per call: an import of
    /// many batches costs one commit (one WAL sync) per batch.
    async fn put_many(&self, records: &[StateRecord]) -> StoreResult<()> {
        if records.is_empty() {
            return Ok(());
        }
        let records = records.to_vec();
        self.db
            .write(move |conn| {
                let tx = immediate(conn)?;
                {
                    let mut upsert = tx
                        .prepare_cached(
                            "INSERT INTO state_records (kind, number, body) VALUES (?1, ?2, ?3)
                             ON CONFLICT (kind, number) DO UPDATE SET body = excluded.body",
                        )
                        .ctx("importing state records")?;
                    for record in &records {
                        upsert
                            .execute(params![record.kind.as_str(), record.number.as_str(), to_json(record)?])
                            .ctx("importing state records")?;
                    }
                }
                tx.commit().ctx("importing state records")
            })
            .await
    }
}

#[async_trait]
impl Sessions for SqliteStore {
    async fn create(&self, session: &Session) -> StoreResult<()> {
        let s = session.clone();
        self.db
            .write(move |conn| {
                conn.prepare_cached(
                    "INSERT INTO sessions (hash, account_id, created_at, last_seen_at, expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .and_then(|mut st| {
                    st.execute(params![
                        s.token_hash.as_str(),
                        s.account_id.to_string(),
                        ts(s.created_at),
                        ts(s.last_seen_at),
                        // A session can never outlive its absolute timeout.
                        ts(s.created_at + ABSOLUTE_TIMEOUT),
                    ])
                })
                .ctx("creating a session")?;
                Ok(())
            })
            .await
    }

    async fn get(&self, hash: &TokenHash) -> StoreResult<Option<Session>> {
        let hash = hash.clone();
        self.db
            .read(move |conn| {
                let row: Option<(String, String, String)> = conn
                    .prepare_cached("SELECT account_id, created_at, last_seen_at FROM sessions WHERE hash = ?1")
                    .and_then(|mut s| {
                        s.query_row([hash.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                            .optional()
                    })
                    .ctx("reading a session")?;
                let Some((account_id, created_at, last_seen_at)) = row else {
                    return Ok(None);
                };
                Ok(Some(Session {
                    token_hash: hash,
                    account_id: AccountId(Uuid::parse_str(&account_id).ctx("reading a session")?),
                    created_at: parse_ts(&created_at)?,
                    last_seen_at: parse_ts(&last_seen_at)?,
                }))
            })
            .await
    }

    async fn touch(&self, hash: &TokenHash, at: DateTime<Utc>) -> StoreResult<()> {
        let (hash, at) = (hash.as_str().to_string(), ts(at));
        self.db
            .write(move |conn| {
                conn.prepare_cached("UPDATE sessions SET last_seen_at = ?2 WHERE hash = ?1")
                    .and_then(|mut s| s.execute([hash, at]))
                    .ctx("touching a session")?;
                Ok(())
            })
            .await
    }

    async fn delete(&self, hash: &TokenHash) -> StoreResult<()> {
        let hash = hash.as_str().to_string();
        self.db
            .write(move |conn| {
                conn.prepare_cached("DELETE FROM sessions WHERE hash = ?1")
                    .and_then(|mut s| s.execute([hash]))
                    .ctx("deleting a session")?;
                Ok(())
            })
            .await
    }
}

#[async_trait]
impl OneTimeTokens for SqliteStore {
    async fn put(&self, token: &OneTimeToken) -> StoreResult<()> {
        let (hash, account_id, expires_at, body) = (
            token.hash.as_str().to_string(),
            token.account_id.to_string(),
            ts(token.expires_at),
            to_json(token)?,
        );
        self.db
            .write(move |conn| {
                conn.prepare_cached(
                    "INSERT INTO one_time_tokens (hash, account_id, expires_at, body) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (hash) DO UPDATE SET account_id = excluded.account_id,
                         expires_at = excluded.expires_at, body = excluded.body",
                )
                .and_then(|mut s| s.execute([hash, account_id, expires_at, body]))
                .ctx("storing a token")?;
                Ok(())
            })
            .await
    }

    /// One statement deletes and returns: of two concurrent takers, the
    /// second finds nothing to delete.
    async fn take(&self, hash: &TokenHash) -> StoreResult<Option<OneTimeToken>> {
        let hash = hash.as_str().to_string();
        self.db
            .write(move |conn| {
                let body: Option<String> = conn
                    .prepare_cached("DELETE FROM one_time_tokens WHERE hash = ?1 RETURNING body")
                    .and_then(|mut s| s.query_row([hash], |r| r.get(0)).optional())
                    .ctx("taking a token")?;
                body.as_deref().map(from_json).transpose()
            })
            .await
    }
}

#[async_trait]
impl Throttle for SqliteStore {
    async fn get(&self, key: &str) -> StoreResult<Attempts> {
        let key = key.to_string();
        self.db
            .read(move |conn| {
                let body: Option<String> = conn
                    .prepare_cached("SELECT body FROM attempts WHERE key = ?1")
                    .and_then(|mut s| s.query_row([key], |r| r.get(0)).optional())
                    .ctx("reading attempts")?;
                Ok(body.as_deref().map(from_json).transpose()?.unwrap_or_default())
            })
            .await
    }

    /// One statement either way: an insert that does nothing if a record
    /// appeared meanwhile, or an update of the version read.
    async fn replace(&self, key: &str, expected_version: u64, next: &Attempts) -> StoreResult<bool> {
        let (key, keep_until, body) = (key.to_string(), ts(next.keep_until()), to_json(next)?);
        let (expected, version) = (version_column(expected_version)?, version_column(next.version)?);
        self.db
            .write(move |conn| {
                let sql = if expected == 0 {
                    "INSERT INTO attempts (key, version, keep_until, body) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (key) DO NOTHING"
                } else {
                    "UPDATE attempts SET version = ?2, keep_until = ?3, body = ?4 WHERE key = ?1 AND version = ?5"
                };
                let mut statement = conn.prepare_cached(sql).ctx("counting an attempt")?;
                let changed = if expected == 0 {
                    statement.execute(params![key, version, keep_until, body])
                } else {
                    statement.execute(params![key, version, keep_until, body, expected])
                }
                .ctx("counting an attempt")?;
                Ok(changed == 1)
            })
            .await
    }

    async fn clear(&self, key: &str) -> StoreResult<()> {
        let key = key.to_string();
        self.db
            .write(move |conn| {
                conn.prepare_cached("DELETE FROM attempts WHERE key = ?1")
                    .and_then(|mut s| s.execute([key]))
                    .ctx("clearing attempts")?;
                Ok(())
            })
            .await
    }
}

fn version_column(version: u64) -> StoreResult<i64> {
    i64::try_from(version).ctx("a version beyond SQLite integers")
}
