//! Submission (F13), the receipt, and the public check of issued documents (B1).
//!
//! A submission is idempotent and conditional: the first answer is kept
//! under the caller's `Idempotency-Key` (scoped `<account>:<key>`) and
//! written in the SAME atomic write as the new status, the audit event, the
//! notification and the issued receipt, conditional on the version read.
//! So of two devices, or twenty retries, exactly one wins; a retry with the
//! same key gets the winner's answer, any other gets `already_submitted`.
//! Only the winner emails the confirmation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::Invalid;
use crate::domain::account::Language;
use crate::domain::application::lifecycle::{Action, Status};
use crate::domain::application::{Application, ApplicationId, DocumentStatus, Reference, Section, SupportingDocument};
use crate::domain::eligibility;
use crate::domain::issued_document::{IssuedDocument, IssuedKind, VerificationCode};
use crate::domain::notification::NotificationKind;
use crate::domain::validation::text;
use crate::pdf::{self, ReceiptData};
use crate::ports::StoredResponse;

use super::accounts::Authenticated;
use super::applications::{
    ApplicationView, ReceiptView, applicant_only, build_view, check_ephoto, load_own, missing, random_bytes,
    required_documents, view,
};
use super::transitions::{Acting, Change, transition};
use super::{App, ServiceError, ServiceResult};
use crate::domain::FieldCode;
use crate::service::ProblemCode;

/// The longest `Idempotency-Key` accepted.
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 200;

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SubmitRequest {
    /// A free text for the administration (F12), at most 2000 characters.
    pub comment: Option<String>,
}

/// The answer to a submission, kept for its `Idempotency-Key`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Submitted {
    pub application: ApplicationView,
    pub receipt: ReceiptView,
}

/// An idempotent answer (submission, decision) as first given: status and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentAnswer {
    pub status: u16,
    pub body: String,
    /// The answer of an earlier request with the same key.
    pub replayed: bool,
}

/// The public check of a verification code (B1).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// Always `true`: unknown codes are `404 unknown_code`.
    pub authentic: bool,
    pub kind: IssuedKind,
    pub reference: Reference,
    /// As printed on the document.
    #[schema(example = "Awa DIALLO")]
    pub holder_name: String,
    pub issued_at: DateTime<Utc>,
    /// `null`: no end of validity (a receipt gives no rights).
    #[schema(required = true)]
    pub valid_until: Option<DateTime<Utc>>,
    /// When the submission it attests was withdrawn (B3); `null` if it was not.
    #[schema(required = true)]
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Still valid now: not withdrawn, not past its end of validity. Valid
    /// means the document says what it says, not that it gives rights.
    pub valid: bool,
    /// Whether the document gives a right of stay: `false` for a receipt
    /// (it proves the filing) and for a decision certificate (the card does).
    pub confers_right_of_stay: bool,
    /// The code as printed.
    #[schema(example = "7F3K-9Q2M-X4B8")]
    pub code: String,
}

/// The idempotency key's scope in storage: keys belong to their caller.
pub(crate) fn scoped_key(auth: &Authenticated, key: &str) -> String {
    format!("{}:{key}", auth.account.id)
}

