//! The two runtimes the contract suite runs against, behind one `Harness`.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use chrono::{DateTime, Utc};
use sejour::adapters::ManualClock;
use sejour::adapters::aws::{self, AwsSettings};
use sejour::adapters::local::LocalRuntime;
use sejour::ports::Mailer;
use sejour::service::Ports;
use sejour::{App, Config};

pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-09-01T09:00:00Z")
        .unwrap()
        .to_utc()
}

pub struct Harness {
    pub app: App,
    pub mailer: Arc<dyn Mailer>,
    runtime: Runtime,
}

enum Runtime {
    Local {
        runtime: LocalRuntime,
        dir: tempfile::TempDir,
    },
    Aws {
        sdk: SdkConfig,
        settings: AwsSettings,
        endpoint: String,
    },
}

const MAIL_FROM: &str = "ne-pas-repondre@sejour.test";

impl Harness {
    pub async fn local() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(t0()));
        let runtime = LocalRuntime::open(
            dir.path(),
            Config::local("http://127.0.0.1:9"),
            clock.clone(),
        )
        .await
        .expect("local runtime opens");
        Harness {
            app: runtime.app.clone(),
            mailer: runtime.mailer.clone(),
            runtime: Runtime::Local { runtime, dir },
        }
    }

    /// AWS adapters on a moto server, with resources of their own so tests run in parallel.
    pub async fn aws() -> Harness {
        let endpoint = moto_endpoint();
        let sdk = aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(&endpoint)
            .region(Region::new("eu-west-3"))
            .test_credentials()
            .load()
            .await;
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let settings = aws::provision(
            &sdk,
            &format!("sejour-{suffix}"),
            &format!("sejour-mail-{suffix}"),
            MAIL_FROM,
        )
        .await
        .expect("provision on moto");
        let clock = Arc::new(ManualClock::new(t0()));
        let mut config = Config::local("http://127.0.0.1:9");
        config.mail_from = MAIL_FROM.into();
        let app = aws::build_app(&sdk, &settings, config.clone(), clock.clone());
        let mailer = aws::build_mailer(&sdk, &settings, &config);
        Harness {
            app,
            mailer,
            runtime: Runtime::Aws {
                sdk,
                settings,
                endpoint,
            },
        }
    }

    pub fn ports(&self) -> &Ports {
        &self.app.ports
    }

    /// Hand every queued email to the mail sender, as the queue's consumer does.
    pub async fn deliver_queued(&self) {
        match &self.runtime {
            Runtime::Local { runtime, .. } => runtime.flush_mail().await,
            Runtime::Aws { sdk, settings, .. } => {
                let sqs = aws_sdk_sqs::Client::new(sdk);
                loop {
                    let received = sqs
                        .receive_message()
                        .queue_url(&settings.mail_queue_url)
                        .max_number_of_messages(10)
                        .send()
                        .await
                        .expect("receive");
                    let messages = received.messages.unwrap_or_default();
                    if messages.is_empty() {
                        break;
                    }
                    let batch: Vec<(&str, &str)> = messages
                        .iter()
                        .map(|m| {
                            (
                                m.message_id().unwrap_or_default(),
                                m.body().unwrap_or_default(),
                            )
                        })
                        .collect();
                    let failed =
                        sejour::service::mail_sender::deliver_batch(self.mailer.as_ref(), batch)
                            .await;
                    for m in &messages {
                        if !failed.iter().any(|id| Some(id.as_str()) == m.message_id()) {
                            sqs.delete_message()
                                .queue_url(&settings.mail_queue_url)
                                .receipt_handle(m.receipt_handle().unwrap_or_default())
                                .send()
                                .await
                                .expect("delete");
                        }
                    }
                }
            }
        }
    }

    /// How many delivered emails have this subject (subjects are unique per test).
    pub async fn delivered_with_subject(&self, subject: &str) -> usize {
        match &self.runtime {
            Runtime::Local { dir, .. } => {
                let outbox = dir.path().join("outbox");
                let Ok(entries) = std::fs::read_dir(outbox) else {
                    return 0;
                };
                entries
                    .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                    .filter(|eml| {
                        eml.lines()
                            .any(|l| l.strip_prefix("Subject: ") == Some(subject))
                    })
                    .count()
            }
            Runtime::Aws { endpoint, .. } => {
                let data: serde_json::Value =
                    reqwest::get(format!("{endpoint}/moto-api/data.json"))
                        .await
                        .expect("moto data")
                        .json()
                        .await
                        .expect("moto json");
                count_subject(&data["ses"], subject)
            }
        }
    }
}

/// Sent messages in moto's SES state whose subject is `subject`.
fn count_subject(value: &serde_json::Value, subject: &str) -> usize {
    match value {
        serde_json::Value::Object(map) => {
            let here = map
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case("subject") && v.as_str() == Some(subject));
            usize::from(here)
                + map
                    .iter()
                    .filter(|(k, _)| !k.eq_ignore_ascii_case("subject"))
                    .map(|(_, v)| count_subject(v, subject))
                    .sum::<usize>()
        }
        serde_json::Value::Array(items) => items.iter().map(|v| count_subject(v, subject)).sum(),
        _ => 0,
    }
}

/// One moto server for the whole test binary, started on a free port of
/// 127.0.0.1 and killed when the test process ends.
fn moto_endpoint() -> String {
    static ENDPOINT: OnceLock<String> = OnceLock::new();
    ENDPOINT
        .get_or_init(|| {
            let program = moto_server_path();
            let port = free_port();
            let (tx, rx) = std::sync::mpsc::channel();
            // The child dies with the thread that spawned it (PR_SET_PDEATHSIG),
            // so spawn it from a thread that lives as long as the process.
            std::thread::spawn(move || {
                use std::os::unix::process::CommandExt;
                let mut command = Command::new(&program);
                command
                    .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null());
                // SAFETY: prctl is async-signal-safe.
                unsafe {
                    command.pre_exec(|| {
                        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                        Ok(())
                    });
                }
                let child = command.spawn();
                let spawned = child.is_ok();
                tx.send(
                    child
                        .map(|_| ())
                        .map_err(|e| format!("cannot start {}: {e}", program.display())),
                )
                .unwrap();
                if spawned {
                    loop {
                        std::thread::park();
                    }
                }
            });
            rx.recv().unwrap().unwrap_or_else(|e| panic!("{e}"));
            let endpoint = format!("http://127.0.0.1:{port}");
            for _ in 0..200 {
                if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return endpoint;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            panic!("moto_server did not start on {endpoint}");
        })
        .clone()
}

/// `SEJOUR_MOTO_SERVER`, else the project's `.venv` (made by `make test`).
fn moto_server_path() -> PathBuf {
    if let Ok(path) = std::env::var("SEJOUR_MOTO_SERVER") {
        return PathBuf::from(path);
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/moto_server");
    assert!(
        venv.exists(),
        "the AWS contract tests need moto: run `make test`, or set SEJOUR_MOTO_SERVER to a moto_server executable"
    );
    venv
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
