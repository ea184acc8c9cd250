// The profile (F5): the civil status from the state's records, read-only;
// the address, mobile phone and email, editable. A new email is pending
// until its link is followed: the old one serves until then.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useState, type FormEvent } from "react";
import { api, ApiFailure, must, type Schemas } from "../api/client";
import { formatDate, useLang, useT, type Text } from "../i18n";
import { useSession } from "../session";
import { ErrorSummary } from "../ui/ErrorSummary";
import { Page } from "../ui/Page";
import { Fieldset } from "./account/Fieldset";
import { Focus } from "./account/Focus";
import { errorProps, failureText, otherErrors, summaryItems, type Errors } from "./account/form";
import { countryName } from "./steps/countries";

type Profile = Schemas["Profile"];
type Field = "address.line1" | "address.line2" | "address.postcode" | "address.city" | "phone" | "email";
const FIELDS: Field[] = ["address.line1", "address.line2", "address.postcode", "address.city", "phone", "email"];
type Values = Record<Field, string>;

const SEX: Record<Schemas["Sex"], Text> = {
  F: { fr: "Féminin", en: "Female" },
  M: { fr: "Masculin", en: "Male" },
  X: { fr: "Non spécifié (X)", en: "Unspecified (X)" },
};

const messages = {
  title: { fr: "Mon profil", en: "My profile" },
  civil: { fr: "État civil", en: "Civil status" },
  civilText: {
    fr: "Ces informations viennent des fichiers de l’État et ne peuvent pas être modifiées ici. Si l’une d’elles est inexacte, adressez-vous à votre préfecture.",
    en: "This information comes from the state’s records and cannot be changed here. If any of it is wrong, contact your préfecture.",
  },
  surname: { fr: "Nom", en: "Surname" },
  givenNames: { fr: "Prénom(s)", en: "Given name(s)" },
  sex: { fr: "Sexe", en: "Sex" },
  birthDate: { fr: "Date de naissance", en: "Date of birth" },
  birthPlace: { fr: "Lieu de naissance", en: "Place of birth" },
  birthCountry: { fr: "Pays de naissance", en: "Country of birth" },
  nationality: { fr: "Nationalité", en: "Nationality" },
  foreignerNumber: { fr: "Numéro étranger", en: "Foreigner number" },
  noNumber: { fr: "Pas encore attribué (compte provisoire, créé avec un visa)", en: "Not given yet (provisional account, created with a visa)" },
  noCivil: { fr: "Aucun état civil n’est associé à ce compte.", en: "No civil status is linked to this account." },
  contact: { fr: "Mes coordonnées", en: "My contact details" },
  contactText: { fr: "Elles préremplissent votre demande. Les champs sont facultatifs sauf mention contraire.", en: "They prefill your application. Fields are optional unless stated otherwise." },
  address: { fr: "Adresse en France", en: "Address in France" },
  "address.line1": { fr: "Numéro et voie", en: "Number and street" },
  "address.line1Hint": { fr: "Exemple : 12 rue de la République", en: "Example: 12 rue de la République" },
  "address.line2": { fr: "Complément d’adresse", en: "Address line 2" },
  "address.line2Hint": { fr: "Bâtiment, étage, chez… (facultatif)", en: "Building, floor, care of… (optional)" },
  "address.postcode": { fr: "Code postal", en: "Postcode" },
  "address.postcodeHint": { fr: "5 chiffres. Exemple : 69003", en: "5 digits. Example: 69003" },
  "address.city": { fr: "Ville", en: "Town or city" },
  addressAll: {
    fr: "Pour une adresse, le numéro et la voie, le code postal et la ville sont obligatoires. Videz les quatre champs pour la retirer.",
    en: "For an address, the number and street, the postcode and the town are required. Empty all four fields to remove it.",
  },
  phone: { fr: "Téléphone mobile", en: "Mobile phone" },
  phoneHint: { fr: "Un numéro de mobile français (06 ou 07). Exemple : 06 12 34 56 78", en: "A French mobile number (06 or 07). Example: 06 12 34 56 78" },
  email: { fr: "Adresse électronique", en: "Email address" },
  emailHint: {
    fr: "Pour la changer, saisissez la nouvelle : elle ne servira qu’une fois confirmée par le lien que nous y enverrons.",
    en: "To change it, type the new one: it will be used only once confirmed through the link we send there.",
  },
  save: { fr: "Enregistrer", en: "Save" },
  saving: { fr: "Enregistrement…", en: "Saving…" },
  saved: { fr: "Vos coordonnées sont enregistrées.", en: "Your contact details are saved." },
  unchanged: { fr: "Rien n’a changé : il n’y a rien à enregistrer.", en: "Nothing changed: there is nothing to save." },
  pending: { fr: "Nouvelle adresse électronique à confirmer", en: "New email address to confirm" },
  pendingText: {
    fr: "Nous avons envoyé un lien à {pending}. Ouvrez-le pour confirmer cette adresse. D’ici là, vos courriels et votre connexion restent sur {email}.",
    en: "We have sent a link to {pending}. Open it to confirm this address. Until then, your emails and your login stay on {email}.",
  },
  taken: { fr: "Cette adresse est déjà utilisée par un autre compte.", en: "This address is already used by another account." },
  conflict: {
    fr: "Votre profil a été modifié entre-temps, par exemple depuis un autre appareil. Rechargez la page, puis refaites vos changements.",
    en: "Your profile was changed in the meantime, for instance from another device. Reload the page, then make your changes again.",
  },
  problem: { fr: "Enregistrement impossible", en: "Could not save" },
  language: { fr: "Langue", en: "Language" },
  languageText: {
    fr: "Vos courriels et vos documents sont en français. Pour passer à l’anglais, utilisez le bouton « English » en haut de la page.",
    en: "Your emails and documents are in English. To switch to French, use the “Français” button at the top of the page.",
  },
};

