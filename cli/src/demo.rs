//! Demonstration data of the embedded local mode: state records covering
//! every eligibility case, one activated applicant, one agent per préfecture.
//!
//! Dates are computed from today, so that each case (renewal window open,
//! too early, late, expired too long ago, recent and old arrivals, young
//! adult and minor…) stays demonstrable whatever the day. The records are
//! written again at every start (an upsert, so nothing is duplicated) to
//! keep their dates relative to the current day; accounts are created once.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use anyhow::Context;
use chrono::{Days, Months, NaiveDate};
use sejour::App;
use sejour::domain::account::Language;
use sejour::domain::civil_status::{CivilStatus, CountryCode, Sex};
use sejour::domain::password::NewPassword;
use sejour::domain::prefecture::PrefectureCode;
use sejour::domain::state_record::{DocumentNumber, DocumentType, ForeignerNumber, RecordKind, StateRecord};
use sejour::ports::EphotoCheck;
use sejour::service::{ServiceError, accounts, credentials};

pub const APPLICANT_EMAIL: &str = "awa.diallo@demo.sejour.localhost";
pub const APPLICANT_PASSWORD: &str = "Sejour-demo-2026";
pub const AGENT_PASSWORD: &str = "Prefecture-demo-2026";
pub const AGENT_DOMAIN: &str = "demo.sejour.localhost";
/// The applicant's own record (not offered for activation: it is taken).
const APPLICANT_RECORD: &str = "DEMO0APPLICANT";

/// Written in the data folder once the accounts exist.
const MARKER: &str = "demo-loaded";

pub fn agent_email(prefecture: &PrefectureCode) -> String {
    format!("agent.{}@{AGENT_DOMAIN}", prefecture.as_str().to_ascii_lowercase())
}

/// One demonstration record and the case it shows.
pub struct DemoRecord {
    /// What this record demonstrates, in English and in French.
    pub case_en: &'static str,
    pub case_fr: &'static str,
    /// Offered for account activation (covered types only; the others
    /// show the "not covered" answers).
    pub for_activation: bool,
    pub record: StateRecord,
}

fn marker(data_dir: &Path) -> PathBuf {
    data_dir.join(MARKER)
}

/// Whether the demo accounts were created in this data folder.
pub fn is_loaded(data_dir: &Path) -> bool {
    marker(data_dir).exists()
}

/// Write (or refresh) the demo records; create the demo accounts on first use.
pub async fn load(app: &App, data_dir: &Path) -> anyhow::Result<Vec<DemoRecord>> {
    let today = app.ports.clock.now().date_naive();
    let demo = records(today);
    let mut all: Vec<StateRecord> = demo.iter().map(|d| d.record.clone()).collect();
    all.push(applicant_record(today));
    app.ports
        .records
        .put_many(&all)
        .await
        .context("writing the demo state records")?;
    if !is_loaded(data_dir) {
        create_accounts(app, today).await?;
        std::fs::write(marker(data_dir), format!("demo data loaded on {today}\n"))
            .context("writing the demo marker file")?;
    }
    Ok(demo)
}

async fn create_accounts(app: &App, today: NaiveDate) -> anyhow::Result<()> {
    let applicant = applicant_record(today);
    match accounts::seed_applicant(app, &applicant.key(), APPLICANT_EMAIL, APPLICANT_PASSWORD, Language::Fr).await {
        Ok(_) | Err(ServiceError::Conflict(_)) => {}
        Err(e) => return Err(service_error(e)).context("creating the demo applicant"),
    }
    // One hash for every agent: hashing is the slow, memory-hungry part
    // (19 MiB each), and the demo agents share their password.
    let password =
        NewPassword::parse(AGENT_PASSWORD, None).map_err(|code| anyhow::anyhow!("demo agent password: {code}"))?;
    let password_hash = credentials::hash(password).await.map_err(service_error)?;
    for prefecture in PrefectureCode::all() {
        let name = format!(
            "Agent de démonstration, préfecture {} ({})",
            prefecture.seat(),
            prefecture.as_str()
        );
        let email = agent_email(&prefecture);
        match accounts::create_agent_hashed(app, prefecture.clone(), &email, &password_hash, &name).await {
            // Already there from an interrupted earlier start.
            Ok(_) | Err(ServiceError::Conflict(_)) => {}
            Err(e) => {
                return Err(service_error(e))
                    .with_context(|| format!("creating the demo agent of {}", prefecture.as_str()));
            }
        }
    }
    Ok(())
}

