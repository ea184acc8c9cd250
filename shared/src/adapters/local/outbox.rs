//! The local `Mailer`: each email becomes an RFC 5322 `.eml` file in
//! `DATA_DIR/outbox/`, named by its mail id (UUID v7, so names sort by time).
//! The local mailbox page lists them, so a person can follow the links.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use anyhow::Context;
use async_trait::async_trait;
use lettre::Message;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox, SinglePart};
use uuid::Uuid;

use crate::mail::OutgoingMail;
use crate::ports::{Clock, Mailer};

/// Writes emails into an outbox folder. Idempotent by mail id.
pub struct OutboxMailer {
    dir: PathBuf,
    from: Mailbox,
    clock: Arc<dyn Clock>,
}

impl OutboxMailer {
    /// `from` is `Config::mail_from` (`Name <address>` or a bare address).
    pub fn new(dir: &Path, from: &str, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("invalid sender address {from:?}"))?;
        std::fs::create_dir_all(dir.join(TMP_DIR)).with_context(|| format!("creating {}", dir.display()))?;
        Ok(OutboxMailer {
            dir: dir.to_path_buf(),
            from,
            clock,
        })
    }

    /// Where the email with this id is (or will be) written.
    pub fn path_of(&self, id: Uuid) -> PathBuf {
        eml_path(&self.dir, id)
    }
}

/// Half-written files live here, inside the outbox so that the final rename
/// stays on one file system, but out of the listing.
const TMP_DIR: &str = ".tmp";

fn eml_path(dir: &Path, id: Uuid) -> PathBuf {
    dir.join(format!("{id}.eml"))
}

/// The email as RFC 5322 bytes (CRLF line ends). The body goes as 8-bit
/// UTF-8 when its lines allow (links stay whole and readable in the file),
/// else in whatever encoding lettre finds best; non-ASCII subjects are
/// RFC 2047 encoded words.
pub fn render_eml(mail: &OutgoingMail, from: &Mailbox, date: SystemTime) -> anyhow::Result<Vec<u8>> {
    // Errors name the mail id only: logs never carry addresses.
    let to: Mailbox = mail
        .to
        .as_str()
        .parse()
        .map_err(|_| anyhow::anyhow!("mail {}: the recipient address cannot be written in an email", mail.id))?;
    let body = Body::new_with_encoding(mail.body.clone(), ContentTransferEncoding::EightBit)
        .unwrap_or_else(|_| Body::new(mail.body.clone()));
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .date(date)
        .message_id(Some(format!("<{}@{}>", mail.id, from.email.domain())))
        .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body))
        .map_err(|e| anyhow::anyhow!("mail {}: cannot build the message: {e}", mail.id))?;
    Ok(message.formatted())
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, mail: &OutgoingMail) -> anyhow::Result<()> {
        let path = self.path_of(mail.id);
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(());
        }
        let eml = render_eml(mail, &self.from, self.clock.now().into())?;
        let tmp = self
            .dir
            .join(TMP_DIR)
            .join(format!("{}.{}", mail.id, Uuid::new_v4().simple()));
        tokio::task::spawn_blocking(move || write_atomically(&tmp, &path, &eml))
            .await
            .context("outbox writer task failed")?
    }
}

