//! What every Lambda binary shares: logging set-up and the three ways a
//! function runs (an HTTP endpoint behind API Gateway, the SQS mail sender,
//! or the S3 upload check); `src/main.rs` picks one by the function's name.
//!
//! Clients and adapters are built once, at init, and shared by every
//! invocation of the same execution environment.

use aws_lambda_events::event::s3::S3Event;
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

/// Run the HTTP endpoint of the function `name`: build the `App` from the
/// environment once, then serve API Gateway events with its router.
pub async fn run_http(name: &str) -> Result<(), Error> {
    init_tracing();
    let app = sejour::adapters::aws::app_from_env().await?;
    let router = sejour::api::function_router(name, app).ok_or_else(|| format!("{name} serves no HTTP endpoint"))?;
    lambda_http::run(router).await
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

/// Run the upload check: S3 calls it (asynchronously) for each object
/// created under `applications/`, and each upload is inspected as
/// `confirm` would. An error makes Lambda retry the whole event (twice),
/// then hand it to the function's on-failure destination; the check is
/// idempotent, so records already recorded are skipped on a retry.
pub async fn run_upload_check() -> Result<(), Error> {
    init_tracing();
    let app = sejour::adapters::aws::app_from_env().await?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<S3Event>| {
        let app = app.clone();
        async move { check_uploads(&app, event.payload).await }
    }))
    .await
}

/// Run the deadlines job (F20) at each scheduled event, as of the event's
/// time; a failure fails the invocation (EventBridge retries it), and a
/// rerun does nothing twice.
pub async fn run_deadlines() -> Result<(), Error> {
    init_tracing();
    let app = sejour::adapters::aws::app_from_env().await?;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<serde_json::Value>| {
        let app = app.clone();
        async move {
            let at = event
                .payload
                .get("time")
                .and_then(|t| t.as_str())
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.to_utc())
                .unwrap_or_else(chrono::Utc::now);
            let report = sejour::service::deadlines::run(&app, at)
                .await
                .map_err(|e| format!("{e}"))?;
            Ok::<_, Error>(serde_json::to_value(report)?)
        }
    }))
    .await
}

/// Check every object of one S3 notification; fails if any check failed
/// (after trying them all), so that the event is delivered again.
pub async fn check_uploads(app: &App, event: S3Event) -> Result<(), Error> {
    let mut failed = 0;
    for record in &event.records {
        let Some(key) = record.s3.object.key.as_deref().and_then(object_key) else {
            // Not one of our keys: retrying would not change that.
            tracing::warn!("upload event without a readable object key");
            continue;
        };
        match sejour::service::documents::check_upload(app, &key).await {
            Ok(Some(document)) => {
                tracing::info!(document_id = %document.id.0, status = ?document.status, "upload checked")
            }
            Ok(None) => tracing::info!("no document waits for this upload"),
            Err(e) => {
                failed += 1;
                tracing::error!(error = format!("{e:#}"), "upload not checked");
            }
        }
    }
    if failed > 0 {
        return Err(format!("{failed} of {} uploads not checked", event.records.len()).into());
    }
    Ok(())
}

