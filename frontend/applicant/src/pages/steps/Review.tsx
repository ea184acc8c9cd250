// Step 5, the review (F12): one accordion per section (steps 1–4) showing
// what was saved, each validated on its own (POST …/review/{section}); a
// change of a step withdraws its validation (the API does it on save). The
// free text for the administration goes with the submission, possible at
// 4/4 only: POST …/submit with an Idempotency-Key kept for the retries of
// the same attempt.
import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { api, ApiFailure, etagOf, idempotencyKey, type Schemas } from "../../api/client";
import { formatDate, formatEuros, useLang, useT, type Lang, type Text } from "../../i18n";
import { Link, Navigate, navigate, useParams } from "../../router";
import { KIND_LABELS } from "../../ui/documents";
import { Page } from "../../ui/Page";
import { countryName } from "./countries";
import { SECTIONS, StepProgress, stepNumber, stepPath, STEP_TITLES, type Section } from "./StepFrame";
import {
  CYCLES,
  DISCIPLINES,
  fieldLabel,
  INSTITUTION_TYPES,
  LEVELS,
  missingCode,
  RESOURCE_KINDS,
  SEXES,
  SITUATIONS,
} from "./summaryLabels";
import { toLogin, useApplication, type ApplicationView } from "./useApplication";

const COMMENT_MAX = 2000;
/** French puts a (narrow) space before a colon, English does not. */
const COLON: Record<Lang, string> = { fr: "\u202f: ", en: ": " };

