//! The application ("demande"): its steps, as the applicant fills them.

pub mod documents;
pub mod lifecycle;
pub mod personal;
pub mod resources;
