//! Who may apply online, and when (F1).
//!
//! Rules as data: which document types are covered and by which procedure,
//! then the time windows: a renewal is filed between the 120th and the 60th
//! day before expiry, later filing (up to 6 months after expiry) is accepted
//! with the 180 € late fee; a first application after a visa is filed within
//! 2 months of arrival (or of turning 18 for a VLS-T "mineur scolarisé").

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::state_record::{DocumentType, RecordKind, StateRecord};

pub const RENEWAL_OPENS_DAYS_BEFORE: u64 = 120;
pub const RENEWAL_DUE_DAYS_BEFORE: u64 = 60;
pub const LATE_FILING_MONTHS: u32 = 6;
pub const FIRST_APPLICATION_MONTHS: u32 = 2;
pub const LATE_FEE_EUR: u32 = 180;
pub const ADULT_AGE: u32 = 18;

/// What the applicant holds, as declared on the eligibility form.
#[derive(Debug, Clone)]
pub struct Situation {
    /// `None`: neither a visa nor a residence permit.
    pub document_type: Option<DocumentType>,
    pub valid_until: Option<NaiveDate>,
    /// Date of arrival in France (visa holders).
    pub arrival_date: Option<NaiveDate>,
    pub birth_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    /// First residence permit after a long-stay visa.
    FirstApplication,
    /// Renewal of a residence permit.
    Renewal,
}

/// Where today falls in the filing window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Filing {
    /// Too early: filing opens on `opens_on`.
    NotYetOpen { opens_on: NaiveDate },
    /// On time; file before `due_by` (inclusive).
    OnTime { due_by: NaiveDate },
    /// Late but still accepted until `closes_on`; the late fee applies.
    Late { late_fee_eur: u32, closes_on: NaiveDate },
}

/// Why a case must go to the préfecture instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotCoveredReason {
    ShortStayVisaConcours,
    NoVisaNorPermit,
    EuLongTermResident,
    NotYetAdult,
    ExpiredTooLongAgo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Eligibility {
    Covered { procedure: Procedure, filing: Filing },
    NotCovered { reason: NotCoveredReason },
}

impl Situation {
    /// What a state record says of its holder: the document, its end of
    /// validity, the arrival (a long-stay visa starts on the day of arrival)
    /// and the birth date.
    pub fn of_record(record: &StateRecord) -> Situation {
        Situation {
            document_type: Some(record.document_type),
            valid_until: Some(record.valid_until),
            arrival_date: (record.kind == RecordKind::Visa).then_some(record.valid_from),
            birth_date: Some(record.civil_status.birth_date),
        }
    }
}

/// Why an application cannot be filed today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    NotCovered(NotCoveredReason),
    /// Too early: filing opens on this date.
    NotYetOpen {
        opens_on: NaiveDate,
    },
}

/// The terms of a filing that may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilingTerms {
    pub procedure: Procedure,
    /// The late fee, in euros, if filed late.
    pub late_fee_eur: Option<u32>,
}

/// Whether the holder of `record` may file on `today`: the same rules as
/// the public eligibility check (F1), applied at draft creation and again
/// at submission.
pub fn filing_terms(record: &StateRecord, today: NaiveDate) -> Result<FilingTerms, Refusal> {
    // A record always says what `assess` needs; a missing input is a
    // record the rules cannot place, sent to the préfecture.
    let assessed = assess(&Situation::of_record(record), today)
        .map_err(|_| Refusal::NotCovered(NotCoveredReason::NoVisaNorPermit))?;
    match assessed {
        Eligibility::NotCovered { reason } => Err(Refusal::NotCovered(reason)),
        Eligibility::Covered { procedure, filing } => match filing {
            Filing::NotYetOpen { opens_on } => Err(Refusal::NotYetOpen { opens_on }),
            Filing::OnTime { .. } => Ok(FilingTerms {
                procedure,
                late_fee_eur: None,
            }),
            Filing::Late { late_fee_eur, .. } => Ok(FilingTerms {
                procedure,
                late_fee_eur: Some(late_fee_eur),
            }),
        },
    }
}

impl NotCoveredReason {
    /// The stable code, as the eligibility answer spells it.
    pub fn code(self) -> &'static str {
        match self {
            NotCoveredReason::ShortStayVisaConcours => "short_stay_visa_concours",
            NotCoveredReason::NoVisaNorPermit => "no_visa_nor_permit",
            NotCoveredReason::EuLongTermResident => "eu_long_term_resident",
            NotCoveredReason::NotYetAdult => "not_yet_adult",
            NotCoveredReason::ExpiredTooLongAgo => "expired_too_long_ago",
        }
    }
}

/// A required input was missing for this document type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Missing(pub &'static str);

