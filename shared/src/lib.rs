//! Séjour core: everything the service does, independent of where it runs.
//!
//! - [`domain`]: pure types, validation and rules (no I/O, no async);
//! - [`ports`]: the traits the use cases need from the outside world;
//! - [`service`]: the use cases, each a function over the ports;
//! - [`adapters`]: the ports implemented twice, `local` (SQLite, files,
//!   in-process queue) and `aws` (DynamoDB, SQS, SES);
//! - [`api`]: the HTTP API (axum routers, one per endpoint);
//! - [`mail`]: the emails, in French and English;
//! - [`pdf`]: the PDFs the service issues (the submission receipt).

pub mod adapters;
pub mod api;
pub mod config;
pub mod deployment;
pub mod domain;
pub mod mail;
pub mod pdf;
pub mod ports;
pub mod service;

pub use config::Config;
pub use service::App;
