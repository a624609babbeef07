//! Records of CSV imports and exports.

use std::path::Path;

use serde::Serialize;

use crate::sheet::{Counts, ExportReport, ImportReport, RowError, RowOutcome, RowWarning};
use crate::undo::{Import, Undo};

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
    /// The name of the asset the row describes, when it has one.
    pub asset: Option<&'a str>,
    /// In a workbook, the cell with its sheet (`台帳!F12`); left out for CSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<&'a str>,
    /// The column as its header is written.
    pub column: &'a str,
    /// The file.
    pub file: &'a str,
    /// The line of the file the row starts on.
    pub line: u64,
    /// What is suspicious (English).
    pub reason: &'a str,
    /// What is suspicious, in Japanese.
    pub reason_ja: &'a str,
    /// The row as Excel numbers it.
    pub row: u64,
    /// The cell as written.
    pub value: &'a str,
}

impl<'a> From<&'a RowWarning> for RowWarningRecord<'a> {
    fn from(w: &'a RowWarning) -> Self {
        RowWarningRecord {
            asset: w.asset.as_deref(),
            cell: w.cell.as_deref(),
            column: &w.column,
            file: &w.file,
            line: w.line,
            reason: &w.reason.en,
            reason_ja: &w.reason.ja,
            row: w.row,
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
    /// The line of the file the row starts on.
    pub line: u64,
    /// The outcome's code.
    pub outcome: &'static str,
    /// The row as Excel numbers it.
    pub row: u64,
}

impl<'a> From<&'a RowOutcome> for RowOutcomeRecord<'a> {
    fn from(r: &'a RowOutcome) -> Self {
        RowOutcomeRecord {
            file: &r.file,
            id: r.id.to_string(),
            line: r.line,
            outcome: r.outcome.code(),
            row: r.row,
        }
    }
}

/// What an import did, or in a dry run would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRecord<'a> {
    /// Asset rows by outcome.
    pub assets: CountsRecord,
    /// The assets updated, each with the columns that change.
    pub changes: Vec<RowChangeRecord<'a>>,
    /// True when nothing was written.
    pub dry_run: bool,
    /// The label of the assets file's encoding.
    pub encoding: Option<&'static str>,
    /// The columns kept as extra attributes.
    pub extra_columns: &'a [String],
    /// For a workbook: how many formula cells were read as their saved
    /// results; left out for CSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula_cells: Option<u64>,
    /// The row the asset sheet's header is on.
    pub header_row: Option<u64>,
    /// What rows suggest that the import left to a person.
    pub hints: Vec<String>,
    /// The id the import is recorded under; none for a dry run.
    pub import_id: Option<u64>,
    /// Link rows by outcome.
    pub links: CountsRecord,
    /// For a workbook: the sheet the links were read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links_sheet: Option<&'a str>,
    /// For a workbook: its merged regions (`台帳!A1:F1`); left out for CSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_cells: Option<&'a [String]>,
    /// Each row's outcome, when asked for.
    pub rows: Vec<RowOutcomeRecord<'a>>,
    /// For a workbook: the sheet the assets were read from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<&'a str>,
    /// How many warnings there were in all.
    pub warning_count: u64,
    /// The warnings kept.
    pub warnings: Vec<RowWarningRecord<'a>>,
}

impl<'a> From<&'a ImportReport> for ImportRecord<'a> {
    fn from(r: &'a ImportReport) -> Self {
        let workbook = r.sheet.is_some() || r.links_sheet.is_some();
        ImportRecord {
            assets: r.assets.into(),
            changes: r.changes.iter().map(RowChangeRecord::from).collect(),
            dry_run: r.dry_run,
            encoding: r.encoding.map(crate::sheet::Encoding::label),
            extra_columns: &r.extra_columns,
            formula_cells: workbook.then_some(r.formula_cells),
            header_row: r.header_row,
            hints: r.hints.iter().map(ToString::to_string).collect(),
            import_id: r.import_id,
            links: r.links.into(),
            links_sheet: r.links_sheet.as_deref(),
            merged_cells: workbook.then_some(r.merged_cells.as_slice()),
            rows: r.rows.iter().map(RowOutcomeRecord::from).collect(),
            sheet: r.sheet.as_deref(),
            warning_count: r.warning_count,
            warnings: r.warnings.iter().map(RowWarningRecord::from).collect(),
        }
    }
}

/// An asset an import updates, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowChangeRecord<'a> {
    /// Each changed column: its key, the value before and after.
    pub columns: Vec<ColumnChangeRecord<'a>>,
    /// The file.
    pub file: &'a str,
    /// The asset's id.
    pub id: String,
    /// Its name before the change.
    pub name: &'a str,
    /// The row as Excel numbers it.
    pub row: u64,
}

