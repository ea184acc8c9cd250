//! What the API tests share: [`spawn_app`] serves the real router on
//! 127.0.0.1 over a fresh local runtime (SQLite and an outbox folder in a
//! temporary directory, a manual clock), with a few state records; the
//! returned [`TestApp`] sends requests and reads the emailed links.
#![allow(dead_code)]

pub mod filing;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use reqwest::{Client, Method, Response, StatusCode};
use sejour::Config;
use sejour::adapters::ManualClock;
use sejour::adapters::local::{LocalRuntime, OUTBOX_DIR};
use sejour::domain::state_record::RawStateRecord;
use serde_json::{Value, json};

/// The instant every test starts at.
pub const START: &str = "2026-06-15T09:00:00Z";
/// A password that meets the policy.
pub const PASSWORD: &str = "Correct horse battery 7";
pub const NEW_PASSWORD: &str = "Tulipes rouges au printemps";

/// A state record the tests activate accounts with.
pub struct Seed {
    pub kind: &'static str,
    pub number: &'static str,
    pub document_type: &'static str,
    pub valid_from: &'static str,
    pub valid_until: &'static str,
    pub foreigner_number: Option<&'static str>,
    pub surname: &'static str,
    pub given_names: &'static str,
    pub birth_date: &'static str,
}

/// A student residence permit (renewal path, F2b).
pub const PERMIT: Seed = Seed {
    kind: "permit",
    number: "PS1234567",
    document_type: "permit_student",
    valid_from: "2025-10-01",
    valid_until: "2026-09-30",
    foreigner_number: Some("7501234567"),
    surname: "Diallo",
    given_names: "Awa",
    birth_date: "2003-04-05",
};

/// A VLS-TS "étudiant" (first application, provisional account, F2c),
/// arrived two weeks before `START`: on time.
pub const VISA: Seed = Seed {
    kind: "visa",
    number: "VS7654321",
    document_type: "vls_ts_student",
    valid_from: "2026-06-01",
    valid_until: "2027-05-31",
    foreigner_number: None,
    surname: "Li",
    given_names: "Wei",
    birth_date: "2003-04-05",
};

/// Another permit, for a second applicant; in its renewal window at `START`.
pub const OTHER_PERMIT: Seed = Seed {
    kind: "permit",
    number: "PO5555555",
    document_type: "permit_other",
    valid_from: "2024-10-02",
    valid_until: "2026-10-01",
    foreigner_number: Some("6901234567"),
    surname: "Pérez",
    given_names: "Carlos",
    birth_date: "2003-04-05",
};

/// Not covered: EU long-term resident card.
pub const EU_LONG_TERM: Seed = Seed {
    kind: "permit",
    number: "EU1111111",
    document_type: "eu_long_term",
    valid_from: "2022-03-01",
    valid_until: "2027-02-28",
    foreigner_number: Some("1301234567"),
    surname: "Silva",
    given_names: "Ana",
    birth_date: "2003-04-05",
};

/// Not covered: short-stay visa "concours".
pub const CONCOURS: Seed = Seed {
    kind: "visa",
    number: "VC2222222",
    document_type: "visa_concours",
    valid_from: "2026-05-01",
    valid_until: "2026-07-31",
    foreigner_number: None,
    surname: "Nguyen",
    given_names: "Minh",
    birth_date: "2003-04-05",
};

pub const SEEDS: [&Seed; 5] = [&PERMIT, &VISA, &OTHER_PERMIT, &EU_LONG_TERM, &CONCOURS];

impl Seed {
    /// The activation request for this record.
    pub fn activation(&self, email: &str, password: &str) -> Value {
        json!({
            "kind": self.kind,
            "number": self.number,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "email": email,
            "password": password,
        })
    }

    pub fn raw(&self) -> RawStateRecord {
        RawStateRecord {
            kind: self.kind.into(),
            number: self.number.into(),
            document_type: self.document_type.into(),
            valid_from: self.valid_from.into(),
            valid_until: self.valid_until.into(),
            foreigner_number: self.foreigner_number.map(String::from),
            surname: self.surname.into(),
            given_names: self.given_names.into(),
            sex: "F".into(),
            birth_date: self.birth_date.into(),
            birth_place: "Dakar".into(),
            birth_country: "SEN".into(),
            nationality: "SEN".into(),
        }
    }
}

