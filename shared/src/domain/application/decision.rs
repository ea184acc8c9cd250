//! The préfecture's decision (F21): favourable, with a certificate the
//! service generates, or a refusal, with the préfecture's signed decision
//! uploaded by the agent and its motive.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::DocumentId;
use crate::domain::account::AccountId;
use crate::domain::closed_list;

closed_list!(
    /// What the préfecture decides.
    Outcome {
        Favourable = "favourable",
        Refused = "refused",
    }
);

/// Longest motive of a refusal, as the agent writes it for the applicant.
pub const MAX_MOTIVE: usize = 4000;

/// The decision as recorded in the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    pub outcome: Outcome,
    pub decided_at: DateTime<Utc>,
    #[schema(value_type = String, format = Uuid)]
    pub decided_by: AccountId,
    /// The refusal's motive, for the applicant.
    #[schema(required = true)]
    pub motive: Option<String>,
    /// The signed refusal decision (a PDF document of kind `refusal_decision`).
    #[schema(value_type = Option<String>, format = Uuid, required = true)]
    pub document: Option<DocumentId>,
}
