//! `sejour agents add`, run as a program against a local data folder.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use sejour::Config;
use sejour::adapters::SystemClock;
use sejour::adapters::local::LocalRuntime;
use sejour::domain::account::Role;
use sejour::domain::contact::Email;

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn agents_add(data_dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sejour"))
        .args(["agents", "add", "--data-dir"])
        .arg(data_dir)
        .args(args)
        .env_remove("SEJOUR_BACKEND")
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

#[tokio::test]
async fn an_agent_is_created_for_its_prefecture_with_the_password_from_an_option_or_stdin() {
    let dir = TempDir(std::env::temp_dir().join(format!("sejour-cli-agents-{}", uuid::Uuid::new_v4())));
    let data = dir.0.join("data");

    let by_option = agents_add(
        &data,
        &[
            "--prefecture",
            "2a",
            "--email",
            "Agent.Ajaccio@example.gouv.fr",
            "--password",
            "Maquis-et-citadelle-2026",
        ],
        None,
    );
    assert_eq!(
        by_option.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&by_option.stderr)
    );
    assert!(String::from_utf8_lossy(&by_option.stdout).contains("préfecture 2A (Ajaccio)"));

    let by_stdin = agents_add(
        &data,
        &[
            "--prefecture",
            "971",
            "--email",
            "agent@guadeloupe.example.gouv.fr",
            "--name",
            "Agent Basse-Terre",
        ],
        Some("Soufriere-et-alizes-2026\n"),
    );
    assert_eq!(
        by_stdin.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&by_stdin.stderr)
    );

    // Refusals exit 1 with the reason.
    let taken = agents_add(
        &data,
        &[
            "--prefecture",
            "75",
            "--email",
            "agent.ajaccio@example.gouv.fr",
            "--password",
            "Une-autre-phrase-2026",
        ],
        None,
    );
    assert_eq!(taken.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&taken.stderr).contains("email_taken"),
        "{}",
        String::from_utf8_lossy(&taken.stderr)
    );
    let weak = agents_add(
        &data,
        &[
            "--prefecture",
            "75",
            "--email",
            "b@example.gouv.fr",
            "--password",
            "short",
        ],
        None,
    );
    assert_eq!(weak.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&weak.stderr).contains("password: too_short"));
    let unknown = agents_add(
        &data,
        &["--prefecture", "96", "--email", "c@example.gouv.fr", "--password", "x"],
        None,
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown_prefecture"));
    let no_password = agents_add(&data, &["--prefecture", "75", "--email", "d@example.gouv.fr"], Some(""));
    assert_eq!(no_password.status.code(), Some(1));

    let runtime = LocalRuntime::open(&data, Config::local("http://127.0.0.1:8080"), Arc::new(SystemClock))
        .await
        .unwrap();
    let accounts = &runtime.app.ports.accounts;
    let ajaccio = accounts
        .find_by_email(&Email::parse("agent.ajaccio@example.gouv.fr").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(&ajaccio.role, Role::Agent { prefecture } if prefecture.as_str() == "2A"));
    assert!(ajaccio.email_verified);
    let guadeloupe = accounts
        .find_by_email(&Email::parse("agent@guadeloupe.example.gouv.fr").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(guadeloupe.display_name, "Agent Basse-Terre");
    assert!(
        accounts
            .find_by_email(&Email::parse("b@example.gouv.fr").unwrap())
            .await
            .unwrap()
            .is_none()
    );
}
