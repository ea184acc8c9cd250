//! Filing the application (F7–F12): the draft prefilled from the state's
//! records, the four step saves, the review's validations, and what the
//! applicant sees of it.
//!
//! Rules kept here:
//! - an applicant sees and changes only their own applications: anyone
//!   else's is "not found" (never ProblemCode::Forbidden, so existence does not leak);
//!   agents are refused (they have their own endpoints);
//! - one open application per applicant (the store enforces it);
//! - content changes only in draft, conditional on the version read: a step
//!   save carries the version the client read, other changes re-read and
//!   retry a few times;
//! - a present but invalid value refuses the whole save; a missing one is
//!   kept missing in the draft and listed in `missing`;
//! - saving a section withdraws its review validation (F12).

use std::collections::BTreeMap;

use base64::Engine;
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::Invalid;
use crate::domain::account::{Account, AccountId};
use crate::domain::application::complement::ComplementRequest;
use crate::domain::application::decision::Decision;
use crate::domain::application::documents::{DocumentKind, EphotoCode, FileType, RejectionReason};
use crate::domain::application::extension::CurrentTitle;
use crate::domain::application::lifecycle::Status;
use crate::domain::application::message::Message;
use crate::domain::application::personal::FamilyTiesInput;
use crate::domain::application::resources::{Cents, ResourceKind, ResourceLine, Resources};
use crate::domain::application::{
    AddressDraft, Application, ApplicationId, Changing, DocumentId, DocumentStatus, PersonalStep, ReasonForStay,
    Reference, Section, SupportingDocument,
};
use crate::domain::civil_status::{CivilStatus, CountryCode, name};
use crate::domain::contact::{Email, PhoneNumber};
use crate::domain::eligibility::{self, Procedure};
use crate::domain::issued_document::IssuedDocument;
use crate::domain::issued_document::{ALPHABET, IssuedKind};
use crate::domain::prefecture::{Postcode, PrefectureCode};
use crate::domain::reasons::studies::{self, StudiesInput};
use crate::domain::state_record::ForeignerNumber;
use crate::domain::validation::text;
use crate::ports::{Case, DocumentChange, EphotoCheck, StoreError, Writes};

use super::accounts::Authenticated;
use super::{App, ServiceError, ServiceResult};
use crate::domain::FieldCode;
use crate::service::ProblemCode;

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/// Civil-status fields: they come from the state's records and cannot be changed here.
const READ_ONLY_FIELDS: [&str; 11] = [
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "birth_place",
    "birth_country",
    "nationality",
    "civil_status",
    "foreigner_number",
    "email",
    "prefecture",
];

/// Step 1 as typed (F8). Every field may be left out in a draft; the civil
/// status is read-only (`read_only`) and the email is the account's.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PersonalInput {
    /// Usage name ("nom d'usage"), if any.
    pub usage_name: Option<String>,
    #[schema(value_type = Option<crate::domain::application::personal::FamilySituation>, example = "single")]
    pub family_situation: Option<String>,
    /// Does the spouse or partner live in France?
    pub spouse_in_france: Option<bool>,
    /// ISO 3166 alpha-3; required when the spouse lives in France.
    #[schema(example = "ITA")]
    pub spouse_nationality: Option<String>,
    /// 0 to 20.
    pub children_in_france: Option<i64>,
    /// The département, hence the préfecture, comes from the postcode.
    pub address: Option<AddressDraft>,
    /// Mobile phone: French mobile (06, 07) or international E.164.
    #[schema(example = "06 12 34 56 78")]
    pub phone: Option<String>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub other: BTreeMap<String, Value>,
}

/// Step 2 for a student (F9): codes from the lists of the original description.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StudiesStepInput {
    #[schema(value_type = Option<studies::InstitutionType>, example = "university")]
    pub institution_type: Option<String>,
    #[schema(value_type = Option<studies::StudyCycle>, example = "master")]
    pub cycle: Option<String>,
    #[schema(value_type = Option<studies::StudyLevel>, example = "m1")]
    pub level: Option<String>,
    #[schema(value_type = Option<studies::Discipline>, example = "computer_science")]
    pub discipline: Option<String>,
    #[schema(example = "Université Lumière Lyon 2")]
    pub institution_name: Option<String>,
    #[schema(example = "2026-2027")]
    pub academic_year: Option<String>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub other: BTreeMap<String, Value>,
}

/// One monthly resource as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ResourceLineInput {
    #[schema(value_type = Option<ResourceKind>, example = "scholarship")]
    pub kind: Option<String>,
    /// Monthly amount in euro cents (61500 is 615 €).
    #[schema(example = 61500)]
    pub monthly_amount: Option<i64>,
}

/// Step 3 (F10): resources, explanation, housed free of charge.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ResourcesInput {
    pub lines: Vec<ResourceLineInput>,
    pub explanation: Option<String>,
    pub housed_free_of_charge: Option<bool>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub other: BTreeMap<String, Value>,
}

/// Step 4 (F11): the e-photo code. Files are added through the documents endpoints.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DocumentsStepInput {
    /// 22 letters and digits as printed on the photo board; `null` removes it.
    #[schema(example = "DEMO017BVUWM3XTGZXS5Z2")]
    pub ephoto_code: Option<String>,
    #[serde(flatten)]
    #[schema(ignore)]
    pub other: BTreeMap<String, Value>,
}

