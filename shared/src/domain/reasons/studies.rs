//! Studies (stage 1): the step-2 form (F9) with the lists of the original
//! description, exactly.

use serde::{Deserialize, Serialize};

use crate::domain::application::documents::{DocumentKind, common_required};
use crate::domain::closed_list;
use crate::domain::eligibility::Procedure;
use crate::domain::validation::{FieldCode, Invalid, text};

/// Minimum monthly resources for a student, in euros, unless configured otherwise.
pub const DEFAULT_MINIMUM_MONTHLY_RESOURCES_EUR: u64 = 615;

/// The supporting documents a student's application needs.
pub fn required_documents(procedure: Procedure, housed_free_of_charge: bool) -> Vec<DocumentKind> {
    let mut kinds = common_required(housed_free_of_charge);
    kinds.extend([DocumentKind::EnrolmentCertificate, DocumentKind::ProofOfResources]);
    if procedure == Procedure::Renewal {
        kinds.push(DocumentKind::Transcripts);
    }
    kinds
}

closed_list!(
    /// Type d'établissement.
    InstitutionType {
        University = "university",
        EngineeringSchool = "engineering_school",
        BusinessSchool = "business_school",
        HighSchoolBtsOrArtCrafts = "high_school_bts_art_crafts",
        Iut = "iut",
        PreparatoryClass = "preparatory_class",
        FineArtsSchool = "fine_arts_school",
        ArchitectureSchool = "architecture_school",
        Other = "other",
    }
);

closed_list!(
    /// Cycle d'études.
    StudyCycle {
        Licence = "licence",
        Master = "master",
        Doctorate = "doctorate",
        Bts = "bts",
        Dut = "dut",
        Other = "other",
    }
);

closed_list!(
    /// Niveau d'études.
    StudyLevel {
        L1 = "l1",
        L2 = "l2",
        L3 = "l3",
        M1 = "m1",
        M2 = "m2",
        Doctorate1 = "doctorate_1",
        Doctorate2 = "doctorate_2",
        Doctorate3 = "doctorate_3",
        Bts1 = "bts_1",
        Bts2 = "bts_2",
        Other = "other",
    }
);

closed_list!(
    /// Discipline, as listed in the original description.
    Discipline {
        AgricultureFood = "agriculture_food",
        ArchitecturePlanning = "architecture_planning",
        ArtsCultureDesignFashion = "arts_culture_design_fashion",
        Biology = "biology",
        Chemistry = "chemistry",
        CommunicationMediaJournalism = "communication_media_journalism",
        Law = "law",
        EnvironmentEarthSciences = "environment_earth_sciences",
        ComputerScience = "computer_science",
        LanguagesLiterature = "languages_literature",
        ManagementFinanceCommerce = "management_finance_commerce",
        Mathematics = "mathematics",
        Physics = "physics",
        HealthSocialProfessions = "health_social_professions",
        EducationSciences = "education_sciences",
        Engineering = "engineering",
        EconomicsPolitics = "economics_politics",
        HumanitiesSocialSciences = "humanities_social_sciences",
        Sports = "sports",
    }
);

/// An academic year such as "2026-2027": two consecutive years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "2026-2027")]
pub struct AcademicYear(u16);

impl AcademicYear {
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        let value = value.trim();
        if value.is_empty() {
            return Err(FieldCode::Required);
        }
        let (start, end) = value.split_once(['-', '/']).ok_or(FieldCode::InvalidAcademicYear)?;
        let start: u16 = start.trim().parse().map_err(|_| FieldCode::InvalidAcademicYear)?;
        let end: u16 = end.trim().parse().map_err(|_| FieldCode::InvalidAcademicYear)?;
        if (2000..2100).contains(&start) && end == start + 1 {
            Ok(AcademicYear(start))
        } else {
            Err(FieldCode::InvalidAcademicYear)
        }
    }
}

impl TryFrom<String> for AcademicYear {
    type Error = FieldCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        AcademicYear::parse(&value)
    }
}

impl From<AcademicYear> for String {
    fn from(y: AcademicYear) -> String {
        format!("{}-{}", y.0, y.0 + 1)
    }
}

/// Step 2 for a student, complete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Studies {
    pub institution_type: InstitutionType,
    pub cycle: StudyCycle,
    pub level: StudyLevel,
    pub discipline: Discipline,
    pub institution_name: String,
    pub academic_year: AcademicYear,
}

