//! The applicant site, as the local server serves it: the static files
//! that `make site` builds (frontend/applicant/dist) at `/`, any other
//! address of the site answered with its `index.html` (the site routes in
//! the browser), and the security headers on every response, the same as
//! CloudFront adds in front of the deployed site (infra/template.yaml,
//! `SiteHeaders`; a test compares them).

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use sejour::api::ApiError;
use sejour::domain::account::Language;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// Scripts only from the site itself; the API, the documents and the
/// national address base (autocompletion, F8) are the only places the
/// pages may call. Styles may be inline (the design system sets some).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' https://api-adresse.data.gouv.fr; frame-src 'none'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";

/// The headers every response carries (pages, files and the API).
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("strict-transport-security", "max-age=63072000; includeSubDomains"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(self)"),
];

/// The site's files, with the index for every other page of the site.
/// Without a build, a page says how to make one.
pub fn router(dir: &Path) -> Router {
    let index = dir.join("index.html");
    if !index.is_file() {
        tracing::warn!(site = %dir.display(), "the applicant site is not built: run `make site`");
        return Router::new().fallback(not_built);
    }
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(false)
        .fallback(ServeFile::new(index));
    Router::new()
        .fallback(move |request: Request| {
            let files = files.clone();
            async move {
                if is_api(request.uri().path()) {
                    return api_not_found(&request);
                }
                match files.oneshot(request).await {
                    Ok(response) => response.into_response(),
                    Err(never) => match never {},
                }
            }
        })
        .layer(axum::middleware::from_fn(cache_policy))
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// An unknown API address is a problem document, never the site's index.
fn api_not_found(request: &Request) -> Response {
    let lang = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok())
        .map(Language::from_accept_language)
        .unwrap_or_default();
    ApiError::not_found().render(lang)
}

/// Hashed assets are kept forever; the index and the rest are revalidated,
/// so that a new build is seen at once. A missing file with an extension
/// (`/assets/old-1234.js`) is a 404, not the index.
async fn cache_policy(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let is_file = Path::new(&path).extension().is_some();
    let served_index = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if is_file && served_index && !path.ends_with(".html") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let policy = if path.starts_with("/assets/") && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

async fn not_built(request: Request) -> Response {
    if is_api(request.uri().path()) {
        return api_not_found(&request);
    }
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Séjour: site not built</title>\
             <h1>The applicant site is not built</h1><p>Run <code>make site</code> (or <code>make run</code>), \
             or start <code>sejour serve --site DIR</code> with a built site. The API is at <a href=\"/api/health\">/api</a>, \
             the local mode's tools at <a href=\"/local\">/local</a>.</p></html>",
        ),
    )
        .into_response()
}

/// Adds [`SECURITY_HEADERS`] to every response.
pub async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    response
}
