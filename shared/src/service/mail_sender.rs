//! The mail sender: what the SQS-triggered Lambda and the local queue worker
//! both do with a batch of queued emails.

use crate::mail::OutgoingMail;
use crate::ports::Mailer;

/// Send each queued message (a JSON [`OutgoingMail`]); return the ids of the
/// messages that failed, so that only those are retried (and, after
/// repeated failures, end in the dead-letter queue). A body that does not
/// parse is a poison message: it fails every time and ends there too.
pub async fn deliver_batch<'a>(
    mailer: &dyn Mailer,
    messages: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<String> {
    let mut failed = Vec::new();
    for (message_id, body) in messages {
        let outcome = match serde_json::from_str::<OutgoingMail>(body) {
            Ok(mail) => mailer.send(&mail).await.map_err(|e| format!("{e:#}")),
            Err(e) => Err(format!("not an email: {e}")),
        };
        if let Err(reason) = outcome {
            tracing::warn!(message_id, %reason, "mail not sent");
            failed.push(message_id.to_string());
        }
    }
    failed
}
