// Step 3, resources (F10): the monthly resources, their total computed as
// typed against the minimum the API gives (`resources.monthly_minimum`,
// configuration, 615 € today), an explanation, and whether the applicant is
// housed free of charge (which changes the documents of step 4). Below the
// minimum the applicant is warned, and may go on.
import { useEffect, useRef, useState } from "react";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Highlight } from "@codegouvfr/react-dsfr/Highlight";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import type { Schemas } from "../../api/client";
import { useLang, useT } from "../../i18n";
import { errorProps, fieldId, StepFrame, type FieldErrors, type StepFormProps } from "./StepFrame";
import { RESOURCE_KINDS as KINDS } from "./summaryLabels";

type ResourceKind = Schemas["ResourceKind"];


const messages = {
  minimumTitle: { fr: "Montant minimum", en: "Minimum amount" },
  minimum: {
    fr: "Vos ressources doivent atteindre au moins {m} par mois.",
    en: "Your resources must reach at least {m} a month.",
  },
  linesTitle: { fr: "Vos ressources mensuelles", en: "Your monthly resources" },
  linesHint: {
    fr: "Indiquez chaque ressource et son montant par mois. Vous en joindrez les justificatifs à l’étape 4.",
    en: "Give each resource and its monthly amount. You will attach the proofs in step 4.",
  },
  line: { fr: "Ressource {n}", en: "Resource {n}" },
  kind: { fr: "Nature de la ressource *", en: "Kind of resource *" },
  choose: { fr: "Choisissez dans la liste", en: "Choose from the list" },
  amount: { fr: "Montant par mois, en euros *", en: "Monthly amount, in euros *" },
  amountHint: { fr: "Par exemple 450 ou 450,50", en: "For example 450 or 450.50" },
  amountInvalid: {
    fr: "Indiquez un montant en euros, par exemple 450 ou 450,50.",
    en: "Give an amount in euros, for example 450 or 450.50.",
  },
  remove: { fr: "Supprimer la ressource {n}", en: "Remove resource {n}" },
  removed: { fr: "Ressource supprimée.", en: "Resource removed." },
  add: { fr: "Ajouter une ressource", en: "Add a resource" },
  none: { fr: "Aucune ressource indiquée pour l’instant.", en: "No resource given yet." },
  total: { fr: "Total par mois :", en: "Monthly total:" },
  belowTitle: { fr: "Ressources inférieures au minimum", en: "Resources below the minimum" },
  below: {
    fr: "Le total de vos ressources est inférieur au minimum de {m} par mois. Vous pouvez continuer votre demande, mais la préfecture peut la refuser pour ressources insuffisantes. Expliquez votre situation ci-dessous (logement fourni, bourse à venir, aide d’un proche…) et joignez tous vos justificatifs.",
    en: "Your total resources are below the minimum of {m} a month. You may go on with your application, but the prefecture may refuse it for insufficient resources. Explain your situation below (housing provided, a scholarship to come, help from a relative…) and attach all your proofs.",
  },
  explanation: { fr: "Explications (facultatif)", en: "Explanation (optional)" },
  explanationHint: {
    fr: "Tout ce qui aide à comprendre vos ressources : qui vous aide, depuis quand, comment l’argent vous parvient…",
    en: "Anything that helps understand your resources: who helps you, since when, how the money reaches you…",
  },
  housingTitle: { fr: "Votre logement", en: "Your housing" },
  housed: { fr: "Êtes-vous hébergé(e) gratuitement ? *", en: "Are you housed free of charge? *" },
  housedHint: {
    fr: "Par exemple chez un proche, sans payer de loyer. Si oui, l’étape 4 vous demandera une attestation d’hébergement et une pièce d’identité de la personne qui vous héberge, au lieu d’un justificatif de domicile.",
    en: "For instance at a relative’s, paying no rent. If so, step 4 will ask for a certificate from your host and their identity document, instead of a proof of address.",
  },
  yes: { fr: "Oui", en: "Yes" },
  no: { fr: "Non", en: "No" },
};

type Row = { key: number; kind: ResourceKind | ""; amount: string };
type State = { rows: Row[]; explanation: string; housed: "yes" | "no" | "" };

/** "1 200,50 €" → 120050 cents; null when it is not an amount. */
function parseCents(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f€]/g, "").replace(",", ".");
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(compact)) return null;
  return Math.round(Number(compact) * 100);
}

