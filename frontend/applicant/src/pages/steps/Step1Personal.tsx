// Step 1, personal information (F8). The civil status comes from the state's
// records and is only shown; the applicant adds a usage name, the family
// situation and ties in France, the postal address (suggested by the
// national address base when configured) and a mobile phone. The email is
// the account's (changed from the profile).
import { useState } from "react";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import type { Schemas } from "../../api/client";
import { formatDate, useLang, useT } from "../../i18n";
import { Link } from "../../router";
import { AddressAutocomplete } from "../../ui/AddressAutocomplete";
import { countryName, countryOptions } from "./countries";
import { errorProps, fieldId, StepFrame, type FieldErrors, type StepFormProps } from "./StepFrame";
import { SEXES, SITUATIONS } from "./summaryLabels";

type FamilySituation = Schemas["FamilySituation"];



const messages = {
  civilTitle: { fr: "Votre état civil", en: "Your civil status" },
  civilNotice: {
    fr: "Ces informations viennent des fichiers de l’État et ne peuvent pas être modifiées ici. Une erreur ? Contactez votre préfecture.",
    en: "This information comes from the state’s records and cannot be changed here. Is something wrong? Contact your prefecture.",
  },
  surname: { fr: "Nom de naissance", en: "Surname at birth" },
  givenNames: { fr: "Prénoms", en: "Given names" },
  sex: { fr: "Sexe", en: "Sex" },
  birthDate: { fr: "Date de naissance", en: "Date of birth" },
  birthPlace: { fr: "Lieu de naissance", en: "Place of birth" },
  nationality: { fr: "Nationalité", en: "Nationality" },
  foreignerNumber: { fr: "Numéro étranger", en: "Foreigner number" },
  usageName: { fr: "Nom d’usage (facultatif)", en: "Usage name (optional)" },
  usageNameHint: {
    fr: "Par exemple le nom de votre époux ou épouse, si vous l’utilisez.",
    en: "For instance your spouse’s surname, if you use it.",
  },
  familyTitle: { fr: "Votre situation familiale", en: "Your family situation" },
  situation: { fr: "Situation familiale *", en: "Family situation *" },
  spouse: { fr: "Votre conjoint(e) ou partenaire vit-il ou elle en France ? *", en: "Does your spouse or partner live in France? *" },
  spouseHint: {
    fr: "Répondez « Non » si vous n’avez ni conjoint(e) ni partenaire.",
    en: "Answer “No” if you have no spouse or partner.",
  },
  yes: { fr: "Oui", en: "Yes" },
  no: { fr: "Non", en: "No" },
  spouseNationality: { fr: "Nationalité de votre conjoint(e) ou partenaire *", en: "Your spouse’s or partner’s nationality *" },
  choose: { fr: "Choisissez un pays", en: "Choose a country" },
  children: { fr: "Nombre de vos enfants vivant en France (facultatif)", en: "Number of your children living in France (optional)" },
  childrenHint: { fr: "Un nombre de 0 à 20.", en: "A number from 0 to 20." },
  childrenInvalid: { fr: "Indiquez un nombre entier de 0 à 20.", en: "Give a whole number from 0 to 20." },
  addressTitle: { fr: "Votre adresse en France", en: "Your address in France" },
  addressHint: {
    fr: "La préfecture qui traite votre demande dépend de votre code postal.",
    en: "The prefecture that handles your application depends on your postcode.",
  },
  line1: { fr: "Numéro et voie *", en: "Number and street *" },
  line1Hint: { fr: "Par exemple : 8 boulevard du Port.", en: "For example: 8 boulevard du Port." },
  line2: { fr: "Complément d’adresse (facultatif)", en: "Address line 2 (optional)" },
  line2Hint: { fr: "Bâtiment, étage, chez…", en: "Building, floor, care of…" },
  postcode: { fr: "Code postal *", en: "Postcode *" },
  postcodeHint: { fr: "5 chiffres, par exemple 69007", en: "5 digits, for example 69007" },
  city: { fr: "Commune *", en: "Town or city *" },
  prefecture: { fr: "Préfecture compétente :", en: "Prefecture in charge:" },
  contactTitle: { fr: "Vos coordonnées", en: "Your contact details" },
  phone: { fr: "Téléphone mobile *", en: "Mobile phone *" },
  phoneHint: {
    fr: "Un portable français (06 12 34 56 78) ou un numéro international (+221 77 123 45 67).",
    en: "A French mobile (06 12 34 56 78) or an international number (+221 77 123 45 67).",
  },
  email: { fr: "Adresse électronique", en: "Email address" },
  emailChange: { fr: "Modifier mon adresse électronique dans mon profil", en: "Change my email address in my profile" },
};

const RADIOS = ["family_situation", "spouse_in_france"];

