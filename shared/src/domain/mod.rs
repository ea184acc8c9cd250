//! The domain: types parsed once from input, rules and policies. Pure code.

pub mod account;
pub mod application;
pub mod civil_status;
mod closed_list;
pub mod contact;
pub mod eligibility;
pub mod issued_document;
pub mod notification;
pub mod password;
pub mod photo_booth;
pub mod prefecture;
pub mod reasons;
pub mod session;
pub mod state_record;
pub mod throttle;
pub mod token;
pub mod validation;

pub(crate) use closed_list::closed_list;
pub use validation::{FieldCode, FieldError, Invalid};
