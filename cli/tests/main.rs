//! The `sejour` command tested as a user runs it (the binary itself, its
//! exit status and output), in one test binary: one module per command.

mod agents;
mod aws_backend;
mod import;
mod serve;

/// `sejour jobs deadlines`, run as a program against a local data folder
/// (the steps themselves are tested on both runtimes in sejour-tests).
mod jobs {
    use std::process::{Command, Output};

    fn deadlines(data_dir: &std::path::Path, at: Option<&str>) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sejour"));
        command
            .args(["jobs", "deadlines", "--data-dir"])
            .arg(data_dir)
            .env_remove("SEJOUR_BACKEND");
        if let Some(at) = at {
            command.args(["--at", at]);
        }
        command.output().unwrap()
    }

    #[test]
    fn the_deadlines_job_reports_what_it_did_and_refuses_a_bad_instant() {
        let dir = std::env::temp_dir().join(format!("sejour-cli-jobs-{}", uuid::Uuid::new_v4()));
        let output = deadlines(&dir, Some("2026-12-01T06:00:00Z"));
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(
            report,
            serde_json::json!({"due": 0, "reminded": 0, "expired": 0, "extended": 0, "skipped": 0})
        );

        let output = deadlines(&dir, Some("tomorrow"));
        assert_eq!(output.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&output.stderr).contains("RFC 3339"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
