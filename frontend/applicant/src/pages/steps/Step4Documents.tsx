// Step 4 (F11): the supporting documents and the e-photo code. The kinds to
// upload are the API's (`documents.required`: they depend on the procedure
// and the housing). Each file is stored as soon as it is sent (its own
// endpoints, see ui/DocumentUpload.tsx); the e-photo code is saved with the
// step (PUT …/steps/documents, through StepFrame).
//
// Every upload moves the application's version: the newest ETag is kept
// here and given to StepFrame, and the view is read again so that the other
// steps (and going back and forth) see the files.
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, etagOf } from "../../api/client";
import { useLang, useT } from "../../i18n";
import { DocumentUpload, type DocumentChange } from "../../ui/DocumentUpload";
import { KIND_LABELS, type DocumentKind, type DocumentView } from "../../ui/documents";
import { PhotoBooths } from "./PhotoBooths";
import { errorProps, fieldId, StepFrame, type FieldErrors, type StepFormProps } from "./StepFrame";
import type { ApplicationView } from "./useApplication";

const messages = {
  documents: { fr: "Vos pièces justificatives", en: "Your supporting documents" },
  documentsIntro: {
    fr: "La liste dépend de votre situation. Chaque fichier est enregistré dès qu’il est envoyé et vérifié : vous pouvez le voir, le remplacer ou le supprimer jusqu’au dépôt de la demande.",
    en: "The list depends on your situation. Each file is saved as soon as it is sent and checked: you can view, replace or remove it until you submit the application.",
  },
  count: { fr: "{n} sur {total} pièces acceptées.", en: "{n} of {total} documents accepted." },
  allDone: { fr: "Toutes les pièces demandées ont été acceptées.", en: "All the documents asked for have been accepted." },
  extra: { fr: "Pièces qui ne sont plus demandées", en: "Documents no longer needed" },
  extraIntro: {
    fr: "Votre situation a changé : ces fichiers ne seront pas joints à la demande. Vous pouvez les supprimer.",
    en: "Your situation changed: these files will not be part of the application. You may remove them.",
  },
  ephoto: { fr: "Votre e-photo", en: "Your e-photo" },
  ephotoLabel: { fr: "Code e-photo", en: "E-photo code" },
  ephotoHint: {
    fr: "22 lettres et chiffres, imprimés sur la planche photo (les espaces et tirets sont ignorés). La photo doit dater de moins de 6 mois.",
    en: "22 letters and digits, printed on the photo board (spaces and dashes are ignored). The photo must be less than 6 months old.",
  },
  ephotoInvalid: {
    fr: "Le code e-photo a 22 lettres et chiffres : vérifiez-le sur la planche photo.",
    en: "The e-photo code has 22 letters and digits: check it on the photo board.",
  },
};

/** The version in an ETag (`"12"` → 12); -1 when unreadable. */
function versionOf(etag: string): number {
  const n = Number.parseInt(etag.replace(/\D/g, ""), 10);
  return Number.isNaN(n) ? -1 : n;
}

/** The code as the API reads it: without spaces and dashes, in capitals. */
function normalise(code: string): string {
  return code.replace(/[\s-]/g, "").toUpperCase();
}

function byKind(view: ApplicationView): Partial<Record<DocumentKind, DocumentView>> {
  const out: Partial<Record<DocumentKind, DocumentView>> = {};
  for (const f of view.documents.files) out[f.kind] = f;
  return out;
}

export default function Step4Documents(props: StepFormProps) {
  const { application, onSaved } = props;
  const t = useT(messages);
  const { lang } = useLang();
  const [ephoto, setEphoto] = useState(application.documents.ephoto_code ?? "");
  const [files, setFiles] = useState(() => byKind(application));
  const [localEtag, setLocalEtag] = useState(props.etag);
  const newest = useRef(application.version);

  // A newer view from the page (a save, a reload): its files are the truth.
  useEffect(() => {
    if (application.version >= newest.current) {
      newest.current = application.version;
      setFiles(byKind(application));
    }
  }, [application]);

  const etag = versionOf(localEtag) > versionOf(props.etag) ? localEtag : props.etag;

  const refresh = useCallback(async () => {
    try {
      const { data, response } = await api.GET("/api/applications/{id}", { params: { path: { id: application.id } } });
      if (data && data.version >= newest.current) onSaved(data, etagOf(response));
    } catch {
      // The files shown are already up to date; the next save reads the view.
    }
  }, [application.id, onSaved]);

  const changed = (kind: DocumentKind) => (change: DocumentChange) => {
    setFiles((old) => {
      const next = { ...old };
      if (change.document) next[kind] = change.document;
      else delete next[kind];
      return next;
    });
    const v = versionOf(change.etag);
    if (v > newest.current) {
      setLocalEtag(change.etag);
      void refresh();
    }
  };

  const required = application.documents.required;
  const extra = (Object.keys(files) as DocumentKind[]).filter((k) => !required.includes(k));
  const acceptedCount = required.filter((k) => files[k]?.status === "accepted").length;

  const body = () => {
    const code = normalise(ephoto);
    return { ephoto_code: code === "" ? null : code };
  };
  const validate = (): FieldErrors => {
    const code = normalise(ephoto);
    return code !== "" && !/^[A-Z0-9]{22}$/.test(code) ? { ephoto_code: t("ephotoInvalid") } : {};
  };
  const labels = (field: string) => (field === "ephoto_code" ? t("ephotoLabel") : undefined);

  return (
    <StepFrame {...props} etag={etag} section="documents" body={body} validate={validate} labels={labels}>
      {(errors) => (
        <>
          <h3 className="fr-h4">{t("documents")}</h3>
          <p>{t("documentsIntro")}</p>
          <p className="fr-text--bold">
            {acceptedCount === required.length
              ? t("allDone")
              : t("count").replace("{n}", String(acceptedCount)).replace("{total}", String(required.length))}
          </p>
          {required.map((kind) => (
            <DocumentUpload
              key={kind}
              applicationId={application.id}
              kind={kind}
              current={files[kind] ?? null}
              onChange={changed(kind)}
              id={fieldId(kind)}
            />
          ))}

          {extra.length > 0 ? (
            <>
              <h3 className="fr-h5">{t("extra")}</h3>
              <p>{t("extraIntro")}</p>
              {extra.map((kind) => (
                <DocumentUpload
                  key={kind}
                  applicationId={application.id}
                  kind={kind}
                  label={KIND_LABELS[kind][lang]}
                  hint=""
                  current={files[kind] ?? null}
                  onChange={changed(kind)}
                  id={fieldId(kind)}
                />
              ))}
            </>
          ) : null}

          <h3 className="fr-h4 fr-mt-6w">{t("ephoto")}</h3>
          <div className="fr-grid-row">
            <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
              <Input
                label={t("ephotoLabel")}
                hintText={t("ephotoHint")}
                {...errorProps(errors, "ephoto_code")}
                nativeInputProps={{
                  id: fieldId("ephoto_code"),
                  name: "ephoto_code",
                  value: ephoto,
                  autoComplete: "off",
                  autoCapitalize: "characters",
                  spellCheck: false,
                  maxLength: 40,
                  onChange: (e) => setEphoto(e.currentTarget.value),
                  style: { fontFamily: "monospace", letterSpacing: "0.05em" },
                }}
              />
            </div>
          </div>
          <PhotoBooths />
        </>
      )}
    </StepFrame>
  );
}
