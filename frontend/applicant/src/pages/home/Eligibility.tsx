// The eligibility check of the home page (F1): what the visitor holds,
// typed in, and the API's answer in words: covered or not and why, the
// filing window, and the préfecture in charge.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { CallOut } from "@codegouvfr/react-dsfr/CallOut";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, ApiFailure, must, type Schemas } from "../../api/client";
import { formatDate, formatEuros, useLang, useT, type Text } from "../../i18n";
import { ErrorSummary } from "../../ui/ErrorSummary";
import { errorProps, failureText, otherErrors, summaryItems, type Errors } from "../account/form";
import { REASONS } from "../account/reasons";

type DocumentType = Schemas["EligibilityRequest"]["document_type"];
type Answer = Schemas["EligibilityAnswer"];
type DateField = "valid_until" | "arrival_date" | "birth_date";

/** What each document is called, and which dates the check needs of it. */
const DOCUMENTS: Record<DocumentType, { label: Text; group: "visa" | "permit" | "none"; dates: DateField[] }> = {
  vls_ts_student: {
    label: { fr: "Visa long séjour valant titre de séjour (VLS-TS) « étudiant »", en: "Long-stay visa equivalent to a residence permit (VLS-TS) “student”" },
    group: "visa",
    dates: ["valid_until", "arrival_date"],
  },
  vls_ts_student_mobility: {
    label: { fr: "VLS-TS « étudiant – programme de mobilité »", en: "VLS-TS “student – mobility programme”" },
    group: "visa",
    dates: ["valid_until", "arrival_date"],
  },
  vls_student_algeria: {
    label: { fr: "Visa long séjour « étudiant » (ressortissant algérien)", en: "Long-stay visa “student” (Algerian national)" },
    group: "visa",
    dates: ["valid_until", "arrival_date"],
  },
  vls_student_mobility: {
    label: { fr: "Visa long séjour (VLS) « étudiant mobilité »", en: "Long-stay visa (VLS) “student mobility”" },
    group: "visa",
    dates: ["valid_until", "arrival_date"],
  },
  vls_t_minor_schooled: {
    label: { fr: "Visa long séjour temporaire (VLS-T) « mineur scolarisé »", en: "Temporary long-stay visa (VLS-T) “schooled minor”" },
    group: "visa",
    dates: ["valid_until", "arrival_date", "birth_date"],
  },
  visa_concours: {
    label: { fr: "Visa court séjour « concours »", en: "Short-stay visa “competitive exam” (concours)" },
    group: "visa",
    dates: ["valid_until"],
  },
  permit_student: {
    label: { fr: "Titre de séjour « étudiant »", en: "Residence permit “student”" },
    group: "permit",
    dates: ["valid_until"],
  },
  permit_other: {
    label: { fr: "Titre de séjour pour un autre motif que les études", en: "Residence permit for another reason than studies" },
    group: "permit",
    dates: ["valid_until"],
  },
  eu_long_term: {
    label: { fr: "Carte de résident de longue durée – UE (carte RLD-UE)", en: "EU long-term resident card (carte RLD-UE)" },
    group: "permit",
    dates: ["valid_until"],
  },
  none: {
    label: { fr: "Ni visa long séjour, ni titre de séjour", en: "Neither a long-stay visa nor a residence permit" },
    group: "none",
    dates: [],
  },
};

const PROCEDURES: Record<Schemas["Procedure"], Text> = {
  first_application: {
    fr: "Il s’agit d’une première demande de titre de séjour, après votre visa.",
    en: "This is a first application for a residence permit, after your visa.",
  },
  renewal: { fr: "Il s’agit du renouvellement de votre titre de séjour.", en: "This is the renewal of your residence permit." },
};

