// The conversation with the préfecture (B4, and B3's correction after the
// review started): the messages both ways with their attachments, and a
// form to write, with files of kind `attachment` uploaded first through
// the usual signed upload, then named in POST …/messages.
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useMemo, useRef, useState } from "react";
import { api, ApiFailure, must, type Schemas } from "../../api/client";
import { formatDateTime, useLang, useT } from "../../i18n";
import { useParams } from "../../router";
import { DocumentUpload } from "../../ui/DocumentUpload";
import { formatSize, type DocumentView } from "../../ui/documents";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { Page } from "../../ui/Page";
import { CaseBreadcrumb, Column, LoadState, NO_WRITING, oneLine, useApplication, ViewDocumentButton, type ApplicationView } from "./shared";

const MAX_ATTACHMENTS = 5;
const MAX_TEXT = 2000;

const messages = {
  title: { fr: "Messages avec la préfecture", en: "Messages with the préfecture" },
  crumb: { fr: "Messages", en: "Messages" },
  lead: {
    fr: "Posez une question sur votre demande, ou envoyez une correction avec des pièces jointes. La préfecture vous répond ici ; vous êtes prévenu par courriel.",
    en: "Ask a question about your application, or send a correction with attachments. The préfecture answers here; you are told by email.",
  },
  conversation: { fr: "Conversation", en: "Conversation" },
  none: { fr: "Aucun message pour l’instant.", en: "No message yet." },
  you: { fr: "Vous", en: "You" },
  prefecture: { fr: "La préfecture", en: "The préfecture" },
  service: { fr: "Le service Séjour", en: "The Séjour service" },
  on: { fr: ", le ", en: ", on " },
  attachments: { fr: "Pièces jointes :", en: "Attachments:" },
  write: { fr: "Écrire à la préfecture", en: "Write to the préfecture" },
  text: { fr: "Votre message", en: "Your message" },
  textHint: {
    fr: "2 000 caractères au plus. Ne donnez jamais votre mot de passe.",
    en: "2,000 characters at most. Never give your password.",
  },
  left: { fr: "caractères restants", en: "characters left" },
  attachHeading: { fr: "Pièces jointes (facultatif)", en: "Attachments (optional)" },
  attachHint: { fr: "5 fichiers au plus.", en: "5 files at most." },
  addFile: { fr: "Ajouter une pièce jointe", en: "Add an attachment" },
  remove: { fr: "Retirer", en: "Remove" },
  attached: { fr: "{name} est joint au message.", en: "{name} is attached to the message." },
  detached: { fr: "{name} est retiré du message.", en: "{name} was removed from the message." },
  full: { fr: "Vous avez joint 5 fichiers, le maximum pour un message.", en: "You attached 5 files, the most a message may carry." },
  send: { fr: "Envoyer le message", en: "Send the message" },
  sending: { fr: "Envoi en cours…", en: "Sending…" },
  sent: { fr: "Votre message a été envoyé à la préfecture.", en: "Your message was sent to the préfecture." },
  required: { fr: "Écrivez votre message.", en: "Write your message." },
  closed: {
    fr: "Ce dossier est clos : vous ne pouvez plus écrire à la préfecture depuis ce service.",
    en: "This case is closed: you can no longer write to the préfecture from this service.",
  },
  draft: {
    fr: "Vous pourrez écrire à la préfecture une fois votre demande déposée.",
    en: "You can write to the préfecture once your application is submitted.",
  },
  tooMany: {
    fr: "Ce dossier a atteint le nombre maximal de messages. Pour toute autre demande, contactez directement la préfecture.",
    en: "This case has reached the maximum number of messages. For anything else, contact the préfecture directly.",
  },
  failed: { fr: "Le message n’a pas pu être envoyé. Vérifiez votre connexion puis réessayez.", en: "The message could not be sent. Check your connection, then try again." },
  sep: { fr: " : ", en: ": " },
};


function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");
}

export default function Messages() {
  const { id } = useParams();
  const t = useT(messages);
  const { view, failure, setView } = useApplication(id);
  return (
    <>
      <CaseBreadcrumb id={id} reference={view?.reference} current={t("crumb")} />
      <Column>
        <Page title={t("title")} lead={t("lead")}>
          {view ? (
            <>
              <Conversation view={view} />
              <Write view={view} setView={setView} />
            </>
          ) : (
            <LoadState failure={failure} />
          )}
        </Page>
      </Column>
    </>
  );
}

