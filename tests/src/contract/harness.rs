//! The two runtimes the contract suite runs against, behind one `Harness`.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use chrono::{DateTime, Utc};
use sejour::adapters::ManualClock;
use sejour::adapters::aws::{self as adapters, AwsSettings};
use sejour::adapters::local::LocalRuntime;
use sejour::ports::Mailer;
use sejour::service::Ports;
use sejour::{App, Config};

pub fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-09-01T09:00:00Z").unwrap().to_utc()
}

pub struct Harness {
    pub app: App,
    pub mailer: Arc<dyn Mailer>,
    /// The clock of `app` (and of the storage's URL checks).
    pub clock: Arc<ManualClock>,
    /// The DynamoDB operations the AWS adapters sent, in order (empty locally).
    pub dynamodb: DynamoCalls,
    runtime: Runtime,
}

/// The DynamoDB requests of one harness's SDK, by operation name
/// (`GetItem`, `Query`, `TransactWriteItems`…), seen on the wire.
#[derive(Debug, Clone, Default)]
pub struct DynamoCalls(Arc<std::sync::Mutex<Vec<String>>>);

impl DynamoCalls {
    /// The operations since the last call (and forget them).
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// The SDK's own HTTP client, counting each DynamoDB request on its way.
#[derive(Debug)]
struct Counting {
    inner: SharedHttpClient,
    calls: DynamoCalls,
}

impl HttpClient for Counting {
    fn http_connector(&self, settings: &HttpConnectorSettings, components: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(CountingConnector {
            inner: self.inner.http_connector(settings, components),
            calls: self.calls.clone(),
        })
    }
}

#[derive(Debug)]
struct CountingConnector {
    inner: SharedHttpConnector,
    calls: DynamoCalls,
}

impl HttpConnector for CountingConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        if let Some(operation) = request
            .headers()
            .get("x-amz-target")
            .and_then(|t| t.strip_prefix("DynamoDB_20120810."))
        {
            self.calls.0.lock().unwrap().push(operation.to_string());
        }
        self.inner.call(request)
    }
}

enum Runtime {
    Local {
        runtime: LocalRuntime,
        dir: tempfile::TempDir,
    },
    Aws {
        /// Boxed: the SDK configuration dwarfs the local variant.
        sdk: Box<SdkConfig>,
        settings: AwsSettings,
        endpoint: String,
    },
}

const MAIL_FROM: &str = "ne-pas-repondre@sejour.test";

impl Harness {
    /// The local runtime, its storage router served on 127.0.0.1 at the
    /// configured `public_url` (where its signed URLs point).
    pub async fn local() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(t0()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let public_url = format!("http://{}", listener.local_addr().unwrap());
        let runtime = LocalRuntime::open(dir.path(), Config::local(&public_url), clock.clone())
            .await
            .expect("local runtime opens");
        let storage = runtime.storage_router();
        tokio::spawn(async move { axum::serve(listener, storage).await });
        Harness {
            app: runtime.app.clone(),
            mailer: runtime.mailer.clone(),
            clock,
            dynamodb: DynamoCalls::default(),
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
        let dynamodb = DynamoCalls::default();
        let counting = Counting {
            // The client the SDK builds by default (rustls with aws-lc).
            inner: aws_smithy_http_client::Builder::new()
                .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
                    aws_smithy_http_client::tls::rustls_provider::CryptoMode::AwsLc,
                ))
                .build_https(),
            calls: dynamodb.clone(),
        };
        let sdk = sdk.to_builder().http_client(counting).build();
        let suffix = uuid::Uuid::new_v4().simple().to_string();
        let settings = adapters::provision(
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
        adapters::provision_bucket(&sdk, &settings.bucket, &config.public_url)
            .await
            .expect("documents bucket with CORS on moto");
        let app = adapters::build_app(&sdk, &settings, config.clone(), clock.clone());
        let mailer = adapters::build_mailer(&sdk, &settings, &config);
        dynamodb.take();
        Harness {
            app,
            mailer,
            clock,
            dynamodb,
            runtime: Runtime::Aws {
                sdk: Box::new(sdk),
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
                        .map(|m| (m.message_id().unwrap_or_default(), m.body().unwrap_or_default()))
                        .collect();
                    let failed = sejour::service::mail_sender::deliver_batch(self.mailer.as_ref(), batch).await;
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
                    .filter(|eml| eml.lines().any(|l| l.strip_prefix("Subject: ") == Some(subject)))
                    .count()
            }
            Runtime::Aws { endpoint, .. } => {
                let data = moto_state(endpoint).await;
                count_subject(&data["ses"], subject)
            }
        }
    }