const messages = {
  heading: { fr: "Pouvez-vous faire la démarche en ligne ?", en: "Can you apply online?" },
  intro: {
    fr: "Répondez à ces quelques questions : nous vous disons si votre situation est prise en charge, dans quel délai déposer votre demande et quelle est votre préfecture. Rien n’est enregistré.",
    en: "Answer these few questions: we tell you whether your situation is covered, when to file your application and which préfecture is yours. Nothing is saved.",
  },
  allRequired: { fr: "Tous les champs sont obligatoires.", en: "All fields are required." },
  required: { fr: "Ce champ est obligatoire.", en: "This field is required." },
  document: { fr: "Vous détenez", en: "You hold" },
  documentHint: { fr: "Le visa ou le titre de séjour avec lequel vous êtes en France aujourd’hui.", en: "The visa or residence permit you are in France with today." },
  choose: { fr: "Choisissez votre situation", en: "Choose your situation" },
  visas: { fr: "Visas", en: "Visas" },
  permits: { fr: "Titres de séjour", en: "Residence permits" },
  other: { fr: "Autre situation", en: "Other situation" },
  valid_until: { fr: "Date de fin de validité", en: "End of validity" },
  valid_untilHint: { fr: "Telle qu’elle est imprimée sur le visa ou le titre.", en: "As printed on the visa or permit." },
  arrival_date: { fr: "Date d’arrivée en France", en: "Date of arrival in France" },
  arrival_dateHint: { fr: "Le jour où vous êtes entré en France avec ce visa.", en: "The day you entered France with this visa." },
  birth_date: { fr: "Date de naissance", en: "Date of birth" },
  birth_dateHint: { fr: "Le VLS-T « mineur scolarisé » ouvre la démarche à 18 ans.", en: "The VLS-T “schooled minor” opens the procedure at 18." },
  postcode: { fr: "Code postal de votre adresse en France", en: "Postcode of your address in France" },
  postcodeHint: { fr: "Il détermine votre préfecture. Exemple : 69003", en: "It decides your préfecture. Example: 69003" },
  check: { fr: "Vérifier", en: "Check" },
  checking: { fr: "Vérification…", en: "Checking…" },
  result: { fr: "Résultat", en: "Result" },
  covered: { fr: "Vous pouvez faire votre demande en ligne", en: "You can apply online" },
  notCovered: { fr: "Votre demande ne peut pas se faire en ligne", en: "Your application cannot be made online" },
  notYetOpen: { fr: "Il est encore trop tôt pour déposer", en: "It is still too early to file" },
  notYetOpenText: { fr: "Le dépôt de votre demande ouvre le {date}. Revenez à partir de cette date.", en: "Filing your application opens on {date}. Come back from that date." },
  onTime: { fr: "Vous êtes dans les délais", en: "You are on time" },
  onTimeText: { fr: "Déposez votre demande au plus tard le {date}.", en: "File your application by {date} at the latest." },
  late: { fr: "Le délai est dépassé : une taxe s’ajoute", en: "The deadline has passed: a fee is added" },
  lateText: {
    fr: "Votre demande est encore acceptée jusqu’au {date}, mais une taxe de {fee} s’ajoute pour dépôt tardif. Déposez-la au plus vite.",
    en: "Your application is still accepted until {date}, but a late-filing fee of {fee} is added. File it as soon as possible.",
  },
  prefecture: { fr: "Votre préfecture", en: "Your préfecture" },
  prefectureText: { fr: "Préfecture : {seat}. Département : {departement} ({code}).", en: "Préfecture: {seat}. Département: {departement} ({code})." },
  goThere: {
    fr: "Adressez-vous à elle pour votre demande : elle vous dira quels documents apporter.",
    en: "Contact it for your application: it will tell you which documents to bring.",
  },
  nextPermit: { fr: "Activez votre compte avec votre titre de séjour", en: "Activate your account with your residence permit" },
  nextVisa: { fr: "Activez votre compte avec votre visa", en: "Activate your account with your visa" },
  orLogin: { fr: "J’ai déjà un compte : me connecter", en: "I already have an account: log in" },
};

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? "");
}

