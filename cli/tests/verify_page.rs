//! The public verification page of `sejour serve` (B1): `/verify` (a form to
//! type a code) and `/verify/{code}` (where a receipt's QR code points), in
//! French and English, beside the API it calls.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

/// A `sejour serve --no-demo` on a free port of 127.0.0.1, with its own data
/// folder; both go when dropped.
struct Server {
    child: Child,
    url: String,
    data_dir: std::path::PathBuf,
}

impl Server {
    fn start() -> Server {
        let data_dir = std::env::temp_dir().join(format!("sejour-cli-verify-{}", uuid::Uuid::new_v4()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_sejour"))
            .args(["serve", "--addr", "127.0.0.1:0", "--no-demo", "--data-dir"])
            .arg(&data_dir)
            .env_remove("SEJOUR_BACKEND")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let deadline = Instant::now() + Duration::from_secs(60);
        let url = loop {
            assert!(Instant::now() < deadline, "no address printed");
            let line = lines.next().expect("the server stopped").unwrap();
            if let Some(rest) = line.trim().strip_prefix("Site and API") {
                break rest.trim().trim_end_matches('/').to_string();
            }
        };
        // Keep reading standard output so that the server never blocks on it.
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, url, data_dir }
    }

    async fn get(&self, path: &str, accept_language: Option<&str>) -> (StatusCode, String) {
        let mut request = reqwest::Client::new().get(format!("{}{path}", self.url));
        if let Some(lang) = accept_language {
            request = request.header("Accept-Language", lang);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.text().await.unwrap())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// The parts every verification page has, in its language.
fn assert_verify_page(html: &str, lang: &str, title: &str, label: &str, switch: &str) {
    assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
    assert!(html.contains(&format!("<h1>{title}</h1>")), "{html}");
    assert!(html.contains(&format!("<label for=\"code\">{label}</label>")), "{html}");
    assert!(html.contains("<input id=\"code\" name=\"code\""), "{html}");
    assert!(html.contains("aria-describedby=\"code-hint code-error\""), "{html}");
    assert!(html.contains("role=\"status\" aria-live=\"polite\""), "{html}");
    assert!(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    assert!(html.contains("fetch('/api/verify/'"), "the page asks the API");
    assert!(
        html.contains(&format!("href=\"{switch}\"")),
        "language switch {switch}: {html}"
    );
}

#[tokio::test]
async fn the_verification_page_is_served_in_french_and_english() {
    let server = Server::start();

    // The form, French by default, English from the browser or `?lang=en`.
    let (status, html) = server.get("/verify", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_verify_page(
        &html,
        "fr",
        "Vérifier un document",
        "Code de vérification",
        "/verify?lang=en",
    );
    assert!(html.contains("value=\"\""), "nothing typed yet");
    for (path, header) in [("/verify", Some("en-GB,en;q=0.9")), ("/verify?lang=en", None)] {
        let (status, html) = server.get(path, header).await;
        assert_eq!(status, StatusCode::OK);
        assert_verify_page(&html, "en", "Check a document", "Verification code", "/verify?lang=fr");
        assert!(html.contains("Unknown code") && html.contains("Authentic document"));
    }

    // Where the QR code points: the code is filled in (and checked on opening).
    let (status, html) = server.get("/verify/7F3K9Q2MX4B8", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_verify_page(
        &html,
        "fr",
        "Vérifier un document",
        "Code de vérification",
        "/verify/7F3K9Q2MX4B8?lang=en",
    );
    assert!(html.contains("value=\"7F3K9Q2MX4B8\""), "{html}");
    assert!(html.contains("Code inconnu") && html.contains("Document authentique"));
    let (_, html) = server.get("/verify/7F3K-9Q2M-X4B8?lang=en", None).await;
    assert_verify_page(
        &html,
        "en",
        "Check a document",
        "Verification code",
        "/verify/7F3K-9Q2M-X4B8?lang=fr",
    );
    assert!(html.contains("value=\"7F3K-9Q2M-X4B8\""), "{html}");

    // Typed without JavaScript, the form sends `?code=`.
    let (_, html) = server.get("/verify?lang=en&code=abcd-efgh", None).await;
    assert!(html.contains("value=\"abcd-efgh\""), "{html}");

    // What is typed stays text.
    let (status, html) = server
        .get("/verify/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));

    // The answers the page shows: an unknown code, not a code at all.
    let (status, body) = server.get("/api/verify/7F3K-9Q2M-X4B8", Some("en")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["code"], "unknown_code");
    let (status, body) = server.get("/api/verify/not-a-code", Some("en")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let problem: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(problem["code"], "invalid_code");

    // The home page links to it.
    let (_, html) = server.get("/?lang=en", None).await;
    assert!(html.contains("href=\"/verify?lang=en\""), "{html}");
}
