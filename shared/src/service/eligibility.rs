//! "May I apply online?" (F1): the domain's rules applied to what a visitor
//! declares, with the préfecture in charge of their address.

use serde::{Deserialize, Serialize};

use crate::domain::Invalid;
use crate::domain::eligibility::{Eligibility, Situation, assess};
use crate::domain::prefecture::{Postcode, PrefectureCode};
use crate::domain::state_record::DocumentType;
use crate::domain::validation::date;

use super::{App, ServiceResult};
use crate::domain::FieldCode;

/// What a visitor holds, as typed on the eligibility form.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct EligibilityRequest {
    /// A document type (`vls_ts_student`, `permit_student`, …) or `none`
    /// (neither a visa nor a residence permit).
    #[schema(required = true, schema_with = document_type_or_none, example = "permit_student")]
    pub document_type: String,
    /// End of validity of the visa or permit (YYYY-MM-DD); needed unless `none`.
    #[schema(example = "2027-01-31")]
    pub valid_until: Option<String>,
    /// Date of arrival in France (YYYY-MM-DD); needed for a first application after a visa.
    pub arrival_date: Option<String>,
    /// Date of birth (YYYY-MM-DD); needed for a VLS-T "mineur scolarisé".
    pub birth_date: Option<String>,
    /// Postcode of the address in France: it decides the préfecture.
    #[schema(required = true, example = "75011")]
    pub postcode: String,
}

/// The form's choices: every document type, or `none`.
fn document_type_or_none() -> utoipa::openapi::Object {
    let codes = DocumentType::ALL.iter().map(|t| t.as_str()).chain(["none"]);
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(codes))
        .build()
}

/// The answer: covered (with the procedure and the filing window) or not
/// (with the reason), and the préfecture in charge either way.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EligibilityAnswer {
    #[serde(flatten)]
    pub eligibility: Eligibility,
    pub prefecture: PrefectureInfo,
}

/// A préfecture, for display.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PrefectureInfo {
    #[schema(value_type = String, example = "75")]
    pub code: PrefectureCode,
    /// The département's name, e.g. "Paris".
    pub departement: &'static str,
    /// The town of the préfecture.
    pub seat: &'static str,
}

impl From<PrefectureCode> for PrefectureInfo {
    fn from(code: PrefectureCode) -> Self {
        PrefectureInfo {
            departement: code.departement_name(),
            seat: code.seat(),
            code,
        }
    }
}

/// Assess a situation on today's date (the clock's UTC date).
pub async fn check(app: &App, input: &EligibilityRequest) -> ServiceResult<EligibilityAnswer> {
    let mut e = Invalid::default();
    let document_type = match input.document_type.trim() {
        "none" => Some(None),
        other => e.check("document_type", DocumentType::parse(other)).map(Some),
    };
    let mut optional_date = |field: &str, value: &Option<String>| match value.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => e.check(field, date(v)),
    };
    let valid_until = optional_date("valid_until", &input.valid_until);
    let arrival_date = optional_date("arrival_date", &input.arrival_date);
    let birth_date = optional_date("birth_date", &input.birth_date);
    let postcode = e.check("postcode", Postcode::parse(&input.postcode));
    e.into_result()?;
    let (Some(document_type), Some(postcode)) = (document_type, postcode) else {
        unreachable!("checked above")
    };
    let situation = Situation {
        document_type,
        valid_until,
        arrival_date,
        birth_date,
    };
    let today = app.ports.clock.now().date_naive();
    let eligibility = assess(&situation, today).map_err(|missing| {
        let mut e = Invalid::default();
        e.push(missing.0, FieldCode::Required);
        e
    })?;
    let prefecture = postcode.prefecture().expect("parsed postcodes have a préfecture");
    Ok(EligibilityAnswer {
        eligibility,
        prefecture: prefecture.into(),
    })
}