/** 120050 → "1200,50" (fr) or "1200.50" (en): as the applicant would type it. */
function amountText(cents: number, lang: "fr" | "en"): string {
  const text = cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
  return lang === "fr" ? text.replace(".", ",") : text;
}

/** "615 €" / "€615", cents shown only when there are any. */
function euros(cents: number, lang: "fr" | "en"): string {
  return new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    style: "currency",
    currency: "EUR",
    minimumFractionDigits: cents % 100 === 0 ? 0 : 2,
    maximumFractionDigits: 2,
  }).format(cents / 100);
}

let nextKey = 1;

function fromView(view: StepFormProps["application"], lang: "fr" | "en"): State {
  const r = view.resources;
  return {
    rows: r.lines.map((l) => ({ key: nextKey++, kind: l.kind, amount: amountText(l.monthly_amount, lang) })),
    explanation: r.explanation ?? "",
    housed: r.housed_free_of_charge == null ? "" : r.housed_free_of_charge ? "yes" : "no",
  };
}

const isEmpty = (row: Row) => row.kind === "" && row.amount.trim() === "";

/** Each row's index in the body (empty rows are not sent), or -1. */
function sentIndexes(rows: Row[]): number[] {
  let j = 0;
  return rows.map((row) => (isEmpty(row) ? -1 : j++));
}

function toBody(s: State): Schemas["ResourcesInput"] {
  return {
    lines: s.rows.filter((row) => !isEmpty(row)).map((row) => ({ kind: row.kind === "" ? null : row.kind, monthly_amount: parseCents(row.amount) })),
    explanation: s.explanation.trim() === "" ? null : s.explanation.trim(),
    housed_free_of_charge: s.housed === "" ? null : s.housed === "yes",
  };
}

