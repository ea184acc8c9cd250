//! Ports: what the use cases need from the outside world, in the domain's
//! words. Each has a local adapter (`adapters::local`) and an AWS adapter
//! (`adapters::aws`); both pass the same contract suite (`tests/contract`).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::account::{Account, AccountId};
use crate::domain::application::documents::{EphotoCode, FileType};
use crate::domain::application::lifecycle::Status;
use crate::domain::application::{Application, ApplicationId, AuditEvent, DocumentId, Reference, SupportingDocument};
use crate::domain::contact::Email;
use crate::domain::issued_document::{IssuedDocument, VerificationCode};
use crate::domain::notification::{Notification, NotificationId};
use crate::domain::prefecture::PrefectureCode;
use crate::domain::session::{Session, TokenHash};
use crate::domain::state_record::{RecordKey, StateRecord};
use crate::domain::throttle::Attempts;
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
    /// The applicant already has an open application.
    #[error("an open application exists")]
    OpenApplicationExists,
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

/// Attempts counted per identifier (`login:<email>`, `reset:<email>`…),
/// kept for a limited time. Counting is a compare-and-swap on the record's
/// version, so that N simultaneous attempts count N.
#[async_trait]
pub trait Throttle: Send + Sync {
    /// The stored record; the default (version 0) if there is none.
    async fn get(&self, key: &str) -> StoreResult<Attempts>;
    /// Store `next` if the stored record is still at `expected_version` (0:
    /// none stored); `false`, writing nothing, if it moved meanwhile.
    async fn replace(&self, key: &str, expected_version: u64, next: &Attempts) -> StoreResult<bool>;
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

// ---------------------------------------------------------------------------
// Filing the application (F7–F14)
// ---------------------------------------------------------------------------

/// A response kept for an `Idempotency-Key`: a retry gets the first answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredResponse {
    /// `<account id>:<Idempotency-Key>`: keys are scoped to their caller.
    pub key: String,
    /// The application the answer is about: the same key for another one
    /// is `idempotency_key_reused`.
    pub application: ApplicationId,
    pub status: u16,
    /// The JSON body.
    pub body: String,
    pub created_at: DateTime<Utc>,
}

impl StoredResponse {
    /// How long a retry gets the first answer; stores may forget the response after.
    pub const RETENTION: chrono::Duration = chrono::Duration::hours(48);

    /// A `200` answer about `application` with `body` as JSON, kept under `key` from `now`.
    pub fn ok(
        key: &str,
        application: ApplicationId,
        body: &impl serde::Serialize,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Self> {
        Ok(StoredResponse {
            key: key.to_string(),
            application,
            status: 200,
            body: serde_json::to_string(body)?,
            created_at: now,
        })
    }

    pub fn keep_until(&self) -> DateTime<Utc> {
        self.created_at + Self::RETENTION
    }
}

/// A change to a supporting document, written with the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentChange {
    Put(SupportingDocument),
    Delete(DocumentId),
}

/// What is written together with an application, all or nothing.
#[derive(Debug, Clone, Default)]
pub struct Writes<'a> {
    pub documents: &'a [DocumentChange],
    pub events: &'a [AuditEvent],
    /// The applicant's notification, and any agent's.
    pub notifications: &'a [Notification],
    pub idempotency: Option<&'a StoredResponse>,
    pub issued: Option<&'a IssuedDocument>,
    /// An issued document whose standing changed (withdrawn): replaced.
    pub reissued: Option<&'a IssuedDocument>,
}

