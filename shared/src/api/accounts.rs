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
/// If the address already has an account, the answer is the same and its
/// owner is emailed instead (a way back in), so that addresses cannot be tested.
/// Limited per address and per record (`too_many_attempts`, `account_locked`).
#[utoipa::path(
    post,
    path = "/api/accounts/activate",
    tag = "accounts",
    request_body = ActivateRequest,
    responses(
        (status = 202, description = "Verification link sent (or, if the address already has an account, its owner told)", body = Activated),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`account_exists`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`, `record_not_found`, `not_covered`", body = Problem, content_type = "application/problem+json"),
        (status = 423, description = "`account_locked`: too many in a row; wait (`Retry-After`, `locked_until`)", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds"))),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds"))),
        (status = 503, description = "`busy`: too many passwords being checked at once", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds"))),
    )
)]
pub async fn activate(
    State(app): State<App>,
    Lang(language): Lang,
    ApiJson(input): ApiJson<ActivateRequest>,
) -> ApiResult<(StatusCode, Json<Activated>)> {
    let activated = accounts::activate(&app, &input, language).await?;
    Ok((StatusCode::ACCEPTED, Json(activated)))
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
