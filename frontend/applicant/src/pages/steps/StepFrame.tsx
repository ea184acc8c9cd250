// The frame of steps 1–4 of the application (F7–F11): the page heading, the
// DSFR stepper, the error summary, the form and its three buttons, and the
// saving logic. Each step's form (Step1Personal…Step4Documents) renders it:
//
//   export default function Step3Resources(props: StepFormProps) {
//     const [state, setState] = useState(() => fromView(props.application));
//     return (
//       <StepFrame {...props} section="resources" body={() => toBody(state)} labels={label}>
//         {(errors) => <Input id={fieldId("explanation")} {...errorProps(errors, "explanation")} … />}
//       </StepFrame>
//     );
//   }
//
// StepFrame props (StepFrameProps):
// - `section`: the step (`Schemas["Section"]`), its API path and its place (1–4).
// - `application`, `etag`, `onSaved(view, etag)`, `onReload()`: from `StepFormProps`
//   (Step.tsx passes them; they come from `useApplication`).
// - `body()`: the JSON body of `PUT /api/applications/{id}/steps/{section}`
//   from the form's state, or `null` when the step has nothing to save by PUT
//   (the buttons then only move on). The form is "dirty" when `body()`
//   differs from what it was when the step was loaded or last saved.
// - `validate?()`: errors found before sending (`{ field: message }`, with the
//   API's field names); the save is not sent while there are any.
// - `labels?(field)`: the label of an API field (`address.postcode`,
//   `lines[1].monthly_amount`), for the error summary ("Postcode: …").
// - `children(errors)`: the fields; `errors` maps API field names to
//   messages (the API's 422 and `validate`). Give each input `id={fieldId(field)}`
//   (on Input/Select: in `nativeInputProps`/`nativeSelectProps`) so that the
//   summary links to it, and spread `errorProps(errors, field)` on DSFR
//   Input/Select/RadioButtons. A radio group: `id={fieldId(field)}` on the
//   RadioButtons (its first radio is then `<id>-0`) and the field in `radios`.
// - `radios?`: the API fields shown as radio groups (the summary links to their first radio).
// - `intro?`: shown between the stepper and the form.
//
// Saving: `If-Match` with the ETag read. 422: errors on the fields and in the
// summary (focus moves to it). 409 `version_conflict`: an alert, the typed
// input stays in the form, "Reload" loads the latest version. 409
// `not_editable`: to `/applications/{id}`. 401: to the login page.
// "Save and quit" goes to `/account?status=saved`.
//
// For the review (step 5) and confirmation (step 6) pages: `StepProgress`
// (the stepper alone), `STEP_TITLES`, `stepPath`.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { Stepper } from "@codegouvfr/react-dsfr/Stepper";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { api, ApiFailure, etagOf, type Schemas } from "../../api/client";
import { useT, type Text, useText } from "../../i18n";
import { navigate } from "../../router";
import { ErrorSummary, type SummaryItem } from "../../ui/ErrorSummary";
import { Page } from "../../ui/Page";
import { toLogin, type ApplicationView } from "./useApplication";

export type Section = Schemas["Section"];

/** The four steps that are saved, in order (their API names). */
export const SECTIONS: readonly Section[] = ["personal", "studies", "resources", "documents"];

/** The six steps' titles, 1 to 6. */
export const STEP_TITLES: readonly Text[] = [
  { fr: "Informations personnelles", en: "Personal information" },
  { fr: "Motif du séjour : études", en: "Reason for stay: studies" },
  { fr: "Ressources", en: "Resources" },
  { fr: "Pièces justificatives et e-photo", en: "Supporting documents and e-photo" },
  { fr: "Récapitulatif", en: "Review" },
  { fr: "Confirmation", en: "Confirmation" },
];

/** The place of a step, 1 to 6. */
export function stepNumber(section: Section): number {
  return SECTIONS.indexOf(section) + 1;
}

/** The address of step `n` (1–6) of application `id`. */
export function stepPath(id: string, n: number): string {
  if (n >= 1 && n <= 4) return `/applications/${id}/steps/${SECTIONS[n - 1]}`;
  if (n === 5) return `/applications/${id}/review`;
  return `/applications/${id}/confirmation`;
}

