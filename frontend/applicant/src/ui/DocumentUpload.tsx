// One document to upload (F11; reused by the complement answer and the
// message attachments): the DSFR upload field, then
//   POST …/documents        → a document waiting for its file, a signed URL
//   PUT  <signed URL>       → the file, straight to storage (progress bar)
//   POST …/documents/{doc}/confirm → the server reads the bytes: accepted,
//                                    or rejected with a reason shown here.
// Once there, the file can be viewed (a signed link, new tab), replaced or
// removed. Every change moves the application's version: `onChange` gives
// the new ETag so that the page's next save does not meet a conflict.
//
// Interface: <DocumentUpload applicationId kind label? hint? current? onChange
//   id? error? disabled? removable? />
// The parent owns the document: it passes `change.document` back as
// `current` (the widget shows what `current` says) and keeps `change.etag`
// for its next If-Match. No If-Match is sent here (optional on these
// endpoints): uploads of several kinds may run at once.
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect, useRef, useState } from "react";
import { api, ApiFailure, etagOf, must } from "../api/client";
import { useLang, useT, type Text } from "../i18n";
import {
  ACCEPT,
  checkFile,
  fileTypeOf,
  formatSize,
  KIND_HINTS,
  KIND_LABELS,
  MAX_UPLOAD_BYTES,
  putFile,
  REJECTION_TEXTS,
  UploadError,
  type DocumentKind,
  type DocumentView,
} from "./documents";

const messages = {
  formats: { fr: "Formats acceptés : PDF, JPEG ou PNG. Taille maximale : {max}.", en: "Accepted formats: PDF, JPEG or PNG. Maximum size: {max}." },
  accepted: { fr: "Accepté", en: "Accepted" },
  rejected: { fr: "Refusé", en: "Rejected" },
  waiting: { fr: "Envoi non terminé", en: "Upload not finished" },
  view: { fr: "Voir", en: "View" },
  replace: { fr: "Remplacer", en: "Replace" },
  remove: { fr: "Supprimer", en: "Remove" },
  cancel: { fr: "Annuler", en: "Cancel" },
  newTab: { fr: "(nouvel onglet)", en: "(new tab)" },
  of: { fr: "du document", en: "the document" },
  sending: { fr: "Envoi de {name} : {pct} %", en: "Sending {name}: {pct}%" },
  sendingStart: { fr: "Envoi de {name} en cours…", en: "Sending {name}…" },
  checking: { fr: "Vérification du fichier…", en: "Checking the file…" },
  done: { fr: "{name} a été accepté.", en: "{name} was accepted." },
  removed: { fr: "Le document a été supprimé. Vous pouvez en ajouter un autre.", en: "The document was removed. You may add another one." },
  // The API drops the current file as soon as a new upload is asked for.
  replacing: {
    fr: "Choisissez le nouveau fichier : il remplacera {name} dès son envoi.",
    en: "Choose the new file: it will replace {name} as soon as it is sent.",
  },
  badType: {
    fr: "Ce format n’est pas accepté. Choisissez un fichier PDF, JPEG ou PNG.",
    en: "This format is not accepted. Choose a PDF, JPEG or PNG file.",
  },
  tooBig: {
    fr: "Ce fichier fait {size}, plus que les {max} autorisés. Réduisez-le (numérisation en 150 ppp, compression) puis choisissez-le à nouveau.",
    en: "This file is {size}, more than the {max} allowed. Make it smaller (scan at 150 dpi, compress it) and choose it again.",
  },
  empty: { fr: "Ce fichier est vide. Choisissez un autre fichier.", en: "This file is empty. Choose another file." },
  network: {
    fr: "L’envoi n’a pas abouti (connexion interrompue ?). Vérifiez votre connexion puis choisissez à nouveau le fichier.",
    en: "The upload did not go through (connection lost?). Check your connection and choose the file again.",
  },
  cancelled: { fr: "Envoi annulé.", en: "Upload cancelled." },
  expired: {
    fr: "Le lien d’envoi a expiré ou a été refusé. Choisissez à nouveau le fichier.",
    en: "The upload link expired or was refused. Choose the file again.",
  },
  notEditable: {
    fr: "Ce dossier ne peut plus être modifié : il a déjà été déposé.",
    en: "This application can no longer be changed: it has already been submitted.",
  },
  unfinished: {
    fr: "Le fichier {name} n’a pas été reçu en entier. Choisissez-le à nouveau.",
    en: "The file {name} was not fully received. Choose it again.",
  },
  rejectedFile: { fr: "Le fichier {name} a été refusé.", en: "The file {name} was rejected." },
  viewFailed: { fr: "Le document ne peut pas être affiché pour le moment. Réessayez.", en: "The document cannot be shown right now. Try again." },
  popup: { fr: "Ouvrir {name}", en: "Open {name}" },
  failed: { fr: "Une erreur est survenue. Réessayez dans quelques instants.", en: "Something went wrong. Try again in a moment." },
};

