// Step 2, the reason for stay: studies (F9). The lists are the API's enums
// (a value added or removed there fails the build here until labelled).
import { useState } from "react";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import type { Schemas } from "../../api/client";
import { useLang, useT, type Text } from "../../i18n";
import { errorProps, fieldId, StepFrame, type StepFormProps } from "./StepFrame";
import { CYCLES, DISCIPLINES, INSTITUTION_TYPES, LEVELS } from "./summaryLabels";

type InstitutionType = Schemas["InstitutionType"];
type StudyCycle = Schemas["StudyCycle"];
type StudyLevel = Schemas["StudyLevel"];
type Discipline = Schemas["Discipline"];





const messages = {
  institutionTitle: { fr: "Votre établissement", en: "Your institution" },
  institutionType: { fr: "Type d’établissement *", en: "Type of institution *" },
  institutionName: { fr: "Nom de l’établissement *", en: "Name of the institution *" },
  institutionNameHint: { fr: "Tel qu’il figure sur votre certificat d’inscription, par exemple : Université Lumière Lyon 2", en: "As on your enrolment certificate, for example: Université Lumière Lyon 2" },
  studiesTitle: { fr: "Vos études cette année", en: "Your studies this year" },
  cycle: { fr: "Cycle d’études *", en: "Study cycle *" },
  level: { fr: "Niveau d’études *", en: "Level of study *" },
  discipline: { fr: "Discipline *", en: "Discipline *" },
  academicYear: { fr: "Année universitaire *", en: "Academic year *" },
  academicYearHint: { fr: "Deux années qui se suivent, par exemple : {y}", en: "Two consecutive years, for example: {y}" },
  choose: { fr: "Choisissez dans la liste", en: "Choose from the list" },
};

const RADIOS = ["cycle"];

type State = {
  institution_type: InstitutionType | "";
  cycle: StudyCycle | "";
  level: StudyLevel | "";
  discipline: Discipline | "";
  institution_name: string;
  academic_year: string;
};

function fromView(view: StepFormProps["application"]): State {
  const s = view.studies;
  return {
    institution_type: (s.institution_type as InstitutionType | null | undefined) ?? "",
    cycle: (s.cycle as StudyCycle | null | undefined) ?? "",
    level: (s.level as StudyLevel | null | undefined) ?? "",
    discipline: (s.discipline as Discipline | null | undefined) ?? "",
    institution_name: s.institution_name ?? "",
    academic_year: s.academic_year ?? "",
  };
}

const orNull = <T extends string>(v: T | ""): T | null => (v.trim() === "" ? null : (v.trim() as T));

function toBody(s: State): Schemas["StudiesStepInput"] {
  return {
    institution_type: orNull(s.institution_type),
    cycle: orNull(s.cycle),
    level: orNull(s.level),
    discipline: orNull(s.discipline),
    institution_name: orNull(s.institution_name),
    // "2026 - 2027", "2026/2027" are read as "2026-2027".
    academic_year: orNull(s.academic_year.replace(/\s*[-/–]\s*/, "-")),
  };
}

/** The academic year that starts this autumn (or started last one). */
function exampleYear(): string {
  const now = new Date();
  const start = now.getMonth() >= 6 ? now.getFullYear() : now.getFullYear() - 1;
  return `${start}-${start + 1}`;
}

export default function Step2Studies(props: StepFormProps) {
  const t = useT(messages);
  const { lang } = useLang();
  const [s, setS] = useState<State>(() => fromView(props.application));
  const set = <K extends keyof State>(key: K, value: State[K]) => setS((prev) => ({ ...prev, [key]: value }));

  const LABELS: Record<string, string> = {
    institution_type: t("institutionType"),
    institution_name: t("institutionName"),
    cycle: t("cycle"),
    level: t("level"),
    discipline: t("discipline"),
    academic_year: t("academicYear"),
  };
  const labels = (field: string) => LABELS[field]?.replace(/ \*$/, "");

  /** A DSFR select over one of the API's lists. */
  function ListSelect<K extends "institution_type" | "level" | "discipline">(key: K, table: Record<Exclude<State[K], "">, Text>, errors: Record<string, string>) {
    const values = Object.keys(table) as Exclude<State[K], "">[];
    return (
      <Select
        label={LABELS[key]}
        {...errorProps(errors, key)}
        nativeSelectProps={{
          id: fieldId(key),
          value: s[key],
          onChange: (e) => set(key, e.target.value as State[K]),
        }}
      >
        <option value="">{t("choose")}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {table[v][lang]}
          </option>
        ))}
      </Select>
    );
  }

  return (
    <StepFrame {...props} section="studies" body={() => toBody(s)} labels={labels} radios={RADIOS}>
      {(errors) => (
        <>
          <section aria-labelledby="institution-title" className="fr-mb-6w">
            <h3 id="institution-title">{t("institutionTitle")}</h3>
            {ListSelect("institution_type", INSTITUTION_TYPES, errors)}
            <Input
              label={t("institutionName")}
              hintText={t("institutionNameHint")}
              {...errorProps(errors, "institution_name")}
              nativeInputProps={{
                id: fieldId("institution_name"),
                value: s.institution_name,
                onChange: (e) => set("institution_name", e.target.value),
                autoComplete: "organization",
                maxLength: 200,
              }}
            />
          </section>
          <section aria-labelledby="studies-title">
            <h3 id="studies-title">{t("studiesTitle")}</h3>
            <RadioButtons
              legend={t("cycle")}
              id={fieldId("cycle")}
              name="cycle"
              {...errorProps(errors, "cycle")}
              options={(Object.keys(CYCLES) as StudyCycle[]).map((value) => ({
                label: CYCLES[value][lang],
                nativeInputProps: {
                  value,
                  checked: s.cycle === value,
                  onChange: () => set("cycle", value),
                },
              }))}
            />
            {ListSelect("level", LEVELS, errors)}
            {ListSelect("discipline", DISCIPLINES, errors)}
            <Input
              label={t("academicYear")}
              hintText={t("academicYearHint").replace("{y}", exampleYear())}
              {...errorProps(errors, "academic_year")}
              nativeInputProps={{
                id: fieldId("academic_year"),
                value: s.academic_year,
                onChange: (e) => set("academic_year", e.target.value),
                autoComplete: "off",
                maxLength: 11,
                style: { maxWidth: "12rem" },
              }}
            />
          </section>
        </>
      )}
    </StepFrame>
  );
}
