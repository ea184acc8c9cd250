//! Dates as people in France read them: in Paris time, spelled out in French
//! or English ("28 novembre 2026 à 14 h 05", "28 November 2026 at 14:05").

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, Timelike, Utc};

use crate::domain::account::Language;

/// No-break space: keeps "28 novembre 2026" and "14 h 05" on one line.
const NBSP: char = '\u{a0}';

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The offset of Europe/Paris at `at`: UTC+1, and UTC+2 (summer time) from
/// the last Sunday of March to the last Sunday of October, both switches at
/// 01:00 UTC (the EU rule in force since 1996; a hand rule rather than the
/// whole tz database, for a single zone).
pub fn paris_offset(at: DateTime<Utc>) -> FixedOffset {
    let year = at.year();
    let switch = |month| last_sunday(year, month).and_time(NaiveTime::MIN).and_utc() + Duration::hours(1);
    let summer = at >= switch(3) && at < switch(10);
    FixedOffset::east_opt(if summer { 2 * 3600 } else { 3600 }).expect("a valid offset")
}

/// `at` as a clock in Paris shows it.
pub fn to_paris(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&paris_offset(at))
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .expect("a valid month");
    let last = first_of_next.pred_opt().expect("not the first day of all time");
    let back = last.weekday().num_days_from_sunday();
    last - Duration::days(i64::from(back))
}

/// "1er mars 1998", "28 novembre 2026" / "1 March 1998", "28 November 2026".
pub fn format_date(date: NaiveDate, language: Language) -> String {
    let month = date.month0() as usize;
    match language {
        Language::Fr => {
            let day = if date.day() == 1 {
                "1er".to_string()
            } else {
                date.day().to_string()
            };
            format!("{day}{NBSP}{}{NBSP}{}", MONTHS_FR[month], date.year())
        }
        Language::En => format!("{}{NBSP}{}{NBSP}{}", date.day(), MONTHS_EN[month], date.year()),
    }
}

/// "28 novembre 2026 à 14 h 05" / "28 November 2026 at 14:05", in Paris time.
pub fn format_date_time(at: DateTime<Utc>, language: Language) -> String {
    let local = to_paris(at);
    let date = format_date(local.date_naive(), language);
    match language {
        Language::Fr => format!("{date} à {}{NBSP}h{NBSP}{:02}", local.hour(), local.minute()),
        Language::En => format!("{date} at {:02}:{:02}", local.hour(), local.minute()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn plain(s: String) -> String {
        s.replace(NBSP, " ")
    }

    #[test]
    fn summer_time_starts_on_the_last_sunday_of_march_at_one_utc() {
        // 2026: Sunday 29 March; 2027: Sunday 28 March.
        assert_eq!(last_sunday(2026, 3), NaiveDate::from_ymd_opt(2026, 3, 29).unwrap());
        assert_eq!(last_sunday(2027, 3), NaiveDate::from_ymd_opt(2027, 3, 28).unwrap());
        assert_eq!(paris_offset(utc(2026, 3, 29, 0, 59)).local_minus_utc(), 3600);
        assert_eq!(paris_offset(utc(2026, 3, 29, 1, 0)).local_minus_utc(), 7200);
        // 01:59 UTC is 02:59 winter time, which does not exist: clocks show 03:59.
        assert_eq!(
            plain(format_date_time(utc(2026, 3, 29, 0, 59), Language::En)),
            "29 March 2026 at 01:59"
        );
        assert_eq!(
            plain(format_date_time(utc(2026, 3, 29, 1, 0), Language::En)),
            "29 March 2026 at 03:00"
        );
    }

    #[test]
    fn summer_time_ends_on_the_last_sunday_of_october_at_one_utc() {
        // 2026: Sunday 25 October; 2030: Sunday 27 October (the 31st is a Thursday).
        assert_eq!(last_sunday(2026, 10), NaiveDate::from_ymd_opt(2026, 10, 25).unwrap());
        assert_eq!(last_sunday(2030, 10), NaiveDate::from_ymd_opt(2030, 10, 27).unwrap());
        assert_eq!(paris_offset(utc(2026, 10, 25, 0, 59)).local_minus_utc(), 7200);
        assert_eq!(paris_offset(utc(2026, 10, 25, 1, 0)).local_minus_utc(), 3600);
        // The hour from 02:00 to 03:00 is shown twice.
        assert_eq!(
            plain(format_date_time(utc(2026, 10, 25, 0, 30), Language::Fr)),
            "25 octobre 2026 à 2 h 30"
        );
        assert_eq!(
            plain(format_date_time(utc(2026, 10, 25, 1, 30), Language::Fr)),
            "25 octobre 2026 à 2 h 30"
        );
        assert_eq!(
            plain(format_date_time(utc(2026, 10, 25, 2, 30), Language::Fr)),
            "25 octobre 2026 à 3 h 30"
        );
    }

    #[test]
    fn winter_and_summer_dates_read_the_french_and_english_way() {
        assert_eq!(
            plain(format_date_time(utc(2026, 11, 28, 13, 5), Language::Fr)),
            "28 novembre 2026 à 14 h 05"
        );
        assert_eq!(
            plain(format_date_time(utc(2026, 11, 28, 13, 5), Language::En)),
            "28 November 2026 at 14:05"
        );
        assert_eq!(
            plain(format_date_time(utc(2026, 7, 14, 8, 0), Language::Fr)),
            "14 juillet 2026 à 10 h 00"
        );
        // Late on New Year's Eve in UTC is already the next year in Paris.
        assert_eq!(
            plain(format_date_time(utc(2026, 12, 31, 23, 30), Language::En)),
            "1 January 2027 at 00:30"
        );
        let first = NaiveDate::from_ymd_opt(1998, 3, 1).unwrap();
        assert_eq!(plain(format_date(first, Language::Fr)), "1er mars 1998");
        assert_eq!(plain(format_date(first, Language::En)), "1 March 1998");
        assert_eq!(
            plain(format_date(NaiveDate::from_ymd_opt(2001, 8, 15).unwrap(), Language::Fr)),
            "15 août 2001"
        );
    }
}
