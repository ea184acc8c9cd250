// The account's notifications (F6), newest first, the unread ones marked.
// Opening one (its link) or "mark as read" tells the API, and the header's
// count follows.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useCallback, useEffect, useState } from "react";
import { api, must, type Schemas } from "../api/client";
import { formatDateTime, useLang, useT, type Text } from "../i18n";
import { Link } from "../router";
import { useSession } from "../session";
import { Page } from "../ui/Page";
import { failureText, plural } from "./account/form";

type Notification = Schemas["NotificationView"];
type Target = "account" | "profile" | "case" | "complement" | "messages" | null;

/** Each kind in words, and the page that shows what it is about. */
const KINDS: Record<Schemas["NotificationKind"], { label: Text; target: Target }> = {
  account_activated: { label: { fr: "Votre compte est créé", en: "Your account is ready" }, target: "account" },
  email_changed: { label: { fr: "Votre adresse électronique a changé", en: "Your email address has changed" }, target: "profile" },
  password_changed: { label: { fr: "Votre mot de passe a changé", en: "Your password has changed" }, target: null },
  application_submitted: { label: { fr: "Votre demande est déposée", en: "Your application has been submitted" }, target: "case" },
  application_withdrawn: { label: { fr: "Votre demande est retirée pour correction", en: "Your application was withdrawn for correction" }, target: "account" },
  complement_requested: { label: { fr: "La préfecture vous demande des compléments", en: "The préfecture asks you for more documents" }, target: "complement" },
  complement_sent: { label: { fr: "Vos compléments sont envoyés", en: "Your documents have been sent" }, target: "case" },
  complement_reminder: { label: { fr: "Bientôt la fin du délai pour vos compléments", en: "The time to send your documents is nearly over" }, target: "complement" },
  complement_overdue: { label: { fr: "Le délai pour envoyer vos compléments est dépassé", en: "The time to send the documents asked for has passed" }, target: "case" },
  decision_made: { label: { fr: "La préfecture a pris une décision sur votre demande", en: "The préfecture has decided on your application" }, target: "case" },
  card_in_production: { label: { fr: "Votre titre de séjour est en fabrication", en: "Your residence permit card is being produced" }, target: "case" },
  card_ready: { label: { fr: "Votre titre de séjour est prêt à être retiré", en: "Your residence permit card is ready to collect" }, target: "case" },
  card_handed_over: { label: { fr: "Votre titre de séjour vous a été remis", en: "Your residence permit card was handed over" }, target: "case" },
  message_received: { label: { fr: "Nouveau message de la préfecture", en: "New message from the préfecture" }, target: "messages" },
  extension_issued: { label: { fr: "Votre attestation de prolongation d’instruction est disponible", en: "Your extension certificate is available" }, target: "case" },
  case_overdue: { label: { fr: "Un dossier a dépassé son délai de compléments", en: "A case has passed its deadline for documents" }, target: null },
};

const messages = {
  title: { fr: "Mes notifications", en: "My notifications" },
  lead: {
    fr: "Chaque événement de votre demande apparaît ici et vous est aussi signalé par courriel.",
    en: "Every event of your application appears here and is also emailed to you.",
  },
  loading: { fr: "Chargement des notifications…", en: "Loading the notifications…" },
  loadFailed: { fr: "Les notifications n’ont pas pu être chargées", en: "The notifications could not be loaded" },
  retry: { fr: "Réessayer", en: "Try again" },
  none: { fr: "Vous n’avez aucune notification pour le moment.", en: "You have no notifications for now." },
  count: { fr: "{n} notification", en: "{n} notification" },
  countMany: { fr: "{n} notifications", en: "{n} notifications" },
  countUnread: { fr: ", dont {n} non lue.", en: ", {n} unread." },
  countUnreadMany: { fr: ", dont {n} non lues.", en: ", {n} unread." },
  countNoneUnread: { fr: ", toutes lues.", en: ", all read." },
  unread: { fr: "Non lue", en: "Unread" },
  read: { fr: "Lue", en: "Read" },
  markRead: { fr: "Marquer comme lue", en: "Mark as read" },
  markAll: { fr: "Tout marquer comme lu", en: "Mark all as read" },
  marked: { fr: "Notification marquée comme lue.", en: "Notification marked as read." },
  allMarked: { fr: "Toutes les notifications sont marquées comme lues.", en: "All notifications are marked as read." },
  on: { fr: "Reçue le {date}", en: "Received on {date}" },
  account: { fr: "Aller à mon espace", en: "Go to my account" },
  profile: { fr: "Voir mon profil", en: "See my profile" },
  case: { fr: "Voir ma demande", en: "See my application" },
  complement: { fr: "Répondre à la demande de compléments", en: "Answer the complement request" },
  messages: { fr: "Lire les messages", en: "Read the messages" },
  about: { fr: " : {label}", en: ": {label}" },
};

