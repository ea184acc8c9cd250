// Choose a new password with the emailed link (F3): twice, to avoid a typo.
// It ends every session and lifts a login lock.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState, type FormEvent } from "react";
import { api, ApiFailure, must, type FieldCode } from "../api/client";
import { useLang, useT } from "../i18n";
import { Link, useSearchParams } from "../router";
import { useSession } from "../session";
import { ErrorSummary } from "../ui/ErrorSummary";
import { Page } from "../ui/Page";
import { Focus } from "./account/Focus";
import { NewPassword } from "./account/NewPassword";
import { failureText, otherErrors, summaryItems, type Errors, fieldCodes } from "./account/form";

const messages = {
  title: { fr: "Choisir un nouveau mot de passe", en: "Choose a new password" },
  lead: { fr: "Il remplacera l’ancien : vous vous connecterez ensuite avec lui.", en: "It will replace the old one: you will then log in with it." },
  password: { fr: "Nouveau mot de passe", en: "New password" },
  confirm: { fr: "Confirmez le nouveau mot de passe", en: "Confirm the new password" },
  mismatch: { fr: "Les deux mots de passe ne sont pas identiques : saisissez le même deux fois.", en: "The two passwords differ: type the same one twice." },
  required: { fr: "Saisissez le nouveau mot de passe une seconde fois.", en: "Type the new password a second time." },
  submit: { fr: "Enregistrer le mot de passe", en: "Save the password" },
  submitting: { fr: "Enregistrement…", en: "Saving…" },
  done: { fr: "Mot de passe changé", en: "Password changed" },
  doneText: {
    fr: "Votre nouveau mot de passe est enregistré. Par sécurité, toutes vos sessions ouvertes ont été fermées, sur tous vos appareils, et la connexion est débloquée si elle l’était.",
    en: "Your new password is saved. For safety, all your open sessions were closed, on all your devices, and logging in is unlocked if it was locked.",
  },
  login: { fr: "Se connecter", en: "Log in" },
  invalid: { fr: "Ce lien n’est pas valide", en: "This link is not valid" },
  invalidText: {
    fr: "Il a peut-être déjà servi (chaque lien ne sert qu’une fois) ou il est incomplet. Demandez un nouveau lien.",
    en: "It may have been used already (each link works once) or it is incomplete. Ask for a new link.",
  },
  expired: { fr: "Ce lien a expiré", en: "This link has expired" },
  expiredText: { fr: "Par sécurité, ces liens ne sont valables que peu de temps. Demandez un nouveau lien.", en: "For safety, these links are valid for a short time only. Ask for a new link." },
  missing: { fr: "Lien incomplet", en: "Incomplete link" },
  missingText: {
    fr: "Le lien ouvert ne contient pas de code. Ouvrez le lien du courriel en entier, ou demandez-en un nouveau.",
    en: "The link opened carries no code. Open the email’s link in full, or ask for a new one.",
  },
  newLink: { fr: "Demander un nouveau lien", en: "Ask for a new link" },
  problem: { fr: "Enregistrement impossible", en: "Could not save" },
};

export default function ResetPassword() {
  const t = useT(messages);
  const { lang } = useLang();
  const token = useSearchParams().get("token") ?? "";
  const { profile, refresh } = useSession();
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [codes, setCodes] = useState<Record<string, FieldCode>>({});
  const [failure, setFailure] = useState<{ title: string; text: string; newLink: boolean } | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    if (password && confirm !== password) {
      setErrors({ confirm: confirm ? t("mismatch") : t("required") });
      return;
    }
    setBusy(true);
    try {
      await must(api.POST("/api/auth/password-reset/confirm", { body: { token, password } }));
      setDone(true);
      // Every session ended, this one too: the header must say so.
      if (profile) void refresh();
    } catch (error) {
      if (error instanceof ApiFailure && error.is("validation_failed")) {
        setErrors(error.fieldErrors());
        setCodes(fieldCodes(error));
      } else {
        setErrors({});
        if (error instanceof ApiFailure && error.is("expired_token")) setFailure({ title: t("expired"), text: t("expiredText"), newLink: true });
        else if (error instanceof ApiFailure && error.is("invalid_token")) setFailure({ title: t("invalid"), text: t("invalidText"), newLink: true });
        else setFailure({ title: t("problem"), text: failureText(error, lang), newLink: false });
      }
    } finally {
      setBusy(false);
    }
  };

  if (!token) {
    return (
      <Page title={t("title")}>
        <Alert severity="error" as="h2" title={t("missing")} description={t("missingText")} className="fr-mb-4w" />
        <Button linkProps={{ to: "/forgot-password" }}>{t("newLink")}</Button>
      </Page>
    );
  }
  if (done) {
    return (
      <Page title={t("title")}>
        <Focus when>
          <Alert severity="success" as="h2" title={t("done")} description={t("doneText")} className="fr-mb-4w" />
        </Focus>
        <Button linkProps={{ to: "/login" }}>{t("login")}</Button>
      </Page>
    );
  }

  const fields: [string, string, string][] = [
    ["password", "reset-password", t("password")],
    ["confirm", "reset-confirm", t("confirm")],
  ];
  const extra = otherErrors(errors, ["password", "confirm", "token"]);
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
                title={failure.title}
                className="fr-mb-4w"
                description={
                  <>
                    {failure.text}{" "}
                    {failure.newLink ? (
                      <Link to="/forgot-password" className="fr-link">
                        {t("newLink")}
                      </Link>
                    ) : null}
                  </>
                }
              />
            ) : null}
          </Focus>
          <form onSubmit={submit} noValidate className="sj-form">
            <NewPassword id="reset-password" label={t("password")} value={password} onChange={setPassword} error={errors.password} errorCode={errors.password ? codes.password : undefined} />
            <NewPassword id="reset-confirm" label={t("confirm")} value={confirm} onChange={setConfirm} error={errors.confirm} showRules={false} />
            <Button type="submit" disabled={busy}>
              {busy ? t("submitting") : t("submit")}
            </Button>
          </form>
        </div>
      </div>
    </Page>
  );
}
