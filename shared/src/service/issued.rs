//! The documents the service issues (receipt, decision certificate,
//! extension certificate): issued in both languages at once, so that the
//! holder can download either at any time, with one verification code; and
//! the public check of that code (B1).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::account::Language;
use crate::domain::application::extension::ExtensionPeriod;
use crate::domain::application::{Application, ApplicationId, Reference, SupportingDocument};
use crate::domain::issued_document::{IssuedDocument, IssuedKind, VerificationCode};
use crate::pdf::{self, ReceiptData};

use super::accounts::Authenticated;
use super::applications::{load_own, random_bytes};
use super::links::SitePage;
use super::transitions::GeneratedFile;
use super::{App, ServiceError, ServiceResult};

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
    /// When a newer certificate replaced it (B2); `null` if none did.
    #[schema(required = true)]
    pub superseded_at: Option<DateTime<Utc>>,
    /// Still valid now: not withdrawn, not superseded, not past its end of
    /// validity. Valid means the document says what it says, not that it
    /// gives rights.
    pub valid: bool,
    /// Whether the document gives a right of stay: `false` for a receipt
    /// (it proves the filing) and for a decision certificate (the card
    /// does); `true` for an extension certificate, during its period.
    pub confers_right_of_stay: bool,
    /// The code as printed.
    #[schema(example = "7F3K-9Q2M-X4B8")]
    pub code: String,
}

/// Issue a document of `kind` for `application` (as it will be saved) at
/// `now`: a new verification code, its PDF in both languages, and the keys
/// the transition stores them under before its write. `language` is the
/// one its own key holds (the other language's key follows from it, see
/// `IssuedDocument::storage_key_in`); `documents` are those
/// a receipt lists; `extension` the days an extension certificate covers.
pub(crate) fn issue(
    app: &App,
    kind: IssuedKind,
    application: &Application,
    documents: &[SupportingDocument],
    language: Language,
    now: DateTime<Utc>,
    extension: Option<ExtensionPeriod>,
) -> ServiceResult<(IssuedDocument, Vec<GeneratedFile>)> {
    let code = new_code(app);
    let verify_url = SitePage::Verify(&code).url_any_language(&app.config);
    let filed_at = application.submitted_at.unwrap_or(now);
    let mut data = ReceiptData::for_application(application, documents, filed_at, code.clone(), verify_url);
    data.kind = kind;
    match kind {
        IssuedKind::SubmissionReceipt => {}
        IssuedKind::FavourableDecision => data.decided_at = Some(now),
        IssuedKind::ExtensionCertificate => data.extension = extension,
    }
    let issued = IssuedDocument {
        code: code.clone(),
        kind,
        application: application.id,
        reference: application.reference.clone(),
        holder_name: data.holder_name(),
        issued_at: now,
        valid_until: extension.map(|p| p.until.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc()),
        language,
        storage_key: format!("{}/{}/{}", kind.folder(), application.id, code.as_str()),
        withdrawn_at: None,
        superseded_at: None,
    };
    let files = [Language::Fr, Language::En]
        .into_iter()
        .map(|l| Ok((issued.storage_key_in(l), pdf::receipt(&data, l)?)))
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok((issued, files))
}

/// A verification code from 60 random bits.
fn new_code(app: &App) -> VerificationCode {
    let bytes = random_bytes(app);
    let bits = bytes[..8].iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    VerificationCode::from_random(bits)
}

/// The latest document of `kind` issued for the applicant's application,
/// in `language` (the account's by default): its PDF and a file name.
pub async fn download(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    kind: IssuedKind,
    language: Option<Language>,
) -> ServiceResult<(Vec<u8>, String)> {
    let case = load_own(app, auth, id).await?;
    let issued = case
        .issued
        .iter()
        .rfind(|i| i.kind == kind)
        .ok_or(ServiceError::NotFound("issued document"))?;
    let language = language.unwrap_or(auth.account.language);
    // Documents issued before both languages were stored have only their own.
    let (bytes, language) = match app.ports.storage.get(&issued.storage_key_in(language)).await? {
        Some(bytes) => (bytes, language),
        None => (
            app.ports
                .storage
                .get(&issued.storage_key)
                .await?
                .ok_or_else(|| anyhow::anyhow!("a document issued for application {id} is missing from storage"))?,
            issued.language,
        ),
    };
    let stem = match (kind, language) {
        (IssuedKind::SubmissionReceipt, Language::Fr) => "attestation-de-depot",
        (IssuedKind::SubmissionReceipt, Language::En) => "submission-receipt",
        (IssuedKind::FavourableDecision, Language::Fr) => "decision-favorable",
        (IssuedKind::FavourableDecision, Language::En) => "favourable-decision",
        (IssuedKind::ExtensionCertificate, Language::Fr) => "attestation-de-prolongation",
        (IssuedKind::ExtensionCertificate, Language::En) => "extension-certificate",
    };
    let name = format!("{stem}-{}.pdf", case.application.reference.0);
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
        valid: issued.in_force(now),
        reference: issued.reference,
        holder_name: issued.holder_name,
        issued_at: issued.issued_at,
        valid_until: issued.valid_until,
        withdrawn_at: issued.withdrawn_at,
        superseded_at: issued.superseded_at,
        confers_right_of_stay: issued.kind.confers_right_of_stay(),
        code: issued.code.display(),
    }))
}
