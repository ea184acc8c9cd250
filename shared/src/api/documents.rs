//! Supporting documents of an application (F11): upload URL, confirm,
//! view, delete; the same flow carries the files of the conversation (B4)
//! and, for agents, the signed refusal decision (F21). The applicant's
//! endpoints are for applicants only (another applicant's application or
//! document is `404 not_found`); the agent's two, for agents only, on their
//! préfecture's cases. `If-Match: "<version>"` is optional here.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use crate::domain::application::DocumentId;
use crate::ports::PresignedRequest;
use crate::service::App;
use crate::service::accounts::Authenticated;
use crate::service::documents::{self, DocumentChanged, UploadRequest, UploadTicket};

use super::applications::{application_id, etag, if_match};
use super::extract::{Agent, ApiJson, Applicant};
use super::problem::{ApiError, ApiResult, Problem};

/// The applicant's and the agent's upload: a signed URL for the declared file.
async fn signed_upload(
    app: &App,
    auth: &Authenticated,
    id: &str,
    headers: &HeaderMap,
    input: &UploadRequest,
) -> ApiResult<Response> {
    let id = application_id(id)?;
    let expected = if_match(headers)?;
    let ticket = documents::request_upload(app, auth, id, input, expected).await?;
    Ok((StatusCode::CREATED, etag(ticket.application_version), Json(ticket)).into_response())
}

/// The applicant's and the agent's check of what was uploaded.
async fn checked(app: &App, auth: &Authenticated, id: &str, doc: &str, headers: &HeaderMap) -> ApiResult<Response> {
    let id = application_id(id)?;
    let doc = document_id(doc)?;
    let expected = if_match(headers)?;
    let changed = documents::confirm(app, auth, id, doc, expected).await?;
    Ok((etag(changed.application_version), Json(changed)).into_response())
}

/// The applicant's and the agent's signed link to view a document.
async fn link(app: &App, auth: &Authenticated, id: &str, doc: &str) -> ApiResult<Json<PresignedRequest>> {
    let id = application_id(id)?;
    let doc = document_id(doc)?;
    Ok(Json(documents::download(app, auth, id, doc).await?))
}

fn document_id(value: &str) -> Result<DocumentId, ApiError> {
    Uuid::parse_str(value)
        .map(DocumentId)
        .map_err(|_| ApiError::not_found())
}

/// Ask where to upload a required document: a URL signed for exactly this
/// type and length, valid 10 minutes. It replaces the document of that kind.
#[utoipa::path(
    post,
    path = "/api/applications/{id}/documents",
    operation_id = "documents_upload_url",
    tag = "documents",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read, optional"),
    ),
    request_body = UploadRequest,
    responses(
        (status = 201, description = "Upload with `upload` (method, URL, headers), then confirm", body = UploadTicket,
            headers(("ETag" = String, description = "The application's new version"))),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_editable`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `kind` `not_required`/`not_in_list`, `content_type` `unsupported_type`, `size` `too_large`/`must_be_positive`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn upload_url(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<UploadRequest>,
) -> ApiResult<Response> {
    signed_upload(&app, &auth, &id, &headers, &input).await
}

/// Check what was uploaded: accepted, or rejected with a reason
/// (`too_large`, `size_mismatch`, `unsupported_content`, `type_mismatch`).
#[utoipa::path(
    post,
    path = "/api/applications/{id}/documents/{doc}/confirm",
    operation_id = "documents_confirm",
    tag = "documents",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("doc" = String, Path, format = Uuid, description = "The document"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read, optional"),
    ),
    responses(
        (status = 200, description = "Checked (see `document.status`)", body = DocumentChanged, headers(("ETag" = String))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_editable`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`not_uploaded`: nothing stored yet (no change)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn confirm(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path((id, doc)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    checked(&app, &auth, &id, &doc, &headers).await
}

/// A link to view an accepted document, valid 5 minutes.
#[utoipa::path(
    get,
    path = "/api/applications/{id}/documents/{doc}",
    operation_id = "documents_get",
    tag = "documents",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("doc" = String, Path, format = Uuid, description = "The document"),
    ),
    responses(
        (status = 200, description = "`GET` the `url` to see the file", body = PresignedRequest),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`not_uploaded`: not accepted (yet)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn view(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path((id, doc)): Path<(String, String)>,
) -> ApiResult<Json<PresignedRequest>> {
    link(&app, &auth, &id, &doc).await
}

/// Remove a document, before submission.
#[utoipa::path(
    delete,
    path = "/api/applications/{id}/documents/{doc}",
    operation_id = "documents_delete",
    tag = "documents",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("doc" = String, Path, format = Uuid, description = "The document"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read, optional"),
    ),
    responses(
        (status = 204, description = "Removed", headers(("ETag" = String, description = "The application's new version"))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_editable`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn delete(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path((id, doc)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let doc = document_id(&doc)?;
    let expected = if_match(&headers)?;
    let version = documents::delete(&app, &auth, id, doc, expected).await?;
    Ok((StatusCode::NO_CONTENT, etag(version)).into_response())
}

/// An agent asks where to upload a file: a message's `attachment`, or the
/// préfecture's signed `refusal_decision` (PDF only). Then confirm it.
#[utoipa::path(
    post,
    path = "/api/agent/applications/{id}/documents",
    operation_id = "agent_upload_url",
    tag = "agent",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read, optional"),
    ),
    request_body = UploadRequest,
    responses(
        (status = 201, description = "Upload with `upload` (method, URL, headers), then confirm", body = UploadTicket,
            headers(("ETag" = String, description = "The application's new version"))),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (applicants)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such case in the agent's préfecture", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_editable` (a closed case, or one that can no longer be refused), `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `kind` `not_required`/`not_in_list`, `content_type` `unsupported_type`, `size` `too_large`/`must_be_positive`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn agent_upload_url(
    State(app): State<App>,
    Agent(auth): Agent,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<UploadRequest>,
) -> ApiResult<Response> {
    signed_upload(&app, &auth, &id, &headers, &input).await
}

/// An agent checks what they uploaded: accepted, or rejected with a reason.
#[utoipa::path(
    post,
    path = "/api/agent/applications/{id}/documents/{doc}/confirm",
    operation_id = "agent_document_confirm",
    tag = "agent",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("doc" = String, Path, format = Uuid, description = "The document"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read, optional"),
    ),
    responses(
        (status = 200, description = "Checked", body = DocumentChanged, headers(("ETag" = String, description = "The application's new version"))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (applicants)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such case in the agent's préfecture, or no such upload of the préfecture", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_editable`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`not_uploaded`: nothing was uploaded yet", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn agent_confirm(
    State(app): State<App>,
    Agent(auth): Agent,
    Path((id, doc)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    checked(&app, &auth, &id, &doc, &headers).await
}

/// An agent's link to view an accepted document of a case of their
/// préfecture (originals and replacements alike), valid 5 minutes.
#[utoipa::path(
    get,
    path = "/api/agent/applications/{id}/documents/{doc}",
    operation_id = "agent_document_get",
    tag = "agent",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("doc" = String, Path, format = Uuid, description = "The document"),
    ),
    responses(
        (status = 200, description = "A signed GET, valid 5 minutes", body = PresignedRequest),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (applicants)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such case in the agent's préfecture, or no such document", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`not_uploaded`: not accepted", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn agent_view(
    State(app): State<App>,
    Agent(auth): Agent,
    Path((id, doc)): Path<(String, String)>,
) -> ApiResult<Json<PresignedRequest>> {
    link(&app, &auth, &id, &doc).await
}
