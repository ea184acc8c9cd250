//! Document storage of the embedded mode: files under `DATA_DIR/documents/`,
//! uploaded and downloaded by the browser through URLs this server signs
//! itself (HMAC-SHA256), with the same rules as S3 presigned URLs, and
//! enforced here since no S3 checks them.
//!
//! URLs (served by [`storage_router`] at the configured `public_url`):
//! - upload: `PUT {public_url}/storage/<key>?method=PUT&type=<mime>&length=<n>&expires=<unix>&signature=<hex>`,
//!   with exactly `Content-Type: <mime>` and `Content-Length: <n>`;
//! - download: `GET {public_url}/storage/<key>?method=GET&type=<mime>&filename=<name>&expires=<unix>&signature=<hex>`.
//!
//! The signature covers the method, the key, the type, the length (uploads),
//! the file name (downloads) and the expiry; its secret is 32 random bytes
//! made at first open in `DATA_DIR/storage.key` (mode 0600) and kept, so
//! URLs survive a restart. Refusals are problem+json: `invalid_key`,
//! `invalid_signature` (also a URL used with another method),
//! `expired_url`, `type_mismatch`, `length_mismatch`, `too_large`,
//! `not_found`.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use async_trait::async_trait;
use axum::Router;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::Deserialize;
use sha2::Sha256;
use tokio::io::AsyncReadExt;
use uuid::Uuid;

use crate::adapters::storage::{bounded_expiry, check_key, check_upload, content_disposition, percent_encode};
use crate::config::Config;
use crate::domain::account::Language;
use crate::domain::application::documents::{FileType, SNIFF_LEN};
use crate::ports::{Clock, DocumentStorage, PresignedRequest, StoredObject};

/// The documents folder inside the data folder.
pub const DOCUMENTS_DIR: &str = "documents";
/// The signing secret inside the data folder.
pub const STORAGE_KEY_FILE: &str = "storage.key";
/// Uploads being written, inside the documents folder. Keys cannot contain
/// a dot, so no key can name it.
const INCOMING_DIR: &str = ".incoming";
const SECRET_LEN: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// Files in a folder, and the signing of the URLs that reach them.
pub struct LocalStorage {
    root: PathBuf,
    secret: [u8; SECRET_LEN],
    public_url: String,
    max_upload_bytes: u64,
    clock: Arc<dyn Clock>,
}

impl LocalStorage {
    /// Open the storage of `data_dir`: create `documents/` and the signing
    /// secret on first use, reuse them afterwards. URLs point to
    /// `config.public_url`, where [`storage_router`] must be served.
    pub fn open(data_dir: &Path, config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<LocalStorage> {
        let root = data_dir.join(DOCUMENTS_DIR);
        std::fs::create_dir_all(root.join(INCOMING_DIR)).with_context(|| format!("creating {}", root.display()))?;
        Ok(LocalStorage {
            secret: load_or_create_secret(&data_dir.join(STORAGE_KEY_FILE))?,
            root,
            public_url: config.public_url.trim_end_matches('/').to_string(),
            max_upload_bytes: config.max_upload_bytes,
            clock,
        })
    }

    fn path(&self, key: &str) -> anyhow::Result<PathBuf> {
        check_key(key)?;
        Ok(self.root.join(key))
    }

    fn signature(&self, grant: &Grant<'_>) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.secret).expect("HMAC takes keys of any length");
        // A JSON array: unambiguous whatever the fields contain.
        let message = serde_json::to_vec(&(
            "sejour-storage-v1",
            grant.method,
            grant.key,
            grant.mime,
            grant.length,
            grant.file_name,
            grant.expires,
        ))
        .expect("strings and numbers serialise");
        mac.update(&message);
        mac
    }

    fn signed_url(&self, grant: &Grant<'_>) -> String {
        let signature = hex(&self.signature(grant).finalize().into_bytes());
        let mut url = format!(
            "{}/storage/{}?method={}&type={}",
            self.public_url,
            grant.key,
            grant.method,
            percent_encode(grant.mime)
        );
        if let Some(length) = grant.length {
            url.push_str(&format!("&length={length}"));
        }
        if let Some(name) = grant.file_name {
            url.push_str(&format!("&filename={}", percent_encode(name)));
        }
        url.push_str(&format!("&expires={}&signature={signature}", grant.expires));
        url
    }

    /// Write `bytes` under `key` all at once: readers see the old file or
    /// the new one, never half of it.
    async fn write_atomically(&self, key: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.path(key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent)
                .await
                .context("creating a documents folder")?;
        }
        let temp = self.root.join(INCOMING_DIR).join(Uuid::new_v4().simple().to_string());
        let written = async {
            tokio::fs::write(&temp, bytes).await?;
            tokio::fs::File::open(&temp).await?.sync_all().await?;
            tokio::fs::rename(&temp, &path).await
        }
        .await;
        if let Err(e) = written {
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(e).context("writing a document");
        }
        Ok(())
    }

