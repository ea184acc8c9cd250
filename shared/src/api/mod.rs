//! The HTTP API: one axum `Router` per endpoint (one Lambda function each on
//! AWS), and [`router`] merging them all for the local server. Handlers
//! parse, call a use case, and map its answer; errors are problem+json.
//!
//! Every endpoint router carries the same [`guard`] layer (cross-origin
//! writes refused, problems rendered in the request's language,
//! `Cache-Control: no-store`), so a Lambda running one endpoint behaves
//! exactly like the local server running all of them.

pub mod accounts;
pub mod extract;
pub mod guard;
pub mod me;
pub mod messages;
pub mod photo_booths;
pub mod problem;
pub mod public;
pub mod session;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::service::App;

pub use problem::{ApiError, Problem};

/// Every endpoint, for the local server.
pub fn router(app: App) -> Router {
    Router::new()
        .merge(health(app.clone()))
        .merge(eligibility(app.clone()))
        .merge(activate(app.clone()))
        .merge(verify_email(app.clone()))
        .merge(login(app.clone()))
        .merge(logout(app.clone()))
        .merge(password_reset(app.clone()))
        .merge(password_reset_confirm(app.clone()))
        .merge(me(app.clone()))
        .merge(notifications(app.clone()))
        .merge(notification_read(app.clone()))
        .merge(photo_booths(app.clone()))
        .merge(openapi(app))
}

/// `GET /api/health` (lambda `health`).
pub fn health(app: App) -> Router {
    endpoint(app, "/api/health", get(public::health))
}

/// `POST /api/eligibility` (lambda `eligibility`).
pub fn eligibility(app: App) -> Router {
    endpoint(app, "/api/eligibility", post(public::eligibility))
}

/// `POST /api/accounts/activate` (lambda `accounts-activate`).
pub fn activate(app: App) -> Router {
    endpoint(app, "/api/accounts/activate", post(accounts::activate))
}

/// `POST /api/accounts/verify-email` (lambda `accounts-verify-email`).
pub fn verify_email(app: App) -> Router {
    endpoint(app, "/api/accounts/verify-email", post(accounts::verify_email))
}

/// `POST /api/auth/login` (lambda `auth-login`).
pub fn login(app: App) -> Router {
    endpoint(app, "/api/auth/login", post(session::login))
}

/// `POST /api/auth/logout` (lambda `auth-logout`).
pub fn logout(app: App) -> Router {
    endpoint(app, "/api/auth/logout", post(session::logout))
}

/// `POST /api/auth/password-reset` (lambda `auth-password-reset`).
pub fn password_reset(app: App) -> Router {
    endpoint(app, "/api/auth/password-reset", post(session::password_reset))
}

/// `POST /api/auth/password-reset/confirm` (lambda `auth-password-reset-confirm`).
pub fn password_reset_confirm(app: App) -> Router {
    endpoint(
        app,
        "/api/auth/password-reset/confirm",
        post(session::password_reset_confirm),
    )
}

/// `GET|PATCH /api/me` (lambda `me`).
pub fn me(app: App) -> Router {
    endpoint(app, "/api/me", get(me::get_me).patch(me::patch_me))
}

/// `GET /api/me/notifications` (lambda `notifications-list`).
pub fn notifications(app: App) -> Router {
    endpoint(app, "/api/me/notifications", get(me::list_notifications))
}

/// `POST /api/me/notifications/{id}/read` (lambda `notifications-read`).
pub fn notification_read(app: App) -> Router {
    endpoint(app, "/api/me/notifications/{id}/read", post(me::read_notification))
}

/// `GET /api/photo-booths` (lambda `photo-booths`): the nearest approved photo booths.
pub fn photo_booths(app: App) -> Router {
    endpoint(app, "/api/photo-booths", get(photo_booths::nearest))
}

/// `GET /api/openapi.json` (lambda `openapi`): the document generated from the code.
pub fn openapi(app: App) -> Router {
    endpoint(app, "/api/openapi.json", get(openapi_json))
}

/// One endpoint's router, with the layer every endpoint shares.
fn endpoint(app: App, path: &str, route: MethodRouter<App>) -> Router {
    Router::new()
        .route(path, route.fallback(method_not_allowed))
        .with_state(app.clone())
        .layer(from_fn_with_state(app, guard::guard))
}

async fn method_not_allowed() -> Response {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").into_response()
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "public",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json"))
)]
async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(openapi_document())
}

/// The OpenAPI 3.1 document of the API (the sites generate their types from it).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Séjour API",
        description = "Online residence-permit service for foreign students. Errors are `application/problem+json` (RFC 9457) with a stable `code`, and for validation `errors: [{field, code, message}]`.",
        license(name = "EUPL-1.2")
    ),
    paths(
        public::health,
        public::eligibility,
        accounts::activate,
        accounts::verify_email,
        session::login,
        session::logout,
        session::password_reset,
        session::password_reset_confirm,
        me::get_me,
        me::patch_me,
        me::list_notifications,
        me::read_notification,
        photo_booths::nearest,
        openapi_json,
    ),
    components(schemas(problem::ProblemField)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "public", description = "Open to everyone"),
        (name = "accounts", description = "Activation and email verification (F2)"),
        (name = "auth", description = "Login, logout, password reset (F2a, F3)"),
        (name = "me", description = "The account of the session (F5, F6)"),
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(extract::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
