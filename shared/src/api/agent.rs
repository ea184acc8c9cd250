//! The préfecture's endpoints (F15–F18): the queue, one case, starting the
//! review, asking for complements. Agents only (applicants get `403 forbidden`); a case of another
//! préfecture is `404 not_found`, exactly like one that does not exist.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::domain::Invalid;
use crate::domain::application::lifecycle::Status;
use crate::domain::validation::FieldCode;
use crate::ports::QueueCursor;
use crate::service::App;
use crate::service::complements::{self, ComplementInput};
use crate::service::decisions::{self, CardInput, DecisionInput};
use crate::service::review::{self, CaseView, DEFAULT_PAGE, MAX_PAGE, Queue, QueueRequest};

use super::applications::{application_id, etag, idempotency_key, idempotent_response, if_match};
use super::extract::{Agent, ApiJson};
use super::problem::{ApiError, ApiResult, Problem};

/// The queue's query string, read as text so that each bad value gets its code.
#[derive(Debug, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// The cases in this status (`submitted` by default; `complement_overdue`: the overdue ones).
    #[param(value_type = Option<Status>)]
    pub status: Option<String>,
    /// A reference (`SEJ-2026-7F3K9Q2M`, looked up directly) or the start of
    /// a surname (accents, case, spaces and hyphens do not matter): the
    /// matching cases in every status, instead of one status.
    #[param(min_length = 1, max_length = 100)]
    pub q: Option<String>,
    /// `next_cursor` of the previous page.
    #[param(max_length = 200)]
    pub cursor: Option<String>,
    /// Cases per page (25 by default).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
}

impl QueueQuery {
    /// From the query's pairs, read as text so that nothing is refused
    /// before each value gets its code; a repeated name counts once (first).
    fn of(pairs: Vec<(String, String)>) -> QueueQuery {
        let mut query = QueueQuery::default();
        for (name, value) in pairs {
            let slot = match name.as_str() {
                "status" => &mut query.status,
                "cursor" => &mut query.cursor,
                "q" => &mut query.q,
                "limit" => &mut query.limit,
                _ => continue,
            };
            slot.get_or_insert(value);
        }
        query
    }

    fn parse(&self) -> Result<QueueRequest, ApiError> {
        let mut invalid = Invalid::default();
        let status = match self.status.as_deref() {
            None => Some(Status::Submitted),
            Some(text) => invalid.check(
                "status",
                serde_json::from_value::<Status>(serde_json::Value::String(text.trim().to_string()))
                    .map_err(|_| FieldCode::NotInList),
            ),
        };
        let after = match self.cursor.as_deref() {
            None => None,
            Some(text) => invalid.check("cursor", QueueCursor::decode(text).ok_or(FieldCode::InvalidCursor)),
        };
        let limit = match self.limit.as_deref() {
            None => Some(DEFAULT_PAGE),
            Some(text) => invalid.check(
                "limit",
                text.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE).contains(n))
                    .ok_or(FieldCode::OutOfRange),
            ),
        };
        let search = match self.q.as_deref().map(str::trim) {
            None => None,
            Some(text) => invalid.check(
                "q",
                match text.chars().count() {
                    0 => Err(FieldCode::Required),
                    n if n > 100 => Err(FieldCode::TooLong),
                    _ if crate::domain::civil_status::search_key(text).is_empty() => Err(FieldCode::InvalidCharacters),
                    _ => Ok(text.to_string()),
                },
            ),
        };
        match (status, limit) {
            (Some(status), Some(limit)) if invalid.is_empty() => Ok(QueueRequest {
                status,
                search,
                after,
                limit,
            }),
            _ => Err(crate::service::ServiceError::Invalid(invalid).into()),
        }
    }
}

