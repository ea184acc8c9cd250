//! Every endpoint of the API, declared once. An endpoint is one Lambda
//! function on AWS (named here, `SEJOUR_FUNCTION` in the template) serving
//! one or more handlers; each handler's `#[utoipa::path]` gives its method,
//! path and documentation. The local server's router, the OpenAPI
//! document, the router a Lambda runs and `scripts/check-lambdas.py` (via
//! `sejour functions`) all derive from [`ENDPOINTS`].

use std::collections::BTreeMap;

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodFilter, MethodRouter};
use utoipa::openapi::path::{HttpMethod, Operation as OperationDoc};
use utoipa::openapi::{RefOr, schema::Schema};

use super::{
    accounts, agent, applications, complements, conversation, documents, me, photo_booths, public, session, verify,
};
use crate::service::App;

/// One Lambda function's handlers.
pub struct Endpoint {
    /// The function's name, e.g. `auth-login`.
    pub function: &'static str,
    /// Built on demand: routers hold handlers, which a `static` cannot.
    operations: fn() -> Vec<Operation>,
}

impl Endpoint {
    pub fn operations(&self) -> Vec<Operation> {
        (self.operations)()
    }
}

/// One handler: where it answers, its documentation and its router.
pub struct Operation {
    /// As axum and OpenAPI spell it, e.g. `/api/applications/{id}`.
    pub path: String,
    pub methods: Vec<HttpMethod>,
    doc: OperationDoc,
    schemas: Vec<(String, RefOr<Schema>)>,
    route: MethodRouter<App>,
}

impl Operation {
    /// `P` is the type `#[utoipa::path]` generates next to the handler.
    fn of<P, H, T>(handler: H) -> Operation
    where
        P: utoipa::Path + utoipa::__dev::SchemaReferences + for<'t> utoipa::__dev::Tags<'t>,
        H: Handler<T, App>,
        T: 'static,
    {
        let methods = P::methods();
        let route = methods.iter().fold(MethodRouter::new(), |route, method| {
            route.on(filter(method), handler.clone())
        });
        let mut schemas = Vec::new();
        P::schemas(&mut schemas);
        let mut doc = P::operation();
        let tags = P::tags();
        if !tags.is_empty() {
            doc.tags
                .get_or_insert_with(Vec::new)
                .extend(tags.iter().map(|t| t.to_string()));
        }
        Operation {
            path: P::path(),
            methods,
            doc,
            schemas,
            route,
        }
    }

    /// `GET`, `POST`…
    pub fn method_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.methods.iter().map(|m| match m {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
        })
    }
}

fn filter(method: &HttpMethod) -> MethodFilter {
    match method {
        HttpMethod::Get => MethodFilter::GET,
        HttpMethod::Post => MethodFilter::POST,
        HttpMethod::Put => MethodFilter::PUT,
        HttpMethod::Patch => MethodFilter::PATCH,
        HttpMethod::Delete => MethodFilter::DELETE,
        HttpMethod::Head => MethodFilter::HEAD,
        HttpMethod::Options => MethodFilter::OPTIONS,
        HttpMethod::Trace => MethodFilter::TRACE,
    }
}

/// `endpoint!("function-name" => module::handler, …)`.
macro_rules! endpoint {
    ($function:literal => $($module:ident :: $handler:ident),+ $(,)?) => {
        Endpoint {
            function: $function,
            operations: || {
                vec![$(pastey::paste!(
                    Operation::of::<$module::[<__path_ $handler>], _, _>($module::$handler)
                )),+]
            },
        }
    };
}

