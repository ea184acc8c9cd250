// The account's home (F4): the user's name, unread notifications, the
// current application with what to do next, whom to write to, a short FAQ,
// the profile and logging out.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useCallback, useEffect, useState } from "react";
import { api, must, type Schemas } from "../api/client";
import { useLang, useT } from "../i18n";
import { Link, useNavigate } from "../router";
import { useSession } from "../session";
import { Page } from "../ui/Page";
import { Current } from "./account/Current";
import { Faq } from "./account/Faq";
import { failureText, plural } from "./account/form";

const messages = {
  title: { fr: "Mon espace", en: "My account" },
  hello: { fr: "Bonjour {name}.", en: "Hello {name}." },
  provisional: { fr: "Compte provisoire", en: "Provisional account" },
  provisionalText: {
    fr: "Vous avez créé votre compte avec un visa : il est provisoire jusqu’à la décision sur votre demande, puis devient définitif sans rien à faire de votre part.",
    en: "You created your account with a visa: it is provisional until the decision on your application, then becomes permanent with nothing for you to do.",
  },
  pendingEmail: { fr: "Changement d’adresse électronique en attente", en: "Change of email address pending" },
  pendingEmailText: {
    fr: "Ouvrez le lien envoyé à {email} pour confirmer votre nouvelle adresse. D’ici là, vos courriels arrivent toujours à {current}.",
    en: "Open the link sent to {email} to confirm your new address. Until then, your emails still go to {current}.",
  },
  application: { fr: "Ma demande", en: "My application" },
  loading: { fr: "Chargement de votre demande…", en: "Loading your application…" },
  loadFailed: { fr: "Votre demande n’a pas pu être chargée", en: "Your application could not be loaded" },
  retry: { fr: "Réessayer", en: "Try again" },
  notifications: { fr: "Mes notifications", en: "My notifications" },
  unread: { fr: "{n} non lue", en: "{n} unread" },
  unreadMany: { fr: "{n} non lues", en: "{n} unread" },
  unreadText: { fr: "Vous avez {n} notification non lue.", en: "You have {n} unread notification." },
  unreadTextMany: { fr: "Vous avez {n} notifications non lues.", en: "You have {n} unread notifications." },
  allRead: { fr: "Vous avez lu toutes vos notifications.", en: "You have read all your notifications." },
  seeNotifications: { fr: "Voir mes notifications", en: "See my notifications" },
  contact: { fr: "Contacter la préfecture", en: "Contacting the préfecture" },
  contactSubmitted: {
    fr: "Vos échanges avec la préfecture se font dans la messagerie de votre demande : vous y écrivez, vous y joignez des documents, et ses réponses y arrivent (vous êtes prévenu par courriel).",
    en: "Your exchanges with the préfecture take place in your application’s messages: you write there, attach documents there, and its answers arrive there (you are told by email).",
  },
  write: { fr: "Écrire à la préfecture", en: "Write to the préfecture" },
  contactBefore: {
    fr: "La messagerie avec la préfecture s’ouvre une fois votre demande déposée. D’ici là, pour une question sur votre situation, adressez-vous à la préfecture de votre domicile.",
    en: "Messages with the préfecture open once your application is submitted. Until then, for a question about your situation, contact the préfecture of your place of residence.",
  },
  yourPrefecture: { fr: "Votre préfecture : {seat}. Département : {departement} ({code}).", en: "Your préfecture: {seat}. Département: {departement} ({code})." },
  faq: { fr: "Questions fréquentes", en: "Frequently asked questions" },
  me: { fr: "Mon compte", en: "My account details" },
  profile: { fr: "Mon profil : adresse, téléphone, adresse électronique", en: "My profile: address, phone, email" },
  logout: { fr: "Se déconnecter", en: "Log out" },
};

type Loaded = { view: Schemas["ApplicationView"] | null; timeline: Schemas["Timeline"] | null };

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ""));
}

