//! Errors as `application/problem+json` (RFC 9457), with a stable `code`
//! and, for validation, a stable code per field.
//!
//! An [`ApiError`] becomes a response in French; the endpoint layer
//! ([`super::guard`]) renders it again in the request's language, which a
//! handler's error does not know.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::account::Language;
use crate::domain::application::{ApplicationId, Reference};
use crate::domain::eligibility::{NotCoveredReason, Refusal};
use crate::domain::{FieldCode, FieldError};
use crate::service::{ProblemCode, ServiceError};

use super::messages;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A problem document.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `urn:sejour:problem:<code>`.
    #[serde(rename = "type")]
    #[schema(example = "urn:sejour:problem:validation_failed")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    /// What happened and what to do, in the request's language.
    pub detail: String,
    pub code: ProblemCode,
    /// The invalid fields (`validation_failed`), or what is still missing
    /// (`section_incomplete`, `not_ready`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// End of a login lock (`account_locked` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked_until: Option<DateTime<Utc>>,
    /// Why the case is not covered (`not_covered`), as `/api/eligibility` says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<NotCoveredReason>,
    /// When filing opens (`filing_not_open`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opens_on: Option<NaiveDate>,
    /// The application the problem is about (`open_application_exists`: the open one).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub application_id: Option<ApplicationId>,
    /// Its reference, e.g. `SEJ-2026-7F3K9Q2M`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub reference: Option<Reference>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProblemField {
    /// JSON path of the field, e.g. `address.postcode`.
    pub field: String,
    pub code: FieldCode,
    pub message: String,
}

/// An error answer, before rendering.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ProblemCode,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<i64>,
    pub locked_until: Option<DateTime<Utc>>,
    /// Why the eligibility rules refuse (`not_covered`, `filing_not_open`).
    pub refusal: Option<Refusal>,
    /// The application concerned, when the problem names one.
    pub application: Option<(ApplicationId, Reference)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ProblemCode) -> Self {
        ApiError {
            status,
            code,
            errors: Vec::new(),
            retry_after: None,
            locked_until: None,
            refusal: None,
            application: None,
        }
    }

    pub fn malformed_body() -> Self {
        Self::new(StatusCode::BAD_REQUEST, ProblemCode::MalformedBody)
    }

    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ProblemCode::Unauthenticated)
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, ProblemCode::NotFound)
    }

    pub fn problem(&self, language: Language) -> Problem {
        let (title, mut detail) = messages::problem(self.code, language, self.retry_after);
        if let Some(Refusal::NotYetOpen { opens_on }) = self.refusal {
            let date = crate::pdf::format_date(opens_on, language);
            detail.push_str(&match language {
                Language::Fr => format!(" Ouverture le {date}."),
                Language::En => format!(" It opens on {date}."),
            });
        }
        Problem {
            problem_type: format!("urn:sejour:problem:{}", self.code),
            title: title.to_string(),
            status: self.status.as_u16(),
            detail,
            code: self.code,
            errors: self
                .errors
                .iter()
                .map(|e| ProblemField {
                    field: e.field.clone(),
                    code: e.code,
                    message: messages::field(e.code, language).to_string(),
                })
                .collect(),
            locked_until: self.locked_until,
            reason: match self.refusal {
                Some(Refusal::NotCovered(reason)) => Some(reason),
                _ => None,
            },
            opens_on: match self.refusal {
                Some(Refusal::NotYetOpen { opens_on }) => Some(opens_on),
                _ => None,
            },
            application_id: self.application.as_ref().map(|(id, _)| *id),
            reference: self.application.as_ref().map(|(_, reference)| reference.clone()),
        }
    }

    /// The response in `language`.
    pub fn render(&self, language: Language) -> Response {
        let body = serde_json::to_vec(&self.problem(language)).expect("problems serialise");
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))],
            body,
        )
            .into_response();
        let headers = response.headers_mut();
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"sejour\""),
            );
        }
        response.extensions_mut().insert(self.clone());
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.render(Language::Fr)
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(invalid) => ApiError {
                errors: invalid.0,
                ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ProblemCode::ValidationFailed)
            },
            ServiceError::NotFound(_) => ApiError::not_found(),
            ServiceError::Conflict(code) => ApiError::new(StatusCode::CONFLICT, code),
            ServiceError::Unauthorized(code) => ApiError::new(StatusCode::UNAUTHORIZED, code),
            ServiceError::Forbidden(code) => ApiError::new(StatusCode::FORBIDDEN, code),
            ServiceError::Throttled { retry_after_seconds } => ApiError {
                retry_after: Some(retry_after_seconds),
                ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, ProblemCode::TooManyAttempts)
            },
            ServiceError::Locked {
                until,
                retry_after_seconds,
            } => ApiError {
                retry_after: Some(retry_after_seconds),
                locked_until: Some(until),
                ..ApiError::new(StatusCode::LOCKED, ProblemCode::AccountLocked)
            },
            ServiceError::Busy { retry_after_seconds } => ApiError {
                retry_after: Some(retry_after_seconds),
                ..ApiError::new(StatusCode::SERVICE_UNAVAILABLE, ProblemCode::Busy)
            },
            ServiceError::OpenApplicationExists { application, reference } => ApiError {
                application: Some((application, reference)),
                ..ApiError::new(StatusCode::CONFLICT, ProblemCode::OpenApplicationExists)
            },
            ServiceError::Unmet { code, errors } => ApiError {
                errors: errors.0,
                ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code)
            },
            ServiceError::NotEligible(refusal) => ApiError {
                refusal: Some(refusal),
                ..ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    match refusal {
                        Refusal::NotCovered(_) => ProblemCode::NotCovered,
                        Refusal::NotYetOpen { .. } => ProblemCode::FilingNotOpen,
                    },
                )
            },
            ServiceError::NotAllowed(refused) => ApiError::new(StatusCode::CONFLICT, refused.into()),
            ServiceError::Rejected(code) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code),
            ServiceError::TokenRejected(code) => ApiError::new(StatusCode::BAD_REQUEST, code),
            ServiceError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "internal error");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, ProblemCode::Internal)
            }
        }
    }
}

/// The result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