export default function Notifications() {
  const t = useT(messages);
  const { lang } = useLang();
  const { refresh } = useSession();
  const [list, setList] = useState<Notification[] | null>(null);
  const [applicationId, setApplicationId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState("");

  // The notifications do not say which application they are about: the
  // applicant has one at a time, the newest.
  const load = useCallback(async () => {
    setError(null);
    try {
      const [{ notifications }, { applications }] = await Promise.all([
        must(api.GET("/api/me/notifications")),
        must(api.GET("/api/applications")).catch(() => ({ applications: [] })),
      ]);
      setList(notifications);
      setApplicationId(applications[0]?.id ?? null);
    } catch (failure) {
      setError(failureText(failure, lang));
    }
  }, [lang]);

  useEffect(() => {
    void load();
  }, [load]);

  const markRead = async (ids: string[]) => {
    const now = new Date().toISOString();
    setList((l) => l?.map((n) => (ids.includes(n.id) ? { ...n, read_at: n.read_at ?? now } : n)) ?? l);
    await Promise.all(ids.map((id) => api.POST("/api/me/notifications/{id}/read", { params: { path: { id } } }).catch(() => undefined)));
    await refresh();
  };

  const href = (target: Target): string | null => {
    if (target === null) return null;
    if (target === "account") return "/account";
    if (target === "profile") return "/profile";
    if (!applicationId) return "/account";
    if (target === "complement") return `/applications/${applicationId}/complement`;
    if (target === "messages") return `/applications/${applicationId}/messages`;
    return `/applications/${applicationId}`;
  };

  let body;
  if (error)
    body = (
      <>
        <Alert severity="error" as="h2" title={t("loadFailed")} description={error} className="fr-mb-2w" />
        <Button priority="secondary" onClick={() => void load()}>
          {t("retry")}
        </Button>
      </>
    );
  else if (!list) body = <p role="status">{t("loading")}</p>;
  else if (list.length === 0) body = <p>{t("none")}</p>;
  else {
    const unread = list.filter((n) => !n.read_at);
    body = (
      <>
        <div className="sj-row fr-mb-3w">
          <p className="fr-mb-0">
            {plural(list.length, t("count"), t("countMany"))}
            {unread.length ? plural(unread.length, t("countUnread"), t("countUnreadMany")) : t("countNoneUnread")}
          </p>
          {unread.length > 1 ? (
            <Button
              priority="secondary"
              size="small"
              onClick={() => {
                setSaid(t("allMarked"));
                void markRead(unread.map((n) => n.id));
              }}
            >
              {t("markAll")}
            </Button>
          ) : null}
        </div>
        <ul className="sj-notifications">
          {list.map((n) => {
            const kind = KINDS[n.kind];
            const to = href(kind.target);
            const label = kind.label[lang];
            return (
              <li key={n.id} className={n.read_at ? "sj-notification" : "sj-notification sj-unread"}>
                <h2 className="fr-h6 fr-mb-1w" id={`notification-${n.id}`} tabIndex={-1}>
                  {label}
                </h2>
                <p className="fr-text--sm fr-mb-1w">
                  {t("on").replace("{date}", formatDateTime(n.created_at, lang))}{" "}
                  <Badge as="span" small severity={n.read_at ? undefined : "new"} noIcon={!!n.read_at}>
                    {n.read_at ? t("read") : t("unread")}
                  </Badge>
                </p>
                <div className="sj-row">
                  {to ? (
                    <Link
                      to={to}
                      className="fr-link fr-icon-arrow-right-line fr-link--icon-right"
                      onClick={() => {
                        if (!n.read_at) void markRead([n.id]);
                      }}
                    >
                      {t(kind.target ?? "account")}
                      <span className="fr-sr-only">{t("about").replace("{label}", label)}</span>
                    </Link>
                  ) : null}
                  {!n.read_at ? (
                    <Button
                      priority="tertiary"
                      size="small"
                      onClick={() => {
                        setSaid(t("marked"));
                        // The button goes away: the notification's title keeps the focus.
                        document.getElementById(`notification-${n.id}`)?.focus();
                        void markRead([n.id]);
                      }}
                    >
                      {t("markRead")}
                      <span className="fr-sr-only">{t("about").replace("{label}", label)}</span>
                    </Button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      </>
    );
  }

  return (
    <Page title={t("title")} lead={t("lead")}>
      <p className="fr-sr-only" role="status">
        {said}
      </p>
      {body}
    </Page>
  );
}
