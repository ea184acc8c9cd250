//! Local adapters for the embedded mode: SQLite for state, `.eml` files in
//! an outbox folder for email, an in-process queue between them.
//!
//! Layout of a data folder:
//! - `sejour.db` (+ `-wal`, `-shm`): the SQLite database;
//! - `outbox/<mail id>.eml`: one file per email sent;
//! - `outbox/failed/<mail id>.json`: queued emails that could not be written;
//! - `documents/<key>`: uploaded and generated documents, `storage.key`: the
//!   secret signing their URLs ([`storage`]).

pub(crate) mod applications;
mod db;
pub mod outbox;
pub mod queue;
pub mod storage;
mod store;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;

pub use self::applications::SqliteApplications;
pub use self::outbox::OutboxMailer;
pub use self::queue::{LocalMailQueue, RetryPolicy};
pub use self::storage::{LocalStorage, storage_router};
pub use self::store::SqliteStore;
use crate::adapters::OsRandom;
use crate::adapters::ephoto::DemoEphoto;
use crate::config::Config;
use crate::ports::{Clock, Mailer};
use crate::service::{App, Ports};

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "sejour.db";
/// The outbox folder inside the data folder.
pub const OUTBOX_DIR: &str = "outbox";

/// A running local runtime: the `App` plus what keeps its background work alive.
pub struct LocalRuntime {
    pub app: App,
    /// Delivers queued emails into `DATA_DIR/outbox/`.
    pub mailer: Arc<dyn Mailer>,
    /// The documents folder; serve [`LocalRuntime::storage_router`] at `public_url`.
    pub storage: Arc<LocalStorage>,
    queue: LocalMailQueue,
}

impl LocalRuntime {
    /// Open (or create) the state in `data_dir` (SQLite database `sejour.db`,
    /// `outbox/`), start the in-process mail queue worker, and build the `App`.
    /// `clock` is the system clock, or a manual one in tests.
    pub async fn open(data_dir: &Path, config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<LocalRuntime> {
        let outbox = data_dir.join(OUTBOX_DIR);
        tokio::fs::create_dir_all(&outbox)
            .await
            .with_context(|| format!("creating {}", outbox.display()))?;
        let path = data_dir.join(DATABASE_FILE);
        let db = tokio::task::spawn_blocking(move || db::Db::open(&path)).await??;
        let store = Arc::new(SqliteStore::new(db.clone()));
        store
            .purge_expired(clock.now())
            .await
            .context("purging expired items")?;
        let applications = Arc::new(SqliteApplications::new(db));
        applications
            .purge_expired(clock.now())
            .await
            .context("purging stored responses")?;

        let mailer: Arc<dyn Mailer> = Arc::new(OutboxMailer::new(&outbox, &config.mail_from, clock.clone())?);
        let queue = LocalMailQueue::start(mailer.clone(), outbox.join("failed"), RetryPolicy::default());
        let storage = Arc::new(LocalStorage::open(data_dir, &config, clock.clone())?);
        let ports = Ports {
            accounts: store.clone(),
            records: store.clone(),
            sessions: store.clone(),
            tokens: store.clone(),
            throttle: store.clone(),
            notifications: store,
            applications,
            mail: Arc::new(queue.clone()),
            storage: storage.clone(),
            ephoto: Arc::new(DemoEphoto::shipped()),
            clock,
            random: Arc::new(OsRandom),
        };
        Ok(LocalRuntime {
            app: App::new(ports, config),
            mailer,
            storage,
            queue,
        })
    }

    /// `PUT`/`GET /storage/{*key}`: the signed upload and download URLs of
    /// the documents, to merge into the server whose address is `public_url`.
    pub fn storage_router(&self) -> axum::Router {
        storage_router(self.storage.clone())
    }

    /// Wait until every queued email has been written to the outbox (tests, shutdown).
    pub async fn flush_mail(&self) {
        self.queue.flush().await;
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, Utc};
    use uuid::Uuid;

    use super::*;
    use crate::adapters::ManualClock;
    use crate::domain::account::{Account, AccountId, Language, Role};
    use crate::domain::contact::Email;
    use crate::domain::session::{Session, TokenHash};
    use crate::domain::throttle::{Attempts, LOGIN};
    use crate::domain::token::{OneTimeToken, Purpose};

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-09-01T09:00:00Z").unwrap().to_utc()
    }

    fn temp_dir() -> std::path::PathBuf {
        std::env::temp_dir().join(format!("sejour-local-{}", Uuid::new_v4()))
    }

