//! Records of CSV imports and exports.

use std::path::Path;

use serde::Serialize;

use crate::sheet::{Counts, ExportReport, ImportReport, RowError, RowOutcome, RowWarning};

// CSV import and export.

/// Rows by outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CountsRecord {
    /// New assets or links.
    pub created: u64,
    /// Existing ones that were already the same.
    pub unchanged: u64,
    /// Existing ones that changed.
    pub updated: u64,
}

impl From<Counts> for CountsRecord {
    fn from(c: Counts) -> Self {
        CountsRecord {
            created: c.created,
            unchanged: c.unchanged,
            updated: c.updated,
        }
    }
}

/// A cell that was read but deserves a look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowWarningRecord<'a> {
    /// The column as its header is written.
    pub column: &'a str,
    /// The file.
    pub file: &'a str,
    /// The line the row starts on.
    pub line: u64,
    /// What is suspicious.
    pub reason: &'a str,
    /// The cell as written.
    pub value: &'a str,
}

impl<'a> From<&'a RowWarning> for RowWarningRecord<'a> {
    fn from(w: &'a RowWarning) -> Self {
        RowWarningRecord {
            column: &w.column,
            file: &w.file,
            line: w.line,
            reason: &w.reason,
            value: &w.value,
        }
    }
}

/// What an import did with one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowOutcomeRecord<'a> {
    /// The file.
    pub file: &'a str,
    /// The asset's id (for a link row, its source's).
    pub id: String,
    /// The line the row starts on.
    pub line: u64,
    /// The outcome's code.
    pub outcome: &'static str,
}

impl<'a> From<&'a RowOutcome> for RowOutcomeRecord<'a> {
    fn from(r: &'a RowOutcome) -> Self {
        RowOutcomeRecord {
            file: &r.file,
            id: r.id.to_string(),
            line: r.line,
            outcome: r.outcome.code(),
        }
    }
}

/// What an import did, or in a dry run would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRecord<'a> {
    /// Asset rows by outcome.
    pub assets: CountsRecord,
    /// True when nothing was written.
    pub dry_run: bool,
    /// The label of the assets file's encoding.
    pub encoding: Option<&'static str>,
    /// The columns kept as extra attributes.
    pub extra_columns: &'a [String],
    /// Link rows by outcome.
    pub links: CountsRecord,
    /// Each row's outcome, when asked for.
    pub rows: Vec<RowOutcomeRecord<'a>>,
    /// How many warnings there were in all.
    pub warning_count: u64,
    /// The warnings kept.
    pub warnings: Vec<RowWarningRecord<'a>>,
}

impl<'a> From<&'a ImportReport> for ImportRecord<'a> {
    fn from(r: &'a ImportReport) -> Self {
        ImportRecord {
            assets: r.assets.into(),
            dry_run: r.dry_run,
            encoding: r.encoding.map(crate::sheet::Encoding::label),
            extra_columns: &r.extra_columns,
            links: r.links.into(),
            rows: r.rows.iter().map(RowOutcomeRecord::from).collect(),
            warning_count: r.warning_count,
            warnings: r.warnings.iter().map(RowWarningRecord::from).collect(),
        }
    }
}

/// One row error of a failed import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowErrorRecord<'a> {
    /// The column as its header is written; none for the whole row.
    pub column: Option<&'a str>,
    /// The file.
    pub file: &'a str,
    /// The line the row starts on.
    pub line: u64,
    /// What is wrong.
    pub reason: &'a str,
    /// The cell as written.
    pub value: &'a str,
}

impl<'a> From<&'a RowError> for RowErrorRecord<'a> {
    fn from(e: &'a RowError) -> Self {
        RowErrorRecord {
            column: e.column.as_deref(),
            file: &e.file,
            line: e.line,
            reason: &e.reason,
            value: &e.value,
        }
    }
}

/// A failed import ([`Error::Import`](crate::Error::Import)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportFailureRecord<'a> {
    /// Always `import`.
    pub error: &'static str,
    /// The errors kept.
    pub errors: Vec<RowErrorRecord<'a>>,
    /// The file or files imported.
    pub source: &'a str,
    /// How many errors there were in all.
    pub total: usize,
}

impl<'a> ImportFailureRecord<'a> {
    /// The record of an import of `source` that failed with `errors`
    /// (`total` in all).
    pub fn new(source: &'a str, errors: &'a [RowError], total: usize) -> Self {
        ImportFailureRecord {
            error: "import",
            errors: errors.iter().map(RowErrorRecord::from).collect(),
            source,
            total,
        }
    }
}

/// The asset sheet an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedAssetsRecord {
    /// The columns written.
    pub columns: usize,
    /// The encoding's label.
    pub encoding: &'static str,
    /// The file.
    pub file: Option<String>,
    /// The audit chain's head the assets were read at, `N:HEX`.
    pub head: Option<String>,
    /// Characters written as `?`.
    pub replaced: u64,
    /// Data rows written.
    pub rows: u64,
}

impl ExportedAssetsRecord {
    /// The record of an asset sheet written to `file`.
    pub fn new(file: Option<&Path>, report: &ExportReport) -> Self {
        ExportedAssetsRecord {
            columns: report.columns,
            encoding: report.encoding.label(),
            file: file.map(|p| p.display().to_string()),
            head: report.head.map(|h| h.to_string()),
            replaced: report.replaced,
            rows: report.rows,
        }
    }
}

/// The link sheet an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedLinksRecord {
    /// The file.
    pub file: Option<String>,
    /// Data rows written.
    pub rows: u64,
}

impl ExportedLinksRecord {
    /// The record of a link sheet written to `file`.
    pub fn new(file: Option<&Path>, report: &ExportReport) -> Self {
        ExportedLinksRecord {
            file: file.map(|p| p.display().to_string()),
            rows: report.rows,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRecord {
    /// The asset sheet.
    pub assets: ExportedAssetsRecord,
    /// The link sheet, when one was written.
    pub links: Option<ExportedLinksRecord>,
}
