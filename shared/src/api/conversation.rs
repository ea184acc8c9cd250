//! The conversation inside the case (B4), both ways: the applicant writes
//! to the préfecture, an agent to the applicant. Files are uploaded first
//! (`kind: attachment`) and confirmed, then named in the message. The other
//! side is notified and emailed to log in; the email carries no content.
//! Messages are read in the application (`messages`, `attachments`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::service::App;
use crate::service::applications::ApplicationView;
use crate::service::conversation::{self, MessageInput};
use crate::service::review::CaseView;

use super::applications::{application_id, etag, if_match, with_etag};
use super::extract::{Agent, ApiJson, Applicant};
use super::problem::{ApiResult, Problem};

/// The applicant writes to the préfecture.
#[utoipa::path(
    post,
    path = "/api/applications/{id}/messages",
    operation_id = "messages_send",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read, optional"),
    ),
    request_body = MessageInput,
    responses(
        (status = 200, description = "Written: the application with its conversation", body = ApplicationView,
            headers(("ETag" = String, description = "`\"<version>\"`"))),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_submitted`, `case_closed`, `too_many_messages`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `text`, `attachments`, `attachments[i]` (`not_in_list`, `not_uploaded`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn applicant_writes(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<MessageInput>,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let expected = if_match(&headers)?;
    Ok(with_etag(
        conversation::applicant_writes(&app, &auth, id, &input, expected).await?,
    ))
}

/// An agent writes to the applicant.
#[utoipa::path(
    post,
    path = "/api/agent/applications/{id}/messages",
    operation_id = "agent_message",
    tag = "agent",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read, optional"),
    ),
    request_body = MessageInput,
    responses(
        (status = 200, description = "Written: the case with its conversation", body = CaseView,
            headers(("ETag" = String, description = "`\"<version>\"`"))),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (applicants)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such case in the agent's préfecture", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_submitted`, `case_closed`, `too_many_messages`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `text`, `attachments`, `attachments[i]` (`not_in_list`, `not_uploaded`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn agent_writes(
    State(app): State<App>,
    Agent(auth): Agent,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<MessageInput>,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let expected = if_match(&headers)?;
    let case = conversation::agent_writes(&app, &auth, id, &input, expected).await?;
    Ok((etag(case.application.version), Json(case)).into_response())
}