/// One column an import changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnChangeRecord<'a> {
    /// The column's key.
    pub column: &'static str,
    /// The value after.
    pub new: Option<&'a str>,
    /// The value before.
    pub old: Option<&'a str>,
}

impl<'a> From<&'a crate::sheet::RowChange> for RowChangeRecord<'a> {
    fn from(c: &'a crate::sheet::RowChange) -> Self {
        RowChangeRecord {
            columns: c
                .columns
                .iter()
                .map(|col| ColumnChangeRecord {
                    column: col.column.key(),
                    new: col.new.as_deref(),
                    old: col.old.as_deref(),
                })
                .collect(),
            file: &c.file,
            id: c.id.to_string(),
            name: &c.name,
            row: c.row,
        }
    }
}

/// One row error of a failed import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowErrorRecord<'a> {
    /// The name of the asset the row describes, when it has one.
    pub asset: Option<&'a str>,
    /// In a workbook, the cell with its sheet (`台帳!F12`), or its row
    /// (`台帳!12:12`); left out for CSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<&'a str>,
    /// The column as its header is written; none for the whole row.
    pub column: Option<&'a str>,
    /// The file.
    pub file: &'a str,
    /// The line of the file the row starts on.
    pub line: u64,
    /// What is wrong (English).
    pub reason: &'a str,
    /// What is wrong, in Japanese.
    pub reason_ja: &'a str,
    /// The row as Excel numbers it.
    pub row: u64,
    /// The cell as written.
    pub value: &'a str,
}

impl<'a> From<&'a RowError> for RowErrorRecord<'a> {
    fn from(e: &'a RowError) -> Self {
        RowErrorRecord {
            asset: e.asset.as_deref(),
            cell: e.cell.as_deref(),
            column: e.column.as_deref(),
            file: &e.file,
            line: e.line,
            reason: &e.reason.en,
            reason_ja: &e.reason.ja,
            row: e.row,
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

/// What a workbook export (`export -o 台帳.xlsx`) wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkbookExportRecord {
    /// Asset rows on sheet 台帳.
    pub assets: u64,
    /// The file.
    pub file: String,
    /// Finding rows on sheet 点検結果.
    pub findings: u64,
    /// The audit chain's head the assets were read at, `N:HEX`.
    pub head: String,
    /// Link rows on sheet 関連.
    pub links: u64,
}

impl WorkbookExportRecord {
    /// The record of a workbook written to `file`.
    pub fn new(file: &Path, report: &crate::sheet::WorkbookReport) -> Self {
        WorkbookExportRecord {
            assets: report.assets,
            file: file.display().to_string(),
            findings: report.findings,
            head: report.head.to_string(),
            links: report.links,
        }
    }
}

/// A recorded import (`import --list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportEntryRecord<'a> {
    /// Who imported.
    pub actor: &'a str,
    /// Asset rows by outcome.
    pub assets: CountsRecord,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// How many audit entries it wrote.
    pub entries: u64,
    /// The import's id.
    pub id: u64,
    /// Link rows by outcome.
    pub links: CountsRecord,
    /// The file or files imported.
    pub source: &'a str,
    /// When it was undone (RFC 3339, UTC); none when it was not.
    pub undone_at: Option<String>,
    /// Who undid it.
    pub undone_by: Option<&'a str>,
}

impl<'a> From<&'a Import> for ImportEntryRecord<'a> {
    fn from(i: &'a Import) -> Self {
        let counts = |[created, updated, unchanged]: [u64; 3]| CountsRecord {
            created,
            unchanged,
            updated,
        };
        ImportEntryRecord {
            actor: &i.actor,
            assets: counts(i.assets),
            at: i.at.to_string(),
            entries: i.entries,
            id: i.id,
            links: counts(i.links),
            source: &i.source,
            undone_at: i.undone.as_ref().map(|(at, _)| at.to_string()),
            undone_by: i.undone.as_ref().map(|(_, by)| by.as_str()),
        }
    }
}

/// What undoing an import did (`import --undo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UndoRecord<'a> {
    /// Assets it created, now deleted.
    pub assets_deleted: u64,
    /// Assets it changed, now as they were before it.
    pub assets_restored: u64,
    /// The import undone.
    pub import: ImportEntryRecord<'a>,
    /// Links it changed or removed, now as they were before it.
    pub links_restored: u64,
    /// Links it added, now removed.
    pub links_removed: u64,
}

impl<'a> From<&'a Undo> for UndoRecord<'a> {
    fn from(u: &'a Undo) -> Self {
        UndoRecord {
            assets_deleted: u.deleted,
            assets_restored: u.restored,
            import: ImportEntryRecord::from(&u.import),
            links_restored: u.links_restored,
            links_removed: u.links_removed,
        }
    }
}
