// The case page (F21, F22, B2, B3, B5): where the application stands and
// what happens next, what the applicant has to do (answer a complement,
// collect the card…), the documents issued, the conversation, the history.
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect, useState } from "react";
import { api, must, type Schemas } from "../../api/client";
import { formatDate, formatDateTime, useLang, useT, type Lang } from "../../i18n";
import { Link, Navigate, useParams } from "../../router";
import { Page } from "../../ui/Page";
import { History } from "./History";
import { IssuedDocuments } from "./Issued";
import { CaseBreadcrumb, Column, LoadState, NO_WRITING, StatusBadge, useApplication, type ApplicationView } from "./shared";
import { ReviewStarted, Withdraw } from "./Withdraw";

const messages = {
  title: { fr: "Suivi de ma demande", en: "My application" },
  reference: { fr: "Numéro de demande :", en: "Application number:" },
  submittedOn: { fr: "Déposée le", en: "Submitted on" },
  prefecture: { fr: "Préfecture :", en: "Préfecture:" },
  standsHeading: { fr: "Où en est ma demande ?", en: "Where does my application stand?" },
  nextHeading: { fr: "Et maintenant ?", en: "What happens next?" },
  timelineFailed: {
    fr: "L’historique n’a pas pu être chargé. Rechargez la page dans un instant.",
    en: "The history could not be loaded. Reload the page in a moment.",
  },
  complementTitle: { fr: "La préfecture vous demande des compléments", en: "The préfecture asks you for more documents" },
  complementText: {
    fr: "Vous avez 30 jours à compter de la demande pour répondre : au plus tard le",
    en: "You have 30 days from the request to answer: by",
  },
  complementOverdue: {
    fr: "Le délai de 30 jours est dépassé depuis le",
    en: "The 30 days to answer ended on",
  },
  complementOverdueText: {
    fr: "Répondez au plus vite : la préfecture peut décider sans ces documents.",
    en: "Answer as soon as possible: the préfecture may decide without these documents.",
  },
  answer: { fr: "Répondre à la demande de compléments", en: "Answer the request for documents" },
  cardTitle: { fr: "Votre titre de séjour est prêt", en: "Your residence permit card is ready" },
  cardWhere: { fr: "Où le retirer :", en: "Where to collect it:" },
  cardFrom: { fr: "À partir du :", en: "From:" },
  cardBring: { fr: "À apporter :", en: "What to bring:" },
  cardPassport: { fr: "votre passeport", en: "your passport" },
  cardStamp: { fr: "un timbre fiscal de", en: "a tax stamp of" },
  cardStampHow: {
    fr: "(timbre électronique en ligne sur timbres.impots.gouv.fr, ou chez un buraliste)",
    en: "(an electronic stamp online at timbres.impots.gouv.fr, or from a tobacconist)",
  },
  cardHandedOver: { fr: "Votre titre de séjour vous a été remis le", en: "Your residence permit card was handed over on" },
  refusedTitle: { fr: "La préfecture a refusé votre demande", en: "The préfecture refused your application" },
  motive: { fr: "Motif :", en: "Grounds:" },
  refusedDownload: {
    fr: "La décision signée est à télécharger ci-dessous, dans « Vos documents ». Elle indique les voies et délais de recours.",
    en: "The signed decision can be downloaded below, in “Your documents”. It says how and when you may appeal.",
  },
  extended: {
    fr: "Votre droit au séjour est prolongé pendant l’instruction, jusqu’au",
    en: "Your right of stay is extended during the review, until",
  },
  extendedHow: {
    fr: "L’attestation de prolongation d’instruction est à télécharger dans « Vos documents ».",
    en: "The extension certificate can be downloaded in “Your documents”.",
  },
  messagesHeading: { fr: "Échanges avec la préfecture", en: "Messages with the préfecture" },
  messagesNone: {
    fr: "Vous pouvez écrire à la préfecture à propos de votre demande, avec des pièces jointes.",
    en: "You can write to the préfecture about your application, with attachments.",
  },
  messagesCount: { fr: "message(s) échangé(s), le dernier le", en: "message(s), the last one on" },
  messagesClosed: {
    fr: "Ce dossier est clos : vous ne pouvez plus écrire à la préfecture depuis ce service.",
    en: "This case is closed: you can no longer write to the préfecture from this service.",
  },
  messagesRead: { fr: "Relire les messages", en: "Read the messages" },
  messagesLink: { fr: "Voir les messages et écrire", en: "See the messages and write" },
};

