//! The préfecture's decision (F21), idempotent by `Idempotency-Key` like the
//! submission: a favourable decision issues the favourable-decision
//! certificate (PDF in the applicant's language, QR and verification code)
//! in the same atomic write as the new status, the audit event, the
//! notification and the answer kept for the key. Of two agents deciding at
//! once, one decides; the other is told `already_decided`. A visa holder's
//! provisional account becomes definitive with the foreigner number the
//! agent enters (F2c).

use serde::{Deserialize, Serialize};

use crate::domain::application::lifecycle::Action;
use crate::domain::application::{ApplicationId, CARD_TAX_STAMP_EUR, CardCollection};
use crate::domain::closed_list;
use crate::domain::issued_document::IssuedKind;
use crate::domain::notification::NotificationKind;
use crate::domain::state_record::ForeignerNumber;
use crate::domain::{FieldCode, Invalid};
use crate::ports::{Case, StoredResponse};

use super::accounts::Authenticated;
use super::review::{acting_agent, applicant_and_record, build_case_view, reachable_case};
use super::submission::{IdempotentAnswer, issue, lost, replay, scoped_key};
use super::transitions::{Change, transition};
use super::{App, ServiceResult};

closed_list!(
    /// What the préfecture decides. (The refusal, with the préfecture's
    /// signed decision uploaded, comes with the next stage of F21.)
    Outcome {
        Favourable = "favourable",
    }
);

/// The agent's decision.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DecisionInput {
    #[schema(value_type = Outcome)]
    pub outcome: String,
    /// The foreigner number ("numéro étranger", 10 digits): required when
    /// the applicant has none yet (a visa holder's provisional account).
    #[schema(example = "7501234567")]
    pub foreigner_number: Option<String>,
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
        Some(number) => e.check("foreigner_number", ForeignerNumber::parse(number)),
        None => None,
    };
    let foreigner_number = entered.clone().or_else(|| case.application.foreigner_number.clone());
    if foreigner_number.is_none() && outcome == Some(Outcome::Favourable) {
        e.push("foreigner_number", FieldCode::Required);
    }
    e.into_result()?;

    let result = transition(
        app,
        &acting,
        Some(case),
        id,
        Action::Approve,
        expected,
        |application, read, now| {
            application.foreigner_number = foreigner_number.clone();
            let kind = IssuedKind::FavourableDecision;
            let (issued, file) = issue(app, kind, application, &[], applicant.language, now)?;
            // The answer as the case will read once saved.
            let mut saved: Case = read.clone();
            saved.application = application.clone();
            saved.issued.push(issued.clone());
            let answer = build_case_view(app, &applicant, record.clone(), &saved);
            let stored = StoredResponse::ok(&scoped, &answer, now)?;
            let change = Change {
                notify: Some(NotificationKind::DecisionMade),
                issued: Some(issued),
                idempotency: Some(stored.clone()),
                files: vec![file],
                ..Change::default()
            };
            Ok((change, stored))
        },
    )
    .await;
    let done = match result {
        Ok(done) => done,
        Err(e) => return lost(app, &scoped, id, e).await,
    };
    tracing::info!(account_id = %auth.account.id, application_id = %id, "favourable decision");

    // The provisional account becomes definitive (F2c). Idempotent: a
    // retry finds it done; a failure here leaves the decision made, logged.
    if applicant.provisional || (entered.is_some() && applicant.foreigner_number != entered) {
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
