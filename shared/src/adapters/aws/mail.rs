//! Email on AWS: the use cases put each email on an SQS queue; the mail
//! sender function delivers it with SES v2, once per mail id.

use anyhow::Context;
use async_trait::async_trait;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use base64::Engine;
use chrono::{Duration, Utc};

use super::table::{Key, TTL, Table, ttl};
use crate::mail::OutgoingMail;
use crate::ports::{MailQueue, Mailer};

/// Hands emails to the mail sender through SQS (at-least-once).
pub struct SqsMailQueue {
    pub client: aws_sdk_sqs::Client,
    pub queue_url: String,
}

#[async_trait]
impl MailQueue for SqsMailQueue {
    async fn enqueue(&self, mail: &OutgoingMail) -> anyhow::Result<()> {
        let body = serde_json::to_string(mail)?;
        self.client
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(body)
            .send()
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "SQS SendMessage (mail {}): {}",
                    mail.id,
                    aws_sdk_sqs::error::DisplayErrorContext(&e)
                )
            })?;
        Ok(())
    }
}

/// How long a delivered mail's id is remembered: far beyond SQS's retries.
const REMEMBER_SENT: Duration = Duration::days(7);

/// Delivers with SES v2. A marker item per mail id makes redelivery of the
/// same queue message a no-op (two exactly concurrent deliveries may still
/// both send: at-least-once, as SES itself).
pub struct SesMailer {
    pub client: aws_sdk_sesv2::Client,
    pub table: Table,
    /// `From`, with a non-ASCII display name already MIME-encoded.
    pub from: String,
}

impl SesMailer {
    pub fn new(client: aws_sdk_sesv2::Client, table: Table, mail_from: &str) -> Self {
        SesMailer {
            client,
            table,
            from: encode_sender(mail_from),
        }
    }
}

#[async_trait]
impl Mailer for SesMailer {
    async fn send(&self, mail: &OutgoingMail) -> anyhow::Result<()> {
        let marker = Key::mail_sent(mail.id);
        if self.table.get_item(&marker, "GetItem (mail sent)").await?.is_some() {
            return Ok(());
        }
        let text = |data: &str| Content::builder().data(data).charset("UTF-8").build();
        let message = Message::builder()
            .subject(text(&mail.subject)?)
            .body(Body::builder().text(text(&mail.body)?).build())
            .build();
        self.client
            .send_email()
            .from_email_address(&self.from)
            .destination(Destination::builder().to_addresses(mail.to.as_str()).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "SES SendEmail (mail {}): {}",
                    mail.id,
                    aws_sdk_sesv2::error::DisplayErrorContext(&e)
                )
            })?;
        let mut item = marker.attributes();
        item.insert(TTL.into(), ttl(Utc::now() + REMEMBER_SENT));
        self.table
            .put_item(item, "PutItem (mail sent)")
            .await
            .with_context(|| format!("mail {} sent but not marked", mail.id))?;
        Ok(())
    }
}

/// The bare address of a `From` value (`Name <address>` or `address`).
pub fn sender_address(mail_from: &str) -> &str {
    match (mail_from.rfind('<'), mail_from.rfind('>')) {
        (Some(start), Some(end)) if start < end => mail_from[start + 1..end].trim(),
        _ => mail_from.trim(),
    }
}

/// SES requires a non-ASCII display name as an RFC 2047 encoded word.
pub fn encode_sender(mail_from: &str) -> String {
    let address = sender_address(mail_from);
    let name = match mail_from.rfind('<') {
        Some(start) => mail_from[..start].trim().trim_matches('"').trim(),
        None => "",
    };
    if name.is_empty() {
        address.to_string()
    } else if name.is_ascii() {
        format!("\"{}\" <{address}>", name.replace(['"', '\\'], ""))
    } else {
        let encoded = base64::engine::general_purpose::STANDARD.encode(name);
        format!("=?UTF-8?B?{encoded}?= <{address}>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sender_names_are_encoded_for_ses() {
        assert_eq!(
            sender_address("Séjour <ne-pas-repondre@sejour.test>"),
            "ne-pas-repondre@sejour.test"
        );
        assert_eq!(sender_address(" a@b.test "), "a@b.test");
        assert_eq!(encode_sender("a@b.test"), "a@b.test");
        assert_eq!(encode_sender("Sejour <a@b.test>"), "\"Sejour\" <a@b.test>");
        assert_eq!(
            encode_sender("Séjour <a@b.test>"),
            "=?UTF-8?B?U8Opam91cg==?= <a@b.test>"
        );
    }
}
