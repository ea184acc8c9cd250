//! Every word printed on the generated PDFs, in French and English.

use crate::domain::account::Language;
use crate::domain::application::documents::DocumentKind;
use crate::domain::state_record::DocumentType;

/// Narrow no-break space, before ":" and inside « » in French.
pub(crate) const NNBSP: char = '\u{202f}';

/// The labels of the submission receipt.
pub(crate) struct ReceiptLabels {
    pub republic: &'static str,
    pub service: &'static str,
    pub title: &'static str,
    pub application: &'static str,
    pub reference: &'static str,
    pub prefecture: &'static str,
    pub submitted_at: &'static str,
    pub late_fee: &'static str,
    pub paris_time: &'static str,
    pub applicant: &'static str,
    pub name: &'static str,
    pub birth: &'static str,
    /// Between the birth date and the birth place.
    pub born_in: &'static str,
    pub nationality: &'static str,
    pub foreigner_number: &'static str,
    pub documents: &'static str,
    pub no_documents: &'static str,
    pub statement: &'static str,
    pub verification: &'static str,
    pub verification_code: &'static str,
    pub verification_help: &'static str,
    pub issued_electronically: &'static str,
    pub page: &'static str,
    /// "Page 1 of 2": between the page number and the number of pages.
    pub page_of: &'static str,
    /// Metadata title and subject.
    pub subject: &'static str,
    /// The favourable-decision certificate: its title, statement, date row and subject.
    pub decision_title: &'static str,
    pub decision_statement: &'static str,
    pub decided_at: &'static str,
    pub decision_subject: &'static str,
    /// What was asked for, and under which visa or permit.
    pub requested: &'static str,
    pub first_application: &'static str,
    pub renewal: &'static str,
    pub current_title: &'static str,
    pub valid_until: &'static str,
    /// The extension certificate (B2): title, statement, period and subject.
    pub extension_title: &'static str,
    pub extension_statement: &'static str,
    pub extension_period: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub extension_subject: &'static str,
}

impl ReceiptLabels {
    pub(crate) fn get(language: Language) -> &'static ReceiptLabels {
        match language {
            Language::Fr => &FR,
            Language::En => &EN,
        }
    }

    /// "Label :" in French (narrow no-break space before the colon), "Label:" in English.
    pub(crate) fn colon(&self, label: &str) -> String {
        if std::ptr::eq(self, &FR) {
            format!("{label}{NNBSP}:")
        } else {
            format!("{label}:")
        }
    }
}

static FR: ReceiptLabels = ReceiptLabels {
    republic: "RÉPUBLIQUE FRANÇAISE",
    service: "Séjour · démarches des étrangers en France",
    title: "Attestation de dépôt d’une demande de titre de séjour",
    application: "Demande",
    reference: "Référence de la demande",
    prefecture: "Préfecture compétente",
    submitted_at: "Date et heure de dépôt",
    late_fee: "Majoration (dépôt tardif)",
    paris_time: "heure de Paris",
    applicant: "Demandeur",
    name: "Prénoms et NOM",
    birth: "Date et lieu de naissance",
    born_in: "à",
    nationality: "Nationalité",
    foreigner_number: "Numéro étranger",
    documents: "Pièces justificatives déposées",
    no_documents: "Aucune pièce justificative.",
    statement: "La présente attestation prouve le dépôt de la demande. Elle ne vaut pas autorisation de séjour \
                et ne confère aucun droit au séjour.",
    verification: "Vérifier l’authenticité de ce document",
    verification_code: "Code de vérification",
    verification_help: "Scannez le QR code, ou saisissez le code de vérification à l’adresse\u{a0}:",
    issued_electronically: "Document établi électroniquement, sans signature manuscrite.",
    page: "Page",
    page_of: "sur",
    subject: "Attestation de dépôt",
    decision_title: "Attestation de décision favorable sur une demande de titre de séjour",
    decision_statement: "La préfecture a accordé le titre de séjour demandé. La carte sera remise en préfecture\u{a0}: \
                         le lieu, la date et le timbre fiscal à apporter vous seront indiqués. La présente \
                         attestation ne remplace pas la carte.",
    decided_at: "Décision favorable le",
    decision_subject: "Attestation de décision favorable",
    requested: "Objet de la demande",
    first_application: "Première demande de titre de séjour, motif\u{a0}: études",
    renewal: "Renouvellement du titre de séjour, motif\u{a0}: études",
    current_title: "Titre détenu au dépôt",
    valid_until: "valable jusqu’au",
    extension_title: "Attestation de prolongation d’instruction d’une demande de titre de séjour",
    extension_statement: "La demande de renouvellement, déposée à temps, est en cours d’instruction. Accompagnée du \
                          titre de séjour expiré, la présente attestation justifie de la régularité du séjour \
                          pendant la période indiquée. Elle est renouvelée jusqu’à la décision.",
    extension_period: "Séjour régulier",
    from: "du",
    to: "au",
    extension_subject: "Attestation de prolongation d’instruction",
};