export function Eligibility() {
  const t = useT(messages);
  const { lang } = useLang();
  const [document, setDocument] = useState<DocumentType | "">("");
  const [dates, setDates] = useState<Record<DateField, string>>({ valid_until: "", arrival_date: "", birth_date: "" });
  const [postcode, setPostcode] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [detail, setDetail] = useState<string | undefined>();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [busy, setBusy] = useState(false);
  const resultHeading = useRef<HTMLHeadingElement>(null);

  const asked: DateField[] = document ? DOCUMENTS[document].dates : [];

  useEffect(() => {
    if (answer) resultHeading.current?.focus();
  }, [answer]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!document) {
      setErrors({ document_type: t("choose") });
      setDetail(undefined);
      setAnswer(null);
      return;
    }
    // The API names one missing date at a time: all of them are said at once here.
    const missing: Errors = {};
    for (const field of asked) if (!dates[field]) missing[field] = t("required");
    if (!postcode.trim()) missing.postcode = t("required");
    if (Object.keys(missing).length) {
      setErrors(missing);
      setDetail(undefined);
      setAnswer(null);
      return;
    }
    setBusy(true);
    setDetail(undefined);
    try {
      const value = (field: DateField) => (asked.includes(field) && dates[field] ? dates[field] : null);
      const result = await must(
        api.POST("/api/eligibility", {
          body: {
            document_type: document,
            postcode: postcode.trim(),
            valid_until: value("valid_until"),
            arrival_date: value("arrival_date"),
            birth_date: value("birth_date"),
          },
        }),
      );
      setErrors({});
      setAnswer(result);
    } catch (error) {
      setAnswer(null);
      if (error instanceof ApiFailure && error.is("validation_failed")) setErrors(error.fieldErrors());
      else {
        setErrors({});
        setDetail(failureText(error, lang));
      }
    } finally {
      setBusy(false);
    }
  };

  const fields: [string, string, string][] = [
    ["document_type", "eligibility-document", t("document")],
    ...asked.map((f): [string, string, string] => [f, `eligibility-${f}`, t(f)]),
    ["postcode", "eligibility-postcode", t("postcode")],
  ];
  const known = fields.map(([f]) => f);
  const extra = otherErrors(errors, known);
  const groups = (["visa", "permit", "none"] as const).map((group) => ({
    group,
    label: t(group === "visa" ? "visas" : group === "permit" ? "permits" : "other"),
    types: (Object.keys(DOCUMENTS) as DocumentType[]).filter((d) => DOCUMENTS[d].group === group),
  }));

  return (
    <section aria-labelledby="eligibility-title" className="fr-mb-6w">
      <h2 id="eligibility-title" tabIndex={-1}>{t("heading")}</h2>
      <p>{t("intro")}</p>
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-10 fr-col-lg-8">
      <ErrorSummary items={summaryItems(errors, fields, lang)} detail={detail ?? (extra.length ? extra.join(" ") : undefined)} />
      <form onSubmit={submit} noValidate className="sj-form">
        <p className="fr-hint-text">{t("allRequired")}</p>
        <Select
          label={t("document")}
          hint={t("documentHint")}
          {...errorProps(errors, "document_type")}
          nativeSelectProps={{
            id: "eligibility-document",
            value: document,
            onChange: (e) => {
              setDocument(e.target.value as DocumentType | "");
              setAnswer(null);
            },
          }}
        >
          <option value="" disabled>
            {t("choose")}
          </option>
          {groups.map(({ group, label, types }) => (
            <optgroup key={group} label={label}>
              {types.map((d) => (
                <option key={d} value={d}>
                  {DOCUMENTS[d].label[lang]}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
        {asked.map((field) => (
          <Input
            key={field}
            label={t(field)}
            hintText={t(`${field}Hint`)}
            {...errorProps(errors, field)}
            nativeInputProps={{
              id: `eligibility-${field}`,
              type: "date",
              value: dates[field],
              onChange: (e) => setDates({ ...dates, [field]: e.target.value }),
            }}
          />
        ))}
        <Input
          label={t("postcode")}
          hintText={t("postcodeHint")}
          {...errorProps(errors, "postcode")}
          nativeInputProps={{
            id: "eligibility-postcode",
            inputMode: "numeric",
            autoComplete: "postal-code",
            maxLength: 5,
            value: postcode,
            onChange: (e) => setPostcode(e.target.value),
          }}
        />
        <Button type="submit" disabled={busy}>
          {busy ? t("checking") : t("check")}
        </Button>
      </form>
      <div aria-live="polite">{busy ? <p className="fr-sr-only">{t("checking")}</p> : null}</div>
      {answer ? (
        <div className="fr-mt-4w">
          <h3 ref={resultHeading} tabIndex={-1}>
            {t("result")}
          </h3>
          <Outcome answer={answer} />
        </div>
      ) : null}
        </div>
      </div>
    </section>
  );
}

function Outcome({ answer }: { answer: Answer }) {
  const t = useT(messages);
  const { lang } = useLang();
  const prefecture = fill(t("prefectureText"), answer.prefecture);
  if (answer.outcome === "not_covered") {
    return (
      <>
        <Alert severity="warning" as="h4" title={t("notCovered")} description={REASONS[answer.reason][lang]} className="fr-mb-3w" />
        <CallOut title={t("prefecture")} titleAs="h4" iconId="fr-icon-government-line">
          {prefecture} {t("goThere")}
        </CallOut>
      </>
    );
  }
  const { filing } = answer;
  const timing =
    filing.status === "not_yet_open"
      ? { severity: "info" as const, title: t("notYetOpen"), text: fill(t("notYetOpenText"), { date: formatDate(filing.opens_on, lang) }) }
      : filing.status === "on_time"
        ? { severity: "info" as const, title: t("onTime"), text: fill(t("onTimeText"), { date: formatDate(filing.due_by, lang) }) }
        : {
            severity: "warning" as const,
            title: t("late"),
            text: fill(t("lateText"), { date: formatDate(filing.closes_on, lang), fee: formatEuros(filing.late_fee_eur, lang) }),
          };
  const kind = answer.procedure === "renewal" ? "permit" : "visa";
  return (
    <>
      <Alert severity="success" as="h4" title={t("covered")} description={PROCEDURES[answer.procedure][lang]} className="fr-mb-3w" />
      <Alert severity={timing.severity} as="h4" title={timing.title} description={timing.text} className="fr-mb-3w" />
      <CallOut title={t("prefecture")} titleAs="h4" iconId="fr-icon-government-line">
        {prefecture}
      </CallOut>
      <ul className="fr-btns-group fr-btns-group--inline-md">
        <li>
          <Button linkProps={{ to: `/activate/${kind}` }}>{t(kind === "permit" ? "nextPermit" : "nextVisa")}</Button>
        </li>
        <li>
          <Button priority="secondary" linkProps={{ to: "/login" }}>
            {t("orLogin")}
          </Button>
        </li>
      </ul>
    </>
  );
}
