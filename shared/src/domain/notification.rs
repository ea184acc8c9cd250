//! Notifications (F6): every event that concerns an applicant is kept in the
//! account and announced by an email that carries no personal data beyond the name.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::account::AccountId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct NotificationId(pub Uuid);

/// What happened. The sites and emails turn the kind into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    AccountActivated,
    EmailChanged,
    PasswordChanged,
    /// The application was submitted; its receipt is in the account (F13).
    ApplicationSubmitted,
    /// The submission was withdrawn to be corrected (B3).
    ApplicationWithdrawn,
    /// The préfecture asks for complements, to send within 30 days (F18).
    ComplementRequested,
    /// The complements were sent to the préfecture (F19).
    ComplementSent,
    /// 7 days are left to send the complements (F20).
    ComplementReminder,
    /// The 30 days passed without an answer (F20).
    ComplementOverdue,
    /// The préfecture decided; the decision is in the account (F21).
    DecisionMade,
    /// The card is being produced (F22).
    CardInProduction,
    /// The card can be collected: where, from when, the tax stamp (F22).
    CardReady,
    /// The card was handed over (F22).
    CardHandedOver,
    /// A new message in the case's conversation (B4), to either side.
    MessageReceived,
    /// An extension certificate was issued or renewed (B2).
    ExtensionIssued,
    /// To the préfecture's agents: a case passed the 30 days to answer (F20).
    CaseOverdue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: NotificationId,
    #[schema(value_type = String)]
    pub account_id: AccountId,
    pub kind: NotificationKind,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl Notification {
    pub fn new(id: NotificationId, account_id: AccountId, kind: NotificationKind, now: DateTime<Utc>) -> Self {
        Notification {
            id,
            account_id,
            kind,
            created_at: now,
            read_at: None,
        }
    }
}
