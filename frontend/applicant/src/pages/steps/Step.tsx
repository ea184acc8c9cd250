// Steps 1–4 of the application (F7–F11): `/applications/:id/steps/:step`,
// `:step` being the API's section name. Loads the application (its saved
// data is shown again on any device) and renders the step's form, which
// renders the StepFrame (see StepFrame.tsx).
import { type ComponentType } from "react";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useT } from "../../i18n";
import { Link, Navigate, useParams } from "../../router";
import { Page } from "../../ui/Page";
import { SECTIONS, type Section, type StepFormProps } from "./StepFrame";
import { useApplication } from "./useApplication";
import Step1Personal from "./Step1Personal";
import Step2Studies from "./Step2Studies";
import Step3Resources from "./Step3Resources";
import Step4Documents from "./Step4Documents";

const FORMS: Record<Section, ComponentType<StepFormProps>> = {
  personal: Step1Personal,
  studies: Step2Studies,
  resources: Step3Resources,
  documents: Step4Documents,
};

const messages = {
  title: { fr: "Demande de titre de séjour étudiant", en: "Student residence permit application" },
  loading: { fr: "Chargement de votre demande…", en: "Loading your application…" },
  notFound: { fr: "Demande introuvable", en: "Application not found" },
  notFoundText: {
    fr: "Cette demande n’existe pas ou n’est pas la vôtre. Retrouvez vos demandes dans votre compte.",
    en: "This application does not exist or is not yours. Find your applications in your account.",
  },
  failed: { fr: "Chargement impossible", en: "Could not load" },
  failedText: {
    fr: "Le service ne répond pas. Vérifiez votre connexion puis rechargez la page.",
    en: "The service does not answer. Check your connection, then reload the page.",
  },
  account: { fr: "Mon compte", en: "My account" },
};

function isSection(value: string | undefined): value is Section {
  return SECTIONS.includes(value as Section);
}

export default function Step() {
  const t = useT(messages);
  const { id = "", step } = useParams();
  const { application, etag, error, reload, reloads, setFromSave } = useApplication(id);

  // A page of the form that no longer applies: a submitted case is followed on its own page.
  const editable = application?.status === "draft";

  if (!isSection(step)) return <Navigate to={`/applications/${id}/steps/personal`} replace />;
  if (error) {
    const missing = error.status === 404 || error.status === 403;
    return (
      <Page title={missing ? t("notFound") : t("failed")}>
        <Alert
          severity={missing ? "warning" : "error"}
          title={missing ? t("notFound") : t("failed")}
          description={missing ? t("notFoundText") : t("failedText")}
          as="h2"
        />
        <p className="fr-mt-4w">
          <Link className="fr-link fr-icon-arrow-left-line fr-link--icon-left" to="/account">
            {t("account")}
          </Link>
        </p>
      </Page>
    );
  }
  if (!application) return <p role="status">{t("loading")}</p>;
  if (!editable) return <Navigate to={`/applications/${id}`} replace />;

  const Form = FORMS[step];
  return (
    <Form
      key={`${step}:${reloads}`}
      application={application}
      etag={etag}
      onSaved={setFromSave}
      onReload={reload}
    />
  );
}
