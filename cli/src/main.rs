//! `sejour`: the service on one machine (`serve`), the import of state
//! records (`import`) and agent accounts (`agents add`). `import` and
//! `agents` work against AWS too when `SEJOUR_BACKEND=aws`.

mod backend;
mod demo;
mod http;
mod local_site;
mod serve;
mod site;

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sejour::domain::prefecture::PrefectureCode;
use sejour::service::records::{self, ImportError};

use backend::Backend;

#[derive(Parser)]
#[command(
    name = "sejour",
    version,
    about = "Séjour: the online residence-permit service for foreign students"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole service on this machine (embedded local mode): API,
    /// local mailbox, demo data on first start.
    Serve {
        /// Address to listen on, HOST:PORT (an IP address or a name such as
        /// localhost; port 0: any free port).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Folder of the state (SQLite database) and of the outbox.
        #[arg(long, default_value = "./data", env = "SEJOUR_DATA_DIR")]
        data_dir: PathBuf,
        /// Do not load the demonstration data.
        #[arg(long)]
        no_demo: bool,
        /// Folder of the built applicant site, served at `/`
        /// (`make site` builds it into frontend/applicant/dist).
        #[arg(long, default_value = "./frontend/applicant/dist", env = "SEJOUR_SITE_DIR")]
        site: PathBuf,
    },
    /// Import state records (permits and visas) from a CSV or JSON lines
    /// file. Exit status: 0 all lines imported, 2 some lines rejected (the
    /// others imported), 1 failure.
    Import {
        /// Data folder of the local runtime (ignored with SEJOUR_BACKEND=aws).
        #[arg(long, default_value = "./data", env = "SEJOUR_DATA_DIR")]
        data_dir: PathBuf,
        /// `.csv`, or `.jsonl` / `.ndjson` / `.json` (one object per line);
        /// other names: guessed from the first character.
        file: PathBuf,
    },
    /// The Lambda functions of the AWS deployment and the routes each
    /// serves, as JSON (read by scripts/check-lambdas.py).
    Functions,
    /// The OpenAPI document of the API, as JSON (the sites' types are
    /// generated from it).
    Openapi,
    /// Scheduled jobs, run by hand (`sejour serve` runs them on a timer).
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Agent accounts of the préfectures.
    Agents {
        #[command(subcommand)]
        command: AgentsCommand,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Complement requests (F20): remind 7 days before the end (once),
    /// then move the case to complement_overdue. Prints a JSON report.
    Deadlines {
        /// Run as of this instant (RFC 3339), instead of now.
        #[arg(long)]
        at: Option<String>,
        /// Data folder of the local runtime (ignored with SEJOUR_BACKEND=aws).
        #[arg(long, default_value = "./data", env = "SEJOUR_DATA_DIR")]
        data_dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum AgentsCommand {
    /// Create an agent account for a préfecture.
    Add {
        /// Code of the préfecture (département): 75, 2A, 971…
        #[arg(long)]
        prefecture: String,
        #[arg(long)]
        email: String,
        /// Name shown in the agent site (default: "Agent, préfecture of …").
        #[arg(long)]
        name: Option<String>,
        /// The password; read from standard input when absent.
        #[arg(long)]
        password: Option<String>,
        /// Data folder of the local runtime (ignored with SEJOUR_BACKEND=aws).
        #[arg(long, default_value = "./data", env = "SEJOUR_DATA_DIR")]
        data_dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(matches!(cli.command, Command::Serve { .. }));
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => return fail(e.into()),
    };
    runtime.block_on(async {
        match cli.command {
            Command::Serve {
                addr,
                data_dir,
                no_demo,
                site,
            } => match serve::run(&addr, data_dir, no_demo, site).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            },
            Command::Import { data_dir, file } => import(data_dir, file).await,
            Command::Jobs {
                command: JobsCommand::Deadlines { at, data_dir },
            } => match deadlines(data_dir, at.as_deref()).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            },
            Command::Functions => {
                let functions = serde_json::json!({ "functions": sejour::deployment::functions() });
                let _ = writeln!(std::io::stdout(), "{functions:#}");
                ExitCode::SUCCESS
            }
            Command::Openapi => {
                let doc = serde_json::to_value(sejour::api::openapi_document()).expect("the document serialises");
                let _ = writeln!(std::io::stdout(), "{doc:#}");
                ExitCode::SUCCESS
            }
            Command::Agents {
                command:
                    AgentsCommand::Add {
                        prefecture,
                        email,
                        name,
                        password,
                        data_dir,
                    },
            } => match add_agent(data_dir, &prefecture, &email, name, password).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(e),
            },
        }
    })
}