export default function Step3Resources(props: StepFormProps) {
  const t = useT(messages);
  const { lang } = useLang();
  const [s, setS] = useState<State>(() => fromView(props.application, lang));
  const [focusRow, setFocusRow] = useState<number | null>(null);
  const [announce, setAnnounce] = useState("");
  const addButton = useRef<HTMLButtonElement>(null);
  const minimum = props.application.resources.monthly_minimum;
  const minimumText = euros(minimum, lang);
  const sent = sentIndexes(s.rows);

  // A new row: focus its first field.
  useEffect(() => {
    if (focusRow === null) return;
    document.getElementById(`resource-${focusRow}-kind`)?.focus();
    setFocusRow(null);
  }, [focusRow]);

  const total = s.rows.reduce((sum, row) => sum + (parseCents(row.amount) ?? 0), 0);
  const anyAmount = s.rows.some((row) => parseCents(row.amount) !== null);
  const below = anyAmount && total < minimum;

  const setRow = (key: number, patch: Partial<Row>) =>
    setS((prev) => ({ ...prev, rows: prev.rows.map((row) => (row.key === key ? { ...row, ...patch } : row)) }));
  const add = () => {
    const key = nextKey++;
    setS((prev) => ({ ...prev, rows: [...prev.rows, { key, kind: "", amount: "" }] }));
    setAnnounce("");
    setFocusRow(key);
  };
  const remove = (key: number) => {
    setS((prev) => ({ ...prev, rows: prev.rows.filter((row) => row.key !== key) }));
    setAnnounce(t("removed"));
    addButton.current?.focus();
  };

  const validate = (): FieldErrors => {
    const out: FieldErrors = {};
    s.rows.forEach((row, i) => {
      if (sent[i] >= 0 && row.amount.trim() !== "" && parseCents(row.amount) === null) out[`lines[${sent[i]}].monthly_amount`] = t("amountInvalid");
    });
    return out;
  };

  const labels = (field: string): string | undefined => {
    const m = /^lines\[(\d+)\]\.(kind|monthly_amount)$/.exec(field);
    if (m) {
      const row = sent.indexOf(Number(m[1]));
      const n = t("line").replace("{n}", String(row + 1));
      return `${n}, ${(m[2] === "kind" ? t("kind") : t("amount")).replace(/ \*$/, "").toLowerCase()}`;
    }
    if (field === "lines") return t("linesTitle");
    if (field === "explanation") return t("explanation");
    if (field === "housed_free_of_charge") return t("housed").replace(/ \*$/, "");
    return undefined;
  };

  return (
    <StepFrame
      {...props}
      section="resources"
      body={() => toBody(s)}
      validate={validate}
      labels={labels}
      radios={["housed_free_of_charge"]}
      intro={<Highlight>{t("minimum").replace("{m}", minimumText)}</Highlight>}
    >
      {(errors) => (
        <>
          <section aria-labelledby="lines-title" className="fr-mb-6w">
            <h3 id="lines-title">{t("linesTitle")}</h3>
            <p className="fr-hint-text">{t("linesHint")}</p>
            {errors.lines ? (
              <p id={fieldId("lines")} tabIndex={-1} className="fr-message fr-message--error fr-mb-2w">
                {errors.lines}
              </p>
            ) : null}
            {s.rows.length === 0 ? <p>{t("none")}</p> : null}
            {s.rows.map((row, i) => {
              const n = String(i + 1);
              const path = (name: string) => (sent[i] >= 0 ? `lines[${sent[i]}].${name}` : `new-${row.key}.${name}`);
              return (
                <fieldset key={row.key} className="fr-mb-3w fr-px-2w fr-pb-2w" style={{ border: "1px solid var(--border-default-grey)", minWidth: 0, marginLeft: 0, marginRight: 0 }}>
                  <legend className="fr-text--bold fr-px-1w">{t("line").replace("{n}", n)}</legend>
                  <div className="fr-grid-row fr-grid-row--gutters">
                    <div className="fr-col-12 fr-col-md-6">
                      <Select
                        label={t("kind")}
                        {...errorProps(errors, path("kind"))}
                        nativeSelectProps={{
                          id: sent[i] >= 0 ? fieldId(path("kind")) : `resource-${row.key}-kind`,
                          value: row.kind,
                          onChange: (e) => setRow(row.key, { kind: e.target.value as ResourceKind | "" }),
                        }}
                      >
                        <option value="">{t("choose")}</option>
                        {(Object.keys(KINDS) as ResourceKind[]).map((k) => (
                          <option key={k} value={k}>
                            {KINDS[k][lang]}
                          </option>
                        ))}
                      </Select>
                    </div>
                    <div className="fr-col-12 fr-col-md-6">
                      <Input
                        label={t("amount")}
                        hintText={t("amountHint")}
                        {...errorProps(errors, path("monthly_amount"))}
                        nativeInputProps={{
                          id: fieldId(path("monthly_amount")),
                          value: row.amount,
                          onChange: (e) => setRow(row.key, { amount: e.target.value }),
                          inputMode: "decimal",
                          autoComplete: "off",
                          maxLength: 12,
                        }}
                      />
                    </div>
                  </div>
                  <Button type="button" priority="tertiary" size="small" iconId="fr-icon-delete-line" onClick={() => remove(row.key)}>
                    {t("remove").replace("{n}", n)}
                  </Button>
                </fieldset>
              );
            })}
            <Button ref={addButton} type="button" priority="secondary" iconId="fr-icon-add-line" onClick={add}>
              {t("add")}
            </Button>
            <p role="status" className="fr-sr-only">
              {announce}
            </p>
            <p className="fr-text--lg fr-mt-4w">
              <span className="fr-text--bold">{t("total")}</span> <output>{euros(total, lang)}</output>
            </p>
            <div aria-live="polite">
              {below ? (
                <Alert severity="warning" title={t("belowTitle")} description={t("below").replace("{m}", minimumText)} />
              ) : null}
            </div>
            <Input
              className="fr-mt-4w"
              textArea
              label={t("explanation")}
              hintText={t("explanationHint")}
              {...errorProps(errors, "explanation")}
              nativeTextAreaProps={{
                id: fieldId("explanation"),
                value: s.explanation,
                onChange: (e) => setS((prev) => ({ ...prev, explanation: e.target.value })),
                rows: 5,
                maxLength: 2000,
              }}
            />
          </section>
          <section aria-labelledby="housing-title">
            <h3 id="housing-title">{t("housingTitle")}</h3>
            <RadioButtons
              id={fieldId("housed_free_of_charge")}
              legend={t("housed")}
              hintText={t("housedHint")}
              name="housed_free_of_charge"
              orientation="horizontal"
              {...errorProps(errors, "housed_free_of_charge")}
              options={(["yes", "no"] as const).map((value) => ({
                label: t(value),
                nativeInputProps: {
                  value,
                  checked: s.housed === value,
                  onChange: () => setS((prev) => ({ ...prev, housed: value })),
                },
              }))}
            />
          </section>
        </>
      )}
    </StepFrame>
  );
}
