//! Rules both document storages follow, so that a URL signed locally and one
//! presigned on S3 behave alike: which keys are acceptable, how long a URL
//! lives, and how a download names its file.

use anyhow::{bail, ensure};
use chrono::{DateTime, TimeDelta, Utc};

/// The longest a signed URL stays valid, whatever the caller asks.
pub const MAX_URL_LIFETIME: TimeDelta = TimeDelta::minutes(15);

/// The longest key accepted (S3 allows 1024 bytes).
pub const MAX_KEY_LEN: usize = 512;

/// Keys are chosen by the server, e.g. `applications/<uuid>/<uuid>`:
/// segments of ASCII letters, digits, `_` and `-` separated by single `/`.
/// Anything else (`..`, absolute paths, dots, spaces, `%`) is refused, so a
/// key can never leave the storage folder or name a temporary file.
pub fn check_key(key: &str) -> anyhow::Result<()> {
    ensure!(
        !key.is_empty() && key.len() <= MAX_KEY_LEN,
        "invalid storage key length"
    );
    ensure!(
        key.split('/').all(|segment| !segment.is_empty()
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')),
        "invalid storage key"
    );
    Ok(())
}

/// When a URL asked to expire at `requested` really expires: no later than
/// [`MAX_URL_LIFETIME`] from `now`, on a whole second. A time already past is
/// What both adapters check before signing an upload: a valid key and a
/// length within the limit.
pub fn check_upload(key: &str, length: u64, max_upload_bytes: u64) -> anyhow::Result<()> {
    check_key(key)?;
    anyhow::ensure!(
        length <= max_upload_bytes,
        "{length} bytes is more than the {max_upload_bytes} allowed"
    );
    Ok(())
}

/// a mistake of the caller.
pub fn bounded_expiry(now: DateTime<Utc>, requested: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
    if requested <= now {
        bail!("a signed URL must expire in the future");
    }
    let bounded = requested.min(now + MAX_URL_LIFETIME);
    Ok(DateTime::from_timestamp(bounded.timestamp(), 0).unwrap_or(bounded))
}

/// `inline; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback
/// for old clients and the exact name, accents included, for the others.
pub fn content_disposition(file_name: &str) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "inline; filename=\"{fallback}\"; filename*=UTF-8''{}",
        percent_encode(file_name)
    )
}

/// Percent-encode everything but RFC 3986's unreserved characters.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_inside_the_storage() {
        check_key("applications/0190a1b2-c3d4/0190a1b2-c3d5").unwrap();
        check_key("receipts/ABC_123").unwrap();
        for bad in [
            "",
            "/etc/passwd",
            "applications/../../etc/passwd",
            "..",
            "a//b",
            "a/",
            "a/b.pdf",
            "a\\b",
            "a b",
            "a%2e%2e",
            "é",
            &"a".repeat(MAX_KEY_LEN + 1),
        ] {
            assert!(check_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn urls_live_fifteen_minutes_at_most() {
        let now = DateTime::parse_from_rfc3339("2026-09-01T09:00:00.250Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            bounded_expiry(now, now + TimeDelta::minutes(5)).unwrap(),
            DateTime::parse_from_rfc3339("2026-09-01T09:05:00Z").unwrap()
        );
        assert_eq!(
            bounded_expiry(now, now + TimeDelta::days(2)).unwrap(),
            DateTime::parse_from_rfc3339("2026-09-01T09:15:00Z").unwrap()
        );
        assert!(bounded_expiry(now, now).is_err());
    }

    #[test]
    fn file_names_keep_their_accents() {
        assert_eq!(
            content_disposition("relevé de notes \"2025\".pdf"),
            "inline; filename=\"relev_ de notes _2025_.pdf\"; filename*=UTF-8''relev%C3%A9%20de%20notes%20%222025%22.pdf"
        );
    }
}
