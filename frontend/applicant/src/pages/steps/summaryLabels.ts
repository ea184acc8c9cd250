// The words of the steps: the names of the closed lists' values, which the
// forms (steps 1 to 3) and the review (step 5) show, and of each field a
// submission may still miss (`ApplicationView.missing`).
import type { Schemas } from "../../api/client";
import type { Text } from "../../i18n";
import { KIND_LABELS } from "../../ui/documents";

export const SITUATIONS: Record<Schemas["FamilySituation"], Text> = {
  single: { fr: "Célibataire", en: "Single" },
  cohabiting: { fr: "En concubinage (union libre)", en: "Cohabiting" },
  divorced: { fr: "Divorcé(e)", en: "Divorced" },
  married: { fr: "Marié(e)", en: "Married" },
  civil_partnership: { fr: "Pacsé(e) (pacte civil de solidarité)", en: "Civil partnership (PACS)" },
  separated: { fr: "Séparé(e)", en: "Separated" },
  widowed: { fr: "Veuf ou veuve", en: "Widowed" },
};

export const SEXES: Record<Schemas["Sex"], Text> = {
  F: { fr: "Féminin", en: "Female" },
  M: { fr: "Masculin", en: "Male" },
  X: { fr: "Non précisé", en: "Unspecified" },
};

export const INSTITUTION_TYPES: Record<Schemas["InstitutionType"], Text> = {
  university: { fr: "Université", en: "University" },
  engineering_school: { fr: "École d’ingénieurs", en: "Engineering school" },
  business_school: { fr: "École de commerce, de gestion ou de comptabilité", en: "Business, management or accounting school" },
  high_school_bts_art_crafts: { fr: "Lycée (section de BTS ou des métiers d’art)", en: "High school (BTS or art-crafts section)" },
  iut: { fr: "Institut universitaire de technologie (IUT)", en: "University institute of technology (IUT)" },
  preparatory_class: { fr: "Classe préparatoire aux grandes écoles", en: "Preparatory class (classe préparatoire)" },
  fine_arts_school: { fr: "École des beaux-arts ou école nationale d’art", en: "Fine-arts school or national art school" },
  architecture_school: { fr: "École d’architecture", en: "Architecture school" },
  other: { fr: "Autre établissement", en: "Other institution" },
};

export const CYCLES: Record<Schemas["StudyCycle"], Text> = {
  licence: { fr: "Licence", en: "Licence (bachelor’s)" },
  master: { fr: "Master", en: "Master’s" },
  doctorate: { fr: "Doctorat", en: "Doctorate" },
  bts: { fr: "BTS (brevet de technicien supérieur)", en: "BTS (higher technician certificate)" },
  dut: { fr: "DUT ou BUT", en: "DUT or BUT (university technology degree)" },
  other: { fr: "Autre", en: "Other" },
};

export const LEVELS: Record<Schemas["StudyLevel"], Text> = {
  l1: { fr: "Licence 1re année (L1)", en: "Licence year 1 (L1)" },
  l2: { fr: "Licence 2e année (L2)", en: "Licence year 2 (L2)" },
  l3: { fr: "Licence 3e année (L3)", en: "Licence year 3 (L3)" },
  m1: { fr: "Master 1re année (M1)", en: "Master’s year 1 (M1)" },
  m2: { fr: "Master 2e année (M2)", en: "Master’s year 2 (M2)" },
  doctorate_1: { fr: "Doctorat 1re année", en: "Doctorate year 1" },
  doctorate_2: { fr: "Doctorat 2e année", en: "Doctorate year 2" },
  doctorate_3: { fr: "Doctorat 3e année", en: "Doctorate year 3" },
  bts_1: { fr: "BTS 1re année", en: "BTS year 1" },
  bts_2: { fr: "BTS 2e année", en: "BTS year 2" },
  other: { fr: "Autre", en: "Other" },
};

