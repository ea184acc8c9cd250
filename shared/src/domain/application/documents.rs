//! Step 4, supporting documents and the e-photo code (F11).

use crate::domain::FieldCode;
use crate::domain::closed_list;
use serde::{Deserialize, Serialize};

/// The kinds of supporting document ("pièces justificatives").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Passport identity pages.
    Passport,
    /// The current visa or residence permit.
    CurrentVisaOrPermit,
    /// Proof of address less than 6 months old.
    ProofOfAddress,
    /// Host's certificate ("attestation d'hébergement"), when housed free of charge.
    HostCertificate,
    /// Host's identity document, when housed free of charge.
    HostId,
    /// Proof of the host's address, when housed free of charge.
    HostProofOfAddress,
    /// Signed commitment to respect the principles of the Republic.
    RepublicCommitment,
    /// Enrolment certificate for the academic year (studies).
    EnrolmentCertificate,
    /// Proof of resources (studies).
    ProofOfResources,
    /// Transcripts of the previous year (studies, renewal).
    Transcripts,
    /// A file joined to a message of the case's conversation (B4), by
    /// either side.
    Attachment,
    /// The préfecture's signed refusal decision, uploaded by the agent who
    /// refuses (F21).
    RefusalDecision,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 12] = [
        DocumentKind::Passport,
        DocumentKind::CurrentVisaOrPermit,
        DocumentKind::ProofOfAddress,
        DocumentKind::HostCertificate,
        DocumentKind::HostId,
        DocumentKind::HostProofOfAddress,
        DocumentKind::RepublicCommitment,
        DocumentKind::EnrolmentCertificate,
        DocumentKind::ProofOfResources,
        DocumentKind::Transcripts,
        DocumentKind::Attachment,
        DocumentKind::RefusalDecision,
    ];

    /// A supporting document of the filing ("pièce justificative"), rather
    /// than a file of the conversation or of the decision.
    pub fn is_supporting(self) -> bool {
        !matches!(self, DocumentKind::Attachment | DocumentKind::RefusalDecision)
    }
}

/// The documents every application needs, whatever the reason for stay.
/// Housed free of charge, the host's certificate, identity and address
/// replace the applicant's own proof of address.
pub fn common_required(housed_free_of_charge: bool) -> Vec<DocumentKind> {
    let mut kinds = vec![DocumentKind::Passport, DocumentKind::CurrentVisaOrPermit];
    if housed_free_of_charge {
        kinds.extend([
            DocumentKind::HostCertificate,
            DocumentKind::HostId,
            DocumentKind::HostProofOfAddress,
        ]);
    } else {
        kinds.push(DocumentKind::ProofOfAddress);
    }
    kinds.push(DocumentKind::RepublicCommitment);
    kinds
}

/// The file types accepted, recognised by their first bytes, never by their name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum FileType {
    #[serde(rename = "application/pdf")]
    Pdf,
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    /// The type the applicant declares before uploading.
    pub fn parse_mime(value: &str) -> Result<Self, FieldCode> {
        match value.trim().to_ascii_lowercase().as_str() {
            "application/pdf" => Ok(FileType::Pdf),
            "image/jpeg" | "image/jpg" => Ok(FileType::Jpeg),
            "image/png" => Ok(FileType::Png),
            "" => Err(FieldCode::Required),
            _ => Err(FieldCode::UnsupportedType),
        }
    }

    /// The type the content really has, from its magic bytes.
    pub fn sniff(head: &[u8]) -> Option<Self> {
        if head.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileType::Png)
        } else {
            None
        }
    }
}

/// How many first bytes `FileType::sniff` needs.
pub const SNIFF_LEN: usize = 8;

/// The e-photo code printed on the photo board of an approved booth or
/// photographer: 22 letters and digits (spaces and dashes as printed are ignored).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "AB12CD34EF56GH78IJ90KL")]
pub struct EphotoCode(String);

impl EphotoCode {
    pub const LEN: usize = 22;

    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let compact: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        if compact.is_empty() {
            return Err(FieldCode::Required);
        }
        if !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(FieldCode::InvalidCharacters);
        }
        if compact.len() != Self::LEN {
            return Err(FieldCode::InvalidLength);
        }
        Ok(EphotoCode(compact))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EphotoCode {
    type Error = FieldCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        EphotoCode::parse(&value)
    }
}

impl From<EphotoCode> for String {
    fn from(c: EphotoCode) -> String {
        c.0
    }
}

closed_list!(
    /// Why a checked file was refused.
    RejectionReason {
        /// Larger than the limit for documents.
        TooLarge = "too_large",
        /// Not the size announced when the upload URL was asked for.
        SizeMismatch = "size_mismatch",
        /// Its first bytes are not those of a PDF, JPEG or PNG file.
        UnsupportedContent = "unsupported_content",
        /// A PDF, JPEG or PNG file, but not the type announced.
        TypeMismatch = "type_mismatch",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(FileType::sniff(b"%PDF-1.7\n"), Some(FileType::Pdf));
        assert_eq!(FileType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileType::Jpeg));
        assert_eq!(FileType::sniff(b"\x89PNG\r\n\x1a\n"), Some(FileType::Png));
        // An executable renamed `.pdf` is still an executable.
        assert_eq!(FileType::sniff(b"\x7fELF\x02\x01\x01"), None);
        assert_eq!(FileType::sniff(b"MZ\x90\x00"), None);
        assert_eq!(
            FileType::parse_mime("application/x-msdownload"),
            Err(FieldCode::UnsupportedType)
        );
    }

    #[test]
    fn ephoto_codes_have_22_characters() {
        assert_eq!(
            EphotoCode::parse("ab12-cd34-ef56-gh78-ij90-kl").unwrap().as_str(),
            "AB12CD34EF56GH78IJ90KL"
        );
        assert_eq!(EphotoCode::parse("AB12CD34"), Err(FieldCode::InvalidLength));
        assert_eq!(
            EphotoCode::parse("AB12CD34EF56GH78IJ90K!"),
            Err(FieldCode::InvalidCharacters)
        );
        assert_eq!(EphotoCode::parse(""), Err(FieldCode::Required));
    }
}
