//! Complements (F18, F19): the agent's request, and the applicant's answer
//! item by item, then "validate and send". The request and the sending are
//! transitions; answering an item is a change of the case, like a step save.

use serde::{Deserialize, Serialize};

use crate::domain::application::complement::{ComplementRequest, ItemAnswer, ItemInput};
use crate::domain::application::lifecycle::Action;
use crate::domain::application::{ApplicationId, Changing, DocumentId};
use crate::domain::notification::NotificationKind;
use crate::domain::{FieldCode, FieldError, Invalid};

use super::accounts::Authenticated;
use super::applications::{ApplicationView, Edit, applicant_only, edit, load_own, view};
use super::review::{CaseView, acting_agent, case_view};
use super::transitions::{Acting, Change, transition};
use super::{App, ProblemCode, ServiceError, ServiceResult};

/// The agent's request.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ComplementInput {
    /// To the applicant, shown with the items.
    pub message: String,
    /// One per document asked for (at most 20).
    pub items: Vec<ItemInput>,
}

/// The applicant's answer to one item: `keep` (with a justification) or
/// `replace` (with a document uploaded since the request and accepted).
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ItemAnswerInput {
    pub keep: Option<KeepInput>,
    pub replace: Option<ReplaceInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct KeepInput {
    pub justification: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReplaceInput {
    #[schema(value_type = String, format = Uuid)]
    pub document_id: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SendInput {
    /// To the préfecture, with the answer (optional).
    pub message: Option<String>,
}

/// Ask for complements (F18): the case waits for the applicant's answer for
/// 30 days; the applicant is notified.
pub async fn request(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    input: &ComplementInput,
    expected: Option<u64>,
) -> ServiceResult<CaseView> {
    let acting = acting_agent(auth)?;
    let agent = auth.account.id;
    let request_id = app.ports.random.id();
    let done = transition(
        app,
        &acting,
        None,
        id,
        Action::RequestComplement,
        expected,
        |application, case, now| {
            let request =
                ComplementRequest::new(request_id, agent, now, &input.message, &input.items, &case.documents)?;
            application.complements.push(request);
            let change = Change {
                notify: Some(NotificationKind::ComplementRequested),
                ..Change::default()
            };
            Ok((change, ()))
        },
    )
    .await?;
    tracing::info!(account_id = %agent, application_id = %id, "complements requested");
    case_view(app, auth, done.case).await
}

/// Answer one item of the open request.
pub async fn answer_item(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    index: usize,
    input: &ItemAnswerInput,
    expected: Option<u64>,
) -> ServiceResult<ApplicationView> {
    applicant_only(auth)?;
    let answer = match (&input.keep, &input.replace) {
        (Some(keep), None) => ItemAnswer::Keep {
            justification: keep.justification.clone(),
        },
        (None, Some(replace)) => match uuid::Uuid::parse_str(replace.document_id.trim()) {
            Ok(document) => ItemAnswer::Replace {
                document: DocumentId(document),
            },
            Err(_) => return Err(Invalid::from(FieldError::new("replace.document_id", FieldCode::NotInList)).into()),
        },
        _ => return Err(Invalid::from(FieldError::new("keep", FieldCode::Required)).into()),
    };
    let current = load_own(app, auth, id).await?;
    let (case, ()) = edit(
        app,
        Some(auth.account.id),
        id,
        expected,
        Changing::Complement,
        Some(current),
        |application, documents| {
            let request = application
                .open_complement_mut()
                .ok_or(ServiceError::Conflict(ProblemCode::NoComplementRequested))?;
            request.answer(index, answer.clone(), documents)?;
            Ok(Edit::Save {
                documents: Vec::new(),
                value: (),
            })
        },
    )
    .await?;
    tracing::info!(account_id = %auth.account.id, application_id = %id, index, "complement item answered");
    Ok(view(app, &auth.account, &case))
}

/// "Validate and send" (F19): every item answered, the case goes back to review.
pub async fn send(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    input: &SendInput,
    expected: Option<u64>,
) -> ServiceResult<ApplicationView> {
    applicant_only(auth)?;
    let done = transition(
        app,
        &Acting::Applicant(&auth.account),
        None,
        id,
        Action::AnswerComplement,
        expected,
        |application, _, now| {
            let request = application
                .open_complement_mut()
                .ok_or(ServiceError::Conflict(ProblemCode::NoComplementRequested))?;
            request
                .send(input.message.as_deref(), now)
                .map_err(|errors| ServiceError::Unmet {
                    code: ProblemCode::ComplementIncomplete,
                    errors,
                })?;
            let change = Change {
                notify: Some(NotificationKind::ComplementSent),
                ..Change::default()
            };
            Ok((change, ()))
        },
    )
    .await?;
    tracing::info!(account_id = %auth.account.id, application_id = %id, "complements sent");
    Ok(view(app, &auth.account, &done.case))
}