type State = {
  usage_name: string;
  family_situation: FamilySituation | "";
  spouse_in_france: "yes" | "no" | "";
  spouse_nationality: string;
  children_in_france: string;
  line1: string;
  line2: string;
  postcode: string;
  city: string;
  phone: string;
};

/** `+33612345678` is shown as a French user types it: `06 12 34 56 78`. */
function displayPhone(phone: string | null | undefined): string {
  if (!phone) return "";
  const m = /^\+33([67]\d{8})$/.exec(phone);
  return m ? `0${m[1]}`.replace(/(\d{2})(?=\d)/g, "$1 ") : phone;
}

function fromView(view: StepFormProps["application"]): State {
  const p = view.personal;
  return {
    usage_name: p.usage_name ?? "",
    family_situation: (p.family_situation as FamilySituation | null | undefined) ?? "",
    spouse_in_france: p.spouse_in_france == null ? "" : p.spouse_in_france ? "yes" : "no",
    spouse_nationality: p.spouse_nationality ?? "",
    children_in_france: p.children_in_france == null ? "" : String(p.children_in_france),
    line1: p.address?.line1 ?? "",
    line2: p.address?.line2 ?? "",
    postcode: p.address?.postcode ?? "",
    city: p.address?.city ?? "",
    phone: displayPhone(p.phone),
  };
}

const orNull = (s: string): string | null => (s.trim() === "" ? null : s.trim());

function toBody(s: State): Schemas["PersonalInput"] {
  const children = s.children_in_france.trim();
  return {
    usage_name: orNull(s.usage_name),
    family_situation: s.family_situation === "" ? null : s.family_situation,
    spouse_in_france: s.spouse_in_france === "" ? null : s.spouse_in_france === "yes",
    // Only asked (and accepted) when the spouse lives in France.
    spouse_nationality: s.spouse_in_france === "yes" ? orNull(s.spouse_nationality) : null,
    children_in_france: /^\d{1,2}$/.test(children) ? Number(children) : null,
    address: { line1: orNull(s.line1), line2: orNull(s.line2), postcode: orNull(s.postcode), city: orNull(s.city) },
    phone: orNull(s.phone),
  };
}

