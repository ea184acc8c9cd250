import { Link } from "../router";
import { useT } from "../i18n";
import { Page } from "../ui/Page";

const messages = {
  title: { fr: "Page introuvable", en: "Page not found" },
  body: {
    fr: "L’adresse est peut-être erronée, ou la page a été déplacée.",
    en: "The address may be wrong, or the page has moved.",
  },
  home: { fr: "Revenir à l’accueil", en: "Back to the home page" },
};

export default function NotFound() {
  const t = useT(messages);
  return (
    <Page title={t("title")}>
      <p>{t("body")}</p>
      <Link to="/" className="fr-link">
        {t("home")}
      </Link>
    </Page>
  );
}