    /// Check a signed request; `None` if it may proceed.
    fn refuse(
        &self,
        method: &Method,
        key: &str,
        query: &Result<Query<SignedQuery>, QueryRejection>,
    ) -> Option<Refusal> {
        if check_key(key).is_err() {
            return Some(Refusal::InvalidKey);
        }
        let Ok(Query(query)) = query else {
            return Some(Refusal::InvalidSignature);
        };
        let Some(signature) = unhex(&query.signature) else {
            return Some(Refusal::InvalidSignature);
        };
        let grant = Grant {
            method: &query.method,
            key,
            mime: &query.file_type,
            length: query.length,
            file_name: query.filename.as_deref(),
            expires: query.expires,
        };
        // Constant time: the comparison tells nothing about the right signature.
        if self.signature(&grant).verify_slice(&signature).is_err() {
            return Some(Refusal::InvalidSignature);
        }
        // Signed for another method (a download URL used to upload).
        if query.method != method.as_str() {
            return Some(Refusal::InvalidSignature);
        }
        if self.clock.now().timestamp() > query.expires {
            return Some(Refusal::ExpiredUrl);
        }
        None
    }
}

/// What a URL allows, as signed.
struct Grant<'a> {
    method: &'a str,
    key: &'a str,
    mime: &'a str,
    length: Option<u64>,
    file_name: Option<&'a str>,
    expires: i64,
}

fn load_or_create_secret(path: &Path) -> anyhow::Result<[u8; SECRET_LEN]> {
    let mut secret = [0u8; SECRET_LEN];
    rand::rng().fill_bytes(&mut secret);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(&secret)
                .and_then(|()| file.sync_all())
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(secret)
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            let stored = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            match <[u8; SECRET_LEN]>::try_from(stored.as_slice()) {
                Ok(secret) => Ok(secret),
                Err(_) => bail!("{} is not a storage secret of {SECRET_LEN} bytes", path.display()),
            }
        }
        Err(e) => Err(e).with_context(|| format!("creating {}", path.display())),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[async_trait]