/// The body of a step save: its shape depends on the step.
#[derive(Debug, Clone)]
pub enum StepInput {
    Personal(PersonalInput),
    Studies(StudiesStepInput),
    Resources(ResourcesInput),
    Documents(DocumentsStepInput),
}

impl StepInput {
    pub fn section(&self) -> Section {
        match self {
            StepInput::Personal(_) => Section::Personal,
            StepInput::Studies(_) => Section::Studies,
            StepInput::Resources(_) => Section::Resources,
            StepInput::Documents(_) => Section::Documents,
        }
    }

    /// The body of `section`'s step, from JSON.
    pub fn from_json(section: Section, body: Value) -> Result<Self, serde_json::Error> {
        Ok(match section {
            Section::Personal => StepInput::Personal(serde_json::from_value(body)?),
            Section::Studies => StepInput::Studies(serde_json::from_value(body)?),
            Section::Resources => StepInput::Resources(serde_json::from_value(body)?),
            Section::Documents => StepInput::Documents(serde_json::from_value(body)?),
        })
    }
}

// ---------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------

/// One application as its applicant sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApplicationView {
    #[schema(value_type = String, format = Uuid)]
    pub id: ApplicationId,
    pub reference: Reference,
    pub status: Status,
    /// Send it back as `If-Match: "<version>"` to save a step.
    pub version: u64,
    pub reason: ReasonForStay,
    pub procedure: Procedure,
    /// The late fee in euros (180), when filed after the window; `null` on time.
    #[schema(required = true, example = json!(null))]
    pub late_fee_eur: Option<u32>,
    /// From the state's records; read-only.
    pub civil_status: CivilStatus,
    #[schema(value_type = Option<String>, required = true)]
    pub foreigner_number: Option<ForeignerNumber>,
    /// The account's address; changed from the profile only.
    #[schema(value_type = String)]
    pub email: Email,
    /// Step 1.
    pub personal: PersonalStep,
    /// The préfecture in charge, from the address's postcode.
    #[schema(required = true)]
    pub prefecture: Option<PrefectureView>,
    /// Step 2.
    pub studies: StudiesInput,
    /// Step 3.
    pub resources: ResourcesView,
    /// Step 4.
    pub documents: DocumentsView,
    /// Step 5.
    pub review: ReviewView,
    /// What a submission still needs, section by section.
    pub missing: Vec<MissingField>,
    /// Not blocking, but to be told (F10).
    pub warnings: Vec<Warning>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[schema(required = true)]
    pub submitted_at: Option<DateTime<Utc>>,
    /// Once submitted: the receipt (F13).
    #[schema(required = true)]
    pub receipt: Option<ReceiptView>,
    /// The préfecture's requests for complements, oldest first (F18, F19).
    pub complements: Vec<ComplementView>,
    /// Where and from when to collect the card, with the tax stamp to bring (F22).
    #[schema(required = true)]
    pub card: Option<crate::domain::application::CardCollection>,
    /// The visa or permit held at submission, as the receipt states it.
    #[schema(required = true)]
    pub current_title: Option<CurrentTitle>,
    /// The latest certificate that the review goes on beyond the permit's end (B2).
    #[schema(required = true)]
    pub extension: Option<ReceiptView>,
    /// The conversation with the préfecture, oldest first (B4).
    pub messages: Vec<Message>,
    /// The files of the conversation and of the decision (`documents/{id}` to view them).
    pub attachments: Vec<DocumentView>,
    /// The préfecture's decision (F21), once made.
    #[schema(required = true)]
    pub decision: Option<DecisionView>,
}

/// The decision as the applicant reads it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DecisionView {
    #[serde(flatten)]
    pub decision: Decision,
    /// `GET` it for the PDF: the favourable-decision certificate, or the
    /// préfecture's signed refusal.
    #[schema(example = "/api/applications/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/decision")]
    pub download_url: String,
    /// The favourable-decision certificate's verification code and page.
    #[schema(required = true)]
    pub certificate: Option<ReceiptView>,
}

/// A request for complements as the applicant and the agent see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplementView {
    #[serde(flatten)]
    pub request: ComplementRequest,
    /// The day `deadline` falls on, in Paris time: what the pages show.
    pub deadline_date: chrono::NaiveDate,
    pub open: bool,
}

