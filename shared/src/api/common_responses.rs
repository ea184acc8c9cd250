//! The error answers every endpoint layer gives, declared once in the
//! OpenAPI document (`components.responses`) and referenced from each
//! operation that can produce them, so that generated clients and the
//! sites know every status they may receive:
//!
//! - a request body: `400 malformed_body`, `413 payload_too_large` and
//!   `415 unsupported_media_type` (the JSON extractor, `extract::ApiJson`);
//! - a write (any method but GET): `403 cross_origin` (the `guard` layer);
//! - an `If-Match` header: `400 invalid_if_match` when it cannot be read;
//! - every operation: `500 internal`.

use utoipa::Modify;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

use super::problem::PROBLEM_JSON;

/// Adds the shared answers to `components.responses` and to the operations.
pub struct CommonResponses;

const COMMON: [(&str, &str, &str); 6] = [
    (
        "MalformedBody",
        "400",
        "`malformed_body`: the body is not a JSON object of the expected shape",
    ),
    (
        "PayloadTooLarge",
        "413",
        "`payload_too_large`: the body exceeds the allowed size",
    ),
    (
        "UnsupportedMediaType",
        "415",
        "`unsupported_media_type`: the body is not declared as `application/json`",
    ),
    (
        "CrossOrigin",
        "403",
        "`cross_origin`: a write from another origin than the service's site",
    ),
    (
        "InvalidIfMatch",
        "400",
        "`invalid_if_match`: the If-Match header is not an ETag this API gave",
    ),
    (
        "Internal",
        "500",
        "`internal`: an unexpected error, logged with the request's id",
    ),
];

fn problem_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, _, description) in COMMON {
            components
                .responses
                .insert(name.to_string(), RefOr::T(problem_response(description)));
        }
        for item in openapi.paths.paths.values_mut() {
            let writes = [&mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in writes.into_iter().flatten() {
                add(operation, "CrossOrigin");
            }
            let all = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in all.into_iter().flatten() {
                let if_match = operation
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case("if-match"));
                if if_match {
                    add(operation, "InvalidIfMatch");
                }
                if operation.request_body.is_some() {
                    for name in ["MalformedBody", "PayloadTooLarge", "UnsupportedMediaType"] {
                        add(operation, name);
                    }
                }
                add(operation, "Internal");
            }
        }
    }
}

/// Reference the shared answer `name` from `operation`; where the operation
/// already documents that status (a 403 for agents, a 400 for a bad token),
/// its description names the shared code too.
fn add(operation: &mut Operation, name: &str) {
    let (_, status, description) = COMMON.iter().find(|(n, _, _)| *n == name).expect("a common response");
    match operation.responses.responses.get_mut(*status) {
        None => {
            operation
                .responses
                .responses
                .insert(status.to_string(), RefOr::Ref(Ref::from_response_name(name)));
        }
        Some(RefOr::T(existing)) => {
            let code = description.split(':').next().unwrap_or_default();
            if !existing.description.contains(code) {
                existing.description.push_str(&format!("; {description}"));
            }
        }
        Some(RefOr::Ref(_)) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::openapi_document;

    #[test]
    fn every_body_and_write_documents_the_layer_answers() {
        let doc = serde_json::to_value(openapi_document()).unwrap();
        let activate = &doc["paths"]["/api/accounts/activate"]["post"]["responses"];
        assert_eq!(activate["415"]["$ref"], "#/components/responses/UnsupportedMediaType");
        assert_eq!(activate["413"]["$ref"], "#/components/responses/PayloadTooLarge");
        assert_eq!(activate["403"]["$ref"], "#/components/responses/CrossOrigin");
        // An existing 400 keeps its own description and names the shared code.
        let confirm = &doc["paths"]["/api/auth/password-reset/confirm"]["post"]["responses"]["400"];
        assert!(confirm["description"].as_str().unwrap().contains("malformed_body"));
        // A 403 for agents says that a cross-origin write is refused too.
        let step = &doc["paths"]["/api/applications/{id}/steps/{step}"]["put"]["responses"]["403"];
        let text = step["description"].as_str().unwrap();
        assert!(text.contains("agents") && text.contains("cross_origin"), "{text}");
        // Reads have no cross-origin refusal.
        assert!(doc["paths"]["/api/me"]["get"]["responses"].get("403").is_none());
        assert!(doc["components"]["responses"]["Internal"].is_object());
        // Where If-Match is read, an unreadable one is documented.
        let text = doc["paths"]["/api/applications/{id}/steps/{step}"]["put"]["responses"]["400"]["description"]
            .as_str()
            .unwrap();
        assert!(
            text.contains("invalid_if_match") && text.contains("malformed_body"),
            "{text}"
        );
    }
}
