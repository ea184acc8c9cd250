//! Validation errors: a stable code per field, translated by the clients.

use serde::Serialize;

use crate::domain::closed_list;

closed_list!(
    /// The stable codes of field errors. The sites and API clients key on
    /// them; their texts are in `api::messages`.
    FieldCode {
        Required = "required",
        TooLong = "too_long",
        TooShort = "too_short",
        TooCommon = "too_common",
        InvalidCharacters = "invalid_characters",
        InvisibleCharacters = "invisible_characters",
        InvalidDate = "invalid_date",
        BeforeValidFrom = "before_valid_from",
        InvalidEmail = "invalid_email",
        InvalidPhone = "invalid_phone",
        NotMobile = "not_mobile",
        InvalidPostcode = "invalid_postcode",
        NoPrefecture = "no_prefecture",
        UnknownPrefecture = "unknown_prefecture",
        InvalidLanguage = "invalid_language",
        InvalidKind = "invalid_kind",
        InvalidDocumentType = "invalid_document_type",
        InvalidDocumentNumber = "invalid_document_number",
        InvalidForeignerNumber = "invalid_foreigner_number",
        InvalidSex = "invalid_sex",
        InvalidCountry = "invalid_country",
        KindMismatch = "kind_mismatch",
        ReadOnly = "read_only",
        UnknownField = "unknown_field",
        NotInList = "not_in_list",
        NotApplicable = "not_applicable",
        OutOfRange = "out_of_range",
        MustBePositive = "must_be_positive",
        TooLarge = "too_large",
        TooMany = "too_many",
        InvalidAcademicYear = "invalid_academic_year",
        NotRequired = "not_required",
        UnsupportedType = "unsupported_type",
        InvalidLength = "invalid_length",
        EphotoUnknown = "ephoto_unknown",
        EphotoExpired = "ephoto_expired",
        NotValidated = "not_validated",
        InvalidCode = "invalid_code",
        InvalidJson = "invalid_json",
        InvalidNumber = "invalid_number",
        InvalidType = "invalid_type",
        MalformedLine = "malformed_line",
        NotAnObject = "not_an_object",
        WrongFieldCount = "wrong_field_count",
        InvalidUtf8 = "invalid_utf8",
        InvalidCursor = "invalid_cursor",
        NotUploaded = "not_uploaded",
    }
);

/// One invalid field. `code` is a stable identifier (e.g. `too_short`) that
/// the sites and API clients translate; it never changes meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// JSON path of the field, e.g. `address.postcode`.
    pub field: String,
    /// Stable error code.
    pub code: FieldCode,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldCode) -> Self {
        Self {
            field: field.into(),
            code,
        }
    }

    /// The same error for a field nested under `prefix`.
    pub fn under(mut self, prefix: &str) -> Self {
        self.field = if self.field.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }
}

/// Every invalid field of one input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn push(&mut self, field: impl Into<String>, code: FieldCode) {
        self.0.push(FieldError::new(field, code));
    }

    /// Parse one field, remembering its error under `field`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, FieldCode>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(code) => {
                self.push(field, code);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<FieldError> for Invalid {
    fn from(e: FieldError) -> Self {
        Invalid(vec![e])
    }
}

/// Trimmed, non-empty text of at most `max` characters, without control
/// characters nor invisible formatting ones (see [`is_invisible`]).
pub fn text(value: &str, max: usize) -> Result<String, FieldCode> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldCode::Required);
    }
    if value.chars().count() > max {
        return Err(FieldCode::TooLong);
    }
    if value.chars().any(char::is_control) {
        return Err(FieldCode::InvalidCharacters);
    }
    if value.chars().any(is_invisible) {
        return Err(FieldCode::InvisibleCharacters);
    }
    Ok(value.to_string())
}

/// Characters that change how text is shown without being seen: bidi
/// embeddings, overrides and isolates (a file named `passeport\u{202E}fdp.exe`
/// reads "passeportexe.pdf"), zero-width spaces and joiners, word joiners
/// and invisible operators, the byte-order mark, the soft hyphen,
/// interlinear annotations and tag characters.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// A date in the `YYYY-MM-DD` form.
pub fn date(value: &str) -> Result<chrono::NaiveDate, FieldCode> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldCode::Required);
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| FieldCode::InvalidDate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_formatting_characters_are_refused() {
        for sneaky in [
            "passeport\u{202E}fdp.exe",
            "12\u{200B} rue de la Paix",
            "\u{FEFF}Lyon",
            "a\u{2066}b\u{2069}",
            "Saint\u{00AD}Étienne",
            "x\u{E0041}",
        ] {
            assert_eq!(text(sneaky, 200), Err(FieldCode::InvisibleCharacters), "{sneaky:?}");
        }
        // What people type stays accepted: accents, apostrophes, other scripts.
        for fine in ["12 rue de l’Église", "Saint-Étienne", "Ελλάδα", "北京市"] {
            assert_eq!(text(fine, 200).as_deref(), Ok(fine));
        }
        assert_eq!(text("a\u{0007}b", 200), Err(FieldCode::InvalidCharacters));
    }
}
