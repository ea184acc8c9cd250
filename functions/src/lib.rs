//! What every Lambda binary shares: logging set-up and the two ways a
//! function runs (an HTTP endpoint behind API Gateway, or the SQS mail
//! sender). Each binary in `src/bin/` is one line over these.
//!
//! Clients and adapters are built once, at init, and shared by every
//! invocation of the same execution environment.

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use lambda_runtime::{LambdaEvent, service_fn};
use sejour::App;

pub type Error = lambda_runtime::Error;

/// JSON logs on standard output (CloudWatch), level from `RUST_LOG`
/// (default `info`). Only ids and outcomes are logged, never personal data:
/// requests are not logged by the runtime, and the core logs ids only.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(true)
        // CloudWatch adds its own timestamp.
        .without_time()
        .init();
}

/// Run one HTTP endpoint: build the `App` from the environment once, then
/// serve API Gateway events with the endpoint's router.
pub async fn run_http(endpoint: fn(App) -> axum::Router) -> Result<(), Error> {
    init_tracing();
    let app = sejour::adapters::aws::app_from_env().await?;
    lambda_http::run(endpoint(app)).await
}

/// Run the mail sender: each SQS record holds one JSON email; the ones that
/// fail are reported back so that only they are retried (partial batch
/// failures; the queue's redrive policy moves poison messages to the DLQ).
pub async fn run_mail_sender() -> Result<(), Error> {
    init_tracing();
    let mailer = sejour::adapters::aws::mailer_from_env().await?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| {
        let mailer = mailer.clone();
        async move { Ok::<_, Error>(deliver(mailer.as_ref(), event.payload).await) }
    }))
    .await
}

/// Deliver one SQS batch; the ids of the messages that failed go back to SQS.
pub async fn deliver(mailer: &dyn sejour::ports::Mailer, event: SqsEvent) -> SqsBatchResponse {
    let messages: Vec<(&str, &str)> = event
        .records
        .iter()
        .map(|r| {
            (
                r.message_id.as_deref().unwrap_or_default(),
                r.body.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    let failed = sejour::service::mail_sender::deliver_batch(mailer, messages).await;
    let mut response = SqsBatchResponse::default();
    response.set_failures(failed);
    response
}