/// The rules of one atomic write, the same on every store.
impl Writes<'_> {
    /// Most items one save may write: DynamoDB's transactions hold 100, and
    /// the local store refuses the same saves.
    pub const MAX_ITEMS: usize = 100;

    /// The items a save writes, counted as DynamoDB counts them: the
    /// application, its open-application lock and its préfecture's count
    /// of cases by status, the documents (the last
    /// change per document), events, notifications, stored response, and each
    /// issued document with its entry under the application.
    pub fn items(&self) -> usize {
        3 + self.last_change_per_document().len()
            + self.events.len()
            + self.notifications.len()
            + usize::from(self.idempotency.is_some())
            + 2 * usize::from(self.issued.is_some())
            + 2 * usize::from(self.reissued.is_some())
    }

    /// The changes that count: the last one of each document, in order.
    pub fn last_change_per_document(&self) -> Vec<&DocumentChange> {
        let id = |c: &DocumentChange| match c {
            DocumentChange::Put(d) => d.id,
            DocumentChange::Delete(id) => *id,
        };
        let changes = self.documents;
        changes
            .iter()
            .enumerate()
            .filter(|(i, c)| !changes[i + 1..].iter().any(|later| id(later) == id(c)))
            .map(|(_, c)| c)
            .collect()
    }

    /// Refuse writes that belong to another application than `application`
    /// (a programming error) or that one atomic write could not hold.
    pub fn check(&self, application: &Application) -> StoreResult<()> {
        let ours = |id: ApplicationId| id == application.id;
        let documents_ours = self.documents.iter().all(|c| match c {
            DocumentChange::Put(d) => ours(d.application),
            DocumentChange::Delete(_) => true,
        });
        if !documents_ours
            || !self.events.iter().all(|e| ours(e.application))
            || !self.issued.is_none_or(|i| ours(i.application))
            || !self.reissued.is_none_or(|i| ours(i.application))
        {
            return Err(StoreError::Unavailable(anyhow::anyhow!(
                "refused write: a write names another application"
            )));
        }
        let items = self.items();
        if items > Self::MAX_ITEMS {
            return Err(StoreError::Unavailable(anyhow::anyhow!(
                "a save of {items} items exceeds the {} items of one atomic write",
                Self::MAX_ITEMS
            )));
        }
        Ok(())
    }
}

/// What a page of the agents' queue lists, in a préfecture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueFilter {
    /// The cases in this status, oldest submission first.
    Status(Status),
    /// The cases whose surname's search key (`civil_status::search_key`)
    /// starts with this one, by name then submission.
    Surname(String),
}

/// Where a page of the agents' queue ends: the last case's submission
/// instant and id (the queue's order), and its surname's search key when
/// the page was a search by name. Opaque to clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueCursor {
    pub submitted_at: DateTime<Utc>,
    pub id: ApplicationId,
    pub surname_key: Option<String>,
}

impl QueueCursor {
    /// After `application`, in a page listed by `filter`.
    pub fn of(application: &Application, filter: &QueueFilter) -> Option<QueueCursor> {
        Some(QueueCursor {
            submitted_at: application.submitted_at?,
            id: application.id,
            surname_key: match filter {
                QueueFilter::Status(_) => None,
                QueueFilter::Surname(_) => Some(crate::domain::civil_status::search_key(
                    &application.civil_status.surname,
                )),
            },
        })
    }

    pub fn encode(&self) -> String {
        use base64::Engine;
        let at = self.submitted_at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
        let mut text = format!("{at}|{}", self.id.0);
        if let Some(key) = &self.surname_key {
            text.push('|');
            text.push_str(key);
        }
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    }

    /// `None` for anything [`encode`](Self::encode) did not make.
    pub fn decode(cursor: &str) -> Option<QueueCursor> {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).ok()?;
        let mut parts = std::str::from_utf8(&bytes).ok()?.splitn(3, '|');
        let (at, id, key) = (parts.next()?, parts.next()?, parts.next());
        Some(QueueCursor {
            submitted_at: DateTime::parse_from_rfc3339(at).ok()?.to_utc(),
            id: ApplicationId(Uuid::parse_str(id).ok()?),
            surname_key: key.map(str::to_string),
        })
    }
}

/// One page of the queue, and where the next one starts (`None`: the last page).
#[derive(Debug, Clone, Default)]
pub struct QueuePage {
    pub applications: Vec<Application>,
    pub next: Option<QueueCursor>,
}

/// An application with everything kept beside it, read at once: what a
/// use case needs to decide and to answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub application: Application,
    /// Oldest first.
    pub documents: Vec<SupportingDocument>,
    /// The history, oldest first.
    pub events: Vec<AuditEvent>,
    /// The documents issued for it, oldest first.
    pub issued: Vec<IssuedDocument>,
}

impl Case {
    /// A new application, with nothing beside it yet.
    pub fn new(application: Application) -> Self {
        Case {
            application,
            documents: Vec::new(),
            events: Vec::new(),
            issued: Vec::new(),
        }
    }
}