static EN: ReceiptLabels = ReceiptLabels {
    republic: "FRENCH REPUBLIC",
    service: "Séjour · residence procedures for foreign nationals in France",
    title: "Receipt of an application for a residence permit",
    application: "Application",
    reference: "Application reference",
    prefecture: "Prefecture in charge",
    submitted_at: "Date and time of submission",
    late_fee: "Late filing surcharge",
    paris_time: "Paris time",
    applicant: "Applicant",
    name: "Given names and SURNAME",
    birth: "Date and place of birth",
    born_in: "in",
    nationality: "Nationality",
    foreigner_number: "Foreign national number",
    documents: "Supporting documents submitted",
    no_documents: "No supporting documents.",
    statement: "This receipt proves that the application was filed. It is not a residence permit and gives no \
                right of stay.",
    verification: "Check that this document is authentic",
    verification_code: "Verification code",
    verification_help: "Scan the QR code, or enter the verification code at:",
    issued_electronically: "Document issued electronically, without a handwritten signature.",
    page: "Page",
    page_of: "of",
    subject: "Submission receipt",
    decision_title: "Certificate of a favourable decision on an application for a residence permit",
    decision_statement: "The prefecture has granted the residence permit applied for. The card will be handed over \
                         at the prefecture: you will be told the place, the date and the tax stamp to bring. This \
                         certificate does not replace the card.",
    decided_at: "Favourable decision on",
    decision_subject: "Favourable decision",
    requested: "Applied for",
    first_application: "First residence permit, for studies",
    renewal: "Renewal of the residence permit, for studies",
    current_title: "Permit or visa held when filing",
    valid_until: "valid until",
    extension_title: "Certificate of extended review of an application for a residence permit",
    extension_statement: "The renewal application, filed on time, is being reviewed. Together with the expired \
                          residence permit, this certificate proves a lawful stay during the period shown. It is \
                          renewed until the decision.",
    extension_period: "Lawful stay",
    from: "from",
    to: "to",
    extension_subject: "Extended review certificate",
};

/// The name of a type of visa or residence permit.
pub fn document_type_name(kind: DocumentType, language: Language) -> &'static str {
    use DocumentType::*;
    let (fr, en) = match kind {
        VlsTsStudent => (
            "Visa long séjour valant titre de séjour «\u{202f}étudiant\u{202f}»",
            "Long-stay visa equivalent to a residence permit, “student”",
        ),
        VlsTsStudentMobility => (
            "Visa long séjour valant titre de séjour «\u{202f}étudiant – programme de mobilité\u{202f}»",
            "Long-stay visa equivalent to a residence permit, “student – mobility programme”",
        ),
        VlsStudentAlgeria => (
            "Visa long séjour «\u{202f}étudiant\u{202f}» (ressortissant algérien)",
            "Long-stay visa, “student” (Algerian national)",
        ),
        VlsStudentMobility => (
            "Visa long séjour «\u{202f}étudiant – programme de mobilité\u{202f}»",
            "Long-stay visa, “student – mobility programme”",
        ),
        VlsTMinorSchooled => (
            "Visa long séjour temporaire «\u{202f}mineur scolarisé\u{202f}»",
            "Temporary long-stay visa, “schooled minor”",
        ),
        VisaConcours => (
            "Visa de court séjour «\u{202f}concours\u{202f}»",
            "Short-stay visa, “entrance examination”",
        ),
        PermitStudent => (
            "Carte de séjour temporaire «\u{202f}étudiant\u{202f}»",
            "Temporary residence permit, “student”",
        ),
        PermitOther => ("Carte de séjour (autre motif)", "Residence permit (other reason)"),
        EuLongTerm => ("Carte de résident de longue durée – UE", "EU long-term resident card"),
    };
    match language {
        Language::Fr => fr,
        Language::En => en,
    }
}