function valuesOf(profile: Profile): Values {
  return {
    "address.line1": profile.address?.line1 ?? "",
    "address.line2": profile.address?.line2 ?? "",
    "address.postcode": profile.address?.postcode ?? "",
    "address.city": profile.address?.city ?? "",
    phone: profile.phone ?? "",
    email: profile.email,
  };
}

/** Only what changed is sent: the API changes only the fields present. */
function changes(profile: Profile, values: Values): Schemas["ProfileUpdate"] {
  const before = valuesOf(profile);
  const changed = (f: Field) => values[f].trim() !== before[f].trim();
  const update: Schemas["ProfileUpdate"] = {};
  if (FIELDS.slice(0, 4).some((f) => changed(f as Field))) {
    const [line1, line2, postcode, city] = FIELDS.slice(0, 4).map((f) => values[f].trim());
    update.address = line1 || line2 || postcode || city ? { line1, line2: line2 || null, postcode, city } : null;
  }
  if (changed("phone")) update.phone = values.phone.trim() || null;
  if (changed("email")) update.email = values.email.trim();
  return update;
}

export default function Profile() {
  const { profile } = useSession();
  if (!profile) return null;
  return <ProfileOf profile={profile} />;
}

function ProfileOf({ profile }: { profile: Profile }) {
  const t = useT(messages);
  const { lang } = useLang();
  const { refresh } = useSession();
  const [values, setValues] = useState<Values>(() => valuesOf(profile));
  const [errors, setErrors] = useState<Errors>({});
  const [outcome, setOutcome] = useState<{ severity: "success" | "info" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const update = changes(profile, values);
    if (Object.keys(update).length === 0) {
      setErrors({});
      setOutcome({ severity: "info", text: t("unchanged") });
      return;
    }
    setBusy(true);
    try {
      const saved = await must(api.PATCH("/api/me", { body: update }));
      setErrors({});
      setValues(valuesOf(saved));
      setOutcome({ severity: "success", text: t("saved") });
      await refresh();
    } catch (error) {
      setOutcome(null);
      if (error instanceof ApiFailure && error.is("validation_failed")) setErrors(error.fieldErrors());
      else if (error instanceof ApiFailure && error.is("email_taken")) setErrors({ email: t("taken") });
      else {
        setErrors({});
        setOutcome({ severity: "error", text: error instanceof ApiFailure && error.is("version_conflict") ? t("conflict") : failureText(error, lang) });
      }
    } finally {
      setBusy(false);
    }
  };

  const civil = profile.civil_status;
  const fields = FIELDS.map((f): [string, string, string] => [f, `profile-${f.replace(".", "-")}`, t(f)]);
  const extra = otherErrors(errors, FIELDS);
  const input = (field: Field, props: React.InputHTMLAttributes<HTMLInputElement>, hint?: string) => (
    <Input
      label={t(field)}
      hintText={hint}
      {...errorProps(errors, field)}
      nativeInputProps={{
        id: `profile-${field.replace(".", "-")}`,
        value: values[field],
        onChange: (e) => setValues((v) => ({ ...v, [field]: e.target.value })),
        ...props,
      }}
    />
  );

  return (
    <Page title={t("title")}>
      {profile.pending_email ? (
        <Alert
          severity="info"
          as="h2"
          title={t("pending")}
          description={t("pendingText").replace("{pending}", profile.pending_email).replace("{email}", profile.email)}
          className="fr-mb-4w"
        />
      ) : null}

      <section aria-labelledby="profile-civil" className="fr-mb-6w">
        <h2 id="profile-civil">{t("civil")}</h2>
        <p>{t("civilText")}</p>
        {civil ? (
          <dl className="sj-facts">
            <dt>{t("surname")}</dt>
            <dd>{civil.surname}</dd>
            <dt>{t("givenNames")}</dt>
            <dd>{civil.given_names}</dd>
            <dt>{t("sex")}</dt>
            <dd>{SEX[civil.sex][lang]}</dd>
            <dt>{t("birthDate")}</dt>
            <dd>{formatDate(civil.birth_date, lang)}</dd>
            <dt>{t("birthPlace")}</dt>
            <dd>{civil.birth_place}</dd>
            <dt>{t("birthCountry")}</dt>
            <dd>{countryName(civil.birth_country, lang)}</dd>
            <dt>{t("nationality")}</dt>
            <dd>{countryName(civil.nationality, lang)}</dd>
            <dt>{t("foreignerNumber")}</dt>
            <dd>{profile.foreigner_number ?? t("noNumber")}</dd>
          </dl>
        ) : (
          <p>{t("noCivil")}</p>
        )}
      </section>

      <section aria-labelledby="profile-contact" className="fr-mb-6w">
        <h2 id="profile-contact">{t("contact")}</h2>
        <p>{t("contactText")}</p>
        <div className="fr-grid-row">
          <div className="fr-col-12 fr-col-md-8 fr-col-lg-7">
            <ErrorSummary items={summaryItems(errors, fields, lang)} detail={extra.length ? extra.join(" ") : undefined} />
            <Focus when={outcome}>
              {outcome ? (
                <Alert severity={outcome.severity} role={outcome.severity === "error" ? "alert" : "status"} small description={outcome.text} className="fr-mb-4w" />
              ) : null}
            </Focus>
            <form onSubmit={submit} noValidate className="sj-form">
              <Fieldset legend={t("address")}>
                  <p className="fr-hint-text">{t("addressAll")}</p>
                  {input("address.line1", { autoComplete: "address-line1" }, t("address.line1Hint"))}
                  {input("address.line2", { autoComplete: "address-line2" }, t("address.line2Hint"))}
                  {input("address.postcode", { autoComplete: "postal-code", inputMode: "numeric", maxLength: 5 }, t("address.postcodeHint"))}
                  {input("address.city", { autoComplete: "address-level2" })}
                </Fieldset>
              {input("phone", { type: "tel", autoComplete: "tel" }, t("phoneHint"))}
              {input("email", { type: "email", autoComplete: "email", spellCheck: false }, t("emailHint"))}
              <Button type="submit" disabled={busy}>
                {busy ? t("saving") : t("save")}
              </Button>
            </form>
          </div>
        </div>
      </section>

      <section aria-labelledby="profile-language">
        <h2 id="profile-language">{t("language")}</h2>
        <p>{t("languageText")}</p>
      </section>
    </Page>
  );
}
