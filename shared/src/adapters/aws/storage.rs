//! Document storage on S3 (bucket `SEJOUR_BUCKET`): the browser uploads and
//! downloads through presigned URLs; the functions only sign, inspect
//! (HeadObject + a ranged GetObject of the first bytes), and store the
//! generated PDFs.
//!
//! Upload URLs sign `content-type` and `content-length` (both appear in
//! `X-Amz-SignedHeaders`), so S3 refuses a body of another type or size;
//! download URLs carry `response-content-type` and
//! `response-content-disposition`. URLs live at most
//! [`MAX_URL_LIFETIME`](crate::adapters::storage::MAX_URL_LIFETIME) and are
//! dated by the service's clock.
//!
//! S3 actions used: `s3:PutObject` (presigned uploads, generated PDFs),
//! `s3:GetObject` (presigned downloads, inspection, reading PDFs; HeadObject
//! needs it too), `s3:DeleteObject`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::{Context, bail, ensure};
use async_trait::async_trait;
use aws_sdk_s3::error::DisplayErrorContext;
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use chrono::{DateTime, Utc};

use crate::adapters::storage::{bounded_expiry, check_key, check_upload, content_disposition};
use crate::domain::application::documents::{FileType, SNIFF_LEN};
use crate::ports::{Clock, DocumentStorage, PresignedRequest, StoredObject};

/// One bucket of documents.
pub struct S3Storage {
    pub client: aws_sdk_s3::Client,
    /// Empty when `SEJOUR_BUCKET` is not set: every call then fails, saying so.
    pub bucket: String,
    pub max_upload_bytes: u64,
    pub clock: Arc<dyn Clock>,
}

impl S3Storage {
    fn bucket(&self) -> anyhow::Result<&str> {
        ensure!(!self.bucket.is_empty(), "SEJOUR_BUCKET is not set");
        Ok(&self.bucket)
    }

    /// Presigning dated by the service's clock, ending at the bounded expiry.
    fn presigning(&self, expires_at: DateTime<Utc>) -> anyhow::Result<(PresigningConfig, DateTime<Utc>)> {
        let now = self.clock.now();
        let expires_at = bounded_expiry(now, expires_at)?;
        let start = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
        let seconds = (expires_at - start).num_seconds().max(1) as u64;
        let config = PresigningConfig::builder()
            .start_time(SystemTime::from(start))
            .expires_in(Duration::from_secs(seconds))
            .build()
            .context("S3 presigning configuration")?;
        Ok((config, start + chrono::TimeDelta::seconds(seconds as i64)))
    }
}

fn presigned(request: aws_sdk_s3::presigning::PresignedRequest, expires_at: DateTime<Utc>) -> PresignedRequest {
    PresignedRequest {
        method: request.method().to_string(),
        url: request.uri().to_string(),
        headers: request
            .headers()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.to_string()))
            .collect(),
        expires_at,
    }
}

#[async_trait]
impl DocumentStorage for S3Storage {
    async fn presign_upload(
        &self,
        key: &str,
        file_type: FileType,
        length: u64,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<PresignedRequest> {
        check_upload(key, length, self.max_upload_bytes)?;
        let (config, expires_at) = self.presigning(expires_at)?;
        let request = self
            .client
            .put_object()
            .bucket(self.bucket()?)
            .key(key)
            .content_type(file_type.mime())
            .content_length(i64::try_from(length)?)
            .presigned(config)
            .await
            .map_err(|e| anyhow::anyhow!("S3 presigning PutObject: {}", DisplayErrorContext(&e)))?;
        Ok(presigned(request, expires_at))
    }

    async fn presign_download(
        &self,
        key: &str,
        file_name: &str,
        file_type: FileType,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<PresignedRequest> {
        check_key(key)?;
        let (config, expires_at) = self.presigning(expires_at)?;
        let request = self
            .client
            .get_object()
            .bucket(self.bucket()?)
            .key(key)
            .response_content_type(file_type.mime())
            .response_content_disposition(content_disposition(file_name))
            .response_cache_control("private, no-store")
            .presigned(config)
            .await
            .map_err(|e| anyhow::anyhow!("S3 presigning GetObject: {}", DisplayErrorContext(&e)))?;
        Ok(presigned(request, expires_at))
    }

    async fn inspect(&self, key: &str) -> anyhow::Result<Option<StoredObject>> {
        check_key(key)?;
        let bucket = self.bucket()?;
        let head = match self.client.head_object().bucket(bucket).key(key).send().await {
            Ok(head) => head,
            Err(e) if e.as_service_error().is_some_and(|e| e.is_not_found()) => return Ok(None),
            Err(e) => bail!("S3 HeadObject: {}", DisplayErrorContext(&e)),
        };
        let size = u64::try_from(head.content_length().unwrap_or_default()).unwrap_or_default();
        if size == 0 {
            // No range of an empty object exists.
            return Ok(Some(StoredObject { size, head: Vec::new() }));
        }
        let first = match self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .range(format!("bytes=0-{}", SNIFF_LEN - 1))
            .send()
            .await
        {
            Ok(object) => object,
            // Deleted between the two calls.
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_key()) => return Ok(None),
            Err(e) => bail!("S3 GetObject (range): {}", DisplayErrorContext(&e)),
        };
        let mut bytes = first
            .body
            .collect()
            .await
            .context("S3 GetObject (range): reading the body")?
            .to_vec();
        bytes.truncate(SNIFF_LEN);
        Ok(Some(StoredObject { size, head: bytes }))
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, file_type: FileType) -> anyhow::Result<()> {
        check_key(key)?;
        self.client
            .put_object()
            .bucket(self.bucket()?)
            .key(key)
            .content_type(file_type.mime())
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("S3 PutObject: {}", DisplayErrorContext(&e)))?;
        Ok(())
    }

    async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>> {
        check_key(key)?;
        let object = match self.client.get_object().bucket(self.bucket()?).key(key).send().await {
            Ok(object) => object,
            Err(e) if e.as_service_error().is_some_and(|e| e.is_no_such_key()) => return Ok(None),
            Err(e) => bail!("S3 GetObject: {}", DisplayErrorContext(&e)),
        };
        let bytes = object.body.collect().await.context("S3 GetObject: reading the body")?;
        Ok(Some(bytes.to_vec()))
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        check_key(key)?;
        self.client
            .delete_object()
            .bucket(self.bucket()?)
            .key(key)
            .send()
            .await
            .map_err(|e| anyhow::anyhow!("S3 DeleteObject: {}", DisplayErrorContext(&e)))?;
        Ok(())
    }
}
