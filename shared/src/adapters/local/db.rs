//! The SQLite database of the embedded mode: opening, schema migrations, and
//! running blocking SQLite work off the async runtime.
//!
//! One writer connection (behind a mutex: SQLite has one writer at a time
//! anyway) and a small pool of read-only connections, which WAL lets read
//! while the writer writes. Every call runs on tokio's blocking pool.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, ErrorCode, TransactionBehavior};
use tokio::sync::Semaphore;

use crate::ports::{StoreError, StoreResult};

/// How long a statement waits for another process's lock (e.g. `sejour
/// import` while `sejour serve` runs) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Read connections open at most: each holds three file descriptors, and
/// more readers than cores gain nothing.
const MAX_READERS: usize = 4;

/// Schema versions, applied in order; `PRAGMA user_version` counts those
/// applied. Never edit a released entry: append a new one.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the access patterns of DESIGN.md "Data", one table per item kind.
    r#"
    -- An account, its unique email and its unique state record ("permit#NUMBER").
    CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        record_key TEXT UNIQUE,
        version INTEGER NOT NULL,
        body TEXT NOT NULL
    ) STRICT;

    -- The account's notifications, listed newest first.
    CREATE TABLE notifications (
        account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        read_at TEXT,
        PRIMARY KEY (account_id, id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX notifications_by_date ON notifications (account_id, created_at);

    -- Visas and residence permits by kind and number (F28).
    CREATE TABLE state_records (
        kind TEXT NOT NULL,
        number TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (kind, number)
    ) STRICT, WITHOUT ROWID;

    -- `expires_at`, `keep_until`: the DynamoDB TTL attributes; rows past
    -- them are purged when the runtime opens.
    CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE one_time_tokens (
        hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        body TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE login_attempts (
        key TEXT PRIMARY KEY,
        keep_until TEXT NOT NULL,
        body TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    "#,
    // 2: filing the application (issue 3): applications with their documents,
    // history, idempotent responses and issued documents.
    r#"
    -- `open` is 1 while the status is not final: the partial unique index
    -- lets an applicant have one open application at most.
    CREATE TABLE applications (
        id TEXT PRIMARY KEY,
        applicant TEXT NOT NULL,
        status TEXT NOT NULL,
        version INTEGER NOT NULL,
        prefecture TEXT,
        submitted_at TEXT,
        created_at TEXT NOT NULL,
        open INTEGER NOT NULL CHECK (open IN (0, 1)),
        body TEXT NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX applications_one_open ON applications (applicant) WHERE open = 1;
    CREATE INDEX applications_by_applicant ON applications (applicant, created_at);
    -- The agents' queue: cases by préfecture and status, by submission date (DynamoDB gsi1).
    CREATE INDEX applications_by_prefecture ON applications (prefecture, status, submitted_at, id)
        WHERE prefecture IS NOT NULL AND submitted_at IS NOT NULL;

    CREATE TABLE documents (
        application TEXT NOT NULL REFERENCES applications (id),
        id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (application, id)
    ) STRICT, WITHOUT ROWID;

    -- The audit trail, listed oldest first.
    CREATE TABLE events (
        application TEXT NOT NULL REFERENCES applications (id),
        id TEXT NOT NULL,
        at TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (application, id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX events_by_date ON events (application, at);

    -- Answers kept for an Idempotency-Key; `expires_at` is DynamoDB's TTL.
    CREATE TABLE stored_responses (
        key TEXT PRIMARY KEY,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    -- Receipts and attestations by their public verification code (B1).
    CREATE TABLE issued_documents (
        code TEXT PRIMARY KEY,
        application TEXT NOT NULL REFERENCES applications (id),
        issued_at TEXT NOT NULL,
        body TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX issued_by_application ON issued_documents (application, issued_at);
    "#,
    // 3: attempts of every throttled kind (logins, reset emails,
    // activations), replaced only at the version read (issue 6).
    r#"
    DROP TABLE login_attempts;
    CREATE TABLE attempts (
        key TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        keep_until TEXT NOT NULL,
        body TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    "#,
    // 4: the next deadline of each case, for the deadlines job (issue 7).
    r#"
    ALTER TABLE applications ADD COLUMN due_at TEXT;
    CREATE INDEX applications_by_deadline ON applications (due_at) WHERE due_at IS NOT NULL;
    "#,
    // 5: the agents' search by reference and by surname (DynamoDB gsi3, gsi4). Rows
    // written before are keyed from their body; the next save keys them as the service does.
    r#"
    ALTER TABLE applications ADD COLUMN reference TEXT;
    ALTER TABLE applications ADD COLUMN surname_key TEXT;
    UPDATE applications SET reference = json_extract(body, '$.reference'),
        surname_key = lower(json_extract(body, '$.civil_status.surname'));
    CREATE INDEX applications_by_reference ON applications (prefecture, reference)
        WHERE prefecture IS NOT NULL AND submitted_at IS NOT NULL;
    CREATE INDEX applications_by_surname ON applications (prefecture, surname_key, submitted_at, id)
        WHERE prefecture IS NOT NULL AND submitted_at IS NOT NULL;
    "#,
    // 6: the application a kept answer is about, in its own column.
    r#"
    ALTER TABLE stored_responses ADD COLUMN application TEXT;
    UPDATE stored_responses SET application = json_extract(body, '$.application.id');
    "#,
];

/// The database: cheap to clone, shared by every local adapter.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// One permit per read connection in use.
    reading: Arc<Semaphore>,
}

impl Db {
    /// Open (or create) the database at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> anyhow::Result<Db> {
        let mut writer = Connection::open(path).with_context(|| format!("opening {}", path.display()))?;
        writer.busy_timeout(BUSY_TIMEOUT)?;
        // WAL: readers do not block the writer nor the writer readers; it
        // persists in the file. NORMAL is durable enough with WAL (a power
        // cut may lose the last commits, never corrupt).
        let mode: String = writer.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        anyhow::ensure!(
            mode.eq_ignore_ascii_case("wal"),
            "cannot use WAL journal mode (got {mode})"
        );
        writer.pragma_update(None, "synchronous", "NORMAL")?;
        writer.pragma_update(None, "foreign_keys", true)?;
        migrate(&mut writer).with_context(|| format!("migrating {}", path.display()))?;
        Ok(Db {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                reading: Arc::new(Semaphore::new(MAX_READERS)),
            }),
        })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> anyhow::Result<u32> {
        Ok(lock(&self.inner.writer).query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Run `f` on a read-only connection, on the blocking pool.
    pub async fn read<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        // Held until the blocking work ends, even if this future is dropped.
        let permit = inner.reading.clone().acquire_owned().await;
        blocking(move || {
            let _permit = permit;
            let conn = inner.take_reader()?;
            let result = f(&conn);
            inner.give_back(conn);
            result
        })
        .await
    }

    /// Run `f` with the writer connection, on the blocking pool. Writes that
    /// must be atomic open a transaction with [`immediate`].
    pub async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
    {
        let inner = self.inner.clone();
        blocking(move || f(&mut lock(&inner.writer))).await
    }
}

impl Inner {
    fn take_reader(&self) -> StoreResult<Connection> {
        if let Some(conn) = lock(&self.readers).pop() {
            return Ok(conn);
        }
        let open = || -> rusqlite::Result<Connection> {
            let conn = Connection::open(&self.path)?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.pragma_update(None, "query_only", true)?;
            Ok(conn)
        };
        open().ctx("opening a read connection")
    }

    fn give_back(&self, conn: Connection) {
        let mut idle = lock(&self.readers);
        if idle.len() < MAX_READERS {
            idle.push(conn);
        }
    }
}

/// A panic while a connection was held rolled its transaction back (the
/// `Transaction` guard does so on drop): the connection is still sound.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> StoreResult<T> + Send + 'static) -> StoreResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::Unavailable(anyhow::anyhow!("database task failed: {e}")))?
}

/// A write transaction that takes the write lock at once, so that a read
/// inside it can never be outdated by another process's write.
pub fn immediate(conn: &mut Connection) -> StoreResult<rusqlite::Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .ctx("starting a transaction")
}

fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    // Inside the write lock: two processes opening a new database at once
    // cannot both migrate it.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: usize = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    anyhow::ensure!(
        current <= MIGRATIONS.len(),
        "the database has schema version {current}, newer than this program knows ({}): upgrade sejour",
        MIGRATIONS.len()
    );
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        tx.execute_batch(sql)
            .with_context(|| format!("schema migration {}", i + 1))?;
    }
    // PRAGMA takes no bound parameters; the value is our own integer.
    tx.execute_batch(&format!("PRAGMA user_version = {}", MIGRATIONS.len()))?;
    tx.commit()?;
    Ok(())
}

/// Turns SQLite (and JSON) errors into `StoreError::Unavailable` with what was being done.
pub trait Ctx<T> {
    fn ctx(self, what: &'static str) -> StoreResult<T>;
}

impl<T, E> Ctx<T> for Result<T, E>
where
    E: std::error::Error + Send + Sync + 'static,
{
    fn ctx(self, what: &'static str) -> StoreResult<T> {
        self.map_err(|e| StoreError::Unavailable(anyhow::Error::new(e).context(what)))
    }
}

/// The column a UNIQUE constraint failed on (`"accounts.email"`), if that is the error.
pub fn unique_violation(e: &rusqlite::Error) -> Option<&str> {
    match e {
        rusqlite::Error::SqliteFailure(f, Some(message)) if f.code == ErrorCode::ConstraintViolation => {
            message.strip_prefix("UNIQUE constraint failed: ")
        }
        _ => None,
    }
}

/// Instants as fixed-width RFC 3339 text: exact, readable, and sorted as text.
pub fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

pub fn parse_ts(text: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .ctx("reading a stored instant")
}
