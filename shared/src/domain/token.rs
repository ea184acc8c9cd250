//! Single-use, expiring tokens sent by email: email verification and password reset.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::account::AccountId;
use super::contact::Email;
use super::session::TokenHash;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "purpose", rename_all = "snake_case")]
pub enum Purpose {
    /// Confirms that `email` belongs to the account holder.
    VerifyEmail {
        email: Email,
    },
    ResetPassword,
}

impl Purpose {
    pub fn lifetime(&self) -> Duration {
        match self {
            Purpose::VerifyEmail { .. } => Duration::hours(48),
            Purpose::ResetPassword => Duration::hours(1),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeToken {
    pub hash: TokenHash,
    pub account_id: AccountId,
    pub purpose: Purpose,
    pub expires_at: DateTime<Utc>,
}

impl OneTimeToken {
    pub fn new(hash: TokenHash, account_id: AccountId, purpose: Purpose, now: DateTime<Utc>) -> Self {
        let expires_at = now + purpose.lifetime();
        OneTimeToken {
            hash,
            account_id,
            purpose,
            expires_at,
        }
    }

    pub fn is_valid(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at
    }
}
