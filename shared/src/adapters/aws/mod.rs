//! AWS adapters: one DynamoDB table (single-table design), SQS for the mail
//! queue, SES v2 for delivery. Names come from the environment:
//! `SEJOUR_TABLE`, `SEJOUR_MAIL_QUEUE_URL`, `SEJOUR_MAIL_FROM`, `SEJOUR_PUBLIC_URL`;
//! `AWS_ENDPOINT_URL` points the SDK at an emulator in tests.

use std::sync::Arc;

use crate::ports::Mailer;
use crate::service::App;

/// Build the `App` on AWS from the environment. Call once, at init.
pub async fn app_from_env() -> anyhow::Result<App> {
    todo!("aws adapters")
}

/// The mail sender's delivery port (SES), from the environment.
pub async fn mailer_from_env() -> anyhow::Result<Arc<dyn Mailer>> {
    todo!("aws adapters")
}
