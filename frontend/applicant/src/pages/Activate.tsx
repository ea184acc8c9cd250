// Create an account with a residence permit or a visa found in the state's
// records (F2b, F2c), then "check your mailbox". Every refusal the API can
// give here (build/openapi.json: activate) is said with what to do.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useState, type FormEvent, type ReactNode } from "react";
import { api, ApiFailure, must, type FieldCode, type Schemas } from "../api/client";
import { useLang, useT } from "../i18n";
import { Link, useParams } from "../router";
import { ErrorSummary } from "../ui/ErrorSummary";
import { Page } from "../ui/Page";
import NotFound from "./NotFound";
import { Fieldset } from "./account/Fieldset";
import { Focus } from "./account/Focus";
import { NewPassword } from "./account/NewPassword";
import { errorProps, failureText, formatTime, isLocalMode, otherErrors, summaryItems, type Errors, fieldCodes } from "./account/form";
import { REASONS } from "./account/reasons";

type Kind = Schemas["RecordKind"];
const KINDS: Record<Kind, true> = { permit: true, visa: true };
type Field = "number" | "valid_from" | "valid_until" | "email" | "password";
const FIELDS: Field[] = ["number", "valid_from", "valid_until", "email", "password"];

const messages = {
  permitTitle: { fr: "Activer mon compte avec mon titre de séjour", en: "Activate my account with my residence permit" },
  visaTitle: { fr: "Activer mon compte avec mon visa", en: "Activate my account with my visa" },
  permitLead: {
    fr: "Vous avez un titre de séjour et pas encore de compte : nous retrouvons votre titre dans les fichiers de l’État, puis nous créons votre compte.",
    en: "You hold a residence permit and have no account yet: we find your permit in the state’s records, then create your account.",
  },
  visaLead: {
    fr: "Vous êtes arrivé en France avec un visa long séjour : nous retrouvons votre visa dans les fichiers de l’État, puis nous créons votre compte.",
    en: "You came to France with a long-stay visa: we find your visa in the state’s records, then create your account.",
  },
  provisional: { fr: "Un compte provisoire", en: "A provisional account" },
  provisionalText: {
    fr: "Avec un visa, vous n’avez pas encore de numéro étranger : votre compte est provisoire jusqu’à la décision sur votre demande de titre de séjour. Il devient alors définitif, sans rien à faire de votre part.",
    en: "With a visa you have no foreigner number yet: your account is provisional until the decision on your residence-permit application. It then becomes permanent, with nothing for you to do.",
  },
  document: { fr: "Votre titre de séjour", en: "Your residence permit" },
  documentVisa: { fr: "Votre visa", en: "Your visa" },
  account: { fr: "Votre compte", en: "Your account" },
  allRequired: { fr: "Tous les champs sont obligatoires.", en: "All fields are required." },
  number: { fr: "Numéro du titre de séjour", en: "Residence permit number" },
  numberVisa: { fr: "Numéro du visa", en: "Visa number" },
  numberHint: { fr: "Tel qu’il est imprimé sur le titre : 6 à 20 lettres ou chiffres.", en: "As printed on the permit: 6 to 20 letters or digits." },
  numberVisaHint: { fr: "Tel qu’il est imprimé sur la vignette du visa : 6 à 20 lettres ou chiffres.", en: "As printed on the visa sticker: 6 to 20 letters or digits." },
  valid_from: { fr: "Début de validité", en: "Start of validity" },
  valid_until: { fr: "Fin de validité", en: "End of validity" },
  dateHint: { fr: "Telle qu’elle est imprimée sur le document.", en: "As printed on the document." },
  email: { fr: "Adresse électronique", en: "Email address" },
  emailHint: { fr: "Nous y enverrons un lien pour la confirmer. Format attendu : nom@domaine.fr", en: "We will send a link there to confirm it. Expected format: name@domain.com" },
  password: { fr: "Mot de passe", en: "Password" },
  submit: { fr: "Créer mon compte", en: "Create my account" },
  submitting: { fr: "Vérification…", en: "Checking…" },
  other: { fr: "Vous avez un visa plutôt qu’un titre de séjour ?", en: "You hold a visa rather than a residence permit?" },
  otherVisa: { fr: "Vous avez un titre de séjour plutôt qu’un visa ?", en: "You hold a residence permit rather than a visa?" },
  otherLink: { fr: "Activer avec un visa", en: "Activate with a visa" },
  otherLinkVisa: { fr: "Activer avec un titre de séjour", en: "Activate with a residence permit" },
  haveAccount: { fr: "Vous avez déjà un compte ?", en: "Already have an account?" },
  login: { fr: "Se connecter", en: "Log in" },
  notFound: { fr: "Titre de séjour introuvable", en: "Residence permit not found" },
  notFoundVisa: { fr: "Visa introuvable", en: "Visa not found" },
  notFoundText: {
    fr: "Aucun document des fichiers de l’État ne correspond à ce numéro et à ces deux dates. Vérifiez-les tels qu’ils sont imprimés sur votre document : une seule différence suffit. Si votre document est un visa, activez votre compte avec votre visa ; si c’est un titre de séjour, avec votre titre.",
    en: "No document in the state’s records matches this number and these two dates. Check them as printed on your document: a single difference is enough. If your document is a visa, activate your account with your visa; if it is a residence permit, with your permit.",
  },
  notCovered: { fr: "Démarche impossible en ligne avec ce document", en: "This document does not allow the online procedure" },
  notCoveredText: {
    fr: "Votre situation doit être traitée par la préfecture de votre domicile : adressez-vous à elle. La vérification de la page d’accueil vous dit laquelle.",
    en: "Your situation must be handled by the préfecture of your place of residence: contact it. The check on the home page tells you which one.",
  },
  check: { fr: "Vérifier ma situation", en: "Check my situation" },
  exists: { fr: "Un compte existe déjà pour ce document", en: "An account already exists for this document" },
  existsText: {
    fr: "Connectez-vous avec l’adresse électronique de ce compte. Si vous ne vous souvenez plus du mot de passe, choisissez-en un nouveau.",
    en: "Log in with the email address of that account. If you cannot remember the password, choose a new one.",
  },
  forgot: { fr: "Mot de passe oublié", en: "Forgot password" },
  slowed: { fr: "Trop de tentatives à la suite", en: "Too many attempts in a row" },
  locked: { fr: "Trop de tentatives : activation bloquée pour le moment", en: "Too many attempts: activation locked for now" },
  lockedText: { fr: "Vous pourrez réessayer à partir de {time} (heure de Paris).", en: "You can try again from {time} (Paris time)." },
  problem: { fr: "Activation impossible", en: "Could not activate" },
  sent: { fr: "Consultez votre messagerie", en: "Check your mailbox" },
  sentText: {
    fr: "Nous avons envoyé un lien à {email}. Ouvrez-le pour confirmer votre adresse : votre compte sera alors activé et vous pourrez vous connecter. Ce lien n’est valable que pendant une durée limitée.",
    en: "We have sent a link to {email}. Open it to confirm your address: your account will then be active and you can log in. This link is valid for a limited time only.",
  },
  noMail: {
    fr: "Rien reçu après quelques minutes ? Regardez dans les courriers indésirables. Si un compte utilise déjà cette adresse, le courriel vous le dit et vous donne un moyen de vous connecter.",
    en: "Nothing after a few minutes? Look in your spam folder. If an account already uses this address, the email says so and gives you a way to log in.",
  },
  provisionalSent: {
    fr: "Votre compte est provisoire jusqu’à la décision sur votre demande : il devient alors définitif.",
    en: "Your account is provisional until the decision on your application: it then becomes permanent.",
  },
  local: { fr: "Mode local : les courriels envoyés arrivent dans la", en: "Local mode: the emails sent arrive in the" },
  mailbox: { fr: "boîte aux lettres locale", en: "local mailbox" },
};

