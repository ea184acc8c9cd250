//! Import of state records from files exported by partner systems (F28).
//!
//! The file is read as a stream: each line is parsed on its own, the good
//! ones are written in batches through [`StateRecords::put_many`] (an upsert
//! by key, so importing twice changes nothing), and every rejected line is
//! reported with its line number and each of its field errors. One bad line
//! never stops the others from being imported.
//!
//! Two formats carry the same fields (DESIGN.md, "Interfaces"): JSON lines
//! (one object per line) and CSV with a header row naming the columns.
//!
//! [`StateRecords::put_many`]: crate::ports::StateRecords::put_many

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use serde::Serialize;

use crate::domain::FieldCode;
use crate::domain::FieldError;
use crate::domain::state_record::{RawStateRecord, RecordKey, StateRecord};
use crate::service::App;

/// How many records are written per call to the store.
pub const BATCH_SIZE: usize = 1000;

/// The columns of the interchange format, in their usual order.
pub const COLUMNS: [&str; 13] = [
    "kind",
    "number",
    "document_type",
    "valid_from",
    "valid_until",
    "foreigner_number",
    "surname",
    "given_names",
    "sex",
    "birth_date",
    "birth_place",
    "birth_country",
    "nationality",
];

/// Columns a CSV header may leave out (their value is optional).
const OPTIONAL_COLUMNS: [&str; 1] = ["foreigner_number"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    Csv,
    JsonLines,
}

impl ImportFormat {
    /// The format named by a file's extension (`.csv`; `.jsonl`, `.ndjson`, `.json`).
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(ImportFormat::Csv),
            "jsonl" | "ndjson" | "json" => Some(ImportFormat::JsonLines),
            _ => None,
        }
    }

    /// Guess from the start of the content: JSON lines start with `{`.
    pub fn sniff(start: &[u8]) -> Self {
        let start = start.strip_prefix(UTF8_BOM).unwrap_or(start);
        match start.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => ImportFormat::JsonLines,
            _ => ImportFormat::Csv,
        }
    }
}

/// One line that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectedLine {
    /// 1-based line number in the file (for CSV, where the record starts).
    pub line: u64,
    pub errors: Vec<FieldError>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Records read (blank lines and the CSV header are not counted).
    pub read: u64,
    /// Records written (inserted or replaced).
    pub imported: u64,
    pub rejected: Vec<RejectedLine>,
}

impl ImportReport {
    pub fn all_good(&self) -> bool {
        self.rejected.is_empty()
    }
}

/// Why a whole import failed (as opposed to single lines being rejected).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read the file: {0}")]
    Read(#[from] std::io::Error),
    #[error("the CSV header lacks the column(s): {}", .0.join(", "))]
    MissingColumns(Vec<&'static str>),
    #[error("the CSV header cannot be read: {0}")]
    Header(String),
    #[error("the store failed after {imported} record(s) were imported: {source:#}")]
    Store {
        imported: u64,
        #[source]
        source: anyhow::Error,
    },
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Import the records of the file at `path`; the format comes from the
/// extension, else from the first character.
pub async fn import_file(app: &App, path: &Path) -> Result<ImportReport, ImportError> {
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, std::fs::File::open(path)?);
    let format = match ImportFormat::from_path(path) {
        Some(format) => format,
        None => ImportFormat::sniff(reader.fill_buf()?),
    };
    import(app, reader, format).await
}

/// Import the records read from `reader`, in `format`.
///
/// Reading is synchronous between the (async) batch writes: the source is a
/// local file or a buffer, and the store calls dominate.
pub async fn import(app: &App, mut reader: impl BufRead, format: ImportFormat) -> Result<ImportReport, ImportError> {
    if reader.fill_buf()?.starts_with(UTF8_BOM) {
        reader.consume(UTF8_BOM.len());
    }
    let mut sink = Sink::new(app);
    match format {
        ImportFormat::JsonLines => read_json_lines(reader, &mut sink).await?,
        ImportFormat::Csv => read_csv(reader, &mut sink).await?,
    }
    sink.finish().await
}

/// Collects good records into batches and the report.
struct Sink<'a> {
    app: &'a App,
    batch: Vec<StateRecord>,
    /// Position of each key in `batch`: a number repeated within one batch
    /// is written once, the later line winning, as it would across batches.
    positions: HashMap<RecordKey, usize>,
    report: ImportReport,
}

