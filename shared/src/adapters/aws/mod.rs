//! AWS adapters: one DynamoDB table (single-table design), SQS for the mail
//! queue, SES v2 for delivery. Names come from the environment:
//! `SEJOUR_TABLE`, `SEJOUR_MAIL_QUEUE_URL`, `SEJOUR_MAIL_FROM`, `SEJOUR_PUBLIC_URL`,
//! `SEJOUR_BUCKET` (documents, [`storage`]);
//! `AWS_ENDPOINT_URL` points the SDK at an emulator in tests.
//!
//! The DynamoDB adapters are one [`table::Table`] implementing every store
//! port; the key layout is documented in [`table`].

mod accounts;
mod applications;
mod auth;
mod mail;
mod provision;
mod records;
pub mod storage;
pub mod table;
mod transaction;

use std::sync::Arc;

use aws_config::SdkConfig;

use crate::adapters::OsRandom;
use crate::adapters::ephoto::DemoEphoto;
use crate::config::Config;
use crate::ports::{Clock, Mailer};
use crate::service::{App, Ports};

pub use mail::{SesMailer, SqsMailQueue};
pub use provision::MAX_RECEIVE_COUNT;
pub use storage::S3Storage;

/// The names of one deployment's AWS resources.
#[derive(Debug, Clone)]
pub struct AwsSettings {
    pub table: String,
    pub mail_queue_url: String,
    /// The documents bucket. Optional in the environment so that functions
    /// without documents start without it; storage calls then fail, saying so.
    pub bucket: String,
}

impl AwsSettings {
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).map_err(|_| anyhow::anyhow!("{name} is not set"));
        Ok(AwsSettings {
            table: var("SEJOUR_TABLE")?,
            mail_queue_url: var("SEJOUR_MAIL_QUEUE_URL")?,
            bucket: std::env::var("SEJOUR_BUCKET").unwrap_or_default(),
        })
    }
}

/// Build the `App` over the AWS adapters. Cheap: builds clients, no network.
pub fn build_app(sdk: &SdkConfig, settings: &AwsSettings, config: Config, clock: Arc<dyn Clock>) -> App {
    let table = Arc::new(dynamo_table(sdk, settings));
    let mail = SqsMailQueue {
        client: aws_sdk_sqs::Client::new(sdk),
        queue_url: settings.mail_queue_url.clone(),
    };
    let ports = Ports {
        accounts: table.clone(),
        records: table.clone(),
        sessions: table.clone(),
        tokens: table.clone(),
        throttle: table.clone(),
        applications: table.clone(),
        notifications: table,
        mail: Arc::new(mail),
        storage: Arc::new(S3Storage {
            client: s3_client(sdk),
            bucket: settings.bucket.clone(),
            max_upload_bytes: config.max_upload_bytes,
            clock: clock.clone(),
        }),
        ephoto: Arc::new(DemoEphoto::shipped()),
        clock,
        random: Arc::new(OsRandom),
    };
    App::new(ports, config)
}

/// The S3 client; path-style addressing when the endpoint is overridden
/// (an emulator such as moto has no per-bucket host names).
pub fn s3_client(sdk: &SdkConfig) -> aws_sdk_s3::Client {
    let mut config = aws_sdk_s3::config::Builder::from(sdk);
    if sdk.endpoint_url().is_some() {
        config = config.force_path_style(true);
    }
    aws_sdk_s3::Client::from_conf(config.build())
}

/// The table client every DynamoDB adapter shares.
fn dynamo_table(sdk: &SdkConfig, settings: &AwsSettings) -> table::Table {
    table::Table {
        client: aws_sdk_dynamodb::Client::new(sdk),
        name: settings.table.clone(),
    }
}

/// The mail sender's delivery port (SES v2), idempotent by mail id.
pub fn build_mailer(sdk: &SdkConfig, settings: &AwsSettings, config: &Config) -> Arc<dyn Mailer> {
    Arc::new(SesMailer::new(
        aws_sdk_sesv2::Client::new(sdk),
        dynamo_table(sdk, settings),
        &config.mail_from,
    ))
}

/// Create the table (keys, GSIs, TTL), the mail queue with its dead-letter
/// queue, the SES sender identity and the documents bucket
/// (`<table>-documents`, without CORS: see [`provision_bucket`]), as
/// `infra/template.yaml` declares them.
/// For tests against an emulator and for trying the AWS backend by hand.
pub async fn provision(sdk: &SdkConfig, table: &str, queue: &str, mail_from: &str) -> anyhow::Result<AwsSettings> {
    provision::table(&aws_sdk_dynamodb::Client::new(sdk), table).await?;
    let mail_queue_url = provision::queues(&aws_sdk_sqs::Client::new(sdk), queue).await?;
    provision::sender(&aws_sdk_sesv2::Client::new(sdk), mail_from).await?;
    let bucket = format!("{table}-documents").to_ascii_lowercase();
    provision::bucket(&s3_client(sdk), &bucket, None).await?;
    Ok(AwsSettings {
        table: table.to_string(),
        mail_queue_url,
        bucket,
    })
}

/// Create (or update) the documents bucket: private, encrypted, and open to
/// presigned uploads and downloads from the site at `public_url` only (CORS).
pub async fn provision_bucket(sdk: &SdkConfig, bucket: &str, public_url: &str) -> anyhow::Result<()> {
    provision::bucket(&s3_client(sdk), bucket, Some(public_url)).await
}

/// Build the `App` on AWS from the environment. Call once, at init.
pub async fn app_from_env() -> anyhow::Result<App> {
    let sdk = aws_config::load_from_env().await;
    let settings = AwsSettings::from_env()?;
    Ok(build_app(
        &sdk,
        &settings,
        Config::from_env()?,
        Arc::new(crate::adapters::SystemClock),
    ))
}

/// The mail sender's delivery port, from the environment. Call once, at init.
pub async fn mailer_from_env() -> anyhow::Result<Arc<dyn Mailer>> {
    let sdk = aws_config::load_from_env().await;
    Ok(build_mailer(&sdk, &AwsSettings::from_env()?, &Config::from_env()?))
}
