//! The account of the session: profile (F5) and notifications (F6).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use uuid::Uuid;

use crate::domain::notification::NotificationId;
use crate::service::App;
use crate::service::accounts::{self, Profile, ProfileUpdate};
use crate::service::notifications::{self, NotificationList};

use super::extract::{ApiJson, Auth, Lang};
use super::problem::{ApiError, ApiResult, Problem};

/// The profile: civil status (read-only), contact details, unread notifications.
#[utoipa::path(
    get,
    path = "/api/me",
    tag = "me",
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, body = Profile),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_me(State(app): State<App>, Auth(auth): Auth) -> ApiResult<Json<Profile>> {
    Ok(Json(accounts::profile(&app, &auth).await?))
}

/// Change the address, phone, language or email (a new email is pending until verified).
///
/// Civil status fields are refused with `read_only`, unknown fields with
/// `unknown_field`; every invalid field is reported and nothing is saved.
#[utoipa::path(
    patch,
    path = "/api/me",
    tag = "me",
    security(("session_cookie" = []), ("bearer" = [])),
    request_body = ProfileUpdate,
    responses(
        (status = 200, description = "The updated profile", body = Profile),
        (status = 400, description = "`malformed_body`", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`email_taken`, `version_conflict`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn patch_me(
    State(app): State<App>,
    Auth(auth): Auth,
    ApiJson(input): ApiJson<ProfileUpdate>,
) -> ApiResult<Json<Profile>> {
    Ok(Json(accounts::update_profile(&app, &auth, &input).await?))
}

/// The account's notifications, newest first, titled in the request's language.
#[utoipa::path(
    get,
    path = "/api/me/notifications",
    tag = "me",
    security(("session_cookie" = []), ("bearer" = [])),
    responses(
        (status = 200, body = NotificationList),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list_notifications(
    State(app): State<App>,
    Auth(auth): Auth,
    Lang(language): Lang,
) -> ApiResult<Json<NotificationList>> {
    Ok(Json(notifications::list(&app, auth.account.id, language).await?))
}

/// Mark one of the account's notifications read.
#[utoipa::path(
    post,
    path = "/api/me/notifications/{id}/read",
    tag = "me",
    security(("session_cookie" = []), ("bearer" = [])),
    params(("id" = String, Path, format = Uuid, description = "The notification")),
    responses(
        (status = 204, description = "Marked read"),
        (status = 401, description = "`unauthenticated`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`not_found`: no such notification in this account", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn read_notification(
    State(app): State<App>,
    Auth(auth): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::not_found())?;
    notifications::mark_read(&app, auth.account.id, NotificationId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
