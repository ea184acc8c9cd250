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
        std::fs::create_dir_all(dir.join(TMP_DIR))
            .with_context(|| format!("creating {}", dir.display()))?;
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
pub fn render_eml(
    mail: &OutgoingMail,
    from: &Mailbox,
    date: SystemTime,
) -> anyhow::Result<Vec<u8>> {
    // Errors name the mail id only: logs never carry addresses.
    let to: Mailbox = mail.to.as_str().parse().map_err(|_| {
        anyhow::anyhow!(
            "mail {}: the recipient address cannot be written in an email",
            mail.id
        )
    })?;
    let body = Body::new_with_encoding(mail.body.clone(), ContentTransferEncoding::EightBit)
        .unwrap_or_else(|_| Body::new(mail.body.clone()));
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .date(date)
        .message_id(Some(format!("<{}@{}>", mail.id, from.email.domain())))
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(body),
        )
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