const messages = {
  procedure: { fr: "Demande de titre de séjour étudiant", en: "Student residence permit application" },
  reference: { fr: "Demande n°", en: "Application no." },
  loading: { fr: "Chargement de votre demande…", en: "Loading your application…" },
  loadFailed: {
    fr: "Votre demande n’a pas pu être chargée. Vérifiez votre connexion puis rechargez la page.",
    en: "Your application could not be loaded. Check your connection, then reload the page.",
  },
  notFound: { fr: "Cette demande n’existe pas ou n’est pas la vôtre.", en: "This application does not exist or is not yours." },
  account: { fr: "Mon compte", en: "My account" },
  intro: {
    fr: "Vérifiez chacune des 4 rubriques puis validez-la. Vous pourrez déposer votre demande quand les 4 rubriques seront validées. Modifier une rubrique annule sa validation.",
    en: "Check each of the 4 sections, then validate it. You can submit your application once the 4 sections are validated. Changing a section cancels its validation.",
  },
  counter: { fr: "{n}/{total} rubriques validées", en: "{n}/{total} sections validated" },
  validated: { fr: "Validée", en: "Validated" },
  toValidate: { fr: "À valider", en: "To validate" },
  incomplete: { fr: "Incomplète", en: "Incomplete" },
  change: { fr: "Modifier", en: "Change" },
  changeSection: { fr: "Modifier la rubrique « {s} »", en: "Change the “{s}” section" },
  changeHint: { fr: "Modifier cette rubrique annulera sa validation.", en: "Changing this section cancels its validation." },
  validate: { fr: "J’ai vérifié cette rubrique : valider", en: "I have checked this section: validate" },
  validating: { fr: "Validation…", en: "Validating…" },
  sectionDone: { fr: "Rubrique « {s} » validée.", en: "Section “{s}” validated." },
  missingTitle: { fr: "Informations manquantes", en: "Missing information" },
  missingIntro: {
    fr: "Complétez ces informations avant de valider cette rubrique :",
    en: "Complete this information before validating this section:",
  },
  completeIt: { fr: "Compléter la rubrique « {s} »", en: "Complete the “{s}” section" },
  notGiven: { fr: "Non renseigné", en: "Not given" },
  yes: { fr: "Oui", en: "Yes" },
  no: { fr: "Non", en: "No" },
  // Personal.
  civil: { fr: "État civil (fichiers de l’État)", en: "Civil status (state records)" },
  name: { fr: "Nom et prénoms", en: "Surname and given names" },
  sex: { fr: "Sexe", en: "Sex" },
  birth: { fr: "Naissance", en: "Birth" },
  bornOn: { fr: "le {date} à {place} ({country})", en: "on {date} in {place} ({country})" },
  nationality: { fr: "Nationalité", en: "Nationality" },
  foreignerNumber: { fr: "Numéro étranger", en: "Foreigner number" },
  email: { fr: "Adresse électronique", en: "Email address" },
  usageName: { fr: "Nom d’usage", en: "Usage name" },
  situation: { fr: "Situation familiale", en: "Family situation" },
  spouse: { fr: "Conjoint(e) ou partenaire en France", en: "Spouse or partner in France" },
  spouseNationality: { fr: "Nationalité du conjoint ou de la conjointe", en: "Spouse’s or partner’s nationality" },
  children: { fr: "Enfants vivant en France", en: "Children living in France" },
  address: { fr: "Adresse en France", en: "Address in France" },
  phone: { fr: "Téléphone portable", en: "Mobile phone" },
  prefecture: { fr: "Préfecture compétente", en: "Préfecture in charge" },
  // Studies.
  institutionType: { fr: "Type d’établissement", en: "Type of institution" },
  institutionName: { fr: "Établissement", en: "Institution" },
  cycle: { fr: "Cycle d’études", en: "Study cycle" },
  level: { fr: "Niveau d’études", en: "Level of study" },
  discipline: { fr: "Discipline", en: "Discipline" },
  year: { fr: "Année universitaire", en: "Academic year" },
  // Resources.
  lines: { fr: "Ressources mensuelles", en: "Monthly resources" },
  perMonth: { fr: "{amount} par mois", en: "{amount} a month" },
  total: { fr: "Total mensuel", en: "Monthly total" },
  minimum: { fr: "(minimum demandé : {amount})", en: "(minimum asked: {amount})" },
  below: {
    fr: "Vos ressources sont inférieures au minimum demandé ({min} par mois) : votre demande pourra être refusée pour ressources insuffisantes. Expliquez votre situation dans la rubrique « Ressources » si ce n’est pas fait.",
    en: "Your resources are below the minimum asked ({min} a month): your application may be refused for insufficient resources. Explain your situation in the “Resources” section if not done yet.",
  },
  explanation: { fr: "Explication", en: "Explanation" },
  housed: { fr: "Hébergé(e) à titre gratuit", en: "Housed free of charge" },
  // Documents.
  ephoto: { fr: "Code e-photo", en: "E-photo code" },
  accepted: { fr: "accepté", en: "accepted" },
  rejected: { fr: "refusé, à remplacer", en: "rejected, to be replaced" },
  awaiting: { fr: "envoi non terminé", en: "upload not finished" },
  missingFile: { fr: "Aucun fichier", en: "No file" },
  // Submission.
  lateFee: {
    fr: "Vous déposez votre demande après la date limite : une taxe de {fee} vous sera demandée.",
    en: "You are filing your application after the deadline: a fee of {fee} will be asked.",
  },
  submitTitle: { fr: "Déposer la demande", en: "Submit the application" },
  comment: { fr: "Message pour l’administration (facultatif)", en: "Message for the administration (optional)" },
  commentHint: {
    fr: "Une précision utile à l’examen de votre demande. {max} caractères au plus.",
    en: "Anything useful for the review of your application. At most {max} characters.",
  },
  left: { fr: "{n} caractères restants", en: "{n} characters left" },
  tooLong: { fr: "Votre message dépasse {max} caractères : raccourcissez-le.", en: "Your message is longer than {max} characters: shorten it." },
  submit: { fr: "Déposer ma demande", en: "Submit my application" },
  submitting: { fr: "Dépôt en cours…", en: "Submitting…" },
  submitLocked: {
    fr: "Validez les 4 rubriques ci-dessus pour pouvoir déposer votre demande.",
    en: "Validate the 4 sections above to be able to submit your application.",
  },
  submitReady: {
    fr: "En déposant votre demande, vous certifiez l’exactitude des informations fournies.",
    en: "By submitting your application, you certify that the information given is accurate.",
  },
  notReady: { fr: "La demande ne peut pas encore être déposée", en: "The application cannot be submitted yet" },
  notReadyIntro: { fr: "Corrigez les points suivants :", en: "Correct the following:" },
  notValidated: { fr: "rubrique à valider", en: "section to validate" },
  inStep: { fr: "étape {n}", en: "step {n}" },
  conflict: {
    fr: "Votre demande a été modifiée dans une autre fenêtre ou sur un autre appareil. La version la plus récente est affichée : vérifiez-la à nouveau.",
    en: "Your application was changed in another window or device. The latest version is shown: check it again.",
  },
  network: {
    fr: "Le service ne répond pas. Vérifiez votre connexion et réessayez : rien n’a été perdu.",
    en: "The service does not answer. Check your connection and try again: nothing was lost.",
  },
  errorTitle: { fr: "Une erreur est survenue", en: "Something went wrong" },
};

