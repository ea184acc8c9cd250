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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sejour::adapters::SystemClock;
    use sejour::adapters::local::OutboxMailer;
    use sejour::domain::contact::Email;
    use sejour::mail::OutgoingMail;

    use super::*;

    /// An SQS batch as Lambda delivers it: the good email is written, the
    /// poison message is reported back (and only it), so SQS retries it and
    /// finally moves it to the dead-letter queue.
    #[tokio::test]
    async fn a_batch_reports_only_the_messages_that_failed() {
        let dir = std::env::temp_dir().join(format!("sejour-mail-sender-{}", uuid::Uuid::new_v4()));
        let mailer =
            OutboxMailer::new(&dir, "Séjour <ne-pas-repondre@sejour.localhost>", Arc::new(SystemClock)).unwrap();
        let mail = OutgoingMail {
            id: uuid::Uuid::new_v4(),
            to: Email::parse("awa.diallo@example.org").unwrap(),
            subject: "Confirmez votre adresse électronique".into(),
            body: "Bonjour,\nhttp://127.0.0.1:8080/verify-email?token=abc\n".into(),
        };
        let event: SqsEvent = serde_json::from_value(serde_json::json!({
            "Records": [
                {"messageId": "m-good", "body": serde_json::to_string(&mail).unwrap(), "eventSource": "aws:sqs"},
                {"messageId": "m-poison", "body": "{not an email", "eventSource": "aws:sqs"},
            ]
        }))
        .unwrap();

        let response = deliver(&mailer, event).await;

        let failed: Vec<_> = response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect();
        assert_eq!(failed, ["m-poison"]);
        assert!(mailer.path_of(mail.id).is_file());
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"batchItemFailures": [{"itemIdentifier": "m-poison"}]})
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
