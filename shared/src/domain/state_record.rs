//! State records ("données de référence"): the residence permits and visas
//! known to the state, imported from partner systems (F28).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::civil_status::{CivilStatus, CountryCode, Sex, name};
use super::validation::{Invalid, date, text};
use crate::domain::FieldCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Permit,
    Visa,
}

impl RecordKind {
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        match value.trim() {
            "permit" => Ok(RecordKind::Permit),
            "visa" => Ok(RecordKind::Visa),
            "" => Err(FieldCode::Required),
            _ => Err(FieldCode::InvalidKind),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Permit => "permit",
            RecordKind::Visa => "visa",
        }
    }
}

/// The type of a visa or residence permit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// VLS-TS "étudiant".
    VlsTsStudent,
    /// VLS-TS "étudiant mobilité".
    VlsTsStudentMobility,
    /// VLS "étudiant" held by an Algerian national.
    VlsStudentAlgeria,
    /// VLS "étudiant mobilité".
    VlsStudentMobility,
    /// VLS-T "mineur scolarisé" (young adult turning 18).
    VlsTMinorSchooled,
    /// Short-stay visa "concours".
    VisaConcours,
    /// Student residence permit (other than a VLS-TS).
    PermitStudent,
    /// Residence permit for another reason than studies.
    PermitOther,
    /// EU long-term resident card (carte RLD-UE).
    EuLongTerm,
}

impl DocumentType {
    pub const ALL: [DocumentType; 9] = [
        DocumentType::VlsTsStudent,
        DocumentType::VlsTsStudentMobility,
        DocumentType::VlsStudentAlgeria,
        DocumentType::VlsStudentMobility,
        DocumentType::VlsTMinorSchooled,
        DocumentType::VisaConcours,
        DocumentType::PermitStudent,
        DocumentType::PermitOther,
        DocumentType::EuLongTerm,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::VlsTsStudent => "vls_ts_student",
            DocumentType::VlsTsStudentMobility => "vls_ts_student_mobility",
            DocumentType::VlsStudentAlgeria => "vls_student_algeria",
            DocumentType::VlsStudentMobility => "vls_student_mobility",
            DocumentType::VlsTMinorSchooled => "vls_t_minor_schooled",
            DocumentType::VisaConcours => "visa_concours",
            DocumentType::PermitStudent => "permit_student",
            DocumentType::PermitOther => "permit_other",
            DocumentType::EuLongTerm => "eu_long_term",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let value = value.trim();
        if value.is_empty() {
            return Err(FieldCode::Required);
        }
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == value)
            .ok_or(FieldCode::InvalidDocumentType)
    }

    /// Whether this document is a visa or a residence permit.
    pub fn kind(self) -> RecordKind {
        match self {
            DocumentType::PermitStudent | DocumentType::PermitOther | DocumentType::EuLongTerm => RecordKind::Permit,
            _ => RecordKind::Visa,
        }
    }
}

/// A visa or permit number: 6 to 20 letters or digits, stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "7501234567")]
pub struct DocumentNumber(String);

impl DocumentNumber {
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let value: String = value
            .trim()
            .chars()
            .filter(|c| *c != ' ')
            .collect::<String>()
            .to_ascii_uppercase();
        if value.is_empty() {
            return Err(FieldCode::Required);
        }
        if (6..=20).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            Ok(DocumentNumber(value))
        } else {
            Err(FieldCode::InvalidDocumentNumber)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DocumentNumber {
    type Error = FieldCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        DocumentNumber::parse(&value)
    }
}

impl From<DocumentNumber> for String {
    fn from(n: DocumentNumber) -> String {
        n.0
    }
}

/// The foreigner number (AGDREF): 10 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "7501234567")]
pub struct ForeignerNumber(String);

impl ForeignerNumber {
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let value = value.trim();
        if value.len() == 10 && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(ForeignerNumber(value.to_string()))
        } else {
            Err(FieldCode::InvalidForeignerNumber)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ForeignerNumber {
    type Error = FieldCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ForeignerNumber::parse(&value)
    }
}

impl From<ForeignerNumber> for String {
    fn from(n: ForeignerNumber) -> String {
        n.0
    }
}

/// How a state record is found: its kind and its number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RecordKey {
    pub kind: RecordKind,
    pub number: DocumentNumber,
}