impl ComplementView {
    pub fn of(request: &ComplementRequest) -> Self {
        ComplementView {
            request: request.clone(),
            deadline_date: crate::pdf::to_paris(request.deadline).date_naive(),
            open: request.is_open(),
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PrefectureView {
    #[schema(value_type = String, example = "69")]
    pub code: PrefectureCode,
    #[schema(example = "Rhône")]
    pub departement: String,
    #[schema(example = "Lyon")]
    pub seat: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResourcesView {
    pub lines: Vec<ResourceLine>,
    #[schema(required = true)]
    pub explanation: Option<String>,
    #[schema(required = true)]
    pub housed_free_of_charge: Option<bool>,
    /// Sum of the lines, in euro cents per month.
    pub monthly_total: Cents,
    /// The configured minimum, in euro cents per month (615 € today).
    pub monthly_minimum: Cents,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentsView {
    /// The kinds this case needs (they depend on the procedure and the housing).
    pub required: Vec<DocumentKind>,
    /// The files, one per kind.
    pub files: Vec<DocumentView>,
    #[schema(required = true)]
    pub ephoto_code: Option<EphotoCode>,
}

/// Where an uploaded file stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentState {
    AwaitingUpload,
    Accepted,
    Rejected,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentView {
    #[schema(value_type = String, format = Uuid)]
    pub id: DocumentId,
    pub kind: DocumentKind,
    pub file_name: String,
    pub content_type: FileType,
    pub size: u64,
    pub status: DocumentState,
    /// Why it was rejected: `too_large`, `size_mismatch`, `unsupported_content`, `type_mismatch`.
    #[schema(required = true)]
    pub rejection_reason: Option<RejectionReason>,
    pub created_at: DateTime<Utc>,
}

impl DocumentView {
    pub fn of(d: &SupportingDocument) -> Self {
        let (status, rejection_reason) = match &d.status {
            DocumentStatus::AwaitingUpload => (DocumentState::AwaitingUpload, None),
            DocumentStatus::Accepted => (DocumentState::Accepted, None),
            DocumentStatus::Rejected { reason } => (DocumentState::Rejected, Some(*reason)),
        };
        DocumentView {
            id: d.id,
            kind: d.kind,
            file_name: d.file_name.clone(),
            content_type: d.file_type,
            size: d.size,
            status,
            rejection_reason,
            created_at: d.created_at,
        }
    }
}

/// The review (F12): "n/4 validated".
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewView {
    pub sections: Vec<SectionState>,
    /// The n of "n/4".
    pub validated: usize,
    /// 4.
    pub total: usize,
    /// The free text for the administration, given at submission.
    #[schema(required = true)]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SectionState {
    pub section: Section,
    /// Nothing missing.
    pub complete: bool,
    pub validated: bool,
}

/// Something a submission still needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MissingField {
    pub section: Section,
    /// The field inside its section, e.g. `address.postcode`, `passport`, `ephoto_code`.
    pub field: String,
    /// `required`, or the code of what is wrong.
    pub code: FieldCode,
}

/// A warning that does not block (F10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Warning {
    /// The monthly resources are below the minimum: the application may be
    /// refused for insufficient resources. Amounts in euro cents.
    BelowMinimumResources { total: Cents, minimum: Cents },
}

/// The receipt of a submitted application.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReceiptView {
    /// As printed: `XXXX-XXXX-XXXX`.
    #[schema(example = "7F3K-9Q2M-X4B8")]
    pub verification_code: String,
    pub kind: IssuedKind,
    pub issued_at: DateTime<Utc>,
    /// The end of an extension certificate; `null` for the others.
    #[schema(required = true)]
    pub valid_until: Option<DateTime<Utc>>,
    /// `GET` it for the PDF.
    #[schema(example = "/api/applications/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/receipt")]
    pub download_url: String,
    /// The public check of the code (B1).
    #[schema(example = "/api/verify/7F3K9Q2MX4B8")]
    pub verify_url: String,
}

impl ReceiptView {
    pub fn of(issued: &IssuedDocument) -> Self {
        ReceiptView {
            verification_code: issued.code.display(),
            kind: issued.kind,
            issued_at: issued.issued_at,
            valid_until: issued.valid_until,
            download_url: super::links::issued_pdf(issued.application, issued.kind),
            verify_url: super::links::verify(&issued.code),
        }
    }
}

/// One line of the applicant's list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApplicationSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: ApplicationId,
    pub reference: Reference,
    pub status: Status,
    pub version: u64,
    /// The n of "n/4 validated".
    pub validated: usize,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[schema(required = true)]
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApplicationList {
    /// Newest first.
    pub applications: Vec<ApplicationSummary>,
}

// ---------------------------------------------------------------------------
// Use cases
// ---------------------------------------------------------------------------

/// Create the draft (F7), prefilled from the state record the account was
/// activated with (civil status, foreigner number, procedure) and from the
/// profile (address, phone).
pub async fn create(app: &App, auth: &Authenticated) -> ServiceResult<ApplicationView> {
    applicant_only(auth)?;
    let account = &auth.account;
    let record_key = account
        .record
        .clone()
        .ok_or(ServiceError::Forbidden(ProblemCode::Forbidden))?;
    let record = app
        .ports
        .records
        .get(&record_key)
        .await?
        .ok_or(ServiceError::Rejected(ProblemCode::RecordNotFound))?;
    if let Some(open) = open_application(app, account.id).await? {
        return Err(open_exists(&open));
    }
    let now = app.ports.clock.now();
    let terms = eligibility::filing_terms(&record, now.date_naive()).map_err(ServiceError::NotEligible)?;
    let address = account.address.as_ref().map(|a| AddressDraft {
        line1: Some(a.line1.clone()),
        line2: a.line2.clone(),
        postcode: Some(a.postcode.as_str().to_string()),
        city: Some(a.city.clone()),
    });
    let application = Application {
        id: ApplicationId(app.ports.random.id()),
        reference: new_reference(app, now),
        applicant: account.id,
        status: Status::Draft,
        version: 1,
        reason: ReasonForStay::Studies,
        procedure: terms.procedure,
        late_fee_eur: terms.late_fee_eur,
        record: record_key,
        civil_status: record.civil_status.clone(),
        foreigner_number: record.foreigner_number.clone(),
        personal: PersonalStep {
            family: FamilyTiesInput::default(),
            address: address.unwrap_or_default(),
            phone: account.phone.as_ref().map(|p| p.as_str().to_string()),
        },
        studies: StudiesInput::default(),
        resources: Resources::default(),
        ephoto_code: None,
        validated: Vec::new(),
        comment: None,
        prefecture: account.address.as_ref().map(|a| a.prefecture()),
        assigned_agent: None,
        complements: Vec::new(),
        card: None,
        messages: Vec::new(),
        decision: None,
        current_title: None,
        extended_until: None,
        created_at: now,
        updated_at: now,
        submitted_at: None,
    };
    match app.ports.applications.create(&application).await {
        Ok(()) => {}
        Err(StoreError::OpenApplicationExists) => {
            // Created meanwhile (another device, a double click): say which.
            return Err(match open_application(app, account.id).await? {
                Some(open) => open_exists(&open),
                None => ServiceError::Conflict(ProblemCode::OpenApplicationExists),
            });
        }
        Err(e) => return Err(e.into()),
    }
    tracing::info!(account_id = %account.id, application_id = %application.id, "draft created");
    Ok(view(app, account, &Case::new(application)))
}

/// The applicant's applications, newest first.
pub async fn list(app: &App, auth: &Authenticated) -> ServiceResult<ApplicationList> {
    applicant_only(auth)?;
    let applications = app
        .ports
        .applications
        .list_for_applicant(auth.account.id)
        .await?
        .into_iter()
        .map(|a| ApplicationSummary {
            id: a.id,
            reference: a.reference,
            status: a.status,
            version: a.version,
            validated: a.validated.len(),
            created_at: a.created_at,
            updated_at: a.updated_at,
            submitted_at: a.submitted_at,
        })
        .collect();
    Ok(ApplicationList { applications })
}

/// One of the applicant's applications.
pub async fn get(app: &App, auth: &Authenticated, id: ApplicationId) -> ServiceResult<ApplicationView> {
    let case = load_own(app, auth, id).await?;
    Ok(view(app, &auth.account, &case))
}

/// Save one step (F8–F11) of a draft, if the stored version is still
/// `expected` (the version the client read). Invalid values refuse the
/// whole save; missing ones are kept missing. The section's review
/// validation is withdrawn.
pub async fn save_step(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    expected: u64,
    input: &StepInput,
) -> ServiceResult<ApplicationView> {
    // Whose it is and whether it can change, before looking at the input.
    let current = load_own(app, auth, id).await?;
    check_editable(&current.application, Changing::Content, Some(expected))?;
    let section = input.section();
    let step = parse_step(app, input).await?;
    let (case, ()) = edit(
        app,
        Some(auth.account.id),
        id,
        Some(expected),
        Changing::Content,
        Some(current),
        |application, _| {
            match &step {
                ParsedStep::Personal { step, prefecture } => {
                    application.personal = step.clone();
                    application.prefecture = prefecture.clone();
                }
                ParsedStep::Studies(studies) => application.studies = studies.clone(),
                ParsedStep::Resources(resources) => application.resources = resources.clone(),
                ParsedStep::Documents(code) => application.ephoto_code = code.clone(),
            }
            application.section_changed(section);
            Ok(Edit::Save {
                documents: Vec::new(),
                value: (),
            })
        },
    )
    .await?;
    tracing::info!(
        account_id = %auth.account.id,
        application_id = %id,
        section = section.code(),
        version = case.application.version,
        "step saved"
    );
    Ok(view(app, &auth.account, &case))
}

/// Validate one section of the review (F12), if nothing is missing in it.
/// `expected`: the version the client read, if it sent one.
pub async fn validate_section(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    section: Section,
    expected: Option<u64>,
) -> ServiceResult<ApplicationView> {
    applicant_only(auth)?;
    let (case, ()) = edit(
        app,
        Some(auth.account.id),
        id,
        expected,
        Changing::Content,
        None,
        |application, documents| {
            let missing: Vec<MissingField> = missing(application, documents)
                .into_iter()
                .filter(|m| m.section == section)
                .collect();
            if !missing.is_empty() {
                let mut errors = Invalid::default();
                for m in missing {
                    errors.0.push(crate::domain::FieldError::new(
                        format!("{}.{}", m.section.code(), m.field),
                        m.code,
                    ));
                }
                return Err(ServiceError::Unmet {
                    code: ProblemCode::SectionIncomplete,
                    errors,
                });
            }
            if application.validated.contains(&section) {
                return Ok(Edit::Unchanged(()));
            }
            application.validate(section);
            Ok(Edit::Save {
                documents: Vec::new(),
                value: (),
            })
        },
    )
    .await?;
    tracing::info!(
        account_id = %auth.account.id,
        application_id = %id,
        section = section.code(),
        validated = case.application.validated.len(),
        "section validated"
    );
    Ok(view(app, &auth.account, &case))
}

// ---------------------------------------------------------------------------
// Shared with the documents and submission use cases
// ---------------------------------------------------------------------------

/// Applicants only: agents have their own endpoints.
pub(crate) fn applicant_only(auth: &Authenticated) -> ServiceResult<()> {
    if auth.is_agent() {
        Err(ServiceError::Forbidden(ProblemCode::Forbidden))
    } else {
        Ok(())
    }
}

/// The caller's application `id`. Anyone else's is "not found", exactly
/// like one that does not exist.
pub(crate) async fn load_own(app: &App, auth: &Authenticated, id: ApplicationId) -> ServiceResult<Case> {
    applicant_only(auth)?;
    app.ports
        .applications
        .case(id)
        .await?
        .filter(|c| c.application.applicant == auth.account.id)
        .ok_or(ServiceError::NotFound("application"))
}

/// The change may be made now (see `Application::may_change`), at the
/// version the client read (if it sent one).
pub(crate) fn check_editable(application: &Application, what: Changing, expected: Option<u64>) -> ServiceResult<()> {
    if !application.may_change(what) {
        return Err(ServiceError::Conflict(match what {
            Changing::Complement => ProblemCode::NoComplementRequested,
            _ => ProblemCode::NotEditable,
        }));
    }
    if expected.is_some_and(|v| v != application.version) {
        return Err(ServiceError::Conflict(ProblemCode::VersionConflict));
    }
    Ok(())
}

/// What a change decided.
pub(crate) enum Edit<T> {
    Unchanged(T),
    /// Save the application, with these document changes in the same write.
    Save {
        documents: Vec<DocumentChange>,
        value: T,
    },
}

/// How often a change without the client's version is tried again after
/// another change won the race (e.g. several files uploaded at once).
const ATTEMPTS: usize = 5;

/// Read the draft (the `owner`'s, if given; `preloaded` if the caller just
/// read it), apply `change` to it and its documents, and save it
/// conditionally on the version read. With the client's version
/// (`expected`), a stale read is a conflict; without, the change is applied
/// again to a fresh read a few times. Returns the case as saved (its
/// documents after the change) and `change`'s value.
pub(crate) async fn edit<T>(
    app: &App,
    owner: Option<AccountId>,
    id: ApplicationId,
    expected: Option<u64>,
    what: Changing,
    mut preloaded: Option<Case>,
    mut change: impl FnMut(&mut Application, &[SupportingDocument]) -> ServiceResult<Edit<T>>,
) -> ServiceResult<(Case, T)> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let read = match preloaded.take() {
            Some(case) => case,
            None => app
                .ports
                .applications
                .case(id)
                .await?
                .ok_or(ServiceError::NotFound("application"))?,
        };
        if owner.is_some_and(|o| read.application.applicant != o) {
            return Err(ServiceError::NotFound("application"));
        }
        check_editable(&read.application, what, expected)?;
        let mut application = read.application.clone();
        let (changes, value) = match change(&mut application, &read.documents)? {
            Edit::Unchanged(value) => return Ok((read, value)),
            Edit::Save { documents, value } => (documents, value),
        };
        application.version = read.application.version + 1;
        application.updated_at = app.ports.clock.now();
        let writes = Writes {
            documents: &changes,
            ..Default::default()
        };
        match app
            .ports
            .applications
            .save(&application, &read.application, writes)
            .await
        {
            Ok(()) => {
                let mut saved = read;
                saved.application = application;
                apply_changes(&mut saved.documents, &changes);
                return Ok((saved, value));
            }
            Err(StoreError::VersionConflict) if expected.is_none() && attempt < ATTEMPTS => {
                tracing::info!(application_id = %id, attempt, "version conflict, trying again");
            }
            Err(e) => return Err(e.into()),
        }
    }
}

