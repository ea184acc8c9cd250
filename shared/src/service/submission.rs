//! Submission (F13) and its withdrawal (B3); idempotent answers.
//!
//! A submission is idempotent and conditional: the first answer is kept
//! under the caller's `Idempotency-Key` (scoped `<account>:<key>`) and
//! written in the SAME atomic write as the new status, the audit event, the
//! notification and the issued receipt, conditional on the version read.
//! So of two devices, or twenty retries, exactly one wins; a retry with the
//! same key gets the winner's answer, any other gets `already_submitted`.
//! Only the winner emails the confirmation.

use serde::{Deserialize, Serialize};

use crate::domain::Invalid;
use crate::domain::application::extension::CurrentTitle;
use crate::domain::application::lifecycle::{Action, Status};
use crate::domain::application::{Application, ApplicationId, DocumentStatus, Section, SupportingDocument};
use crate::domain::eligibility;
use crate::domain::issued_document::{IssuedDocument, IssuedKind};
use crate::domain::notification::NotificationKind;
use crate::domain::validation::text;
use crate::ports::StoredResponse;

use super::accounts::Authenticated;
use super::applications::{
    ApplicationView, ReceiptView, applicant_only, build_view, check_ephoto, load_own, missing, required_documents, view,
};
use super::issued::issue;
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
            submitted.current_title = Some(CurrentTitle {
                kind: record.kind,
                document_type: record.document_type,
                valid_until: record.valid_until,
            });

            // The receipt, and the answer kept for the idempotency key.
            let required = required_documents(submitted);
            let submitted_documents: Vec<_> = documents
                .iter()
                .filter(|d| required.contains(&d.kind) && d.status == DocumentStatus::Accepted)
                .cloned()
                .collect();
            let (issued, files) = issue(
                app,
                IssuedKind::SubmissionReceipt,
                submitted,
                &submitted_documents,
                account.language,
                now,
                None,
            )?;
            let answer = Submitted {
                application: build_view(account, submitted, documents, minimum, std::slice::from_ref(&issued)),
                receipt: ReceiptView::of(&issued),
            };
            let stored = StoredResponse::ok(&scoped, id, &answer, now)?;
            let change = Change {
                notify: Some(NotificationKind::ApplicationSubmitted),
                issued: Some(issued),
                idempotency: Some(stored.clone()),
                files,
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
    if stored.application != id {
        return Err(ServiceError::Rejected(ProblemCode::IdempotencyKeyReused));
    }
    tracing::info!(application_id = %id, "submission answered again from its idempotency key");
    Ok(Some(IdempotentAnswer {
        status: stored.status,
        body: stored.body,
        replayed: true,
    }))
}
