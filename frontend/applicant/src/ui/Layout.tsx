// The frame of every page: skip links, the DSFR header with the "République
// française" block, the main content, the footer.
import { Header } from "@codegouvfr/react-dsfr/Header";
import { Footer } from "@codegouvfr/react-dsfr/Footer";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";
import { Suspense, type ReactNode } from "react";
import { useNavigate } from "../router";
import { api } from "../api/client";
import { useLang, useT, type Lang } from "../i18n";
import { useSession } from "../session";

const messages = {
  brandTop: { fr: "République\nfrançaise", en: "République\nfrançaise" },
  home: { fr: "Accueil – Séjour", en: "Home – Séjour" },
  service: { fr: "Séjour", en: "Séjour" },
  tagline: { fr: "Titre de séjour étudiant, en ligne", en: "Student residence permit, online" },
  login: { fr: "Se connecter", en: "Log in" },
  logout: { fr: "Se déconnecter", en: "Log out" },
  account: { fr: "Mon espace", en: "My account" },
  notifications: { fr: "Notifications", en: "Notifications" },
  unread: { fr: "non lues", en: "unread" },
  unreadOne: { fr: "non lue", en: "unread" },
  switchTo: { fr: "English", en: "Français" },
  switchToLabel: { fr: "Read this site in English", en: "Lire ce site en français" },
  content: { fr: "Contenu", en: "Content" },
  footer: { fr: "Menu de pied de page", en: "Footer menu" },
  skip: { fr: "Accès rapide", en: "Quick access" },
  verify: { fr: "Vérifier un document", en: "Check a document" },
  accessibility: { fr: "Accessibilité : partiellement conforme", en: "Accessibility: partially compliant" },
  description: {
    fr: "Séjour est le service en ligne de demande de titre de séjour pour les étudiants étrangers en France.",
    en: "Séjour is the online residence-permit service for foreign students in France.",
  },
  loading: { fr: "Chargement…", en: "Loading…" },
};

export function Layout({ children }: { children: ReactNode }) {
  const t = useT(messages);
  const { lang, setLang } = useLang();
  const { profile, logout } = useSession();
  const navigate = useNavigate();
  const other: Lang = lang === "fr" ? "en" : "fr";

  const switchLanguage = () => {
    setLang(other);
    // Logged in: the account remembers it, so that emails and PDFs follow.
    if (profile) void api.PATCH("/api/me", { body: { language: other } });
  };

  const unread = profile?.unread_notifications ?? 0;
  const quickAccess = [
    {
      iconId: "fr-icon-translate-2" as const,
      text: <span lang={other}>{t("switchTo")}</span>,
      buttonProps: { onClick: switchLanguage, "aria-label": t("switchToLabel"), lang: other },
    },
    ...(profile
      ? [
          {
            iconId: "fr-icon-notification-3-line" as const,
            text: unread > 0 ? `${t("notifications")} (${unread} ${t(unread === 1 ? "unreadOne" : "unread")})` : t("notifications"),
            linkProps: { to: "/notifications" },
          },
          { iconId: "fr-icon-account-circle-line" as const, text: t("account"), linkProps: { to: "/account" } },
          {
            iconId: "fr-icon-logout-box-r-line" as const,
            text: t("logout"),
            buttonProps: {
              onClick: () => {
                void logout().then(() => navigate("/"));
              },
            },
          },
        ]
      : [{ iconId: "fr-icon-lock-line" as const, text: t("login"), linkProps: { to: "/login" } }]),
  ];

  return (
    <>
      <SkipLinks links={[{ anchor: "#content", label: t("content") }, { anchor: "#footer", label: t("footer") }]} />
      <Header
        brandTop={<>République<br />française</>}
        homeLinkProps={{ to: profile ? "/account" : "/", title: t("home") }}
        serviceTitle={t("service")}
        serviceTagline={t("tagline")}
        quickAccessItems={quickAccess}
      />
      <main id="content" tabIndex={-1} className="fr-container fr-py-4w">
        <Suspense fallback={<p role="status">{t("loading")}</p>}>{children}</Suspense>
      </main>
      <Footer
        id="footer"
        accessibility="partially compliant"
        contentDescription={t("description")}
        homeLinkProps={{ to: "/", title: t("home") }}
        bottomItems={[{ text: t("verify"), linkProps: { to: "/verify" } }]}
      />
    </>
  );
}