/// The API, in the order of the journey.
pub static ENDPOINTS: &[Endpoint] = &[
    endpoint!("health" => public::health),
    endpoint!("eligibility" => public::eligibility),
    endpoint!("accounts-activate" => accounts::activate),
    endpoint!("accounts-verify-email" => accounts::verify_email),
    endpoint!("auth-login" => session::login),
    endpoint!("auth-logout" => session::logout),
    endpoint!("auth-password-reset" => session::password_reset),
    endpoint!("auth-password-reset-confirm" => session::password_reset_confirm),
    endpoint!("me" => me::get_me, me::patch_me),
    endpoint!("notifications-list" => me::list_notifications),
    endpoint!("notifications-read" => me::read_notification),
    endpoint!("photo-booths" => photo_booths::nearest),
    endpoint!("applications-create" => applications::create),
    endpoint!("applications-list" => applications::list),
    endpoint!("applications-get" => applications::get_one),
    endpoint!("applications-step-save" => applications::save_step),
    endpoint!("documents-upload-url" => documents::upload_url),
    endpoint!("documents-confirm" => documents::confirm),
    endpoint!("documents-get" => documents::view),
    endpoint!("documents-delete" => documents::delete),
    endpoint!("review-validate" => applications::validate_section),
    endpoint!("applications-submit" => applications::submit),
    endpoint!("applications-receipt" => applications::receipt),
    endpoint!("applications-withdraw" => applications::withdraw),
    endpoint!("applications-decision" => applications::decision),
    endpoint!("applications-extension" => applications::extension),
    endpoint!("messages-send" => conversation::applicant_writes),
    endpoint!("applications-timeline" => applications::timeline),
    endpoint!("complement-answer-item" => complements::answer_item),
    endpoint!("complement-send" => complements::send),
    endpoint!("agent-queue" => agent::queue),
    endpoint!("agent-case" => agent::case),
    endpoint!("agent-start-review" => agent::start_review),
    endpoint!("agent-complement-request" => agent::request_complements),
    endpoint!("agent-upload-url" => documents::agent_upload_url),
    endpoint!("agent-document-confirm" => documents::agent_confirm),
    endpoint!("agent-document-get" => documents::agent_view),
    endpoint!("agent-message" => conversation::agent_writes),
    endpoint!("agent-decide" => agent::decide),
    endpoint!("agent-card" => agent::card),
    endpoint!("verify" => verify::verify),
    endpoint!("openapi" => public::openapi),
];

/// The router of `endpoints`: one per path, each with the shared layer
/// (so a Lambda serving one endpoint behaves as the local server does).
pub(super) fn router<'a>(app: App, endpoints: impl IntoIterator<Item = &'a Endpoint>) -> Router {
    let mut by_path: BTreeMap<String, MethodRouter<App>> = BTreeMap::new();
    for operation in endpoints.into_iter().flat_map(Endpoint::operations) {
        let route = by_path.remove(&operation.path).unwrap_or_default();
        by_path.insert(operation.path, route.merge(operation.route));
    }
    by_path.into_iter().fold(Router::new(), |router, (path, route)| {
        router.merge(super::endpoint(app.clone(), &path, route))
    })
}

/// Add every operation, and the schemas it names, to `doc`.
pub(super) fn document(doc: &mut utoipa::openapi::OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    for operation in ENDPOINTS.iter().flat_map(Endpoint::operations) {
        components.schemas.extend(operation.schemas);
        doc.paths
            .add_path_operation(&operation.path, operation.methods, operation.doc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_function_and_each_route_is_declared_once() {
        let mut functions = std::collections::HashSet::new();
        let mut routes = std::collections::HashSet::new();
        for endpoint in ENDPOINTS {
            assert!(functions.insert(endpoint.function), "{} twice", endpoint.function);
            for operation in endpoint.operations() {
                for method in operation.method_names() {
                    assert!(
                        routes.insert((method, operation.path.clone())),
                        "{method} {}",
                        operation.path
                    );
                }
            }
        }
    }

    #[test]
    fn the_services_links_are_paths_of_the_table() {
        use crate::domain::application::ApplicationId;
        use crate::domain::issued_document::{IssuedKind, VerificationCode};
        use crate::service::links::{decision_pdf, issued_pdf, verify};
        let paths: Vec<String> = ENDPOINTS
            .iter()
            .flat_map(|e| e.operations())
            .map(|o| o.path.replace("{id}", "ID").replace("{code}", "CODE"))
            .collect();
        let id = ApplicationId(uuid::Uuid::nil());
        let code = VerificationCode::from_random(0);
        for (link, expected) in [
            (
                issued_pdf(id, IssuedKind::SubmissionReceipt),
                "/api/applications/ID/receipt",
            ),
            (
                issued_pdf(id, IssuedKind::ExtensionCertificate),
                "/api/applications/ID/extension",
            ),
            (decision_pdf(id), "/api/applications/ID/decision"),
            (verify(&code), "/api/verify/CODE"),
        ] {
            let generic = link.replace(&id.to_string(), "ID").replace(code.as_str(), "CODE");
            assert_eq!(generic, expected);
            assert!(paths.contains(&generic), "{generic} is not an endpoint");
        }
    }
}
