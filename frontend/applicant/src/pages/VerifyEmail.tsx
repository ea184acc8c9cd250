// The emailed link that confirms an address (activation, or a change of
// address from the profile). The token is posted once: StrictMode runs
// effects twice in development, and a second post would find it used.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect, useRef, useState } from "react";
import { api, ApiFailure, must } from "../api/client";
import { useLang, useT } from "../i18n";
import { Link, useSearchParams } from "../router";
import { useSession } from "../session";
import { Page } from "../ui/Page";
import { Focus } from "./account/Focus";
import { failureText } from "./account/form";

const messages = {
  title: { fr: "Confirmation de votre adresse électronique", en: "Confirming your email address" },
  pending: { fr: "Confirmation en cours…", en: "Confirming…" },
  done: { fr: "Adresse électronique confirmée", en: "Email address confirmed" },
  doneText: { fr: "Merci : votre adresse est confirmée. Vous pouvez maintenant vous connecter.", en: "Thank you: your address is confirmed. You can now log in." },
  doneLoggedIn: { fr: "Merci : votre adresse est confirmée. Elle sert désormais pour vos courriels et pour vous connecter.", en: "Thank you: your address is confirmed. It is now used for your emails and to log in." },
  login: { fr: "Se connecter", en: "Log in" },
  profile: { fr: "Voir mon profil", en: "See my profile" },
  invalid: { fr: "Ce lien n’est pas valide", en: "This link is not valid" },
  invalidText: {
    fr: "Il a peut-être déjà servi, ou il est incomplet (recopiez-le en entier depuis le courriel). Si vous avez déjà confirmé votre adresse, connectez-vous simplement. Sinon, connectez-vous avec votre adresse et votre mot de passe : un nouveau lien vous sera envoyé.",
    en: "It may have been used already, or it is incomplete (copy it in full from the email). If you have already confirmed your address, simply log in. Otherwise, log in with your address and password: a new link will be sent to you.",
  },
  expired: { fr: "Ce lien a expiré", en: "This link has expired" },
  expiredText: {
    fr: "Par sécurité, ces liens ne sont valables que pendant une durée limitée. Connectez-vous avec votre adresse et votre mot de passe : un nouveau lien vous sera envoyé. Pour un changement d’adresse, refaites-le depuis votre profil.",
    en: "For safety, these links are valid for a limited time only. Log in with your address and password: a new link will be sent to you. For a change of address, make it again from your profile.",
  },
  taken: { fr: "Adresse déjà utilisée", en: "Address already in use" },
  takenText: {
    fr: "Entre-temps, un autre compte s’est mis à utiliser cette adresse : elle ne peut pas être la vôtre aussi. Choisissez une autre adresse depuis votre profil.",
    en: "In the meantime, another account started using this address: it cannot be yours too. Choose another address from your profile.",
  },
  missing: { fr: "Lien incomplet", en: "Incomplete link" },
  missingText: {
    fr: "Le lien ouvert ne contient pas de code de confirmation. Ouvrez le lien du courriel en entier, ou recopiez-le dans la barre d’adresse.",
    en: "The link opened carries no confirmation code. Open the email’s link in full, or copy it into the address bar.",
  },
  problem: { fr: "Confirmation impossible pour le moment", en: "Cannot confirm for now" },
  forgot: { fr: "Mot de passe oublié ?", en: "Forgot your password?" },
};

type State = { kind: "pending" } | { kind: "done" } | { kind: "failed"; error: unknown };

export default function VerifyEmail() {
  const t = useT(messages);
  const { lang } = useLang();
  const token = useSearchParams().get("token") ?? "";
  const { profile, refresh } = useSession();
  const [state, setState] = useState<State>({ kind: "pending" });
  const posted = useRef<string | null>(null);

  useEffect(() => {
    if (!token || posted.current === token) return;
    posted.current = token;
    must(api.POST("/api/accounts/verify-email", { body: { token } }))
      .then(() => {
        setState({ kind: "done" });
        // A changed address is now the account's: the header and profile show it.
        void refresh();
      })
      .catch((error: unknown) => setState({ kind: "failed", error }));
  }, [token, refresh]);

  if (!token) {
    return (
      <Page title={t("title")}>
        <Alert severity="error" as="h2" title={t("missing")} description={t("missingText")} />
      </Page>
    );
  }

  const loginLinks = profile ? (
    <Button linkProps={{ to: "/profile" }}>{t("profile")}</Button>
  ) : (
    <Button linkProps={{ to: "/login" }}>{t("login")}</Button>
  );

  let body;
  if (state.kind === "pending") body = <p role="status">{t("pending")}</p>;
  else if (state.kind === "done")
    body = (
      <>
        <Focus when>
          <Alert severity="success" as="h2" title={t("done")} description={t(profile ? "doneLoggedIn" : "doneText")} className="fr-mb-4w" />
        </Focus>
        {loginLinks}
      </>
    );
  else {
    const { error } = state;
    const [title, text] =
      error instanceof ApiFailure && error.is("expired_token")
        ? [t("expired"), t("expiredText")]
        : error instanceof ApiFailure && error.is("invalid_token")
          ? [t("invalid"), t("invalidText")]
          : error instanceof ApiFailure && error.is("email_taken")
            ? [t("taken"), t("takenText")]
            : [t("problem"), failureText(error, lang)];
    body = (
      <>
        <Focus when>
          <Alert severity="error" role="alert" as="h2" title={title} description={text} className="fr-mb-4w" />
        </Focus>
        {loginLinks}
        {!profile ? (
          <p className="fr-mt-2w">
            <Link to="/forgot-password" className="fr-link">
              {t("forgot")}
            </Link>
          </p>
        ) : null}
      </>
    );
  }
  return <Page title={t("title")}>{body}</Page>;
}
