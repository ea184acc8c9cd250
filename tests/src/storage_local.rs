//! The local document storage enforces its signed URLs as S3 does its
//! presigned ones (moto does not, so this is where refusals are tested):
//! a tampered signature, an expired URL, another type, another length, an
//! oversize body, another method and a key leaving the folder are all
//! refused with a problem+json code, and nothing is written.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, StatusCode};
use sejour::Config;
use sejour::adapters::ManualClock;
use sejour::adapters::local::LocalRuntime;
use sejour::domain::application::documents::FileType;
use sejour::ports::PresignedRequest;
use serde_json::Value;

const MAX: u64 = 2000;

fn t0() -> DateTime<Utc> {
    "2026-09-01T09:00:00Z".parse().unwrap()
}

struct Local {
    runtime: LocalRuntime,
    clock: Arc<ManualClock>,
    address: String,
    dir: tempfile::TempDir,
}

async fn local() -> Local {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(t0()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let mut config = Config::local(&address);
    config.max_upload_bytes = MAX;
    let runtime = LocalRuntime::open(dir.path(), config, clock.clone()).await.unwrap();
    let router = runtime.storage_router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    Local {
        runtime,
        clock,
        address,
        dir,
    }
}

fn key() -> String {
    format!("applications/{}/{}", uuid::Uuid::now_v7(), uuid::Uuid::now_v7())
}

fn pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(len, b'x');
    bytes
}

/// Every file under `dir`, temporary uploads included.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

impl Local {
    async fn upload_url(&self, key: &str, length: u64) -> PresignedRequest {
        self.runtime
            .app
            .ports
            .storage
            .presign_upload(key, FileType::Pdf, length, t0() + Duration::minutes(10))
            .await
            .unwrap()
    }

    async fn put(&self, url: &str, content_type: Option<&str>, body: Vec<u8>) -> reqwest::Response {
        let mut request = reqwest::Client::new().put(url);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.body(body).send().await.unwrap()
    }

    /// Refused with `status` and `code`, and nothing stored anywhere.
    async fn assert_refused(&self, response: reqwest::Response, status: StatusCode, code: &str, key: &str) {
        assert_eq!(response.status(), status, "{code}");
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], code, "{body}");
        assert_eq!(body["type"], format!("urn:sejour:problem:{code}"));
        assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()));
        assert_eq!(self.runtime.app.ports.storage.inspect(key).await.unwrap(), None);
        assert_eq!(
            files(&self.dir.path().join("documents")),
            Vec::<std::path::PathBuf>::new()
        );
    }
}

