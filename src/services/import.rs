//! CSV imports (`rungs import employees|certifications|reviews FILE.csv`):
//! what the three share. A file is read whole, every row is checked, and
//! only a file without a single problem is written, in one transaction.
//! Problems carry the line, the column and the reason.
//!
//! Reading accepts a UTF-8 byte-order mark, CRLF or LF line ends, quoted
//! fields (with commas, quotes and line breaks inside) and blank lines
//! anywhere (they are skipped). Columns are found by their header name, in
//! any order; optional columns may be left out or left empty.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::db::facts::parse_ymd;
use crate::error::AppResult;
use crate::services::validate;

pub use crate::services::import_employees::import_employees;
pub use crate::services::import_records::{import_certifications, import_reviews};

/// One thing wrong with a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    pub column: String,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.reason
        )
    }
}

/// How to import.
#[derive(Clone, Default)]
pub struct ImportOptions {
    /// Check only; write nothing.
    pub dry_run: bool,
    /// Where the rows came from (recorded in the audit event).
    pub source: String,
    /// Where to report how far the import has got (none: nowhere). The
    /// caller decides what to show; the service does no terminal I/O.
    pub progress: Option<Arc<dyn ProgressReport>>,
}

impl fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportOptions")
            .field("dry_run", &self.dry_run)
            .field("source", &self.source)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// Receives an import's progress (the command line draws a bar on standard
/// error).
pub trait ProgressReport: Send + Sync {
    /// The import has `total` units of work ahead; called before any `show`.
    fn start(&self, total: usize);
    /// `done` of the `total` units are done, at stage `what`.
    fn show(&self, what: &str, done: usize);
    /// The import has stopped reporting.
    fn finish(&self);
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub dry_run: bool,
}

impl ImportSummary {
    /// The details of an import's audit event.
    pub fn audit_details(&self, source: &str) -> serde_json::Value {
        serde_json::json!({
            "source": source,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        })
    }
}

/// Either everything was imported (or would be), or nothing was and here is
/// every problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported(ImportSummary),
    Rejected(Vec<Problem>),
}

/// A data row: its line and its values in the order of the expected columns
/// ("" for a column the file leaves out).
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    values: Vec<String>,
}

impl Row {
    /// The trimmed value of expected column `index`.
    pub fn get(&self, index: usize) -> &str {
        self.values.get(index).map(|v| v.trim()).unwrap_or_default()
    }
}

/// Reads a CSV file whose header must name every column of `required` and
/// may name those of `optional`. Returns the data rows, or every problem of
/// the header and of the rows' shape.
pub fn read_rows(
    bytes: &[u8],
    required: &[&str],
    optional: &[&str],
) -> Result<Vec<Row>, Vec<Problem>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let expected: Vec<&str> = required.iter().chain(optional).copied().collect();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut table = Table {
        required,
        expected: &expected,
        lines: LineCounter {
            bytes,
            offset: 0,
            line: 1,
        },
        header: None,
        width: 0,
        rows: Vec::new(),
        problems: Vec::new(),
    };
    let mut record = csv::ByteRecord::new();
    loop {
        let line = table.lines.line_at(reader.position().byte());
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => table.add(line, &record),
            Err(err) => table.unreadable(line, &err),
        }
    }
    table.finish()
}

/// A file as it is read: the header, then the data rows, and the problems.
struct Table<'a> {
    required: &'a [&'a str],
    expected: &'a [&'a str],
    lines: LineCounter<'a>,
    /// For each column of the file, the expected column it is (once read).
    header: Option<Vec<Option<usize>>>,
    /// The number of fields of the header.
    width: usize,
    rows: Vec<Row>,
    problems: Vec<Problem>,
}

