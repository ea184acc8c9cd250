// Answer a request for complements (F19): for each document the préfecture
// asks for, keep the one sent with a written justification, or upload a new
// one; a message; "validate and send". Each answer is saved as soon as it is
// given (PUT …/complement/items/{index}), so nothing is lost on the way; the
// sending checks that every item is answered. No If-Match: every upload
// moves the version, and the server re-reads before each change.
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useMemo, useRef, useState } from "react";
import { api, ApiFailure, idempotencyKey, must } from "../../api/client";
import { formatDate, formatDateTime, useLang, useT } from "../../i18n";
import { Link, useParams } from "../../router";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { Page } from "../../ui/Page";
import { ComplementItemForm, itemIds, type ItemState, type SaveBody } from "./ComplementItem";
import { CaseBreadcrumb, Column, LoadState, oneLine, useApplication, type ApplicationView } from "./shared";

const messages = {
  title: { fr: "Répondre à la demande de compléments", en: "Answer the request for more documents" },
  crumb: { fr: "Compléments", en: "More documents" },
  deadlineTitle: { fr: "Vous avez 30 jours pour répondre", en: "You have 30 days to answer" },
  deadline: {
    fr: "La préfecture vous a écrit le {asked}. Envoyez votre réponse au plus tard le {until} inclus. Passé ce délai, elle peut décider sans ces documents.",
    en: "The préfecture wrote to you on {asked}. Send your answer by {until} at the latest. After that, it may decide without these documents.",
  },
  overdueTitle: { fr: "Le délai de 30 jours est dépassé", en: "The 30 days have passed" },
  overdue: {
    fr: "Le délai de réponse a pris fin le {until}. Vous pouvez encore répondre : faites-le au plus vite, la préfecture peut décider sans ces documents.",
    en: "The time to answer ended on {until}. You may still answer: do it as soon as possible, the préfecture may decide without these documents.",
  },
  agentMessage: { fr: "Le message de la préfecture", en: "The préfecture’s message" },
  items: { fr: "Les documents demandés", en: "The documents asked for" },
  itemsHint: {
    fr: "Pour chaque document, choisissez de garder celui que vous avez envoyé en expliquant pourquoi il convient, ou d’en envoyer un nouveau. Chaque réponse est enregistrée aussitôt.",
    en: "For each document, choose to keep the one you sent and explain why it is acceptable, or send a new one. Each answer is saved at once.",
  },
  sendHeading: { fr: "Envoyer votre réponse", en: "Send your answer" },
  message: { fr: "Message à la préfecture (facultatif)", en: "Message to the préfecture (optional)" },
  messageHint: { fr: "2 000 caractères au plus.", en: "2,000 characters at most." },
  send: { fr: "Valider et envoyer", en: "Validate and send" },
  sending: { fr: "Envoi en cours…", en: "Sending…" },
  answered: { fr: "{n} sur {total} document(s) traité(s).", en: "{n} of {total} document(s) answered." },
  sentTitle: { fr: "Votre réponse a été envoyée", en: "Your answer was sent" },
  sent: {
    fr: "Vos compléments ont été envoyés à la préfecture le {at}. Votre dossier lui revient : elle reprend l’instruction et vous serez prévenu par courriel de la suite.",
    en: "Your documents were sent to the préfecture on {at}. Your application goes back to it: the review resumes and you will be told by email what comes next.",
  },
  none: {
    fr: "Aucune demande de compléments n’attend de réponse pour cette demande.",
    en: "No request for more documents is waiting for an answer on this application.",
  },
  back: { fr: "Retour au suivi de ma demande", en: "Back to my application" },
  notAnswered: {
    fr: "Répondez à ce document : gardez-le avec une justification, ou envoyez-en un nouveau.",
    en: "Answer for this document: keep it with a justification, or send a new one.",
  },
  closed: {
    fr: "Cette demande de compléments n’attend plus de réponse (elle a peut-être été envoyée depuis un autre appareil). La page a été mise à jour.",
    en: "This request no longer awaits an answer (it may have been sent from another device). The page was updated.",
  },
  document: { fr: "Document", en: "Document" },
  sep: { fr: " : ", en: ": " },
  failed: { fr: "L’envoi n’a pas pu être fait. Vérifiez votre connexion puis réessayez.", en: "It could not be sent. Check your connection, then try again." },
};

