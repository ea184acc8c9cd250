//! Endpoints open to everyone: health and eligibility (F1).

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::service::App;
use crate::service::eligibility::{self, EligibilityAnswer, EligibilityRequest};

use super::extract::ApiJson;
use super::problem::{ApiResult, Problem};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
    #[schema(example = "0.1.0")]
    pub version: &'static str,
}

/// Whether the service answers.
#[utoipa::path(get, path = "/api/health", tag = "public", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// May this person apply online, from when to when, and which préfecture is theirs (F1).
#[utoipa::path(
    post,
    path = "/api/eligibility",
    tag = "public",
    request_body = EligibilityRequest,
    responses(
        (status = 200, description = "Covered or not, and why", body = EligibilityAnswer),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn eligibility(
    State(app): State<App>,
    ApiJson(input): ApiJson<EligibilityRequest>,
) -> ApiResult<Json<EligibilityAnswer>> {
    Ok(Json(eligibility::check(&app, &input).await?))
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "public",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json"))
)]
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(super::openapi_document())
}