/// Submit the application (F13). `key` is the request's `Idempotency-Key`;
/// `expected` the version the client read, if it sent one.
pub async fn submit(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    key: &str,
    expected: Option<u64>,
    input: &SubmitRequest,
) -> ServiceResult<IdempotentAnswer> {
    applicant_only(auth)?;
    let scoped = scoped_key(auth, key);
    if let Some(answer) = replay(app, &scoped, id).await? {
        return Ok(answer);
    }
    let case = load_own(app, auth, id).await?;
    let application = &case.application;
    if application.status != Status::Draft {
        // Submitted meanwhile, maybe by a request with this key.
        if let Some(answer) = replay(app, &scoped, id).await? {
            return Ok(answer);
        }
        return Err(ServiceError::Conflict(ProblemCode::AlreadySubmitted));
    }
    if expected.is_some_and(|v| v != application.version) {
        return Err(ServiceError::Conflict(ProblemCode::VersionConflict));
    }
    let comment = match input.comment.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => Some(text(c, 2000).map_err(|code| Invalid::from(crate::domain::FieldError::new("comment", code)))?),
    };

    // The eligibility rules decide again on the day of submission: a draft
    // may have been left until too late, or have become late.
    let now = app.ports.clock.now();
    let record = app
        .ports
        .records
        .get(&application.record)
        .await?
        .ok_or(ServiceError::Rejected(ProblemCode::RecordNotFound))?;
    let terms = eligibility::filing_terms(&record, now.date_naive()).map_err(ServiceError::NotEligible)?;
    // The e-photo code must still be valid.
    if let Some(code) = &application.ephoto_code {
        check_ephoto(app, code, "documents.ephoto_code")
            .await
            .map_err(|e| match e {
                ServiceError::Invalid(errors) => ServiceError::Unmet {
                    code: ProblemCode::NotReady,
                    errors,
                },
                e => e,
            })?;
    }

    let account = &auth.account;
    let minimum = crate::domain::application::resources::Cents(app.config.min_monthly_resources_cents);
    let result = transition(
        app,
        &Acting::Applicant(account),
        Some(case),
        id,
        Action::Submit,
        expected,
        |submitted, case, now| {
            let documents = &case.documents;
            ready(submitted, documents)?;
            submitted.submitted_at = Some(now);
            submitted.comment = comment.clone();
            submitted.late_fee_eur = terms.late_fee_eur;

            // The receipt, and the answer kept for the idempotency key.
            let required = required_documents(submitted);
            let submitted_documents: Vec<_> = documents
                .iter()
                .filter(|d| required.contains(&d.kind) && d.status == DocumentStatus::Accepted)
                .cloned()
                .collect();
            let (issued, file) = issue(
                app,
                IssuedKind::SubmissionReceipt,
                submitted,
                &submitted_documents,
                account.language,
                now,
            )?;
            let answer = Submitted {
                application: build_view(account, submitted, documents, minimum, Some(ReceiptView::of(&issued))),
                receipt: ReceiptView::of(&issued),
            };
            let stored = StoredResponse::ok(&scoped, &answer, now)?;
            let change = Change {
                notify: Some(NotificationKind::ApplicationSubmitted),
                issued: Some(issued),
                idempotency: Some(stored.clone()),
                files: vec![file],
                ..Change::default()
            };
            Ok((change, stored))
        },
    )
    .await;
    match result {
        Ok(done) => {
            tracing::info!(
                account_id = %account.id,
                application_id = %id,
                prefecture = done.case.application.prefecture.as_ref().map(|p| p.as_str()),
                "application submitted"
            );
            Ok(IdempotentAnswer {
                status: done.value.status,
                body: done.value.body,
                replayed: false,
            })
        }
        Err(e) => lost(app, &scoped, id, e).await,
    }
}

/// An idempotent action refused `e`: if another request won the race, it
/// may have been one with this key, whose answer is then due.
pub(crate) async fn lost(
    app: &App,
    scoped: &str,
    id: ApplicationId,
    e: ServiceError,
) -> ServiceResult<IdempotentAnswer> {
    match e {
        ServiceError::Conflict(_) | ServiceError::NotAllowed(_) => match replay(app, scoped, id).await? {
            Some(answer) => Ok(answer),
            None => Err(e),
        },
        e => Err(e),
    }
}

/// Ready to submit: 4/4 validated, nothing missing, the required documents accepted.
fn ready(application: &Application, documents: &[SupportingDocument]) -> ServiceResult<()> {
    let mut unmet = Invalid::default();
    for section in Section::ALL {
        if !application.validated.contains(&section) {
            unmet.push(format!("review.{}", section.code()), FieldCode::NotValidated);
        }
    }
    for m in missing(application, documents) {
        unmet.push(format!("{}.{}", m.section.code(), m.field), m.code);
    }
    if unmet.is_empty() {
        Ok(())
    } else {
        Err(ServiceError::Unmet {
            code: ProblemCode::NotReady,
            errors: unmet,
        })
    }
}

/// Withdraw the submission to correct it, until the review starts (B3):
/// the application is a draft again, and its receipt attests nothing since.
pub async fn withdraw(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    expected: Option<u64>,
) -> ServiceResult<ApplicationView> {
    applicant_only(auth)?;
    let done = transition(
        app,
        &Acting::Applicant(&auth.account),
        None,
        id,
        Action::Withdraw,
        expected,
        |application, case, now| {
            application.submitted_at = None;
            let receipt = case
                .issued
                .iter()
                .rfind(|i| i.kind == IssuedKind::SubmissionReceipt && i.withdrawn_at.is_none())
                .map(|i| IssuedDocument {
                    withdrawn_at: Some(now),
                    ..i.clone()
                });
            let change = Change {
                notify: Some(NotificationKind::ApplicationWithdrawn),
                reissued: receipt,
                ..Change::default()
            };
            Ok((change, ()))
        },
    )
    .await?;
    tracing::info!(account_id = %auth.account.id, application_id = %id, "submission withdrawn");
    Ok(view(app, &auth.account, &done.case))
}