/// One visa or residence permit with its holder's civil status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StateRecord {
    pub kind: RecordKind,
    pub number: DocumentNumber,
    pub document_type: DocumentType,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub foreigner_number: Option<ForeignerNumber>,
    pub civil_status: CivilStatus,
}

impl StateRecord {
    pub fn key(&self) -> RecordKey {
        RecordKey {
            kind: self.kind,
            number: self.number.clone(),
        }
    }
}

/// One line of an import file, as text: the interchange format of DESIGN.md
/// (JSON lines or CSV with the same column names).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawStateRecord {
    pub kind: String,
    pub number: String,
    pub document_type: String,
    pub valid_from: String,
    pub valid_until: String,
    pub foreigner_number: Option<String>,
    pub surname: String,
    pub given_names: String,
    pub sex: String,
    pub birth_date: String,
    pub birth_place: String,
    pub birth_country: String,
    pub nationality: String,
}

impl RawStateRecord {
    /// Parse every field; report every invalid one.
    pub fn parse(&self) -> Result<StateRecord, Invalid> {
        let mut e = Invalid::default();
        let kind = e.check("kind", RecordKind::parse(&self.kind));
        let number = e.check("number", DocumentNumber::parse(&self.number));
        let document_type = e.check("document_type", DocumentType::parse(&self.document_type));
        let valid_from = e.check("valid_from", date(&self.valid_from));
        let valid_until = e.check("valid_until", date(&self.valid_until));
        let foreigner_number = match self.foreigner_number.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(n) => e.check("foreigner_number", ForeignerNumber::parse(n)),
        };
        let surname = e.check("surname", name(&self.surname));
        let given_names = e.check("given_names", name(&self.given_names));
        let sex = e.check("sex", Sex::parse(&self.sex));
        let birth_date = e.check("birth_date", date(&self.birth_date));
        let birth_place = e.check("birth_place", text(&self.birth_place, 100));
        let birth_country = e.check("birth_country", CountryCode::parse(&self.birth_country));
        let nationality = e.check("nationality", CountryCode::parse(&self.nationality));
        if let (Some(kind), Some(t)) = (kind, document_type)
            && t.kind() != kind
        {
            e.push("document_type", FieldCode::KindMismatch);
        }
        if let (Some(from), Some(until)) = (valid_from, valid_until)
            && until < from
        {
            e.push("valid_until", FieldCode::BeforeValidFrom);
        }
        e.clone().into_result()?;
        Ok(StateRecord {
            kind: kind.unwrap(),
            number: number.unwrap(),
            document_type: document_type.unwrap(),
            valid_from: valid_from.unwrap(),
            valid_until: valid_until.unwrap(),
            foreigner_number,
            civil_status: CivilStatus {
                surname: surname.unwrap(),
                given_names: given_names.unwrap(),
                sex: sex.unwrap(),
                birth_date: birth_date.unwrap(),
                birth_place: birth_place.unwrap(),
                birth_country: birth_country.unwrap(),
                nationality: nationality.unwrap(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawStateRecord {
        RawStateRecord {
            kind: "permit".into(),
            number: "ab 123456".into(),
            document_type: "permit_student".into(),
            valid_from: "2025-10-01".into(),
            valid_until: "2026-09-30".into(),
            foreigner_number: Some("7501234567".into()),
            surname: "Diallo".into(),
            given_names: "Awa".into(),
            sex: "F".into(),
            birth_date: "2003-04-05".into(),
            birth_place: "Dakar".into(),
            birth_country: "sen".into(),
            nationality: "SEN".into(),
        }
    }

    #[test]
    fn parses_a_good_line_once() {
        let r = raw().parse().unwrap();
        assert_eq!(r.number.as_str(), "AB123456");
        assert_eq!(r.civil_status.birth_country.as_str(), "SEN");
    }

    #[test]
    fn reports_every_bad_field() {
        let mut bad = raw();
        bad.kind = "visa".into();
        bad.valid_until = "2024-01-01".into();
        bad.sex = "?".into();
        let errors = bad.parse().unwrap_err().0;
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert!(fields.contains(&("document_type", FieldCode::KindMismatch)));
        assert!(fields.contains(&("valid_until", FieldCode::BeforeValidFrom)));
        assert!(fields.contains(&("sex", FieldCode::InvalidSex)));
    }
}