impl<'a> Sink<'a> {
    fn new(app: &'a App) -> Self {
        Sink {
            app,
            batch: Vec::with_capacity(BATCH_SIZE),
            positions: HashMap::with_capacity(BATCH_SIZE),
            report: ImportReport::default(),
        }
    }

    async fn line(&mut self, line: u64, parsed: Result<StateRecord, Vec<FieldError>>) -> Result<(), ImportError> {
        self.report.read += 1;
        match parsed {
            Ok(record) => {
                self.report.imported += 1;
                match self.positions.get(&record.key()) {
                    Some(&i) => self.batch[i] = record,
                    None => {
                        self.positions.insert(record.key(), self.batch.len());
                        self.batch.push(record);
                    }
                }
                if self.batch.len() >= BATCH_SIZE {
                    self.flush().await?;
                }
            }
            Err(errors) => self.report.rejected.push(RejectedLine { line, errors }),
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), ImportError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        if let Err(e) = self.app.ports.records.put_many(&self.batch).await {
            // Only what reached the store counts as imported.
            let pending = self.positions.len() as u64;
            return Err(ImportError::Store {
                imported: self.report.imported.saturating_sub(pending),
                source: anyhow::Error::new(e),
            });
        }
        self.batch.clear();
        self.positions.clear();
        Ok(())
    }

    async fn finish(mut self) -> Result<ImportReport, ImportError> {
        self.flush().await?;
        Ok(self.report)
    }
}

async fn read_json_lines(mut reader: impl BufRead, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut buf = Vec::with_capacity(1024);
    let mut line = 0u64;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        line += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        sink.line(line, parse_json_line(&buf)).await?;
    }
}

/// One JSON object; values may be strings, numbers or null (partner exports
/// differ), anything else is an error for that field.
fn parse_json_line(bytes: &[u8]) -> Result<StateRecord, Vec<FieldError>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec![FieldError::new("", FieldCode::InvalidUtf8)]);
    };
    let object: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(text) {
        Ok(serde_json::Value::Object(object)) => object,
        Ok(_) => return Err(vec![FieldError::new("", FieldCode::NotAnObject)]),
        Err(_) => return Err(vec![FieldError::new("", FieldCode::InvalidJson)]),
    };
    let mut errors = Vec::new();
    let raw = raw_record(|column| match object.get(column) {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            errors.push(FieldError::new(column, FieldCode::InvalidType));
            None
        }
    });
    parse_raw(raw, errors)
}

async fn read_csv(mut reader: impl BufRead, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let delimiter = csv_delimiter(reader.fill_buf()?);
    let mut lines = CsvLines {
        reader,
        line: 0,
        buf: Vec::with_capacity(1024),
    };
    let header = loop {
        match lines.next_record()? {
            None => return Err(ImportError::Header("the file is empty".into())),
            Some((_, chunk)) if is_blank(chunk) => continue,
            Some((_, chunk)) => match parse_csv_chunk(chunk, delimiter) {
                Some(Ok(header)) => break header,
                _ => return Err(ImportError::Header("not a CSV header".into())),
            },
        }
    };
    let index: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (String::from_utf8_lossy(h).trim().to_ascii_lowercase(), i))
        .collect();
    let missing: Vec<&'static str> = COLUMNS
        .into_iter()
        .filter(|c| !index.contains_key(*c) && !OPTIONAL_COLUMNS.contains(c))
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns(missing));
    }
    while let Some((line, chunk)) = lines.next_record()? {
        if is_blank(chunk) {
            continue;
        }
        let parsed = match parse_csv_chunk(chunk, delimiter) {
            Some(Ok(record)) => parse_csv_record(&record, &index, header.len()),
            _ => Err(vec![FieldError::new("", FieldCode::MalformedLine)]),
        };
        sink.line(line, parsed).await?;
    }
    Ok(())
}

