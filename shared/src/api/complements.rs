//! The applicant's answer to a request for complements (F19): each item
//! kept with a justification or replaced by a new upload (the usual signed
//! upload flow, for the kinds the request names), then "validate and send".

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::domain::{FieldCode, FieldError, Invalid};
use crate::service::App;
use crate::service::applications::ApplicationView;
use crate::service::complements::{self, ItemAnswerInput, SendInput};

use super::applications::{application_id, if_match, with_etag};
use super::extract::{ApiJson, Applicant};
use super::problem::{ApiResult, Problem};

/// Answer one item of the open request: `{"keep": {"justification": "…"}}`
/// or `{"replace": {"document_id": "…"}}` (a document of the item's kind,
/// uploaded since the request and accepted; the original stays).
#[utoipa::path(
    put,
    path = "/api/applications/{id}/complement/items/{index}",
    operation_id = "complement_answer_item",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("index" = u32, Path, maximum = 19, description = "The item, from 0"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read"),
    ),
    request_body = ItemAnswerInput,
    responses(
        (status = 200, body = ApplicationView, headers(("ETag" = String, description = "`\"<version>\"`"))),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`no_complement_requested`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `index`, `keep`, `keep.justification`, `replace.document_id` (`not_in_list`, `kind_mismatch`, `not_validated`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn answer_item(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path((id, index)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ItemAnswerInput>,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let expected = if_match(&headers)?;
    let index = index.parse::<usize>().map_err(|_| {
        crate::service::ServiceError::Invalid(Invalid::from(FieldError::new("index", FieldCode::NotInList)))
    })?;
    Ok(with_etag(
        complements::answer_item(&app, &auth, id, index, &input, expected).await?,
    ))
}

/// "Validate and send": every item answered, the case returns to review.
#[utoipa::path(
    post,
    path = "/api/applications/{id}/complement/send",
    operation_id = "complement_send",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read"),
    ),
    request_body = SendInput,
    responses(
        (status = 200, body = ApplicationView, headers(("ETag" = String, description = "`\"<version>\"`"))),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`no_complement_requested`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`complement_incomplete`: `errors` lists the items not answered; `validation_failed` (message)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn send(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SendInput>,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let expected = if_match(&headers)?;
    Ok(with_etag(complements::send(&app, &auth, id, &input, expected).await?))
}
