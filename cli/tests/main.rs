//! The `sejour` command tested as a user runs it (the binary itself, its
//! exit status and output), in one test binary: one module per command.

mod agents;
mod aws_backend;
mod import;
mod jobs;
mod serve;
mod verify_page;
