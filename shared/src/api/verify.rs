//! `GET /api/verify/{code}`: is an issued document authentic (B1)? Open to
//! everyone: a landlord, an employer or a bank types the short code printed
//! on the PDF (or scans its QR code).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use crate::domain::issued_document::VerificationCode;
use crate::service::App;
use crate::service::issued::{self, Verification};

use super::problem::{ApiError, ApiResult, Problem};
use crate::service::ProblemCode;

/// Whether a document with this verification code was issued, and what it says.
#[utoipa::path(
    get,
    path = "/api/verify/{code}",
    operation_id = "verify",
    tag = "public",
    params(("code" = String, Path, max_length = 40, description = "The code as printed, e.g. `7F3K-9Q2M-X4B8` (case, dashes and spaces do not matter)")),
    responses(
        (status = 200, description = "Authentic", body = Verification),
        (status = 400, description = "`invalid_code`: not a code", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`unknown_code`: no document was issued with this code", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn verify(State(app): State<App>, Path(code): Path<String>) -> ApiResult<Json<Verification>> {
    let code =
        VerificationCode::parse(&code).map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, ProblemCode::InvalidCode))?;
    issued::verify(&app, &code)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, ProblemCode::UnknownCode))
}
