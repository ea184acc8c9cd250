//! Filing an application over HTTP only, as the applicant site does: what
//! the applications API tests and the journey share. An [`Applicant`] is a
//! Bearer token on the API's address; uploads go to the signed URL the API
//! gives (the local storage router, or S3 on moto).

use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{Value, json};

/// Known to the demo e-photo service as valid, and as expired.
pub const EPHOTO_VALID: &str = "DEMO017BVUWM3XTGZXS5Z2";
pub const EPHOTO_EXPIRED: &str = "DEMO11PLTZ2PTZ2LCFU4ZX";

/// Where the applicant's and the agent's document endpoints start.
pub const APPLICANT: &str = "/api/applications";
pub const AGENT: &str = "/api/agent/applications";

/// A small but real PDF header: storage and confirm look at the first bytes.
pub fn pdf_bytes(label: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

pub fn png_bytes() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[0u8; 64]);
    bytes
}

/// An executable: ELF magic, whatever its name says.
pub fn elf_bytes() -> Vec<u8> {
    let mut bytes = b"\x7fELF\x02\x01\x01\x00".to_vec();
    bytes.extend_from_slice(&[0u8; 120]);
    bytes
}

pub fn personal() -> Value {
    json!({
        "usage_name": null,
        "family_situation": "single",
        "spouse_in_france": false,
        "children_in_france": 0,
        "address": {"line1": "12 rue de la République", "line2": "Bâtiment B", "postcode": "69003", "city": "Lyon"},
        "phone": "06 12 34 56 78"
    })
}

pub fn studies() -> Value {
    json!({
        "institution_type": "university",
        "cycle": "master",
        "level": "m1",
        "discipline": "computer_science",
        "institution_name": "Université Lumière Lyon 2",
        "academic_year": "2026-2027"
    })
}

pub fn resources() -> Value {
    json!({
        "lines": [
            {"kind": "scholarship", "monthly_amount": 45000},
            {"kind": "family_support", "monthly_amount": 25000}
        ],
        "explanation": "Bourse du gouvernement et aide de mes parents",
        "housed_free_of_charge": false
    })
}

pub fn documents_step() -> Value {
    json!({ "ephoto_code": EPHOTO_VALID })
}

