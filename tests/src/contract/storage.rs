//! The contract of document storage: the same on a local folder behind
//! server-signed URLs and on S3 (moto) behind presigned URLs. The requests to
//! the signed URLs are real HTTP requests, as a browser makes them.
//!
//! moto does not check presigned URLs (signature, expiry, type, length):
//! refusals are tested on the local storage (`tests/storage_local.rs`) and
//! the S3 signing in `harness.rs` (`aws::presigned_uploads_sign_type_and_length`).

use chrono::Duration;
use uuid::Uuid;

use sejour::domain::application::documents::{FileType, SNIFF_LEN};
use sejour::ports::{PresignedRequest, StoredObject};

use super::harness::{Harness, t0};

fn key() -> String {
    format!("applications/{}/{}", Uuid::now_v7(), Uuid::now_v7())
}

fn pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(len, b'x');
    bytes
}

/// Send the request the browser would: the signed method and headers
/// (`content-length` comes from the body itself, as in a browser).
async fn send(request: &PresignedRequest, body: Vec<u8>) -> reqwest::Response {
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap();
    let mut builder = reqwest::Client::new().request(method, &request.url);
    for (name, value) in &request.headers {
        if name == "content-length" {
            assert_eq!(value, &body.len().to_string(), "the signed length is the body's");
        } else {
            builder = builder.header(name, value);
        }
    }
    builder.body(body).send().await.expect("request to the signed URL")
}

