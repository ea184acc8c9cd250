//! The applicant's timeline (F23, B5): every step of the case with who did
//! it and when, where the case stands, and what happens next, in the
//! request's language.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::account::Language;
use crate::domain::application::lifecycle::{Action, Status};
use crate::domain::application::{Actor, ApplicationId};

use super::accounts::Authenticated;
use super::applications::load_own;
use super::{App, ServiceResult};

/// Who did a step, as the applicant may know it (never an agent's identity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Who {
    You,
    Prefecture,
    /// The service itself (a deadline passed).
    Service,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimelineStep {
    pub at: DateTime<Utc>,
    pub action: Action,
    pub who: Who,
    /// The step in words.
    pub label: &'static str,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Timeline {
    pub status: Status,
    /// Where the case stands, in words.
    pub stands: &'static str,
    /// What happens next, and what the applicant has to do, if anything.
    pub next: &'static str,
    /// The last day to answer a complement request (Paris time), when one is open.
    #[schema(required = true)]
    pub deadline: Option<NaiveDate>,
    /// The last day of a lawful stay under the latest extension certificate (B2).
    #[schema(required = true)]
    pub extended_until: Option<NaiveDate>,
    /// Oldest first.
    pub steps: Vec<TimelineStep>,
}

pub async fn timeline(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    language: Language,
) -> ServiceResult<Timeline> {
    let case = load_own(app, auth, id).await?;
    let application = &case.application;
    let (stands, next) = texts(application.status, language);
    Ok(Timeline {
        status: application.status,
        stands,
        next,
        deadline: application
            .open_complement()
            .map(|c| crate::pdf::to_paris(c.deadline).date_naive()),
        extended_until: application.extended_until,
        steps: case
            .events
            .iter()
            .map(|e| TimelineStep {
                at: e.at,
                action: e.action,
                who: match e.actor {
                    Actor::Applicant { .. } => Who::You,
                    Actor::Agent { .. } => Who::Prefecture,
                    Actor::System => Who::Service,
                },
                label: label(e.action, language),
            })
            .collect(),
    })
}

fn label(action: Action, language: Language) -> &'static str {
    use Action::*;
    let (fr, en) = match action {
        Submit => ("Demande déposée", "Application submitted"),
        Withdraw => (
            "Demande retirée pour correction",
            "Application withdrawn for correction",
        ),
        StartReview => (
            "Instruction commencée par la préfecture",
            "Review started by the préfecture",
        ),
        RequestComplement => ("Compléments demandés", "More documents asked for"),
        AnswerComplement => ("Compléments envoyés", "Documents sent"),
        ComplementExpired => ("Délai de réponse dépassé", "Time to answer passed"),
        RemindComplement => (
            "Rappel : 7 jours pour envoyer les compléments",
            "Reminder: 7 days left to send the documents",
        ),
        SendMessage => ("Message", "Message"),
        ExtendStay => (
            "Attestation de prolongation d'instruction délivrée",
            "Extended review certificate issued",
        ),
        Approve => ("Décision favorable", "Favourable decision"),
        Refuse => ("Décision de refus", "Refusal"),
        StartCardProduction => ("Titre de séjour en fabrication", "Card being produced"),
        CardIsReady => ("Titre de séjour prêt à être retiré", "Card ready to collect"),
        HandOverCard => ("Titre de séjour remis", "Card handed over"),
    };
    if language == Language::Fr { fr } else { en }
}

/// Where the case stands and what happens next.
fn texts(status: Status, language: Language) -> (&'static str, &'static str) {
    use Status::*;
    let (fr, en) = match status {
        Draft => (
            (
                "Demande en cours de saisie",
                "Complétez les six étapes, puis déposez la demande.",
            ),
            (
                "Application being filled in",
                "Complete the six steps, then submit the application.",
            ),
        ),
        Submitted => (
            (
                "Demande déposée",
                "La préfecture va examiner votre demande. Tant qu'elle n'a pas commencé, vous pouvez la retirer pour la corriger.",
            ),
            (
                "Application submitted",
                "The préfecture will review your application. Until it starts, you may withdraw it to correct it.",
            ),
        ),
        UnderReview => (
            (
                "Demande en cours d'instruction",
                "La préfecture examine votre demande. Elle peut vous demander des compléments : vous serez prévenu.",
            ),
            (
                "Application under review",
                "The préfecture is reviewing your application. It may ask you for more documents: you will be told.",
            ),
        ),
        ComplementRequested => (
            (
                "Compléments demandés",
                "Répondez à chaque document demandé, puis validez et envoyez avant la date limite.",
            ),
            (
                "More documents asked for",
                "Answer each document asked for, then validate and send before the deadline.",
            ),
        ),
        ComplementOverdue => (
            (
                "Délai de réponse dépassé",
                "Envoyez les compléments au plus vite : la préfecture peut décider sans eux.",
            ),
            (
                "Time to answer passed",
                "Send the documents as soon as possible: the préfecture may decide without them.",
            ),
        ),
        Approved => (
            (
                "Décision favorable",
                "Votre titre de séjour va être fabriqué ; vous serez prévenu quand il sera prêt.",
            ),
            (
                "Favourable decision",
                "Your residence permit card will be produced; you will be told when it is ready.",
            ),
        ),
        Refused => (
            (
                "Décision de refus",
                "Lisez la décision : elle indique les voies de recours.",
            ),
            ("Refusal", "Read the decision: it says how to appeal."),
        ),
        CardInProduction => (
            (
                "Titre de séjour en fabrication",
                "Vous serez prévenu du lieu et de la date de retrait.",
            ),
            ("Card being produced", "You will be told where and when to collect it."),
        ),
        CardReady => (
            (
                "Titre de séjour prêt",
                "Retirez-le au lieu indiqué, avec votre passeport et un timbre fiscal de 75 €.",
            ),
            (
                "Card ready",
                "Collect it at the place given, with your passport and a €75 tax stamp.",
            ),
        ),
        CardDelivered => (
            ("Titre de séjour remis", "Votre démarche est terminée."),
            ("Card handed over", "Your procedure is complete."),
        ),
    };
    if language == Language::Fr { fr } else { en }
}