export default function Activate() {
  const kind = useParams().kind;
  if (!(kind in KINDS)) return <NotFound />;
  return <ActivateWith key={kind} kind={kind as Kind} />;
}

type Failure = { title: string; body: NonNullable<ReactNode> };

function ActivateWith({ kind }: { kind: Kind }) {
  const t = useT(messages);
  const { lang } = useLang();
  const visa = kind === "visa";
  const [values, setValues] = useState<Record<Field, string>>({ number: "", valid_from: "", valid_until: "", email: "", password: "" });
  const [errors, setErrors] = useState<Errors>({});
  const [codes, setCodes] = useState<Record<string, FieldCode>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState<Schemas["Activated"] | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: Field) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const label: Record<Field, string> = {
    number: t(visa ? "numberVisa" : "number"),
    valid_from: t("valid_from"),
    valid_until: t("valid_until"),
    email: t("email"),
    password: t("password"),
  };

  const explain = (error: unknown): Failure => {
    if (error instanceof ApiFailure) {
      if (error.is("record_not_found")) return { title: t(visa ? "notFoundVisa" : "notFound"), body: t("notFoundText") };
      if (error.is("not_covered")) {
        const reason = error.problem?.reason;
        return {
          title: t("notCovered"),
          body: (
            <>
              {reason ? `${REASONS[reason][lang]} ` : null}
              {t("notCoveredText")}{" "}
              <Link to="/#eligibility-title" className="fr-link">
                {t("check")}
              </Link>
            </>
          ),
        };
      }
      if (error.is("account_exists"))
        return {
          title: t("exists"),
          body: (
            <>
              {t("existsText")}{" "}
              <Link to="/login" className="fr-link">
                {t("login")}
              </Link>{" "}
              <Link to="/forgot-password" className="fr-link">
                {t("forgot")}
              </Link>
            </>
          ),
        };
      if (error.is("account_locked")) {
        const until = error.problem?.locked_until;
        return { title: t("locked"), body: until ? t("lockedText").replace("{time}", formatTime(until, lang)) : failureText(error, lang) };
      }
      if (error.is("too_many_attempts")) return { title: t("slowed"), body: failureText(error, lang) };
    }
    return { title: t("problem"), body: failureText(error, lang) };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const answer = await must(
        api.POST("/api/accounts/activate", {
          body: { kind, ...values, number: values.number.trim(), email: values.email.trim(), language: lang },
        }),
      );
      setDone(answer);
    } catch (error) {
      if (error instanceof ApiFailure && error.is("validation_failed")) {
        setErrors(error.fieldErrors());
        setCodes(fieldCodes(error));
        setFailure(null);
      } else {
        setErrors({});
        setFailure(explain(error));
      }
    } finally {
      setBusy(false);
    }
  };

  const title = t(visa ? "visaTitle" : "permitTitle");
  if (done) {
    return (
      <Page title={title}>
        <Focus when={done}>
          <Alert
            severity="success"
            as="h2"
            title={t("sent")}
            description={
              <>
                <span className="sj-block">{t("sentText").replace("{email}", done.email)}</span>
                {done.provisional ? <span className="sj-block fr-mt-1w">{t("provisionalSent")}</span> : null}
              </>
            }
          />
        </Focus>
        <p className="fr-mt-4w">{t("noMail")}</p>
        {isLocalMode() ? (
          <p className="fr-text--sm">
            {t("local")} <a href="/mailbox">{t("mailbox")}</a>.
          </p>
        ) : null}
      </Page>
    );
  }

  const fields = FIELDS.map((f): [string, string, string] => [f, `activate-${f}`, label[f]]);
  const extra = otherErrors(errors, FIELDS);
  const input = (field: Exclude<Field, "password">, hint: string, props: React.InputHTMLAttributes<HTMLInputElement>) => (
    <Input
      label={label[field]}
      hintText={hint}
      {...errorProps(errors, field)}
      nativeInputProps={{
        id: `activate-${field}`,
        value: values[field],
        onChange: (e) => set(field)(e.target.value),
        ...props,
      }}
    />
  );

  return (
    <Page title={title} lead={t(visa ? "visaLead" : "permitLead")}>
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-7">
          {visa ? <Alert severity="info" as="h2" small={false} title={t("provisional")} description={t("provisionalText")} className="fr-mb-4w" /> : null}
          <ErrorSummary items={summaryItems(errors, fields, lang)} detail={extra.length ? extra.join(" ") : undefined} />
          <Focus when={failure}>
            {failure ? <Alert severity="error" role="alert" as="h2" title={failure.title} description={failure.body} className="fr-mb-4w" /> : null}
          </Focus>
          <form onSubmit={submit} noValidate className="sj-form">
            <p className="fr-hint-text">{t("allRequired")}</p>
            <Fieldset legend={t(visa ? "documentVisa" : "document")}>
                {input("number", t(visa ? "numberVisaHint" : "numberHint"), { autoComplete: "off", spellCheck: false, autoCapitalize: "characters" })}
                {input("valid_from", t("dateHint"), { type: "date" })}
                {input("valid_until", t("dateHint"), { type: "date" })}
              </Fieldset>
            <Fieldset legend={t("account")}>
                {input("email", t("emailHint"), { type: "email", autoComplete: "email", spellCheck: false })}
                <NewPassword id="activate-password" label={label.password} value={values.password} onChange={set("password")} error={errors.password} errorCode={errors.password ? codes.password : undefined} />
              </Fieldset>
            <Button type="submit" disabled={busy}>
              {busy ? t("submitting") : t("submit")}
            </Button>
          </form>
          <ul className="fr-links-group fr-mt-6w">
            <li>
              {t(visa ? "otherVisa" : "other")}{" "}
              <Link to={visa ? "/activate/permit" : "/activate/visa"} className="fr-link">
                {t(visa ? "otherLinkVisa" : "otherLink")}
              </Link>
            </li>
            <li>
              {t("haveAccount")}{" "}
              <Link to="/login" className="fr-link">
                {t("login")}
              </Link>
            </li>
          </ul>
        </div>
      </div>
    </Page>
  );
}
