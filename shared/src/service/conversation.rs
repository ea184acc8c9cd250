//! The conversation inside the case (B4): the applicant and the préfecture
//! write to each other, with files uploaded and checked like any document
//! (`kind: attachment`). Each message is a transition that keeps the
//! status: the audit event, the message and the other side's notification
//! ("log in to read it", never the content) in one atomic write.

use serde::{Deserialize, Serialize};

use crate::domain::application::ApplicationId;
use crate::domain::application::lifecycle::Action;
use crate::domain::application::message::{MAX_MESSAGES, Message};
use crate::domain::notification::NotificationKind;

use super::accounts::Authenticated;
use super::applications::{ApplicationView, applicant_only, view};
use super::review::{CaseView, acting_agent, case_view};
use super::transitions::{Acting, Change, Transitioned, transition};
use super::{App, ProblemCode, ServiceError, ServiceResult};

/// A message as written.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct MessageInput {
    /// At most 2000 characters.
    pub text: String,
    /// Ids of files of kind `attachment` the author uploaded and checked (at most 5).
    #[schema(value_type = Vec<String>)]
    pub attachments: Vec<String>,
}

/// The applicant writes to the préfecture; the agent reviewing the case is notified.
pub async fn applicant_writes(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    input: &MessageInput,
    expected: Option<u64>,
) -> ServiceResult<ApplicationView> {
    applicant_only(auth)?;
    let done = write(app, auth, &Acting::Applicant(&auth.account), id, input, expected).await?;
    Ok(view(app, &auth.account, &done.case))
}

/// An agent writes to the applicant, who is notified.
pub async fn agent_writes(
    app: &App,
    auth: &Authenticated,
    id: ApplicationId,
    input: &MessageInput,
    expected: Option<u64>,
) -> ServiceResult<CaseView> {
    let acting = acting_agent(auth)?;
    let done = write(app, auth, &acting, id, input, expected).await?;
    case_view(app, auth, done.case).await
}

async fn write(
    app: &App,
    auth: &Authenticated,
    acting: &Acting<'_>,
    id: ApplicationId,
    input: &MessageInput,
    expected: Option<u64>,
) -> ServiceResult<Transitioned<()>> {
    let message_id = app.ports.random.id();
    let author = auth.account.id;
    let done = transition(
        app,
        acting,
        None,
        id,
        Action::SendMessage,
        expected,
        |application, case, now| {
            if application.messages.len() >= MAX_MESSAGES {
                return Err(ServiceError::Conflict(ProblemCode::TooManyMessages));
            }
            let message = Message::new(
                message_id,
                acting.actor(),
                now,
                &input.text,
                &input.attachments,
                &case.documents,
                &application.messages,
            )?;
            application.messages.push(message);
            let mut change = Change::default();
            match acting {
                Acting::Applicant(_) => {
                    change.notify_agents = application
                        .assigned_agent
                        .map(|agent| (agent, NotificationKind::MessageReceived))
                        .into_iter()
                        .collect();
                }
                _ => change.notify = Some(NotificationKind::MessageReceived),
            }
            Ok((change, ()))
        },
    )
    .await?;
    tracing::info!(
        account_id = %author,
        application_id = %id,
        attachments = input.attachments.len(),
        "message written"
    );
    Ok(done)
}