type Complement = ApplicationView["complements"][number];

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ""));
}

export default function Complement() {
  const { id } = useParams();
  const t = useT(messages);
  const { view, failure, reload, setView } = useApplication(id);
  const [sentAt, setSentAt] = useState<string | null>(null);
  const open = view?.complements.find((c) => c.open);
  return (
    <>
      <CaseBreadcrumb id={id} reference={view?.reference} current={t("crumb")} />
      <Column>
        <Page title={t("title")}>
          {!view ? (
            <LoadState failure={failure} />
          ) : sentAt ? (
            <Sent id={id} at={sentAt} />
          ) : open ? (
            <Answer view={view} request={open} setView={setView} reload={reload} onSent={setSentAt} />
          ) : (
            <NoneOpen view={view} />
          )}
        </Page>
      </Column>
    </>
  );
}

function Sent({ id, at }: { id: string; at: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div ref={box} tabIndex={-1} className="fr-alert fr-alert--success fr-mb-4w" role="status">
      <h2 className="fr-alert__title">{t("sentTitle")}</h2>
      <p>{fill(t("sent"), { at: formatDateTime(at, lang) })}</p>
      <p className="fr-mt-2w">
        <Link className="fr-link" to={`/applications/${id}`}>
          {t("back")}
        </Link>
      </p>
    </div>
  );
}

function NoneOpen({ view }: { view: ApplicationView }) {
  const t = useT(messages);
  const { lang } = useLang();
  const last = view.complements[view.complements.length - 1];
  return (
    <>
      {last?.answered_at ? (
        <div className="fr-alert fr-alert--success fr-mb-4w">
          <h2 className="fr-alert__title">{t("sentTitle")}</h2>
          <p>{fill(t("sent"), { at: formatDateTime(last.answered_at, lang) })}</p>
        </div>
      ) : (
        <p>{t("none")}</p>
      )}
      <p>
        <Link className="fr-link" to={`/applications/${view.id}`}>
          {t("back")}
        </Link>
      </p>
    </>
  );
}

function initialStates(request: Complement): ItemState[] {
  return request.items.map((item) => ({
    choice: item.answer?.type,
    justification: item.answer?.type === "keep" ? item.answer.justification : "",
  }));
}

/** An item's error, with the field it leads to (fixed when the error is set). */
type ItemError = { text: string; target: string };

