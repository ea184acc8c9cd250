//! Lambda `mail-sender`: delivers the queued emails (SQS batches) with SES.

#[tokio::main]
async fn main() -> Result<(), sejour_functions::Error> {
    sejour_functions::run_mail_sender().await
}