const messages = {
  procedure: { fr: "Demande de titre de séjour étudiant", en: "Student residence permit application" },
  reference: { fr: "Demande n°", en: "Application no." },
  progress: { fr: "Étape {n} sur {total}", en: "Step {n} of {total}" },
  next: { fr: "Étape suivante :", en: "Next step:" },
  colon: { fr: " : ", en: ": " },
  back: { fr: "Étape précédente", en: "Previous step" },
  backAccount: { fr: "Retour à mon compte", en: "Back to my account" },
  quit: { fr: "Enregistrer et quitter", en: "Save and quit" },
  continue: { fr: "Enregistrer et continuer", en: "Save and continue" },
  saving: { fr: "Enregistrement en cours…", en: "Saving…" },
  notSaved: {
    fr: "Vos modifications n’ont pas pu être enregistrées. Corrigez les champs signalés, ou quittez cette étape sans enregistrer.",
    en: "Your changes could not be saved. Correct the fields shown, or leave this step without saving.",
  },
  leaveAnyway: { fr: "Quitter sans enregistrer", en: "Leave without saving" },
  network: {
    fr: "Le service ne répond pas. Vérifiez votre connexion et réessayez : votre saisie est conservée.",
    en: "The service does not answer. Check your connection and try again: what you typed is kept.",
  },
  conflictTitle: { fr: "Demande modifiée ailleurs", en: "Application changed elsewhere" },
  conflict: {
    fr: "Cette demande a été modifiée dans une autre fenêtre ou sur un autre appareil. Vos modifications n’ont PAS été enregistrées. Rechargez pour voir la dernière version (votre saisie reste affichée ci-dessous pour que vous puissiez la copier).",
    en: "This application was changed in another window or device. Your changes were NOT saved. Reload to see the latest version (your text is kept below so you can copy it).",
  },
  reload: { fr: "Recharger la dernière version", en: "Reload the latest version" },
  required: { fr: "Les champs marqués d’un astérisque (*) sont obligatoires pour déposer la demande ; vous pouvez enregistrer à tout moment.", en: "Fields marked with an asterisk (*) are required to submit the application; you can save at any time." },
};

export type FieldErrors = Record<string, string>;

/** The `id` of the input of an API field: `address.postcode` → `f-address-postcode`. */
export function fieldId(field: string): string {
  return `f-${field.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "")}`;
}

/** `state` and `stateRelatedMessage` for a DSFR field, when it has an error. */
export function errorProps(errors: FieldErrors, field: string): { state?: "error"; stateRelatedMessage?: string } {
  const message = errors[field];
  return message ? { state: "error", stateRelatedMessage: message } : {};
}

/** What Step.tsx gives each step's form. */
export type StepFormProps = {
  application: ApplicationView;
  etag: string;
  onSaved: (view: ApplicationView, etag: string | null) => void;
  onReload: () => Promise<void>;
};

export type StepFrameProps = StepFormProps & {
  section: Section;
  body: () => Schemas["StepBody"] | null;
  validate?: () => FieldErrors;
  labels?: (field: string) => string | undefined;
  radios?: readonly string[];
  intro?: ReactNode;
  children: (errors: FieldErrors) => ReactNode;
};

/** The DSFR stepper at step `current` (1–6), for every page of the journey. */
export function StepProgress({ current }: { current: number }) {
  const t = useT(messages);
  const text = useText();
  const total = STEP_TITLES.length;
  return (
    <Stepper
      currentStep={current}
      stepCount={total}
      title={text(STEP_TITLES[current - 1])}
      nextTitle={current < total ? text(STEP_TITLES[current]) : undefined}
      progressText={({ currentStep, stepCount }) =>
        t("progress").replace("{n}", String(currentStep)).replace("{total}", String(stepCount))
      }
      nextStepText={t("next")}
    />
  );
}

type Outcome = { ok: true } | { ok: false };
type Intent = "back" | "quit" | "continue";

