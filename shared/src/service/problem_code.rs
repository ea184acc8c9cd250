//! The stable codes of the API's problems. Clients key on them; the texts
//! are in `api::messages`, in French and English.

use crate::domain::application::lifecycle::{Action, NotAllowed, Status};
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
        NotSubmitted = "not_submitted",
        ReviewStarted = "review_started",
        AlreadyDecided = "already_decided",
        NoComplementRequested = "no_complement_requested",
        NotApproved = "not_approved",
        TransitionNotAllowed = "transition_not_allowed",
        ComplementIncomplete = "complement_incomplete",
        CaseClosed = "case_closed",
        TooManyMessages = "too_many_messages",
        Internal = "internal",
    }
);

impl From<NotAllowed> for ProblemCode {
    /// Why the lifecycle refuses an action, in the words a client can act on.
    fn from(refused: NotAllowed) -> Self {
        use Action::*;
        use Status::*;
        match (refused.from, refused.action) {
            (_, Submit) => ProblemCode::AlreadySubmitted,
            (Draft, _) => ProblemCode::NotSubmitted,
            (UnderReview | ComplementRequested | ComplementOverdue, Withdraw | StartReview) => {
                ProblemCode::ReviewStarted
            }
            (Approved | Refused | CardInProduction | CardReady | CardDelivered, Withdraw | StartReview) => {
                ProblemCode::AlreadyDecided
            }
            (Approved | Refused | CardInProduction | CardReady | CardDelivered, Approve | Refuse) => {
                ProblemCode::AlreadyDecided
            }
            (_, AnswerComplement | ComplementExpired | RemindComplement) => ProblemCode::NoComplementRequested,
            (Refused | CardDelivered, SendMessage) => ProblemCode::CaseClosed,
            (_, ExtendStay) => ProblemCode::AlreadyDecided,
            (_, StartCardProduction | CardIsReady | HandOverCard) => ProblemCode::NotApproved,
            _ => ProblemCode::TransitionNotAllowed,
        }
    }
}
