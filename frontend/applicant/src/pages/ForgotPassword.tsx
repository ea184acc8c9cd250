// Ask for a password reset link (F3). The answer is the same whether or not
// an account uses the address, so that nobody can test addresses here.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useState, type FormEvent } from "react";
import { api, ApiFailure, must } from "../api/client";
import { useLang, useT } from "../i18n";
import { Link } from "../router";
import { ErrorSummary } from "../ui/ErrorSummary";
import { Page } from "../ui/Page";
import { Focus } from "./account/Focus";
import { errorProps, failureText, formatTime, isLocalMode, otherErrors, summaryItems, type Errors } from "./account/form";

const messages = {
  title: { fr: "Mot de passe oublié", en: "Forgot password" },
  lead: {
    fr: "Indiquez l’adresse électronique de votre compte : nous y enverrons un lien pour choisir un nouveau mot de passe. Cela débloque aussi la connexion si elle a été bloquée.",
    en: "Give your account’s email address: we will send a link there to choose a new password. This also unlocks logging in if it was locked.",
  },
  email: { fr: "Adresse électronique", en: "Email address" },
  emailHint: { fr: "Format attendu : nom@domaine.fr", en: "Expected format: name@domain.com" },
  submit: { fr: "Recevoir un lien", en: "Send me a link" },
  submitting: { fr: "Envoi…", en: "Sending…" },
  sent: { fr: "Consultez votre messagerie", en: "Check your mailbox" },
  sentText: {
    fr: "Si un compte utilise l’adresse {email}, un courriel avec un lien pour choisir un nouveau mot de passe vient d’y être envoyé. Ce lien ne sert qu’une fois et n’est valable que peu de temps. Rien reçu après quelques minutes ? Regardez dans les courriers indésirables, ou vérifiez l’adresse.",
    en: "If an account uses the address {email}, an email with a link to choose a new password has just been sent there. The link works once and for a short time only. Nothing after a few minutes? Look in your spam folder, or check the address.",
  },
  again: { fr: "Essayer une autre adresse", en: "Try another address" },
  slowed: { fr: "Trop de demandes à la suite", en: "Too many requests in a row" },
  locked: { fr: "Trop de demandes pour cette adresse", en: "Too many requests for this address" },
  lockedText: { fr: "Vous pourrez en refaire une à partir de {time} (heure de Paris). Utilisez le dernier lien reçu.", en: "You can ask again from {time} (Paris time). Use the last link you received." },
  problem: { fr: "Envoi impossible", en: "Could not send" },
  login: { fr: "Revenir à la connexion", en: "Back to logging in" },
  local: { fr: "Mode local : les courriels envoyés arrivent dans la", en: "Local mode: the emails sent arrive in the" },
  mailbox: { fr: "boîte aux lettres locale", en: "local mailbox" },
};

export default function ForgotPassword() {
  const t = useT(messages);
  const { lang } = useLang();
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<{ title: string; text: string } | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await must(api.POST("/api/auth/password-reset", { body: { email: email.trim() } }));
      setErrors({});
      setFailure(null);
      setSentTo(email.trim());
    } catch (error) {
      setErrors(error instanceof ApiFailure && error.is("validation_failed") ? error.fieldErrors() : {});
      if (error instanceof ApiFailure && error.is("validation_failed")) setFailure(null);
      else if (error instanceof ApiFailure && error.is("account_locked") && error.problem?.locked_until)
        setFailure({ title: t("locked"), text: t("lockedText").replace("{time}", formatTime(error.problem.locked_until, lang)) });
      else if (error instanceof ApiFailure && error.is("too_many_attempts")) setFailure({ title: t("slowed"), text: failureText(error, lang) });
      else setFailure({ title: t("problem"), text: failureText(error, lang) });
    } finally {
      setBusy(false);
    }
  };

  if (sentTo !== null) {
    return (
      <Page title={t("title")}>
        <Focus when>
          <Alert severity="success" as="h2" title={t("sent")} description={t("sentText").replace("{email}", sentTo)} className="fr-mb-4w" />
        </Focus>
        {isLocalMode() ? (
          <p className="fr-text--sm">
            {t("local")} <a href="/mailbox">{t("mailbox")}</a>.
          </p>
        ) : null}
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button linkProps={{ to: "/login" }}>{t("login")}</Button>
          </li>
          <li>
            <Button priority="secondary" onClick={() => setSentTo(null)}>
              {t("again")}
            </Button>
          </li>
        </ul>
      </Page>
    );
  }

  const extra = otherErrors(errors, ["email"]);
  return (
    <Page title={t("title")} lead={t("lead")}>
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <ErrorSummary items={summaryItems(errors, [["email", "forgot-email", t("email")]], lang)} detail={extra.length ? extra.join(" ") : undefined} />
          <Focus when={failure}>
            {failure ? <Alert severity="error" role="alert" as="h2" title={failure.title} description={failure.text} className="fr-mb-4w" /> : null}
          </Focus>
          <form onSubmit={submit} noValidate className="sj-form">
            <Input
              label={t("email")}
              hintText={t("emailHint")}
              {...errorProps(errors, "email")}
              nativeInputProps={{
                id: "forgot-email",
                type: "email",
                autoComplete: "email",
                spellCheck: false,
                value: email,
                onChange: (e) => setEmail(e.target.value),
              }}
            />
            <Button type="submit" disabled={busy}>
              {busy ? t("submitting") : t("submit")}
            </Button>
          </form>
          <p className="fr-mt-4w">
            <Link to="/login" className="fr-link">
              {t("login")}
            </Link>
          </p>
        </div>
      </div>
    </Page>
  );
}