/// The covered document types and their procedure; everything else is not covered.
pub fn procedure(document_type: DocumentType) -> Result<Procedure, NotCoveredReason> {
    use DocumentType::*;
    match document_type {
        VlsTsStudent | VlsTsStudentMobility | VlsStudentAlgeria | VlsStudentMobility | VlsTMinorSchooled => {
            Ok(Procedure::FirstApplication)
        }
        PermitStudent | PermitOther => Ok(Procedure::Renewal),
        VisaConcours => Err(NotCoveredReason::ShortStayVisaConcours),
        EuLongTerm => Err(NotCoveredReason::EuLongTermResident),
    }
}

/// Decide eligibility on `today`.
pub fn assess(situation: &Situation, today: NaiveDate) -> Result<Eligibility, Missing> {
    let Some(document_type) = situation.document_type else {
        return Ok(Eligibility::NotCovered {
            reason: NotCoveredReason::NoVisaNorPermit,
        });
    };
    let procedure = match procedure(document_type) {
        Ok(p) => p,
        Err(reason) => return Ok(Eligibility::NotCovered { reason }),
    };
    let valid_until = situation.valid_until.ok_or(Missing("valid_until"))?;
    let late_until = valid_until + Months::new(LATE_FILING_MONTHS);
    let filing = match procedure {
        Procedure::Renewal => {
            let opens_on = valid_until - Days::new(RENEWAL_OPENS_DAYS_BEFORE);
            let due_by = valid_until - Days::new(RENEWAL_DUE_DAYS_BEFORE);
            window(today, opens_on, due_by, late_until)
        }
        Procedure::FirstApplication => {
            let start = if document_type == DocumentType::VlsTMinorSchooled {
                let birth_date = situation.birth_date.ok_or(Missing("birth_date"))?;
                let adult_on = birth_date + Months::new(12 * ADULT_AGE);
                if today < adult_on {
                    return Ok(Eligibility::NotCovered {
                        reason: NotCoveredReason::NotYetAdult,
                    });
                }
                let arrival = situation.arrival_date.unwrap_or(adult_on);
                arrival.max(adult_on)
            } else {
                situation.arrival_date.ok_or(Missing("arrival_date"))?
            };
            let due_by = start + Months::new(FIRST_APPLICATION_MONTHS);
            window(today, start, due_by, late_until.max(due_by))
        }
    };
    Ok(match filing {
        Some(filing) => Eligibility::Covered { procedure, filing },
        None => Eligibility::NotCovered {
            reason: NotCoveredReason::ExpiredTooLongAgo,
        },
    })
}