/// The name of a kind of supporting document, as the applicant saw it.
pub fn document_kind(kind: DocumentKind, language: Language) -> &'static str {
    use DocumentKind::*;
    match (language, kind) {
        (Language::Fr, Passport) => "Passeport (pages d’identité)",
        (Language::Fr, CurrentVisaOrPermit) => "Visa ou titre de séjour en cours",
        (Language::Fr, ProofOfAddress) => "Justificatif de domicile de moins de 6 mois",
        (Language::Fr, HostCertificate) => "Attestation d’hébergement",
        (Language::Fr, HostId) => "Pièce d’identité de l’hébergeant",
        (Language::Fr, HostProofOfAddress) => "Justificatif de domicile de l’hébergeant",
        (Language::Fr, RepublicCommitment) => "Contrat d’engagement à respecter les principes de la République",
        (Language::Fr, EnrolmentCertificate) => "Certificat d’inscription pour l’année universitaire",
        (Language::Fr, ProofOfResources) => "Justificatif de ressources",
        (Language::Fr, Transcripts) => "Relevés de notes de l’année précédente",
        (Language::Fr, Attachment) => "Pièce jointe à un message",
        (Language::Fr, RefusalDecision) => "Décision de refus signée par la préfecture",
        (Language::En, Passport) => "Passport (identity pages)",
        (Language::En, CurrentVisaOrPermit) => "Current visa or residence permit",
        (Language::En, ProofOfAddress) => "Proof of address less than 6 months old",
        (Language::En, HostCertificate) => "Host’s certificate of accommodation",
        (Language::En, HostId) => "Host’s identity document",
        (Language::En, HostProofOfAddress) => "Proof of the host’s address",
        (Language::En, RepublicCommitment) => "Commitment to respect the principles of the Republic",
        (Language::En, EnrolmentCertificate) => "Enrolment certificate for the academic year",
        (Language::En, ProofOfResources) => "Proof of resources",
        (Language::En, Transcripts) => "Transcripts of the previous year",
        (Language::En, Attachment) => "Attachment to a message",
        (Language::En, RefusalDecision) => "Refusal decision signed by the prefecture",
    }
}

/// ISO 3166-1 alpha-3 code, French name, English name: the countries most
/// applicants come from, and their neighbours. Others print as their code.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AFG", "Afghanistan", "Afghanistan"),
    ("AGO", "Angola", "Angola"),
    ("ALB", "Albanie", "Albania"),
    ("ARE", "Émirats arabes unis", "United Arab Emirates"),
    ("ARG", "Argentine", "Argentina"),
    ("ARM", "Arménie", "Armenia"),
    ("AUS", "Australie", "Australia"),
    ("AZE", "Azerbaïdjan", "Azerbaijan"),
    ("BDI", "Burundi", "Burundi"),
    ("BEN", "Bénin", "Benin"),
    ("BFA", "Burkina Faso", "Burkina Faso"),
    ("BGD", "Bangladesh", "Bangladesh"),
    ("BIH", "Bosnie-Herzégovine", "Bosnia and Herzegovina"),
    ("BLR", "Biélorussie", "Belarus"),
    ("BOL", "Bolivie", "Bolivia"),
    ("BRA", "Brésil", "Brazil"),
    ("CAF", "République centrafricaine", "Central African Republic"),
    ("CAN", "Canada", "Canada"),
    ("CHE", "Suisse", "Switzerland"),
    ("CHL", "Chili", "Chile"),
    ("CHN", "Chine", "China"),
    ("CIV", "Côte d’Ivoire", "Côte d’Ivoire"),
    ("CMR", "Cameroun", "Cameroon"),
    (
        "COD",
        "République démocratique du Congo",
        "Democratic Republic of the Congo",
    ),
    ("COG", "Congo", "Congo"),
    ("COL", "Colombie", "Colombia"),
    ("COM", "Comores", "Comoros"),
    ("CPV", "Cap-Vert", "Cabo Verde"),
    ("CUB", "Cuba", "Cuba"),
    ("DJI", "Djibouti", "Djibouti"),
    ("DOM", "République dominicaine", "Dominican Republic"),
    ("DZA", "Algérie", "Algeria"),
    ("ECU", "Équateur", "Ecuador"),
    ("EGY", "Égypte", "Egypt"),
    ("ERI", "Érythrée", "Eritrea"),
    ("ETH", "Éthiopie", "Ethiopia"),
    ("GAB", "Gabon", "Gabon"),
    ("GBR", "Royaume-Uni", "United Kingdom"),
    ("GEO", "Géorgie", "Georgia"),
    ("GHA", "Ghana", "Ghana"),
    ("GIN", "Guinée", "Guinea"),
    ("GNB", "Guinée-Bissau", "Guinea-Bissau"),
    ("GNQ", "Guinée équatoriale", "Equatorial Guinea"),
    ("HTI", "Haïti", "Haiti"),
    ("IDN", "Indonésie", "Indonesia"),
    ("IND", "Inde", "India"),
    ("IRN", "Iran", "Iran"),
    ("IRQ", "Irak", "Iraq"),
    ("ISR", "Israël", "Israel"),
    ("JOR", "Jordanie", "Jordan"),
    ("JPN", "Japon", "Japan"),
    ("KAZ", "Kazakhstan", "Kazakhstan"),
    ("KEN", "Kenya", "Kenya"),
    ("KHM", "Cambodge", "Cambodia"),
    ("KOR", "Corée du Sud", "South Korea"),
    ("LAO", "Laos", "Laos"),
    ("LBN", "Liban", "Lebanon"),
    ("LBY", "Libye", "Libya"),
    ("LKA", "Sri Lanka", "Sri Lanka"),
    ("MAR", "Maroc", "Morocco"),
    ("MDA", "Moldavie", "Moldova"),
    ("MDG", "Madagascar", "Madagascar"),
    ("MEX", "Mexique", "Mexico"),
    ("MKD", "Macédoine du Nord", "North Macedonia"),
    ("MLI", "Mali", "Mali"),
    ("MMR", "Birmanie", "Myanmar"),
    ("MNG", "Mongolie", "Mongolia"),
    ("MRT", "Mauritanie", "Mauritania"),
    ("MUS", "Maurice", "Mauritius"),
    ("MYS", "Malaisie", "Malaysia"),
    ("NER", "Niger", "Niger"),
    ("NGA", "Nigeria", "Nigeria"),
    ("NPL", "Népal", "Nepal"),
    ("PAK", "Pakistan", "Pakistan"),
    ("PER", "Pérou", "Peru"),
    ("PHL", "Philippines", "Philippines"),
    ("PSE", "Palestine", "Palestine"),
    ("RUS", "Russie", "Russia"),
    ("RWA", "Rwanda", "Rwanda"),
    ("SAU", "Arabie saoudite", "Saudi Arabia"),
    ("SDN", "Soudan", "Sudan"),
    ("SEN", "Sénégal", "Senegal"),
    ("SLE", "Sierra Leone", "Sierra Leone"),
    ("SRB", "Serbie", "Serbia"),
    ("SYR", "Syrie", "Syria"),
    ("TCD", "Tchad", "Chad"),
    ("TGO", "Togo", "Togo"),
    ("THA", "Thaïlande", "Thailand"),
    ("TUN", "Tunisie", "Tunisia"),
    ("TUR", "Turquie", "Türkiye"),
    ("TWN", "Taïwan", "Taiwan"),
    ("UKR", "Ukraine", "Ukraine"),
    ("USA", "États-Unis", "United States"),
    ("UZB", "Ouzbékistan", "Uzbekistan"),
    ("VEN", "Venezuela", "Venezuela"),
    ("VNM", "Viêt Nam", "Viet Nam"),
    ("YEM", "Yémen", "Yemen"),
    ("ZAF", "Afrique du Sud", "South Africa"),
];

