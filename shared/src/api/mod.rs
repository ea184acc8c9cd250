//! The HTTP API: the endpoints (one Lambda function each on AWS), declared
//! once in [`endpoints`], and [`router`] merging them all for the local server. Handlers
//! parse, call a use case, and map its answer; errors are problem+json.
//!
//! Every endpoint router carries the same [`guard`] layer (cross-origin
//! writes refused, problems rendered in the request's language,
//! `Cache-Control: no-store`), so a Lambda running one endpoint behaves
//! exactly like the local server running all of them.

pub mod accounts;
pub mod agent;
pub mod applications;
mod common_responses;
pub mod complements;
pub mod conversation;
pub mod documents;
pub mod endpoints;
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
use axum::routing::MethodRouter;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::service::App;
use crate::service::ProblemCode;
use common_responses::CommonResponses;

pub use endpoints::{ENDPOINTS, Endpoint};
pub use problem::{ApiError, Problem};

/// Every endpoint, for the local server.
pub fn router(app: App) -> Router {
    endpoints::router(app, ENDPOINTS)
}

/// The endpoints of one Lambda function (`SEJOUR_FUNCTION`), if it serves HTTP.
pub fn function_router(function: &str, app: App) -> Option<Router> {
    let selected: Vec<&Endpoint> = ENDPOINTS.iter().filter(|e| e.function == function).collect();
    (!selected.is_empty()).then(|| endpoints::router(app, selected))
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

/// The OpenAPI 3.1 document of the API (the sites generate their types from it).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    endpoints::document(&mut doc);
    SecuritySchemes.modify(&mut doc);
    CommonResponses.modify(&mut doc);
    doc
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Séjour API",
        description = "Online residence-permit service for foreign students. Errors are `application/problem+json` (RFC 9457) with a stable `code`, and for validation `errors: [{field, code, message}]`.",
        license(name = "EUPL-1.2")
    ),
    components(schemas(
        problem::ProblemField,
        crate::service::applications::PersonalInput,
        crate::service::applications::StudiesStepInput,
        crate::service::applications::ResourcesInput,
        crate::service::applications::DocumentsStepInput,
    )),
    tags(
        (name = "public", description = "Open to everyone"),
        (name = "accounts", description = "Activation and email verification (F2)"),
        (name = "auth", description = "Login, logout, password reset (F2a, F3)"),
        (name = "me", description = "The account of the session (F5, F6)"),
        (name = "applications", description = "Filing the application: draft, steps, review, submission, receipt (F7–F13)"),
        (name = "documents", description = "Supporting documents: signed uploads and downloads (F11)"),
        (name = "agent", description = "The préfecture's side: queue, case, review (F15–F17)"),
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
