//! Local adapters for the embedded mode: SQLite for state, `.eml` files in
//! an outbox folder for email, an in-process queue between them.

use std::path::Path;
use std::sync::Arc;

use crate::config::Config;
use crate::ports::{Clock, Mailer};
use crate::service::App;

/// A running local runtime: the `App` plus what keeps its background work alive.
pub struct LocalRuntime {
    pub app: App,
    /// Delivers queued emails into `DATA_DIR/outbox/`.
    pub mailer: Arc<dyn Mailer>,
}

impl LocalRuntime {
    /// Open (or create) the state in `data_dir` (SQLite database `sejour.db`,
    /// `outbox/`), start the in-process mail queue worker, and build the `App`.
    /// `clock` is the system clock, or a manual one in tests.
    pub async fn open(_data_dir: &Path, _config: Config, _clock: Arc<dyn Clock>) -> anyhow::Result<LocalRuntime> {
        todo!("local adapters")
    }

    /// Wait until every queued email has been written to the outbox (tests, shutdown).
    pub async fn flush_mail(&self) {
        todo!("local adapters")
    }
}