/// The country's name in `language`, or `None` when the table does not know the code.
pub fn country_name(code: &str, language: Language) -> Option<&'static str> {
    let code = code.trim().to_ascii_uppercase();
    COUNTRIES
        .binary_search_by(|(c, _, _)| (*c).cmp(code.as_str()))
        .ok()
        .map(|i| match language {
            Language::Fr => COUNTRIES[i].1,
            Language::En => COUNTRIES[i].2,
        })
}

/// "Sénégal (SEN)", or the bare code when the name is unknown.
pub(crate) fn country_with_code(code: &str, language: Language) -> String {
    match country_name(code, language) {
        Some(name) => format!("{name} ({})", code.trim().to_ascii_uppercase()),
        None => code.trim().to_ascii_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_sorted_for_the_binary_search() {
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(COUNTRIES.iter().all(|(c, _, _)| c.len() == 3));
    }

    #[test]
    fn country_names_in_both_languages_with_the_code_as_fallback() {
        assert_eq!(country_name("SEN", Language::Fr), Some("Sénégal"));
        assert_eq!(country_name("sen", Language::En), Some("Senegal"));
        assert_eq!(country_with_code("DZA", Language::Fr), "Algérie (DZA)");
        assert_eq!(country_with_code("VNM", Language::En), "Viet Nam (VNM)");
        assert_eq!(country_with_code("ZZZ", Language::Fr), "ZZZ");
    }

    #[test]
    fn labels_differ_between_languages() {
        let (fr, en) = (ReceiptLabels::get(Language::Fr), ReceiptLabels::get(Language::En));
        assert_eq!(fr.colon("Nationalité"), "Nationalité\u{202f}:");
        assert_eq!(en.colon("Nationality"), "Nationality:");
        for kind in DocumentKind::ALL {
            assert_ne!(document_kind(kind, Language::Fr), document_kind(kind, Language::En));
        }
        assert_ne!(fr.title, en.title);
        assert_ne!(fr.statement, en.statement);
    }
}
