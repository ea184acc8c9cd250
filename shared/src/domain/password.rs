//! Password policy: at least 12 characters, at most 128, not a common one.

use crate::domain::FieldCode;

/// A new password that meets the policy. Never logged, never serialised.
pub struct NewPassword(String);

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

/// Common passwords of 12 characters or more, one per line, lower-case
/// (collected from public breach-frequency lists, plus French favourites).
static COMMON: &str = include_str!("common_passwords.txt");

impl NewPassword {
    /// `email` is the account's address: a password that contains its local
    /// part is as guessable as a common one.
    pub fn parse(value: &str, email: Option<&str>) -> Result<Self, FieldCode> {
        let length = value.chars().count();
        if length == 0 {
            return Err(FieldCode::Required);
        }
        if length < MIN_LENGTH {
            return Err(FieldCode::TooShort);
        }
        if length > MAX_LENGTH {
            return Err(FieldCode::TooLong);
        }
        let lower = value.to_lowercase();
        let distinct = {
            let mut chars: Vec<char> = lower.chars().collect();
            chars.sort_unstable();
            chars.dedup();
            chars.len()
        };
        let local_part = email.and_then(|e| e.split('@').next()).filter(|l| l.len() >= 4);
        if distinct < 4
            || is_sequence(&lower)
            || COMMON.lines().any(|c| c == lower)
            || local_part.is_some_and(|l| lower.contains(&l.to_lowercase()))
        {
            return Err(FieldCode::TooCommon);
        }
        Ok(NewPassword(value.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Keyboard or number runs such as `123456789012` or `abcdefghijkl`.
fn is_sequence(value: &str) -> bool {
    let follows = |a: u8, b: u8| b == a.wrapping_add(1) || (a == b'9' && b == b'0');
    let bytes = value.as_bytes();
    bytes.windows(2).all(|w| follows(w[0], w[1])) || bytes.windows(2).all(|w| follows(w[1], w[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert_eq!(NewPassword::parse("short", None).err(), Some(FieldCode::TooShort));
        assert_eq!(
            NewPassword::parse(&"a".repeat(129), None).err(),
            Some(FieldCode::TooLong)
        );
        assert_eq!(
            NewPassword::parse("aaaaaaaaaaaa", None).err(),
            Some(FieldCode::TooCommon)
        );
        assert_eq!(
            NewPassword::parse("123456789012", None).err(),
            Some(FieldCode::TooCommon)
        );
        assert_eq!(
            NewPassword::parse("Motdepasse123", None).err(),
            Some(FieldCode::TooCommon)
        );
        assert_eq!(
            NewPassword::parse("awa.diallo-2026!", Some("awa.diallo@example.org")).err(),
            Some(FieldCode::TooCommon)
        );
        assert!(NewPassword::parse("correct horse battery", None).is_ok());
    }
}