pub(crate) fn apply_changes(documents: &mut Vec<SupportingDocument>, changes: &[DocumentChange]) {
    for change in changes {
        match change {
            DocumentChange::Put(d) => {
                documents.retain(|x| x.id != d.id);
                documents.push(d.clone());
            }
            DocumentChange::Delete(id) => documents.retain(|x| x.id != *id),
        }
    }
    documents.sort_by_key(|d| (d.created_at, d.id));
}

/// The documents this application needs (they follow the procedure and the housing).
pub(crate) fn required_documents(application: &Application) -> Vec<DocumentKind> {
    match application.reason {
        ReasonForStay::Studies => {
            studies::required_documents(application.procedure, application.housed_free_of_charge())
        }
    }
}

/// The stable code of a document kind, e.g. `host_certificate`.
pub(crate) fn kind_code(kind: DocumentKind) -> String {
    match serde_json::to_value(kind) {
        Ok(Value::String(code)) => code,
        _ => format!("{kind:?}"),
    }
}

/// What a submission still needs, section by section.
pub(crate) fn missing(application: &Application, documents: &[SupportingDocument]) -> Vec<MissingField> {
    let mut out = Vec::new();
    let mut push = |section: Section, invalid: Invalid| {
        out.extend(invalid.0.into_iter().map(|e| MissingField {
            section,
            field: e.field,
            code: e.code,
        }))
    };

    let personal = &application.personal;
    let mut e = personal.family.check(true);
    let address = &personal.address;
    for (field, value) in [
        ("address.line1", &address.line1),
        ("address.postcode", &address.postcode),
        ("address.city", &address.city),
    ] {
        if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
            e.push(field, FieldCode::Required);
        }
    }
    if personal.phone.as_deref().is_none_or(|v| v.trim().is_empty()) {
        e.push("phone", FieldCode::Required);
    }
    push(Section::Personal, e);

    if let Err(e) = application.studies.parse() {
        push(Section::Studies, e);
    }
    push(Section::Resources, application.resources.check(true));

    let mut e = Invalid::default();
    for kind in required_documents(application) {
        let accepted = documents
            .iter()
            .any(|d| d.kind == kind && d.status == DocumentStatus::Accepted);
        if !accepted {
            e.push(kind_code(kind), FieldCode::Required);
        }
    }
    if application.ephoto_code.is_none() {
        e.push("ephoto_code", FieldCode::Required);
    }
    push(Section::Documents, e);
    out
}

