//! The application ("demande"): one filing by one applicant, from draft to
//! card. The aggregate holds the steps as the applicant saved them (a draft
//! may be incomplete), the review's validated sections and the lifecycle
//! status; documents, audit events and issued documents are stored beside it.

pub mod complement;
pub mod decision;
pub mod documents;
pub mod extension;
pub mod lifecycle;
pub mod message;
pub mod personal;
pub mod resources;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use self::documents::{DocumentKind, EphotoCode, FileType, RejectionReason};
use self::lifecycle::{Action, Status};
use self::personal::FamilyTiesInput;
use self::resources::Resources;
use super::FieldCode;
use super::account::AccountId;
use super::civil_status::CivilStatus;
use super::eligibility::Procedure;
use super::prefecture::PrefectureCode;
use super::reasons::studies::StudiesInput;
use super::state_record::{ForeignerNumber, RecordKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct ApplicationId(pub Uuid);

impl std::fmt::Display for ApplicationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The application number shown to people, e.g. `SEJ-2026-7F3K9Q2M`:
/// the year of creation and 8 random Crockford base-32 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, example = "SEJ-2026-7F3K9Q2M")]
pub struct Reference(pub String);

/// The reason for stay ("motif du séjour"); one per stage of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasonForStay {
    Studies,
}

/// The four sections of the review (step 5), one per step 1–4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Personal,
    Studies,
    Resources,
    Documents,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Personal,
        Section::Studies,
        Section::Resources,
        Section::Documents,
    ];

    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == value)
            .ok_or(FieldCode::NotInList)
    }

    pub fn code(self) -> &'static str {
        match self {
            Section::Personal => "personal",
            Section::Studies => "studies",
            Section::Resources => "resources",
            Section::Documents => "documents",
        }
    }
}

/// The tax stamp ("timbre fiscal") to bring to collect a student's card, in euros.
pub const CARD_TAX_STAMP_EUR: u32 = 75;

/// Where and when the card is to be collected (F22).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CardCollection {
    /// The préfecture's counter, as the agent wrote it.
    pub place: String,
    /// From this day on.
    pub from: chrono::NaiveDate,
    /// The tax stamp to bring, in euros.
    pub tax_stamp_eur: u32,
    #[schema(required = true)]
    pub handed_over_at: Option<DateTime<Utc>>,
}

/// A step of the deadlines job (F20, B2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeadlineStep {
    /// The 30 days have passed: the case is `complement_overdue`.
    Expire,
    /// 7 days before the end: remind the applicant, once.
    Remind,
    /// The current permit has ended (or its extension soon will) while
    /// the renewal is pending: issue the extension certificate (B2).
    Extend,
}

/// What an applicant's change touches (see [`Application::may_change`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changing {
    /// The steps, the review, the documents' removal.
    Content,
    /// A document of this kind uploaded or checked.
    Document(DocumentKind),
    /// The answer to a complement request.
    Complement,
}

/// A postal address as a draft holds it: any part may still be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AddressDraft {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
}

/// Step 1 as saved: the additions to the civil status, family ties, address
/// and mobile phone (the email is the account's).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PersonalStep {
    #[serde(flatten)]
    pub family: FamilyTiesInput,
    pub address: AddressDraft,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: ApplicationId,
    pub reference: Reference,
    pub applicant: AccountId,
    pub status: Status,
    /// Optimistic concurrency: each save increments it.
    pub version: u64,
    pub reason: ReasonForStay,
    pub procedure: Procedure,
    /// The late fee in euros, when filed after the window (F1); decided at
    /// creation and again at submission.
    #[serde(default)]
    pub late_fee_eur: Option<u32>,
    /// The state record the application starts from ("dites-le nous une fois").
    pub record: RecordKey,
    pub civil_status: CivilStatus,
    pub foreigner_number: Option<ForeignerNumber>,
    pub personal: PersonalStep,
    pub studies: StudiesInput,
    pub resources: Resources,
    pub ephoto_code: Option<EphotoCode>,
    /// Sections validated in the review (step 5), kept sorted.
    pub validated: Vec<Section>,
    /// Free text for the administration, written at the review.
    pub comment: Option<String>,
    /// The préfecture in charge, from the address's postcode.
    pub prefecture: Option<PrefectureCode>,
    /// The agent who started the review (F17).
    #[serde(default)]
    pub assigned_agent: Option<AccountId>,
    /// The préfecture's requests for complements, oldest first (F18, F19).
    #[serde(default)]
    pub complements: Vec<self::complement::ComplementRequest>,
    /// Where and when to collect the card, once it is ready (F22).
    #[serde(default)]
    pub card: Option<CardCollection>,
    /// The conversation with the préfecture, oldest first (B4).
    #[serde(default)]
    pub messages: Vec<self::message::Message>,
    /// The préfecture's decision (F21).
    #[serde(default)]
    pub decision: Option<self::decision::Decision>,
    /// The visa or permit held at submission (from the state record).
    #[serde(default)]
    pub current_title: Option<self::extension::CurrentTitle>,
    /// The last day covered by the latest extension certificate (B2).
    #[serde(default)]
    pub extended_until: Option<chrono::NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

impl Application {
    /// Record that `section` changed: its validation is withdrawn (F12).
    pub fn section_changed(&mut self, section: Section) {
        self.validated.retain(|s| *s != section);
    }

    pub fn validate(&mut self, section: Section) {
        if !self.validated.contains(&section) {
            self.validated.push(section);
            self.validated.sort();
        }
    }