impl DocumentStorage for LocalStorage {
    async fn presign_upload(
        &self,
        key: &str,
        file_type: FileType,
        length: u64,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<PresignedRequest> {
        check_upload(key, length, self.max_upload_bytes)?;
        let expires_at = bounded_expiry(self.clock.now(), expires_at)?;
        let url = self.signed_url(&Grant {
            method: "PUT",
            key,
            mime: file_type.mime(),
            length: Some(length),
            file_name: None,
            expires: expires_at.timestamp(),
        });
        Ok(PresignedRequest {
            method: "PUT".into(),
            url,
            headers: vec![
                ("content-type".into(), file_type.mime().into()),
                ("content-length".into(), length.to_string()),
            ],
            expires_at,
        })
    }

    async fn presign_download(
        &self,
        key: &str,
        file_name: &str,
        file_type: FileType,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<PresignedRequest> {
        check_key(key)?;
        let expires_at = bounded_expiry(self.clock.now(), expires_at)?;
        let url = self.signed_url(&Grant {
            method: "GET",
            key,
            mime: file_type.mime(),
            length: None,
            file_name: Some(file_name),
            expires: expires_at.timestamp(),
        });
        Ok(PresignedRequest {
            method: "GET".into(),
            url,
            headers: Vec::new(),
            expires_at,
        })
    }

    async fn inspect(&self, key: &str) -> anyhow::Result<Option<StoredObject>> {
        let path = self.path(key)?;
        let file = match tokio::fs::File::open(&path).await {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).context("opening a document"),
        };
        let size = file.metadata().await.context("reading a document's size")?.len();
        let mut head = Vec::with_capacity(SNIFF_LEN);
        file.take(SNIFF_LEN as u64)
            .read_to_end(&mut head)
            .await
            .context("reading a document")?;
        Ok(Some(StoredObject { size, head }))
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, _file_type: FileType) -> anyhow::Result<()> {
        self.write_atomically(key, &bytes).await
    }

    async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        match tokio::fs::read(self.path(key)?).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).context("reading a document"),
        }
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).context("deleting a document"),
        }
    }
}

// ---------------------------------------------------------------------------
// HTTP: what S3 does for presigned URLs
// ---------------------------------------------------------------------------

/// `PUT` and `GET /storage/{*key}`, the local equivalent of S3's presigned
/// URLs. Mount it at the root of the server whose address is `public_url`.
pub fn storage_router(storage: Arc<LocalStorage>) -> Router {
    Router::new()
        .route("/storage/{*key}", put(upload).get(download))
        .with_state(storage)
}

/// The query of a signed URL.
#[derive(Debug, Deserialize)]
struct SignedQuery {
    method: String,
    #[serde(rename = "type")]
    file_type: String,
    length: Option<u64>,
    filename: Option<String>,
    expires: i64,
    signature: String,
}

async fn upload(
    State(storage): State<Arc<LocalStorage>>,
    UrlPath(key): UrlPath<String>,
    query: Result<Query<SignedQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let language = language(&headers);
    if let Some(refusal) = storage.refuse(&Method::PUT, &key, &query) {
        return refusal.render(language);
    }
    let Ok(Query(query)) = query else {
        unreachable!("checked by refuse")
    };
    if headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) != Some(query.file_type.as_str()) {
        return Refusal::TypeMismatch.render(language);
    }
    let Some(signed_length) = query.length else {
        return Refusal::LengthMismatch.render(language);
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if signed_length > storage.max_upload_bytes || declared.is_some_and(|n| n > storage.max_upload_bytes) {
        return Refusal::TooLarge.render(language);
    }
    if declared != Some(signed_length) {
        return Refusal::LengthMismatch.render(language);
    }
    // Never more than the signed length (itself within the limit) in memory.
    let Ok(bytes) = axum::body::to_bytes(body, signed_length as usize).await else {
        return Refusal::LengthMismatch.render(language);
    };
    if bytes.len() as u64 != signed_length {
        return Refusal::LengthMismatch.render(language);
    }
    match storage.write_atomically(&key, &bytes).await {
        Ok(()) => {
            tracing::info!(size = signed_length, "document uploaded");
            StatusCode::OK.into_response()
        }
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "storing an upload");
            Refusal::Internal.render(language)
        }
    }
}

async fn download(
    State(storage): State<Arc<LocalStorage>>,
    UrlPath(key): UrlPath<String>,
    query: Result<Query<SignedQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let language = language(&headers);
    if let Some(refusal) = storage.refuse(&Method::GET, &key, &query) {
        return refusal.render(language);
    }
    let Ok(Query(query)) = query else {
        unreachable!("checked by refuse")
    };
    let Ok(content_type) = HeaderValue::from_str(&query.file_type) else {
        return Refusal::InvalidSignature.render(language);
    };
    let bytes = match storage.get(&key).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Refusal::NotFound.render(language),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "reading a download");
            return Refusal::Internal.render(language);
        }
    };
    let disposition = content_disposition(query.filename.as_deref().unwrap_or("document"));
    let mut response = (StatusCode::OK, bytes).into_response();
    let out = response.headers_mut();
    out.insert(header::CONTENT_TYPE, content_type);
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        out.insert(header::CONTENT_DISPOSITION, value);
    }
    out.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

