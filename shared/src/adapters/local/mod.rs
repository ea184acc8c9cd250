//! Local adapters for the embedded mode: SQLite for state, `.eml` files in
//! an outbox folder for email, an in-process queue between them.
//!
//! Layout of a data folder:
//! - `sejour.db` (+ `-wal`, `-shm`): the SQLite database;
//! - `outbox/<mail id>.eml`: one file per email sent;
//! - `outbox/failed/<mail id>.json`: queued emails that could not be written.

mod db;
pub mod outbox;
pub mod queue;
mod store;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;

pub use self::outbox::OutboxMailer;
pub use self::queue::{LocalMailQueue, RetryPolicy};
pub use self::store::SqliteStore;
use crate::adapters::OsRandom;
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
    queue: LocalMailQueue,
}

impl LocalRuntime {
    /// Open (or create) the state in `data_dir` (SQLite database `sejour.db`,
    /// `outbox/`), start the in-process mail queue worker, and build the `App`.
    /// `clock` is the system clock, or a manual one in tests.
    pub async fn open(
        data_dir: &Path,
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<LocalRuntime> {
        let outbox = data_dir.join(OUTBOX_DIR);
        tokio::fs::create_dir_all(&outbox)
            .await
            .with_context(|| format!("creating {}", outbox.display()))?;
        let path = data_dir.join(DATABASE_FILE);
        let db = tokio::task::spawn_blocking(move || db::Db::open(&path)).await??;
        let store = Arc::new(SqliteStore::new(db));
        store
            .purge_expired(clock.now())
            .await
            .context("purging expired items")?;

        let mailer: Arc<dyn Mailer> = Arc::new(OutboxMailer::new(
            &outbox,
            &config.mail_from,
            clock.clone(),
        )?);
        let queue = LocalMailQueue::start(
            mailer.clone(),
            outbox.join("failed"),
            RetryPolicy::default(),
        );
        let ports = Ports {
            accounts: store.clone(),
            records: store.clone(),
            sessions: store.clone(),
            tokens: store.clone(),
            throttle: store.clone(),
            notifications: store,
            mail: Arc::new(queue.clone()),
            clock,
            random: Arc::new(OsRandom),
        };
        Ok(LocalRuntime {
            app: App::new(ports, config),
            mailer,
            queue,
        })
    }

    /// Wait until every queued email has been written to the outbox (tests, shutdown).
    pub async fn flush_mail(&self) {
        self.queue.flush().await;
    }
}
