//! `sejour import`, run as a program against a local data folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use sejour::Config;
use sejour::adapters::SystemClock;
use sejour::adapters::local::{DATABASE_FILE, LocalRuntime};
use sejour::domain::state_record::{DocumentNumber, RecordKey, RecordKind};

/// A fresh folder under the system's temporary folder, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("sejour-cli-{name}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn import(data_dir: &Path, file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sejour"))
        .args(["import", "--data-dir"])
        .arg(data_dir)
        .arg(file)
        .env_remove("SEJOUR_BACKEND")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn good(number: &str, surname: &str) -> String {
    format!(
        r#"{{"kind":"permit","number":"{number}","document_type":"permit_student","valid_from":"2025-10-01","valid_until":"2026-09-30","foreigner_number":"7501234567","surname":"{surname}","given_names":"Awa","sex":"F","birth_date":"2003-04-05","birth_place":"Dakar","birth_country":"SEN","nationality":"SEN"}}"#
    )
}

/// Rows in every table of the local database: a re-import must add none.
fn rows(data_dir: &Path) -> i64 {
    let db = rusqlite::Connection::open(data_dir.join(DATABASE_FILE)).unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .iter()
        .map(|t| {
            db.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |row| row.get::<_, i64>(0))
                .unwrap()
        })
        .sum()
}

async fn surname(data_dir: &Path, number: &str) -> Option<String> {
    let runtime = LocalRuntime::open(data_dir, Config::local("http://127.0.0.1:8080"), Arc::new(SystemClock))
        .await
        .unwrap();
    let key = RecordKey {
        kind: RecordKind::Permit,
        number: DocumentNumber::parse(number).unwrap(),
    };
    runtime
        .app
        .ports
        .records
        .get(&key)
        .await
        .unwrap()
        .map(|r| r.civil_status.surname)
}

#[tokio::test]
async fn json_lines_report_each_bad_line_and_import_the_good_ones_once() {
    let dir = TempDir::new("import-jsonl");
    let data = dir.0.join("data");
    let file = dir.0.join("records.jsonl");
    let bad_fields = good("BAD0000001", "Diallo")
        .replace(r#""sex":"F""#, r#""sex":"?""#)
        .replace("2003-04-05", "05/04/2003");
    let lines = [
        good("AB0000001", "Diallo"),
        String::new(),
        bad_fields,
        good("AB0000002", "Ndiaye"),
        "{not json".to_string(),
        good("AB0000003", "Fall"),
    ];
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();

    let first = import(&data, &file);
    let out = stdout(&first);
    assert_eq!(
        first.status.code(),
        Some(2),
        "{out}\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(out.contains("5 read, 3 imported, 2 rejected"), "{out}");
    assert!(out.contains("line 3: sex: invalid_sex"), "{out}");
    assert!(out.contains("line 3: birth_date: invalid_date"), "{out}");
    assert!(out.contains("line 5: line: invalid_json"), "{out}");
    assert!(
        !out.contains("line 1:") && !out.contains("line 4:") && !out.contains("line 6:"),
        "{out}"
    );
    let after_first = rows(&data);

    // The same file again: the same report, and not one row more.
    let second = import(&data, &file);
    assert_eq!(second.status.code(), Some(2));
    assert!(stdout(&second).contains("5 read, 3 imported, 2 rejected"));
    assert_eq!(rows(&data), after_first);

    // A corrected export replaces the record: still no new row.
    let update = dir.0.join("update.ndjson");
    std::fs::write(&update, good("AB0000002", "Ndiaye Sow") + "\n").unwrap();
    let third = import(&data, &update);
    assert_eq!(third.status.code(), Some(0), "{}", stdout(&third));
    assert!(stdout(&third).contains("1 read, 1 imported, 0 rejected"));
    assert_eq!(rows(&data), after_first);
    assert_eq!(surname(&data, "AB0000002").await.as_deref(), Some("Ndiaye Sow"));
    assert_eq!(surname(&data, "AB0000003").await.as_deref(), Some("Fall"));
    assert_eq!(surname(&data, "BAD0000001").await, None);
}

#[tokio::test]
async fn csv_lines_are_numbered_from_the_header() {
    let dir = TempDir::new("import-csv");
    let data = dir.0.join("data");
    let file = dir.0.join("export.csv");
    let csv = "\u{feff}kind,number,document_type,valid_from,valid_until,foreigner_number,surname,given_names,sex,birth_date,birth_place,birth_country,nationality\n\
visa,VV0000001,vls_ts_student,2026-09-01,2027-08-31,,Wang,Li,F,2004-02-18,Chengdu,CHN,CHN\n\
visa,VV0000002,permit_student,2026-09-01,2027-08-31,,Wang,Li,F,2004-02-18,Chengdu,CHN,CHN\n\
\n\
permit,PP0000001,permit_other,2026-01-01,2026-12-31,7500000009,\"O'Neil\",Sean,M,1990-01-01,\"Cork, Munster\",IRL,IRL\n\
permit,PP0000002,permit_other\n";
    std::fs::write(&file, csv).unwrap();

    let output = import(&data, &file);
    let out = stdout(&output);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{out}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(out.contains("4 read, 2 imported, 2 rejected"), "{out}");
    assert!(out.contains("line 3: document_type: kind_mismatch"), "{out}");
    assert!(out.contains("line 6: line: wrong_field_count"), "{out}");
    // A comma inside quotes is data ("Cork, Munster"), and a blank line is skipped.
    assert!(!out.contains("line 2:") && !out.contains("line 5:"), "{out}");
}

#[tokio::test]
async fn a_file_that_is_all_good_exits_zero_and_a_missing_one_exits_one() {
    let dir = TempDir::new("import-status");
    let data = dir.0.join("data");
    // No extension: the format is guessed from the first character.
    let file = dir.0.join("export");
    std::fs::write(&file, good("CD0000001", "Sy") + "\n" + &good("CD0000002", "Ba")).unwrap();
    let output = import(&data, &file);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("2 read, 2 imported, 0 rejected"));

    let missing = import(&data, &dir.0.join("nowhere.csv"));
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nowhere.csv"));

    let header_only = dir.0.join("wrong.csv");
    std::fs::write(&header_only, "kind,number\npermit,AB123456\n").unwrap();
    let wrong = import(&data, &header_only);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("document_type"));
}
