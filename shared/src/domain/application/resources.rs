//! Step 3, resources (F10): lines of monthly resources, their total against
//! the configured minimum. Below the minimum is a warning, never a block.

use serde::{Deserialize, Serialize};

use crate::domain::FieldCode;
use crate::domain::validation::{Invalid, text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    FamilySupport,
    Scholarship,
    Salary,
    Savings,
    Other,
}

/// Euro cents, to add amounts exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct Cents(pub u64);

impl Cents {
    pub fn euros(euros: u64) -> Self {
        Cents(euros * 100)
    }
}

/// One resource line: its kind and its monthly amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResourceLine {
    pub kind: ResourceKind,
    pub monthly_amount: Cents,
}

/// Step 3 as saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Resources {
    pub lines: Vec<ResourceLine>,
    pub explanation: Option<String>,
    pub housed_free_of_charge: Option<bool>,
}

/// Largest monthly amount a line may hold (1,000,000 €): beyond is a typing error.
const MAX_LINE: Cents = Cents(100_000_000);
const MAX_LINES: usize = 20;

impl Resources {
    pub fn total(&self) -> Cents {
        Cents(self.lines.iter().map(|l| l.monthly_amount.0).sum())
    }

    /// Whether the total reaches `minimum` (the configured monthly minimum).
    pub fn meets(&self, minimum: Cents) -> bool {
        self.total() >= minimum
    }

    pub fn check(&self, complete: bool) -> Invalid {
        let mut e = Invalid::default();
        if self.lines.len() > MAX_LINES {
            e.push("lines", FieldCode::TooMany);
        }
        for (i, line) in self.lines.iter().enumerate() {
            if line.monthly_amount == Cents(0) {
                e.push(format!("lines[{i}].monthly_amount"), FieldCode::MustBePositive);
            } else if line.monthly_amount > MAX_LINE {
                e.push(format!("lines[{i}].monthly_amount"), FieldCode::TooLarge);
            }
        }
        if let Some(explanation) = self.explanation.as_deref().filter(|x| !x.trim().is_empty()) {
            e.check("explanation", text(explanation, 2000).map(drop));
        }
        if complete {
            if self.lines.is_empty() {
                e.push("lines", FieldCode::Required);
            }
            if self.housed_free_of_charge.is_none() {
                e.push("housed_free_of_charge", FieldCode::Required);
            }
        }
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_and_minimum() {
        let r = Resources {
            lines: vec![
                ResourceLine {
                    kind: ResourceKind::Scholarship,
                    monthly_amount: Cents(40_000),
                },
                ResourceLine {
                    kind: ResourceKind::FamilySupport,
                    monthly_amount: Cents(21_550),
                },
            ],
            explanation: None,
            housed_free_of_charge: Some(false),
        };
        assert_eq!(r.total(), Cents(61_550));
        assert!(r.meets(Cents::euros(615)));
        assert!(!r.meets(Cents::euros(616)));
        assert!(r.check(true).is_empty());
    }

    #[test]
    fn lines_are_checked() {
        let r = Resources {
            lines: vec![ResourceLine {
                kind: ResourceKind::Salary,
                monthly_amount: Cents(0),
            }],
            ..Default::default()
        };
        let codes: Vec<_> = r.check(true).0.into_iter().map(|e| (e.field, e.code)).collect();
        assert!(codes.contains(&("lines[0].monthly_amount".into(), FieldCode::MustBePositive)));
        assert!(codes.contains(&("housed_free_of_charge".into(), FieldCode::Required)));
    }
}
