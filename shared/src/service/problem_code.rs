//! The stable codes of the API's problems. Clients key on them; the texts
//! are in `api::messages`, in French and English.

use crate::domain::closed_list;

closed_list!(
    /// Stable problem code, e.g. `validation_failed`, `invalid_credentials`.
    ProblemCode {
        ValidationFailed = "validation_failed",
        MalformedBody = "malformed_body",
        UnsupportedMediaType = "unsupported_media_type",
        PayloadTooLarge = "payload_too_large",
        RequestTimeout = "request_timeout",
        InvalidIfMatch = "invalid_if_match",
        RecordNotFound = "record_not_found",
        NotCovered = "not_covered",
        FilingNotOpen = "filing_not_open",
        AccountExists = "account_exists",
        EmailTaken = "email_taken",
        VersionConflict = "version_conflict",
        InvalidToken = "invalid_token",
        ExpiredToken = "expired_token",
        InvalidCredentials = "invalid_credentials",
        Unauthenticated = "unauthenticated",
        EmailNotVerified = "email_not_verified",
        Forbidden = "forbidden",
        CrossOrigin = "cross_origin",
        TooManyAttempts = "too_many_attempts",
        AccountLocked = "account_locked",
        Busy = "busy",
        OpenApplicationExists = "open_application_exists",
        NotEditable = "not_editable",
        VersionRequired = "version_required",
        SectionIncomplete = "section_incomplete",
        NotReady = "not_ready",
        AlreadySubmitted = "already_submitted",
        IdempotencyKeyRequired = "idempotency_key_required",
        IdempotencyKeyReused = "idempotency_key_reused",
        NotUploaded = "not_uploaded",
        InvalidCode = "invalid_code",
        UnknownCode = "unknown_code",
        NotFound = "not_found",
        MethodNotAllowed = "method_not_allowed",
        Internal = "internal",
    }
);
