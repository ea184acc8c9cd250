//! The HTTP API: one axum `Router` per endpoint (one Lambda function each on
//! AWS), and [`router`] merging them all for the local server. Handlers
//! parse, call a use case, and map its answer; errors are problem+json.
//!
//! Every endpoint router carries the same [`guard`] layer (cross-origin
//! writes refused, problems rendered in the request's language,
//! `Cache-Control: no-store`), so a Lambda running one endpoint behaves
//! exactly like the local server running all of them.

pub mod accounts;
pub mod applications;
mod common_responses;
pub mod documents;
pub mod extract;
pub mod guard;
pub mod me;
pub mod messages;
pub mod photo_booths;
pub mod problem;
pub mod public;
pub mod session;
pub mod verify;

use axum::Router;
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::service::App;
use crate::service::ProblemCode;
use common_responses::CommonResponses;

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
        // Two endpoint functions (two Lambdas) per path: one router per path here.
        .merge(endpoint(
            app.clone(),
            APPLICATIONS,
            applications_create_route().merge(applications_list_route()),
        ))
        .merge(application(app.clone()))
        .merge(application_step(app.clone()))
        .merge(documents_upload_url(app.clone()))
        .merge(documents_confirm(app.clone()))
        .merge(endpoint(
            app.clone(),
            DOCUMENT,
            documents_get_route().merge(documents_delete_route()),
        ))
        .merge(review_validate(app.clone()))
        .merge(applications_submit(app.clone()))
        .merge(applications_receipt(app.clone()))
        .merge(verify(app.clone()))
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

const APPLICATIONS: &str = "/api/applications";
const DOCUMENT: &str = "/api/applications/{id}/documents/{doc}";

/// `POST /api/applications` (lambda `applications-create`): the prefilled draft (F7).
pub fn applications_create(app: App) -> Router {
    endpoint(app, APPLICATIONS, applications_create_route())
}

fn applications_create_route() -> MethodRouter<App> {
    post(applications::create)
}

/// `GET /api/applications` (lambda `applications-list`).
pub fn applications_list(app: App) -> Router {
    endpoint(app, APPLICATIONS, applications_list_route())
}

fn applications_list_route() -> MethodRouter<App> {
    get(applications::list)
}

/// `GET /api/applications/{id}` (lambda `applications-get`).
pub fn application(app: App) -> Router {
    endpoint(app, "/api/applications/{id}", get(applications::get_one))
}

/// `PUT /api/applications/{id}/steps/{step}` (lambda `applications-step-save`), F8–F11.
pub fn application_step(app: App) -> Router {
    endpoint(app, "/api/applications/{id}/steps/{step}", put(applications::save_step))
}

/// `POST /api/applications/{id}/documents` (lambda `documents-upload-url`).
pub fn documents_upload_url(app: App) -> Router {
    endpoint(app, "/api/applications/{id}/documents", post(documents::upload_url))
}

/// `POST /api/applications/{id}/documents/{doc}/confirm` (lambda `documents-confirm`).
pub fn documents_confirm(app: App) -> Router {
    endpoint(
        app,
        "/api/applications/{id}/documents/{doc}/confirm",
        post(documents::confirm),
    )
}

/// `GET /api/applications/{id}/documents/{doc}` (lambda `documents-get`): a download link.
pub fn documents_get(app: App) -> Router {
    endpoint(app, DOCUMENT, documents_get_route())
}

fn documents_get_route() -> MethodRouter<App> {
    get(documents::view)
}

/// `DELETE /api/applications/{id}/documents/{doc}` (lambda `documents-delete`).
pub fn documents_delete(app: App) -> Router {
    endpoint(app, DOCUMENT, documents_delete_route())
}

fn documents_delete_route() -> MethodRouter<App> {
    axum::routing::delete(documents::delete)
}

/// `POST /api/applications/{id}/review/{section}` (lambda `review-validate`), F12.
pub fn review_validate(app: App) -> Router {
    endpoint(
        app,
        "/api/applications/{id}/review/{section}",
        post(applications::validate_section),
    )
}

/// `POST /api/applications/{id}/submit` (lambda `applications-submit`), F13.
pub fn applications_submit(app: App) -> Router {
    endpoint(app, "/api/applications/{id}/submit", post(applications::submit))
}