    async fn open(dir: &Path, clock: &Arc<ManualClock>) -> LocalRuntime {
        LocalRuntime::open(dir, Config::local("http://127.0.0.1:9"), clock.clone())
            .await
            .unwrap()
    }

    fn account() -> Account {
        Account {
            id: AccountId(Uuid::now_v7()),
            role: Role::Applicant,
            email: Email::parse("awa.diallo@example.org").unwrap(),
            email_verified: true,
            pending_email: None,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            record: None,
            civil_status: None,
            foreigner_number: None,
            provisional: false,
            display_name: "Awa DIALLO".into(),
            address: None,
            phone: None,
            language: Language::En,
            created_at: t0(),
            sessions_valid_after: t0(),
            version: 1,
        }
    }

    #[tokio::test]
    async fn reopening_keeps_the_data_and_migrates_once() {
        let dir = temp_dir();
        let clock = Arc::new(ManualClock::new(t0()));
        let first = open(&dir, &clock).await;
        let a = account();
        first.app.ports.accounts.create(&a, None).await.unwrap();
        drop(first);

        let again = open(&dir, &clock).await;
        assert_eq!(again.app.ports.accounts.get(a.id).await.unwrap(), Some(a));
        let version = db::Db::open(&dir.join(DATABASE_FILE))
            .unwrap()
            .schema_version()
            .unwrap();
        assert_eq!(version as usize, db::MIGRATIONS.len());
        drop(again);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_database_from_a_newer_program_is_refused() {
        let dir = temp_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let conn = rusqlite::Connection::open(dir.join(DATABASE_FILE)).unwrap();
        conn.execute_batch("PRAGMA user_version = 999").unwrap();
        drop(conn);
        let clock = Arc::new(ManualClock::new(t0()));
        let refused = LocalRuntime::open(&dir, Config::local("http://127.0.0.1:9"), clock).await;
        let message = format!("{:#}", refused.err().expect("refused"));
        assert!(message.contains("newer"), "{message}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// What DynamoDB's TTL does on AWS, the local runtime does when it opens.
    #[tokio::test]
    async fn expired_items_are_purged_at_open() {
        let dir = temp_dir();
        let clock = Arc::new(ManualClock::new(t0()));
        let rt = open(&dir, &clock).await;
        let ports = &rt.app.ports;
        let who = AccountId(Uuid::now_v7());
        let session = Session::new(TokenHash::of("session"), who, t0());
        ports.sessions.create(&session).await.unwrap();
        let reset = OneTimeToken::new(TokenHash::of("reset"), who, Purpose::ResetPassword, t0());
        ports.tokens.put(&reset).await.unwrap();
        let verify = OneTimeToken::new(
            TokenHash::of("verify"),
            who,
            Purpose::VerifyEmail {
                email: Email::parse("awa@example.org").unwrap(),
            },
            t0(),
        );
        ports.tokens.put(&verify).await.unwrap();
        let (attempts, _) = Attempts::default().attempt(&LOGIN, t0());
        assert!(ports.throttle.replace("awa@example.org", 0, &attempts).await.unwrap());
        drop(rt);

        // Two hours on: the reset token (one hour) is gone, the rest stays.
        clock.advance(Duration::hours(2));
        let rt = open(&dir, &clock).await;
        let ports = &rt.app.ports;
        assert!(ports.sessions.get(&session.token_hash).await.unwrap().is_some());
        assert_eq!(ports.tokens.take(&reset.hash).await.unwrap(), None);
        assert_eq!(ports.throttle.get("awa@example.org").await.unwrap(), attempts);
        drop(rt);

        // Thirteen hours on: past the session's absolute timeout (12 hours);
        // failures are kept 24 hours, the verification token 48.
        clock.advance(Duration::hours(11));
        let rt = open(&dir, &clock).await;
        let ports = &rt.app.ports;
        assert_eq!(ports.sessions.get(&session.token_hash).await.unwrap(), None);
        assert_eq!(ports.throttle.get("awa@example.org").await.unwrap(), attempts);
        assert_eq!(ports.tokens.take(&verify.hash).await.unwrap(), Some(verify));
        drop(rt);

        clock.advance(Duration::hours(12));
        let rt = open(&dir, &clock).await;
        assert_eq!(
            rt.app.ports.throttle.get("awa@example.org").await.unwrap(),
            Attempts::default()
        );
        drop(rt);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
