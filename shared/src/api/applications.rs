//! Filing the application (F7–F13): the draft, its steps, the review, the
//! submission and its receipt. Applicants only (agents get `403
//! forbidden`); another applicant's application is `404 not_found`.
//!
//! Versions: every answer about an application carries `ETag: "<version>"`.
//! A step save must send it back as `If-Match: "<version>"` (missing:
//! `428 version_required`; stale: `409 version_conflict`). The other
//! changes (documents, review, submission) accept `If-Match` too, and
//! without it apply to the current version.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use uuid::Uuid;

use crate::domain::account::Language;
use crate::domain::application::{ApplicationId, Section};
use crate::domain::issued_document::IssuedKind;
use crate::service::App;
use crate::service::applications::{
    self, ApplicationList, ApplicationView, DocumentsStepInput, PersonalInput, ResourcesInput, StepInput,
    StudiesStepInput,
};
use crate::service::issued;
use crate::service::submission::{self, MAX_IDEMPOTENCY_KEY_LEN, SubmitRequest, Submitted};

use super::extract::{ApiJson, Applicant, Lang};
use super::problem::{ApiError, ApiResult, Problem};
use crate::service::ProblemCode;
use crate::service::timeline::Timeline;

/// The name of the header that makes a submission idempotent.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// An application id from the path; anything else is "not found".
pub(crate) fn application_id(value: &str) -> Result<ApplicationId, ApiError> {
    Uuid::parse_str(value)
        .map(ApplicationId)
        .map_err(|_| ApiError::not_found())
}

/// The version the client read, from `If-Match: "<version>"` (a weak tag or
/// a bare number are read too; `*` is no version). Unreadable: `400
/// invalid_if_match` (`428 version_required` is for a missing one).
pub(crate) fn if_match(headers: &HeaderMap) -> Result<Option<u64>, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let invalid = || ApiError::new(StatusCode::BAD_REQUEST, ProblemCode::InvalidIfMatch);
    let value = value.to_str().map_err(|_| invalid())?.trim();
    if value == "*" {
        return Ok(None);
    }
    let value = value.strip_prefix("W/").unwrap_or(value).trim_matches('"');
    value.parse::<u64>().map(Some).map_err(|_| invalid())
}

fn version_required() -> ApiError {
    ApiError::new(StatusCode::PRECONDITION_REQUIRED, ProblemCode::VersionRequired)
}

/// `ETag: "<version>"`.
pub(crate) fn etag(version: u64) -> [(header::HeaderName, HeaderValue); 1] {
    let value = HeaderValue::from_str(&format!("\"{version}\"")).expect("digits are a valid header");
    [(header::ETAG, value)]
}

pub(crate) fn with_etag(view: ApplicationView) -> Response {
    (etag(view.version), Json(view)).into_response()
}

/// Create the draft, prefilled from the state's records and the profile (F7).
#[utoipa::path(
    post,
    path = "/api/applications",
    operation_id = "applications_create",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "The draft", body = ApplicationView,
            headers(("Location" = String), ("ETag" = String, description = "`\"<version>\"`"))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden`: agents, or an account without a state record", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`open_application_exists`: `application_id` and `reference` say which", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`record_not_found`, `not_covered`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create(State(app): State<App>, Applicant(auth): Applicant) -> ApiResult<Response> {
    let view = applications::create(&app, &auth).await?;
    let location = HeaderValue::from_str(&format!("/api/applications/{}", view.id)).expect("a path is a valid header");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        etag(view.version),
        Json(view),
    )
        .into_response())
}

/// The applicant's applications, newest first.
#[utoipa::path(
    get,
    path = "/api/applications",
    operation_id = "applications_list",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, body = ApplicationList),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(State(app): State<App>, Applicant(auth): Applicant) -> ApiResult<Json<ApplicationList>> {
    Ok(Json(applications::list(&app, &auth).await?))
}

/// One application: its steps, documents, review state, what is missing and the warnings.
#[utoipa::path(
    get,
    path = "/api/applications/{id}",
    operation_id = "applications_get",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The application")),
    responses(
        (status = 200, body = ApplicationView, headers(("ETag" = String, description = "`\"<version>\"`"))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such application of this applicant", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_one(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    Ok(with_etag(applications::get(&app, &auth, id).await?))
}

