//! Documents the service issues (receipt, attestations) and their public
//! verification code (B1): a landlord, employer or bank types the short code
//! (or scans the QR code) and learns whether the document is authentic.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::account::Language;
use super::application::{ApplicationId, Reference};
use crate::domain::FieldCode;

/// Crockford base 32: no I, L, O or U, so codes read aloud unambiguously.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// 12 characters (60 random bits), shown as `XXXX-XXXX-XXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "7F3K-9Q2M-X4B8")]
pub struct VerificationCode(String);

impl VerificationCode {
    pub const LEN: usize = 12;

    /// A code from 60 random bits (the caller's secure randomness).
    pub fn from_random(bits: u64) -> Self {
        let code = (0..Self::LEN)
            .map(|i| ALPHABET[((bits >> (5 * i)) & 31) as usize] as char)
            .collect();
        VerificationCode(code)
    }

    /// Typed by a person: dashes and spaces ignored, case-insensitive, and the
    /// letters people confuse (O, I, L) read as the digits they look like.
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let code: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect();
        if code.is_empty() {
            return Err(FieldCode::Required);
        }
        if code.len() != Self::LEN || !code.bytes().all(|b| ALPHABET.contains(&b)) {
            return Err(FieldCode::InvalidCode);
        }
        Ok(VerificationCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `XXXX-XXXX-XXXX`, as printed.
    pub fn display(&self) -> String {
        format!("{}-{}-{}", &self.0[..4], &self.0[4..8], &self.0[8..])
    }
}

impl TryFrom<String> for VerificationCode {
    type Error = FieldCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        VerificationCode::parse(&value)
    }
}

impl From<VerificationCode> for String {
    fn from(c: VerificationCode) -> String {
        c.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IssuedKind {
    /// Attestation de dépôt (F13): proves the filing, gives no rights.
    SubmissionReceipt,
    /// Attestation de décision favorable (F21): the permit is granted; the
    /// card is handed over later.
    FavourableDecision,
    /// Attestation de prolongation d'instruction (B2): with the expired
    /// permit, it proves a lawful stay until its end while the renewal is
    /// reviewed.
    ExtensionCertificate,
}

impl IssuedKind {
    /// Whether holding the document lets one stay in France. Neither the
    /// receipt nor the decision certificate does (the card does): the
    /// verify page must never read as "valid" in that sense.
    pub fn confers_right_of_stay(self) -> bool {
        match self {
            IssuedKind::SubmissionReceipt | IssuedKind::FavourableDecision => false,
            IssuedKind::ExtensionCertificate => true,
        }
    }

    /// The storage folder of its PDFs.
    pub fn folder(self) -> &'static str {
        match self {
            IssuedKind::SubmissionReceipt => "receipts",
            IssuedKind::FavourableDecision => "decisions",
            IssuedKind::ExtensionCertificate => "extensions",
        }
    }
}

/// One issued PDF and what its verification tells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedDocument {
    pub code: VerificationCode,
    pub kind: IssuedKind,
    pub application: ApplicationId,
    pub reference: Reference,
    /// "Given names SURNAME", as printed on the document.
    pub holder_name: String,
    pub issued_at: DateTime<Utc>,
    /// `None`: no end of validity (a receipt).
    pub valid_until: Option<DateTime<Utc>>,
    pub language: Language,
    /// Where the PDF is stored.
    pub storage_key: String,
    /// When the submission it attests was withdrawn (B3): it attests nothing since.
    #[serde(default)]
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// When a newer certificate replaced it (B2): it proves nothing since.
    #[serde(default)]
    pub superseded_at: Option<DateTime<Utc>>,
}

impl IssuedDocument {
    /// Where its PDF in `language` is stored: the key it was issued under
    /// for its own language, the same key with `-` and the language's code after
    /// it for the other one.
    pub fn storage_key_in(&self, language: Language) -> String {
        if language == self.language {
            self.storage_key.clone()
        } else {
            format!("{}-{}", self.storage_key, language.as_str())
        }
    }

    /// Still what it says at `now`: not withdrawn, not superseded, not past its end.
    pub fn in_force(&self, now: DateTime<Utc>) -> bool {
        self.withdrawn_at.is_none() && self.superseded_at.is_none() && self.valid_until.is_none_or(|end| now <= end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_as_typed_by_people() {
        let code = VerificationCode::from_random(0x0FED_CBA9_8765_4321);
        let shown = code.display();
        assert_eq!(shown.len(), 14);
        assert_eq!(VerificationCode::parse(&shown.to_lowercase()), Ok(code.clone()));
        assert_eq!(VerificationCode::parse(&shown.replace('-', " ")), Ok(code));
        assert_eq!(
            VerificationCode::parse("OIL0-0000-0000").unwrap().as_str(),
            "011000000000"
        );
        assert_eq!(VerificationCode::parse("ABCD-EFGH-JKU0"), Err(FieldCode::InvalidCode));
        assert_eq!(VerificationCode::parse("ABCD"), Err(FieldCode::InvalidCode));
    }
}
