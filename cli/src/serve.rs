//! `sejour serve`: the embedded local mode. One process serves the API and
//! the local pages on a loopback address, with SQLite state and the outbox
//! in the data folder.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use sejour::Config;
use sejour::adapters::SystemClock;
use sejour::adapters::local::LocalRuntime;
use sejour::domain::state_record::RecordKind;

use crate::backend::{Backend, BackendKind};
use crate::demo::{self, DemoRecord};
use crate::{http, local_site};

pub async fn run(addr: SocketAddr, data_dir: PathBuf, no_demo: bool) -> anyhow::Result<()> {
    anyhow::ensure!(
        Backend::from_env()? == BackendKind::Local,
        "`sejour serve` runs the embedded local mode only; on AWS the API is served by the Lambda functions"
    );
    std::fs::create_dir_all(&data_dir).with_context(|| format!("creating the data folder {}", data_dir.display()))?;
    // Bind first: a busy port fails before anything is written.
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    let addr = listener.local_addr()?;
    let public_url = format!("http://{addr}");
    let mut config = Config::local(&public_url);
    if addr.ip().is_loopback() {
        // The same server reached as http://localhost:PORT is the same site.
        config.extra_origins.push(format!("http://localhost:{}", addr.port()));
    }
    let runtime = LocalRuntime::open(&data_dir, config, Arc::new(SystemClock))
        .await
        .with_context(|| format!("opening the local state in {}", data_dir.display()))?;

    let demo = if !no_demo {
        if !demo::is_loaded(&data_dir) {
            println!("Loading the demonstration data (first start: one agent per préfecture, a few seconds)…");
        }
        Some(
            demo::load(&runtime.app, &data_dir)
                .await
                .context("loading the demonstration data")?,
        )
    } else {
        None
    };
    banner(&public_url, &data_dir, demo.as_deref());

    let app = sejour::api::router(runtime.app.clone())
        // The signed upload and download URLs of the documents point here (public_url).
        .merge(runtime.storage_router())
        .merge(local_site::router(local_site::Site {
            data_dir: data_dir.clone(),
            demo,
        }));
    http::serve(listener, app, http::Limits::default(), shutdown_signal())
        .await
        .context("serving")?;
    tracing::info!("stopping: delivering the queued emails");
    runtime.flush_mail().await;
    println!("Séjour stopped.");
    Ok(())
}

/// What a person needs to start: the addresses and the demo logins.
fn banner(public_url: &str, data_dir: &std::path::Path, demo: Option<&[DemoRecord]>) {
    let mut s = String::new();
    s.push_str("\n==================================================================\n");
    s.push_str(" Séjour — embedded local mode / mode local\n");
    s.push_str("==================================================================\n");
    s.push_str(&format!(" Site and API    {public_url}/\n"));
    s.push_str(&format!(" Local mailbox   {public_url}/mailbox\n"));
    s.push_str(&format!(" API health      {public_url}/api/health\n"));
    s.push_str(&format!(" OpenAPI         {public_url}/api/openapi.json\n"));
    s.push_str(&format!(" Data folder     {}\n", data_dir.display()));
    match demo {
        None => s.push_str("\n No demonstration data (--no-demo).\n"),
        Some(records) => {
            s.push_str("\n Demo logins\n");
            s.push_str(&format!(
                "   Applicant     {} / {}\n",
                demo::APPLICANT_EMAIL,
                demo::APPLICANT_PASSWORD
            ));
            s.push_str(&format!(
                "   Agents        agent.<code>@{} / {}\n                 one per préfecture, e.g. agent.75@{}, agent.2a@{}\n",
                demo::AGENT_DOMAIN,
                demo::AGENT_PASSWORD,
                demo::AGENT_DOMAIN,
                demo::AGENT_DOMAIN
            ));
            s.push_str("\n Activate an account with (POST /api/accounts/activate):\n");
            s.push_str("   kind    number            valid_from  valid_until\n");
            let shown = records
                .iter()
                .filter(|d| d.for_activation)
                .filter(|d| ["DEMOP00RENEW", "DEMOV00RECENT", "DEMOP00LATE"].contains(&d.record.number.as_str()));
            for d in shown {
                let r = &d.record;
                let kind = match r.kind {
                    RecordKind::Permit => "permit",
                    RecordKind::Visa => "visa",
                };
                s.push_str(&format!(
                    "   {kind:<7} {:<17} {}  {}   {}\n",
                    r.number.as_str(),
                    r.valid_from,
                    r.valid_until,
                    d.case_en
                ));
            }
            s.push_str(&format!(" Every demo record and its case: {public_url}/\n"));
        }
    }
    s.push_str("\n Stop with Ctrl-C.\n==================================================================\n");
    println!("{s}");
}

/// Ctrl-C, or SIGTERM (service managers, tests).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
