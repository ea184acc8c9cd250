// The account's current application (F4): its status and what to do next —
// start the draft, continue it where it is incomplete, answer a complement
// request, or follow the case — with the receipt once submitted.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Download } from "@codegouvfr/react-dsfr/Download";
import { useState } from "react";
import { api, ApiFailure, must, type Schemas } from "../../api/client";
import { formatDate, formatDateTime, formatEuros, useLang, useT } from "../../i18n";
import { useNavigate } from "../../router";
import { Focus } from "./Focus";
import { failureText } from "./form";
import { REASONS } from "./reasons";
import { CLOSED, STATUS } from "../../ui/status";

type View = Schemas["ApplicationView"];
type Timeline = Schemas["Timeline"];

const messages = {
  none: { fr: "Vous n’avez pas encore de demande.", en: "You have no application yet." },
  noneText: {
    fr: "Votre demande est préremplie avec ce que l’État sait déjà de vous. Vous pourrez l’enregistrer à chaque étape et la reprendre plus tard, depuis n’importe quel appareil.",
    en: "Your application comes prefilled with what the state already knows about you. You can save it at every step and resume later, from any device.",
  },
  start: { fr: "Commencer ma demande", en: "Start my application" },
  startAgain: { fr: "Commencer une nouvelle demande", en: "Start a new application" },
  starting: { fr: "Création…", en: "Creating…" },
  reference: { fr: "Demande n° {ref}", en: "Application no. {ref}" },
  status: { fr: "État : ", en: "Status: " },
  created: { fr: "Commencée le {date}", en: "Started on {date}" },
  submitted: { fr: "Déposée le {date}", en: "Submitted on {date}" },
  validated: { fr: "Récapitulatif : {n}/{total} rubriques validées", en: "Review: {n}/{total} sections validated" },
  continue: { fr: "Continuer ma demande", en: "Continue my application" },
  see: { fr: "Voir ma demande", en: "See my application" },
  complement: { fr: "Répondre à la demande de compléments", en: "Answer the complement request" },
  complementDue: { fr: "La préfecture attend des compléments : répondez au plus tard le {date}.", en: "The préfecture is waiting for complements: answer by {date} at the latest." },
  lateFee: { fr: "Demande déposée hors délai : une taxe de {fee} s’ajoute.", en: "Application filed late: a fee of {fee} is added." },
  card: { fr: "Votre carte vous attend", en: "Your card is waiting for you" },
  cardText: {
    fr: "À retirer à partir du {from} : {place}. Apportez un timbre fiscal de {fee}.",
    en: "To collect from {from}: {place}. Bring a tax stamp of {fee}.",
  },
  next: { fr: "Et ensuite ?", en: "What next?" },
  receipt: { fr: "Attestation de dépôt", en: "Submission receipt" },
  receiptDetails: { fr: "PDF – code de vérification {code}", en: "PDF – verification code {code}" },
  openExists: { fr: "Une demande est déjà en cours : la voici.", en: "An application is already in progress: here it is." },
  notOpen: { fr: "Trop tôt pour commencer votre demande", en: "Too early to start your application" },
  notOpenText: { fr: "Le dépôt de votre demande ouvre le {date}. Revenez à partir de cette date.", en: "Filing your application opens on {date}. Come back from that date." },
  notCovered: { fr: "Votre demande ne peut pas se faire en ligne", en: "Your application cannot be made online" },
  notCoveredText: { fr: "Adressez-vous à la préfecture de votre domicile.", en: "Contact the préfecture of your place of residence." },
  noRecord: { fr: "Votre titre ou visa n’est plus dans les fichiers de l’État", en: "Your permit or visa is no longer in the state’s records" },
  noRecordText: {
    fr: "Nous ne pouvons pas préremplir votre demande. Adressez-vous à la préfecture de votre domicile.",
    en: "We cannot prefill your application. Contact the préfecture of your place of residence.",
  },
  problem: { fr: "Création impossible", en: "Could not create" },
};

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ""));
}

/** Where a draft is to be continued: its first incomplete step, else the review. */
export function resumePath(view: View): string {
  const incomplete = view.review.sections.find((s) => !s.complete);
  return incomplete ? `/applications/${view.id}/steps/${incomplete.section}` : `/applications/${view.id}/review`;
}

