//! The API paths the answers point to (a PDF to download, a code to check),
//! built here only, so that they follow the endpoint table's paths.

use crate::domain::application::ApplicationId;
use crate::domain::issued_document::{IssuedKind, VerificationCode};

/// `GET` the PDF of the latest document of `kind` issued for `application`.
pub fn issued_pdf(application: ApplicationId, kind: IssuedKind) -> String {
    let what = match kind {
        IssuedKind::SubmissionReceipt => "receipt",
        IssuedKind::FavourableDecision => "decision",
        IssuedKind::ExtensionCertificate => "extension",
    };
    format!("/api/applications/{application}/{what}")
}

/// `GET` the decision's PDF (the certificate, or the signed refusal).
pub fn decision_pdf(application: ApplicationId) -> String {
    issued_pdf(application, IssuedKind::FavourableDecision)
}

/// The public check of a verification code (B1).
pub fn verify(code: &VerificationCode) -> String {
    format!("/api/verify/{}", code.as_str())
}