fn language(headers: &HeaderMap) -> Language {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Language::from_accept_language)
        .unwrap_or_default()
}

/// Why a storage request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    InvalidKey,
    InvalidSignature,
    ExpiredUrl,
    TypeMismatch,
    LengthMismatch,
    TooLarge,
    NotFound,
    Internal,
}

impl Refusal {
    fn code(self) -> &'static str {
        match self {
            Refusal::InvalidKey => "invalid_key",
            Refusal::InvalidSignature => "invalid_signature",
            Refusal::ExpiredUrl => "expired_url",
            Refusal::TypeMismatch => "type_mismatch",
            Refusal::LengthMismatch => "length_mismatch",
            Refusal::TooLarge => "too_large",
            Refusal::NotFound => "not_found",
            Refusal::Internal => "internal",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Refusal::InvalidKey | Refusal::TypeMismatch | Refusal::LengthMismatch => StatusCode::BAD_REQUEST,
            Refusal::InvalidSignature | Refusal::ExpiredUrl => StatusCode::FORBIDDEN,
            Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Title and detail, in French or English.
    fn texts(self, language: Language) -> (&'static str, &'static str) {
        let (fr, en) = match self {
            Refusal::InvalidKey => (
                ("Adresse invalide", "Cette adresse de document n'est pas valide."),
                ("Invalid address", "This document address is not valid."),
            ),
            Refusal::InvalidSignature => (
                (
                    "Lien invalide",
                    "Ce lien d'envoi ou de consultation a été modifié ou ne permet pas cette opération.",
                ),
                (
                    "Invalid link",
                    "This upload or download link was altered or does not allow this operation.",
                ),
            ),
            Refusal::ExpiredUrl => (
                (
                    "Lien expiré",
                    "Ce lien a expiré : recommencez depuis la page des pièces justificatives.",
                ),
                (
                    "Expired link",
                    "This link has expired: start again from the supporting documents page.",
                ),
            ),
            Refusal::TypeMismatch => (
                (
                    "Type de fichier différent",
                    "Le type du fichier envoyé n'est pas celui annoncé.",
                ),
                (
                    "Different file type",
                    "The type of the file sent is not the one announced.",
                ),
            ),
            Refusal::LengthMismatch => (
                (
                    "Taille différente",
                    "La taille du fichier envoyé n'est pas celle annoncée.",
                ),
                ("Different size", "The size of the file sent is not the one announced."),
            ),
            Refusal::TooLarge => (
                ("Fichier trop volumineux", "Ce fichier dépasse la taille autorisée."),
                ("File too large", "This file exceeds the allowed size."),
            ),
            Refusal::NotFound => (
                ("Introuvable", "Aucun document n'a été déposé à cette adresse."),
                ("Not found", "No document was uploaded at this address."),
            ),
            Refusal::Internal => (
                (
                    "Erreur interne",
                    "Une erreur inattendue est survenue. Réessayez plus tard.",
                ),
                ("Internal error", "An unexpected error occurred. Try again later."),
            ),
        };
        if language == Language::Fr { fr } else { en }
    }

    /// A problem+json answer, as the API's.
    fn render(self, language: Language) -> Response {
        if self != Refusal::Internal {
            tracing::info!(code = self.code(), "storage request refused");
        }
        let (title, detail) = self.texts(language);
        let body = serde_json::json!({
            "type": format!("urn:sejour:problem:{}", self.code()),
            "title": title,
            "status": self.status().as_u16(),
            "detail": detail,
            "code": self.code(),
        });
        let mut response = (
            self.status(),
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            )],
            body.to_string(),
        )
            .into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }
}