impl Table<'_> {
    /// A record the CSV reader could not read (`line`: where it started).
    fn unreadable(&mut self, line: u64, err: &csv::Error) {
        let line = err
            .position()
            .map(|p| self.lines.line_at(p.byte()))
            .unwrap_or(line);
        self.problems.push(Problem {
            line,
            column: "-".into(),
            reason: format!("unreadable CSV: {err}"),
        });
    }

    /// A record: skipped when blank, else the header (the first) or a row.
    fn add(&mut self, line: u64, record: &csv::ByteRecord) {
        let line = match record.position() {
            Some(p) => self.lines.line_at(p.byte()),
            None => line,
        };
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            return;
        }
        let fields = self.fields(line, record);
        let Some(map) = &self.header else {
            let (map, problems) = map_header(line, &fields, self.required, self.expected);
            self.problems.extend(problems);
            self.width = fields.len();
            self.header = Some(map);
            return;
        };
        if fields.len() != self.width {
            self.problems.push(Problem {
                line,
                column: "-".into(),
                reason: format!(
                    "has {} fields but the header has {}",
                    fields.len(),
                    self.width
                ),
            });
            return;
        }
        let mut values = vec![String::new(); self.expected.len()];
        for (position, target) in map.iter().enumerate() {
            if let (Some(target), Some(value)) = (target, fields.get(position)) {
                values[*target] = value.clone();
            }
        }
        self.rows.push(Row { line, values });
    }

    /// The record's fields as text ("" and a problem for one that is not
    /// UTF-8).
    fn fields(&mut self, line: u64, record: &csv::ByteRecord) -> Vec<String> {
        let mut fields = Vec::with_capacity(record.len());
        for (i, raw) in record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(text) => fields.push(text.to_owned()),
                Err(_) => {
                    self.problems.push(Problem {
                        line,
                        column: format!("#{}", i + 1),
                        reason: "not UTF-8 text (save the file as UTF-8)".into(),
                    });
                    fields.push(String::new());
                }
            }
        }
        fields
    }

    /// The rows, or every problem (a file without a header is one).
    fn finish(mut self) -> Result<Vec<Row>, Vec<Problem>> {
        if self.header.is_none() {
            self.problems.push(Problem {
                line: 1,
                column: "-".into(),
                reason: "the file is empty (expected a header line)".into(),
            });
        }
        if self.problems.is_empty() {
            Ok(self.rows)
        } else {
            Err(self.problems)
        }
    }
}

/// Line numbers of byte offsets, counted forward as the reader advances
/// (the CSV reader's own line count does not count skipped blank lines).
struct LineCounter<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u64,
}

impl LineCounter<'_> {
    /// The line of the first byte at or after `byte` that is not a line
    /// end (the reader reports a record's start before the previous line
    /// end and blank lines).
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut target = (byte as usize).min(self.bytes.len());
        while target < self.bytes.len() && matches!(self.bytes[target], b'\r' | b'\n') {
            target += 1;
        }
        if target > self.offset {
            let newlines = self.bytes[self.offset..target]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.line += newlines as u64;
            self.offset = target;
        }
        self.line
    }
}

/// For each column of the file, the index of the expected column it is.
fn map_header(
    line: u64,
    fields: &[String],
    required: &[&str],
    expected: &[&str],
) -> (Vec<Option<usize>>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut seen: HashMap<usize, usize> = HashMap::new();
    let mut map = Vec::with_capacity(fields.len());
    for (position, name) in fields.iter().enumerate() {
        let name = name.trim().to_lowercase();
        match expected.iter().position(|e| *e == name) {
            Some(index) => {
                if seen.insert(index, position).is_some() {
                    problems.push(Problem {
                        line,
                        column: name.clone(),
                        reason: "this column appears twice in the header".into(),
                    });
                }
                map.push(Some(index));
            }
            None => {
                problems.push(Problem {
                    line,
                    column: if name.is_empty() {
                        format!("#{}", position + 1)
                    } else {
                        name.clone()
                    },
                    reason: format!("unknown column (expected: {})", expected.join(",")),
                });
                map.push(None);
            }
        }
    }
    for (index, name) in required.iter().enumerate() {
        if !seen.contains_key(&index) {
            problems.push(Problem {
                line,
                column: (*name).to_owned(),
                reason: "required column missing from the header".into(),
            });
        }
    }
    (map, problems)
}

/// A cell that failed its check (the problem is already recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invalid;

/// Collects the problems of one row.
pub struct Check<'a> {
    pub line: u64,
    pub problems: &'a mut Vec<Problem>,
}