/// The object key of an S3 event record, which S3 sends URL-encoded the way
/// forms are (a space is `+`, a `+` is `%2B`). `None` if it is not UTF-8.
pub fn object_key(encoded: &str) -> Option<String> {
    let spaced = encoded.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|key| key.into_owned())
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

    /// An S3 notification as Lambda delivers it, for these (encoded) keys.
    fn s3_event(keys: &[&str]) -> S3Event {
        let records: Vec<_> = keys
            .iter()
            .map(|key| {
                serde_json::json!({
                    "eventVersion": "2.1",
                    "eventSource": "aws:s3",
                    "awsRegion": "eu-west-3",
                    "eventTime": "2026-09-01T09:00:00.000Z",
                    "eventName": "ObjectCreated:Put",
                    "userIdentity": {"principalId": "AWS:AROAEXAMPLE"},
                    "requestParameters": {"sourceIPAddress": "192.0.2.1"},
                    "responseElements": {"x-amz-request-id": "R", "x-amz-id-2": "I"},
                    "s3": {
                        "s3SchemaVersion": "1.0",
                        "configurationId": "upload-check",
                        "bucket": {"name": "sejour-documents", "ownerIdentity": {"principalId": "P"},
                                   "arn": "arn:aws:s3:::sejour-documents"},
                        "object": {"key": key, "size": 40, "eTag": "e", "sequencer": "0A"}
                    }
                })
            })
            .collect();
        serde_json::from_value(serde_json::json!({ "Records": records })).unwrap()
    }

    #[test]
    fn event_keys_are_decoded_like_forms() {
        assert_eq!(object_key("applications/a/b").as_deref(), Some("applications/a/b"));
        assert_eq!(
            object_key("applications/a/b+c%2Bd%C3%A9").as_deref(),
            Some("applications/a/b c+dé")
        );
        assert_eq!(object_key("applications/%FF"), None);
    }

    fn temp_dir(what: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("sejour-{what}-{}", uuid::Uuid::new_v4()))
    }

    /// Keys no document waits for (a receipt, an unknown application, a key
    /// that is not ours) are not failures: retrying would change nothing.
    #[tokio::test]
    async fn uploads_no_document_waits_for_are_not_retried() {
        let dir = temp_dir("upload-check");
        let runtime = sejour::adapters::local::LocalRuntime::open(
            &dir,
            sejour::Config::local("http://127.0.0.1:8080"),
            Arc::new(SystemClock),
        )
        .await
        .unwrap();
        let unknown = format!("applications/{}/{}", uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let event = s3_event(&[&unknown, "receipts/x/y", "applications/not-an-id/z", "%FF"]);

        check_uploads(&runtime.app, event).await.unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// When the store cannot be reached the invocation fails, so Lambda
    /// retries the event and finally hands it to the on-failure destination.
    #[tokio::test]
    async fn an_unreachable_store_fails_the_invocation() {
        // A port nobody listens on.
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("eu-west-3"))
            .endpoint_url(format!("http://{closed}"))
            .test_credentials()
            .retry_config(aws_config::retry::RetryConfig::disabled())
            .load()
            .await;
        let settings = sejour::adapters::aws::AwsSettings {
            table: "sejour".into(),
            mail_queue_url: format!("http://{closed}/000000000000/mail"),
            bucket: "sejour-documents".into(),
        };
        let app = sejour::adapters::aws::build_app(
            &sdk,
            &settings,
            sejour::Config::local("https://sejour.example.gouv.fr"),
            Arc::new(SystemClock),
        );
        let key = format!("applications/{}/{}", uuid::Uuid::new_v4(), uuid::Uuid::new_v4());

        let error = check_uploads(&app, s3_event(&[&key])).await.unwrap_err();
        assert_eq!(error.to_string(), "1 of 1 uploads not checked");
    }

    /// Behind an HTTP API (payload format 2.0), lambda_http sends a body
    /// base64-encoded with `isBase64Encoded: true` unless its content type
    /// is text (`text/*`, JSON, XML, YAML, `+json`…): the receipt's
    /// `application/pdf` arrives byte for byte, problem+json as text.
    #[tokio::test]
    async fn pdf_answers_are_base64_encoded_for_api_gateway() {
        use axum::http::header;
        use lambda_http::tower::ServiceExt;

        const PDF: &[u8] = b"%PDF-1.7\n\xe2\xe3\xcf\xd3\n\x00\xff binary";
        let dir = temp_dir("lambda-http");
        let runtime = sejour::adapters::local::LocalRuntime::open(
            &dir,
            sejour::Config::local("https://sejour.example.gouv.fr"),
            Arc::new(SystemClock),
        )
        .await
        .unwrap();
        // The receipt handler's headers, and a real endpoint's problem.
        let router = axum::Router::new()
            .route(
                "/api/applications/{id}/receipt",
                axum::routing::get(|| async {
                    (
                        [
                            (header::CONTENT_TYPE, "application/pdf"),
                            (header::CONTENT_DISPOSITION, "attachment; filename=\"recu.pdf\""),
                        ],
                        PDF,
                    )
                }),
            )
            .merge(sejour::api::function_router("verify", runtime.app.clone()).unwrap());
        let call = |path: &str| {
            let request: lambda_http::request::LambdaRequest = serde_json::from_value(serde_json::json!({
                "version": "2.0",
                "routeKey": "GET /x",
                "rawPath": path,
                "rawQueryString": "",
                "headers": {"host": "api.example", "accept": "*/*"},
                "isBase64Encoded": false,
                "requestContext": {
                    "accountId": "123456789012", "apiId": "api", "domainName": "api.example",
                    "domainPrefix": "api", "requestId": "r", "routeKey": "GET /x", "stage": "$default",
                    "time": "01/Sep/2026:09:00:00 +0000", "timeEpoch": 1788253200000u64,
                    "http": {"method": "GET", "path": path, "protocol": "HTTP/1.1",
                             "sourceIp": "192.0.2.1", "userAgent": "test"}
                }
            }))
            .unwrap();
            let adapter = lambda_http::Adapter::from(router.clone());
            async move {
                let response = adapter
                    .oneshot(LambdaEvent::new(request, lambda_runtime::Context::default()))
                    .await
                    .unwrap();
                serde_json::to_value(response).unwrap()
            }
        };

        let pdf = call("/api/applications/1/receipt").await;
        assert_eq!(pdf["statusCode"], 200);
        assert_eq!(pdf["isBase64Encoded"], true);
        assert_eq!(pdf["headers"]["content-type"], "application/pdf");
        let body = base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            pdf["body"].as_str().unwrap(),
        )
        .unwrap();
        assert_eq!(body, PDF);

        let problem = call("/api/verify/not-a-code").await;
        assert_eq!(problem["statusCode"], 400);
        assert_eq!(problem["isBase64Encoded"], false);
        let body: serde_json::Value = serde_json::from_str(problem["body"].as_str().unwrap()).unwrap();
        assert_eq!(body["code"], "invalid_code");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
