//! The préfecture's decision (F21), idempotent by `Idempotency-Key` like the
//! submission: a favourable decision issues the favourable-decision
//! certificate (PDF in both languages, QR and verification code); a
//! refusal records the préfecture's signed decision, a PDF the agent
//! uploaded and checked, with its motive. Either is written in the same
//! atomic write as the new status, the audit event, the notification and
//! the answer kept for the key. Of two agents deciding at once, one
//! decides; the other is told `already_decided`. A visa holder's
//! provisional account becomes definitive with the foreigner number the
//! agent enters (F2c).

use serde::{Deserialize, Serialize};

use crate::domain::account::Language;
use crate::domain::application::decision::{Decision, MAX_MOTIVE, Outcome};
use crate::domain::application::documents::{DocumentKind, FileType};
use crate::domain::application::lifecycle::Action;
use crate::domain::application::{ApplicationId, CARD_TAX_STAMP_EUR, CardCollection, DocumentId, DocumentStatus};
use crate::domain::closed_list;
use crate::domain::issued_document::IssuedKind;
use crate::domain::notification::NotificationKind;
use crate::domain::state_record::ForeignerNumber;
use crate::domain::validation::text;
use crate::domain::{FieldCode, Invalid};
use crate::ports::{Case, StoredResponse};

use super::accounts::Authenticated;
use super::applications::load_own;
use super::issued::{download, issue};
use super::review::{acting_agent, applicant_and_record, build_case_view, reachable_case};
use super::submission::{IdempotentAnswer, lost, replay, scoped_key};
use super::transitions::{Change, transition};
use super::{App, ServiceError, ServiceResult};

/// The agent's decision.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DecisionInput {
    #[schema(value_type = Outcome)]
    pub outcome: String,
    /// The foreigner number ("numéro étranger", 10 digits): required for a
    /// favourable decision when the applicant has none yet (a visa
    /// holder's provisional account).
    #[schema(example = "7501234567")]
    pub foreigner_number: Option<String>,
    /// A refusal's motive, for the applicant (required to refuse).
    pub motive: Option<String>,
    /// A refusal's signed decision: a document of kind `refusal_decision`
    /// uploaded by the préfecture (`POST /api/agent/applications/{id}/documents`) and checked.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub document_id: Option<String>,
}

/// Decide (F21). `key` is the request's `Idempotency-Key`.
pub async fn decide(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    key: &str,
    expected: Option<u64>,
    input: &DecisionInput,
) -> ServiceResult<IdempotentAnswer> {
    let acting = acting_agent(auth)?;
    let scoped = scoped_key(auth, key);
    if let Some(answer) = replay(app, &scoped, id).await? {
        return Ok(answer);
    }
    let case = reachable_case(app, &acting, id).await?;
    let (mut applicant, record) = applicant_and_record(app, &case.application).await?;

    let mut e = Invalid::default();
    let outcome = e.check("outcome", Outcome::parse(&input.outcome));
    let entered = match input
        .foreigner_number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        Some(number) if outcome == Some(Outcome::Favourable) => {
            e.check("foreigner_number", ForeignerNumber::parse(number))
        }
        _ => None,
    };
    let foreigner_number = entered.clone().or_else(|| case.application.foreigner_number.clone());
    let mut motive = None;
    let mut document = None;
    match outcome {
        Some(Outcome::Favourable) if foreigner_number.is_none() => e.push("foreigner_number", FieldCode::Required),
        Some(Outcome::Refused) => {
            motive = e.check("motive", text(input.motive.as_deref().unwrap_or(""), MAX_MOTIVE));
            document = e.check("document_id", refusal_document(&case, input.document_id.as_deref()));
        }
        _ => {}
    }
    e.into_result()?;
    let outcome = outcome.unwrap_or(Outcome::Favourable);
    let action = match outcome {
        Outcome::Favourable => Action::Approve,
        Outcome::Refused => Action::Refuse,
    };
    let agent = auth.account.id;

    let result = transition(
        app,
        &acting,
        Some(case),
        id,
        action,
        expected,
        |application, read, now| {
            application.decision = Some(Decision {
                outcome,
                decided_at: now,
                decided_by: agent,
                motive: motive.clone(),
                document,
            });
            let mut change = Change {
                notify: Some(NotificationKind::DecisionMade),
                ..Change::default()
            };
            if outcome == Outcome::Favourable {
                application.foreigner_number = foreigner_number.clone();
                let kind = IssuedKind::FavourableDecision;
                let (issued, files) = issue(app, kind, application, &[], applicant.language, now, None)?;
                change.issued = Some(issued);
                change.files = files;
            }
            // The answer as the case will read once saved.
            let mut saved: Case = read.clone();
            saved.application = application.clone();
            saved.issued.extend(change.issued.clone());
            let answer = build_case_view(app, &applicant, record.clone(), &saved);
            let stored = StoredResponse::ok(&scoped, id, &answer, now)?;
            change.idempotency = Some(stored.clone());
            Ok((change, stored))
        },
    )
    .await;
    let done = match result {
        Ok(done) => done,
        Err(e) => return lost(app, &scoped, id, e).await,
    };
    tracing::info!(account_id = %auth.account.id, application_id = %id, outcome = outcome.code(), "decided");

    // The provisional account becomes definitive (F2c). Idempotent: a
    // retry finds it done; a failure here leaves the decision made, logged.
    let definitive = applicant.provisional || (entered.is_some() && applicant.foreigner_number != entered);
    if outcome == Outcome::Favourable && definitive {
        let read_version = applicant.version;
        applicant.provisional = false;
        applicant.foreigner_number = foreigner_number;
        applicant.version = read_version + 1;
        if let Err(e) = app.ports.accounts.update(&applicant, read_version, None).await {
            tracing::error!(error = format!("{e:#}"), application_id = %id, "the account stays provisional");
        }
    }
    Ok(IdempotentAnswer {
        status: done.value.status,
        body: done.value.body,
        replayed: false,
    })
}

