// The errors of a form, summarised at its top (GOV.UK / DSFR pattern): a
// titled alert listing each invalid field as a link to it; focus moves to
// the summary when it appears so that screen readers announce it.
import { useEffect, useRef } from "react";
import { useT } from "../i18n";

const messages = {
  title: { fr: "Le formulaire contient des erreurs", en: "There is a problem" },
  one: { fr: "Corrigez le champ ci-dessous :", en: "Correct the field below:" },
  many: { fr: "Corrigez les champs ci-dessous :", en: "Correct the fields below:" },
};

export type SummaryItem = {
  /** The `id` of the input to focus. */
  target: string;
  /** The field's label and its error. */
  text: string;
};

export function ErrorSummary({ items, detail }: { items: SummaryItem[]; detail?: string }) {
  const t = useT(messages);
  const box = useRef<HTMLDivElement>(null);
  const shown = items.length > 0 || !!detail;
  useEffect(() => {
    if (shown) box.current?.focus();
  }, [shown, items, detail]);
  if (!shown) return null;
  return (
    <div ref={box} tabIndex={-1} className="fr-alert fr-alert--error fr-mb-4w" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="fr-alert__title">
        {t("title")}
      </h2>
      {detail ? <p>{detail}</p> : null}
      {items.length > 0 ? (
        <>
          <p>{items.length === 1 ? t("one") : t("many")}</p>
          <ul>
            {items.map((item) => (
              <li key={item.target}>
                <a
                  href={`#${item.target}`}
                  onClick={(e) => {
                    e.preventDefault();
                    document.getElementById(item.target)?.focus();
                  }}
                >
                  {item.text}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
