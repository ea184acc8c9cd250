//! Validation errors: a stable code per field, translated by the clients.

use serde::Serialize;

/// One invalid field. `code` is a stable identifier (e.g. `too_short`) that
/// the sites and API clients translate; it never changes meaning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// JSON path of the field, e.g. `address.postcode`.
    pub field: String,
    /// Stable error code.
    pub code: &'static str,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
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
    pub fn push(&mut self, field: impl Into<String>, code: &'static str) {
        self.0.push(FieldError::new(field, code));
    }

    /// Parse one field, remembering its error under `field`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, &'static str>) -> Option<T> {
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

/// Trimmed, non-empty text of at most `max` characters without control characters.
pub fn text(value: &str, max: usize) -> Result<String, &'static str> {
    let value = value.trim();
    if value.is_empty() {
        return Err("required");
    }
    if value.chars().count() > max {
        return Err("too_long");
    }
    if value.chars().any(char::is_control) {
        return Err("invalid_characters");
    }
    Ok(value.to_string())
}

/// A date in the `YYYY-MM-DD` form.
pub fn date(value: &str) -> Result<chrono::NaiveDate, &'static str> {
    let value = value.trim();
    if value.is_empty() {
        return Err("required");
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| "invalid_date")
}
