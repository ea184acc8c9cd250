//! `sejour import` and `sejour agents add` with `SEJOUR_BACKEND=aws`,
//! against DynamoDB/SQS/SES emulated by a `moto_server` started here on
//! 127.0.0.1 (`SEJOUR_MOTO_SERVER`, else the project's `.venv`, as
//! `make test` provides).

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region};
use sejour::Config;
use sejour::adapters::SystemClock;
use sejour::adapters::aws::{AwsSettings, build_app, provision};
use sejour::domain::account::Role;
use sejour::domain::contact::Email;
use sejour::domain::state_record::{DocumentNumber, RecordKey, RecordKind};

const REGION: &str = "eu-west-3";
const MAIL_FROM: &str = "ne-pas-repondre@sejour.test";

/// A moto server of this test's own, killed on drop.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Moto {
    fn start() -> Moto {
        let program = std::env::var("SEJOUR_MOTO_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/moto_server"));
        assert!(
            program.exists(),
            "these tests need moto: run `make test`, or set SEJOUR_MOTO_SERVER to a moto_server executable"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not start on {}",
                moto.endpoint
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The command, configured as a Lambda function would be (plus the emulator).
fn sejour(moto: &Moto, settings: &AwsSettings, args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_sejour"))
        .args(args)
        .env("SEJOUR_BACKEND", "aws")
        .env("SEJOUR_TABLE", &settings.table)
        .env("SEJOUR_MAIL_QUEUE_URL", &settings.mail_queue_url)
        .env("SEJOUR_MAIL_FROM", MAIL_FROM)
        .env("SEJOUR_PUBLIC_URL", "https://sejour.test")
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env_remove("AWS_PROFILE")
        // No data folder may be created: the local runtime must not be used.
        .env("SEJOUR_DATA_DIR", "/nonexistent/sejour-data")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn line(number: &str, surname: &str) -> String {
    format!(
        r#"{{"kind":"permit","number":"{number}","document_type":"permit_student","valid_from":"2025-10-01","valid_until":"2026-09-30","surname":"{surname}","given_names":"Awa","sex":"F","birth_date":"2003-04-05","birth_place":"Dakar","birth_country":"SEN","nationality":"SEN"}}"#
    )
}

#[tokio::test]
async fn import_and_agents_work_against_dynamodb() {
    let moto = Moto::start();
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&moto.endpoint)
        .region(Region::new(REGION))
        .test_credentials()
        .load()
        .await;
    let suffix = uuid::Uuid::new_v4().simple().to_string();
    let settings = provision(
        &sdk,
        &format!("sejour-{suffix}"),
        &format!("sejour-mail-{suffix}"),
        MAIL_FROM,
    )
    .await
    .expect("provision on moto");

    let dir = std::env::temp_dir().join(format!("sejour-cli-aws-{suffix}"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("records.jsonl");
    // More than one batch of 25 (DynamoDB's BatchWriteItem limit), one bad line, one repeated number.
    let mut lines: Vec<String> = (0..60).map(|i| line(&format!("AWS{i:07}"), "Diallo")).collect();
    lines.insert(10, line("AWSBAD0001", "Diallo").replace("\"SEN\"}", "\"S\"}"));
    lines.push(line("AWS0000007", "Ndiaye"));
    std::fs::write(&file, lines.join("\n")).unwrap();
    let file = file.to_str().unwrap();

    for _ in 0..2 {
        let output = sejour(&moto, &settings, &["import", file], None);
        let out = String::from_utf8_lossy(&output.stdout);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{out}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(out.contains("62 read, 61 imported, 1 rejected"), "{out}");
        assert!(out.contains("line 11: nationality: invalid_country"), "{out}");
    }

    let added = sejour(
        &moto,
        &settings,
        &[
            "agents",
            "add",
            "--prefecture",
            "13",
            "--email",
            "agent@bouches-du-rhone.example.gouv.fr",
        ],
        Some("Calanques-et-mistral-2026\n"),
    );
    assert_eq!(
        added.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(!std::path::Path::new("/nonexistent/sejour-data").exists());

    let mut config = Config::local("https://sejour.test");
    config.mail_from = MAIL_FROM.into();
    let app = build_app(&sdk, &settings, config, Arc::new(SystemClock));
    let get = |number: &str| {
        let key = RecordKey {
            kind: RecordKind::Permit,
            number: DocumentNumber::parse(number).unwrap(),
        };
        let app = app.clone();
        async move {
            app.ports
                .records
                .get(&key)
                .await
                .unwrap()
                .map(|r| r.civil_status.surname)
        }
    };
    assert_eq!(get("AWS0000007").await.as_deref(), Some("Ndiaye"));
    assert_eq!(get("AWS0000059").await.as_deref(), Some("Diallo"));
    assert_eq!(get("AWSBAD0001").await, None);
    let agent = app
        .ports
        .accounts
        .find_by_email(&Email::parse("agent@bouches-du-rhone.example.gouv.fr").unwrap())
        .await
        .unwrap()
        .expect("the agent account");
    assert!(matches!(&agent.role, Role::Agent { prefecture } if prefecture.as_str() == "13"));
    let _ = std::fs::remove_dir_all(&dir);
}