/// The view of a case for its applicant `account`, from what was read.
pub(crate) fn view(app: &App, account: &Account, case: &Case) -> ApplicationView {
    build_view(
        account,
        &case.application,
        &case.documents,
        Cents(app.config.min_monthly_resources_cents),
        &case.issued,
    )
}

/// The view, from what was read.
pub(crate) fn build_view(
    account: &Account,
    application: &Application,
    documents: &[SupportingDocument],
    minimum: Cents,
    issued: &[IssuedDocument],
) -> ApplicationView {
    let latest = |kind: IssuedKind| issued.iter().rfind(|i| i.kind == kind);
    let receipt = latest(IssuedKind::SubmissionReceipt)
        .filter(|i| i.withdrawn_at.is_none() && application.status != Status::Draft)
        .map(ReceiptView::of);
    let extension = latest(IssuedKind::ExtensionCertificate).map(ReceiptView::of);
    let decision = application.decision.clone().map(|decision| DecisionView {
        decision,
        download_url: super::links::decision_pdf(application.id),
        certificate: latest(IssuedKind::FavourableDecision).map(ReceiptView::of),
    });
    let missing = missing(application, documents);
    let resources = &application.resources;
    let mut warnings = Vec::new();
    if !resources.lines.is_empty() && !resources.meets(minimum) {
        warnings.push(Warning::BelowMinimumResources {
            total: resources.total(),
            minimum,
        });
    }
    let sections = Section::ALL
        .into_iter()
        .map(|section| SectionState {
            section,
            complete: !missing.iter().any(|m| m.section == section),
            validated: application.validated.contains(&section),
        })
        .collect();
    let (mut files, attachments): (Vec<DocumentView>, Vec<DocumentView>) = documents
        .iter()
        .filter(|d| d.application == application.id)
        .map(DocumentView::of)
        .partition(|d| d.kind.is_supporting());
    files.sort_by_key(|d| (d.kind, d.created_at));
    ApplicationView {
        id: application.id,
        reference: application.reference.clone(),
        status: application.status,
        version: application.version,
        reason: application.reason,
        procedure: application.procedure,
        late_fee_eur: application.late_fee_eur,
        civil_status: application.civil_status.clone(),
        foreigner_number: application.foreigner_number.clone(),
        email: account.email.clone(),
        personal: application.personal.clone(),
        prefecture: application.prefecture.as_ref().map(|p| PrefectureView {
            code: p.clone(),
            departement: p.departement_name().to_string(),
            seat: p.seat().to_string(),
        }),
        studies: application.studies.clone(),
        resources: ResourcesView {
            lines: resources.lines.clone(),
            explanation: resources.explanation.clone(),
            housed_free_of_charge: resources.housed_free_of_charge,
            monthly_total: resources.total(),
            monthly_minimum: minimum,
        },
        documents: DocumentsView {
            required: required_documents(application),
            files,
            ephoto_code: application.ephoto_code.clone(),
        },
        review: ReviewView {
            sections,
            validated: application.validated_count(),
            total: Section::ALL.len(),
            comment: application.comment.clone(),
        },
        missing,
        warnings,
        created_at: application.created_at,
        updated_at: application.updated_at,
        submitted_at: application.submitted_at,
        receipt,
        complements: application.complements.iter().map(ComplementView::of).collect(),
        card: application.card.clone(),
        current_title: application.current_title.clone(),
        extension,
        messages: application.messages.clone(),
        attachments,
        decision,
    }
}