/// Step 2 as typed: every field may still be missing in a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StudiesInput {
    #[schema(value_type = Option<InstitutionType>)]
    pub institution_type: Option<String>,
    #[schema(value_type = Option<StudyCycle>)]
    pub cycle: Option<String>,
    #[schema(value_type = Option<StudyLevel>)]
    pub level: Option<String>,
    #[schema(value_type = Option<Discipline>)]
    pub discipline: Option<String>,
    pub institution_name: Option<String>,
    pub academic_year: Option<String>,
}

impl StudiesInput {
    /// Values present but wrong: refused when saving a draft.
    pub fn invalid(&self) -> Invalid {
        self.check(false)
    }

    /// Everything needed to submit: wrong or missing values.
    pub fn parse(&self) -> Result<Studies, Invalid> {
        let e = self.check(true);
        e.into_result()?;
        let get = |v: &Option<String>| v.as_deref().unwrap_or_default().to_string();
        Ok(Studies {
            institution_type: InstitutionType::parse(&get(&self.institution_type)).unwrap(),
            cycle: StudyCycle::parse(&get(&self.cycle)).unwrap(),
            level: StudyLevel::parse(&get(&self.level)).unwrap(),
            discipline: Discipline::parse(&get(&self.discipline)).unwrap(),
            institution_name: text(&get(&self.institution_name), 200).unwrap(),
            academic_year: AcademicYear::parse(&get(&self.academic_year)).unwrap(),
        })
    }

    fn check(&self, complete: bool) -> Invalid {
        let mut e = Invalid::default();
        let mut field = |name: &str, value: &Option<String>, parse: &dyn Fn(&str) -> Result<(), FieldCode>| match value
            .as_deref()
            .map(str::trim)
        {
            None | Some("") if !complete => {}
            None | Some("") => e.push(name, FieldCode::Required),
            Some(v) => {
                if let Err(code) = parse(v) {
                    e.push(name, code)
                }
            }
        };
        field("institution_type", &self.institution_type, &|v| {
            InstitutionType::parse(v).map(drop)
        });
        field("cycle", &self.cycle, &|v| StudyCycle::parse(v).map(drop));
        field("level", &self.level, &|v| StudyLevel::parse(v).map(drop));
        field("discipline", &self.discipline, &|v| Discipline::parse(v).map(drop));
        field("institution_name", &self.institution_name, &|v| text(v, 200).map(drop));
        field("academic_year", &self.academic_year, &|v| {
            AcademicYear::parse(v).map(drop)
        });
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_of_the_original_description() {
        assert_eq!(InstitutionType::ALL.len(), 9);
        assert_eq!(StudyCycle::ALL.len(), 6);
        assert_eq!(StudyLevel::ALL.len(), 11);
        assert_eq!(Discipline::ALL.len(), 19);
        assert_eq!(Discipline::parse("law"), Ok(Discipline::Law));
        assert_eq!(Discipline::parse("astrology"), Err(FieldCode::NotInList));
    }

    #[test]
    fn drafts_may_be_incomplete_submissions_may_not() {
        let input = StudiesInput {
            cycle: Some("master".into()),
            level: Some("m9".into()),
            ..Default::default()
        };
        assert_eq!(input.invalid().0.len(), 1, "only the wrong value counts in a draft");
        let missing = input.parse().unwrap_err().0;
        assert!(
            missing
                .iter()
                .any(|e| e.field == "institution_type" && e.code == FieldCode::Required)
        );
        assert!(
            missing
                .iter()
                .any(|e| e.field == "level" && e.code == FieldCode::NotInList)
        );
    }

    #[test]
    fn required_documents_depend_on_the_case() {
        let first = required_documents(Procedure::FirstApplication, false);
        assert!(first.contains(&DocumentKind::ProofOfAddress));
        assert!(!first.contains(&DocumentKind::Transcripts));
        let renewal_hosted = required_documents(Procedure::Renewal, true);
        assert!(renewal_hosted.contains(&DocumentKind::Transcripts));
        assert!(renewal_hosted.contains(&DocumentKind::HostCertificate));
        assert!(renewal_hosted.contains(&DocumentKind::HostId));
        assert!(!renewal_hosted.contains(&DocumentKind::ProofOfAddress));
    }

    #[test]
    fn academic_years_are_consecutive() {
        assert_eq!(String::from(AcademicYear::parse("2026/2027").unwrap()), "2026-2027");
        assert_eq!(AcademicYear::parse("2026-2028"), Err(FieldCode::InvalidAcademicYear));
    }
}