/** What changed: the document now held for the kind (`null`: removed) and the application's new ETag. */
export type DocumentChange = { document: DocumentView | null; etag: string };

export type DocumentUploadProps = {
  applicationId: string;
  kind: DocumentKind;
  /** The field's label; the kind's name by default. */
  label?: string;
  /** What to upload; the kind's hint by default (the formats and size are always added). */
  hint?: string;
  /** The document held now for this kind, if any (from the application view). */
  current?: DocumentView | null;
  onChange: (change: DocumentChange) => void;
  /** The file input's id (error summaries link to it); `doc-<kind>` by default. */
  id?: string;
  /** An error from the page (e.g. "required" after a save), shown under the field. */
  error?: string;
  /** Nothing can be changed (submitted): view only. */
  disabled?: boolean;
  /** Offer "Remove" (default true). */
  removable?: boolean;
};

type Phase = "idle" | "uploading" | "checking" | "busy";
type Status = { tone: "error" | "success" | "info"; text: Text } | null;

/** Fills `{name}`-style holes of a text. */
function fill(text: Text, values: Record<string, string>): Text {
  const one = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
  return { fr: one(text.fr), en: one(text.en) };
}

export function DocumentUpload(props: DocumentUploadProps) {
  const { applicationId, kind, current, onChange, disabled = false, removable = true } = props;
  const t = useT(messages);
  const { lang } = useLang();
  const id = props.id ?? `doc-${kind}`;
  const [phase, setPhase] = useState<Phase>("idle");
  const [progress, setProgress] = useState(0);
  const [sending, setSending] = useState("");
  const [status, setStatus] = useState<Status>(null);
  const [replacing, setReplacing] = useState(false);
  const [fallbackLink, setFallbackLink] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const summary = useRef<HTMLDivElement>(null);
  const focusSummary = useRef(false);
  const focusInput = useRef(false);

  // Leaving the page cancels an upload under way.
  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    if (replacing) input.current?.focus();
  }, [replacing]);
  useEffect(() => {
    if (focusInput.current && !current) {
      focusInput.current = false;
      input.current?.focus();
    }
    if (focusSummary.current && current?.status === "accepted") {
      focusSummary.current = false;
      summary.current?.focus();
    }
  }, [current]);

  const max = formatSize(MAX_UPLOAD_BYTES, lang);
  const label = props.label ?? KIND_LABELS[kind][lang];
  const hint = props.hint ?? KIND_HINTS[kind][lang];
  const accepted = current?.status === "accepted";
  const showInput = !disabled && (!accepted || replacing);
  const working = phase !== "idle";

  // The error under the field: the browser's or the server's, else the page's, else the stored file's rejection.
  const serverRejection =
    current?.status === "rejected" && current.rejection_reason
      ? `${fill(messages.rejectedFile, { name: current.file_name })[lang]} ${REJECTION_TEXTS[current.rejection_reason][lang]}`
      : current?.status === "awaiting_upload" && phase === "idle"
        ? fill(messages.unfinished, { name: current.file_name })[lang]
        : null;
  const errorText = status?.tone === "error" ? status.text[lang] : (props.error ?? (status ? null : serverRejection));
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const statusId = `${id}-status`;

  const failure = (e: unknown, file?: File): Text => {
    if (e instanceof UploadError) return e.status === -1 ? messages.cancelled : e.status === 0 ? messages.network : messages.expired;
    if (e instanceof ApiFailure) {
      if (e.status === 0) return messages.network;
      if (e.is("not_editable")) return messages.notEditable;
      const field = e.problem?.errors?.[0];
      if (field?.code === "too_large" && file) return fill(messages.tooBig, { size: formatSize(file.size, lang), max });
      if (field?.code === "unsupported_type") return messages.badType;
      if (field) return { fr: field.message, en: field.message };
      if (e.problem?.detail) return { fr: e.problem.detail, en: e.problem.detail };
    }
    return messages.failed;
  };

  const send = async (file: File) => {
    const refused = checkFile(file);
    if (refused) {
      const text =
        refused === "type"
          ? messages.badType
          : refused === "empty"
            ? messages.empty
            : fill(messages.tooBig, { size: formatSize(file.size, lang), max });
      setStatus({ tone: "error", text });
      if (input.current) input.current.value = "";
      return;
    }
    const controller = new AbortController();
    abort.current = controller;
    setPhase("uploading");
    setProgress(0);
    setSending(file.name);
    setFallbackLink(null);
    setStatus({ tone: "info", text: fill(messages.sendingStart, { name: file.name }) });
    try {
      const ticket = await must(
        api.POST("/api/applications/{id}/documents", {
          params: { path: { id: applicationId } },
          body: { kind, file_name: file.name, content_type: fileTypeOf(file)!, size: file.size },
        }),
      );
      onChange({ document: ticket.document, etag: `"${ticket.application_version}"` });
      await putFile(ticket.upload, file, setProgress, controller.signal);
      setPhase("checking");
      setStatus({ tone: "info", text: messages.checking });
      const { data, error, response } = await api.POST("/api/applications/{id}/documents/{doc}/confirm", {
        params: { path: { id: applicationId, doc: ticket.document.id } },
      });
      if (!response.ok || !data) throw new ApiFailure(response.status, error && typeof error === "object" && "code" in error ? error : null);
      const doc = data.document;
      setReplacing(false);
      if (doc.status === "accepted") {
        focusSummary.current = true;
        setStatus({ tone: "success", text: fill(messages.done, { name: doc.file_name }) });
      } else {
        // Rejected: the reason comes from the stored document, under the field.
        setStatus(null);
      }
      onChange({ document: doc, etag: etagOf(response) ?? `"${data.application_version}"` });
    } catch (e) {
      const cancelled = e instanceof UploadError && e.status === -1;
      setStatus({ tone: cancelled ? "info" : "error", text: failure(e, file) });
    } finally {
      abort.current = null;
      setPhase("idle");
      if (input.current) input.current.value = "";
    }
  };

  const view = async () => {
    if (!current) return;
    // Opened now, while the click still allows it; pointed at the file once the link is known.
    const tab = window.open("", "_blank");
    if (tab) tab.opener = null;
    setPhase("busy");
    try {
      const link = await must(api.GET("/api/applications/{id}/documents/{doc}", { params: { path: { id: applicationId, doc: current.id } } }));
      if (tab) tab.location.replace(link.url);
      else setFallbackLink(link.url);
    } catch {
      tab?.close();
      setStatus({ tone: "error", text: messages.viewFailed });
    } finally {
      setPhase("idle");
    }
  };

  const remove = async () => {
    if (!current) return;
    setPhase("busy");
    try {
      const { error, response } = await api.DELETE("/api/applications/{id}/documents/{doc}", {
        params: { path: { id: applicationId, doc: current.id } },
      });
      if (!response.ok) throw new ApiFailure(response.status, error && typeof error === "object" && "code" in error ? error : null);
      setReplacing(false);
      setStatus({ tone: "info", text: messages.removed });
      focusInput.current = true;
      onChange({ document: null, etag: etagOf(response) ?? "" });
    } catch (e) {
      setStatus({ tone: "error", text: failure(e) });
    } finally {
      setPhase("idle");
    }
  };

  const badge =
    current?.status === "accepted" ? (
      <Badge severity="success" small as="span">
        {t("accepted")}
      </Badge>
    ) : current?.status === "rejected" ? (
      <Badge severity="error" small as="span">
        {t("rejected")}
      </Badge>
    ) : current ? (
      <Badge severity="warning" small as="span">
        {t("waiting")}
      </Badge>
    ) : null;

  const describedBy = [hintId, errorText ? errorId : null, statusId].filter(Boolean).join(" ");

  return (
    // `position: relative`: the DSFR error bar (::before) is sized on the group.
    <div className={`fr-upload-group fr-mb-5w${errorText ? " fr-input-group--error" : ""}`} id={`${id}-group`} style={{ position: "relative" }}>
      {showInput ? (
        <label className="fr-label" htmlFor={id}>
          {label}
          <span className="fr-hint-text" id={hintId}>
            {hint} {fill(messages.formats, { max })[lang]}
          </span>
        </label>
      ) : (
        <p className="fr-label fr-mb-1w" id={`${id}-label`}>
          {label}
          <span className="fr-hint-text" id={hintId}>
            {hint}
          </span>
        </p>
      )}

      {current && !(working && current.status === "awaiting_upload") ? (
        <div ref={summary} tabIndex={-1} className="fr-mt-1w" aria-labelledby={showInput ? undefined : `${id}-label`}>
          <p className="fr-mb-1w" style={{ overflowWrap: "anywhere" }}>
            <span className="fr-icon-file-line fr-icon--sm fr-mr-1w" aria-hidden="true" />
            {current.file_name} <span className="fr-text--sm">({formatSize(current.size, lang)})</span> {badge}
          </p>
          <ul className="fr-raw-list" style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem" }}>
            {accepted ? (
              <li>
                <Button
                  priority="secondary"
                  size="small"
                  iconId="fr-icon-eye-line"
                  onClick={() => void view()}
                  disabled={working}
                  title={`${t("view")} ${current.file_name} ${t("newTab")}`}
                >
                  {t("view")}
                </Button>
              </li>
            ) : null}
            {accepted && !disabled && !replacing ? (
              <li>
                <Button
                  priority="secondary"
                  size="small"
                  iconId="fr-icon-refresh-line"
                  onClick={() => {
                    setStatus({ tone: "info", text: fill(messages.replacing, { name: current.file_name }) });
                    setReplacing(true);
                  }}
                  disabled={working}
                  title={`${t("replace")} ${current.file_name}`}
                >
                  {t("replace")}
                </Button>
              </li>
            ) : null}
            {!disabled && removable ? (
              <li>
                <Button
                  priority="tertiary"
                  size="small"
                  iconId="fr-icon-delete-line"
                  onClick={() => void remove()}
                  disabled={working}
                  title={`${t("remove")} ${current.file_name}`}
                >
                  {t("remove")}
                </Button>
              </li>
            ) : null}
          </ul>
          {fallbackLink ? (
            <p>
              <a href={fallbackLink} target="_blank" rel="noopener noreferrer">
                {fill(messages.popup, { name: current.file_name })[lang]} {t("newTab")}
              </a>
            </p>
          ) : null}
        </div>
      ) : null}

      {showInput ? (
        <input
          ref={input}
          className="fr-upload"
          type="file"
          id={id}
          name={id}
          accept={ACCEPT}
          disabled={working}
          aria-describedby={describedBy}
          aria-invalid={errorText ? true : undefined}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void send(file);
          }}
        />
      ) : null}
      {replacing && !working ? (
        <Button
          className="fr-mt-1w"
          priority="tertiary no outline"
          size="small"
          onClick={() => {
            setReplacing(false);
            setStatus(null);
          }}
        >
          {t("cancel")}
        </Button>
      ) : null}

      {errorText ? (
        <p className="fr-error-text" id={errorId}>
          {errorText}
        </p>
      ) : null}

      {phase === "uploading" ? (
        <div className="fr-mt-2w">
          <label className="fr-text--sm fr-mb-1v" htmlFor={`${id}-progress`} style={{ display: "block", overflowWrap: "anywhere" }}>
            {fill(messages.sending, { name: sending, pct: String(Math.round(progress * 100)) })[lang]}
          </label>
          <progress id={`${id}-progress`} max={100} value={Math.round(progress * 100)} style={{ width: "100%", height: "0.75rem", accentColor: "var(--background-action-high-blue-france)" }} />
          <Button priority="tertiary" size="small" onClick={() => abort.current?.abort()}>
            {t("cancel")}
          </Button>
        </div>
      ) : null}

      {/* Always in the page, so that screen readers announce what is put in it. */}
      <div id={statusId} role="status" aria-live="polite">
        {status && status.tone !== "error" ? (
          // While the bar shows it, the start of an upload is for screen readers only.
          <p className={`${status.tone === "success" ? "fr-valid-text" : "fr-info-text"}${phase === "uploading" ? " fr-sr-only" : ""}`}>{status.text[lang]}</p>
        ) : null}
      </div>
    </div>
  );
}