type Timeline = Schemas["Timeline"];

/** Whole euros without decimals: "75 €" / "€75". */
function euros(amount: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", { style: "currency", currency: "EUR", minimumFractionDigits: 0 }).format(amount);
}

function useTimeline(id: string, version: number | undefined) {
  const { lang } = useLang();
  const [timeline, setTimeline] = useState<Timeline>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (version === undefined) return;
    let live = true;
    // Its words are in the request's language: asked again when it changes.
    must(api.GET("/api/applications/{id}/timeline", { params: { path: { id } } }))
      .then((next) => live && (setTimeline(next), setFailed(false)))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [id, version, lang]);
  return { timeline, failed };
}

export default function Application() {
  const { id } = useParams();
  const t = useT(messages);
  const { view, failure, reload } = useApplication(id);
  const { timeline, failed } = useTimeline(id, view?.version);
  if (view?.status === "draft") return <Navigate to={`/applications/${id}/review`} replace />;
  return (
    <>
      <CaseBreadcrumb id={id} current={view?.reference ?? t("title")} />
      <Column>
        <Page title={t("title")}>
          {view ? <CaseBody view={view} timeline={timeline} timelineFailed={failed} onChanged={() => void reload()} /> : <LoadState failure={failure} />}
        </Page>
      </Column>
    </>
  );
}