export default function Step1Personal(props: StepFormProps) {
  const t = useT(messages);
  const { lang } = useLang();
  const { application } = props;
  const [s, setS] = useState<State>(() => fromView(application));
  const set = <K extends keyof State>(key: K, value: State[K]) => setS((prev) => ({ ...prev, [key]: value }));
  const civil = application.civil_status;

  const validate = (): FieldErrors => {
    const children = s.children_in_france.trim();
    if (children !== "" && !(/^\d{1,2}$/.test(children) && Number(children) <= 20)) return { children_in_france: t("childrenInvalid") };
    return {};
  };

  const LABELS: Record<string, string> = {
    usage_name: t("usageName"),
    family_situation: t("situation"),
    spouse_in_france: t("spouse"),
    spouse_nationality: t("spouseNationality"),
    children_in_france: t("children"),
    "address.line1": t("line1"),
    "address.line2": t("line2"),
    "address.postcode": t("postcode"),
    "address.city": t("city"),
    phone: t("phone"),
  };
  const labels = (field: string) => LABELS[field]?.replace(/ \*$/, "");

  const summary: [string, string][] = [
    [t("surname"), civil.surname],
    [t("givenNames"), civil.given_names],
    [t("sex"), SEXES[civil.sex][lang]],
    [t("birthDate"), formatDate(civil.birth_date, lang)],
    [t("birthPlace"), `${civil.birth_place} (${countryName(civil.birth_country, lang)})`],
    [t("nationality"), countryName(civil.nationality, lang)],
  ];
  if (application.foreigner_number) summary.push([t("foreignerNumber"), application.foreigner_number]);

  return (
    <StepFrame {...props} section="personal" body={() => toBody(s)} validate={validate} labels={labels} radios={RADIOS}>
      {(errors) => (
        <>
          <section aria-labelledby="civil-title" className="fr-mb-6w">
            <h3 id="civil-title">{t("civilTitle")}</h3>
            <Notice title={t("civilNotice")} className="fr-mb-2w" />
            <dl className="fr-mb-0" style={{ padding: 0, margin: 0 }}>
              {summary.map(([term, value]) => (
                <div key={term} className="fr-grid-row fr-py-1w fr-mx-0" style={{ borderBottom: "1px solid var(--border-default-grey)" }}>
                  <dt className="fr-col-12 fr-col-md-4 fr-text--bold">{term}</dt>
                  <dd className="fr-col-12 fr-col-md-8" style={{ margin: 0, padding: 0 }}>
                    {value}
                  </dd>
                </div>
              ))}
            </dl>
            <Input
              className="fr-mt-4w"
              label={t("usageName")}
              hintText={t("usageNameHint")}
              {...errorProps(errors, "usage_name")}
              nativeInputProps={{
                id: fieldId("usage_name"),
                value: s.usage_name,
                onChange: (e) => set("usage_name", e.target.value),
                autoComplete: "family-name",
                maxLength: 100,
              }}
            />
          </section>

          <section aria-labelledby="family-title" className="fr-mb-6w">
            <h3 id="family-title">{t("familyTitle")}</h3>
            <RadioButtons
              legend={t("situation")}
              id={fieldId("family_situation")}
              name="family_situation"
              {...errorProps(errors, "family_situation")}
              options={(Object.keys(SITUATIONS) as FamilySituation[]).map((value) => ({
                label: SITUATIONS[value][lang],
                nativeInputProps: {
                  value,
                  checked: s.family_situation === value,
                  onChange: () => set("family_situation", value),
                },
              }))}
            />
            <RadioButtons
              legend={t("spouse")}
              hintText={t("spouseHint")}
              id={fieldId("spouse_in_france")}
              name="spouse_in_france"
              orientation="horizontal"
              {...errorProps(errors, "spouse_in_france")}
              options={(["yes", "no"] as const).map((value) => ({
                label: t(value),
                nativeInputProps: {
                  value,
                  checked: s.spouse_in_france === value,
                  onChange: () => set("spouse_in_france", value),
                },
              }))}
            />
            {s.spouse_in_france === "yes" ? (
              <Select
                label={t("spouseNationality")}
                {...errorProps(errors, "spouse_nationality")}
                nativeSelectProps={{
                  id: fieldId("spouse_nationality"),
                  value: s.spouse_nationality,
                  onChange: (e) => set("spouse_nationality", e.target.value),
                }}
              >
                <option value="">{t("choose")}</option>
                {countryOptions(lang).map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </Select>
            ) : null}
            <Input
              label={t("children")}
              hintText={t("childrenHint")}
              {...errorProps(errors, "children_in_france")}
              nativeInputProps={{
                id: fieldId("children_in_france"),
                value: s.children_in_france,
                onChange: (e) => set("children_in_france", e.target.value),
                inputMode: "numeric",
                autoComplete: "off",
                maxLength: 2,
                style: { maxWidth: "8rem" },
              }}
            />
          </section>

          <section aria-labelledby="address-title" className="fr-mb-6w">
            <h3 id="address-title">{t("addressTitle")}</h3>
            <p className="fr-hint-text">{t("addressHint")}</p>
            <AddressAutocomplete
              id={fieldId("address.line1")}
              label={t("line1")}
              hint={t("line1Hint")}
              value={s.line1}
              error={errors["address.line1"]}
              onChange={(v) => set("line1", v)}
              onSelect={(a) => setS((prev) => ({ ...prev, line1: a.line1, postcode: a.postcode, city: a.city }))}
            />
            <Input
              label={t("line2")}
              hintText={t("line2Hint")}
              {...errorProps(errors, "address.line2")}
              nativeInputProps={{
                id: fieldId("address.line2"),
                value: s.line2,
                onChange: (e) => set("line2", e.target.value),
                autoComplete: "address-line2",
              }}
            />
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-sm-4">
                <Input
                  label={t("postcode")}
                  hintText={t("postcodeHint")}
                  {...errorProps(errors, "address.postcode")}
                  nativeInputProps={{
                    id: fieldId("address.postcode"),
                    value: s.postcode,
                    onChange: (e) => set("postcode", e.target.value),
                    autoComplete: "postal-code",
                    inputMode: "numeric",
                    maxLength: 5,
                  }}
                />
              </div>
              <div className="fr-col-12 fr-col-sm-8">
                <Input
                  label={t("city")}
                  {...errorProps(errors, "address.city")}
                  nativeInputProps={{
                    id: fieldId("address.city"),
                    value: s.city,
                    onChange: (e) => set("city", e.target.value),
                    autoComplete: "address-level2",
                  }}
                />
              </div>
            </div>
            {application.prefecture ? (
              <p className="fr-mt-2w">
                <span className="fr-text--bold">{t("prefecture")}</span> {application.prefecture.seat} ({application.prefecture.departement},{" "}
                {application.prefecture.code})
              </p>
            ) : null}
          </section>

          <section aria-labelledby="contact-title">
            <h3 id="contact-title">{t("contactTitle")}</h3>
            <Input
              label={t("phone")}
              hintText={t("phoneHint")}
              {...errorProps(errors, "phone")}
              nativeInputProps={{
                id: fieldId("phone"),
                type: "tel",
                value: s.phone,
                onChange: (e) => set("phone", e.target.value),
                autoComplete: "tel",
                inputMode: "tel",
              }}
            />
            <p className="fr-mb-1v fr-text--bold">{t("email")}</p>
            <p className="fr-mb-1v">{application.email}</p>
            <p>
              <Link className="fr-link fr-icon-edit-line fr-link--icon-left" to="/profile">
                {t("emailChange")}
              </Link>
            </p>
          </section>
        </>
      )}
    </StepFrame>
  );
}
