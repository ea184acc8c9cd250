// What the three pages after submission share: the application as loaded
// (with its version), the status's words, and the button that opens a
// document the case holds through its short-lived signed link.
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { api, ApiFailure, must, type Schemas } from "../../api/client";
import { useLang, useT } from "../../i18n";
import { Link } from "../../router";
import { STATUS } from "../../ui/status";

export type ApplicationView = Schemas["ApplicationView"];
export type Status = Schemas["Status"];

/** Where the API refuses messages (`case_closed`, `not_submitted`): no form is offered. */
export const NO_WRITING: Partial<Record<Status, "closed" | "draft">> = { refused: "closed", card_delivered: "closed", draft: "draft" };

const messages = {
  status: { fr: "Statut :", en: "Status:" },
  account: { fr: "Mon espace", en: "My account" },
  view: { fr: "Voir", en: "View" },
  newTab: { fr: "(nouvel onglet)", en: "(new tab)" },
  open: { fr: "Ouvrir", en: "Open" },
  viewFailed: {
    fr: "Le document n’a pas pu être ouvert. Réessayez dans un instant.",
    en: "The document could not be opened. Try again in a moment.",
  },
  opening: { fr: "Ouverture du document…", en: "Opening the document…" },
};

export function StatusBadge({ status }: { status: Status }) {
  const t = useT(messages);
  const { lang } = useLang();
  return (
    <Badge as="span" severity={STATUS[status].severity}>
      <span className="fr-sr-only">{t("status")} </span>
      {STATUS[status].label[lang]}
    </Badge>
  );
}

/** Mon espace › the case › this page. */
export function CaseBreadcrumb({ id, reference, current }: { id: string; reference?: string; current: string }) {
  const t = useT(messages);
  const segments = [{ label: t("account"), linkProps: { to: "/account" } }];
  if (reference) segments.push({ label: reference, linkProps: { to: `/applications/${id}` } });
  return <Breadcrumb currentPageLabel={current} segments={segments} className="fr-mb-2w fr-mt-2w" />;
}

/** The pages' text column: full width on a phone, lines of a readable length on a screen. */
export function Column({ children }: { children: ReactNode }) {
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-lg-9">{children}</div>
    </div>
  );
}

type Loaded = {
  view: ApplicationView | undefined;
  failure: ApiFailure | null;
  reload: () => Promise<ApplicationView | undefined>;
  /** After a write that answered with the new view. */
  setView: (view: ApplicationView) => void;
};

/** GET /api/applications/{id}, again on `reload()`. */
export function useApplication(id: string): Loaded {
  const [view, setView] = useState<ApplicationView>();
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const reload = useCallback(async () => {
    try {
      const next = await must(api.GET("/api/applications/{id}", { params: { path: { id } } }));
      setView(next);
      setFailure(null);
      return next;
    } catch (e) {
      setFailure(e instanceof ApiFailure ? e : new ApiFailure(0, null));
      return undefined;
    }
  }, [id]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { view, failure, reload, setView };
}

/**
 * Opens a document of the case in a new tab. The link the API signs lasts
 * five minutes, so it is asked for at the click; the tab is opened at once
 * (within the click, which popup blockers require) and sent there when the
 * link comes.
 */
export function ViewDocumentButton({ applicationId, document, name }: { applicationId: string; document: string; name: string }) {
  const t = useT(messages);
  const [state, setState] = useState<"idle" | "opening" | "failed">("idle");
  // The tab was refused (popup blocker): the signed link, to follow by hand.
  const [fallback, setFallback] = useState<string | null>(null);
  const open = async () => {
    const tab = window.open("", "_blank");
    if (tab) tab.opener = null;
    setState("opening");
    try {
      const signed = await must(api.GET("/api/applications/{id}/documents/{doc}", { params: { path: { id: applicationId, doc: document } } }));
      if (tab) tab.location.replace(signed.url);
      else setFallback(signed.url);
      setState("idle");
    } catch {
      tab?.close();
      setState("failed");
    }
  };
  return (
    <>
      <button type="button" className="fr-link fr-icon-eye-line fr-link--icon-left" onClick={() => void open()}>
        {t("view")}
        <span className="fr-sr-only"> {name}</span> {t("newTab")}
      </button>
      {fallback ? (
        <a className="fr-link fr-ml-1w" href={fallback} target="_blank" rel="noopener noreferrer">
          {t("open")} {name} {t("newTab")}
        </a>
      ) : null}
      <span role="status" className={state === "failed" ? "fr-error-text fr-mt-1v" : "fr-sr-only"}>
        {state === "failed" ? t("viewFailed") : state === "opening" ? t("opening") : ""}
      </span>
    </>
  );
}

/**
 * The API refuses control characters in every text, line breaks included
 * (`domain::validation::text`): what is typed in a text area is sent with
 * its line breaks and tabs turned into spaces. To drop once the API accepts
 * multi-line texts.
 */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ");
}

/** Messages of the "not found / not reachable" kind, for the three pages. */
export const loadMessages = {
  loading: { fr: "Chargement de votre demande…", en: "Loading your application…" },
  notFound: {
    fr: "Cette demande n’existe pas, ou elle n’est pas la vôtre.",
    en: "This application does not exist, or it is not yours.",
  },
  failed: {
    fr: "Votre demande n’a pas pu être chargée. Vérifiez votre connexion puis rechargez la page.",
    en: "Your application could not be loaded. Check your connection, then reload the page.",
  },
  back: { fr: "Retour à mon espace", en: "Back to my account" },
};

export function LoadState({ failure }: { failure: ApiFailure | null }) {
  const t = useT(loadMessages);
  if (!failure) return <p role="status">{t("loading")}</p>;
  return (
    <div className="fr-alert fr-alert--error fr-mb-4w" role="alert">
      <p>{failure.status === 404 ? t("notFound") : t("failed")}</p>
      <p>
        <Link className="fr-link" to="/account">
          {t("back")}
        </Link>
      </p>
    </div>
  );
}
