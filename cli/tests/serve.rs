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
        let site = data_dir.with_extension("site");
        built_site(&site);
        let mut child = Command::new(env!("CARGO_BIN_EXE_sejour"))
            .args(["serve", "--addr", addr, "--data-dir"])
            .arg(data_dir)
            .arg("--site")
            .arg(&site)
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

/// A stand-in for the built applicant site (frontend/applicant/dist): the
/// server's handling of the files is tested here, the site itself by its
/// browser tests.
fn built_site(dir: &Path) {
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><div id=\"root\"></div>").unwrap();
    std::fs::write(dir.join("assets/index-abc123.js"), "console.log(1)").unwrap();
    std::fs::write(dir.join("config.json"), "{\"addressApi\":null}").unwrap();
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

    let local = http
        .get(format!("{url}/local?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        local.contains("<html lang=\"en\">") && local.contains("DEMOV00CONCOURS"),
        "{local}"
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
    // The demo applicant reads French: the link opens the site in French.
    assert!(reset_link.ends_with("&lang=fr"), "{reset_link}");
    let token = reset_link["token=".len() + reset_link.find("token=").unwrap()..]
        .split('&')
        .next()
        .unwrap()
        .to_string();
    // The link opens the site, which routes it in the browser.
    let reset_page = http.get(&reset_link).send().await.unwrap();
    assert_eq!(reset_page.status(), 200);
    assert!(reset_page.text().await.unwrap().contains("<div id=\"root\">"));

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

    assert_eq!(
        http.get(format!("{url}/mailbox/..%2Fsejour"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
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

/// The applicant site at `/`: its files, the index for the pages it routes
/// itself, no index for a missing file, hashed assets cached for good, and
/// the security headers on every answer, the same as CloudFront's.
#[tokio::test]
async fn serve_serves_the_site_with_the_security_headers() {
    let dir = TempDir::new("serve-site");
    let server = Server::start(&dir.0);
    let url = server.url.clone();
    let http = client();
    for page in [
        "/",
        "/login?lang=en",
        "/applications/x/steps/personal",
        "/verify/7F3K-9Q2M-X4B8",
    ] {
        let answer = http.get(format!("{url}{page}")).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{page}");
        assert_eq!(answer.headers()["cache-control"], "no-cache", "{page}");
        assert!(answer.text().await.unwrap().contains("<div id=\"root\">"), "{page}");
    }
    let asset = http.get(format!("{url}/assets/index-abc123.js")).send().await.unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert!(asset.headers()["content-type"].to_str().unwrap().contains("javascript"));
    let missing = http.get(format!("{url}/assets/index-old.js")).send().await.unwrap();
    assert_eq!(missing.status(), 404);

    let template = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml")).unwrap();
    for path in [
        "/",
        "/assets/index-abc123.js",
        "/api/health",
        "/api/nothing",
        "/mailbox",
    ] {
        let answer = http.get(format!("{url}{path}")).send().await.unwrap();
        let headers = answer.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self';") && !csp.contains("script-src 'self' 'unsafe-inline'"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(
            csp.contains("connect-src 'self' https://api-adresse.data.gouv.fr"),
            "{csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(
            headers["strict-transport-security"]
                .to_str()
                .unwrap()
                .starts_with("max-age=63072000"),
            "{path}"
        );
        // CloudFront sends the same policy in front of the deployed site; its
        // connect-src also names the documents bucket (presigned uploads).
        let deployed = csp.replace(
            "https://api-adresse.data.gouv.fr;",
            "https://api-adresse.data.gouv.fr https://${DocumentsBucket.RegionalDomainName};",
        );
        assert!(
            template.contains(&deployed),
            "the template's SiteHeaders policy differs from:\n{deployed}"
        );
    }
    server.stop();
}
