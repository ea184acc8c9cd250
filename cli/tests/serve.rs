//! `sejour serve`, run as a program on 127.0.0.1 (any free port): demo
//! logins printed, API and local pages answering, a password reset followed
//! from the local mailbox, and a clean stop on SIGTERM.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::json;

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("sejour-cli-{name}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running `sejour serve`; killed if the test fails before stopping it.
struct Server {
    child: Child,
    url: String,
    banner: String,
    lines: mpsc::Receiver<String>,
}

impl Server {
    fn start(data_dir: &Path) -> Server {
        Server::start_at("127.0.0.1:0", data_dir)
    }

    fn start_at(addr: &str, data_dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sejour"))
            .args(["serve", "--addr", addr, "--data-dir"])
            .arg(data_dir)
            .env_remove("SEJOUR_BACKEND")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            url: String::new(),
            banner: String::new(),
            lines,
        };
        // The banner ends with the stop hint; the first start loads 101 agents first.
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let line = server
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no banner; printed so far:\n{}", server.banner));
            server.banner.push_str(&line);
            server.banner.push('\n');
            if let Some(rest) = line.trim().strip_prefix("Site and API") {
                server.url = rest.trim().trim_end_matches('/').to_string();
            }
            if line.contains("Stop with Ctrl-C") {
                break;
            }
        }
        assert!(server.url.starts_with("http://127.0.0.1:"), "{}", server.banner);
        server
    }

    /// SIGTERM, then wait for a clean exit.
    fn stop(mut self) -> String {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        let exit = loop {
            if let Some(exit) = self.child.try_wait().unwrap() {
                break exit;
            }
            assert!(Instant::now() < deadline, "the server did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(exit.success(), "{exit:?}");
        self.lines.try_iter().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// The first `href="…"` after `marker` in `html`.
fn link_after(html: &str, marker: &str) -> Option<String> {
    let at = html.find(marker)?;
    let rest = &html[at..];
    let start = rest.find("href=\"")? + 6;
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].replace("&amp;", "&"))
}

#[tokio::test]
async fn serve_prints_demo_logins_serves_the_api_and_the_mailbox_and_stops_cleanly() {
    let dir = TempDir::new("serve");
    let server = Server::start(&dir.0);
    let banner = server.banner.clone();
    assert!(
        banner.contains("awa.diallo@demo.sejour.localhost / Sejour-demo-2026"),
        "{banner}"
    );
    assert!(
        banner.contains("agent.<code>@demo.sejour.localhost / Prefecture-demo-2026"),
        "{banner}"
    );
    assert!(banner.contains(&format!("{}/mailbox", server.url)), "{banner}");
    assert!(
        banner.contains("DEMOP00RENEW") && banner.contains("DEMOV00RECENT"),
        "{banner}"
    );
    let url = server.url.clone();
    let http = client();
    // What a newcomer needs is printed: where to log in and check a receipt,
    // a valid e-photo code, and an activation command that works as printed.
    for expected in [
        format!("{url}/login"),
        format!("{url}/verify"),
        "DEMO017BVUWM3XTGZXS5Z2 (valid)".into(),
    ] {
        assert!(banner.contains(&expected), "{expected} not in:\n{banner}");
    }

    let health = http.get(format!("{url}/api/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.json::<serde_json::Value>().await.unwrap()["status"], "ok");

    let home = http
        .get(format!("{url}/?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("<html lang=\"en\">") && home.contains("DEMOV00CONCOURS"),
        "{home}"
    );

    let mailbox = http.get(format!("{url}/mailbox")).send().await.unwrap();
    assert_eq!(mailbox.status(), 200);
    let mailbox = mailbox.text().await.unwrap();
    assert!(
        mailbox.contains("<html lang=\"fr\">") && mailbox.contains("Boîte aux lettres locale"),
        "{mailbox}"
    );

    // A demo agent can log in.
    let agent = http
        .post(format!("{url}/api/auth/login"))
        .header("Origin", &url)
        .json(&json!({"email": "agent.2a@demo.sejour.localhost", "password": "Prefecture-demo-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(agent.status(), 200);

    // Forgotten password: the email lands in the local mailbox, its link opens
    // the reset page, and the new password works.
    let asked = http
        .post(format!("{url}/api/auth/password-reset"))
        .header("Origin", &url)
        .json(&json!({"email": "awa.diallo@demo.sejour.localhost"}))
        .send()
        .await
        .unwrap();
    assert!(asked.status().is_success(), "{}", asked.status());
    let deadline = Instant::now() + Duration::from_secs(10);
    let mail_page = loop {
        let list = http
            .get(format!("{url}/mailbox?lang=en"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if let Some(href) = link_after(&list, "<ol class=\"mails\">") {
            break href;
        }
        assert!(Instant::now() < deadline, "no email in the mailbox:\n{list}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let mail = http
        .get(format!("{url}{mail_page}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mail.contains("Réinitialisation de votre mot de passe"), "{mail}");
    let reset_link = link_after(&mail, "<pre class=\"mail\">").expect("a link in the email");
    assert!(
        reset_link.starts_with(&format!("{url}/reset-password?token=")),
        "{reset_link}"
    );
    let token = reset_link.split("token=").nth(1).unwrap().to_string();

    let reset_page = http
        .get(format!("{reset_link}&lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(reset_page.contains("Choose a new password"), "{reset_page}");
    assert!(reset_page.contains("<label for=\"password\">"), "{reset_page}");
    assert!(reset_page.contains("/api/auth/password-reset/confirm"), "{reset_page}");

    let confirmed = http
        .post(format!("{url}/api/auth/password-reset/confirm"))
        .header("Origin", &url)
        .json(&json!({"token": token, "password": "Un-nouveau-depart-2027"}))
        .send()
        .await
        .unwrap();
    assert!(confirmed.status().is_success(), "{}", confirmed.text().await.unwrap());
    let login = http
        .post(format!("{url}/api/auth/login"))
        .header("Origin", &url)
        .json(&json!({"email": "awa.diallo@demo.sejour.localhost", "password": "Un-nouveau-depart-2027"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);

    let verify_page = http
        .get(format!("{url}/verify-email?token=abc"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(verify_page.contains("/api/accounts/verify-email"), "{verify_page}");
    assert_eq!(
        http.get(format!("{url}/mailbox/..%2Fsejour"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    // Where the notification emails' "log in" link points: a real page.
    let login_page = http.get(format!("{url}/login?lang=en")).send().await.unwrap();
    assert_eq!(login_page.status(), 200);
    let login_page = login_page.text().await.unwrap();
    assert!(
        login_page.contains("<label for=\"email\">") && login_page.contains("/api/auth/login"),
        "{login_page}"
    );
    let forgot = http
        .get(format!("{url}/forgot-password"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(forgot.contains("/api/auth/password-reset"), "{forgot}");
    let unknown = http.get(format!("{url}/nowhere?lang=en")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.text().await.unwrap().contains("Page not found"));
    let unknown_api = http.get(format!("{url}/api/nothing")).send().await.unwrap();
    assert_eq!(unknown_api.status(), 404);
    assert_eq!(
        unknown_api.json::<serde_json::Value>().await.unwrap()["code"],
        "not_found"
    );

    // The activation command of the banner works as printed.
    let printed = banner
        .split("-d '")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("an activation command in the banner");
    let activated = http
        .post(format!("{url}/api/accounts/activate"))
        .header("content-type", "application/json")
        .body(printed.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(activated.status(), 202, "{}", activated.text().await.unwrap());

    let rest = server.stop();
    assert!(rest.contains("Séjour stopped."), "{rest}");

    // A second start keeps the data and does not load the demo again; a
    // host name is accepted as the address.
    let again = Server::start_at("localhost:0", &dir.0);
    assert!(
        !again.banner.contains("Loading the demonstration data"),
        "{}",
        again.banner
    );
    assert!(again.banner.contains("awa.diallo@demo.sejour.localhost"));
    let http = client();
    let login = http
        .post(format!("{}/api/auth/login", again.url))
        .header("Origin", &again.url)
        .json(&json!({"email": "awa.diallo@demo.sejour.localhost", "password": "Un-nouveau-depart-2027"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    again.stop();
}
