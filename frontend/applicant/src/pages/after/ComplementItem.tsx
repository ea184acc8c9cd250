// One document of a request for complements: the préfecture's reason, the
// original (when one was sent), and the answer: keep it with a
// justification, or upload a new one (saved as soon as it is accepted).
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { useState } from "react";
import { DocumentUpload } from "../../ui/DocumentUpload";
import { KIND_LABELS, type DocumentView } from "../../ui/documents";
import { useLang, useT } from "../../i18n";
import type { Schemas } from "../../api/client";
import { oneLine, ViewDocumentButton, type ApplicationView } from "./shared";

const messages = {
  heading: { fr: "Document {n} sur {total} :", en: "Document {n} of {total}:" },
  reason: { fr: "Ce que demande la préfecture :", en: "What the préfecture asks:" },
  original: { fr: "Le document que vous aviez envoyé :", en: "The document you had sent:" },
  missing: { fr: "Ce document manquait dans votre dossier.", en: "This document was missing from your application." },
  choice: { fr: "Votre réponse", en: "Your answer" },
  keep: { fr: "Garder le document envoyé, en expliquant pourquoi il convient", en: "Keep the document sent, and explain why it is acceptable" },
  keepMissing: { fr: "Je ne peux pas fournir ce document : j’explique pourquoi", en: "I cannot provide this document: I explain why" },
  replace: { fr: "Envoyer un nouveau document", en: "Send a new document" },
  justification: { fr: "Votre justification", en: "Your justification" },
  justificationHint: { fr: "Elle sera lue par l’agent de la préfecture. 2 000 caractères au plus.", en: "The préfecture’s agent will read it. 2,000 characters at most." },
  saveKeep: { fr: "Enregistrer cette réponse", en: "Save this answer" },
  saving: { fr: "Enregistrement…", en: "Saving…" },
  newDocument: { fr: "Le nouveau document :", en: "The new document:" },
  answeredKeep: { fr: "Réponse enregistrée : document gardé", en: "Answer saved: document kept" },
  answeredReplace: { fr: "Réponse enregistrée : nouveau document", en: "Answer saved: new document" },
  notAnswered: { fr: "Pas encore de réponse", en: "Not answered yet" },
};

type Item = ApplicationView["complements"][number]["items"][number];
export type Choice = "keep" | "replace";
export type ItemState = { choice?: Choice; justification: string };
export type SaveBody = Schemas["ItemAnswerInput"];

/** The ids an error of item `index` leads to (the error summary's links). */
export const itemIds = (index: number) => ({
  section: `item-${index}`,
  choice: `item-${index}-choice`,
  // The radio buttons' ids, as the DSFR component derives them from the group's.
  keep: `item-${index}-choice-0`,
  replace: `item-${index}-choice-1`,
  justification: `item-${index}-justification`,
  file: `item-${index}-file`,
});

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ""));
}

export function ComplementItemForm({
  view,
  item,
  index,
  total,
  state,
  error,
  onState,
  onSave,
}: {
  view: ApplicationView;
  item: Item;
  index: number;
  total: number;
  state: ItemState;
  error?: string;
  onState: (change: Partial<ItemState>) => void;
  onSave: (body: SaveBody) => Promise<boolean>;
}) {
  const t = useT(messages);
  const { lang } = useLang();
  const ids = itemIds(index);
  const [saving, setSaving] = useState(false);
  // The upload in progress (or rejected), until it is accepted and saved as the answer.
  const [pending, setPending] = useState<DocumentView | null>(null);
  const files = view.documents.files;
  const original = item.document ? files.find((f) => f.id === item.document) : undefined;
  const replacement = item.answer?.type === "replace" ? files.find((f) => item.answer?.type === "replace" && f.id === item.answer.document) : undefined;
  const kindLabel = KIND_LABELS[item.kind][lang];

  const saveKeep = async () => {
    setSaving(true);
    await onSave({ keep: { justification: oneLine(state.justification) }, replace: null });
    setSaving(false);
  };

  const answered =
    item.answer?.type === "keep" ? (
      <Badge severity="success" small as="span">
        {t("answeredKeep")}
      </Badge>
    ) : item.answer?.type === "replace" ? (
      <Badge severity="success" small as="span">
        {t("answeredReplace")}
      </Badge>
    ) : (
      <Badge severity="warning" small as="span">
        {t("notAnswered")}
      </Badge>
    );

  // Where the error is shown: under what the applicant chose, else under the choice.
  const choiceError = error && !state.choice ? error : undefined;
  const keepError = error && state.choice === "keep" ? error : undefined;
  const replaceError = error && state.choice === "replace" ? error : undefined;

  return (
    <div
      id={ids.section}
      className="fr-p-3w fr-mb-4w"
      style={{ border: "1px solid var(--border-default-grey)" }}
      role="group"
      aria-labelledby={`${ids.section}-heading`}
    >
      <h3 id={`${ids.section}-heading`} className="fr-h5 fr-mb-1w">
        {fill(t("heading"), { n: index + 1, total })} {kindLabel}
      </h3>
      <p className="fr-mb-2w">{answered}</p>
      <p className="fr-mb-1w fr-text--bold">{t("reason")}</p>
      <p className="fr-mb-2w" style={{ whiteSpace: "pre-line" }}>
        {item.reason}
      </p>
      {item.document ? (
        <p className="fr-mb-2w" style={{ overflowWrap: "anywhere" }}>
          {t("original")} {original?.file_name ?? kindLabel}{" "}
          <ViewDocumentButton applicationId={view.id} document={item.document} name={original?.file_name ?? kindLabel} />
        </p>
      ) : (
        <p className="fr-mb-2w">{t("missing")}</p>
      )}

      <RadioButtons
        legend={t("choice")}
        id={ids.choice}
        name={ids.choice}
        state={choiceError ? "error" : "default"}
        stateRelatedMessage={choiceError}
        options={[
          {
            label: item.document ? t("keep") : t("keepMissing"),
            nativeInputProps: { checked: state.choice === "keep", onChange: () => onState({ choice: "keep" }) },
          },
          {
            label: t("replace"),
            nativeInputProps: { checked: state.choice === "replace", onChange: () => onState({ choice: "replace" }) },
          },
        ]}
      />

      {state.choice === "keep" ? (
        <>
          <Input
            textArea
            label={t("justification")}
            hintText={t("justificationHint")}
            state={keepError ? "error" : "default"}
            stateRelatedMessage={keepError}
            nativeTextAreaProps={{
              id: ids.justification,
              value: state.justification,
              maxLength: 2000,
              rows: 4,
              onChange: (e) => onState({ justification: e.currentTarget.value }),
            }}
          />
          <Button priority="secondary" size="small" onClick={() => void saveKeep()} disabled={saving}>
            {saving ? t("saving") : t("saveKeep")}
          </Button>
        </>
      ) : null}

      {state.choice === "replace" ? (
        <DocumentUpload
          applicationId={view.id}
          kind={item.kind}
          id={ids.file}
          label={`${t("newDocument")} ${kindLabel}`}
          current={pending ?? replacement ?? null}
          removable={false}
          error={replaceError}
          onChange={({ document }) => {
            if (document?.status === "accepted") {
              setPending(document);
              void onSave({ keep: null, replace: { document_id: document.id } }).then((ok) => ok && setPending(null));
            } else setPending(document);
          }}
        />
      ) : null}
    </div>
  );
}
