//! Use cases: each a function over the ports, the same for both runtimes.

pub mod mail_sender;
pub mod records;

pub mod accounts;
pub mod applications;
pub mod complements;
pub mod conversation;
pub mod credentials;
pub mod deadlines;
pub mod decisions;
pub mod documents;
pub mod eligibility;
pub mod issued;
pub mod links;
pub mod notifications;
mod problem_code;
pub mod review;
pub mod submission;
pub mod throttle;
pub mod timeline;
pub mod transitions;

pub use problem_code::ProblemCode;

use std::sync::Arc;

use crate::config::Config;
use crate::domain::Invalid;
use crate::ports::{
    Accounts, Clock, MailQueue, Notifications, OneTimeTokens, Random, Sessions, StateRecords, StoreError, Throttle,
};

/// The ports one deployment runs on, built once at start.
#[derive(Clone)]
pub struct Ports {
    pub accounts: Arc<dyn Accounts>,
    pub records: Arc<dyn StateRecords>,
    pub sessions: Arc<dyn Sessions>,
    pub tokens: Arc<dyn OneTimeTokens>,
    pub throttle: Arc<dyn Throttle>,
    pub notifications: Arc<dyn Notifications>,
    pub applications: Arc<dyn crate::ports::Applications>,
    pub mail: Arc<dyn MailQueue>,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn Random>,
    /// Supporting documents and generated PDFs (S3, or a local folder).
    pub storage: Arc<dyn crate::ports::DocumentStorage>,
    pub ephoto: Arc<dyn crate::ports::Ephoto>,
}

/// Everything a use case needs: the ports and the settings.
#[derive(Clone)]
pub struct App {
    pub ports: Ports,
    pub config: Arc<Config>,
}

impl App {
    pub fn new(ports: Ports, config: Config) -> Self {
        App {
            ports,
            config: Arc::new(config),
        }
    }
}

/// Why a use case did not succeed. The variants are for control flow (the
/// API maps each to a status and a stable code); `Internal` is for reporting.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("invalid input")]
    Invalid(Invalid),
    /// The thing asked for does not exist, or is not the caller's to see.
    #[error("not found: {0}")]
    NotFound(&'static str),
    #[error("conflict: {0}")]
    Conflict(ProblemCode),
    /// Not logged in, or wrong credentials.
    #[error("unauthorized: {0}")]
    Unauthorized(ProblemCode),
    /// Logged in, but not allowed.
    #[error("forbidden: {0}")]
    Forbidden(ProblemCode),
    /// Too soon after failed attempts: wait `retry_after_seconds`.
    #[error("too many attempts")]
    Throttled { retry_after_seconds: i64 },
    /// The login identifier is locked until `until` (always a limited time).
    #[error("locked")]
    Locked {
        until: chrono::DateTime<chrono::Utc>,
        retry_after_seconds: i64,
    },
    /// The service is saturated (password work): try again after `retry_after_seconds`.
    #[error("busy")]
    Busy { retry_after_seconds: i64 },
    /// The lifecycle refuses the action in the application's current status.
    #[error("not allowed: {0:?}")]
    NotAllowed(crate::domain::application::lifecycle::NotAllowed),
    /// The applicant may not file (now): the eligibility rules (F1) refuse.
    #[error("not eligible: {0:?}")]
    NotEligible(crate::domain::eligibility::Refusal),
    /// Well-formed, but cannot be carried out, with a stable code
    /// (`record_not_found`, `not_covered`).
    #[error("rejected: {0}")]
    Rejected(ProblemCode),
    /// An emailed token that is unknown, already used (`invalid_token`) or
    /// past its time (`expired_token`).
    #[error("token rejected: {0}")]
    TokenRejected(ProblemCode),
    /// The applicant already has an open application (`open_application_exists`): this one.
    #[error("an open application exists")]
    OpenApplicationExists {
        application: crate::domain::application::ApplicationId,
        reference: crate::domain::application::Reference,
    },
    /// Not possible yet (`section_incomplete`, `not_ready`): each unmet
    /// item as a field error.
    #[error("unmet: {code}")]
    Unmet { code: ProblemCode, errors: Invalid },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<Invalid> for ServiceError {
    fn from(e: Invalid) -> Self {
        ServiceError::Invalid(e)
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::EmailTaken => ServiceError::Conflict(ProblemCode::EmailTaken),
            StoreError::RecordLinked => ServiceError::Conflict(ProblemCode::AccountExists),
            StoreError::VersionConflict => ServiceError::Conflict(ProblemCode::VersionConflict),
            StoreError::OpenApplicationExists => ServiceError::Conflict(ProblemCode::OpenApplicationExists),
            StoreError::Unavailable(e) => ServiceError::Internal(e),
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