function Answer({
  view,
  request,
  setView,
  reload,
  onSent,
}: {
  view: ApplicationView;
  request: Complement;
  setView: (v: ApplicationView) => void;
  reload: () => Promise<ApplicationView | undefined>;
  onSent: (at: string) => void;
}) {
  const t = useT(messages);
  const { lang } = useLang();
  const [items, setItems] = useState<ItemState[]>(() => initialStates(request));
  const [message, setMessage] = useState("");
  const [errors, setErrors] = useState<Record<number, ItemError>>({});
  const [messageError, setMessageError] = useState<string | null>(null);
  const [detail, setDetail] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const key = useRef(idempotencyKey());

  const overdue = view.status === "complement_overdue";
  const answeredCount = request.items.filter((i) => i.answer).length;
  const update = (index: number, change: Partial<ItemState>) =>
    setItems((all) => all.map((s, i) => (i === index ? { ...s, ...change } : s)));
  const setError = (index: number, error: ItemError | null) =>
    setErrors((all) => {
      const next = { ...all };
      if (error) next[index] = error;
      else delete next[index];
      return next;
    });

  // A 409 here means the request was answered or closed meanwhile: read again.
  const closedMeanwhile = async () => {
    setDetail(t("closed"));
    await reload();
  };

  /** PUT one item's answer; false (and the error under the item) when refused. */
  const save = async (index: number, body: SaveBody) => {
    const ids = itemIds(index);
    const target = body.keep ? ids.justification : ids.file;
    try {
      const next = await must(
        api.PUT("/api/applications/{id}/complement/items/{index}", { params: { path: { id: view.id, index } }, body }),
      );
      setView(next);
      setError(index, null);
      return true;
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 409) await closedMeanwhile();
      else if (e instanceof ApiFailure && e.status === 422) {
        const fields = e.fieldErrors();
        const text = fields["keep.justification"] ?? fields["replace.document_id"] ?? fields.keep ?? e.problem?.detail ?? t("failed");
        setError(index, { text, target });
      } else setError(index, { text: t("failed"), target });
      return false;
    }
  };

  const send = async () => {
    setBusy(true);
    setDetail(undefined);
    setMessageError(null);
    // Justifications typed but not yet saved are saved first.
    for (const [index, state] of items.entries()) {
      const saved = request.items[index].answer;
      const unsaved = state.choice === "keep" && !(saved?.type === "keep" && saved.justification === oneLine(state.justification).trim());
      if (unsaved && !(await save(index, { keep: { justification: oneLine(state.justification) }, replace: null }))) {
        setBusy(false);
        return;
      }
    }
    try {
      const next = await must(
        api.POST("/api/applications/{id}/complement/send", {
          params: { path: { id: view.id } },
          body: { message: message.trim() ? oneLine(message) : null },
          headers: { "Idempotency-Key": key.current },
        }),
      );
      key.current = idempotencyKey();
      setView(next);
      const done = next.complements.find((c) => c.id === request.id);
      onSent(done?.answered_at ?? new Date().toISOString());
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 409) await closedMeanwhile();
      else if (e instanceof ApiFailure && e.status === 422) {
        const fields = e.fieldErrors();
        const next: Record<number, ItemError> = {};
        request.items.forEach((_, i) => {
          if (fields[`items[${i}]`]) next[i] = { text: t("notAnswered"), target: itemIds(i).keep };
        });
        setErrors(next);
        if (fields.message) setMessageError(fields.message);
        if (!Object.keys(fields).length) setDetail(e.problem?.detail ?? t("failed"));
      } else setDetail(t("failed"));
    } finally {
      setBusy(false);
    }
  };

  // Memoised: the summary takes the focus whenever its list changes.
  const summary = useMemo(() => {
    const out: SummaryItem[] = Object.entries(errors).map(([i, e]) => ({
      target: e.target,
      text: `${t("document")} ${Number(i) + 1}${t("sep")}${e.text}`,
    }));
    if (messageError) out.push({ target: "complement-message", text: `${t("message")}${t("sep")}${messageError}` });
    return out;
  }, [errors, messageError, t]);

  return (
    <>
      <ErrorSummary items={summary} detail={detail} />
      <div className={`fr-alert ${overdue ? "fr-alert--error" : "fr-alert--warning"} fr-mb-4w`}>
        <h2 className="fr-alert__title">{overdue ? t("overdueTitle") : t("deadlineTitle")}</h2>
        <p>
          {fill(overdue ? t("overdue") : t("deadline"), {
            asked: formatDate(request.requested_at, lang),
            until: formatDate(request.deadline_date, lang),
          })}
        </p>
      </div>

      <section className="fr-mb-4w" aria-labelledby="agent-message-heading">
        <h2 id="agent-message-heading">{t("agentMessage")}</h2>
        <blockquote className="fr-highlight fr-ml-0">
          <p style={{ whiteSpace: "pre-line" }}>{request.message}</p>
        </blockquote>
      </section>

      <section className="fr-mb-4w" aria-labelledby="items-heading">
        <h2 id="items-heading">{t("items")}</h2>
        <p>{t("itemsHint")}</p>
        <p role="status" className="fr-text--bold">
          {fill(t("answered"), { n: answeredCount, total: request.items.length })}
        </p>
        {request.items.map((item, index) => (
          <ComplementItemForm
            key={index}
            view={view}
            item={item}
            index={index}
            total={request.items.length}
            state={items[index]}
            error={errors[index]?.text}
            onState={(change) => update(index, change)}
            onSave={(body) => save(index, body)}
          />
        ))}
      </section>

      <section className="fr-mb-6w" aria-labelledby="send-heading">
        <h2 id="send-heading">{t("sendHeading")}</h2>
        <Input
          textArea
          label={t("message")}
          hintText={t("messageHint")}
          state={messageError ? "error" : "default"}
          stateRelatedMessage={messageError ?? undefined}
          nativeTextAreaProps={{ id: "complement-message", value: message, maxLength: 2000, rows: 4, onChange: (e) => setMessage(e.currentTarget.value) }}
        />
        <Button iconId="fr-icon-send-plane-line" iconPosition="right" onClick={() => void send()} disabled={busy}>
          {busy ? t("sending") : t("send")}
        </Button>
        <p className="fr-sr-only" role="status">
          {busy ? t("sending") : ""}
        </p>
      </section>
    </>
  );
}
