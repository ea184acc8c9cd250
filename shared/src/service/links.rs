//! The API paths the answers point to (a PDF to download, a code to check),
//! built here only, so that they follow the endpoint table's paths; and the
//! pages of the applicant site that emails and PDFs open.

use crate::config::Config;
use crate::domain::account::Language;
use crate::domain::application::ApplicationId;
use crate::domain::issued_document::{IssuedKind, VerificationCode};

/// A page of the applicant site (its routes: frontend/applicant/src/routes.tsx).
#[derive(Debug, Clone, Copy)]
pub enum SitePage<'a> {
    /// The eligibility check and the three ways in.
    Home,
    Login,
    /// The account's notifications (the site asks to log in first).
    Notifications,
    /// Where the emailed verification link lands; the page posts the token.
    VerifyEmail {
        token: &'a str,
    },
    /// Where the emailed reset link lands.
    ResetPassword {
        token: &'a str,
    },
    /// The public check of an issued document, where its QR code points (B1).
    Verify(&'a VerificationCode),
}

impl SitePage<'_> {
    fn path(&self) -> String {
        match self {
            SitePage::Home => "/".into(),
            SitePage::Login => "/login".into(),
            SitePage::Notifications => "/notifications".into(),
            SitePage::VerifyEmail { token } => format!("/verify-email?token={token}"),
            SitePage::ResetPassword { token } => format!("/reset-password?token={token}"),
            SitePage::Verify(code) => format!("/verify/{}", code.as_str()),
        }
    }

    /// The page's address, opened in `lang` (an email's language).
    pub fn url(&self, config: &Config, lang: Language) -> String {
        let path = self.path();
        let separator = if path.contains('?') { '&' } else { '?' };
        format!("{}{path}{separator}lang={}", config.public_url, lang.as_str())
    }

    /// The page's address without a language (printed on a PDF that exists
    /// in both: the browser's language applies).
    pub fn url_any_language(&self, config: &Config) -> String {
        format!("{}{}", config.public_url, self.path())
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_pages_open_in_the_emails_language() {
        let config = Config::local("http://127.0.0.1:8080/");
        assert_eq!(
            SitePage::Login.url(&config, Language::En),
            "http://127.0.0.1:8080/login?lang=en"
        );
        assert_eq!(
            SitePage::Home.url(&config, Language::Fr),
            "http://127.0.0.1:8080/?lang=fr"
        );
        assert_eq!(
            SitePage::ResetPassword { token: "a_b-c" }.url(&config, Language::En),
            "http://127.0.0.1:8080/reset-password?token=a_b-c&lang=en"
        );
        assert_eq!(
            SitePage::VerifyEmail { token: "t" }.url(&config, Language::Fr),
            "http://127.0.0.1:8080/verify-email?token=t&lang=fr"
        );
    }
}