/// Applications with their documents, history, idempotent responses and
/// issued documents.
#[async_trait]
pub trait Applications: Send + Sync {
    /// Create a draft. An applicant has at most one open (non-final)
    /// application: a second one is refused with `OpenApplicationExists`.
    async fn create(&self, application: &Application) -> StoreResult<()>;
    async fn get(&self, id: ApplicationId) -> StoreResult<Option<Application>>;
    /// The application with its documents, history and issued documents, in
    /// one read (on DynamoDB one `Query` of the application's partition).
    async fn case(&self, id: ApplicationId) -> StoreResult<Option<Case>>;
    /// The applicant's applications, newest first.
    async fn list_for_applicant(&self, applicant: AccountId) -> StoreResult<Vec<Application>>;
    /// The cases with something for the deadlines job to do at or before
    /// `now` (`Application::next_deadline`), soonest first; read from an
    /// index of the next deadlines, never a scan.
    async fn due(&self, now: DateTime<Utc>) -> StoreResult<Vec<Application>>;
    /// Up to `limit` submitted cases of `prefecture` in `status`, oldest
    /// submission first, after `after`; read from an index keyed by
    /// préfecture and status, never a scan.
    async fn queue(
        &self,
        prefecture: &PrefectureCode,
        filter: &QueueFilter,
        after: Option<&QueueCursor>,
        limit: usize,
    ) -> StoreResult<QueuePage>;
    /// The préfecture's submitted case with this reference, if any (a
    /// direct lookup: another préfecture's case is not found).
    async fn find_reference(
        &self,
        prefecture: &PrefectureCode,
        reference: &Reference,
    ) -> StoreResult<Option<Application>>;
    /// How many of the préfecture's submitted cases are in each status
    /// (statuses with none left out).
    async fn counts(&self, prefecture: &PrefectureCode) -> StoreResult<Vec<(Status, u64)>>;
    /// Save `application` (whose `version` is the new one) if the stored
    /// version is still the one of `read` (the application as the caller
    /// read it), with `writes`, in one atomic write: nothing is read first.
    /// Reaching a final status frees the applicant to open a new application.
    async fn save(&self, application: &Application, read: &Application, writes: Writes<'_>) -> StoreResult<()>;
    async fn documents(&self, id: ApplicationId) -> StoreResult<Vec<SupportingDocument>>;
    /// The history, oldest first.
    async fn events(&self, id: ApplicationId) -> StoreResult<Vec<AuditEvent>>;
    async fn stored_response(&self, key: &str) -> StoreResult<Option<StoredResponse>>;
    async fn issued(&self, code: &VerificationCode) -> StoreResult<Option<IssuedDocument>>;
    /// The documents issued for an application, oldest first.
    async fn issued_for(&self, id: ApplicationId) -> StoreResult<Vec<IssuedDocument>>;
}

/// A request the browser makes itself, straight to storage.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct PresignedRequest {
    pub method: String,
    pub url: String,
    /// Headers the request must carry exactly (they are signed).
    pub headers: Vec<(String, String)>,
    pub expires_at: DateTime<Utc>,
}

/// What storage holds under a key: its size and first bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub size: u64,
    /// Up to `documents::SNIFF_LEN` first bytes.
    pub head: Vec<u8>,
}

/// Document storage: uploads and downloads go straight between the browser
/// and storage through short-lived signed URLs; the API only signs and checks.
#[async_trait]
pub trait DocumentStorage: Send + Sync {
    /// A PUT URL accepting exactly this type and length until `expires_at`.
    async fn presign_upload(
        &self,
        key: &str,
        file_type: FileType,
        length: u64,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<PresignedRequest>;
    /// A GET URL serving the file inline under `file_name` until `expires_at`.
    async fn presign_download(
        &self,
        key: &str,
        file_name: &str,
        file_type: FileType,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<PresignedRequest>;
    /// `None` if nothing was uploaded under `key`.
    async fn inspect(&self, key: &str) -> anyhow::Result<Option<StoredObject>>;
    /// Store a generated file (receipts, attestations).
    async fn put(&self, key: &str, bytes: Vec<u8>, file_type: FileType) -> anyhow::Result<()>;
    async fn get(&self, key: &str) -> anyhow::Result<Option<Vec<u8>>>;
    async fn delete(&self, key: &str) -> anyhow::Result<()>;
}

/// What the e-photo service says of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EphotoCheck {
    Valid,
    /// No photo has this code.
    Unknown,
    /// The photo is more than 6 months old.
    Expired,
}

/// The e-photo service of the approved booths and photographers.
#[async_trait]
pub trait Ephoto: Send + Sync {
    async fn check(&self, code: &EphotoCode) -> anyhow::Result<EphotoCheck>;
}
