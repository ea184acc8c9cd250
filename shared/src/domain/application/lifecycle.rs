//! The application's lifecycle, in one place (DESIGN.md "Application lifecycle").
//! A use case asks `next` for the state an action leads to; the repository
//! then writes it conditionally on the version it read.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    UnderReview,
    ComplementRequested,
    ComplementOverdue,
    Approved,
    Refused,
    CardInProduction,
    CardReady,
    CardDelivered,
}

/// Something that moves an application on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// The applicant submits the complete draft.
    Submit,
    /// The applicant withdraws the submission to correct it (B3), before review starts.
    Withdraw,
    /// An agent opens the review.
    StartReview,
    RequestComplement,
    /// The applicant answers the complement request.
    AnswerComplement,
    /// The 30 days of a complement request ran out (scheduled job).
    ComplementExpired,
    /// 7 days before the end of a complement request, the applicant is
    /// reminded, once (scheduled job); the status stays.
    RemindComplement,
    /// The applicant or the préfecture writes in the case's conversation (B4).
    SendMessage,
    /// The certificate that the review goes on beyond the current permit's
    /// end is issued or renewed (B2, scheduled job); the status stays.
    ExtendStay,
    Approve,
    Refuse,
    StartCardProduction,
    CardIsReady,
    HandOverCard,
}

/// The action is not possible in the current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAllowed {
    pub from: Status,
    pub action: Action,
}

impl Status {
    /// Every status, in the order of the lifecycle.
    pub const ALL: [Status; 10] = [
        Status::Draft,
        Status::Submitted,
        Status::UnderReview,
        Status::ComplementRequested,
        Status::ComplementOverdue,
        Status::Approved,
        Status::Refused,
        Status::CardInProduction,
        Status::CardReady,
        Status::CardDelivered,
    ];

    /// The state `action` leads to from `self`.
    pub fn next(self, action: Action) -> Result<Status, NotAllowed> {
        use Action::*;
        use Status::*;
        let to = match (self, action) {
            (Draft, Submit) => Submitted,
            (Submitted, Withdraw) => Draft,
            (Submitted, StartReview) => UnderReview,
            (UnderReview | ComplementOverdue, RequestComplement) => ComplementRequested,
            (ComplementRequested | ComplementOverdue, AnswerComplement) => UnderReview,
            (ComplementRequested, ComplementExpired) => ComplementOverdue,
            (ComplementRequested, RemindComplement) => ComplementRequested,
            (s, SendMessage) if s != Draft && !s.is_final() => s,
            (s @ (Submitted | UnderReview | ComplementRequested | ComplementOverdue), ExtendStay) => s,
            (UnderReview | ComplementOverdue, Approve) => Approved,
            (UnderReview | ComplementOverdue, Refuse) => Refused,
            (Approved, StartCardProduction) => CardInProduction,
            (CardInProduction, CardIsReady) => CardReady,
            (CardReady, HandOverCard) => CardDelivered,
            _ => return Err(NotAllowed { from: self, action }),
        };
        Ok(to)
    }

    /// Filed and not decided yet: the préfecture is still to decide.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            Status::Submitted | Status::UnderReview | Status::ComplementRequested | Status::ComplementOverdue
        )
    }

    /// No further action is possible.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Refused | Status::CardDelivered)
    }

    /// The applicant may still change the content.
    pub fn is_editable(self) -> bool {
        self == Status::Draft
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [Action; 14] = [
        Action::Submit,
        Action::Withdraw,
        Action::StartReview,
        Action::RequestComplement,
        Action::AnswerComplement,
        Action::ComplementExpired,
        Action::RemindComplement,
        Action::SendMessage,
        Action::ExtendStay,
        Action::Approve,
        Action::Refuse,
        Action::StartCardProduction,
        Action::CardIsReady,
        Action::HandOverCard,
    ];

    #[test]
    fn the_happy_path() {
        let mut s = Status::Draft;
        for a in [
            Action::Submit,
            Action::StartReview,
            Action::RequestComplement,
            Action::AnswerComplement,
            Action::Approve,
            Action::StartCardProduction,
            Action::CardIsReady,
            Action::HandOverCard,
        ] {
            s = s.next(a).unwrap();
        }
        assert_eq!(s, Status::CardDelivered);
    }

    #[test]
    fn final_states_accept_nothing_and_every_state_is_reachable() {
        let mut reached = vec![Status::Draft];
        let mut frontier = vec![Status::Draft];
        while let Some(s) = frontier.pop() {
            for a in ACTIONS {
                if let Ok(t) = s.next(a) {
                    assert!(!s.is_final(), "{s:?} is final but accepts {a:?}");
                    if !reached.contains(&t) {
                        reached.push(t);
                        frontier.push(t);
                    }
                }
            }
        }
        for s in Status::ALL {
            assert!(reached.contains(&s), "{s:?} unreachable");
        }
    }

    #[test]
    fn review_cannot_be_skipped() {
        assert!(Status::Submitted.next(Action::Approve).is_err());
        assert!(Status::Draft.next(Action::StartReview).is_err());
        assert!(Status::UnderReview.next(Action::Withdraw).is_err());
    }

    #[test]
    fn messages_and_extensions_keep_the_status() {
        for s in Status::ALL {
            let message = s.next(Action::SendMessage);
            assert_eq!(message.is_ok(), s != Status::Draft && !s.is_final(), "{s:?}");
            assert!(message.is_err() || message == Ok(s));
            let extension = s.next(Action::ExtendStay);
            assert_eq!(extension.is_ok(), s.is_pending(), "{s:?}");
            assert!(extension.is_err() || extension == Ok(s));
        }
    }
}