/// Save one step of the draft (F8–F11): `personal`, `studies`, `resources` or `documents`.
///
/// The body replaces the step (fields left out are kept missing). Present
/// but invalid values refuse the whole save (`422`, one code per field);
/// the answer lists what is still `missing` and the `warnings` (resources
/// below the minimum). The step's review validation is withdrawn.
#[utoipa::path(
    put,
    path = "/api/applications/{id}/steps/{step}",
    operation_id = "applications_step_save",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("step" = Section, Path, description = "The step: one of the four sections"),
        ("If-Match" = String, Header, description = "`\"<version>\"` as read (ETag)"),
    ),
    request_body(content = StepBody, description = "`personal`: PersonalInput; `studies`: StudiesStepInput; `resources`: ResourcesInput; `documents`: DocumentsStepInput"),
    responses(
        (status = 200, description = "Saved", body = ApplicationView, headers(("ETag" = String))),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such application of this applicant, or no such step", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`version_conflict` (changed since read), `not_editable` (submitted)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: e.g. `not_in_list`, `invalid_postcode`, `not_mobile`, `read_only`, `ephoto_unknown`, `ephoto_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "`version_required`: no `If-Match`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn save_step(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path((id, step)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let section = Section::parse(&step).map_err(|_| ApiError::not_found())?;
    let expected = if_match(&headers)?.ok_or_else(version_required)?;
    let input = StepInput::from_json(section, body).map_err(|e| {
        tracing::info!(category = ?e.classify(), "malformed step");
        ApiError::malformed_body()
    })?;
    Ok(with_etag(
        applications::save_step(&app, &auth, id, expected, &input).await?,
    ))
}

/// Validate one section of the review (F12), if nothing is missing in it ("n/4 validated").
#[utoipa::path(
    post,
    path = "/api/applications/{id}/review/{section}",
    operation_id = "review_validate",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("section" = Section, Path, description = "The section to validate"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read, optional"),
    ),
    responses(
        (status = 200, description = "Validated", body = ApplicationView, headers(("ETag" = String))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`version_conflict`, `not_editable`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`section_incomplete`: `errors` lists what is missing (`<section>.<field>`)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn validate_section(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path((id, section)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let section = Section::parse(&section).map_err(|_| ApiError::not_found())?;
    let expected = if_match(&headers)?;
    Ok(with_etag(
        applications::validate_section(&app, &auth, id, section, expected).await?,
    ))
}

/// Submit the application (F13): idempotent by `Idempotency-Key`.
///
/// Needs the four sections validated, nothing missing, every required
/// document accepted and a valid e-photo code. Writes the receipt, the
/// history and the notification at once and emails the confirmation. A
/// retry with the same key gets the first answer (`Idempotent-Replayed: true`).
#[utoipa::path(
    post,
    path = "/api/applications/{id}/submit",
    operation_id = "applications_submit",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("Idempotency-Key" = String, Header, description = "A unique key per submission attempt (1 to 200 visible characters); retries reuse it"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read, optional"),
    ),
    request_body = SubmitRequest,
    responses(
        (status = 200, description = "Submitted (or the first answer again)", body = Submitted,
            headers(("Idempotent-Replayed" = String, description = "`true` when this is the answer of an earlier request"))),
        (status = 400, description = "`idempotency_key_required`, `malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_submitted`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`not_ready`: `errors` lists what is missing (`review.<section>` `not_validated`, `<section>.<field>`, `documents.ephoto_code` `ephoto_expired`); `idempotency_key_reused`; `validation_failed` (comment)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn submit(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SubmitRequest>,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let key = idempotency_key(&headers)?;
    let expected = if_match(&headers)?;
    Ok(idempotent_response(
        submission::submit(&app, &auth, id, key, expected, &input).await?,
    ))
}

/// Withdraw the submission to correct it, until the préfecture starts the
/// review (B3): the application is a draft again, its receipt verifies as
/// withdrawn, and it can be submitted again (with a new receipt).
#[utoipa::path(
    post,
    path = "/api/applications/{id}/withdraw",
    operation_id = "applications_withdraw",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(
        ("id" = String, Path, format = Uuid, description = "The application"),
        ("If-Match" = Option<String>, Header, description = "`\"<version>\"` as read"),
    ),
    responses(
        (status = 200, description = "The draft again", body = ApplicationView, headers(("ETag" = String, description = "`\"<version>\"`"))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_submitted`, `review_started`, `already_decided`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn withdraw(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let expected = if_match(&headers)?;
    Ok(with_etag(submission::withdraw(&app, &auth, id, expected).await?))
}

/// The submission receipt ("attestation de dépôt", PDF), at any time after submission.
#[utoipa::path(
    get,
    path = "/api/applications/{id}/receipt",
    operation_id = "applications_receipt",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The application"), PdfLanguage),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf",
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"…\"`"))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such application of this applicant, or not submitted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `language`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn receipt(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Response> {
    issued_pdf(&app, &auth, &id, IssuedKind::SubmissionReceipt, &pairs).await
}

/// `?language=fr|en`: the language of an issued PDF, the account's by default.
#[derive(Debug, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PdfLanguage {
    /// Both languages exist for every document issued, at any time.
    #[param(value_type = Option<Language>)]
    pub language: Option<String>,
}

impl PdfLanguage {
    /// From the query's pairs, read as text so that a bad value gets its code.
    pub(crate) fn parse(pairs: &[(String, String)]) -> Result<Option<Language>, ApiError> {
        match pairs.iter().find(|(name, _)| name == "language") {
            None => Ok(None),
            Some((_, value)) => Language::parse(value).map(Some).map_err(|code| {
                crate::service::ServiceError::Invalid(crate::domain::Invalid::from(crate::domain::FieldError::new(
                    "language", code,
                )))
                .into()
            }),
        }
    }
}

/// Where the case stands, what happens next and every step so far (F23, B5),
/// in the request's language (`Accept-Language`).
#[utoipa::path(
    get,
    path = "/api/applications/{id}/timeline",
    operation_id = "applications_timeline",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The application")),
    responses(
        (status = 200, body = Timeline),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn timeline(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Lang(language): Lang,
    Path(id): Path<String>,
) -> ApiResult<Json<Timeline>> {
    let id = application_id(&id)?;
    Ok(Json(
        crate::service::timeline::timeline(&app, &auth, id, language).await?,
    ))
}

/// The decision (PDF, F21), once decided: the favourable-decision
/// certificate (in `language`), or the préfecture's signed refusal.
#[utoipa::path(
    get,
    path = "/api/applications/{id}/decision",
    operation_id = "applications_decision",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The application"), PdfLanguage),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf",
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"…\"`"))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such application of this applicant, or not decided", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `language`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn decision(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Response> {
    let id = application_id(&id)?;
    let language = PdfLanguage::parse(&pairs)?;
    pdf_response(crate::service::decisions::decision_pdf(&app, &auth, id, language).await?)
}

/// The latest certificate that the review goes on beyond the permit's end
/// (PDF, B2), in `language`.
#[utoipa::path(
    get,
    path = "/api/applications/{id}/extension",
    operation_id = "applications_extension",
    tag = "applications",
    security(("session_cookie" = []), ("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The application"), PdfLanguage),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf",
            headers(("Content-Disposition" = String, description = "`attachment; filename=\"…\"`"))),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`forbidden` (agents)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such application of this applicant, or no certificate issued", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `language`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn extension(
    State(app): State<App>,
    Applicant(auth): Applicant,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Response> {
    issued_pdf(&app, &auth, &id, IssuedKind::ExtensionCertificate, &pairs).await
}

/// The latest issued document of `kind`, in the language the query asks for.
async fn issued_pdf(
    app: &App,
    auth: &crate::service::accounts::Authenticated,
    id: &str,
    kind: IssuedKind,
    query: &[(String, String)],
) -> ApiResult<Response> {
    let id = application_id(id)?;
    let language = PdfLanguage::parse(query)?;
    pdf_response(issued::download(app, auth, id, kind, language).await?)
}

/// A PDF to download under `name`.
fn pdf_response((bytes, name): (Vec<u8>, String)) -> ApiResult<Response> {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(|e| crate::service::ServiceError::Internal(e.into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// The `Idempotency-Key` of a request that must carry one (`400
/// idempotency_key_required` otherwise).
pub(crate) fn idempotency_key(headers: &HeaderMap) -> Result<&str, ApiError> {
    headers
        .get(IDEMPOTENCY_KEY)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= MAX_IDEMPOTENCY_KEY_LEN && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, ProblemCode::IdempotencyKeyRequired))
}

/// An idempotent answer, with `Idempotent-Replayed` saying whether it is the first one again.
pub(crate) fn idempotent_response(answer: submission::IdempotentAnswer) -> Response {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK);
    let replayed = HeaderValue::from_static(if answer.replayed { "true" } else { "false" });
    (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::HeaderName::from_static("idempotent-replayed"), replayed),
        ],
        answer.body,
    )
        .into_response()
}

/// The body of a step save, by step (for the OpenAPI document: the path says which).
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum StepBody {
    Personal(PersonalInput),
    Studies(StudiesStepInput),
    Resources(ResourcesInput),
    Documents(DocumentsStepInput),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_if_match() {
        let mut headers = HeaderMap::new();
        assert_eq!(if_match(&headers).unwrap(), None);
        for (value, expected) in [("\"7\"", Some(7)), ("W/\"8\"", Some(8)), ("9", Some(9)), ("*", None)] {
            headers.insert(header::IF_MATCH, HeaderValue::from_static(value));
            assert_eq!(if_match(&headers).unwrap(), expected, "{value}");
        }
        headers.insert(header::IF_MATCH, HeaderValue::from_static("\"abc\""));
        assert_eq!(if_match(&headers).unwrap_err().code, ProblemCode::InvalidIfMatch);
    }

    #[test]
    fn the_step_bodies_are_documented() {
        let doc = serde_json::to_value(super::super::openapi_document()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let step = &schemas["StepBody"];
        assert_eq!(step["oneOf"].as_array().map(Vec::len), Some(4), "{step}");
        for name in [
            "PersonalInput",
            "StudiesStepInput",
            "ResourcesInput",
            "DocumentsStepInput",
            "ApplicationView",
        ] {
            assert!(schemas[name].is_object(), "{name}");
        }
        let view = &schemas["ApplicationView"]["properties"];
        assert!(view["missing"].is_object() && view["warnings"].is_object() && view["review"].is_object());
        let put = &doc["paths"]["/api/applications/{id}/steps/{step}"]["put"];
        assert_eq!(put["operationId"], "applications_step_save");
    }
}