/// `GET /api/applications/{id}/receipt` (lambda `applications-receipt`): the PDF.
pub fn applications_receipt(app: App) -> Router {
    endpoint(app, "/api/applications/{id}/receipt", get(applications::receipt))
}

/// `GET /api/verify/{code}` (lambda `verify`): public check of an issued document (B1).
pub fn verify(app: App) -> Router {
    endpoint(app, "/api/verify/{code}", get(verify::verify))
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
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, ProblemCode::MethodNotAllowed).into_response()
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
        applications::create,
        applications::list,
        applications::get_one,
        applications::save_step,
        documents::upload_url,
        documents::confirm,
        documents::view,
        documents::delete,
        applications::validate_section,
        applications::submit,
        applications::receipt,
        verify::verify,
        openapi_json,
    ),
    components(schemas(
        problem::ProblemField,
        crate::service::applications::PersonalInput,
        crate::service::applications::StudiesStepInput,
        crate::service::applications::ResourcesInput,
        crate::service::applications::DocumentsStepInput,
    )),
    modifiers(&SecuritySchemes, &CommonResponses),
    tags(
        (name = "public", description = "Open to everyone"),
        (name = "accounts", description = "Activation and email verification (F2)"),
        (name = "auth", description = "Login, logout, password reset (F2a, F3)"),
        (name = "me", description = "The account of the session (F5, F6)"),
        (name = "applications", description = "Filing the application: draft, steps, review, submission, receipt (F7–F13)"),
        (name = "documents", description = "Supporting documents: signed uploads and downloads (F11)"),
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

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::openapi_document;
    use crate::domain::FieldCode;
    use crate::service::ProblemCode;

    fn enum_of<'a>(doc: &'a Value, schema: &'a Value) -> Vec<&'a str> {
        let schema = match schema["$ref"].as_str() {
            Some(name) => &doc["components"]["schemas"][name.trim_start_matches("#/components/schemas/")],
            None if schema["oneOf"].is_array() => {
                let not_null = schema["oneOf"].as_array().unwrap().iter().find(|s| s["type"] != "null");
                return enum_of(doc, not_null.unwrap());
            }
            None => schema,
        };
        let values = schema["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("no enum in {schema}"));
        values.iter().map(|v| v.as_str().unwrap()).collect()
    }

    /// Generated clients and the sites take every closed list from the
    /// API description: each one is an enum there, with the codes the
    /// server parses.
    #[test]
    fn closed_lists_are_enums_in_the_api_description() {
        let doc = serde_json::to_value(openapi_document()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let property = |schema: &str, name: &str| schemas[schema]["properties"][name].clone();

        let problem_codes: Vec<&str> = ProblemCode::ALL.iter().map(|c| c.code()).collect();
        let code = property("Problem", "code");
        assert_eq!(enum_of(&doc, &code), problem_codes);
        let field_codes: Vec<&str> = FieldCode::ALL.iter().map(|c| c.code()).collect();
        for schema in ["ProblemField", "MissingField"] {
            let code = property(schema, "code");
            assert_eq!(enum_of(&doc, &code), field_codes, "{schema}");
        }

        for (schema, name, some_value) in [
            ("ActivateRequest", "kind", "visa"),
            ("ActivateRequest", "language", "en"),
            ("ProfileUpdate", "language", "fr"),
            ("EligibilityRequest", "document_type", "none"),
            ("PersonalInput", "family_situation", "civil_partnership"),
            ("StudiesStepInput", "institution_type", "iut"),
            ("StudiesStepInput", "cycle", "doctorate"),
            ("StudiesStepInput", "level", "m2"),
            ("StudiesStepInput", "discipline", "law"),
            ("ResourceLineInput", "kind", "scholarship"),
            ("UploadRequest", "kind", "passport"),
            ("UploadRequest", "content_type", "image/png"),
            ("ApplicationView", "status", "complement_requested"),
            ("DocumentView", "rejection_reason", "type_mismatch"),
        ] {
            let schema_of = property(schema, name);
            let values = enum_of(&doc, &schema_of);
            assert!(values.contains(&some_value), "{schema}.{name}: {values:?}");
        }
        let step = &doc["paths"]["/api/applications/{id}/steps/{step}"]["put"]["parameters"];
        let step = step.as_array().unwrap().iter().find(|p| p["name"] == "step").unwrap();
        assert_eq!(
            enum_of(&doc, &step["schema"]),
            ["personal", "studies", "resources", "documents"]
        );
    }
}
