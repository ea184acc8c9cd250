//! `sejour serve`: the embedded local mode. One process serves the API, the
//! applicant site and the local tools on a loopback address, with SQLite state and the outbox
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
use crate::{http, local_site, site};

pub async fn run(addr: &str, data_dir: PathBuf, no_demo: bool, site_dir: PathBuf) -> anyhow::Result<()> {
    anyhow::ensure!(
        Backend::from_env()? == BackendKind::Local,
        "`sejour serve` runs the embedded local mode only; on AWS the API is served by the Lambda functions"
    );
    std::fs::create_dir_all(&data_dir).with_context(|| format!("creating the data folder {}", data_dir.display()))?;
    // Bind first: a busy port fails before anything is written.
    let addr = resolve(addr).await?;
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
    let deadlines = tokio::spawn(deadlines_timer(runtime.app.clone()));

    let app = sejour::api::router(runtime.app.clone())
        // The signed upload and download URLs of the documents point here (public_url).
        .merge(runtime.storage_router())
        .merge(local_site::router(local_site::Site {
            data_dir: data_dir.clone(),
            demo,
        }))
        .merge(site::router(&site_dir))
        .layer(axum::middleware::from_fn(site::security_headers));
    http::serve(listener, app, http::Limits::default(), shutdown_signal())
        .await
        .context("serving")?;
    deadlines.abort();
    tracing::info!("stopping: delivering the queued emails");
    runtime.flush_mail().await;
    println!("Séjour stopped.");
    Ok(())
}

/// The deadlines job (F20), at start and then every hour, as the scheduled
/// function does on AWS (each run does only what is due, once).
async fn deadlines_timer(app: sejour::App) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        if let Err(e) = sejour::service::deadlines::run(&app, chrono::Utc::now()).await {
            tracing::error!(error = format!("{e:#}"), "deadlines job failed");
        }
    }
}

/// `HOST:PORT` with an address or a name (`localhost:8093`); a name that
/// resolves to both IPv4 and IPv6 listens on IPv4, as browsers try both.
async fn resolve(addr: &str) -> anyhow::Result<SocketAddr> {
    let found: Vec<SocketAddr> = tokio::net::lookup_host(addr)
        .await
        .with_context(|| format!("--addr {addr}: expected HOST:PORT, such as 127.0.0.1:8080 or localhost:8080"))?
        .collect();
    found
        .iter()
        .find(|a| a.is_ipv4())
        .or(found.first())
        .copied()
        .with_context(|| format!("--addr {addr}: the host name has no address"))
}

/// What a person needs to start: the addresses and the demo logins.
fn banner(public_url: &str, data_dir: &std::path::Path, demo: Option<&[DemoRecord]>) {
    let mut s = String::new();
    s.push_str("\n==================================================================\n");
    s.push_str(" Séjour — embedded local mode / mode local\n");
    s.push_str("==================================================================\n");
    s.push_str(&format!(" Site and API    {public_url}/\n"));
    s.push_str(&format!(
        " Local mode      {public_url}/local  (demo accounts and records)\n"
    ));
    s.push_str(&format!(" Local mailbox   {public_url}/mailbox\n"));
    s.push_str(&format!(" API health      {public_url}/api/health\n"));
    s.push_str(&format!(" OpenAPI         {public_url}/api/openapi.json\n"));
    s.push_str(&format!(" Log in          {public_url}/login\n"));
    s.push_str(&format!(
        " Check a receipt {public_url}/verify  (or /verify/CODE, where its QR code points)\n"
    ));
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
            let (valid, expired) = demo::ephoto_codes();
            s.push_str(&format!(
                "\n E-photo codes (step 4): {valid} (valid), {expired} (more than 6 months old)\n"
            ));
            if let Some(d) = records.iter().find(|d| d.record.number.as_str() == "DEMOP00RENEW") {
                s.push_str(&format!(
                    "\n Try it (activation, then the link in the local mailbox):\n   curl -s {public_url}/api/accounts/activate -H 'content-type: application/json' \\\n     -d '{{\"kind\":\"permit\",\"number\":\"DEMOP00RENEW\",\"valid_from\":\"{}\",\"valid_until\":\"{}\",\"email\":\"me@example.org\",\"password\":\"Une-phrase-de-passe-2026\"}}'\n",
                    d.record.valid_from, d.record.valid_until
                ));
            }
            s.push_str(&format!(" Every demo record and its case: {public_url}/local\n"));
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