    /// Every delivered email as RFC 5322 text: the local outbox's `.eml`
    /// files as written, or moto's SES messages with their recipients and
    /// subject rendered as headers (for tests that follow emailed links).
    #[allow(dead_code)]
    pub async fn delivered_emails(&self) -> Vec<String> {
        match &self.runtime {
            Runtime::Local { dir, .. } => {
                let Ok(entries) = std::fs::read_dir(dir.path().join("outbox")) else {
                    return Vec::new();
                };
                let mut files: Vec<PathBuf> = entries
                    .filter_map(|e| Some(e.ok()?.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "eml"))
                    .collect();
                files.sort();
                files.iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect()
            }
            Runtime::Aws { endpoint, .. } => {
                let data = moto_state(endpoint).await;
                let Some(sent) = data["ses"]["Message"].as_array() else {
                    return Vec::new();
                };
                sent.iter()
                    .map(|m| {
                        let to: Vec<&str> = m["destinations"]["ToAddresses"]
                            .as_array()
                            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                            .unwrap_or_default();
                        format!(
                            "To: {}\nSubject: {}\n\n{}",
                            to.join(", "),
                            m["subject"].as_str().unwrap_or_default(),
                            m["body"].as_str().unwrap_or_default()
                        )
                    })
                    .collect()
            }
        }
    }
}