    /// "n/4 validated".
    pub fn validated_count(&self) -> usize {
        self.validated.len()
    }

    /// The state `action` leads to, or why not.
    pub fn next_status(&self, action: Action) -> Result<Status, lifecycle::NotAllowed> {
        self.status.next(action)
    }

    /// The request for complements awaiting its answer, if any.
    pub fn open_complement(&self) -> Option<&self::complement::ComplementRequest> {
        self.complements.last().filter(|c| c.is_open())
    }

    pub fn open_complement_mut(&mut self) -> Option<&mut self::complement::ComplementRequest> {
        self.complements.last_mut().filter(|c| c.is_open())
    }

    /// Whether this change may be made now: the content of a draft; a
    /// supporting document of a draft, or one an open complement request
    /// awaits; the answer to an open complement request; a message's
    /// attachment while the case is open; the refusal decision while it
    /// can be refused. (Who may make it is the service's business.)
    pub fn may_change(&self, what: Changing) -> bool {
        let answering = matches!(self.status, Status::ComplementRequested | Status::ComplementOverdue);
        match what {
            Changing::Content => self.status.is_editable(),
            Changing::Document(DocumentKind::Attachment) => self.status.next(Action::SendMessage).is_ok(),
            Changing::Document(DocumentKind::RefusalDecision) => self.status.next(Action::Refuse).is_ok(),
            Changing::Document(kind) => {
                self.status.is_editable() || (answering && self.open_complement().is_some_and(|c| c.awaits(kind)))
            }
            Changing::Complement => answering && self.open_complement().is_some(),
        }
    }

    /// Whether the extension certificate (B2) applies: a renewal filed on
    /// time (no late fee) of a residence permit, not decided yet.
    pub fn extension_applies(&self) -> bool {
        self.status.is_pending()
            && self.procedure == Procedure::Renewal
            && self.late_fee_eur.is_none()
            && self
                .current_title
                .as_ref()
                .is_some_and(|t| t.kind == super::state_record::RecordKind::Permit)
    }

    /// What the deadlines job (F20, B2) has to do for this case, and from
    /// when: remind the applicant once, 7 days before the end of an open
    /// complement request, then, at its end, move the case overdue; issue
    /// the extension certificate when the permit ends, and renew it before
    /// it lapses.
    fn deadlines(&self) -> Vec<(DateTime<Utc>, DeadlineStep)> {
        let mut steps = Vec::new();
        if let Some(request) = self
            .open_complement()
            .filter(|_| self.status == Status::ComplementRequested)
        {
            if request.reminded_at.is_none() && request.reminder_at() < request.deadline {
                steps.push((request.reminder_at(), DeadlineStep::Remind));
            }
            steps.push((request.deadline, DeadlineStep::Expire));
        }
        if let Some(title) = self.current_title.as_ref().filter(|_| self.extension_applies()) {
            let at = self::extension::next_extension_at(title.valid_until, self.extended_until);
            steps.push((at, DeadlineStep::Extend));
        }
        steps
    }

    /// The next thing the deadlines job has to do, and from when (what the
    /// deadline index is keyed on).
    pub fn next_deadline(&self) -> Option<(DateTime<Utc>, DeadlineStep)> {
        self.deadlines().into_iter().min()
    }

    /// What the deadlines job does for this case at `now`, if anything: the
    /// expiry first; a reminder that was not sent in time is skipped once
    /// the end has passed.
    pub fn deadline_step_at(&self, now: DateTime<Utc>) -> Option<DeadlineStep> {
        let due: Vec<DeadlineStep> = self
            .deadlines()
            .into_iter()
            .filter(|(at, _)| *at <= now)
            .map(|(_, step)| step)
            .collect();
        let expire = due.contains(&DeadlineStep::Expire);
        due.into_iter()
            .filter(|step| !(expire && *step == DeadlineStep::Remind))
            .min()
    }

    /// Whether the applicant said they are housed free of charge.
    pub fn housed_free_of_charge(&self) -> bool {
        self.resources.housed_free_of_charge == Some(true)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct DocumentId(pub Uuid);

/// Where an uploaded file stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DocumentStatus {
    /// An upload URL was issued; the file has not been checked yet.
    AwaitingUpload,
    Accepted,
    /// Checked and refused, with the reason.
    Rejected {
        reason: RejectionReason,
    },
}

/// One supporting document of an application (one file per kind).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportingDocument {
    pub id: DocumentId,
    pub application: ApplicationId,
    pub kind: DocumentKind,
    /// The file's name as the applicant's device gave it (display only).
    pub file_name: String,
    pub file_type: FileType,
    pub size: u64,
    /// Chosen by the server, unguessable: `applications/<application>/<random>`.
    pub storage_key: String,
    pub status: DocumentStatus,
    pub created_at: DateTime<Utc>,
    /// Who asked for the upload (the applicant, or an agent for a message's
    /// attachment or a refusal decision).
    #[serde(default)]
    pub uploaded_by: Option<AccountId>,
}

/// Who did something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Actor {
    Applicant {
        #[schema(value_type = String)]
        id: AccountId,
    },
    Agent {
        #[schema(value_type = String)]
        id: AccountId,
    },
    /// A scheduled job.
    System,
}

/// One line of the history (F23): who, when, from which state to which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEvent {
    pub id: Uuid,
    #[schema(value_type = String)]
    pub application: ApplicationId,
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub action: Action,
    pub from: Status,
    pub to: Status,
}