fn window(today: NaiveDate, opens_on: NaiveDate, due_by: NaiveDate, closes_on: NaiveDate) -> Option<Filing> {
    if today < opens_on {
        Some(Filing::NotYetOpen { opens_on })
    } else if today <= due_by {
        Some(Filing::OnTime { due_by })
    } else if today <= closes_on {
        Some(Filing::Late {
            late_fee_eur: LATE_FEE_EUR,
            closes_on,
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn permit(until: &str) -> Situation {
        Situation {
            document_type: Some(DocumentType::PermitStudent),
            valid_until: Some(d(until)),
            arrival_date: None,
            birth_date: None,
        }
    }

    #[test]
    fn renewal_window_edges() {
        let s = permit("2027-01-31");
        // 121 days before: not yet; 120 days before: open.
        assert_eq!(
            assess(&s, d("2026-10-02")),
            Ok(Eligibility::Covered {
                procedure: Procedure::Renewal,
                filing: Filing::NotYetOpen {
                    opens_on: d("2026-10-03")
                }
            })
        );
        assert!(matches!(
            assess(&s, d("2026-10-03")),
            Ok(Eligibility::Covered {
                filing: Filing::OnTime { .. },
                ..
            })
        ));
        // 60 days before: still on time; 59: late with the fee.
        assert!(matches!(
            assess(&s, d("2026-12-02")),
            Ok(Eligibility::Covered {
                filing: Filing::OnTime { .. },
                ..
            })
        ));
        assert!(matches!(
            assess(&s, d("2026-12-03")),
            Ok(Eligibility::Covered {
                filing: Filing::Late { late_fee_eur: 180, .. },
                ..
            })
        ));
        // Six months after expiry: last day; the day after: préfecture.
        assert!(matches!(
            assess(&s, d("2027-07-31")),
            Ok(Eligibility::Covered {
                filing: Filing::Late { .. },
                ..
            })
        ));
        assert_eq!(
            assess(&s, d("2027-08-01")),
            Ok(Eligibility::NotCovered {
                reason: NotCoveredReason::ExpiredTooLongAgo
            })
        );
    }

    #[test]
    fn not_covered_cases() {
        let none = Situation {
            document_type: None,
            valid_until: None,
            arrival_date: None,
            birth_date: None,
        };
        assert_eq!(
            assess(&none, d("2026-01-01")),
            Ok(Eligibility::NotCovered {
                reason: NotCoveredReason::NoVisaNorPermit
            })
        );
        for (t, reason) in [
            (DocumentType::VisaConcours, NotCoveredReason::ShortStayVisaConcours),
            (DocumentType::EuLongTerm, NotCoveredReason::EuLongTermResident),
        ] {
            let s = Situation {
                document_type: Some(t),
                ..permit("2027-01-01")
            };
            assert_eq!(assess(&s, d("2026-01-01")), Ok(Eligibility::NotCovered { reason }));
        }
    }

    #[test]
    fn first_application_within_two_months_of_arrival() {
        let s = Situation {
            document_type: Some(DocumentType::VlsTsStudent),
            valid_until: Some(d("2027-09-01")),
            arrival_date: Some(d("2026-09-10")),
            birth_date: None,
        };
        assert!(matches!(
            assess(&s, d("2026-11-10")),
            Ok(Eligibility::Covered {
                procedure: Procedure::FirstApplication,
                filing: Filing::OnTime { .. }
            })
        ));
        assert!(matches!(
            assess(&s, d("2026-11-11")),
            Ok(Eligibility::Covered {
                filing: Filing::Late { .. },
                ..
            })
        ));
        let no_arrival = Situation {
            arrival_date: None,
            ..s
        };
        assert_eq!(assess(&no_arrival, d("2026-11-10")), Err(Missing("arrival_date")));
    }

    #[test]
    fn young_adult_must_be_eighteen() {
        let s = Situation {
            document_type: Some(DocumentType::VlsTMinorSchooled),
            valid_until: Some(d("2027-06-30")),
            arrival_date: Some(d("2025-09-01")),
            birth_date: Some(d("2008-12-01")),
        };
        assert_eq!(
            assess(&s, d("2026-11-30")),
            Ok(Eligibility::NotCovered {
                reason: NotCoveredReason::NotYetAdult
            })
        );
        assert!(matches!(
            assess(&s, d("2026-12-01")),
            Ok(Eligibility::Covered {
                filing: Filing::OnTime { .. },
                ..
            })
        ));
        assert!(matches!(
            assess(&s, d("2027-02-02")),
            Ok(Eligibility::Covered {
                filing: Filing::Late { .. },
                ..
            })
        ));
    }

    #[test]
    fn reason_codes_are_those_of_the_eligibility_answer() {
        use NotCoveredReason::*;
        for reason in [
            ShortStayVisaConcours,
            NoVisaNorPermit,
            EuLongTermResident,
            NotYetAdult,
            ExpiredTooLongAgo,
        ] {
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.code());
        }
    }

    #[test]
    fn filing_terms_follow_the_record() {
        use crate::domain::civil_status::{CivilStatus, CountryCode, Sex};
        use crate::domain::state_record::DocumentNumber;
        let record = |kind, document_type, valid_from: &str, valid_until: &str, born: &str| StateRecord {
            kind,
            number: DocumentNumber::parse("AB1234567").unwrap(),
            document_type,
            valid_from: d(valid_from),
            valid_until: d(valid_until),
            foreigner_number: None,
            civil_status: CivilStatus {
                surname: "Diallo".into(),
                given_names: "Awa".into(),
                sex: Sex::F,
                birth_date: d(born),
                birth_place: "Dakar".into(),
                birth_country: CountryCode::parse("SEN").unwrap(),
                nationality: CountryCode::parse("SEN").unwrap(),
            },
        };
        let today = d("2026-12-01");
        let permit = |until| {
            record(
                RecordKind::Permit,
                DocumentType::PermitStudent,
                "2025-01-01",
                until,
                "2000-01-01",
            )
        };
        assert_eq!(
            filing_terms(&permit("2027-02-15"), today),
            Ok(FilingTerms {
                procedure: Procedure::Renewal,
                late_fee_eur: None
            })
        );
        assert_eq!(
            filing_terms(&permit("2027-05-01"), today),
            Err(Refusal::NotYetOpen {
                opens_on: d("2027-01-01")
            })
        );
        assert_eq!(
            filing_terms(&permit("2026-11-01"), today).unwrap().late_fee_eur,
            Some(180)
        );
        assert_eq!(
            filing_terms(&permit("2026-05-01"), today),
            Err(Refusal::NotCovered(NotCoveredReason::ExpiredTooLongAgo))
        );
        // A minor's visa: the holder is 17 and a half.
        let minor = record(
            RecordKind::Visa,
            DocumentType::VlsTMinorSchooled,
            "2026-10-01",
            "2027-09-30",
            "2009-06-01",
        );
        assert_eq!(
            filing_terms(&minor, today),
            Err(Refusal::NotCovered(NotCoveredReason::NotYetAdult))
        );
        // A visa's window opens on arrival, its first day of validity.
        let visa = record(
            RecordKind::Visa,
            DocumentType::VlsTsStudent,
            "2026-11-01",
            "2027-10-31",
            "2004-03-03",
        );
        assert!(filing_terms(&visa, today).is_ok());
    }
}