/// moto's whole state. It dumps its models while other tests' requests
/// change them, and then sometimes answers 500: ask again.
async fn moto_state(endpoint: &str) -> serde_json::Value {
    let mut last = String::new();
    for _ in 0..20 {
        match reqwest::get(format!("{endpoint}/moto-api/data.json")).await {
            Ok(response) if response.status().is_success() => match response.json().await {
                Ok(data) => return data,
                Err(e) => last = e.to_string(),
            },
            Ok(response) => last = format!("status {}", response.status()),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("moto's /moto-api/data.json kept failing: {last}");
}

/// Sent messages in moto's SES state whose subject is `subject`. SES v2
/// `SendEmail` with simple content lands in the SES backend's `Message`
/// models, which `GET /moto-api/data.json` lists as
/// `ses.Message[] = {id, source, destinations, subject, body}` (moto 5.2).
fn count_subject(ses: &serde_json::Value, subject: &str) -> usize {
    ses["Message"]
        .as_array()
        .map(|sent| sent.iter().filter(|m| m["subject"].as_str() == Some(subject)).count())
        .unwrap_or(0)
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

/// `SEJOUR_MOTO_SERVER`, else `scripts/moto-server` (moto from the project's
/// `.venv`, made by `make test`, serving one request at a time).
fn moto_server_path() -> PathBuf {
    if let Ok(path) = std::env::var("SEJOUR_MOTO_SERVER") {
        return PathBuf::from(path);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    assert!(
        root.join(".venv/bin/moto_server").exists(),
        "the AWS contract tests need moto: run `make test`, or set SEJOUR_MOTO_SERVER to a moto_server executable"
    );
    root.join("scripts/moto-server")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runtime-specific checks that the shared suite cannot express.
mod aws {
    use super::*;
    use aws_sdk_sqs::types::QueueAttributeName;
    use sejour::domain::contact::Email;
    use sejour::mail::OutgoingMail;
    use sejour::service::mail_sender::deliver_batch;

    /// A body that is not an email fails every time, without holding back
    /// the good mail of its batch, and the queue's redrive policy moves it to
    /// the dead-letter queue after `MAX_RECEIVE_COUNT` receives.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn poison_mail_is_reported_failed_and_dead_lettered() {
        let h = Harness::aws().await;
        let Runtime::Aws { sdk, settings, .. } = &h.runtime else {
            unreachable!()
        };
        let sqs = aws_sdk_sqs::Client::new(sdk);
        let subject = format!("Beside a poison message {}", uuid::Uuid::new_v4().simple());
        let mail = OutgoingMail {
            id: uuid::Uuid::now_v7(),
            to: Email::parse("voisin@example.org").unwrap(),
            subject: subject.clone(),
            body: "Bonjour".into(),
        };
        h.ports().mail.enqueue(&mail).await.unwrap();
        let poison = r#"{"not":"an email"}"#;
        sqs.send_message()
            .queue_url(&settings.mail_queue_url)
            .message_body(poison)
            .send()
            .await
            .unwrap();

        let mut failures = 0;
        for _ in 0..adapters::MAX_RECEIVE_COUNT + 2 {
            // Visibility 0: a failed message is back at once, as if its timeout had run out.
            let received = sqs
                .receive_message()
                .queue_url(&settings.mail_queue_url)
                .max_number_of_messages(10)
                .visibility_timeout(0)
                .send()
                .await
                .unwrap();
            let messages = received.messages.unwrap_or_default();
            let batch = messages.iter().map(|m| (m.message_id().unwrap(), m.body().unwrap()));
            let failed = deliver_batch(h.mailer.as_ref(), batch).await;
            for m in &messages {
                if failed.iter().any(|id| Some(id.as_str()) == m.message_id()) {
                    assert_eq!(m.body(), Some(poison), "only the poison message fails");
                    failures += 1;
                } else {
                    sqs.delete_message()
                        .queue_url(&settings.mail_queue_url)
                        .receipt_handle(m.receipt_handle().unwrap())
                        .send()
                        .await
                        .unwrap();
                }
            }
        }
        assert_eq!(failures, adapters::MAX_RECEIVE_COUNT);
        assert_eq!(h.delivered_with_subject(&subject).await, 1);

        let attributes = sqs
            .get_queue_attributes()
            .queue_url(&settings.mail_queue_url)
            .attribute_names(QueueAttributeName::RedrivePolicy)
            .send()
            .await
            .unwrap()
            .attributes
            .unwrap();
        let redrive: serde_json::Value = serde_json::from_str(&attributes[&QueueAttributeName::RedrivePolicy]).unwrap();
        let dlq_arn = redrive["deadLetterTargetArn"].as_str().unwrap();
        let dlq_url = sqs
            .get_queue_url()
            .queue_name(dlq_arn.rsplit(':').next().unwrap())
            .send()
            .await
            .unwrap()
            .queue_url
            .unwrap();
        let dead = sqs
            .receive_message()
            .queue_url(&dlq_url)
            .max_number_of_messages(10)
            .send()
            .await
            .unwrap()
            .messages
            .unwrap_or_default();
        let bodies: Vec<_> = dead.iter().map(|m| m.body().unwrap()).collect();
        assert_eq!(bodies, vec![poison]);
    }

    /// moto accepts any presigned URL, so check what S3 would enforce: the
    /// upload URL signs the type and the length, and is dated by the
    /// service's clock with the bounded expiry.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn presigned_uploads_sign_type_and_length() {
        use sejour::domain::application::documents::FileType;

        let h = Harness::aws().await;
        let key = format!("applications/{}/{}", uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let request = h
            .ports()
            .storage
            .presign_upload(&key, FileType::Png, 1234, t0() + chrono::Duration::hours(2))
            .await
            .unwrap();
        let query: std::collections::HashMap<String, String> = request
            .url
            .split_once('?')
            .unwrap()
            .1
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap();
                (k.to_string(), v.replace("%3B", ";").replace("%3b", ";"))
            })
            .collect();
        let signed: Vec<&str> = query["X-Amz-SignedHeaders"].split(';').collect();
        assert!(signed.contains(&"content-length"), "{signed:?}");
        assert!(signed.contains(&"content-type"), "{signed:?}");
        assert!(signed.contains(&"host"), "{signed:?}");
        assert_eq!(query["X-Amz-Date"], "20260901T090000Z");
        assert_eq!(query["X-Amz-Expires"], "900");
        assert!(
            request.url.contains(&format!("/{key}?")),
            "path-style on moto: {}",
            request.url
        );
        assert!(
            request
                .headers
                .contains(&("content-type".to_string(), "image/png".to_string())),
            "{:?}",
            request.headers
        );
        assert!(
            request
                .headers
                .contains(&("content-length".to_string(), "1234".to_string())),
            "{:?}",
            request.headers
        );

        let download = h
            .ports()
            .storage
            .presign_download(&key, "photo.png", FileType::Png, t0() + chrono::Duration::minutes(3))
            .await
            .unwrap();
        assert!(
            download.url.contains("response-content-type=image%2Fpng"),
            "{}",
            download.url
        );
        assert!(
            download.url.contains("response-content-disposition=inline"),
            "{}",
            download.url
        );
        assert!(download.url.contains("X-Amz-Expires=180"), "{}", download.url);
    }

    /// The bucket is private, encrypted by default, and open to the site's origin only.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_documents_bucket_is_private_encrypted_and_cors_limited() {
        let h = Harness::aws().await;
        let Runtime::Aws { sdk, settings, .. } = &h.runtime else {
            unreachable!()
        };
        let s3 = adapters::s3_client(sdk);
        let block = s3
            .get_public_access_block()
            .bucket(&settings.bucket)
            .send()
            .await
            .unwrap()
            .public_access_block_configuration
            .unwrap();
        assert_eq!(
            (
                block.block_public_acls,
                block.ignore_public_acls,
                block.block_public_policy,
                block.restrict_public_buckets
            ),
            (Some(true), Some(true), Some(true), Some(true))
        );
        let encryption = s3
            .get_bucket_encryption()
            .bucket(&settings.bucket)
            .send()
            .await
            .unwrap();
        let rules = encryption.server_side_encryption_configuration.unwrap().rules;
        let algorithm = rules[0]
            .apply_server_side_encryption_by_default
            .as_ref()
            .unwrap()
            .sse_algorithm
            .as_str()
            .to_string();
        assert_eq!(algorithm, "AES256");
        let cors = s3.get_bucket_cors().bucket(&settings.bucket).send().await.unwrap();
        let rules = cors.cors_rules.unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].allowed_origins, vec![h.app.config.public_url.clone()]);
        let mut methods = rules[0].allowed_methods.clone();
        methods.sort();
        assert_eq!(methods, vec!["GET".to_string(), "PUT".to_string()]);
    }
}
