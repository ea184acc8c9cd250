//! The local outbox: one `.eml` file per email in `DATA_DIR/outbox/`,
//! read back for the mailbox pages (headers decoded, body decoded from
//! quoted-printable or base64).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use mail_parser::MessageParser;

/// One email as the mailbox shows it.
#[derive(Debug, Clone)]
pub struct Email {
    /// The file name without `.eml`: the email's address in the mailbox.
    pub id: String,
    pub date: Option<DateTime<Utc>>,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// Parse one `.eml` file's content.
pub fn parse(id: &str, bytes: &[u8]) -> Option<Email> {
    let message = MessageParser::default().parse(bytes)?;
    let addresses = |list: Option<&mail_parser::Address>| {
        list.map(|a| {
            a.iter()
                .map(|addr| match (addr.name(), addr.address()) {
                    (Some(name), Some(address)) => format!("{name} <{address}>"),
                    (None, Some(address)) => address.to_string(),
                    (Some(name), None) => name.to_string(),
                    (None, None) => String::new(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
    };
    Some(Email {
        id: id.to_string(),
        date: message
            .date()
            .and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0)),
        from: addresses(message.from()),
        to: addresses(message.to()),
        subject: message.subject().unwrap_or_default().to_string(),
        body: message
            .body_text(0)
            .map(|b| b.replace("\r\n", "\n"))
            .unwrap_or_default(),
    })
}

/// Whether `id` can name a file of the outbox (no path tricks).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

pub fn outbox(data_dir: &Path) -> PathBuf {
    data_dir.join("outbox")
}

/// Every email of the outbox, newest first.
pub async fn list(data_dir: &Path) -> std::io::Result<Vec<Email>> {
    let dir = outbox(data_dir);
    let mut entries = match tokio::fs::read_dir(&dir).await {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut emails = Vec::new();
    while let Some(entry) = entries.next_entry().await? {
        let path = entry.path();
        let Some(id) = eml_id(&path) else { continue };
        let modified = entry.metadata().await?.modified().ok().map(DateTime::<Utc>::from);
        let bytes = tokio::fs::read(&path).await?;
        if let Some(mut email) = parse(&id, &bytes) {
            email.date = email.date.or(modified);
            emails.push((modified, email));
        }
    }
    // The Date header has a one-second resolution: the file time breaks ties.
    emails.sort_by(|(ma, a), (mb, b)| (b.date, mb, &b.id).cmp(&(a.date, ma, &a.id)));
    Ok(emails.into_iter().map(|(_, e)| e).collect())
}

/// One email by id; `None` if there is no such email.
pub async fn get(data_dir: &Path, id: &str) -> std::io::Result<Option<Email>> {
    if !valid_id(id) {
        return Ok(None);
    }
    match tokio::fs::read(outbox(data_dir).join(format!("{id}.eml"))).await {
        Ok(bytes) => Ok(parse(id, &bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

fn eml_id(path: &Path) -> Option<String> {
    if path.extension()?.to_str()? != "eml" {
        return None;
    }
    let id = path.file_stem()?.to_str()?;
    valid_id(id).then(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lettre::message::header::ContentTransferEncoding;
    use lettre::message::{Mailbox, SinglePart, header::ContentType};

    fn eml(encoding: ContentTransferEncoding, body: &str) -> Vec<u8> {
        lettre::Message::builder()
            .from("Séjour <ne-pas-repondre@sejour.localhost>".parse::<Mailbox>().unwrap())
            .to("Awa Diallo <awa.diallo@example.org>".parse::<Mailbox>().unwrap())
            .subject("Réinitialisation de votre mot de passe")
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(encoding)
                    .body(body.to_string()),
            )
            .unwrap()
            .formatted()
    }

    const BODY: &str = "Bonjour Awa,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure, une seule fois) :\nhttp://127.0.0.1:8080/reset-password?token=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_-\n\nÉlève, garçon, « guillemets » — fin.";

    #[test]
    fn decodes_quoted_printable_and_base64_bodies_and_encoded_headers() {
        for encoding in [
            ContentTransferEncoding::QuotedPrintable,
            ContentTransferEncoding::Base64,
        ] {
            let raw = eml(encoding, BODY);
            let email = parse("m1", &raw).unwrap();
            assert_eq!(email.subject, "Réinitialisation de votre mot de passe");
            assert_eq!(email.to, "Awa Diallo <awa.diallo@example.org>");
            assert_eq!(email.from, "Séjour <ne-pas-repondre@sejour.localhost>");
            assert_eq!(email.body.trim_end(), BODY, "{encoding:?}");
            assert!(email.date.is_some());
        }
    }

    #[test]
    fn ids_cannot_leave_the_outbox() {
        assert!(valid_id("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"));
        assert!(!valid_id("../sejour"));
        assert!(!valid_id("a/b"));
        assert!(!valid_id(".hidden"));
        assert!(!valid_id(""));
    }

    #[tokio::test]
    async fn lists_newest_first_and_ignores_other_files() {
        let dir = std::env::temp_dir().join(format!("sejour-outbox-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(outbox(&dir)).unwrap();
        let older = lettre::Message::builder()
            .from("a@sejour.localhost".parse::<Mailbox>().unwrap())
            .to("b@example.org".parse::<Mailbox>().unwrap())
            .subject("older")
            .date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000))
            .body(String::from("one"))
            .unwrap();
        std::fs::write(outbox(&dir).join("older.eml"), older.formatted()).unwrap();
        std::fs::write(
            outbox(&dir).join("newer.eml"),
            eml(ContentTransferEncoding::SevenBit, "two"),
        )
        .unwrap();
        std::fs::write(outbox(&dir).join("notes.txt"), "not an email").unwrap();
        let emails = list(&dir).await.unwrap();
        let ids: Vec<_> = emails.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["newer", "older"]);
        assert_eq!(get(&dir, "older").await.unwrap().unwrap().body.trim(), "one");
        assert!(get(&dir, "../outbox/older").await.unwrap().is_none());
        assert!(get(&dir, "missing").await.unwrap().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