export function Current({ view, timeline, onChanged }: { view: View | null; timeline: Timeline | null; onChanged: () => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ title: string; text: string } | null>(null);

  const create = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const draft = await must(api.POST("/api/applications"));
      navigate(`/applications/${draft.id}/steps/personal`);
    } catch (error) {
      setBusy(false);
      const problem = error instanceof ApiFailure ? error.problem : null;
      if (problem?.code === "open_application_exists") {
        setFailure({ title: t("openExists"), text: "" });
        onChanged();
      } else if (problem?.code === "filing_not_open" && problem.opens_on)
        setFailure({ title: t("notOpen"), text: fill(t("notOpenText"), { date: formatDate(problem.opens_on, lang) }) });
      else if (problem?.code === "not_covered")
        setFailure({ title: t("notCovered"), text: `${problem.reason ? `${REASONS[problem.reason][lang]} ` : ""}${t("notCoveredText")}` });
      else if (problem?.code === "record_not_found" || problem?.code === "forbidden") setFailure({ title: t("noRecord"), text: t("noRecordText") });
      else setFailure({ title: t("problem"), text: failureText(error, lang) });
    }
  };

  const failureBox = (
    <Focus when={failure}>
      {failure ? (
        failure.text ? (
          <Alert severity="error" role="alert" as="h3" title={failure.title} description={failure.text} className="fr-mb-3w" />
        ) : (
          <Alert severity="info" role="status" small description={failure.title} className="fr-mb-3w" />
        )
      ) : null}
    </Focus>
  );
  const startButton = (label: string) => (
    <Button onClick={() => void create()} disabled={busy}>
      {busy ? t("starting") : label}
    </Button>
  );

  if (!view) {
    return (
      <>
        <p className="fr-text--bold">{t("none")}</p>
        <p>{t("noneText")}</p>
        {failureBox}
        {startButton(t("start"))}
      </>
    );
  }

  const status = STATUS[view.status];
  const openComplement = view.complements.find((c) => c.open);
  const card = view.card;
  return (
    <div className="sj-box">
      <h3 className="fr-h5 fr-mb-1w">{fill(t("reference"), { ref: view.reference })}</h3>
      <p className="fr-mb-2w">
        {t("status")}
        <Badge severity={status.severity} as="span">
          {status.label[lang]}
        </Badge>
      </p>
      <ul className="fr-mb-2w">
        <li>{fill(t("created"), { date: formatDate(view.created_at, lang) })}</li>
        {view.submitted_at ? <li>{fill(t("submitted"), { date: formatDateTime(view.submitted_at, lang) })}</li> : null}
        {view.status === "draft" ? <li>{fill(t("validated"), { n: view.review.validated, total: view.review.total })}</li> : null}
      </ul>
      {view.late_fee_eur ? <Alert severity="warning" small description={fill(t("lateFee"), { fee: formatEuros(view.late_fee_eur, lang) })} className="fr-mb-2w" /> : null}
      {openComplement && view.status === "complement_requested" ? (
        <Alert severity="warning" small description={fill(t("complementDue"), { date: formatDate(openComplement.deadline_date, lang) })} className="fr-mb-2w" />
      ) : null}
      {card && !card.handed_over_at ? (
        <Alert
          severity="success"
          as="h4"
          title={t("card")}
          description={fill(t("cardText"), { from: formatDate(card.from, lang), place: card.place, fee: formatEuros(card.tax_stamp_eur, lang) })}
          className="fr-mb-2w"
        />
      ) : null}
      {timeline ? (
        <>
          <h4 className="fr-h6 fr-mb-1w">{t("next")}</h4>
          <p className="fr-text--bold fr-mb-1w">{timeline.stands}</p>
          <p>{timeline.next}</p>
        </>
      ) : null}
      {view.receipt ? (
        <Download
          label={t("receipt")}
          details={fill(t("receiptDetails"), { code: view.receipt.verification_code })}
          linkProps={{ href: `/api/applications/${view.id}/receipt?language=${lang}`, type: "application/pdf" }}
        />
      ) : null}
      {failureBox}
      <ul className="fr-btns-group fr-btns-group--inline-md">
        {view.status === "draft" ? (
          <li>
            <Button linkProps={{ to: resumePath(view) }}>{t("continue")}</Button>
          </li>
        ) : null}
        {view.status === "complement_requested" ? (
          <li>
            <Button linkProps={{ to: `/applications/${view.id}/complement` }}>{t("complement")}</Button>
          </li>
        ) : null}
        {view.status !== "draft" ? (
          <li>
            <Button priority={view.status === "complement_requested" ? "secondary" : "primary"} linkProps={{ to: `/applications/${view.id}` }}>
              {t("see")}
            </Button>
          </li>
        ) : null}
        {CLOSED.includes(view.status) ? <li>{startButton(t("startAgain"))}</li> : null}
      </ul>
    </div>
  );
}
