//! AWS adapters: one DynamoDB table (single-table design), SQS for the mail
//! queue, SES v2 for delivery. Names come from the environment:
//! `SEJOUR_TABLE`, `SEJOUR_MAIL_QUEUE_URL`, `SEJOUR_MAIL_FROM`, `SEJOUR_PUBLIC_URL`;
//! `AWS_ENDPOINT_URL` points the SDK at an emulator in tests.

use std::sync::Arc;

use aws_config::SdkConfig;

use crate::config::Config;
use crate::ports::{Clock, Mailer};
use crate::service::App;

/// The names of one deployment's AWS resources.
#[derive(Debug, Clone)]
pub struct AwsSettings {
    pub table: String,
    pub mail_queue_url: String,
}

impl AwsSettings {
    pub fn from_env() -> anyhow::Result<Self> {
        let var = |name: &str| std::env::var(name).map_err(|_| anyhow::anyhow!("{name} is not set"));
        Ok(AwsSettings { table: var("SEJOUR_TABLE")?, mail_queue_url: var("SEJOUR_MAIL_QUEUE_URL")? })
    }
}

/// Build the `App` over the AWS adapters. Cheap: builds clients, no network.
pub fn build_app(_sdk: &SdkConfig, _settings: &AwsSettings, _config: Config, _clock: Arc<dyn Clock>) -> App {
    todo!("aws adapters")
}

/// The mail sender's delivery port (SES v2), idempotent by mail id.
pub fn build_mailer(_sdk: &SdkConfig, _settings: &AwsSettings, _config: &Config) -> Arc<dyn Mailer> {
    todo!("aws adapters")
}

/// Create the table (keys, GSIs, TTL), the mail queue with its dead-letter
/// queue and the SES sender identity, as `infra/template.yaml` declares them.
/// For tests against an emulator and for trying the AWS backend by hand.
pub async fn provision(_sdk: &SdkConfig, _table: &str, _queue: &str, _mail_from: &str) -> anyhow::Result<AwsSettings> {
    todo!("aws adapters")
}

/// Build the `App` on AWS from the environment. Call once, at init.
pub async fn app_from_env() -> anyhow::Result<App> {
    let sdk = aws_config::load_from_env().await;
    let settings = AwsSettings::from_env()?;
    Ok(build_app(&sdk, &settings, Config::from_env()?, Arc::new(crate::adapters::SystemClock)))
}

/// The mail sender's delivery port, from the environment. Call once, at init.
pub async fn mailer_from_env() -> anyhow::Result<Arc<dyn Mailer>> {
    let sdk = aws_config::load_from_env().await;
    Ok(build_mailer(&sdk, &AwsSettings::from_env()?, &Config::from_env()?))
}
