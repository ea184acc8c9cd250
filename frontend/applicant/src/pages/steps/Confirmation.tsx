// Step 6, confirmation (F13): the application is submitted. Its number and
// date, the deposit receipt ("attestation de dépôt", a PDF the API returns
// at GET …/receipt?language=, in both languages at any time), the
// confirmation email, what happens next, and the way to the case's page.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Download } from "@codegouvfr/react-dsfr/Download";
import { useLang, useT, formatDateTime, type Lang } from "../../i18n";
import { Link, Navigate, useParams } from "../../router";
import { Page } from "../../ui/Page";
import { StepProgress } from "./StepFrame";
import { useApplication } from "./useApplication";

const messages = {
  title: { fr: "Votre demande a été déposée", en: "Your application has been submitted" },
  loading: { fr: "Chargement de votre demande…", en: "Loading your application…" },
  loadFailed: {
    fr: "Votre demande n’a pas pu être chargée. Vérifiez votre connexion puis rechargez la page.",
    en: "Your application could not be loaded. Check your connection, then reload the page.",
  },
  errorTitle: { fr: "Une erreur est survenue", en: "Something went wrong" },
  account: { fr: "Mon compte", en: "My account" },
  done: { fr: "Demande n° {ref} déposée", en: "Application no. {ref} submitted" },
  doneText: {
    fr: "Votre demande a été déposée le {date} auprès de la préfecture {prefecture}. Conservez son numéro : {ref}.",
    en: "Your application was submitted on {date} to the préfecture {prefecture}. Keep its number: {ref}.",
  },
  email: {
    fr: "Un courriel de confirmation a été envoyé à {email}. Pensez à vérifier vos courriers indésirables.",
    en: "A confirmation email was sent to {email}. Check your spam folder if you do not see it.",
  },
  receiptTitle: { fr: "Votre attestation de dépôt", en: "Your deposit receipt" },
  receiptText: {
    fr: "Elle prouve que vous avez déposé votre demande. Téléchargez-la et gardez-la : vous la retrouverez à tout moment sur la page de votre demande.",
    en: "It proves that you have submitted your application. Download it and keep it: you will find it at any time on your application’s page.",
  },
  receiptIn: { fr: "Attestation de dépôt (en français)", en: "Deposit receipt (in English)" },
  details: { fr: "PDF", en: "PDF" },
  code: { fr: "Code de vérification : {code}", en: "Verification code: {code}" },
  codeText: {
    fr: "Toute personne à qui vous présentez l’attestation peut en vérifier l’authenticité avec ce code sur la page",
    en: "Anyone you show the receipt to can check that it is genuine with this code on the page",
  },
  verify: { fr: "Vérifier un document", en: "Check a document" },
  nextTitle: { fr: "Et maintenant ?", en: "What happens next?" },
  next1: {
    fr: "La préfecture examine votre demande. Vous ne pouvez plus la modifier, mais vous pouvez lui écrire depuis la page de votre demande.",
    en: "The préfecture reviews your application. You can no longer change it, but you can write to it from your application’s page.",
  },
  next2: {
    fr: "Si une pièce manque ou ne convient pas, la préfecture vous demandera un complément : vous aurez 30 jours pour répondre.",
    en: "If a document is missing or not suitable, the préfecture will ask you for a complement: you will have 30 days to answer.",
  },
  next3: {
    fr: "Vous êtes prévenu(e) par courriel et dans vos notifications à chaque étape, jusqu’à la décision et à la remise de votre titre.",
    en: "You are told by email and in your notifications at each stage, up to the decision and the handing over of your permit.",
  },
  follow: { fr: "Suivre ma demande", en: "Follow my application" },
};

export default function Confirmation() {
  const { id = "" } = useParams();
  const t = useT(messages);
  const { lang } = useLang();
  const { application, error } = useApplication(id);
  const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? "");

  if (error) {
    return (
      <Page title={t("errorTitle")}>
        <Alert severity="error" title={t("errorTitle")} description={t("loadFailed")} as="h2" />
        <p className="fr-mt-4w">
          <Link to="/account">{t("account")}</Link>
        </p>
      </Page>
    );
  }
  if (!application) return <p role="status">{t("loading")}</p>;
  // Not submitted yet: the review is where it is done.
  if (application.status === "draft") return <Navigate to={`/applications/${id}/review`} replace />;

  const receipt = application.receipt;
  const submittedAt = application.submitted_at ?? receipt?.issued_at;
  const prefecture = application.prefecture ? `${application.prefecture.departement} (${application.prefecture.seat})` : "";
  // The current language first, then the other one.
  const languages: Lang[] = lang === "fr" ? ["fr", "en"] : ["en", "fr"];

  return (
    <Page title={t("title")}>
      <StepProgress current={6} />
      <Alert
        severity="success"
        as="h2"
        title={fill(t("done"), { ref: application.reference })}
        description={
          <>
            <p>
              {fill(t("doneText"), {
                date: submittedAt ? formatDateTime(submittedAt, lang) : "",
                prefecture,
                ref: application.reference,
              })}
            </p>
            <p>{fill(t("email"), { email: application.email })}</p>
          </>
        }
      />

      <h2 className="fr-mt-6w">{t("receiptTitle")}</h2>
      <p>{t("receiptText")}</p>
      {languages.map((l) => (
        <Download
          key={l}
          label={
            <span lang={l === lang ? undefined : l}>
              {messages.receiptIn[l]}
            </span>
          }
          details={t("details")}
          linkProps={{ href: `/api/applications/${id}/receipt?language=${l}`, hrefLang: l, type: "application/pdf" }}
        />
      ))}
      {receipt ? (
        <p>
          <strong>{fill(t("code"), { code: receipt.verification_code })}</strong>
          <br />
          {t("codeText")} <Link to={`/verify/${receipt.verification_code.replace(/-/g, "")}`}>{t("verify")}</Link>.
        </p>
      ) : null}

      <h2 className="fr-mt-6w">{t("nextTitle")}</h2>
      <ol>
        <li>{t("next1")}</li>
        <li>{t("next2")}</li>
        <li>{t("next3")}</li>
      </ol>

      <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-4w">
        <li>
          <Link className="fr-btn" to={`/applications/${id}`}>
            {t("follow")}
          </Link>
        </li>
        <li>
          <Link className="fr-btn fr-btn--secondary" to="/account">
            {t("account")}
          </Link>
        </li>
      </ul>
    </Page>
  );
}
