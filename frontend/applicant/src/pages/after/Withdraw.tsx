// "Withdraw to correct" (B3): possible until the préfecture starts the
// review. A second step asks for confirmation and says what it changes;
// the answer `review_started` (the agent was quicker) is explained, with
// the way to correct that remains: a message with attachments.
import { Button } from "@codegouvfr/react-dsfr/Button";
import { ButtonsGroup } from "@codegouvfr/react-dsfr/ButtonsGroup";
import { useEffect, useRef, useState } from "react";
import { api, ApiFailure, must } from "../../api/client";
import { useT } from "../../i18n";
import { Link, useNavigate } from "../../router";
import type { ApplicationView } from "./shared";

const messages = {
  heading: { fr: "Corriger votre demande", en: "Correct your application" },
  withdraw: { fr: "Retirer ma demande pour la corriger", en: "Withdraw my application to correct it" },
  confirmHeading: { fr: "Retirer votre demande ?", en: "Withdraw your application?" },
  confirm1: {
    fr: "Votre demande redevient un brouillon : vous pourrez modifier les étapes puis la déposer à nouveau.",
    en: "Your application becomes a draft again: you can change the steps, then submit it again.",
  },
  confirm2: {
    fr: "L’attestation de dépôt actuelle ne sera plus valable (sa vérification indiquera « retirée ») ; une nouvelle attestation vous sera remise au nouveau dépôt.",
    en: "The current submission receipt will no longer be valid (its check will say “withdrawn”); you will get a new receipt when you submit again.",
  },
  confirm3: {
    fr: "Pensez à déposer à nouveau votre demande rapidement : tant qu’elle est un brouillon, la préfecture ne l’examine pas.",
    en: "Remember to submit it again soon: while it is a draft, the préfecture does not examine it.",
  },
  yes: { fr: "Confirmer le retrait", en: "Confirm the withdrawal" },
  no: { fr: "Annuler, garder ma demande déposée", en: "Cancel, keep my application submitted" },
  working: { fr: "Retrait en cours…", en: "Withdrawing…" },
  reviewStarted: {
    fr: "La préfecture a commencé l’instruction de votre demande : elle ne peut plus être retirée. Pour corriger une information ou ajouter un document, écrivez à la préfecture depuis vos messages (vous pouvez joindre des fichiers).",
    en: "The préfecture has started reviewing your application: it can no longer be withdrawn. To correct something or add a document, write to the préfecture from your messages (you can attach files).",
  },
  toMessages: { fr: "Écrire à la préfecture", en: "Write to the préfecture" },
  changed: {
    fr: "Votre demande a changé entre-temps (sur un autre appareil ?). La page a été mise à jour : vérifiez sa situation puis réessayez si besoin.",
    en: "Your application changed meanwhile (on another device?). The page was updated: check where it stands, then try again if needed.",
  },
  failed: {
    fr: "Le retrait n’a pas pu être fait. Vérifiez votre connexion puis réessayez.",
    en: "The withdrawal could not be made. Check your connection, then try again.",
  },
};

/** Shown by the case page once the API answered `review_started` (the status has changed by then). */
export function ReviewStarted({ id }: { id: string }) {
  const t = useT(messages);
  const box = useRef<HTMLDivElement>(null);
  // The confirmation that had the focus is gone: the focus comes here.
  useEffect(() => box.current?.focus(), []);
  return (
    <div ref={box} tabIndex={-1} className="fr-alert fr-alert--warning fr-mb-4w" role="alert">
      <p>{t("reviewStarted")}</p>
      <p>
        <Link className="fr-link" to={`/applications/${id}/messages`}>
          {t("toMessages")}
        </Link>
      </p>
    </div>
  );
}

export function Withdraw({ view, onChanged, onReviewStarted }: { view: ApplicationView; onChanged: () => void; onReviewStarted: () => void }) {
  const t = useT(messages);
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<"changed" | "failed" | null>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const opener = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) confirmHeading.current?.focus();
  }, [asking]);

  const withdraw = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await must(
        api.POST("/api/applications/{id}/withdraw", {
          params: { path: { id: view.id }, header: { "If-Match": `"${view.version}"` } },
        }),
      );
      navigate(`/applications/${view.id}/review`);
    } catch (e) {
      const failure = e instanceof ApiFailure ? e : null;
      setAsking(false);
      if (failure?.is("review_started")) onReviewStarted();
      else if (failure && failure.status === 409) setProblem("changed");
      else setProblem("failed");
      if (failure && failure.status === 409) onChanged();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="fr-mb-4w">
      <h3 className="fr-h6 fr-mb-1w">{t("heading")}</h3>
      {problem ? (
        <div className="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
          <p>{t(problem)}</p>
        </div>
      ) : null}
      {asking ? (
        <div className="fr-callout fr-callout--orange-terre-battue" role="group" aria-labelledby="withdraw-confirm-heading">
          <h4 id="withdraw-confirm-heading" ref={confirmHeading} tabIndex={-1} className="fr-callout__title fr-h6">
            {t("confirmHeading")}
          </h4>
          <ul className="fr-mb-2w">
            <li>{t("confirm1")}</li>
            <li>{t("confirm2")}</li>
            <li>{t("confirm3")}</li>
          </ul>
          <ButtonsGroup
            inlineLayoutWhen="md and up"
            buttons={[
              { children: busy ? t("working") : t("yes"), onClick: () => void withdraw(), disabled: busy },
              {
                children: t("no"),
                priority: "secondary",
                disabled: busy,
                onClick: () => {
                  setAsking(false);
                  setTimeout(() => opener.current?.focus(), 0);
                },
              },
            ]}
          />
          <p className="fr-sr-only" role="status">
            {busy ? t("working") : ""}
          </p>
        </div>
      ) : (
        <Button ref={opener} priority="secondary" iconId="fr-icon-edit-line" onClick={() => setAsking(true)}>
          {t("withdraw")}
        </Button>
      )}
    </div>
  );
}