/// The answer kept under `scoped`, if it is still kept and was for `id`.
/// The same key for another application is `idempotency_key_reused`.
pub(crate) async fn replay(app: &App, scoped: &str, id: ApplicationId) -> ServiceResult<Option<IdempotentAnswer>> {
    let Some(stored) = app.ports.applications.stored_response(scoped).await? else {
        return Ok(None);
    };
    if stored.keep_until() <= app.ports.clock.now() {
        return Ok(None);
    }
    let same_application = serde_json::from_str::<serde_json::Value>(&stored.body)
        .ok()
        .and_then(|body| body["application"]["id"].as_str().map(|s| s == id.to_string()))
        .unwrap_or(false);
    if !same_application {
        return Err(ServiceError::Rejected(ProblemCode::IdempotencyKeyReused));
    }
    tracing::info!(application_id = %id, "submission answered again from its idempotency key");
    Ok(Some(IdempotentAnswer {
        status: stored.status,
        body: stored.body,
        replayed: true,
    }))
}

/// Issue a document of `kind` for `application` (as it will be saved) at
/// `now`, in `language`: a new verification code, the PDF, and the key the
/// transition stores it under before its write.
pub(crate) fn issue(
    app: &App,
    kind: IssuedKind,
    application: &Application,
    documents: &[SupportingDocument],
    language: Language,
    now: DateTime<Utc>,
) -> ServiceResult<(IssuedDocument, (String, Vec<u8>))> {
    let code = new_code(app);
    let verify_url = app.config.site_page(&format!("/verify/{}", code.as_str()));
    let filed_at = application.submitted_at.unwrap_or(now);
    let mut data = ReceiptData::for_application(application, documents, filed_at, code.clone(), verify_url);
    let folder = match kind {
        IssuedKind::SubmissionReceipt => "receipts",
        IssuedKind::FavourableDecision => {
            data.decided_at = Some(now);
            "decisions"
        }
    };
    let bytes = pdf::receipt(&data, language)?;
    let storage_key = format!("{folder}/{}/{}", application.id, code.as_str());
    let issued = IssuedDocument {
        code,
        kind,
        application: application.id,
        reference: application.reference.clone(),
        holder_name: data.holder_name(),
        issued_at: now,
        valid_until: None,
        language,
        storage_key: storage_key.clone(),
        withdrawn_at: None,
    };
    Ok((issued, (storage_key, bytes)))
}

/// A verification code from 60 random bits.
fn new_code(app: &App) -> VerificationCode {
    let bytes = random_bytes(app);
    let bits = bytes[..8].iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    VerificationCode::from_random(bits)
}

/// The receipt PDF of a submitted application: bytes and a file name.
pub async fn receipt(app: &App, auth: &Authenticated, id: ApplicationId) -> ServiceResult<(Vec<u8>, String)> {
    issued_pdf(app, auth, id, IssuedKind::SubmissionReceipt).await
}

/// The latest document of `kind` issued for the applicant's application
/// (receipt, decision certificate): its PDF and a file name in its language.
pub async fn issued_pdf(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    kind: IssuedKind,
) -> ServiceResult<(Vec<u8>, String)> {
    let case = load_own(app, auth, id).await?;
    let application = &case.application;
    let issued = case
        .issued
        .iter()
        .rfind(|i| i.kind == kind)
        .ok_or(ServiceError::NotFound("issued document"))?;
    let bytes = app
        .ports
        .storage
        .get(&issued.storage_key)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a document issued for application {id} is missing from storage"))?;
    let stem = match (kind, issued.language) {
        (IssuedKind::SubmissionReceipt, Language::Fr) => "attestation-de-depot",
        (IssuedKind::SubmissionReceipt, Language::En) => "submission-receipt",
        (IssuedKind::FavourableDecision, Language::Fr) => "decision-favorable",
        (IssuedKind::FavourableDecision, Language::En) => "favourable-decision",
    };
    let name = format!("{stem}-{}.pdf", application.reference.0);
    tracing::info!(account_id = %auth.account.id, application_id = %id, kind = ?kind, "issued document downloaded");
    Ok((bytes, name))
}

/// What the public may know of an issued document: `None` if no document
/// has this code.
pub async fn verify(app: &App, code: &VerificationCode) -> ServiceResult<Option<Verification>> {
    let Some(issued) = app.ports.applications.issued(code).await? else {
        tracing::info!("verification of an unknown code");
        return Ok(None);
    };
    let now = app.ports.clock.now();
    tracing::info!(application_id = %issued.application, "verification of an issued document");
    Ok(Some(Verification {
        authentic: true,
        kind: issued.kind,
        reference: issued.reference,
        holder_name: issued.holder_name,
        issued_at: issued.issued_at,
        valid_until: issued.valid_until,
        valid: issued.withdrawn_at.is_none() && issued.valid_until.is_none_or(|until| now < until),
        withdrawn_at: issued.withdrawn_at,
        confers_right_of_stay: issued.kind.confers_right_of_stay(),
        code: issued.code.display(),
    }))
}
