//! The certificate that the review goes on (B2, "attestation de
//! prolongation d'instruction"): when the current permit of an applicant
//! who filed their renewal on time ends while the préfecture has not
//! decided, the service issues a certificate valid 3 months, and renews it
//! before it lapses, until the decision.

use chrono::{DateTime, Months, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::state_record::{DocumentType, RecordKind};

/// How long one certificate is valid.
pub const EXTENSION_MONTHS: u32 = 3;
/// How many days before a certificate's end the next one is issued.
pub const RENEW_DAYS_BEFORE: u64 = 15;

/// The visa or permit the applicant holds at submission, as the state
/// record gave it: what the receipt says the filing was made under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CurrentTitle {
    pub kind: RecordKind,
    pub document_type: DocumentType,
    /// The last day it is valid.
    pub valid_until: NaiveDate,
}

/// The period a certificate covers, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExtensionPeriod {
    pub from: NaiveDate,
    pub until: NaiveDate,
}

impl ExtensionPeriod {
    /// The period of the certificate issued on `today` after the permit
    /// ending on `permit_until`, or renewing the one ending on `current`.
    pub fn issued_on(today: NaiveDate, permit_until: NaiveDate, current: Option<NaiveDate>) -> ExtensionPeriod {
        let start = current.unwrap_or(permit_until).succ_opt().unwrap_or(today);
        let until = start
            .checked_add_months(Months::new(EXTENSION_MONTHS))
            .and_then(|d| d.pred_opt())
            .unwrap_or(start);
        ExtensionPeriod {
            from: today.min(start),
            until,
        }
    }
}

/// When the next certificate is due: from the first day without a valid
/// permit, or `RENEW_DAYS_BEFORE` days before the current certificate ends.
pub fn next_extension_at(permit_until: NaiveDate, extended_until: Option<NaiveDate>) -> DateTime<Utc> {
    let day = match extended_until {
        None => permit_until.succ_opt().unwrap_or(permit_until),
        Some(until) => until
            .checked_sub_days(chrono::Days::new(RENEW_DAYS_BEFORE))
            .unwrap_or(until),
    };
    day.and_time(NaiveTime::MIN).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn certificates_follow_each_other_without_a_gap() {
        // The permit ends on 31 January: the first certificate, issued on
        // 1 February, covers 1 February to 30 April.
        let first = ExtensionPeriod::issued_on(day("2027-02-01"), day("2027-01-31"), None);
        assert_eq!((first.from, first.until), (day("2027-02-01"), day("2027-04-30")));
        assert_eq!(
            next_extension_at(day("2027-01-31"), None),
            day("2027-02-01").and_time(NaiveTime::MIN).and_utc()
        );
        // Renewed 15 days before its end, from the next day on.
        let due = next_extension_at(day("2027-01-31"), Some(first.until));
        assert_eq!(due.date_naive(), day("2027-04-15"));
        let second = ExtensionPeriod::issued_on(due.date_naive(), day("2027-01-31"), Some(first.until));
        assert_eq!((second.from, second.until), (day("2027-04-15"), day("2027-07-31")));
    }
}