#[tokio::test]
async fn a_signed_upload_is_stored() {
    let local = local().await;
    let key = key();
    let request = local.upload_url(&key, 1500).await;
    assert!(
        request.url.starts_with(&format!(
            "{}/storage/{key}?method=PUT&type=application%2Fpdf&length=1500&expires=",
            local.address
        )),
        "{}",
        request.url
    );
    let response = local.put(&request.url, Some("application/pdf"), pdf(1500)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let stored = std::fs::read(local.dir.path().join("documents").join(&key)).unwrap();
    assert_eq!(stored, pdf(1500));
    // Only the document: no temporary file is left behind.
    assert_eq!(files(&local.dir.path().join("documents")).len(), 1);
}

#[tokio::test]
async fn a_tampered_signature_is_refused() {
    let local = local().await;
    let key = key();
    let url = local.upload_url(&key, 100).await.url;
    let (rest, signature) = url.rsplit_once("signature=").unwrap();
    let flipped = if signature.starts_with('0') { "1" } else { "0" };
    let tampered = format!("{rest}signature={flipped}{}", &signature[1..]);
    let response = local.put(&tampered, Some("application/pdf"), pdf(100)).await;
    local
        .assert_refused(response, StatusCode::FORBIDDEN, "invalid_signature", &key)
        .await;

    // Changing a signed value (a longer length) breaks the signature too.
    let longer = url.replace("length=100", "length=200");
    let response = local.put(&longer, Some("application/pdf"), pdf(200)).await;
    local
        .assert_refused(response, StatusCode::FORBIDDEN, "invalid_signature", &key)
        .await;

    // As does moving the URL to another key.
    let other = self::key();
    let moved = url.replace(&key, &other);
    let response = local.put(&moved, Some("application/pdf"), pdf(100)).await;
    local
        .assert_refused(response, StatusCode::FORBIDDEN, "invalid_signature", &other)
        .await;

    // Or dropping the signature.
    let response = local
        .put(rest.trim_end_matches('&'), Some("application/pdf"), pdf(100))
        .await;
    local
        .assert_refused(response, StatusCode::FORBIDDEN, "invalid_signature", &key)
        .await;
}

#[tokio::test]
async fn an_expired_url_is_refused() {
    let local = local().await;
    let key = key();
    let url = local.upload_url(&key, 100).await.url;
    local.clock.advance(Duration::minutes(10) + Duration::seconds(1));
    let response = local.put(&url, Some("application/pdf"), pdf(100)).await;
    local
        .assert_refused(response, StatusCode::FORBIDDEN, "expired_url", &key)
        .await;

    // Pushing the expiry back breaks the signature.
    let later = (t0() + Duration::hours(1)).timestamp();
    let (before, after) = url.split_once("expires=").unwrap();
    let (_, after) = after.split_once('&').unwrap();
    let response = local
        .put(
            &format!("{before}expires={later}&{after}"),
            Some("application/pdf"),
            pdf(100),
        )
        .await;
    local
        .assert_refused(response, StatusCode::FORBIDDEN, "invalid_signature", &key)
        .await;
}

#[tokio::test]
async fn another_type_is_refused() {
    let local = local().await;
    let key = key();
    let url = local.upload_url(&key, 100).await.url;
    for content_type in [Some("application/x-msdownload"), Some("image/png"), None] {
        let response = local.put(&url, content_type, pdf(100)).await;
        local
            .assert_refused(response, StatusCode::BAD_REQUEST, "type_mismatch", &key)
            .await;
    }
}

#[tokio::test]
async fn another_length_is_refused() {
    let local = local().await;
    let key = key();
    let url = local.upload_url(&key, 100).await.url;
    for length in [99, 101, 0] {
        let response = local.put(&url, Some("application/pdf"), pdf(length)).await;
        local
            .assert_refused(response, StatusCode::BAD_REQUEST, "length_mismatch", &key)
            .await;
    }
}

#[tokio::test]
async fn an_oversize_body_is_refused() {
    let local = local().await;
    let key = key();
    let url = local.upload_url(&key, MAX).await.url;
    let response = local.put(&url, Some("application/pdf"), pdf(MAX as usize * 3)).await;
    local
        .assert_refused(response, StatusCode::PAYLOAD_TOO_LARGE, "too_large", &key)
        .await;
    // No URL is signed for more than the limit either.
    let storage = &local.runtime.app.ports.storage;
    assert!(
        storage
            .presign_upload(&key, FileType::Pdf, MAX + 1, t0() + Duration::minutes(5))
            .await
            .is_err()
    );
}

#[tokio::test]
async fn another_method_is_refused() {
    let local = local().await;
    let key = key();
    let storage = &local.runtime.app.ports.storage;
    storage.put(&key, pdf(100), FileType::Pdf).await.unwrap();
    let download = storage
        .presign_download(&key, "a.pdf", FileType::Pdf, t0() + Duration::minutes(5))
        .await
        .unwrap()
        .url;
    // A download URL does not allow an upload.
    let response = local.put(&download, Some("application/pdf"), pdf(100)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "invalid_signature");
    assert_eq!(storage.get(&key).await.unwrap(), Some(pdf(100)));

    // An upload URL does not allow a download, even once something is there.
    let other = self::key();
    let upload = local.upload_url(&other, 100).await.url;
    assert_eq!(
        local.put(&upload, Some("application/pdf"), pdf(100)).await.status(),
        StatusCode::OK
    );
    let response = reqwest::get(&upload).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "invalid_signature");

    // Other methods are not served at all.
    let response = reqwest::Client::new()
        .request(Method::DELETE, &upload)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(storage.get(&other).await.unwrap().is_some());
}

