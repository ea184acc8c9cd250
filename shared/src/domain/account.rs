//! Accounts ("compte ANEF"): applicants and agents.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::civil_status::CivilStatus;
use super::contact::{Address, Email, PhoneNumber};
use super::prefecture::PrefectureCode;
use super::state_record::{ForeignerNumber, RecordKey};
use crate::domain::FieldCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct AccountId(pub Uuid);

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Who the account belongs to. Agents are scoped to one préfecture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    Applicant,
    Agent { prefecture: PrefectureCode },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Fr,
    En,
}

impl Language {
    pub fn parse(value: &str) -> Result<Self, FieldCode> {
        match value.trim().to_ascii_lowercase().as_str() {
            "fr" => Ok(Language::Fr),
            "en" => Ok(Language::En),
            _ => Err(FieldCode::InvalidLanguage),
        }
    }

    /// The first supported language of an `Accept-Language` header, French by default.
    pub fn from_accept_language(header: &str) -> Self {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .map(|tag| tag.trim().to_ascii_lowercase())
            .find_map(|tag| match tag.split('-').next() {
                Some("fr") => Some(Language::Fr),
                Some("en") => Some(Language::En),
                _ => None,
            })
            .unwrap_or_default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Fr => "fr",
            Language::En => "en",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    pub role: Role,
    pub email: Email,
    pub email_verified: bool,
    /// A new address waiting for its verification link to be followed.
    pub pending_email: Option<Email>,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// The state record the account was activated with (applicants).
    pub record: Option<RecordKey>,
    /// From the state's records (applicants); read-only.
    pub civil_status: Option<CivilStatus>,
    pub foreigner_number: Option<ForeignerNumber>,
    /// Activated with a visa: provisional until the application is decided (F2c).
    pub provisional: bool,
    /// Name shown in the pages; for applicants, from the civil status.
    pub display_name: String,
    pub address: Option<Address>,
    pub phone: Option<PhoneNumber>,
    pub language: Language,
    pub created_at: DateTime<Utc>,
    /// Sessions opened before this instant are no longer valid (password reset).
    pub sessions_valid_after: DateTime<Utc>,
    /// Optimistic concurrency: each save increments it.
    pub version: u64,
}

impl Account {
    pub fn prefecture(&self) -> Option<&PrefectureCode> {
        match &self.role {
            Role::Agent { prefecture } => Some(prefecture),
            Role::Applicant => None,
        }
    }
}