/// The running service and what tests need around it.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`, also the configured public URL.
    pub address: String,
    /// Keeps cookies, like a browser.
    pub client: Client,
    pub clock: Arc<ManualClock>,
    pub runtime: LocalRuntime,
    pub data_dir: tempfile::TempDir,
    /// Emails already handed to a test by [`TestApp::token_from_email`].
    seen: Mutex<HashSet<PathBuf>>,
}

/// Serve the API with `secure_cookies = false` (so the cookie store can
/// send the session cookie back over http).
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Serve the API with an adjusted configuration.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let address = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config::local(&address);
    config.secure_cookies = false;
    configure(&mut config);

    let data_dir = tempfile::tempdir().expect("temporary data folder");
    let start: DateTime<Utc> = START.parse().unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let runtime = LocalRuntime::open(data_dir.path(), config, clock.clone())
        .await
        .expect("local runtime");
    let records: Vec<_> = SEEDS
        .iter()
        .map(|s| s.raw().parse().expect("valid seed record"))
        .collect();
    runtime
        .app
        .ports
        .records
        .put_many(&records)
        .await
        .expect("seed state records");

    // As `sejour serve`: the API and the signed document URLs on one address.
    let router = sejour::api::router(runtime.app.clone()).merge(runtime.storage_router());
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("server");
    });
    TestApp {
        address,
        client: Client::builder().cookie_store(true).build().unwrap(),
        clock,
        runtime,
        data_dir,
        seen: Mutex::new(HashSet::new()),
    }
}

/// A client that keeps no cookies (an API client, or another device).
pub fn client_without_cookies() -> Client {
    Client::builder().build().unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Send `body` as JSON with `client`, with a Bearer token if given.
    pub async fn send(
        &self,
        client: &Client,
        method: Method,
        path: &str,
        body: Option<&Value>,
        bearer: Option<&str>,
    ) -> Response {
        let mut request = client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.send(&self.client, Method::POST, path, Some(body), None).await
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(&self.client, Method::GET, path, None, None).await
    }

    pub async fn patch(&self, path: &str, body: &Value) -> Response {
        self.send(&self.client, Method::PATCH, path, Some(body), None).await
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Every email in the outbox, oldest first.
    pub async fn emails(&self) -> Vec<Mail> {
        self.runtime.flush_mail().await;
        let dir = self.data_dir.path().join(OUTBOX_DIR);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("outbox")
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        // Named by UUID v7: the names sort by time.
        files.sort();
        files
            .into_iter()
            .map(|file| {
                let raw = std::fs::read_to_string(&file).expect("readable email");
                Mail::parse(file, &raw)
            })
            .collect()
    }

    /// The emails sent to `to`.
    pub async fn emails_to(&self, to: &str) -> Vec<Mail> {
        self.emails().await.into_iter().filter(|m| m.is_to(to)).collect()
    }

    /// The token of the newest email to `to` with a `{public_url}{page}?token=`
    /// link that no test has taken yet. Panics if there is none.
    pub async fn token_from_email(&self, to: &str, page: &str) -> String {
        self.try_token_from_email(to, page)
            .await
            .unwrap_or_else(|| panic!("no new email to {to} with a {page} link"))
    }

    pub async fn try_token_from_email(&self, to: &str, page: &str) -> Option<String> {
        let prefix = format!("{}{page}?token=", self.address);
        let mut seen = self.seen.lock().unwrap().clone();
        let found = self
            .emails()
            .await
            .into_iter()
            .rev()
            .filter(|m| m.is_to(to) && !seen.contains(&m.file))
            .find_map(|m| m.link_token(&prefix).map(|t| (m.file, t)));
        let (file, token) = found?;
        seen.insert(file);
        *self.seen.lock().unwrap() = seen;
        Some(token)
    }

    /// Activate an account with `seed` (answer checked: 201).
    pub async fn activate(&self, seed: &Seed, email: &str) {
        let response = self
            .post("/api/accounts/activate", &seed.activation(email, PASSWORD))
            .await;
        assert_eq!(
            response.status(),
            StatusCode::ACCEPTED,
            "activation: {}",
            response.text().await.unwrap()
        );
    }

    /// Activate with `seed` and follow the verification link.
    pub async fn activate_and_verify(&self, seed: &Seed, email: &str) {
        self.activate(seed, email).await;
        let token = self.token_from_email(email, "/verify-email").await;
        let response = self
            .post("/api/accounts/verify-email", &json!({ "token": token }))
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }

    /// Log in with `client` (its cookie store keeps the session, if it has one).
    pub async fn login_with(&self, client: &Client, email: &str, password: &str) -> Response {
        let body = json!({ "email": email, "password": password });
        self.send(client, Method::POST, "/api/auth/login", Some(&body), None)
            .await
    }

    /// Log in with the cookie client; panics unless it succeeds.
    pub async fn login(&self, email: &str, password: &str) -> Value {
        let response = self.login_with(&self.client, email, password).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "login: {}",
            response.text().await.unwrap()
        );
        response.json().await.unwrap()
    }

    /// Log in without cookies and return the Bearer token.
    pub async fn bearer(&self, email: &str, password: &str) -> String {
        let response = self.login_with(&client_without_cookies(), email, password).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "login: {}",
            response.text().await.unwrap()
        );
        let body: Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_string()
    }

    /// `GET path` with a Bearer token and no cookies.
    pub async fn get_bearer(&self, path: &str, token: &str) -> Response {
        self.send(&client_without_cookies(), Method::GET, path, None, Some(token))
            .await
    }
}

