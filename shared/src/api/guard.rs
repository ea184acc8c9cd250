//! What every endpoint does around its handler: refuse cross-origin writes,
//! render problems in the request's language, forbid caching, and log the
//! outcome (ids and codes only).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::config::Config;
use crate::service::App;

use super::extract::Lang;
use super::problem::ApiError;
use crate::service::ProblemCode;

pub async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    let language = Lang::of(request.headers());
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let mut response = if is_write(&method) && is_cross_origin(&app.config, request.headers()) {
        ApiError::new(StatusCode::FORBIDDEN, ProblemCode::CrossOrigin).render(language)
    } else {
        next.run(request).await
    };
    let problem = response.extensions().get::<ApiError>().cloned();
    if let Some(problem) = &problem {
        // Handlers and extractors do not know the language: render again.
        response = problem.render(language);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
        .headers_mut()
        .insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    let status = response.status().as_u16();
    let code = problem.as_ref().map(|p| p.code.code());
    if status >= 500 {
        tracing::error!(%method, path, status, code, "request");
    } else {
        tracing::info!(%method, path, status, code, "request");
    }
    response
}

fn is_write(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE)
}

/// A write from another site: its `Origin` is not ours, or the browser says
/// it is `cross-site`. Requests without either header (API clients, curl)
/// are not browsers acting for another site.
fn is_cross_origin(config: &Config, headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or("invalid"));
    if header("origin").is_some_and(|origin| !config.allows_origin(origin)) {
        return true;
    }
    header("sec-fetch-site").is_some_and(|site| site.eq_ignore_ascii_case("cross-site"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_origin_writes() {
        let config = Config::local("http://127.0.0.1:8080");
        let mut headers = HeaderMap::new();
        assert!(!is_cross_origin(&config, &headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(!is_cross_origin(&config, &headers));
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(!is_cross_origin(&config, &headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(is_cross_origin(&config, &headers));
        headers.remove(header::ORIGIN);
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(is_cross_origin(&config, &headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(is_cross_origin(&config, &headers));
    }
}
