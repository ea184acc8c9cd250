//! Extractors: JSON bodies that fail as problems, the request's language,
//! and the authenticated session.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

use crate::domain::account::Language;
use crate::service::App;
use crate::service::accounts::{self, Authenticated};

use super::problem::ApiError;
use crate::service::ProblemCode;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "sejour_session";

/// A JSON body. Anything else than a JSON object of the expected shape is a
/// `malformed_body` problem (never axum's plain-text rejection); a body
/// that is not declared as JSON is `unsupported_media_type` (a cross-site
/// form cannot send `application/json` without a preflight).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ProblemCode::UnsupportedMediaType,
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, ProblemCode::PayloadTooLarge)
            } else {
                ApiError::malformed_body()
            }
        })?;
        // An object, always: serde would also read a struct from an array.
        if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::malformed_body());
        }
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            // The category and position only: the body may hold personal data.
            tracing::info!(category = ?e.classify(), line = e.line(), column = e.column(), "malformed body");
            ApiError::malformed_body()
        })
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mime = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// The language of the request (`Accept-Language`), French by default.
#[derive(Debug, Clone, Copy)]
pub struct Lang(pub Language);

impl Lang {
    pub fn of(headers: &HeaderMap) -> Language {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Language::from_accept_language)
            .unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang(Lang::of(&parts.headers)))
    }
}

/// A valid session: from `Authorization: Bearer <token>`, or else the
/// `sejour_session` cookie. Otherwise `401 unauthenticated`.
pub struct Auth(pub Authenticated);

impl FromRequestParts<App> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or_else(ApiError::unauthenticated)?;
        match accounts::authenticate(app, &token).await {
            Ok(auth) => Ok(Auth(auth)),
            Err(e) => Err(e.into()),
        }
    }
}

/// A valid session of an applicant: agents get `403 forbidden` before any
/// header or body of the request is read, so the answer to an agent never
/// depends on what else the request holds.
pub struct Applicant(pub Authenticated);

impl FromRequestParts<App> for Applicant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Auth(auth) = Auth::from_request_parts(parts, app).await?;
        if auth.is_agent() {
            return Err(ApiError::new(axum::http::StatusCode::FORBIDDEN, ProblemCode::Forbidden));
        }
        Ok(Applicant(auth))
    }
}

/// A valid session of an agent: applicants get `403 forbidden` before any
/// header or body of the request is read.
pub struct Agent(pub Authenticated);

impl FromRequestParts<App> for Agent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Auth(auth) = Auth::from_request_parts(parts, app).await?;
        if !auth.is_agent() {
            return Err(ApiError::new(axum::http::StatusCode::FORBIDDEN, ProblemCode::Forbidden));
        }
        Ok(Agent(auth))
    }
}

/// The session token a request carries, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string());
    bearer
        .or_else(|| {
            headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(name, _)| *name == SESSION_COOKIE)
                .map(|(_, value)| value.trim().to_string())
        })
        .filter(|token| !token.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn bearer_first_then_cookie() {
        let mut headers = HeaderMap::new();
        assert_eq!(session_token(&headers), None);
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; sejour_session=abc; b=2"));
        assert_eq!(session_token(&headers).as_deref(), Some("abc"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer xyz"));
        assert_eq!(session_token(&headers).as_deref(), Some("xyz"));
    }

    #[test]
    fn json_content_types() {
        let mut headers = HeaderMap::new();
        assert!(!is_json(&headers));
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        assert!(is_json(&headers));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!is_json(&headers));
    }
}