/// Check a problem+json answer: status, content type, `type` and `code`; returns the body.
pub async fn assert_problem(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status, "status for {code}");
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    assert_eq!(content_type.as_deref(), Some("application/problem+json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["type"], format!("urn:sejour:problem:{code}"));
    assert_eq!(body["status"], status.as_u16());
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
    body
}

/// The `(field, code)` pairs of a `validation_failed` problem.
pub fn field_errors(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "message for {e}");
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// One email of the outbox, decoded.
#[derive(Debug, Clone)]
pub struct Mail {
    pub file: PathBuf,
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mail {
    /// Parse an RFC 5322 message with one text part (7bit, 8bit,
    /// quoted-printable or base64), as the outbox writes them.
    pub fn parse(file: PathBuf, raw: &str) -> Mail {
        let raw = raw.replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some(last) = headers.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
            } else if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        let body = match header("content-transfer-encoding").to_ascii_lowercase().as_str() {
            "quoted-printable" => String::from_utf8(decode_quoted_printable(body)).unwrap(),
            "base64" => {
                let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
                String::from_utf8(base64::engine::general_purpose::STANDARD.decode(compact).unwrap()).unwrap()
            }
            _ => body.to_string(),
        };
        Mail {
            file,
            to: header("to"),
            subject: decode_encoded_words(&header("subject")),
            body,
        }
    }

    /// Whether the email is addressed to exactly `address`.
    pub fn is_to(&self, address: &str) -> bool {
        let to = match (self.to.find('<'), self.to.rfind('>')) {
            (Some(start), Some(end)) if start < end => &self.to[start + 1..end],
            _ => self.to.as_str(),
        };
        to.trim().eq_ignore_ascii_case(address)
    }

    /// The token of the first link that starts with `prefix`.
    pub fn link_token(&self, prefix: &str) -> Option<String> {
        let start = self.body.find(prefix)? + prefix.len();
        let token: String = self.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        (!token.is_empty()).then_some(token)
    }
}

fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            if bytes.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            if let Some(hex) = text.get(i + 1..i + 3)
                && let Ok(byte) = u8::from_str_radix(hex, 16)
            {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`), enough for subjects.
fn decode_encoded_words(value: &str) -> String {
    let mut out = String::new();
    let mut previous_encoded = false;
    for word in value.split_whitespace() {
        let decoded = word.strip_prefix("=?").and_then(|w| w.strip_suffix("?=")).map(|inner| {
            let mut parts = inner.splitn(3, '?');
            let (_charset, encoding, text) = (parts.next(), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let bytes = if encoding.eq_ignore_ascii_case("b") {
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .unwrap_or_default()
            } else {
                decode_quoted_printable(&text.replace('_', " "))
            };
            String::from_utf8_lossy(&bytes).into_owned()
        });
        // Whitespace between two encoded words is not part of the text.
        let between_encoded = previous_encoded && decoded.is_some();
        if !out.is_empty() && !between_encoded {
            out.push(' ');
        }
        previous_encoded = decoded.is_some();
        out.push_str(&decoded.unwrap_or_else(|| word.to_string()));
    }
    out
}