/// The four step bodies, in order.
pub fn steps() -> [(&'static str, Value); 4] {
    [
        ("personal", personal()),
        ("studies", studies()),
        ("resources", resources()),
        ("documents", documents_step()),
    ]
}

/// One applicant's (or agent's) client.
#[derive(Clone)]
pub struct Applicant {
    /// `http://127.0.0.1:<port>` of the API.
    pub api: String,
    pub token: String,
    pub client: Client,
}

impl Applicant {
    pub fn new(api: &str, token: &str) -> Self {
        Applicant {
            api: api.trim_end_matches('/').to_string(),
            token: token.to_string(),
            client: Client::new(),
        }
    }

    /// Log in over HTTP and keep the Bearer token.
    pub async fn login(api: &str, email: &str, password: &str) -> Self {
        let response = Client::new()
            .post(format!("{api}/api/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("login request");
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "login: {}",
            response.text().await.unwrap()
        );
        let body: Value = response.json().await.unwrap();
        Applicant::new(api, body["token"].as_str().unwrap())
    }

    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>, headers: &[(&str, String)]) -> Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.api))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        request.send().await.expect("request")
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(Method::GET, path, None, &[]).await
    }

    /// `POST /api/applications`, checked.
    pub async fn create(&self) -> Value {
        let response = self.send(Method::POST, "/api/applications", None, &[]).await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "create: {}",
            response.text().await.unwrap()
        );
        response.json().await.unwrap()
    }

    /// `GET /api/applications/{id}`, checked.
    pub async fn application(&self, id: &str) -> Value {
        let response = self.get(&format!("/api/applications/{id}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
        let etag = response.headers()["etag"].to_str().unwrap().to_string();
        let body: Value = response.json().await.unwrap();
        assert_eq!(etag, format!("\"{}\"", body["version"]));
        body
    }

    pub async fn version(&self, id: &str) -> u64 {
        self.application(id).await["version"].as_u64().unwrap()
    }

    /// `PUT …/steps/{step}` with `If-Match: "<version>"`.
    pub async fn save_step(&self, id: &str, step: &str, version: u64, body: &Value) -> Response {
        self.send(
            Method::PUT,
            &format!("/api/applications/{id}/steps/{step}"),
            Some(body),
            &[("if-match", format!("\"{version}\""))],
        )
        .await
    }

    /// Save a step at the current version, checked; the new view.
    pub async fn save_step_ok(&self, id: &str, step: &str, body: &Value) -> Value {
        let version = self.version(id).await;
        let response = self.save_step(id, step, version, body).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{step}: {}",
            response.text().await.unwrap()
        );
        response.json().await.unwrap()
    }

    /// `POST …/documents`.
    pub async fn request_upload(
        &self,
        id: &str,
        kind: &str,
        file_name: &str,
        content_type: &str,
        size: i64,
    ) -> Response {
        self.request_upload_under(APPLICANT, id, kind, file_name, content_type, size)
            .await
    }

    /// `POST {base}/{id}/documents`: the applicant's (`APPLICANT`) or the agent's (`AGENT`).
    pub async fn request_upload_under(
        &self,
        base: &str,
        id: &str,
        kind: &str,
        file_name: &str,
        content_type: &str,
        size: i64,
    ) -> Response {
        let body = json!({ "kind": kind, "file_name": file_name, "content_type": content_type, "size": size });
        self.send(Method::POST, &format!("{base}/{id}/documents"), Some(&body), &[])
            .await
    }

    /// Send `bytes` where the ticket says, as a browser would.
    pub async fn upload(&self, ticket: &Value, bytes: Vec<u8>) -> Response {
        put_signed(&ticket["upload"], bytes).await
    }

    pub async fn confirm(&self, id: &str, doc: &str) -> Response {
        self.confirm_under(APPLICANT, id, doc).await
    }

    pub async fn confirm_under(&self, base: &str, id: &str, doc: &str) -> Response {
        self.send(Method::POST, &format!("{base}/{id}/documents/{doc}/confirm"), None, &[])
            .await
    }

    /// Ask for the URL, upload, confirm: the document as confirmed.
    pub async fn attach(&self, id: &str, kind: &str, file_name: &str, content_type: &str, bytes: Vec<u8>) -> Value {
        self.attach_under(APPLICANT, id, kind, file_name, content_type, bytes)
            .await
    }

    /// `attach` through the applicant's (`APPLICANT`) or the agent's (`AGENT`) endpoints.
    pub async fn attach_under(
        &self,
        base: &str,
        id: &str,
        kind: &str,
        file_name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Value {
        let response = self
            .request_upload_under(base, id, kind, file_name, content_type, bytes.len() as i64)
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "{kind}: {}",
            response.text().await.unwrap()
        );
        let ticket: Value = response.json().await.unwrap();
        let uploaded = self.upload(&ticket, bytes).await;
        assert!(
            uploaded.status().is_success(),
            "upload of {kind}: {} {}",
            uploaded.status(),
            uploaded.text().await.unwrap()
        );
        let doc = ticket["document"]["id"].as_str().unwrap();
        let response = self.confirm_under(base, id, doc).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", response.text().await.unwrap());
        let body: Value = response.json().await.unwrap();
        body["document"].clone()
    }

    /// Every step saved and every required document accepted.
    pub async fn fill_in(&self, id: &str) -> Value {
        for (step, body) in steps() {
            self.save_step_ok(id, step, &body).await;
        }
        let view = self.application(id).await;
        for kind in view["documents"]["required"].as_array().unwrap() {
            let kind = kind.as_str().unwrap();
            let doc = self
                .attach(id, kind, &format!("{kind}.pdf"), "application/pdf", pdf_bytes(kind))
                .await;
            assert_eq!(doc["status"], "accepted", "{doc}");
        }
        let view = self.application(id).await;
        assert_eq!(view["missing"], json!([]), "{view}");
        view
    }

    pub async fn validate(&self, id: &str, section: &str) -> Response {
        self.send(
            Method::POST,
            &format!("/api/applications/{id}/review/{section}"),
            None,
            &[],
        )
        .await
    }

    /// The four sections validated: 4/4.
    pub async fn validate_all(&self, id: &str) -> Value {
        let mut view = Value::Null;
        for section in ["personal", "studies", "resources", "documents"] {
            let response = self.validate(id, section).await;
            assert_eq!(
                response.status(),
                StatusCode::OK,
                "{section}: {}",
                response.text().await.unwrap()
            );
            view = response.json().await.unwrap();
        }
        assert_eq!(view["review"]["validated"], 4);
        assert_eq!(view["review"]["total"], 4);
        view
    }

    pub async fn submit(&self, id: &str, key: &str, comment: Option<&str>) -> Response {
        let body = json!({ "comment": comment });
        self.send(
            Method::POST,
            &format!("/api/applications/{id}/submit"),
            Some(&body),
            &[("idempotency-key", key.to_string())],
        )
        .await
    }
}

/// A request to a signed URL: its method, URL and signed headers (the
/// length comes from the body, as browsers send it).
pub async fn put_signed(request: &Value, bytes: Vec<u8>) -> Response {
    send_signed(request, request["url"].as_str().unwrap(), bytes).await
}

pub async fn send_signed(request: &Value, url: &str, bytes: Vec<u8>) -> Response {
    let method = Method::from_bytes(request["method"].as_str().unwrap().as_bytes()).unwrap();
    let mut builder = Client::new().request(method, url);
    for pair in request["headers"].as_array().unwrap() {
        let (name, value) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
        if !name.eq_ignore_ascii_case("content-length") {
            builder = builder.header(name, value);
        }
    }
    builder.body(bytes).send().await.expect("signed request")
}
