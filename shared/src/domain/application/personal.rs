//! Step 1, personal information (F8): what the applicant may add to the civil
//! status from the state's records (usage name, family situation, family ties).

use serde::{Deserialize, Serialize};

use crate::domain::FieldCode;
use crate::domain::civil_status::{CountryCode, name};
use crate::domain::validation::Invalid;

/// Situation familiale: the seven values of the original description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FamilySituation {
    Single,
    Cohabiting,
    Divorced,
    Married,
    CivilPartnership,
    Separated,
    Widowed,
}

impl FamilySituation {
    pub const ALL: [FamilySituation; 7] = [
        FamilySituation::Single,
        FamilySituation::Cohabiting,
        FamilySituation::Divorced,
        FamilySituation::Married,
        FamilySituation::CivilPartnership,
        FamilySituation::Separated,
        FamilySituation::Widowed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FamilySituation::Single => "single",
            FamilySituation::Cohabiting => "cohabiting",
            FamilySituation::Divorced => "divorced",
            FamilySituation::Married => "married",
            FamilySituation::CivilPartnership => "civil_partnership",
            FamilySituation::Separated => "separated",
            FamilySituation::Widowed => "widowed",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let value = value.trim();
        if value.is_empty() {
            return Err(FieldCode::Required);
        }
        Self::ALL
            .into_iter()
            .find(|s| s.code() == value)
            .ok_or(FieldCode::NotInList)
    }
}

/// Family ties in France, as typed in a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FamilyTiesInput {
    pub usage_name: Option<String>,
    #[schema(value_type = Option<FamilySituation>)]
    pub family_situation: Option<String>,
    /// Does the spouse or partner live in France?
    pub spouse_in_france: Option<bool>,
    /// Required when the spouse lives in France (ISO 3166 alpha-3).
    pub spouse_nationality: Option<String>,
    pub children_in_france: Option<u8>,
}

impl FamilyTiesInput {
    /// Check the values; with `complete`, also what a submission needs.
    pub fn check(&self, complete: bool) -> Invalid {
        let mut e = Invalid::default();
        if let Some(usage) = self.usage_name.as_deref().filter(|u| !u.trim().is_empty()) {
            e.check("usage_name", name(usage));
        }
        match self.family_situation.as_deref().map(str::trim) {
            None | Some("") if complete => e.push("family_situation", FieldCode::Required),
            None | Some("") => {}
            Some(v) => {
                e.check("family_situation", FamilySituation::parse(v));
            }
        }
        match (self.spouse_in_france, self.spouse_nationality.as_deref().map(str::trim)) {
            (Some(true), None | Some("")) if complete => e.push("spouse_nationality", FieldCode::Required),
            (Some(true), Some(n)) if !n.is_empty() => {
                e.check("spouse_nationality", CountryCode::parse(n));
            }
            (Some(false) | None, Some(n)) if !n.is_empty() => e.push("spouse_nationality", FieldCode::NotApplicable),
            _ => {}
        }
        if complete && self.spouse_in_france.is_none() {
            e.push("spouse_in_france", FieldCode::Required);
        }
        if self.children_in_france.is_some_and(|children| children > 20) {
            e.push("children_in_france", FieldCode::OutOfRange);
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_family_situations() {
        assert_eq!(FamilySituation::ALL.len(), 7);
        assert_eq!(
            FamilySituation::parse("civil_partnership"),
            Ok(FamilySituation::CivilPartnership)
        );
        assert_eq!(FamilySituation::parse("complicated"), Err(FieldCode::NotInList));
    }

    #[test]
    fn spouse_nationality_when_the_spouse_lives_in_france() {
        let married = FamilyTiesInput {
            family_situation: Some("married".into()),
            spouse_in_france: Some(true),
            ..Default::default()
        };
        assert!(married.check(false).is_empty(), "a draft may wait");
        assert_eq!(married.check(true).0[0].field, "spouse_nationality");
        let done = FamilyTiesInput {
            spouse_nationality: Some("ita".into()),
            ..married
        };
        assert!(done.check(true).is_empty());
    }
}
