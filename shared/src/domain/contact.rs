//! Contact details: email, mobile phone, postal address.

use serde::{Deserialize, Serialize};

use super::prefecture::{Postcode, PrefectureCode};
use super::validation::{Invalid, text};
use crate::domain::FieldCode;

/// An email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "awa.diallo@example.org")]
pub struct Email(String);

impl Email {
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let value = value.trim().to_lowercase();
        if value.is_empty() {
            return Err(FieldCode::Required);
        }
        if value.len() > 254 {
            return Err(FieldCode::TooLong);
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err(FieldCode::InvalidEmail);
        };
        // As strict as the mail senders (lettre, SES): dot-atoms, hostname labels.
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        let local_ok = local.len() <= 64
            && local.split('.').all(|atom| {
                !atom.is_empty()
                    && atom
                        .chars()
                        .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c))
            });
        if domain_ok && local_ok {
            Ok(Email(value))
        } else {
            Err(FieldCode::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = FieldCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(e: Email) -> String {
        e.0
    }
}

/// A mobile phone number in E.164 form (`+33612345678`). French numbers may
/// be typed nationally (`06 12 34 56 78`) and must be mobiles (06 or 07).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "+33612345678")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let compact: String = value
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
            .collect();
        if compact.is_empty() {
            return Err(FieldCode::Required);
        }
        let international = if let Some(rest) = compact.strip_prefix('+') {
            rest.to_string()
        } else if let Some(rest) = compact.strip_prefix("00") {
            rest.to_string()
        } else if compact.len() == 10 && compact.starts_with('0') {
            format!("33{}", &compact[1..])
        } else {
            return Err(FieldCode::InvalidPhone);
        };
        if !international.bytes().all(|b| b.is_ascii_digit()) || !(8..=15).contains(&international.len()) {
            return Err(FieldCode::InvalidPhone);
        }
        if let Some(national) = international.strip_prefix("33") {
            if national.len() != 9 {
                return Err(FieldCode::InvalidPhone);
            }
            if !(national.starts_with('6') || national.starts_with('7')) {
                return Err(FieldCode::NotMobile);
            }
        }
        Ok(PhoneNumber(format!("+{international}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = FieldCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&value)
    }
}

impl From<PhoneNumber> for String {
    fn from(p: PhoneNumber) -> String {
        p.0
    }
}

/// A postal address in France. The département (hence the préfecture) is
/// derived from the postcode, never typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub postcode: Postcode,
    pub city: String,
}

/// An address as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AddressInput {
    pub line1: String,
    pub line2: Option<String>,
    pub postcode: String,
    pub city: String,
}

impl AddressInput {
    pub fn parse(&self) -> Result<Address, Invalid> {
        let mut e = Invalid::default();
        let line1 = e.check("line1", text(&self.line1, 200));
        let line2 = match self.line2.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(l) => e.check("line2", text(l, 200)),
        };
        let postcode = e.check("postcode", Postcode::parse(&self.postcode));
        let city = e.check("city", text(&self.city, 100));
        e.into_result()?;
        Ok(Address {
            line1: line1.unwrap(),
            line2,
            postcode: postcode.unwrap(),
            city: city.unwrap(),
        })
    }
}

impl Address {
    /// The préfecture in charge of this address.
    pub fn prefecture(&self) -> PrefectureCode {
        self.postcode.prefecture().expect("parsed postcodes have a préfecture")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Awa.Diallo@Example.ORG ").unwrap().as_str(),
            "awa.diallo@example.org"
        );
        for bad in [
            "awa",
            "awa@",
            "@example.org",
            "awa@example",
            "a b@example.org",
            "awa@exa..mple.org",
        ] {
            assert_eq!(Email::parse(bad), Err(FieldCode::InvalidEmail), "{bad}");
        }
        assert_eq!(Email::parse(" "), Err(FieldCode::Required));
    }

    #[test]
    fn french_mobiles_and_international_numbers() {
        assert_eq!(PhoneNumber::parse("06 12 34 56 78").unwrap().as_str(), "+33612345678");
        assert_eq!(
            PhoneNumber::parse("+33 7 12 34 56 78").unwrap().as_str(),
            "+33712345678"
        );
        assert_eq!(
            PhoneNumber::parse("+221 77 123 45 67").unwrap().as_str(),
            "+221771234567"
        );
        assert_eq!(PhoneNumber::parse("01 23 45 67 89"), Err(FieldCode::NotMobile));
        assert_eq!(PhoneNumber::parse("12345"), Err(FieldCode::InvalidPhone));
        assert_eq!(PhoneNumber::parse("+33 6 12"), Err(FieldCode::InvalidPhone));
    }

    #[test]
    fn addresses_report_each_field() {
        let input = AddressInput {
            line1: "".into(),
            line2: None,
            postcode: "7501".into(),
            city: "Paris".into(),
        };
        let errors = input.parse().unwrap_err().0;
        assert_eq!(errors.len(), 2);
        let ok = AddressInput {
            line1: "1 rue de Rivoli".into(),
            line2: Some(" ".into()),
            postcode: "75001".into(),
            city: "Paris".into(),
        };
        assert_eq!(ok.parse().unwrap().prefecture().as_str(), "75");
    }
}