/// Send a request exactly as written: HTTP clients normalise `..` and
/// `%2E%2E` segments away, an attacker's does not.
async fn raw(address: &str, method: &str, target: &str, body: &[u8]) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/pdf\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).to_string();
    let status = answer.split(' ').nth(1).unwrap().parse().unwrap();
    (status, answer)
}

#[tokio::test]
async fn keys_leaving_the_folder_are_refused() {
    let local = local().await;
    let url = local.upload_url("applications/a/b", 100).await.url;
    let query = url.split_once('?').unwrap().1;
    for path in [
        "/storage/applications/../../storage.key",
        "/storage/../storage.key",
        "/storage/applications/%2E%2E/%2E%2E/storage.key",
        "/storage/%2E%2E%2Fstorage.key",
        "/storage//etc/passwd",
        "/storage/%2Fetc%2Fpasswd",
        "/storage/applications/a/b.pdf",
    ] {
        for method in ["PUT", "GET"] {
            let (status, answer) = raw(&local.address, method, &format!("{path}?{query}"), &pdf(100)).await;
            assert_eq!(status, 400, "{method} {path}: {answer}");
            assert!(answer.contains("\"code\":\"invalid_key\""), "{answer}");
        }
    }
    assert_eq!(
        files(&local.dir.path().join("documents")),
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(std::fs::read(local.dir.path().join("storage.key")).unwrap().len(), 32);
}

#[tokio::test]
async fn downloads_are_served_inline_and_never_cached() {
    let local = local().await;
    let key = key();
    let storage = &local.runtime.app.ports.storage;
    storage.put(&key, pdf(300), FileType::Pdf).await.unwrap();
    let url = storage
        .presign_download(
            &key,
            "Attestation d'hébergement.pdf",
            FileType::Pdf,
            t0() + Duration::minutes(5),
        )
        .await
        .unwrap()
        .url;
    let response = reqwest::get(&url).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(
        headers["content-disposition"],
        "inline; filename=\"Attestation d'h_bergement.pdf\"; filename*=UTF-8''Attestation%20d%27h%C3%A9bergement.pdf"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "private, no-store");
    assert_eq!(response.bytes().await.unwrap().to_vec(), pdf(300));

    // Another name, type or key breaks the signature; later, the URL has expired.
    for tampered in [
        url.replace("filename=Attestation", "filename=Other"),
        url.replace("type=application%2Fpdf", "type=text%2Fhtml"),
    ] {
        let response = reqwest::get(&tampered).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    local.clock.advance(Duration::minutes(6));
    let response = reqwest::get(&url).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "expired_url");

    // A signed URL for nothing stored: not found.
    let missing = storage
        .presign_download(&self::key(), "a.pdf", FileType::Pdf, t0() + Duration::minutes(15))
        .await
        .unwrap()
        .url;
    let response = reqwest::get(&missing).await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "not_found");
}

#[tokio::test]
async fn urls_survive_a_restart_and_not_another_secret() {
    let local = local().await;
    let key = key();
    let url = local.upload_url(&key, 100).await.url;
    let data_dir = local.dir.path().to_path_buf();
    let secret = std::fs::read(data_dir.join("storage.key")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data_dir.join("storage.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // Reopened on the same folder (same address): same secret, same URLs.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let reopened = LocalRuntime::open(&data_dir, Config::local(&local.address), local.clock.clone())
        .await
        .unwrap();
    assert_eq!(std::fs::read(data_dir.join("storage.key")).unwrap(), secret);
    let again = reopened
        .app
        .ports
        .storage
        .presign_upload(&key, FileType::Pdf, 100, t0() + Duration::minutes(10))
        .await
        .unwrap()
        .url;
    assert_eq!(again, url);
    let router = reopened.storage_router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let moved = url.replace(&local.address, &address);
    let response = local.put(&moved, Some("application/pdf"), pdf(100)).await;
    assert_eq!(response.status(), StatusCode::OK);

    // Another data folder has another secret: its server refuses this URL.
    let stranger = self::local().await;
    let foreign = url.replace(&local.address, &stranger.address);
    let response = stranger.put(&foreign, Some("application/pdf"), pdf(100)).await;
    stranger
        .assert_refused(response, StatusCode::FORBIDDEN, "invalid_signature", &key)
        .await;
}
