//! The cross-crate tests, compiled as this crate's unit tests: one test
//! binary (each binary would link the whole service and the AWS SDK again).
//! API journeys through the real router, the adapter contract suite on both
//! runtimes, storage and PDF checks, one module each.
#![cfg(test)]

mod support;

mod api_accounts;
mod api_applications;
mod api_applications_access;
mod api_photo_booths;
mod api_public;
mod api_security;
mod api_validation;
mod contract;
mod conversation;
mod deadlines;
mod decisions;
mod journey;
mod pdf_receipt;
mod review;
mod storage_calls;
mod storage_local;