/// The préfecture's cases in one status, oldest submission first, or the
/// cases a search by reference or surname finds; with the counts per status (F16).
#[utoipa::path(
    get,
    path = "/api/agent/applications",
    operation_id = "agent_queue",
    tag = "agent",
    security(("session_cookie" = []), ("bearer" = [])),
    params(QueueQuery),
    responses(
        (status = 200, body = Queue),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (applicants)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `status`, `q`, `cursor` or `limit`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn queue(
    State(app): State<App>,
    Agent(auth): Agent,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Json<Queue>> {
    let request = QueueQuery::of(pairs).parse()?;
    Ok(Json(review::queue(&app, &auth, &request).await?))
}

/// One case of the préfecture as filed, with its state record, every file
/// and the history (F17).
#[utoipa::path(
    get,
    path = "/api/agent/applications/{id}",
    operation_id = "agent_case",
    tag = "agent",
    security(("session_cookie" = []), ("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The application")),
    responses(
        (status = 200, body = CaseView, headers(("ETag" = String, description = "`\"<version>\"`"))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (applicants)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such case in the agent's préfecture", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn case(State(app): State<App>, Agent(auth): Agent, Path(id): Path<String>) -> ApiResult<Response> {
    let id = application_id(&id)?;
    Ok(case_response(review::case(&app, &auth, id).await?))
}

/// Start the review: the case is assigned to the agent, and can no longer
/// be withdrawn by the applicant.
#[utoipa::path(
    post,
    path = "/api/agent/applications/{id}/review",
    operation_id = "agent_start_review",
    tag = "agent",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read"),
    ),
    responses(
        (status = 200, body = CaseView, headers(("ETag" = String, description = "`\"<version>\"`"))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (applicants)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_submitted`, `review_started`, `already_decided`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn start_review(
    State(app): State<App>,
    Agent(auth): Agent,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let expected = if_match(&headers)?;
    Ok(case_response(review::start_review(&app, &auth, id, expected).await?))
}

fn case_response(case: CaseView) -> Response {
    (etag(case.application.version), Json(case)).into_response()
}

/// Ask the applicant for complements (F18): documents judged unacceptable
/// (`document_id`) or missing kinds, each with its reason, and a message.
/// The applicant has 30 days (`deadline`, `deadline_date` in Paris time).
#[utoipa::path(
    post,
    path = "/api/agent/applications/{id}/complement-request",
    operation_id = "agent_complement_request",
    tag = "agent",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read"),
    ),
    request_body = ComplementInput,
    responses(
        (status = 200, body = CaseView, headers(("ETag" = String, description = "`\"<version>\"`"))),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (applicants)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`transition_not_allowed` (the review has not started), `not_submitted`, `already_decided`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `message`, `items`, `items[i].kind`, `items[i].document_id`, `items[i].reason`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn request_complements(
    State(app): State<App>,
    Agent(auth): Agent,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ComplementInput>,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let expected = if_match(&headers)?;
    Ok(case_response(
        complements::request(&app, &auth, id, &input, expected).await?,
    ))
}

/// Decide (F21), once: with the same `Idempotency-Key` a retry gets the
/// first answer; any other decision on a decided case is `already_decided`.
/// Favourable: the favourable-decision certificate is issued (PDF in the
/// applicant's language, verification code) and the applicant notified; a
/// visa holder's provisional account becomes definitive with the foreigner
/// number entered here.
#[utoipa::path(
    post,
    path = "/api/agent/applications/{id}/decision",
    operation_id = "agent_decide",
    tag = "agent",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("Idempotency-Key" = String, Header, description = "Chosen by the client, the same for every retry"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read"),
    ),
    request_body = DecisionInput,
    responses(
        (status = 200, description = "Decided (or the first answer again)", body = CaseView,
            headers(("Idempotent-Replayed" = String, description = "`true` when this is the answer of an earlier request"))),
        (status = 400, description = "`idempotency_key_required`, `malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (applicants)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_submitted`, `transition_not_allowed` (the review has not started), `already_decided`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `outcome`, `foreigner_number`; `idempotency_key_reused`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn decide(
    State(app): State<App>,
    Agent(auth): Agent,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<DecisionInput>,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let key = idempotency_key(&headers)?;
    let expected = if_match(&headers)?;
    Ok(idempotent_response(
        decisions::decide(&app, &auth, id, key, expected, &input).await?,
    ))
}

/// The card after a favourable decision (F22): `in_production`, then `ready`
/// (with the `place` and the day `from` which to collect it; the 75 € tax
/// stamp to bring is added), then `handed_over`. The applicant is notified
/// at each step.
#[utoipa::path(
    post,
    path = "/api/agent/applications/{id}/card",
    operation_id = "agent_card",
    tag = "agent",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read"),
    ),
    request_body = CardInput,
    responses(
        (status = 200, body = CaseView, headers(("ETag" = String, description = "`\"<version>\"`"))),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (applicants)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_approved` (no favourable decision, or not the next step), `not_submitted`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `step`, `place`, `from`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn card(
    State(app): State<App>,
    Agent(auth): Agent,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<CardInput>,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let expected = if_match(&headers)?;
    Ok(case_response(decisions::card(&app, &auth, id, &input, expected).await?))
}