pub async fn presigned_uploads_are_inspected(h: &Harness) {
    let storage = &h.ports().storage;
    let key = key();
    assert_eq!(storage.inspect(&key).await.unwrap(), None);
    let bytes = pdf(3000);
    let request = storage
        .presign_upload(&key, FileType::Pdf, bytes.len() as u64, t0() + Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(request.method, "PUT");
    assert_eq!(request.expires_at, t0() + Duration::minutes(5));
    let header = |name: &str| request.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    assert_eq!(header("content-type"), Some("application/pdf"));
    assert_eq!(header("content-length"), Some("3000"));

    let response = send(&request, bytes.clone()).await;
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    assert_eq!(
        storage.inspect(&key).await.unwrap(),
        Some(StoredObject {
            size: 3000,
            head: bytes[..SNIFF_LEN].to_vec()
        })
    );
    assert_eq!(storage.get(&key).await.unwrap(), Some(bytes));
}

pub async fn small_files_are_inspected_whole(h: &Harness) {
    let storage = &h.ports().storage;
    let key = key();
    storage.put(&key, b"\x89PNG".to_vec(), FileType::Png).await.unwrap();
    assert_eq!(
        storage.inspect(&key).await.unwrap(),
        Some(StoredObject {
            size: 4,
            head: b"\x89PNG".to_vec()
        })
    );
    let empty = self::key();
    storage.put(&empty, Vec::new(), FileType::Pdf).await.unwrap();
    assert_eq!(
        storage.inspect(&empty).await.unwrap(),
        Some(StoredObject {
            size: 0,
            head: Vec::new()
        })
    );
}

pub async fn documents_are_put_read_and_deleted(h: &Harness) {
    let storage = &h.ports().storage;
    let key = key();
    assert_eq!(storage.get(&key).await.unwrap(), None);
    storage.put(&key, pdf(100), FileType::Pdf).await.unwrap();
    assert_eq!(storage.get(&key).await.unwrap(), Some(pdf(100)));
    // Replaced whole.
    storage.put(&key, pdf(40), FileType::Pdf).await.unwrap();
    assert_eq!(storage.get(&key).await.unwrap(), Some(pdf(40)));
    assert_eq!(storage.inspect(&key).await.unwrap().map(|o| o.size), Some(40));
    storage.delete(&key).await.unwrap();
    assert_eq!(storage.get(&key).await.unwrap(), None);
    assert_eq!(storage.inspect(&key).await.unwrap(), None);
    // Deleting what is not there is not an error.
    storage.delete(&key).await.unwrap();
}

pub async fn presigned_downloads_return_the_bytes(h: &Harness) {
    let storage = &h.ports().storage;
    let key = key();
    let bytes = pdf(5000);
    storage.put(&key, bytes.clone(), FileType::Pdf).await.unwrap();
    let request = storage
        .presign_download(&key, "relevé de notes.pdf", FileType::Pdf, t0() + Duration::minutes(2))
        .await
        .unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(request.expires_at, t0() + Duration::minutes(2));
    let response = send(&request, Vec::new()).await;
    assert!(response.status().is_success(), "{}", response.status());
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    assert_eq!(header("content-type").as_deref(), Some("application/pdf"));
    let disposition = header("content-disposition").unwrap_or_default();
    assert!(
        disposition.starts_with("inline;") && disposition.contains("filename*=UTF-8''relev%C3%A9%20de%20notes.pdf"),
        "{disposition}"
    );
    assert_eq!(response.bytes().await.unwrap().to_vec(), bytes);
}

pub async fn signed_urls_live_fifteen_minutes_at_most(h: &Harness) {
    let storage = &h.ports().storage;
    let key = key();
    let upload = storage
        .presign_upload(&key, FileType::Jpeg, 10, t0() + Duration::days(7))
        .await
        .unwrap();
    assert_eq!(upload.expires_at, t0() + Duration::minutes(15));
    let download = storage
        .presign_download(&key, "photo.jpg", FileType::Jpeg, t0() + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(download.expires_at, t0() + Duration::minutes(15));
    // Already past: a mistake of the caller.
    assert!(storage.presign_upload(&key, FileType::Jpeg, 10, t0()).await.is_err());
    // Counted from the service's clock.
    h.clock.advance(Duration::hours(1));
    let later = storage
        .presign_upload(&key, FileType::Jpeg, 10, t0() + Duration::hours(3))
        .await
        .unwrap();
    assert_eq!(later.expires_at, t0() + Duration::minutes(75));
}

pub async fn keys_and_sizes_outside_the_rules_are_refused(h: &Harness) {
    let storage = &h.ports().storage;
    let later = t0() + Duration::minutes(5);
    for bad in [
        "../secret",
        "/etc/passwd",
        "applications/../../x",
        "a/b.pdf",
        "",
        "a//b",
    ] {
        assert!(
            storage.presign_upload(bad, FileType::Pdf, 10, later).await.is_err(),
            "{bad}"
        );
        assert!(
            storage
                .presign_download(bad, "x.pdf", FileType::Pdf, later)
                .await
                .is_err(),
            "{bad}"
        );
        assert!(storage.put(bad, pdf(10), FileType::Pdf).await.is_err(), "{bad}");
        assert!(storage.get(bad).await.is_err(), "{bad}");
        assert!(storage.inspect(bad).await.is_err(), "{bad}");
        assert!(storage.delete(bad).await.is_err(), "{bad}");
    }
    let max = h.app.config.max_upload_bytes;
    assert!(storage.presign_upload(&key(), FileType::Pdf, max, later).await.is_ok());
    assert!(
        storage
            .presign_upload(&key(), FileType::Pdf, max + 1, later)
            .await
            .is_err()
    );
}

pub async fn the_demo_ephoto_service_answers(h: &Harness) {
    use sejour::adapters::ephoto::DemoEphoto;
    use sejour::domain::application::documents::EphotoCode;
    use sejour::ports::EphotoCheck;

    let demo = DemoEphoto::shipped();
    let ephoto = &h.ports().ephoto;
    let valid = demo.codes(EphotoCheck::Valid)[0];
    let expired = demo.codes(EphotoCheck::Expired)[0];
    assert_eq!(ephoto.check(valid).await.unwrap(), EphotoCheck::Valid);
    assert_eq!(ephoto.check(expired).await.unwrap(), EphotoCheck::Expired);
    let unknown = EphotoCode::parse("ZZ99ZZ99ZZ99ZZ99ZZ99ZZ").unwrap();
    assert_eq!(ephoto.check(&unknown).await.unwrap(), EphotoCheck::Unknown);
}