type Key = keyof typeof messages;
const fill = (s: string, values: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");

type Problem = { title: Text; items?: { text: string; to: string }[]; detail?: string } | null;

export default function Review() {
  const { id = "" } = useParams();
  const t = useT(messages);
  const { application, etag, error, reload, setFromSave } = useApplication(id);

  if (error) {
    return (
      <Page title={t("procedure")}>
        <Alert severity="error" title={t("errorTitle")} description={error.status === 404 ? t("notFound") : t("loadFailed")} as="h2" />
        <p className="fr-mt-4w">
          <Link to="/account">{t("account")}</Link>
        </p>
      </Page>
    );
  }
  if (!application) return <p role="status">{t("loading")}</p>;
  if (application.status !== "draft") return <Navigate to={`/applications/${id}`} replace />;
  return <ReviewForm application={application} etag={etag} reload={reload} setFromSave={setFromSave} />;
}

function ReviewForm({
  application,
  etag,
  reload,
  setFromSave,
}: {
  application: ApplicationView;
  etag: string;
  reload: () => Promise<void>;
  setFromSave: (view: ApplicationView, etag: string | null) => void;
}) {
  const t = useT(messages);
  const { lang } = useLang();
  const id = application.id;
  const [busy, setBusy] = useState<Section | "submit" | null>(null);
  const [sectionErrors, setSectionErrors] = useState<Partial<Record<Section, string>>>({});
  const [announce, setAnnounce] = useState("");
  const [comment, setComment] = useState(application.review.comment ?? "");
  const [problem, setProblem] = useState<Problem>(null);
  const key = useRef<string | null>(null);
  const problemBox = useRef<HTMLDivElement>(null);
  const statusRefs = useRef<Partial<Record<Section, HTMLParagraphElement | null>>>({});
  const [focusSection, setFocusSection] = useState<Section | null>(null);

  const { review } = application;
  const state = (s: Section) => review.sections.find((x) => x.section === s);
  const ready = review.validated === review.total;
  const tooLong = comment.length > COMMENT_MAX;
  const title = (s: Section) => STEP_TITLES[stepNumber(s) - 1][lang];

  useEffect(() => {
    if (problem) problemBox.current?.focus();
  }, [problem]);
  useEffect(() => {
    if (focusSection) {
      statusRefs.current[focusSection]?.focus();
      setFocusSection(null);
    }
  }, [focusSection, application]);

  const failure = async (response: Response, body: unknown): Promise<ApiFailure> => {
    const problem = body && typeof body === "object" && "code" in body ? (body as Schemas["Problem"]) : null;
    const failure = new ApiFailure(response.status, problem);
    if (response.status === 401) toLogin();
    if (failure.is("version_conflict")) {
      await reload();
      setProblem({ title: messages.errorTitle, detail: t("conflict") });
    }
    return failure;
  };

  const validate = async (section: Section) => {
    if (busy) return;
    setBusy(section);
    setSectionErrors((e) => ({ ...e, [section]: undefined }));
    setProblem(null);
    try {
      const { data, error, response } = await api.POST("/api/applications/{id}/review/{section}", {
        params: { path: { id, section }, header: { "If-Match": etag } },
      });
      if (response.ok && data) {
        setFromSave(data, etagOf(response));
        setAnnounce(fill(t("sectionDone"), { s: title(section) }));
        setFocusSection(section);
      } else {
        const f = await failure(response, error);
        if (f.is("not_editable")) navigate(`/applications/${id}`);
        else if (f.is("section_incomplete")) await reload();
        else if (!f.is("version_conflict")) setSectionErrors((e) => ({ ...e, [section]: f.problem?.detail ?? t("network") }));
      }
    } catch {
      setSectionErrors((e) => ({ ...e, [section]: t("network") }));
    } finally {
      setBusy(null);
    }
  };

  const submit = async () => {
    if (busy || !ready || tooLong) return;
    setBusy("submit");
    setProblem(null);
    // The same attempt keeps its key: a retry after a lost answer is not a second submission.
    key.current ??= idempotencyKey();
    try {
      const text = comment.trim();
      const { data, error, response } = await api.POST("/api/applications/{id}/submit", {
        params: { path: { id }, header: { "Idempotency-Key": key.current, "If-Match": etag } },
        body: { comment: text === "" ? null : text },
      });
      if (response.ok && data) {
        navigate(`/applications/${id}/confirmation`);
        return;
      }
      const f = await failure(response, error);
      key.current = null;
      if (f.is("already_submitted")) navigate(`/applications/${id}/confirmation`);
      else if (f.is("not_ready")) {
        await reload();
        setProblem({ title: messages.notReady, items: notReadyItems(f.problem?.errors ?? [], id, lang) });
      } else if (!f.is("version_conflict")) {
        const fields = f.fieldErrors();
        setProblem({ title: messages.errorTitle, detail: fields.comment ?? f.problem?.detail ?? t("network") });
      }
    } catch {
      // Lost answer: the key stays for the retry.
      setProblem({ title: messages.errorTitle, detail: t("network") });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page title={t("procedure")} lead={`${t("reference")} ${application.reference}`}>
      <StepProgress current={5} />
      <p>{t("intro")}</p>

      {problem ? (
        <div ref={problemBox} tabIndex={-1} className="fr-mb-4w">
          <Alert
            severity="error"
            as="h2"
            title={problem.title[lang]}
            role="alert"
            description={
              <>
                {problem.detail ? <p>{problem.detail}</p> : null}
                {problem.items ? (
                  <>
                    <p>{t("notReadyIntro")}</p>
                    <ul>
                      {problem.items.map((item) => (
                        <li key={item.text}>
                          <Link to={item.to}>{item.text}</Link>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </>
            }
          />
        </div>
      ) : null}

      <p className="fr-h5 fr-mb-2w" role="status" aria-live="polite" aria-atomic="true">
        {fill(t("counter"), { n: String(review.validated), total: String(review.total) })}
        <span className="fr-sr-only"> {announce}</span>
      </p>

      <div className="fr-accordions-group fr-mb-6w">
        {SECTIONS.map((section) => {
          const s = state(section);
          const missing = application.missing.filter((m) => m.section === section);
          const badge = s?.validated ? (
            <Badge severity="success" small as="span">
              {t("validated")}
            </Badge>
          ) : missing.length > 0 ? (
            <Badge severity="warning" small as="span">
              {t("incomplete")}
            </Badge>
          ) : (
            <Badge severity="info" small noIcon as="span">
              {t("toValidate")}
            </Badge>
          );
          const to = stepPath(id, stepNumber(section));
          return (
            <Accordion
              key={section}
              titleAs="h2"
              label={
                <span>
                  {stepNumber(section)}. {title(section)} {badge}
                </span>
              }
            >
              <SectionSummary section={section} application={application} t={t} lang={lang} />
              {missing.length > 0 ? (
                <Alert
                  className="fr-my-3w"
                  severity="warning"
                  as="h3"
                  title={t("missingTitle")}
                  description={
                    <>
                      <p>{t("missingIntro")}</p>
                      <ul>
                        {missing.map((m) => (
                          <li key={m.field}>
                            {fieldLabel(section, m.field)[lang]}
                            {COLON[lang]}
                            {missingCode(m.code)[lang]}
                          </li>
                        ))}
                      </ul>
                    </>
                  }
                />
              ) : null}
              {sectionErrors[section] ? <p className="fr-error-text">{sectionErrors[section]}</p> : null}
              <p
                ref={(el) => {
                  statusRefs.current[section] = el;
                }}
                tabIndex={-1}
                className="fr-mt-3w"
              >
                {s?.validated ? (
                  <span className="fr-text--bold">
                    <span className="fr-icon-checkbox-circle-fill fr-icon--sm fr-mr-1v" aria-hidden="true" style={{ color: "var(--text-default-success)" }} />
                    {fill(t("sectionDone"), { s: title(section) })}
                  </span>
                ) : null}
              </p>
              <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
                {!s?.validated && missing.length === 0 ? (
                  <li>
                    <Button iconId="fr-icon-check-line" onClick={() => void validate(section)} disabled={busy !== null}>
                      {busy === section ? t("validating") : t("validate")}
                    </Button>
                  </li>
                ) : null}
                <li>
                  <Link
                    className="fr-btn fr-btn--secondary fr-icon-edit-line"
                    to={to}
                    aria-describedby={`change-hint-${section}`}
                    title={fill(missing.length > 0 ? t("completeIt") : t("changeSection"), { s: title(section) })}
                  >
                    {t("change")}
                  </Link>
                </li>
              </ul>
              <p className="fr-hint-text" id={`change-hint-${section}`}>
                {t("changeHint")}
              </p>
            </Accordion>
          );
        })}
      </div>

      {application.late_fee_eur !== null ? (
        <Alert
          className="fr-mb-4w"
          severity="info"
          small
          description={fill(t("lateFee"), { fee: formatEuros(application.late_fee_eur, lang) })}
        />
      ) : null}

      <h2>{t("submitTitle")}</h2>
      <Input
        textArea
        label={t("comment")}
        hintText={fill(t("commentHint"), { max: String(COMMENT_MAX) })}
        state={tooLong ? "error" : "default"}
        stateRelatedMessage={tooLong ? fill(t("tooLong"), { max: String(COMMENT_MAX) }) : undefined}
        nativeTextAreaProps={{
          id: "review-comment",
          rows: 5,
          value: comment,
          onChange: (e) => {
            setComment(e.currentTarget.value);
            key.current = null;
          },
          "aria-describedby": "review-comment-left",
        }}
      />
      <p id="review-comment-left" className="fr-hint-text fr-mt-n2w fr-mb-4w">
        {fill(t("left"), { n: String(Math.max(0, COMMENT_MAX - comment.length)) })}
      </p>

      <p id="submit-help">{ready ? t("submitReady") : t("submitLocked")}</p>
      <Button
        iconId="fr-icon-send-plane-fill"
        iconPosition="right"
        onClick={() => void submit()}
        disabled={!ready || tooLong || busy !== null}
        nativeButtonProps={{ "aria-describedby": "submit-help" }}
      >
        {busy === "submit" ? t("submitting") : t("submit")}
      </Button>
      <p role="status" className="fr-sr-only">
        {busy === "submit" ? t("submitting") : ""}
      </p>
      <p className="fr-mt-4w">
        <Link className="fr-link fr-icon-arrow-left-line fr-link--icon-left" to={stepPath(id, 4)}>
          {STEP_TITLES[3][lang]}
        </Link>
      </p>
    </Page>
  );
}

/** The `not_ready` errors as links to the step to fix (`review.personal`, `documents.passport`…). */
function notReadyItems(errors: Schemas["Problem"]["errors"], id: string, lang: Lang): { text: string; to: string }[] {
  const out: { text: string; to: string }[] = [];
  for (const e of errors ?? []) {
    const [head, ...rest] = e.field.split(".");
    if (head === "review" && SECTIONS.includes(rest[0] as Section)) {
      const s = rest[0] as Section;
      out.push({ text: `${STEP_TITLES[stepNumber(s) - 1][lang]}${COLON[lang]}${messages.notValidated[lang]}`, to: `/applications/${id}/review` });
    } else if (SECTIONS.includes(head as Section)) {
      const s = head as Section;
      const n = stepNumber(s);
      out.push({
        text: `${fieldLabel(s, rest.join("."))[lang]}${COLON[lang]}${e.message || missingCode(e.code)[lang]} (${messages.inStep[lang].replace("{n}", String(n))})`,
        to: stepPath(id, n),
      });
    } else out.push({ text: e.message, to: `/applications/${id}/review` });
  }
  return out;
}

type T = (key: Key) => string;

/** A summary list: label, value. */
function Rows({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="fr-mb-2w fr-pl-0">
      {rows.map(([label, value]) => (
        <div key={label} className="fr-mb-2w">
          <dt className="fr-text--bold">{label}</dt>
          <dd className="fr-ml-0" style={{ overflowWrap: "anywhere" }}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function SectionSummary({ section, application: a, t, lang }: { section: Section; application: ApplicationView; t: T; lang: Lang }) {
  const none = <span className="fr-text--sm">{t("notGiven")}</span>;
  const or = (v: string | null | undefined): ReactNode => (v && v.trim() !== "" ? v : none);
  const yesNo = (v: boolean | null | undefined): ReactNode => (v === null || v === undefined ? none : v ? t("yes") : t("no"));
  const label = <K extends string>(table: Record<K, Text>, v: K | null | undefined): ReactNode => (v ? table[v][lang] : none);

  if (section === "personal") {
    const c = a.civil_status;
    const p = a.personal;
    const addr = p.address;
    const address =
      addr.line1 || addr.postcode || addr.city ? (
        <>
          {addr.line1 ? <>{addr.line1}<br /></> : null}
          {addr.line2 ? <>{addr.line2}<br /></> : null}
          {[addr.postcode, addr.city].filter(Boolean).join(" ")}
        </>
      ) : (
        none
      );
    return (
      <>
        <h3 className="fr-h6">{t("civil")}</h3>
        <Rows
          rows={[
            [t("name"), `${c.surname.toUpperCase()} ${c.given_names}`],
            [t("sex"), SEXES[c.sex][lang]],
            [t("birth"), fill(t("bornOn"), { date: formatDate(c.birth_date, lang), place: c.birth_place, country: countryName(c.birth_country, lang) })],
            [t("nationality"), countryName(c.nationality, lang)],
            [t("foreignerNumber"), or(a.foreigner_number)],
            [t("email"), a.email],
          ]}
        />
        <h3 className="fr-h6">{STEP_TITLES[0][lang]}</h3>
        <Rows
          rows={[
            [t("usageName"), or(p.usage_name)],
            [t("situation"), label(SITUATIONS, p.family_situation)],
            [t("spouse"), yesNo(p.spouse_in_france)],
            ...(p.spouse_in_france ? ([[t("spouseNationality"), p.spouse_nationality ? countryName(p.spouse_nationality, lang) : none]] as [string, ReactNode][]) : []),
            [t("children"), p.children_in_france === null || p.children_in_france === undefined ? none : String(p.children_in_france)],
            [t("address"), address],
            [t("phone"), or(p.phone)],
            [t("prefecture"), a.prefecture ? `${a.prefecture.departement} (${a.prefecture.code}) – ${a.prefecture.seat}` : none],
          ]}
        />
      </>
    );
  }
  if (section === "studies") {
    const s = a.studies;
    return (
      <Rows
        rows={[
          [t("institutionType"), label(INSTITUTION_TYPES, s.institution_type)],
          [t("institutionName"), or(s.institution_name)],
          [t("cycle"), label(CYCLES, s.cycle)],
          [t("level"), label(LEVELS, s.level)],
          [t("discipline"), label(DISCIPLINES, s.discipline)],
          [t("year"), or(s.academic_year)],
        ]}
      />
    );
  }
  if (section === "resources") {
    const r = a.resources;
    const euros = (cents: number) => formatEuros(cents / 100, lang);
    const below = a.warnings.find((w) => w.code === "below_minimum_resources");
    return (
      <>
        <Rows
          rows={[
            [
              t("lines"),
              r.lines.length === 0 ? (
                none
              ) : (
                <ul className="fr-mb-0">
                  {r.lines.map((line, i) => (
                    <li key={i}>
                      {RESOURCE_KINDS[line.kind][lang]}
                      {COLON[lang]}
                      {fill(t("perMonth"), { amount: euros(line.monthly_amount) })}
                    </li>
                  ))}
                </ul>
              ),
            ],
            [t("total"), `${fill(t("perMonth"), { amount: euros(r.monthly_total) })} ${fill(t("minimum"), { amount: euros(r.monthly_minimum) })}`],
            [t("housed"), yesNo(r.housed_free_of_charge)],
            [t("explanation"), or(r.explanation)],
          ]}
        />
        {below ? <Alert severity="warning" small description={fill(t("below"), { min: euros(below.minimum) })} className="fr-mb-2w" /> : null}
      </>
    );
  }
  const files = a.documents.files;
  return (
    <Rows
      rows={[
        ...a.documents.required.map((kind): [string, ReactNode] => {
          const f = files.find((x) => x.kind === kind);
          const state = f?.status === "accepted" ? t("accepted") : f?.status === "rejected" ? t("rejected") : f ? t("awaiting") : null;
          return [KIND_LABELS[kind][lang], f ? `${f.file_name} (${state})` : <span className="fr-text--sm">{t("missingFile")}</span>];
        }),
        [t("ephoto"), a.documents.ephoto_code ? <span style={{ fontFamily: "monospace" }}>{a.documents.ephoto_code}</span> : none],
      ]}
    />
  );
}