export const DISCIPLINES: Record<Schemas["Discipline"], Text> = {
  agriculture_food: { fr: "Agriculture, agroalimentaire", en: "Agriculture, food" },
  architecture_planning: { fr: "Architecture, aménagement du territoire", en: "Architecture, planning" },
  arts_culture_design_fashion: { fr: "Arts, culture, design, mode", en: "Arts, culture, design, fashion" },
  biology: { fr: "Biologie", en: "Biology" },
  chemistry: { fr: "Chimie", en: "Chemistry" },
  communication_media_journalism: { fr: "Communication, médias, journalisme", en: "Communication, media, journalism" },
  law: { fr: "Droit", en: "Law" },
  environment_earth_sciences: { fr: "Environnement, sciences de la Terre", en: "Environment, earth sciences" },
  computer_science: { fr: "Informatique", en: "Computer science" },
  languages_literature: { fr: "Langues, lettres", en: "Languages, literature" },
  management_finance_commerce: { fr: "Gestion, finance, commerce", en: "Management, finance, commerce" },
  mathematics: { fr: "Mathématiques", en: "Mathematics" },
  physics: { fr: "Physique", en: "Physics" },
  health_social_professions: { fr: "Santé, professions sociales", en: "Health, social professions" },
  education_sciences: { fr: "Sciences de l’éducation", en: "Education sciences" },
  engineering: { fr: "Sciences de l’ingénieur", en: "Engineering" },
  economics_politics: { fr: "Économie, science politique", en: "Economics, political science" },
  humanities_social_sciences: { fr: "Sciences humaines et sociales", en: "Humanities, social sciences" },
  sports: { fr: "Sport (STAPS)", en: "Sports science" },
};

export const RESOURCE_KINDS: Record<Schemas["ResourceKind"], Text> = {
  family_support: { fr: "Aide de la famille", en: "Family support" },
  scholarship: { fr: "Bourse", en: "Scholarship" },
  salary: { fr: "Salaire", en: "Salary" },
  savings: { fr: "Épargne", en: "Savings" },
  other: { fr: "Autre ressource", en: "Other resource" },
};

/** The name of each field, by section, as `missing` and the API's errors name them. */
const FIELDS: Record<Schemas["Section"], Record<string, Text>> = {
  personal: {
    usage_name: { fr: "Nom d’usage", en: "Usage name" },
    family_situation: { fr: "Situation familiale", en: "Family situation" },
    spouse_in_france: { fr: "Conjoint(e) ou partenaire en France", en: "Spouse or partner in France" },
    spouse_nationality: { fr: "Nationalité du conjoint ou de la conjointe", en: "Spouse’s or partner’s nationality" },
    children_in_france: { fr: "Enfants vivant en France", en: "Children living in France" },
    "address.line1": { fr: "Numéro et voie", en: "Number and street" },
    "address.line2": { fr: "Complément d’adresse", en: "Address line 2" },
    "address.postcode": { fr: "Code postal", en: "Postcode" },
    "address.city": { fr: "Commune", en: "Town or city" },
    phone: { fr: "Téléphone portable", en: "Mobile phone" },
  },
  studies: {
    institution_type: { fr: "Type d’établissement", en: "Type of institution" },
    institution_name: { fr: "Nom de l’établissement", en: "Name of the institution" },
    cycle: { fr: "Cycle d’études", en: "Study cycle" },
    level: { fr: "Niveau d’études", en: "Level of study" },
    discipline: { fr: "Discipline", en: "Discipline" },
    academic_year: { fr: "Année universitaire", en: "Academic year" },
  },
  resources: {
    lines: { fr: "Ressources mensuelles", en: "Monthly resources" },
    explanation: { fr: "Explication", en: "Explanation" },
    housed_free_of_charge: { fr: "Hébergement à titre gratuit", en: "Housed free of charge" },
  },
  documents: {
    ephoto_code: { fr: "Code e-photo", en: "E-photo code" },
  },
};

/** The name of a field of a section (`address.postcode`, `passport`, `lines[1].monthly_amount`). */
export function fieldLabel(section: Schemas["Section"], field: string): Text {
  const known = FIELDS[section][field] ?? FIELDS[section][field.replace(/\[\d+\].*$/, "")];
  if (known) return known;
  if (section === "documents" && field in KIND_LABELS) return KIND_LABELS[field as Schemas["DocumentKind"]];
  return { fr: field, en: field };
}

/** What is wrong with a missing field, in a few words. */
export function missingCode(code: Schemas["FieldCode"]): Text {
  switch (code) {
    case "required":
      return { fr: "à compléter", en: "missing" };
    case "ephoto_expired":
      return { fr: "photo de plus de 6 mois, à refaire", en: "photo more than 6 months old, get a new one" };
    case "ephoto_unknown":
      return { fr: "code inconnu", en: "unknown code" };
    case "not_uploaded":
      return { fr: "fichier non reçu", en: "file not received" };
    default:
      return { fr: "à corriger", en: "to be corrected" };
  }
}