/// Write to `tmp`, flush to disk, then rename: readers see the whole file or none.
pub(crate) fn write_atomically(tmp: &Path, path: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(tmp);
        anyhow::Error::new(e).context(format!("writing {}", path.display()))
    })
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use chrono::{DateTime, Duration};

    use super::*;
    use crate::adapters::ManualClock;
    use crate::domain::contact::Email;

    const FROM: &str = "Séjour <ne-pas-repondre@sejour.localhost>";

    fn mail(subject: &str, body: &str) -> OutgoingMail {
        OutgoingMail {
            id: Uuid::now_v7(),
            to: Email::parse("awa.diallo@example.org").unwrap(),
            subject: subject.into(),
            body: body.into(),
        }
    }

    fn at() -> DateTime<chrono::Utc> {
        DateTime::parse_from_rfc3339("2026-09-01T09:00:00Z").unwrap().to_utc()
    }

    /// The header lines (unfolded) and the body of an `.eml`.
    fn split(eml: &[u8]) -> (Vec<(String, String)>, String) {
        let text = String::from_utf8(eml.to_vec()).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with([' ', '\t']) {
                headers.last_mut().unwrap().1.push_str(line);
            } else {
                let (name, value) = line.split_once(": ").unwrap();
                headers.push((name.to_string(), value.to_string()));
            }
        }
        (headers, body.to_string())
    }

    fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
        let found: Vec<_> = headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).collect();
        assert_eq!(found.len(), 1, "one {name} header in {headers:?}");
        &found[0].1
    }

    /// Decodes `=?utf-8?b?…?=` words, the form lettre writes.
    fn decode_words(value: &str) -> String {
        value
            .split_whitespace()
            .map(
                |word| match word.strip_prefix("=?utf-8?b?").and_then(|w| w.strip_suffix("?=")) {
                    Some(b64) => {
                        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b64).unwrap()).unwrap()
                    }
                    None => word.to_string(),
                },
            )
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn eml_has_the_headers_readers_rely_on() {
        let from: Mailbox = FROM.parse().unwrap();
        let m = mail(
            "Contract 42",
            "Bonjour Awa,\n\nLien : http://127.0.0.1:8080/verify-email?token=abc_-123\n",
        );
        let (headers, body) = split(&render_eml(&m, &from, at().into()).unwrap());

        // The exact line the contract suite and the mailbox look for.
        assert_eq!(header(&headers, "Subject"), "Contract 42");
        assert_eq!(header(&headers, "To"), "awa.diallo@example.org");
        assert!(header(&headers, "From").ends_with(" <ne-pas-repondre@sejour.localhost>"));
        assert_eq!(decode_words(header(&headers, "From")), FROM);
        let date = DateTime::parse_from_rfc2822(header(&headers, "Date")).unwrap();
        assert_eq!(date, at());
        assert_eq!(header(&headers, "Message-ID"), format!("<{}@sejour.localhost>", m.id));
        assert_eq!(header(&headers, "MIME-Version"), "1.0");
        assert_eq!(header(&headers, "Content-Type"), "text/plain; charset=utf-8");
        // 8-bit: the link is whole and the accents are plain UTF-8.
        assert_eq!(header(&headers, "Content-Transfer-Encoding"), "8bit");
        // (lettre ends the part with one more line break.)
        assert_eq!(body, format!("{}\r\n", m.body.replace('\n', "\r\n")));
    }

    #[test]
    fn non_ascii_subjects_are_encoded_words() {
        let from: Mailbox = FROM.parse().unwrap();
        let m = mail("Réinitialisation de votre mot de passe", "é");
        let (headers, _) = split(&render_eml(&m, &from, at().into()).unwrap());
        let subject = header(&headers, "Subject");
        assert!(subject.is_ascii());
        assert_eq!(decode_words(subject), m.subject);
    }

    #[test]
    fn overlong_lines_get_a_transfer_encoding() {
        let from: Mailbox = FROM.parse().unwrap();
        let m = mail("Long", &format!("{}é\n", "x".repeat(1500)));
        let eml = render_eml(&m, &from, at().into()).unwrap();
        let (headers, body) = split(&eml);
        assert_ne!(header(&headers, "Content-Transfer-Encoding"), "8bit");
        assert!(eml.is_ascii());
        assert!(body.split("\r\n").all(|line| line.len() <= 998));
    }

    #[tokio::test]
    async fn sending_twice_writes_once() {
        let dir = std::env::temp_dir().join(format!("sejour-outbox-{}", Uuid::new_v4()));
        let clock = Arc::new(ManualClock::new(at()));
        let mailer = OutboxMailer::new(&dir, FROM, clock.clone()).unwrap();
        let m = mail("Once", "Bonjour");
        mailer.send(&m).await.unwrap();
        let first = std::fs::read(mailer.path_of(m.id)).unwrap();
        clock.advance(Duration::hours(1));
        mailer.send(&m).await.unwrap();
        assert_eq!(std::fs::read(mailer.path_of(m.id)).unwrap(), first, "not written again");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "the email and the empty temporary folder: {names:?}");
        assert_eq!(std::fs::read_dir(dir.join(TMP_DIR)).unwrap().count(), 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