export default function Account() {
  const t = useT(messages);
  const { lang } = useLang();
  const { profile, refresh, logout } = useSession();
  const navigate = useNavigate();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The newest application is the current one; its view says where a draft
  // stands, its timeline (once submitted) what happens next, in words.
  const load = useCallback(async () => {
    setError(null);
    try {
      const { applications } = await must(api.GET("/api/applications"));
      const newest = applications[0];
      if (!newest) return setLoaded({ view: null, timeline: null });
      const path = { params: { path: { id: newest.id } } };
      const [view, timeline] = await Promise.all([
        must(api.GET("/api/applications/{id}", path)),
        newest.status === "draft" ? Promise.resolve(null) : must(api.GET("/api/applications/{id}/timeline", path)).catch(() => null),
      ]);
      setLoaded({ view, timeline });
    } catch (failure) {
      setError(failureText(failure, lang));
    }
  }, [lang]);

  // Again when the language changes: the timeline is told in words.
  useEffect(() => {
    void load();
  }, [load]);
  // The unread count may have changed since the site was opened.
  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (!profile) return null;
  const view = loaded?.view ?? null;
  const submitted = view && view.status !== "draft";
  const unread = profile.unread_notifications;

  return (
    <Page title={t("title")} lead={fill(t("hello"), { name: profile.display_name })}>
      {profile.provisional ? <Alert severity="info" as="h2" title={t("provisional")} description={t("provisionalText")} className="fr-mb-4w" /> : null}
      {profile.pending_email ? (
        <Alert
          severity="info"
          as="h2"
          title={t("pendingEmail")}
          description={fill(t("pendingEmailText"), { email: profile.pending_email, current: profile.email })}
          className="fr-mb-4w"
        />
      ) : null}

      <section aria-labelledby="account-application" className="fr-mb-6w">
        <h2 id="account-application">{t("application")}</h2>
        {error ? (
          <>
            <Alert severity="error" as="h3" title={t("loadFailed")} description={error} className="fr-mb-2w" />
            <Button priority="secondary" onClick={() => void load()}>
              {t("retry")}
            </Button>
          </>
        ) : loaded ? (
          <Current view={view} timeline={loaded.timeline} onChanged={() => void load()} />
        ) : (
          <p role="status">{t("loading")}</p>
        )}
      </section>

      <section aria-labelledby="account-notifications" className="fr-mb-6w">
        <h2 id="account-notifications">
          {t("notifications")}{" "}
          {unread > 0 ? (
            <Badge severity="new" as="span">
              {plural(unread, t("unread"), t("unreadMany"))}
            </Badge>
          ) : null}
        </h2>
        <p>{unread > 0 ? plural(unread, t("unreadText"), t("unreadTextMany")) : t("allRead")}</p>
        <Link to="/notifications" className="fr-link fr-icon-arrow-right-line fr-link--icon-right">
          {t("seeNotifications")}
        </Link>
      </section>

      <section aria-labelledby="account-contact" className="fr-mb-6w">
        <h2 id="account-contact">{t("contact")}</h2>
        {submitted ? (
          <>
            <p>{t("contactSubmitted")}</p>
            <Button priority="secondary" linkProps={{ to: `/applications/${view.id}/messages` }}>
              {t("write")}
            </Button>
          </>
        ) : (
          <>
            <p>{t("contactBefore")}</p>
            {view?.prefecture ? <p>{fill(t("yourPrefecture"), view.prefecture)}</p> : null}
          </>
        )}
      </section>

      <section aria-labelledby="account-faq" className="fr-mb-6w">
        <h2 id="account-faq">{t("faq")}</h2>
        <Faq />
      </section>

      <section aria-labelledby="account-me">
        <h2 id="account-me">{t("me")}</h2>
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <Button priority="secondary" linkProps={{ to: "/profile" }}>
              {t("profile")}
            </Button>
          </li>
          <li>
            <Button priority="tertiary" onClick={() => void logout().then(() => navigate("/"))}>
              {t("logout")}
            </Button>
          </li>
        </ul>
      </section>
    </Page>
  );
}
