// The case's history (F23, B5): every step with its date and who made it,
// oldest first, as GET /api/applications/{id}/timeline gives it (its words
// come in the request's language).
import { formatDateTime, useLang, useT } from "../../i18n";
import type { Schemas } from "../../api/client";

const messages = {
  heading: { fr: "Historique de votre demande", en: "History of your application" },
  none: { fr: "Aucune étape pour l’instant.", en: "No step yet." },
};

const WHO: Record<Schemas["Who"], { fr: string; en: string }> = {
  you: { fr: "par vous", en: "by you" },
  prefecture: { fr: "par la préfecture", en: "by the préfecture" },
  service: { fr: "par le service, automatiquement", en: "by the service, automatically" },
};

export function History({ steps }: { steps: Schemas["TimelineStep"][] }) {
  const t = useT(messages);
  const { lang } = useLang();
  return (
    <section className="fr-mb-6w" aria-labelledby="history-heading">
      <h2 id="history-heading">{t("heading")}</h2>
      {steps.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <ol className="fr-raw-list" style={{ borderLeft: "2px solid var(--border-default-blue-france)", paddingLeft: "1rem" }}>
          {steps.map((step, i) => (
            <li key={`${step.at}-${i}`} className="fr-mb-2w">
              <p className="fr-text--sm fr-mb-0">
                <time dateTime={step.at}>{formatDateTime(step.at, lang)}</time>
              </p>
              <p className="fr-mb-0">
                <span className="fr-text--bold">{step.label}</span> <span className="fr-text--sm">{WHO[step.who][lang]}</span>
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