function authorOf(author: Schemas["Actor"]): "you" | "prefecture" | "service" {
  return author.type === "applicant" ? "you" : author.type === "agent" ? "prefecture" : "service";
}

function Conversation({ view }: { view: ApplicationView }) {
  const t = useT(messages);
  const { lang } = useLang();
  const files = new Map(view.attachments.map((d) => [d.id, d]));
  return (
    <section className="fr-mb-6w" aria-labelledby="conversation-heading">
      <h2 id="conversation-heading">{t("conversation")}</h2>
      {view.messages.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <ol className="fr-raw-list" aria-labelledby="conversation-heading">
          {view.messages.map((m) => {
            const who = authorOf(m.author);
            const mine = who === "you";
            return (
              <li key={m.id} className="fr-mb-3w">
                <article
                  aria-labelledby={`message-${m.id}`}
                  className="fr-p-2w"
                  style={{
                    borderLeft: `4px solid ${mine ? "var(--border-action-high-blue-france)" : "var(--border-default-grey)"}`,
                    background: mine ? "var(--background-alt-blue-france)" : "var(--background-alt-grey)",
                    marginLeft: mine ? "1.5rem" : 0,
                    marginRight: mine ? 0 : "1.5rem",
                  }}
                >
                  <h3 id={`message-${m.id}`} className="fr-text--md fr-mb-1w">
                    {t(who)}
                    {t("on")}
                    <time dateTime={m.at}>{formatDateTime(m.at, lang)}</time>
                  </h3>
                  <p className="fr-mb-1w" style={{ whiteSpace: "pre-line", overflowWrap: "anywhere" }}>
                    {m.text}
                  </p>
                  {m.attachments.length > 0 ? (
                    <>
                      <p className="fr-text--sm fr-text--bold fr-mb-1v">{t("attachments")}</p>
                      <ul className="fr-mb-0">
                        {m.attachments.map((doc) => {
                          const file = files.get(doc);
                          const name = file?.file_name ?? doc;
                          return (
                            <li key={doc} style={{ overflowWrap: "anywhere" }}>
                              {name} {file ? <span className="fr-text--sm">({formatSize(file.size, lang)})</span> : null}{" "}
                              <ViewDocumentButton applicationId={view.id} document={doc} name={name} />
                            </li>
                          );
                        })}
                      </ul>
                    </>
                  ) : null}
                </article>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function Write({ view, setView }: { view: ApplicationView; setView: (v: ApplicationView) => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const [text, setText] = useState("");
  const [attached, setAttached] = useState<DocumentView[]>([]);
  // The upload in progress or rejected; a fresh widget (new key) after each file attached.
  const [pending, setPending] = useState<DocumentView | null>(null);
  const [widget, setWidget] = useState(0);
  const [textError, setTextError] = useState<string | null>(null);
  const [filesError, setFilesError] = useState<string | null>(null);
  const [detail, setDetail] = useState<string | undefined>();
  const [announce, setAnnounce] = useState("");
  const [busy, setBusy] = useState(false);
  const [blocked, setBlocked] = useState<"closed" | "draft" | "tooMany" | null>(null);

  const summary = useMemo(() => {
    const out: SummaryItem[] = [];
    if (textError) out.push({ target: "message-text", text: `${t("text")}${t("sep")}${textError}` });
    if (filesError) out.push({ target: "message-attachment", text: `${t("attachHeading")}${t("sep")}${filesError}` });
    return out;
  }, [textError, filesError, t]);

  // After a file is attached the widget is a fresh one: the focus goes back to its field.
  const refocus = useRef(false);
  useEffect(() => {
    if (refocus.current) document.getElementById("message-attachment")?.focus();
    refocus.current = false;
  }, [widget]);

  const why = NO_WRITING[view.status] ?? blocked;
  if (why) {
    return (
      <section className="fr-mb-6w" aria-labelledby="write-heading">
        <h2 id="write-heading">{t("write")}</h2>
        <div className="fr-alert fr-alert--info">
          <p>{t(why)}</p>
        </div>
      </section>
    );
  }

  const send = async () => {
    setDetail(undefined);
    setTextError(null);
    setFilesError(null);
    setAnnounce("");
    if (!text.trim()) {
      setTextError(t("required"));
      return;
    }
    setBusy(true);
    try {
      const next = await must(
        api.POST("/api/applications/{id}/messages", {
          params: { path: { id: view.id } },
          body: { text: oneLine(text), attachments: attached.map((d) => d.id) },
        }),
      );
      setView(next);
      setText("");
      setAttached([]);
      setPending(null);
      setWidget((k) => k + 1);
      setAnnounce(t("sent"));
    } catch (e) {
      if (e instanceof ApiFailure && e.is("case_closed")) setBlocked("closed");
      else if (e instanceof ApiFailure && e.is("not_submitted")) setBlocked("draft");
      else if (e instanceof ApiFailure && e.is("too_many_messages")) setBlocked("tooMany");
      else if (e instanceof ApiFailure && e.status === 422) {
        const fields = e.fieldErrors();
        const fileError = Object.entries(fields).find(([f]) => f.startsWith("attachments"));
        if (fields.text) setTextError(fields.text);
        if (fileError) setFilesError(fileError[1]);
        if (!fields.text && !fileError) setDetail(e.problem?.detail ?? t("failed"));
      } else setDetail(e instanceof ApiFailure && e.problem?.detail ? e.problem.detail : t("failed"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="fr-mb-6w" aria-labelledby="write-heading">
      <h2 id="write-heading">{t("write")}</h2>
      <ErrorSummary items={summary} detail={detail} />
      <p role="status" className={announce ? "fr-valid-text fr-mb-2w" : "fr-sr-only"}>
        {announce}
      </p>
      <Input
        textArea
        label={t("text")}
        hintText={`${t("textHint")} ${(MAX_TEXT - text.length).toLocaleString(lang === "fr" ? "fr-FR" : "en-GB")} ${t("left")}.`}
        state={textError ? "error" : "default"}
        stateRelatedMessage={textError ?? undefined}
        nativeTextAreaProps={{
          id: "message-text",
          value: text,
          maxLength: MAX_TEXT,
          rows: 6,
          onChange: (e) => setText(e.currentTarget.value),
        }}
      />

      <fieldset className="fr-fieldset fr-mb-2w" aria-describedby="attach-hint">
        <legend className="fr-fieldset__legend fr-text--md">
          {t("attachHeading")}
          <span className="fr-hint-text" id="attach-hint">
            {t("attachHint")}
          </span>
        </legend>
        {attached.length > 0 ? (
          <ul className="fr-fieldset__element">
            {attached.map((d) => (
              <li key={d.id} style={{ overflowWrap: "anywhere" }}>
                {d.file_name} <span className="fr-text--sm">({formatSize(d.size, lang)})</span>{" "}
                <Button
                  priority="tertiary no outline"
                  size="small"
                  iconId="fr-icon-close-line"
                  title={`${t("remove")} ${d.file_name}`}
                  onClick={() => {
                    setAttached((all) => all.filter((x) => x.id !== d.id));
                    setAnnounce(fill(t("detached"), { name: d.file_name }));
                  }}
                >
                  {t("remove")}
                </Button>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="fr-fieldset__element">
          {attached.length < MAX_ATTACHMENTS ? (
            <DocumentUpload
              key={widget}
              applicationId={view.id}
              kind="attachment"
              id="message-attachment"
              label={t("addFile")}
              current={pending}
              removable={false}
              error={filesError ?? undefined}
              onChange={({ document }) => {
                if (document?.status === "accepted") {
                  setAttached((all) => [...all, document]);
                  setPending(null);
                  setFilesError(null);
                  refocus.current = true;
                  setWidget((k) => k + 1);
                  setAnnounce(fill(t("attached"), { name: document.file_name }));
                } else setPending(document);
              }}
            />
          ) : (
            <p>{t("full")}</p>
          )}
        </div>
      </fieldset>

      <Button iconId="fr-icon-send-plane-line" iconPosition="right" onClick={() => void send()} disabled={busy}>
        {busy ? t("sending") : t("send")}
      </Button>
    </section>
  );
}