impl Check<'_> {
    pub fn fail(&mut self, column: &str, reason: impl Into<String>) {
        self.problems.push(Problem {
            line: self.line,
            column: column.to_owned(),
            reason: reason.into(),
        });
    }

    /// The value of a service check, or a problem with its message.
    pub fn app<T>(&mut self, column: &str, result: AppResult<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.fail(column, err.message());
                None
            }
        }
    }

    /// A required value.
    pub fn required<'v>(&mut self, column: &str, value: &'v str) -> Option<&'v str> {
        if value.is_empty() {
            self.fail(column, "required, but empty");
            None
        } else {
            Some(value)
        }
    }

    /// A `YYYY-MM-DD` date in the years HR records may hold.
    pub fn date(&mut self, column: &str, value: &str) -> Option<NaiveDate> {
        match parse_ymd(value) {
            Some(date) => self.app(column, validate::date(column, date)),
            None => {
                self.fail(
                    column,
                    format!(
                        "\"{}\" is not a calendar date (YYYY-MM-DD)",
                        validate::clip(value)
                    ),
                );
                None
            }
        }
    }

    /// An optional date (empty: none).
    pub fn optional_date(
        &mut self,
        column: &str,
        value: &str,
    ) -> Result<Option<NaiveDate>, Invalid> {
        if value.is_empty() {
            return Ok(None);
        }
        self.date(column, value).map(Some).ok_or(Invalid)
    }

    /// One of a domain enum's names (case-insensitive).
    pub fn choice<T>(
        &mut self,
        column: &str,
        value: &str,
        parse: fn(&str) -> Option<T>,
        allowed: &str,
    ) -> Option<T> {
        let parsed = parse(&value.to_uppercase());
        if parsed.is_none() {
            self.fail(
                column,
                format!("\"{}\" is not one of {allowed}", validate::clip(value)),
            );
        }
        parsed
    }

    /// An optional one of a domain enum's names (empty: none).
    pub fn optional_choice<T>(
        &mut self,
        column: &str,
        value: &str,
        parse: fn(&str) -> Option<T>,
        allowed: &str,
    ) -> Result<Option<T>, Invalid> {
        if value.is_empty() {
            return Ok(None);
        }
        self.choice(column, value, parse, allowed)
            .map(Some)
            .ok_or(Invalid)
    }

    /// An optional decimal number (empty: none).
    pub fn optional_number(&mut self, column: &str, value: &str) -> Result<Option<f64>, Invalid> {
        if value.is_empty() {
            return Ok(None);
        }
        match value.parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Some(n)),
            _ => {
                self.fail(
                    column,
                    format!("\"{}\" is not a number", validate::clip(value)),
                );
                Err(Invalid)
            }
        }
    }
}

/// A reference to an employee in a cell: an email (contains '@', compared
/// in lower case) or an employee number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EmployeeRef {
    Email(String),
    Number(String),
}

impl EmployeeRef {
    pub fn parse(value: &str) -> EmployeeRef {
        let value = value.trim();
        if value.contains('@') {
            EmployeeRef::Email(value.to_lowercase())
        } else {
            EmployeeRef::Number(value.to_owned())
        }
    }
}

/// The cycles of a graph where every node has at most one successor (each
/// employee at most one manager): each cycle as its nodes, in order.
pub fn cycles(next: &[Option<usize>]) -> Vec<Vec<usize>> {
    // 0: not visited; otherwise the number of the walk that reached it.
    let mut walk_of = vec![0usize; next.len()];
    let mut found = Vec::new();
    for start in 0..next.len() {
        if walk_of[start] != 0 {
            continue;
        }
        let walk = start + 1;
        let mut node = start;
        loop {
            walk_of[node] = walk;
            match next[node] {
                Some(n) if n < next.len() && walk_of[n] == 0 => node = n,
                Some(n) if n < next.len() && walk_of[n] == walk => {
                    let mut cycle = vec![n];
                    let mut m = next[n];
                    while let Some(k) = m.filter(|&k| k != n) {
                        cycle.push(k);
                        m = next[k];
                    }
                    found.push(cycle);
                    break;
                }
                _ => break,
            }
        }
    }
    found
}

