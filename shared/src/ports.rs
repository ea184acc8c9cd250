//! Ports: what the use cases need from the outside world, in the domain's
//! words. Each has a local adapter (`adapters::local`) and an AWS adapter
//! (`adapters::aws`); both pass the same contract suite (`tests/contract`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::account::{Account, AccountId};
use crate::domain::contact::Email;
use crate::domain::login_attempts::LoginAttempts;
use crate::domain::notification::{Notification, NotificationId};
use crate::domain::session::{Session, TokenHash};
use crate::domain::state_record::{RecordKey, StateRecord};
use crate::domain::token::OneTimeToken;
use crate::mail::OutgoingMail;

/// Why a store refused a write, for control flow; anything else is `Unavailable`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another account already uses this email address.
    #[error("email already in use")]
    EmailTaken,
    /// Another account was already activated with this state record.
    #[error("state record already linked to an account")]
    RecordLinked,
    /// The item changed since it was read (`expected_version` did not match).
    #[error("version conflict")]
    VersionConflict,
    /// The store failed; for reporting, never shown to users.
    #[error("store unavailable: {0:#}")]
    Unavailable(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Accounts, their unique email addresses and their link to a state record.
#[async_trait]
pub trait Accounts: Send + Sync {
    /// Create the account, reserving its email (and its state record, if
    /// any), together with its first notification: all or nothing.
    async fn create(&self, account: &Account, notification: Option<&Notification>) -> StoreResult<()>;
    async fn get(&self, id: AccountId) -> StoreResult<Option<Account>>;
    async fn find_by_email(&self, email: &Email) -> StoreResult<Option<Account>>;
    /// Save `account` (whose `version` is the new one) if the stored version
    /// is `expected_version`; moves the email reservation if the email
    /// changed; writes the notification in the same atomic write.
    async fn update(
        &self,
        account: &Account,
        expected_version: u64,
        notification: Option<&Notification>,
    ) -> StoreResult<()>;
}

/// The state's records of visas and residence permits (F28).
#[async_trait]
pub trait StateRecords: Send + Sync {
    async fn get(&self, key: &RecordKey) -> StoreResult<Option<StateRecord>>;
    /// Insert or replace each record by its key: importing twice changes nothing.
    async fn put_many(&self, records: &[StateRecord]) -> StoreResult<()>;
}

#[async_trait]
pub trait Sessions: Send + Sync {
    async fn create(&self, session: &Session) -> StoreResult<()>;
    async fn get(&self, hash: &TokenHash) -> StoreResult<Option<Session>>;
    async fn touch(&self, hash: &TokenHash, at: DateTime<Utc>) -> StoreResult<()>;
    async fn delete(&self, hash: &TokenHash) -> StoreResult<()>;
}

/// Email verification and password reset tokens.
#[async_trait]
pub trait OneTimeTokens: Send + Sync {
    async fn put(&self, token: &OneTimeToken) -> StoreResult<()>;
    /// Remove and return the token: a token can be taken once only, even by
    /// two concurrent requests.
    async fn take(&self, hash: &TokenHash) -> StoreResult<Option<OneTimeToken>>;
}

/// Failed login attempts per identifier, kept for a limited time.
#[async_trait]
pub trait LoginThrottle: Send + Sync {
    async fn get(&self, key: &str) -> StoreResult<LoginAttempts>;
    async fn put(&self, key: &str, attempts: &LoginAttempts) -> StoreResult<()>;
    async fn clear(&self, key: &str) -> StoreResult<()>;
}

#[async_trait]
pub trait Notifications: Send + Sync {
    /// The account's notifications, newest first.
    async fn list(&self, account: AccountId) -> StoreResult<Vec<Notification>>;
    /// Mark one of the account's notifications read; `false` if it has none with this id.
    async fn mark_read(&self, account: AccountId, id: NotificationId, at: DateTime<Utc>) -> StoreResult<bool>;
}

/// Hands emails to the mail sender (SQS on AWS, an in-process queue locally).
#[async_trait]
pub trait MailQueue: Send + Sync {
    async fn enqueue(&self, mail: &OutgoingMail) -> anyhow::Result<()>;
}

/// Delivers one email. Idempotent by `mail.id`: delivering twice sends once.
#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, mail: &OutgoingMail) -> anyhow::Result<()>;
}

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub trait Random: Send + Sync {
    /// A secret of 256 bits, URL-safe base64.
    fn secret(&self) -> String;
    /// A new time-ordered identifier.
    fn id(&self) -> Uuid;
}
