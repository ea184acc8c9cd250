//! Sessions: opaque random tokens, stored hashed, with idle and absolute expiry.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::account::AccountId;

/// Idle time after which a session ends.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// Lifetime of a session, however active.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, to spare the store.
pub const TOUCH_INTERVAL: Duration = Duration::minutes(1);

/// The SHA-256 of a secret token, hex-encoded: what stores keep instead of the token.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TokenHash(pub String);

impl TokenHash {
    pub fn of(token: &str) -> Self {
        let digest = Sha256::digest(token.as_bytes());
        TokenHash(digest.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub token_hash: TokenHash,
    pub account_id: AccountId,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl Session {
    pub fn new(token_hash: TokenHash, account_id: AccountId, now: DateTime<Utc>) -> Self {
        Session {
            token_hash,
            account_id,
            created_at: now,
            last_seen_at: now,
        }
    }

    /// When the session ends if unused from now on.
    pub fn expires_at(&self) -> DateTime<Utc> {
        (self.last_seen_at + IDLE_TIMEOUT).min(self.created_at + ABSOLUTE_TIMEOUT)
    }

    pub fn is_valid(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at()
    }

    /// Whether this use should be written back (`last_seen_at` moved on).
    pub fn needs_touch(&self, now: DateTime<Utc>) -> bool {
        now - self.last_seen_at >= TOUCH_INTERVAL
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn idle_and_absolute_expiry() {
        let t0 = DateTime::parse_from_rfc3339("2026-01-01T08:00:00Z").unwrap().to_utc();
        let mut s = Session::new(TokenHash::of("t"), AccountId(Uuid::nil()), t0);
        assert!(s.is_valid(t0 + Duration::minutes(29)));
        assert!(!s.is_valid(t0 + Duration::minutes(30)));
        // Active all day: still ends after 12 hours.
        s.last_seen_at = t0 + Duration::hours(11) + Duration::minutes(50);
        assert!(s.is_valid(t0 + Duration::hours(11) + Duration::minutes(59)));
        assert!(!s.is_valid(t0 + Duration::hours(12)));
    }

    #[test]
    fn hashes_are_hex_sha256() {
        assert_eq!(TokenHash::of("abc").as_str().len(), 64);
        assert_ne!(TokenHash::of("abc"), TokenHash::of("abd"));
    }
}