export function StepFrame({ section, application, etag, onSaved, onReload, body, validate, labels, radios, intro, children }: StepFrameProps) {
  const t = useT(messages);
  const text = useText();
  const n = stepNumber(section);
  const id = application.id;
  const [errors, setErrors] = useState<FieldErrors>({});
  const [detail, setDetail] = useState<string | undefined>(undefined);
  const [conflict, setConflict] = useState(false);
  const [busy, setBusy] = useState<Intent | null>(null);
  const [failedBack, setFailedBack] = useState(false);
  const conflictBox = useRef<HTMLDivElement>(null);

  // Dirty: the body differs from what was loaded or last saved.
  const current = JSON.stringify(body());
  const baseline = useRef(current);
  const dirty = current !== baseline.current;

  // The tab's title says where we are (Page sets the heading's; this runs after it).
  useEffect(() => {
    document.title = `${t("progress").replace("{n}", String(n)).replace("{total}", "6")}${t("colon")}${text(STEP_TITLES[n - 1])} – ${t("procedure")} – Séjour`;
  });

  // Leaving the site with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  useEffect(() => {
    if (conflict) conflictBox.current?.focus();
  }, [conflict]);

  async function save(): Promise<Outcome> {
    const payload = body();
    if (payload === null || !dirty) return { ok: true };
    const found = validate?.() ?? {};
    if (Object.keys(found).length > 0) {
      setErrors(found);
      setDetail(undefined);
      return { ok: false };
    }
    let answer;
    try {
      answer = await api.PUT("/api/applications/{id}/steps/{step}", {
        params: { path: { id, step: section }, header: { "If-Match": etag } },
        body: payload,
      });
    } catch {
      setErrors({});
      setDetail(t("network"));
      return { ok: false };
    }
    const { data, error, response } = answer;
    if (response.ok && data) {
      setErrors({});
      setDetail(undefined);
      setConflict(false);
      baseline.current = current;
      onSaved(data, etagOf(response));
      return { ok: true };
    }
    const problem = error && typeof error === "object" && "code" in error ? (error as Schemas["Problem"]) : null;
    const failure = new ApiFailure(response.status, problem);
    if (response.status === 401) {
      toLogin();
    } else if (failure.is("not_editable")) {
      navigate(`/applications/${id}`);
    } else if (failure.is("version_conflict")) {
      setErrors({});
      setDetail(undefined);
      setConflict(true);
    } else if (response.status === 422) {
      setErrors(failure.fieldErrors());
      setDetail(undefined);
    } else {
      setErrors({});
      setDetail(problem?.detail ?? t("network"));
    }
    return { ok: false };
  }

  async function run(intent: Intent) {
    if (busy) return;
    setBusy(intent);
    setFailedBack(false);
    const outcome = await save();
    setBusy(null);
    if (!outcome.ok) {
      if (intent === "back") setFailedBack(true);
      return;
    }
    if (intent === "quit") navigate("/account?status=saved");
    else if (intent === "back") navigate(n === 1 ? "/account" : stepPath(id, n - 1));
    else navigate(stepPath(id, n + 1));
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run("continue");
  };

  const items: SummaryItem[] = Object.entries(errors).map(([field, message]) => {
    const label = labels?.(field);
    return { target: radios?.includes(field) ? `${fieldId(field)}-0` : fieldId(field), text: label ? `${label}${t("colon")}${message}` : message };
  });

  return (
    <Page key={section} title={t("procedure")} lead={`${t("reference")} ${application.reference}`}>
      <StepProgress current={n} />
      {conflict ? (
        <div ref={conflictBox} tabIndex={-1} className="fr-mb-4w">
          <Alert
            severity="error"
            title={t("conflictTitle")}
            description={
              <>
                <p>{t("conflict")}</p>
                <Button
                  className="fr-mt-2w"
                  priority="secondary"
                  iconId="fr-icon-refresh-line"
                  onClick={() => {
                    void onReload();
                  }}
                >
                  {t("reload")}
                </Button>
              </>
            }
            role="alert"
          />
        </div>
      ) : null}
      <ErrorSummary items={items} detail={failedBack ? t("notSaved") : detail} />
      {failedBack ? (
        <p>
          <Button priority="tertiary" onClick={() => navigate(n === 1 ? "/account" : stepPath(id, n - 1))}>
            {t("leaveAnyway")}
          </Button>
        </p>
      ) : null}
      {intro}
      <p className="fr-hint-text">{t("required")}</p>
      <form onSubmit={submit} noValidate aria-busy={busy !== null}>
        {children(errors)}
        <p role="status" className={busy ? "fr-mt-2w" : "fr-sr-only"}>
          {busy ? t("saving") : ""}
        </p>
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mt-4w">
          <li>
            <Button type="submit" iconId="fr-icon-arrow-right-line" iconPosition="right">
              {t("continue")}
            </Button>
          </li>
          <li>
            <Button type="button" priority="secondary" iconId="fr-icon-save-line" onClick={() => void run("quit")}>
              {t("quit")}
            </Button>
          </li>
          <li>
            <Button type="button" priority="tertiary" iconId="fr-icon-arrow-left-line" onClick={() => void run("back")}>
              {n === 1 ? t("backAccount") : t("back")}
            </Button>
          </li>
        </ul>
      </form>
    </Page>
  );
}