function CaseBody({ view, timeline, timelineFailed, onChanged }: { view: ApplicationView; timeline?: Timeline; timelineFailed: boolean; onChanged: () => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const closed = NO_WRITING[view.status] === "closed";
  return (
    <>
      <p className="fr-mb-1w">
        {t("reference")} <span className="fr-text--bold">{view.reference}</span>
      </p>
      {view.submitted_at ? (
        <p className="fr-mb-1w">
          {t("submittedOn")} {formatDateTime(view.submitted_at, lang)}
        </p>
      ) : null}
      {view.prefecture ? (
        <p className="fr-mb-4w">
          {t("prefecture")} {view.prefecture.departement} ({view.prefecture.seat})
        </p>
      ) : null}

      <section className="fr-mb-6w" aria-labelledby="stands-heading">
        <h2 id="stands-heading">{t("standsHeading")}</h2>
        <p className="fr-mb-3w">
          <StatusBadge status={view.status} />
        </p>
        <h3 className="fr-h5">{t("nextHeading")}</h3>
        {timeline ? <p>{timeline.next}</p> : null}
        {timelineFailed ? <p className="fr-error-text">{t("timelineFailed")}</p> : null}
        <WhatToDo view={view} timeline={timeline} onChanged={onChanged} />
      </section>

      <IssuedDocuments view={view} extendedUntil={timeline?.extended_until} />

      <section className="fr-mb-6w" aria-labelledby="messages-heading">
        <h2 id="messages-heading">{t("messagesHeading")}</h2>
        {view.messages.length > 0 ? (
          <p>
            {view.messages.length} {t("messagesCount")} {formatDateTime(view.messages[view.messages.length - 1].at, lang)}.
          </p>
        ) : null}
        {closed ? <p>{t("messagesClosed")}</p> : view.messages.length === 0 ? <p>{t("messagesNone")}</p> : null}
        {closed && view.messages.length === 0 ? null : (
          <Button priority="secondary" iconId="fr-icon-chat-3-line" linkProps={{ to: `/applications/${view.id}/messages` }}>
            {closed ? t("messagesRead") : t("messagesLink")}
          </Button>
        )}
      </section>

      {timeline ? <History steps={timeline.steps} /> : null}
    </>
  );
}

/** What the applicant has to do, or may do, in the current status. */
function WhatToDo({ view, timeline, onChanged }: { view: ApplicationView; timeline?: Timeline; onChanged: () => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  // Kept here: the answer `review_started` comes with a new status, where Withdraw is gone.
  const [reviewStarted, setReviewStarted] = useState(false);
  const open = view.complements.find((c) => c.open);
  const extendedUntil = timeline?.extended_until ?? null;
  return (
    <>
      {reviewStarted ? <ReviewStarted id={view.id} /> : null}
      {view.status === "submitted" && !reviewStarted ? (
        <Withdraw view={view} onChanged={onChanged} onReviewStarted={() => (setReviewStarted(true), onChanged())} />
      ) : null}

      {open ? (
        <div className={`fr-alert ${view.status === "complement_overdue" ? "fr-alert--error" : "fr-alert--warning"} fr-mb-3w`}>
          <h4 className="fr-alert__title">{t("complementTitle")}</h4>
          {view.status === "complement_overdue" ? (
            <p>
              {t("complementOverdue")} {formatDate(open.deadline_date, lang)}. {t("complementOverdueText")}
            </p>
          ) : (
            <p>
              {t("complementText")} <span className="fr-text--bold">{formatDate(open.deadline_date, lang)}</span>.
            </p>
          )}
          <p className="fr-mt-2w">
            <Link className="fr-btn" to={`/applications/${view.id}/complement`}>
              {t("answer")}
            </Link>
          </p>
        </div>
      ) : null}

      {view.card && view.status === "card_ready" ? (
        <div className="fr-callout fr-callout--green-emeraude fr-mb-3w">
          <h4 className="fr-callout__title fr-h6">{t("cardTitle")}</h4>
          <dl className="fr-mb-0">
            <dt className="fr-text--bold">{t("cardWhere")}</dt>
            <dd className="fr-ml-0 fr-mb-1w">{view.card.place}</dd>
            <dt className="fr-text--bold">{t("cardFrom")}</dt>
            <dd className="fr-ml-0 fr-mb-1w">{formatDate(view.card.from, lang)}</dd>
            <dt className="fr-text--bold">{t("cardBring")}</dt>
            <dd className="fr-ml-0">
              <ul>
                <li>{t("cardPassport")}</li>
                <li>
                  {t("cardStamp")} {euros(view.card.tax_stamp_eur, lang)} {t("cardStampHow")}
                </li>
              </ul>
            </dd>
          </dl>
        </div>
      ) : null}

      {view.card?.handed_over_at ? (
        <p className="fr-mb-3w">
          {t("cardHandedOver")} {formatDate(view.card.handed_over_at, lang)}.
        </p>
      ) : null}

      {view.decision?.outcome === "refused" ? (
        <div className="fr-callout fr-mb-3w">
          <h4 className="fr-callout__title fr-h6">{t("refusedTitle")}</h4>
          {view.decision.motive ? (
            <p className="fr-mb-1w">
              <span className="fr-text--bold">{t("motive")}</span> <span style={{ whiteSpace: "pre-line" }}>{view.decision.motive}</span>
            </p>
          ) : null}
          <p className="fr-mb-0">{t("refusedDownload")}</p>
        </div>
      ) : null}

      {extendedUntil && !view.decision ? (
        <div className="fr-notice fr-notice--info fr-mb-3w">
          <div className="fr-container">
            <div className="fr-notice__body">
              <p className="fr-notice__title">
                {t("extended")} {formatDate(extendedUntil, lang)}. {t("extendedHow")}
              </p>
            </div>
          </div>
        </div>
      ) : null}
    </>
  );
}
