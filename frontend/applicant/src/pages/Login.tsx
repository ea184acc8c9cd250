// Log in (F2a). Wrong credentials, slowing down and the lock (F3) are each
// said with what to do; afterwards, back to `?next=` (a page of this site
// only) or to the account.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { PasswordInput } from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import { useState, type FormEvent, type ReactNode } from "react";
import { api, ApiFailure, must } from "../api/client";
import { useLang, useT } from "../i18n";
import { Link, useNavigate, useSearchParams } from "../router";
import { useSession } from "../session";
import { ErrorSummary } from "../ui/ErrorSummary";
import { Page } from "../ui/Page";
import { Focus } from "./account/Focus";
import { errorProps, failureText, formatTime, otherErrors, safeNext, summaryItems, type Errors } from "./account/form";

const messages = {
  title: { fr: "Se connecter", en: "Log in" },
  lead: { fr: "Avec l’adresse électronique et le mot de passe de votre compte Séjour.", en: "With the email address and the password of your Séjour account." },
  email: { fr: "Adresse électronique", en: "Email address" },
  emailHint: { fr: "Format attendu : nom@domaine.fr", en: "Expected format: name@domain.com" },
  password: { fr: "Mot de passe", en: "Password" },
  submit: { fr: "Se connecter", en: "Log in" },
  submitting: { fr: "Connexion…", en: "Logging in…" },
  forgot: { fr: "Mot de passe oublié ?", en: "Forgot your password?" },
  noAccount: { fr: "Pas encore de compte ?", en: "No account yet?" },
  withPermit: { fr: "Activer un compte avec mon titre de séjour", en: "Activate an account with my residence permit" },
  withVisa: { fr: "Activer un compte avec mon visa", en: "Activate an account with my visa" },
  already: { fr: "Vous êtes déjà connecté", en: "You are already logged in" },
  alreadyText: { fr: "Vous êtes connecté en tant que {name}.", en: "You are logged in as {name}." },
  toAccount: { fr: "Aller à mon espace", en: "Go to my account" },
  wrong: { fr: "Adresse ou mot de passe incorrect", en: "Wrong email address or password" },
  wrongText: {
    fr: "Vérifiez votre adresse électronique et votre mot de passe, puis réessayez. Après plusieurs échecs, la connexion est ralentie puis bloquée un moment. Si vous ne retrouvez pas votre mot de passe, choisissez-en un nouveau :",
    en: "Check your email address and your password, then try again. After several failures, logging in is slowed down, then locked for a while. If you cannot remember your password, choose a new one:",
  },
  slowed: { fr: "Trop de tentatives à la suite", en: "Too many attempts in a row" },
  locked: { fr: "Connexion bloquée pour le moment", en: "Logging in is locked for now" },
  lockedText: {
    fr: "Après trop d’échecs, la connexion à ce compte est bloquée jusqu’à {time} (heure de Paris). Vous pourrez alors réessayer. Vous pouvez aussi choisir un nouveau mot de passe dès maintenant : cela débloque la connexion aussitôt.",
    en: "After too many failures, logging in to this account is locked until {time} (Paris time). You can then try again. You can also choose a new password now: that unlocks it at once.",
  },
  lockedNoTime: {
    fr: "Après trop d’échecs, la connexion à ce compte est bloquée pour quelques minutes. Vous pouvez aussi choisir un nouveau mot de passe dès maintenant : cela débloque la connexion aussitôt.",
    en: "After too many failures, logging in to this account is locked for a few minutes. You can also choose a new password now: that unlocks it at once.",
  },
  reset: { fr: "Choisir un nouveau mot de passe", en: "Choose a new password" },
  unverified: { fr: "Adresse électronique pas encore confirmée", en: "Email address not confirmed yet" },
  unverifiedText: {
    fr: "Confirmez d’abord votre adresse : un nouveau lien de confirmation vient de vous être envoyé par courriel. Ouvrez-le, puis connectez-vous.",
    en: "Confirm your address first: a new confirmation link has just been emailed to you. Open it, then log in.",
  },
  problem: { fr: "Connexion impossible", en: "Could not log in" },
};

