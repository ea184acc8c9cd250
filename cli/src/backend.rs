//! Which runtime a command works against: the embedded local one (a data
//! folder) by default, or AWS when `SEJOUR_BACKEND=aws` (names from the
//! environment, as the Lambda functions read them).

use std::path::Path;
use std::sync::Arc;

use sejour::adapters::SystemClock;
use sejour::adapters::local::LocalRuntime;
use sejour::{App, Config};

/// Links in emails sent by a command (not by `serve`) point here, unless
/// `SEJOUR_PUBLIC_URL` says otherwise.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

pub enum Backend {
    Local(LocalRuntime),
    Aws(App),
}

impl Backend {
    pub fn from_env() -> anyhow::Result<BackendKind> {
        match std::env::var("SEJOUR_BACKEND").as_deref() {
            Err(_) | Ok("") | Ok("local") => Ok(BackendKind::Local),
            Ok("aws") => Ok(BackendKind::Aws),
            Ok(other) => anyhow::bail!("SEJOUR_BACKEND must be `local` or `aws`, not `{other}`"),
        }
    }

    pub async fn open(data_dir: &Path) -> anyhow::Result<Backend> {
        match Self::from_env()? {
            BackendKind::Aws => Ok(Backend::Aws(sejour::adapters::aws::app_from_env().await?)),
            BackendKind::Local => {
                let public_url = std::env::var("SEJOUR_PUBLIC_URL").unwrap_or_else(|_| DEFAULT_PUBLIC_URL.to_string());
                std::fs::create_dir_all(data_dir)?;
                let runtime = LocalRuntime::open(data_dir, Config::local(&public_url), Arc::new(SystemClock)).await?;
                Ok(Backend::Local(runtime))
            }
        }
    }

    pub fn app(&self) -> &App {
        match self {
            Backend::Local(runtime) => &runtime.app,
            Backend::Aws(app) => app,
        }
    }

    /// Wait for queued emails to be written (local) before the process ends.
    pub async fn close(self) {
        if let Backend::Local(runtime) = self {
            runtime.flush_mail().await;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Local,
    Aws,
}
