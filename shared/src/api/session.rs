//! Login, logout and password reset (F2a, F3).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::config::Config;
use crate::domain::account::Language;
use crate::domain::session::ABSOLUTE_TIMEOUT;
use crate::service::App;
use crate::service::accounts::{self, LoggedIn, LoginRequest, PasswordResetConfirm, PasswordResetRequest};

use super::extract::{ApiJson, Auth, Lang, SESSION_COOKIE};
use super::problem::{ApiResult, Problem};

/// Open a session. The token comes back in the body (for `Authorization:
/// Bearer`) and as the `sejour_session` cookie (HttpOnly, SameSite=Strict).
#[utoipa::path(
    post,
    path = "/api/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = LoggedIn,
            headers(("Set-Cookie" = String, description = "`sejour_session=…; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200; Secure`"))),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`invalid_credentials`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`email_not_verified` (a new link is sent)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 423, description = "`account_locked`: wait (`Retry-After`, `locked_until`) or reset the password", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds"))),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds"))),
        (status = 503, description = "`busy`: too many passwords being checked at once", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds"))),
    )
)]
pub async fn login(State(app): State<App>, ApiJson(input): ApiJson<LoginRequest>) -> ApiResult<Response> {
    let logged_in = accounts::login(&app, &input).await?;
    let cookie = session_cookie(&app.config, &logged_in.token, ABSOLUTE_TIMEOUT.num_seconds());
    Ok(([(header::SET_COOKIE, cookie)], Json(logged_in)).into_response())
}

/// End the current session and expire the cookie.
#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "auth",
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn logout(State(app): State<App>, Auth(auth): Auth) -> ApiResult<Response> {
    accounts::logout(&app, &auth).await?;
    let cookie = session_cookie(&app.config, "", 0);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResetRequested {
    /// The same text whether or not an account uses the address.
    pub detail: &'static str,
}

/// Ask for a password reset link. The answer is the same whether or not an account uses the address.
#[utoipa::path(
    post,
    path = "/api/auth/password-reset",
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "A message was sent to the address (a link if an account uses it)", body = ResetRequested),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 423, description = "`account_locked`: too many in a row; wait (`Retry-After`, `locked_until`)", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds"))),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds"))),
    )
)]
pub async fn password_reset(
    State(app): State<App>,
    Lang(language): Lang,
    ApiJson(input): ApiJson<PasswordResetRequest>,
) -> ApiResult<(StatusCode, Json<ResetRequested>)> {
    accounts::request_password_reset(&app, &input, language).await?;
    let detail = match language {
        Language::Fr => {
            "Un message vient d'être envoyé à cette adresse : si un compte l'utilise, il contient un lien de réinitialisation valable une heure."
        }
        Language::En => {
            "A message has just been sent to this address: if an account uses it, it holds a reset link valid for one hour."
        }
    };
    Ok((StatusCode::ACCEPTED, Json(ResetRequested { detail })))
}

/// Choose a new password with the emailed link. Ends every session and lifts a login lock.
#[utoipa::path(
    post,
    path = "/api/auth/password-reset/confirm",
    tag = "auth",
    request_body = PasswordResetConfirm,
    responses(
        (status = 204, description = "Password changed; every older session ended"),
        (status = 400, description = "`invalid_token`, `expired_token`, `malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "`busy`: too many passwords being checked at once", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = i64, description = "Seconds"))),
    )
)]
pub async fn password_reset_confirm(
    State(app): State<App>,
    ApiJson(input): ApiJson<PasswordResetConfirm>,
) -> ApiResult<StatusCode> {
    accounts::confirm_password_reset(&app, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The session cookie; an empty value with `Max-Age=0` expires it.
fn session_cookie(config: &Config, token: &str, max_age: i64) -> HeaderValue {
    let secure = if config.secure_cookies { "; Secure" } else { "" };
    let cookie = format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&cookie).expect("tokens are URL-safe base64")
}