type Failure = { title: string; body: NonNullable<ReactNode>; resetLink?: boolean };

export default function Login() {
  const t = useT(messages);
  const { lang } = useLang();
  const { profile, refresh } = useSession();
  const navigate = useNavigate();
  const next = safeNext(useSearchParams().get("next"));
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);

  const explain = (error: unknown): Failure => {
    if (error instanceof ApiFailure) {
      if (error.is("invalid_credentials")) return { title: t("wrong"), body: t("wrongText"), resetLink: true };
      if (error.is("account_locked")) {
        const until = error.problem?.locked_until;
        return {
          title: t("locked"),
          body: until ? t("lockedText").replace("{time}", formatTime(until, lang)) : t("lockedNoTime"),
          resetLink: true,
        };
      }
      if (error.is("too_many_attempts")) return { title: t("slowed"), body: failureText(error, lang) };
      if (error.is("email_not_verified")) return { title: t("unverified"), body: t("unverifiedText") };
    }
    return { title: t("problem"), body: failureText(error, lang) };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await must(api.POST("/api/auth/login", { body: { email: email.trim(), password } }));
      await refresh();
      navigate(next ?? "/account", { replace: true });
    } catch (error) {
      if (error instanceof ApiFailure && error.is("validation_failed")) {
        setErrors(error.fieldErrors());
        setFailure(null);
      } else {
        setErrors({});
        setFailure(explain(error));
      }
      setBusy(false);
    }
  };

  if (profile) {
    return (
      <Page title={t("already")}>
        <p>{t("alreadyText").replace("{name}", profile.display_name)}</p>
        <Button linkProps={{ to: next ?? "/account" }}>{t("toAccount")}</Button>
      </Page>
    );
  }

  const fields: [string, string, string][] = [
    ["email", "login-email", t("email")],
    ["password", "login-password", t("password")],
  ];
  const extra = otherErrors(errors, ["email", "password"]);
  return (
    <Page title={t("title")} lead={t("lead")}>
      <div className="fr-grid-row">
        <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <ErrorSummary items={summaryItems(errors, fields, lang)} detail={extra.length ? extra.join(" ") : undefined} />
          <Focus when={failure}>
            {failure ? (
            <Alert
              severity="error"
              role="alert"
              as="h2"
              className="fr-mb-4w"
              title={failure.title}
              description={
                <>
                  {failure.body}
                  {failure.resetLink ? (
                    <>
                      {" "}
                      <Link to="/forgot-password" className="fr-link">
                        {t("reset")}
                      </Link>
                    </>
                  ) : null}
                </>
              }
            />
            ) : null}
          </Focus>
          <form onSubmit={submit} noValidate className="sj-form">
            <Input
              label={t("email")}
              hintText={t("emailHint")}
              {...errorProps(errors, "email")}
              nativeInputProps={{
                id: "login-email",
                type: "email",
                autoComplete: "username",
                spellCheck: false,
                value: email,
                onChange: (e) => setEmail(e.target.value),
              }}
            />
            <PasswordInput
              label={t("password")}
              messagesHint=""
              messages={errors.password ? [{ severity: "error", message: errors.password }] : []}
              nativeInputProps={{
                id: "login-password",
                autoComplete: "current-password",
                value: password,
                onChange: (e) => setPassword(e.target.value),
                "aria-invalid": errors.password ? true : undefined,
              }}
            />
            <p className="fr-mt-2w">
              <Link to="/forgot-password" className="fr-link">
                {t("forgot")}
              </Link>
            </p>
            <Button type="submit" disabled={busy}>
              {busy ? t("submitting") : t("submit")}
            </Button>
          </form>
          <h2 className="fr-h5 fr-mt-6w">{t("noAccount")}</h2>
          <ul className="fr-links-group">
            <li>
              <Link to="/activate/permit" className="fr-link">
                {t("withPermit")}
              </Link>
            </li>
            <li>
              <Link to="/activate/visa" className="fr-link">
                {t("withVisa")}
              </Link>
            </li>
          </ul>
        </div>
      </div>
    </Page>
  );
}