/// 32 bytes from the secure random source.
pub(crate) fn random_bytes(app: &App) -> [u8; 32] {
    let secret = app.ports.random.secret();
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(secret.trim_end_matches('='))
        .unwrap_or_default();
    let mut bytes = [0u8; 32];
    if decoded.len() >= 32 {
        bytes.copy_from_slice(&decoded[..32]);
    } else {
        // Not base64 (another Random): hash it, the entropy is the same.
        use sha2::Digest;
        bytes.copy_from_slice(&sha2::Sha256::digest(secret.as_bytes()));
    }
    bytes
}

/// `SEJ-<year>-<8 Crockford base-32 characters>` (40 random bits).
fn new_reference(app: &App, now: DateTime<Utc>) -> Reference {
    let bytes = random_bytes(app);
    let bits = bytes[..5].iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let chars: String = (0..8)
        .map(|i| ALPHABET[((bits >> (5 * (7 - i))) & 31) as usize] as char)
        .collect();
    Reference(format!("SEJ-{}-{chars}", now.year()))
}

async fn open_application(app: &App, applicant: AccountId) -> ServiceResult<Option<Application>> {
    Ok(app
        .ports
        .applications
        .list_for_applicant(applicant)
        .await?
        .into_iter()
        .find(|a| !a.status.is_final()))
}

