//! Where an import's findings go: its errors, warnings and row outcomes,
//! passed explicitly to each pass.

use std::borrow::Cow;

use super::{
    ColumnChange, ImportReport, MAX_STORED_ISSUES, Outcome, RowChange, RowError, RowHint,
    RowOutcome, RowWarning,
};
use crate::model::AssetId;
use crate::mynumber::mask;
use crate::text::Localized;

/// A text with every run of twelve digits masked, reusing it when it has none.
fn masked(text: String) -> String {
    match mask(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(masked) => masked,
    }
}

/// Collects row errors, keeping the first [`MAX_STORED_ISSUES`] and counting all.
#[derive(Debug, Default)]
pub(super) struct Errors {
    pub(super) list: Vec<RowError>,
    pub(super) total: usize,
}

impl Errors {
    fn push(&mut self, error: RowError) {
        self.total += 1;
        if self.list.len() < MAX_STORED_ISSUES {
            self.list.push(error);
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.total == 0
    }
}

/// Where in a sheet a problem is: the row as Excel numbers it (title rows
/// count, a cell's line breaks do not), the line of the file the row starts
/// on, and the name of the asset the row describes, when it has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct At<'a> {
    pub(super) row: u64,
    pub(super) line: u64,
    pub(super) name: Option<&'a str>,
}

impl At<'static> {
    /// The start of a file, where the row is the line: before any cell
    /// with a line break.
    pub(super) fn top(line: u64) -> Self {
        At {
            row: line,
            line,
            name: None,
        }
    }

    /// This place, at another row.
    pub(super) fn with_row(self, row: u64) -> Self {
        At { row, ..self }
    }
}

/// An import's report being written, and its errors.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub(super) report: ImportReport,
    pub(super) errors: Errors,
    /// Whether each row's outcome is recorded.
    pub(super) row_outcomes: bool,
}

impl Sink {
    /// Records an error at a file's line, in a column (as its header is
    /// written) or about the whole row; every run of twelve digits in it is
    /// masked, so that no report holds a 個人番号 whole.
    pub(super) fn error(
        &mut self,
        file: &str,
        at: At<'_>,
        column: Option<&str>,
        value: &str,
        reason: Localized,
    ) {
        self.errors.push(RowError {
            file: mask(file).into_owned(),
            row: at.row,
            line: at.line,
            asset: at.name.map(|name| mask(name).into_owned()),
            column: column.map(|column| mask(column).into_owned()),
            value: mask(value).into_owned(),
            reason: reason.map(masked),
        });
    }

    /// Records a warning, masked as an error is.
    pub(super) fn warn(
        &mut self,
        file: &str,
        at: At<'_>,
        column: &str,
        value: &str,
        reason: Localized,
    ) {
        self.report.warning_count += 1;
        if self.report.warnings.len() < MAX_STORED_ISSUES {
            self.report.warnings.push(RowWarning {
                file: mask(file).into_owned(),
                row: at.row,
                line: at.line,
                asset: at.name.map(|name| mask(name).into_owned()),
                column: mask(column).into_owned(),
                value: mask(value).into_owned(),
                reason: reason.map(masked),
            });
        }
    }

    /// Records how an updated asset changes.
    pub(super) fn change(
        &mut self,
        file: &str,
        at: At<'_>,
        id: AssetId,
        name: &str,
        columns: Vec<ColumnChange>,
    ) {
        if self.report.changes.len() < MAX_STORED_ISSUES {
            self.report.changes.push(RowChange {
                file: file.to_owned(),
                row: at.row,
                id,
                name: name.to_owned(),
                columns,
            });
        }
    }

    /// Records a suggestion.
    pub(super) fn hint(&mut self, file: &str, at: At<'_>, hint: Localized) {
        if self.report.hints.len() < MAX_STORED_ISSUES {
            self.report.hints.push(RowHint {
                file: file.to_owned(),
                row: at.row,
                asset: at.name.map(str::to_owned),
                hint,
            });
        }
    }

    /// Counts an asset row's outcome.
    pub(super) fn outcome(&mut self, file: &str, at: At<'_>, id: AssetId, outcome: Outcome) {
        self.report.assets.add(outcome);
        self.row(file, at, id, outcome);
    }

    /// Counts a link row's outcome (`id` is its source asset's).
    pub(super) fn link_outcome(&mut self, file: &str, at: At<'_>, id: AssetId, outcome: Outcome) {
        self.report.links.add(outcome);
        self.row(file, at, id, outcome);
    }

    fn row(&mut self, file: &str, at: At<'_>, id: AssetId, outcome: Outcome) {
        if self.row_outcomes {
            self.report.rows.push(RowOutcome {
                file: file.to_owned(),
                row: at.row,
                line: at.line,
                id,
                outcome,
            });
        }
    }
}