/// An import's progress, reported to the caller's [`ProgressReport`] if
/// there is one.
pub struct Progress<'a> {
    report: Option<&'a dyn ProgressReport>,
}

impl<'a> Progress<'a> {
    pub fn new(options: &'a ImportOptions, total: usize) -> Progress<'a> {
        let report = options.progress.as_deref();
        if let Some(report) = report {
            report.start(total);
        }
        Progress { report }
    }

    pub fn show(&self, what: &str, done: usize) {
        if let Some(report) = self.report {
            report.show(what, done);
        }
    }

    pub fn finish(&self) {
        if let Some(report) = self.report {
            report.finish();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUIRED: &[&str] = &["a", "b"];
    const OPTIONAL: &[&str] = &["c"];

    #[test]
    fn reads_bom_crlf_quotes_and_blank_lines() {
        let text = "\u{feff}b,a,c\r\n\"x, y\",山田 太郎,\r\n\r\n2,Élodie Müller,\"say \"\"hi\"\"\"\r\n\r\n\r\n";
        let rows = read_rows(text.as_bytes(), REQUIRED, OPTIONAL).expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].get(0), "山田 太郎");
        assert_eq!(rows[0].get(1), "x, y");
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].get(0), "Élodie Müller");
        assert_eq!(rows[1].get(2), "say \"hi\"");
    }

    #[test]
    fn optional_columns_may_be_left_out() {
        let rows = read_rows(b"a,b\n1,2\n", REQUIRED, OPTIONAL).expect("valid");
        assert_eq!(rows[0].get(2), "");
    }

    #[test]
    fn header_and_shape_problems_are_all_listed() {
        let problems = read_rows(b"a,zz,a\n1,2\n1,2,3\n", REQUIRED, OPTIONAL).unwrap_err();
        let text: Vec<String> = problems.iter().map(Problem::to_string).collect();
        assert!(text
            .iter()
            .any(|p| p.starts_with("line 1, column zz: unknown column")));
        assert!(text
            .iter()
            .any(|p| p.starts_with("line 1, column a: this column appears twice")));
        assert!(text
            .iter()
            .any(|p| p.starts_with("line 1, column b: required column missing")));
        assert!(text
            .iter()
            .any(|p| p.starts_with("line 2, column -: has 2 fields")));
        assert_eq!(problems.len(), 4);
    }

    #[test]
    fn empty_files_and_bad_utf8_are_problems() {
        assert!(read_rows(b"", REQUIRED, OPTIONAL).is_err());
        let problems = read_rows(b"a,b\n\xff,1\n", REQUIRED, OPTIONAL).unwrap_err();
        assert_eq!(problems[0].line, 2);
        assert_eq!(problems[0].column, "#1");
    }

    #[test]
    fn references_are_emails_or_numbers() {
        assert_eq!(
            EmployeeRef::parse(" Ann@Example.COM "),
            EmployeeRef::Email("ann@example.com".into())
        );
        assert_eq!(
            EmployeeRef::parse("E001"),
            EmployeeRef::Number("E001".into())
        );
    }

    #[test]
    fn cycles_are_found_once_each() {
        // 0 -> 1 -> 2 -> 0, 3 -> 0, 4 -> 4, 5 -> none
        let next = vec![Some(1), Some(2), Some(0), Some(0), Some(4), None];
        let mut found = cycles(&next);
        for c in &mut found {
            c.sort();
        }
        found.sort();
        assert_eq!(found, vec![vec![0, 1, 2], vec![4]]);
        assert!(cycles(&[None, Some(0), Some(1)]).is_empty());
    }

    #[test]
    fn cell_checks_name_the_column() {
        let mut problems = Vec::new();
        let mut check = Check {
            line: 7,
            problems: &mut problems,
        };
        assert!(check.date("hired_on", "2026-02-30").is_none());
        assert!(check.optional_number("csat", "ninety").is_err());
        assert_eq!(check.optional_date("expires_on", ""), Ok(None));
        assert_eq!(
            problems[0].to_string(),
            "line 7, column hired_on: \"2026-02-30\" is not a calendar date (YYYY-MM-DD)"
        );
        assert_eq!(problems[1].column, "csat");
    }
}