fn open_exists(open: &Application) -> ServiceError {
    ServiceError::OpenApplicationExists {
        application: open.id,
        reference: open.reference.clone(),
    }
}

// ---------------------------------------------------------------------------
// Parsing the steps
// ---------------------------------------------------------------------------

/// A step's values, checked.
enum ParsedStep {
    Personal {
        step: PersonalStep,
        prefecture: Option<PrefectureCode>,
    },
    Studies(StudiesInput),
    Resources(Resources),
    Documents(Option<EphotoCode>),
}

async fn parse_step(app: &App, input: &StepInput) -> ServiceResult<ParsedStep> {
    Ok(match input {
        StepInput::Personal(i) => {
            let (step, prefecture) = parse_personal(i)?;
            ParsedStep::Personal { step, prefecture }
        }
        StepInput::Studies(i) => ParsedStep::Studies(parse_studies(i)?),
        StepInput::Resources(i) => ParsedStep::Resources(parse_resources(i)?),
        StepInput::Documents(i) => ParsedStep::Documents(parse_ephoto(app, i).await?),
    })
}

/// Unknown fields are refused, and read-only ones said so.
fn refuse_other_fields(e: &mut Invalid, other: &BTreeMap<String, Value>, read_only: &[&str]) {
    for field in other.keys() {
        let code = if read_only.contains(&field.as_str()) {
            FieldCode::ReadOnly
        } else {
            FieldCode::UnknownField
        };
        e.push(field.clone(), code);
    }
}

/// `None` for an absent or blank value, else the trimmed text.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn parse_personal(input: &PersonalInput) -> Result<(PersonalStep, Option<PrefectureCode>), Invalid> {
    let mut e = Invalid::default();
    refuse_other_fields(&mut e, &input.other, &READ_ONLY_FIELDS);
    let usage_name = present(&input.usage_name).and_then(|v| e.check("usage_name", name(v)));
    let children_in_france = match input.children_in_france {
        None => None,
        Some(n) => match u8::try_from(n) {
            Ok(n) if n <= 20 => Some(n),
            _ => {
                e.push("children_in_france", FieldCode::OutOfRange);
                None
            }
        },
    };
    let spouse_nationality = match present(&input.spouse_nationality) {
        Some(n) if input.spouse_in_france == Some(true) => e
            .check("spouse_nationality", CountryCode::parse(n))
            .map(|c| c.as_str().to_string()),
        other => other.map(str::to_string),
    };
    let family = FamilyTiesInput {
        usage_name,
        family_situation: present(&input.family_situation).map(str::to_string),
        spouse_in_france: input.spouse_in_france,
        spouse_nationality,
        children_in_france,
    };
    // Present values only: missing ones wait in the draft.
    for error in family.check(false).0 {
        if !e.0.iter().any(|x| x.field == error.field) {
            e.0.push(error);
        }
    }

    let typed = input.address.clone().unwrap_or_default();
    let mut address = AddressDraft::default();
    let mut prefecture = None;
    if let Some(line1) = present(&typed.line1) {
        address.line1 = e.check("address.line1", text(line1, 200));
    }
    if let Some(line2) = present(&typed.line2) {
        address.line2 = e.check("address.line2", text(line2, 200));
    }
    if let Some(postcode) = present(&typed.postcode)
        && let Some(postcode) = e.check("address.postcode", Postcode::parse(postcode))
    {
        prefecture = postcode.prefecture();
        address.postcode = Some(postcode.as_str().to_string());
    }
    if let Some(city) = present(&typed.city) {
        address.city = e.check("address.city", text(city, 100));
    }
    let phone = present(&input.phone)
        .and_then(|p| e.check("phone", PhoneNumber::parse(p)))
        .map(|p| p.as_str().to_string());
    e.into_result()?;
    Ok((PersonalStep { family, address, phone }, prefecture))
}

fn parse_studies(input: &StudiesStepInput) -> Result<StudiesInput, Invalid> {
    let mut e = Invalid::default();
    refuse_other_fields(&mut e, &input.other, &[]);
    let keep = |v: &Option<String>| present(v).map(str::to_string);
    let studies = StudiesInput {
        institution_type: keep(&input.institution_type),
        cycle: keep(&input.cycle),
        level: keep(&input.level),
        discipline: keep(&input.discipline),
        institution_name: keep(&input.institution_name),
        academic_year: keep(&input.academic_year)
            .map(|y| studies::AcademicYear::parse(&y).map(String::from).unwrap_or(y)),
    };
    e.0.extend(studies.invalid().0);
    e.into_result()?;
    Ok(studies)
}