/// Logs go to standard error; `serve` logs at `info`, the other commands
/// only warnings, unless `RUST_LOG` says otherwise.
fn init_tracing(serve: bool) {
    let default = if serve { "info" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

fn fail(e: anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    ExitCode::FAILURE
}

async fn deadlines(data_dir: PathBuf, at: Option<&str>) -> anyhow::Result<()> {
    let at = match at {
        None => chrono::Utc::now(),
        Some(text) => chrono::DateTime::parse_from_rfc3339(text)
            .map_err(|e| {
                anyhow::anyhow!("--at {text}: expected an RFC 3339 instant such as 2026-12-01T06:00:00Z ({e})")
            })?
            .to_utc(),
    };
    let backend = Backend::open(&data_dir).await?;
    let report = sejour::service::deadlines::run(backend.app(), at).await;
    backend.close().await;
    let report = report?;
    let _ = writeln!(std::io::stdout(), "{}", serde_json::to_string(&report)?);
    Ok(())
}

async fn import(data_dir: PathBuf, file: PathBuf) -> ExitCode {
    // Fail on an unreadable file before opening (and perhaps creating) the data folder.
    if let Err(e) = std::fs::metadata(&file) {
        return fail(anyhow::anyhow!("cannot read {}: {e}", file.display()));
    }
    let backend = match Backend::open(&data_dir).await {
        Ok(backend) => backend,
        Err(e) => return fail(e),
    };
    let started = std::time::Instant::now();
    let result = records::import_file(backend.app(), &file).await;
    backend.close().await;
    let report = match result {
        Ok(report) => report,
        Err(e @ ImportError::Store { .. }) => return fail(e.into()),
        Err(e) => return fail(anyhow::Error::new(e).context(format!("importing {}", file.display()))),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{}: {} read, {} imported, {} rejected ({:.1} s)",
        file.display(),
        report.read,
        report.imported,
        report.rejected.len(),
        started.elapsed().as_secs_f64()
    );
    for rejected in &report.rejected {
        for error in &rejected.errors {
            let field = if error.field.is_empty() { "line" } else { &error.field };
            let _ = writeln!(out, "line {}: {}: {}", rejected.line, field, error.code);
        }
    }
    if report.all_good() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

async fn add_agent(
    data_dir: PathBuf,
    prefecture: &str,
    email: &str,
    name: Option<String>,
    password: Option<String>,
) -> anyhow::Result<()> {
    let prefecture = PrefectureCode::parse(prefecture)
        .map_err(|code| anyhow::anyhow!("--prefecture {prefecture}: {code} (a département code: 75, 2A, 971…)"))?;
    let password = match password {
        Some(p) => p,
        None => read_password()?,
    };
    let name = name.unwrap_or_else(|| format!("Agent, préfecture {} ({})", prefecture.seat(), prefecture.as_str()));
    let backend = Backend::open(&data_dir).await?;
    let result =
        sejour::service::accounts::create_agent(backend.app(), prefecture.clone(), email, &password, &name).await;
    backend.close().await;
    let id = result.map_err(demo::service_error)?;
    println!(
        "agent account {id} created for the préfecture {} ({})",
        prefecture.as_str(),
        prefecture.seat()
    );
    Ok(())
}

/// The first line of standard input (a prompt is shown on a terminal; the
/// password is then visible, so prefer a pipe or `--password`).
fn read_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password: ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    anyhow::ensure!(
        !password.is_empty(),
        "no password given (use --password or standard input)"
    );
    Ok(password)
}