/// Splits a CSV file into records by physical lines, so that each record
/// gets the number of the line it starts on (a quoted field may hold line
/// breaks: a record ends at a line end outside quotes, i.e. after an even
/// number of `"`).
struct CsvLines<R> {
    reader: R,
    /// Physical lines read so far.
    line: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> CsvLines<R> {
    /// The next record's first line number and bytes (with its line end).
    fn next_record(&mut self) -> std::io::Result<Option<(u64, &[u8])>> {
        self.buf.clear();
        let first = self.line + 1;
        let mut quotes = 0usize;
        loop {
            let start = self.buf.len();
            if self.reader.read_until(b'\n', &mut self.buf)? == 0 {
                break;
            }
            self.line += 1;
            quotes += self.buf[start..].iter().filter(|b| **b == b'"').count();
            if quotes.is_multiple_of(2) {
                break;
            }
        }
        Ok((!self.buf.is_empty()).then_some((first, self.buf.as_slice())))
    }
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// The fields of one CSV record; `None` or an error when it is not one.
fn parse_csv_chunk(chunk: &[u8], delimiter: u8) -> Option<csv::Result<csv::ByteRecord>> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(chunk.len().max(64))
        .from_reader(chunk)
        .byte_records()
        .next()
}

fn parse_csv_record(
    record: &csv::ByteRecord,
    index: &HashMap<String, usize>,
    columns: usize,
) -> Result<StateRecord, Vec<FieldError>> {
    if record.len() != columns {
        return Err(vec![FieldError::new("", FieldCode::WrongFieldCount)]);
    }
    let mut errors = Vec::new();
    let raw = raw_record(|column| {
        let field = record.get(*index.get(column)?)?;
        match std::str::from_utf8(field) {
            Ok(text) => Some(text.to_string()),
            Err(_) => {
                errors.push(FieldError::new(column, FieldCode::InvalidUtf8));
                None
            }
        }
    });
    parse_raw(raw, errors)
}

/// `;` when the header has more semicolons than commas (spreadsheet exports
/// in French locales), else `,`.
fn csv_delimiter(start: &[u8]) -> u8 {
    let header = start.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |c: u8| header.iter().filter(|b| **b == c).count();
    if count(b';') > count(b',') { b';' } else { b',' }
}

fn raw_record(mut field: impl FnMut(&'static str) -> Option<String>) -> RawStateRecord {
    let mut get = |column| field(column).unwrap_or_default();
    RawStateRecord {
        kind: get("kind"),
        number: get("number"),
        document_type: get("document_type"),
        valid_from: get("valid_from"),
        valid_until: get("valid_until"),
        foreigner_number: Some(get("foreigner_number")),
        surname: get("surname"),
        given_names: get("given_names"),
        sex: get("sex"),
        birth_date: get("birth_date"),
        birth_place: get("birth_place"),
        birth_country: get("birth_country"),
        nationality: get("nationality"),
    }
}

/// Parse the raw fields; `errors` already holds the fields that could not be read.
fn parse_raw(raw: RawStateRecord, mut errors: Vec<FieldError>) -> Result<StateRecord, Vec<FieldError>> {
    match raw.parse() {
        Ok(record) if errors.is_empty() => Ok(record),
        Ok(_) => Err(errors),
        Err(invalid) => {
            // A field that could not be read is also reported as `required`
            // by the domain: keep the more precise error only.
            for e in invalid.0 {
                if !errors.iter().any(|known| known.field == e.field) {
                    errors.push(e);
                }
            }
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension_then_content() {
        assert_eq!(
            ImportFormat::from_path(Path::new("a/records.CSV")),
            Some(ImportFormat::Csv)
        );
        assert_eq!(
            ImportFormat::from_path(Path::new("r.ndjson")),
            Some(ImportFormat::JsonLines)
        );
        assert_eq!(
            ImportFormat::from_path(Path::new("r.jsonl")),
            Some(ImportFormat::JsonLines)
        );
        assert_eq!(
            ImportFormat::from_path(Path::new("r.json")),
            Some(ImportFormat::JsonLines)
        );
        assert_eq!(ImportFormat::from_path(Path::new("export.txt")), None);
        assert_eq!(
            ImportFormat::sniff(b"\xEF\xBB\xBF  {\"kind\":1}"),
            ImportFormat::JsonLines
        );
        assert_eq!(ImportFormat::sniff(b"kind,number"), ImportFormat::Csv);
        assert_eq!(ImportFormat::sniff(b""), ImportFormat::Csv);
    }

    #[test]
    fn json_values_may_be_numbers_but_not_objects() {
        let good = br#"{"kind":"permit","number":123456789,"document_type":"permit_student","valid_from":"2025-10-01","valid_until":"2026-09-30","foreigner_number":7501234567,"surname":"Diallo","given_names":"Awa","sex":"F","birth_date":"2003-04-05","birth_place":"Dakar","birth_country":"SEN","nationality":"SEN"}"#;
        let record = parse_json_line(good).unwrap();
        assert_eq!(record.number.as_str(), "123456789");
        assert_eq!(record.foreigner_number.unwrap().as_str(), "7501234567");

        let bad = br#"{"kind":"permit","number":{"x":1},"sex":null}"#;
        let errors = parse_json_line(bad).unwrap_err();
        assert!(errors.contains(&FieldError::new("number", FieldCode::InvalidType)));
        assert!(!errors.contains(&FieldError::new("number", FieldCode::Required)));
        assert!(errors.contains(&FieldError::new("sex", FieldCode::Required)));

        assert_eq!(
            parse_json_line(b"[1,2]").unwrap_err(),
            vec![FieldError::new("", FieldCode::NotAnObject)]
        );
        assert_eq!(
            parse_json_line(b"{oops").unwrap_err(),
            vec![FieldError::new("", FieldCode::InvalidJson)]
        );
        assert_eq!(
            parse_json_line(b"\xff{}").unwrap_err(),
            vec![FieldError::new("", FieldCode::InvalidUtf8)]
        );
    }

    #[test]
    fn csv_records_are_numbered_by_the_line_they_start_on() {
        let numbered = |data: &str| {
            let mut lines = CsvLines {
                reader: data.as_bytes(),
                line: 0,
                buf: Vec::new(),
            };
            let mut out = Vec::new();
            while let Some((line, chunk)) = lines.next_record().unwrap() {
                if !is_blank(chunk) {
                    let record = parse_csv_chunk(chunk, b',').unwrap().unwrap();
                    out.push((line, String::from_utf8_lossy(&record[0]).into_owned()));
                }
            }
            out
        };
        let expected = |v: &[(u64, &str)]| v.iter().map(|(l, s)| (*l, s.to_string())).collect::<Vec<_>>();
        assert_eq!(numbered("h\na\nc\n"), expected(&[(1, "h"), (2, "a"), (3, "c")]));
        assert_eq!(
            numbered("h\r\n\r\na\r\n\r\n\r\nc"),
            expected(&[(1, "h"), (3, "a"), (6, "c")])
        );
        assert_eq!(
            numbered("h\r\n\"x\r\ny \"\"z\"\"\",b\r\n\r\nc,d\r\n"),
            expected(&[(1, "h"), (2, "x\r\ny \"z\""), (5, "c")])
        );
    }

    #[test]
    fn delimiter_follows_the_header() {
        assert_eq!(csv_delimiter(b"kind;number;document_type\npermit;1,2;x"), b';');
        assert_eq!(csv_delimiter(b"kind,number\n"), b',');
    }

    mod with_the_local_runtime {
        use std::sync::Arc;

        use super::*;
        use crate::Config;
        use crate::adapters::SystemClock;
        use crate::adapters::local::LocalRuntime;
        use crate::domain::state_record::{DocumentNumber, RecordKind};

        struct Runtime {
            runtime: LocalRuntime,
            dir: std::path::PathBuf,
        }

        impl Drop for Runtime {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.dir);
            }
        }

        async fn runtime() -> Runtime {
            let dir = std::env::temp_dir().join(format!("sejour-records-{}", uuid::Uuid::new_v4()));
            let runtime = LocalRuntime::open(&dir, Config::local("http://127.0.0.1:8080"), Arc::new(SystemClock))
                .await
                .unwrap();
            Runtime { runtime, dir }
        }

        fn line(number: &str, surname: &str) -> String {
            format!(
                r#"{{"kind":"visa","number":"{number}","document_type":"vls_ts_student","valid_from":"2026-09-01","valid_until":"2027-08-31","surname":"{surname}","given_names":"Li","sex":"F","birth_date":"2004-02-18","birth_place":"Chengdu","birth_country":"CHN","nationality":"CHN"}}"#
            )
        }

        async fn surname(app: &App, number: &str) -> Option<String> {
            let key = RecordKey {
                kind: RecordKind::Visa,
                number: DocumentNumber::parse(number).unwrap(),
            };
            app.ports
                .records
                .get(&key)
                .await
                .unwrap()
                .map(|r| r.civil_status.surname)
        }

        #[tokio::test]
        async fn good_lines_are_imported_and_bad_ones_reported_with_every_error() {
            let rt = runtime().await;
            let app = &rt.runtime.app;
            let bad = line("VV0000002", "Wang")
                .replace("2027-08-31", "2026-08-31")
                .replace("CHN\"}", "C1\"}");
            let file = format!(
                "{}\n\n   \n{bad}\n{}\n",
                line("VV0000001", "Wang"),
                line("VV0000003", "Zhang")
            );
            let report = import(app, file.as_bytes(), ImportFormat::JsonLines).await.unwrap();
            assert_eq!(report.read, 3);
            assert_eq!(report.imported, 2);
            assert_eq!(
                report.rejected,
                vec![RejectedLine {
                    line: 4,
                    errors: vec![
                        FieldError::new("nationality", FieldCode::InvalidCountry),
                        FieldError::new("valid_until", FieldCode::BeforeValidFrom),
                    ],
                }]
            );
            assert_eq!(surname(app, "VV0000001").await.as_deref(), Some("Wang"));
            assert_eq!(surname(app, "VV0000003").await.as_deref(), Some("Zhang"));
            assert_eq!(surname(app, "VV0000002").await, None);
        }

        #[tokio::test]
        async fn several_batches_and_a_repeated_number_the_last_line_winning() {
            let rt = runtime().await;
            let app = &rt.runtime.app;
            let mut file: String = (0..BATCH_SIZE * 2 + 10)
                .map(|i| line(&format!("BATCH{i:06}"), "Wang") + "\n")
                .collect();
            file.push_str(&(line("BATCH000003", "Repeated") + "\n"));
            file.push_str(&(line("BATCH000003", "Last") + "\n"));
            let report = import(app, file.as_bytes(), ImportFormat::JsonLines).await.unwrap();
            assert_eq!(report.read as usize, BATCH_SIZE * 2 + 12);
            assert_eq!(report.imported, report.read);
            assert!(report.all_good());
            assert_eq!(surname(app, "BATCH000003").await.as_deref(), Some("Last"));
            assert_eq!(surname(app, "BATCH002009").await.as_deref(), Some("Wang"));
        }

        #[tokio::test]
        async fn csv_with_semicolons_and_a_bom() {
            let rt = runtime().await;
            let app = &rt.runtime.app;
            let csv = "\u{feff}number;kind;document_type;valid_from;valid_until;surname;given_names;sex;birth_date;birth_place;birth_country;nationality\r\n\
                       VV0000009;visa;vls_ts_student;2026-09-01;2027-08-31;Wang;Li;F;2004-02-18;Chengdu, Sichuan;CHN;CHN\r\n\
                       VV0000010;visa;vls_ts_student;2026-09-01;2027-08-31;Wang;Li;?;2004-02-18;Chengdu;CHN;CHN\r\n";
            let report = import(app, csv.as_bytes(), ImportFormat::Csv).await.unwrap();
            assert_eq!(report.imported, 1);
            assert_eq!(
                report.rejected,
                vec![RejectedLine {
                    line: 3,
                    errors: vec![FieldError::new("sex", FieldCode::InvalidSex)]
                }]
            );
            assert_eq!(surname(app, "VV0000009").await.as_deref(), Some("Wang"));

            let missing = import(app, "kind,number\n".as_bytes(), ImportFormat::Csv)
                .await
                .unwrap_err();
            assert!(
                matches!(missing, ImportError::MissingColumns(ref c) if c.contains(&"document_type")),
                "{missing}"
            );
        }
    }
}
