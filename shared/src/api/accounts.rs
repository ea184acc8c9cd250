//! Activation (F2b, F2c) and email verification.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::service::App;
use crate::service::accounts::{self, ActivateRequest, Activated, TokenRequest};

use super::extract::{ApiJson, Lang};
use super::problem::{ApiResult, Problem};

/// Create an account with a residence permit or a visa found in the state's records.
///
/// Sends a verification link to the email. A visa gives a provisional account.
#[utoipa::path(
    post,
    path = "/api/accounts/activate",
    tag = "accounts",
    request_body = ActivateRequest,
    responses(
        (status = 201, description = "Account created; verification link sent", body = Activated),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`account_exists`, `email_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, `record_not_found`, `not_covered`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn activate(
    State(app): State<App>,
    Lang(language): Lang,
    ApiJson(input): ApiJson<ActivateRequest>,
) -> ApiResult<(StatusCode, Json<Activated>)> {
    let activated = accounts::activate(&app, &input, language).await?;
    Ok((StatusCode::CREATED, Json(activated)))
}

/// Follow an emailed verification link: confirms the address, or applies a pending change of address.
#[utoipa::path(
    post,
    path = "/api/accounts/verify-email",
    tag = "accounts",
    request_body = TokenRequest,
    responses(
        (status = 204, description = "Address verified"),
        (status = 400, description = "`invalid_token`, `expired_token`, `malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`email_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn verify_email(State(app): State<App>, ApiJson(input): ApiJson<TokenRequest>) -> ApiResult<StatusCode> {
    accounts::verify_email(&app, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
