//! Civil status ("état civil"), as the state's records know it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::validation::text;
use crate::domain::FieldCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Sex {
    F,
    M,
    X,
}

impl Sex {
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        match value.trim().to_ascii_uppercase().as_str() {
            "F" => Ok(Sex::F),
            "M" => Ok(Sex::M),
            "X" => Ok(Sex::X),
            "" => Err(FieldCode::Required),
            _ => Err(FieldCode::InvalidSex),
        }
    }
}

/// ISO 3166-1 alpha-3 country code, e.g. `SEN`, `CHN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "SEN")]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let value = value.trim().to_ascii_uppercase();
        if value.is_empty() {
            return Err(FieldCode::Required);
        }
        if value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(CountryCode(value))
        } else {
            Err(FieldCode::InvalidCountry)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CountryCode {
    type Error = FieldCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CountryCode::parse(&value)
    }
}

impl From<CountryCode> for String {
    fn from(code: CountryCode) -> String {
        code.0
    }
}

/// The civil status copied from the state's records; read-only for the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CivilStatus {
    pub surname: String,
    pub given_names: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub birth_place: String,
    pub birth_country: CountryCode,
    pub nationality: CountryCode,
}

impl CivilStatus {
    /// "Given names SURNAME", the way letters address a person.
    pub fn display_name(&self) -> String {
        format!("{} {}", self.given_names, self.surname.to_uppercase())
    }
}

/// A person's name part: letters, spaces, apostrophes and hyphens, at most 100 characters.
/// A name as the agents' search compares it (F16): accents, case, spaces,
/// hyphens and apostrophes folded away, so "N'Diaye-Nguyễn" is "ndiayenguyen"
/// and any prefix of that finds it.
pub fn search_key(value: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    value
        .nfd()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ß' => 's',
            'æ' => 'a',
            'œ' => 'o',
            'ø' => 'o',
            'ł' => 'l',
            'đ' => 'd',
            other => other,
        })
        .collect()
}

pub fn name(value: &str) -> Result<String, FieldCode> {
    let value = text(value, 100)?;
    if value
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '-' | '’' | '.'))
    {
        Ok(value)
    } else {
        Err(FieldCode::InvalidCharacters)
    }
}

#[cfg(test)]
mod search_tests {
    use super::*;

    #[test]
    fn names_are_searched_without_accents_case_or_punctuation() {
        assert_eq!(search_key("N'Diaye-Nguyễn"), "ndiayenguyen");
        assert_eq!(search_key("  Lefèvre "), "lefevre");
        assert_eq!(search_key("ØSTERGÅRD"), "ostergard");
        assert_eq!(search_key("Traoré"), search_key("TRAORE"));
    }
}