fn parse_resource_kind(value: &str) -> Result<ResourceKind, FieldCode> {
    match serde_json::from_value(Value::String(value.to_string())) {
        Ok(kind) => Ok(kind),
        Err(_) => Err(FieldCode::NotInList),
    }
}

fn parse_resources(input: &ResourcesInput) -> Result<Resources, Invalid> {
    let mut e = Invalid::default();
    refuse_other_fields(&mut e, &input.other, &[]);
    let mut lines = Vec::new();
    for (i, line) in input.lines.iter().enumerate() {
        let kind = match present(&line.kind) {
            None => {
                e.push(format!("lines[{i}].kind"), FieldCode::Required);
                None
            }
            Some(k) => e.check(&format!("lines[{i}].kind"), parse_resource_kind(k)),
        };
        let amount = match line.monthly_amount {
            None => {
                e.push(format!("lines[{i}].monthly_amount"), FieldCode::Required);
                None
            }
            Some(a) if a <= 0 => {
                e.push(format!("lines[{i}].monthly_amount"), FieldCode::MustBePositive);
                None
            }
            Some(a) => Some(Cents(a as u64)),
        };
        if let (Some(kind), Some(monthly_amount)) = (kind, amount) {
            lines.push(ResourceLine { kind, monthly_amount });
        }
    }
    let resources = Resources {
        lines,
        explanation: present(&input.explanation).map(str::to_string),
        housed_free_of_charge: input.housed_free_of_charge,
    };
    for error in resources.check(false).0 {
        if !e.0.iter().any(|x| x.field == error.field) {
            e.0.push(error);
        }
    }
    e.into_result()?;
    Ok(resources)
}

/// The e-photo code, checked with the e-photo service: it must be known and recent.
async fn parse_ephoto(app: &App, input: &DocumentsStepInput) -> ServiceResult<Option<EphotoCode>> {
    let mut e = Invalid::default();
    refuse_other_fields(&mut e, &input.other, &[]);
    let code = present(&input.ephoto_code).and_then(|c| e.check("ephoto_code", EphotoCode::parse(c)));
    e.into_result()?;
    if let Some(code) = &code {
        check_ephoto(app, code, "ephoto_code").await?;
    }
    Ok(code)
}

/// Ask the e-photo service: `ephoto_unknown` or `ephoto_expired` under `field`.
pub(crate) async fn check_ephoto(app: &App, code: &EphotoCode, field: &str) -> ServiceResult<()> {
    match app.ports.ephoto.check(code).await? {
        EphotoCheck::Valid => Ok(()),
        EphotoCheck::Unknown => {
            Err(Invalid::from(crate::domain::FieldError::new(field, FieldCode::EphotoUnknown)).into())
        }
        EphotoCheck::Expired => {
            Err(Invalid::from(crate::domain::FieldError::new(field, FieldCode::EphotoExpired)).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_values_are_checked_and_kept() {
        let input = PersonalInput {
            family_situation: Some("married".into()),
            spouse_in_france: Some(true),
            spouse_nationality: Some(" ita ".into()),
            address: Some(AddressDraft {
                postcode: Some("69 003".into()),
                ..Default::default()
            }),
            phone: Some("06 12 34 56 78".into()),
            ..Default::default()
        };
        let (step, prefecture) = parse_personal(&input).unwrap();
        assert_eq!(step.family.spouse_nationality.as_deref(), Some("ITA"));
        assert_eq!(step.address.postcode.as_deref(), Some("69003"));
        assert_eq!(prefecture.unwrap().as_str(), "69");
        assert_eq!(step.phone.as_deref(), Some("+33612345678"));

        let mut other = BTreeMap::new();
        other.insert("surname".to_string(), Value::from("X"));
        other.insert("shoe_size".to_string(), Value::from(42));
        let bad = PersonalInput {
            family_situation: Some("complicated".into()),
            children_in_france: Some(-1),
            address: Some(AddressDraft {
                postcode: Some("7501".into()),
                ..Default::default()
            }),
            phone: Some("01 23 45 67 89".into()),
            other,
            ..Default::default()
        };
        let codes: Vec<(String, FieldCode)> = parse_personal(&bad)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        for expected in [
            ("surname", FieldCode::ReadOnly),
            ("shoe_size", FieldCode::UnknownField),
            ("family_situation", FieldCode::NotInList),
            ("children_in_france", FieldCode::OutOfRange),
            ("address.postcode", FieldCode::InvalidPostcode),
            ("phone", FieldCode::NotMobile),
        ] {
            assert!(
                codes.contains(&(expected.0.to_string(), expected.1)),
                "{expected:?} in {codes:?}"
            );
        }
    }

    #[test]
    fn resource_lines_are_checked() {
        let input = ResourcesInput {
            lines: vec![
                ResourceLineInput {
                    kind: Some("lottery".into()),
                    monthly_amount: Some(100),
                },
                ResourceLineInput {
                    kind: Some("salary".into()),
                    monthly_amount: Some(-5),
                },
            ],
            ..Default::default()
        };
        let codes: Vec<(String, FieldCode)> = parse_resources(&input)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("lines[0].kind".to_string(), FieldCode::NotInList),
                ("lines[1].monthly_amount".to_string(), FieldCode::MustBePositive),
            ]
        );
    }
}