/// The shipped demo e-photo codes: one valid and one expired, to try both
/// answers of step 4 (documents). Read from the shipped list once.
pub fn ephoto_codes() -> &'static (String, String) {
    static CODES: LazyLock<(String, String)> = LazyLock::new(|| {
        let ephoto = sejour::adapters::ephoto::DemoEphoto::shipped();
        let first = |status| {
            ephoto
                .codes(status)
                .first()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default()
        };
        (first(EphotoCheck::Valid), first(EphotoCheck::Expired))
    });
    &CODES
}

/// A readable error from the use cases (field errors with their codes).
pub fn service_error(e: ServiceError) -> anyhow::Error {
    match e {
        ServiceError::Invalid(invalid) => anyhow::anyhow!(
            "invalid: {}",
            invalid
                .0
                .iter()
                .map(|f| format!("{}: {}", f.field, f.code))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ServiceError::Internal(e) => e,
        other => anyhow::anyhow!("{other}"),
    }
}

fn applicant_record(today: NaiveDate) -> StateRecord {
    permit(
        APPLICANT_RECORD,
        DocumentType::PermitStudent,
        today + Days::new(100),
        Some("7500000001"),
        person("Diallo", "Awa", Sex::F, "2002-04-05", "Dakar", "SEN"),
    )
}

/// The demonstration records, relative to `today`.
pub fn records(today: NaiveDate) -> Vec<DemoRecord> {
    let years_ago = |years: u32, days: u64| (today - Months::new(12 * years)) - Days::new(days);
    let adult = years_ago(18, 20);
    let minor = years_ago(17, 0) - Months::new(6);
    vec![
        DemoRecord {
            case_en: "student permit, renewal window open (expires in 90 days)",
            case_fr: "titre étudiant, renouvellement ouvert (expire dans 90 jours)",
            for_activation: true,
            record: permit(
                "DEMOP00RENEW",
                DocumentType::PermitStudent,
                today + Days::new(90),
                Some("7500000002"),
                person("Nguyen", "Minh Anh", Sex::F, "2001-09-12", "Hanoï", "VNM"),
            ),
        },
        DemoRecord {
            case_en: "student permit, too early to renew (expires in 200 days)",
            case_fr: "titre étudiant, trop tôt pour renouveler (expire dans 200 jours)",
            for_activation: true,
            record: permit(
                "DEMOP00EARLY",
                DocumentType::PermitStudent,
                today + Days::new(200),
                Some("7500000003"),
                person("Silva", "João Pedro", Sex::M, "2000-01-30", "Recife", "BRA"),
            ),
        },
        DemoRecord {
            case_en: "student permit, late renewal with the 180 € fee (expires in 30 days)",
            case_fr: "titre étudiant, renouvellement tardif avec la taxe de 180 € (expire dans 30 jours)",
            for_activation: true,
            record: permit(
                "DEMOP00LATE",
                DocumentType::PermitStudent,
                today + Days::new(30),
                Some("7500000004"),
                person("Benali", "Yasmine", Sex::F, "1999-11-02", "Oran", "DZA"),
            ),
        },
        DemoRecord {
            case_en: "permit for another reason, expired 2 months ago (late, still accepted)",
            case_fr: "titre pour un autre motif, expiré il y a 2 mois (tardif, encore accepté)",
            for_activation: true,
            record: permit(
                "DEMOP00EXPIRED",
                DocumentType::PermitOther,
                today - Months::new(2),
                Some("7500000005"),
                person("Okafor", "Chidi", Sex::M, "1998-03-14", "Lagos", "NGA"),
            ),
        },
        DemoRecord {
            case_en: "student permit expired more than 6 months ago (not covered: préfecture)",
            case_fr: "titre étudiant expiré depuis plus de 6 mois (hors téléprocédure : préfecture)",
            for_activation: true,
            record: permit(
                "DEMOP00TOOLATE",
                DocumentType::PermitStudent,
                today - Months::new(7),
                Some("7500000006"),
                person("Kowalski", "Anna", Sex::F, "1997-07-21", "Kraków", "POL"),
            ),
        },
        DemoRecord {
            case_en: "EU long-term resident card (not covered: préfecture)",
            case_fr: "carte de résident longue durée UE (hors téléprocédure : préfecture)",
            for_activation: false,
            record: permit(
                "DEMOP00RLDUE",
                DocumentType::EuLongTerm,
                today + Days::new(400),
                Some("7500000007"),
                person("Haddad", "Karim", Sex::M, "1985-05-05", "Beyrouth", "LBN"),
            ),
        },
        DemoRecord {
            case_en: "VLS-TS student, arrived 20 days ago (first application on time)",
            case_fr: "VLS-TS étudiant, arrivé il y a 20 jours (première demande dans les délais)",
            for_activation: true,
            record: visa(
                "DEMOV00RECENT",
                DocumentType::VlsTsStudent,
                today - Days::new(20),
                person("Wang", "Li", Sex::F, "2004-02-18", "Chengdu", "CHN"),
            ),
        },
        DemoRecord {
            case_en: "VLS-TS student mobility, arrived 3 months ago (late: more than 2 months)",
            case_fr: "VLS-TS étudiant mobilité, arrivé il y a 3 mois (tardif : plus de 2 mois)",
            for_activation: true,
            record: visa(
                "DEMOV00OLD",
                DocumentType::VlsTsStudentMobility,
                today - Months::new(3),
                person("Müller", "Jonas", Sex::M, "2003-06-09", "Zürich", "CHE"),
            ),
        },
        DemoRecord {
            case_en: "VLS student, Algerian national, arrived 10 days ago",
            case_fr: "VLS étudiant, ressortissant algérien, arrivé il y a 10 jours",
            for_activation: true,
            record: visa(
                "DEMOV00ALGERIA",
                DocumentType::VlsStudentAlgeria,
                today - Days::new(10),
                person("Meziane", "Sofiane", Sex::M, "2003-10-25", "Alger", "DZA"),
            ),
        },
        DemoRecord {
            case_en: "VLS student mobility, arrived 15 days ago",
            case_fr: "VLS étudiant mobilité, arrivé il y a 15 jours",
            for_activation: true,
            record: visa(
                "DEMOV00MOBILITY",
                DocumentType::VlsStudentMobility,
                today - Days::new(15),
                person("García", "Lucía", Sex::F, "2002-12-01", "Sevilla", "ESP"),
            ),
        },
        DemoRecord {
            case_en: "VLS-T minor schooled, turned 18 twenty days ago (covered)",
            case_fr: "VLS-T mineur scolarisé, majeur depuis 20 jours (couvert)",
            for_activation: true,
            record: visa(
                "DEMOV00ADULT",
                DocumentType::VlsTMinorSchooled,
                today - Months::new(8),
                person("Traoré", "Moussa", Sex::M, &adult.to_string(), "Bamako", "MLI"),
            ),
        },
        DemoRecord {
            case_en: "VLS-T minor schooled, not yet 18 (not covered yet)",
            case_fr: "VLS-T mineur scolarisé, pas encore 18 ans (pas encore couvert)",
            for_activation: true,
            record: visa(
                "DEMOV00MINOR",
                DocumentType::VlsTMinorSchooled,
                today - Months::new(8),
                person("Rakoto", "Fanja", Sex::F, &minor.to_string(), "Antananarivo", "MDG"),
            ),
        },
        DemoRecord {
            case_en: "short-stay visa \"concours\" (not covered: préfecture)",
            case_fr: "visa court séjour « concours » (hors téléprocédure : préfecture)",
            for_activation: false,
            record: visa(
                "DEMOV00CONCOURS",
                DocumentType::VisaConcours,
                today - Days::new(5),
                person("Tanaka", "Haruto", Sex::M, "2001-08-08", "Osaka", "JPN"),
            ),
        },
    ]
}

fn person(
    surname: &str,
    given_names: &str,
    sex: Sex,
    birth_date: &str,
    birth_place: &str,
    country: &str,
) -> CivilStatus {
    let country = CountryCode::parse(country).expect("demo country codes are valid");
    CivilStatus {
        surname: surname.to_string(),
        given_names: given_names.to_string(),
        sex,
        birth_date: birth_date.parse().expect("demo birth dates are valid"),
        birth_place: birth_place.to_string(),
        birth_country: country.clone(),
        nationality: country,
    }
}

/// A permit valid for one year until `valid_until`.
fn permit(
    number: &str,
    document_type: DocumentType,
    valid_until: NaiveDate,
    foreigner_number: Option<&str>,
    civil_status: CivilStatus,
) -> StateRecord {
    StateRecord {
        kind: RecordKind::Permit,
        number: DocumentNumber::parse(number).expect("demo numbers are valid"),
        document_type,
        valid_from: valid_until - Months::new(12) + Days::new(1),
        valid_until,
        foreigner_number: foreigner_number
            .map(|n| ForeignerNumber::parse(n).expect("demo foreigner numbers are valid")),
        civil_status,
    }
}

/// A one-year visa starting on the day of arrival.
fn visa(number: &str, document_type: DocumentType, arrival: NaiveDate, civil_status: CivilStatus) -> StateRecord {
    StateRecord {
        kind: RecordKind::Visa,
        number: DocumentNumber::parse(number).expect("demo numbers are valid"),
        document_type,
        valid_from: arrival,
        valid_until: arrival + Months::new(12) - Days::new(1),
        foreigner_number: None,
        civil_status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sejour::domain::eligibility::{Eligibility, Filing, NotCoveredReason, Situation, assess};

    fn outcome(r: &StateRecord, today: NaiveDate) -> Eligibility {
        let situation = Situation {
            document_type: Some(r.document_type),
            valid_until: Some(r.valid_until),
            arrival_date: (r.kind == RecordKind::Visa).then_some(r.valid_from),
            birth_date: Some(r.civil_status.birth_date),
        };
        assess(&situation, today).unwrap()
    }

    /// Every case the demo promises holds on any day of the year (leap days included).
    #[test]
    fn every_case_is_demonstrable_whatever_the_day() {
        let mut today: NaiveDate = "2027-01-01".parse().unwrap();
        while today < "2029-01-01".parse().unwrap() {
            let all = records(today);
            let by_number = |n: &str| &all.iter().find(|d| d.record.number.as_str() == n).unwrap().record;
            let check = |n: &str| outcome(by_number(n), today);
            assert!(
                matches!(
                    check("DEMOP00RENEW"),
                    Eligibility::Covered {
                        filing: Filing::OnTime { .. },
                        ..
                    }
                ),
                "{today}"
            );
            assert!(matches!(
                check("DEMOP00EARLY"),
                Eligibility::Covered {
                    filing: Filing::NotYetOpen { .. },
                    ..
                }
            ));
            assert!(matches!(
                check("DEMOP00LATE"),
                Eligibility::Covered {
                    filing: Filing::Late { .. },
                    ..
                }
            ));
            assert!(matches!(
                check("DEMOP00EXPIRED"),
                Eligibility::Covered {
                    filing: Filing::Late { .. },
                    ..
                }
            ));
            assert_eq!(
                check("DEMOP00TOOLATE"),
                Eligibility::NotCovered {
                    reason: NotCoveredReason::ExpiredTooLongAgo
                }
            );
            assert_eq!(
                check("DEMOP00RLDUE"),
                Eligibility::NotCovered {
                    reason: NotCoveredReason::EuLongTermResident
                }
            );
            assert!(matches!(
                check("DEMOV00RECENT"),
                Eligibility::Covered {
                    filing: Filing::OnTime { .. },
                    ..
                }
            ));
            assert!(matches!(
                check("DEMOV00OLD"),
                Eligibility::Covered {
                    filing: Filing::Late { .. },
                    ..
                }
            ));
            assert!(matches!(
                check("DEMOV00ALGERIA"),
                Eligibility::Covered {
                    filing: Filing::OnTime { .. },
                    ..
                }
            ));
            assert!(matches!(
                check("DEMOV00MOBILITY"),
                Eligibility::Covered {
                    filing: Filing::OnTime { .. },
                    ..
                }
            ));
            assert!(
                matches!(
                    check("DEMOV00ADULT"),
                    Eligibility::Covered {
                        filing: Filing::OnTime { .. },
                        ..
                    }
                ),
                "{today}"
            );
            assert_eq!(
                check("DEMOV00MINOR"),
                Eligibility::NotCovered {
                    reason: NotCoveredReason::NotYetAdult
                }
            );
            assert_eq!(
                check("DEMOV00CONCOURS"),
                Eligibility::NotCovered {
                    reason: NotCoveredReason::ShortStayVisaConcours
                }
            );
            assert!(matches!(
                outcome(&applicant_record(today), today),
                Eligibility::Covered {
                    filing: Filing::OnTime { .. },
                    ..
                }
            ));
            // One record per document type.
            for t in DocumentType::ALL {
                assert!(all.iter().any(|d| d.record.document_type == t), "{t:?}");
            }
            today = today.succ_opt().unwrap();
        }
    }

    #[test]
    fn agent_logins_follow_the_pattern() {
        let corsica = PrefectureCode::parse("2A").unwrap();
        assert_eq!(agent_email(&corsica), "agent.2a@demo.sejour.localhost");
    }
}