/// The signed refusal named by `document_id`: the préfecture's upload of
/// kind `refusal_decision`, checked and accepted (a PDF).
fn refusal_document(case: &Case, document_id: Option<&str>) -> Result<DocumentId, FieldCode> {
    let raw = document_id
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .ok_or(FieldCode::Required)?;
    let found = uuid::Uuid::parse_str(raw)
        .ok()
        .and_then(|id| case.documents.iter().find(|d| d.id.0 == id))
        .filter(|d| d.kind == DocumentKind::RefusalDecision)
        .ok_or(FieldCode::NotInList)?;
    if found.status != DocumentStatus::Accepted || found.file_type != FileType::Pdf {
        return Err(FieldCode::NotUploaded);
    }
    Ok(found.id)
}

/// The decision's PDF for the applicant: the favourable-decision
/// certificate in `language`, or the préfecture's signed refusal as uploaded.
pub async fn decision_pdf(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    language: Option<Language>,
) -> ServiceResult<(Vec<u8>, String)> {
    let case = load_own(app, auth, id).await?;
    let decision = case
        .application
        .decision
        .as_ref()
        .ok_or(ServiceError::NotFound("decision"))?;
    let Some(document) = decision.document else {
        return download(app, auth, id, IssuedKind::FavourableDecision, language).await;
    };
    let file = case
        .documents
        .iter()
        .find(|d| d.id == document)
        .ok_or_else(|| anyhow::anyhow!("the refusal decision of {id} is missing"))?;
    let bytes = app
        .ports
        .storage
        .get(&file.storage_key)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the refusal decision of {id} is missing from storage"))?;
    let stem = match language.unwrap_or(auth.account.language) {
        Language::Fr => "decision-de-refus",
        Language::En => "refusal-decision",
    };
    tracing::info!(account_id = %auth.account.id, application_id = %id, "refusal decision downloaded");
    Ok((bytes, format!("{stem}-{}.pdf", case.application.reference.0)))
}

closed_list!(
    /// The card's steps after a favourable decision (F22).
    CardStep {
        InProduction = "in_production",
        Ready = "ready",
        HandedOver = "handed_over",
    }
);

/// A step of the card, with where and from when to collect it (`ready`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CardInput {
    #[schema(value_type = CardStep)]
    pub step: String,
    /// `ready`: the counter where the card is collected.
    pub place: Option<String>,
    /// `ready`: from which day (YYYY-MM-DD).
    pub from: Option<String>,
}

/// Move the card on (F22): in production, ready (where, from when, the
/// 75 € tax stamp to bring), handed over; the applicant is told at each step.
pub async fn card(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    input: &CardInput,
    expected: Option<u64>,
) -> ServiceResult<super::review::CaseView> {
    let acting = acting_agent(auth)?;
    let mut e = Invalid::default();
    let step = e.check("step", CardStep::parse(&input.step));
    let mut collection = None;
    if step == Some(CardStep::Ready) {
        let place = e.check(
            "place",
            crate::domain::validation::text(input.place.as_deref().unwrap_or(""), 300),
        );
        let from = e.check(
            "from",
            crate::domain::validation::date(input.from.as_deref().unwrap_or("")),
        );
        if let (Some(place), Some(from)) = (place, from) {
            collection = Some(CardCollection {
                place,
                from,
                tax_stamp_eur: CARD_TAX_STAMP_EUR,
                handed_over_at: None,
            });
        }
    }
    e.into_result()?;
    let (action, notify) = match step {
        Some(CardStep::InProduction) => (Action::StartCardProduction, NotificationKind::CardInProduction),
        Some(CardStep::Ready) => (Action::CardIsReady, NotificationKind::CardReady),
        _ => (Action::HandOverCard, NotificationKind::CardHandedOver),
    };
    let done = transition(app, &acting, None, id, action, expected, |application, _, now| {
        match (&collection, application.card.as_mut()) {
            (Some(collection), _) => application.card = Some(collection.clone()),
            (None, Some(card)) if action == Action::HandOverCard => card.handed_over_at = Some(now),
            _ => {}
        }
        let change = Change {
            notify: Some(notify),
            ..Change::default()
        };
        Ok((change, ()))
    })
    .await?;
    tracing::info!(account_id = %auth.account.id, application_id = %id, step = ?step, "card moved on");
    super::review::case_view(app, auth, done.case).await
}
