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

/// The worksheet being read, so that a problem is placed at its cell
/// (`台帳!F12`) as well as its row.
#[derive(Debug, Default)]
pub(super) struct Worksheet {
    /// The file the sheet is in.
    pub(super) file: String,
    /// The sheet's name.
    pub(super) sheet: String,
    /// The header row's cells from column A, once found.
    pub(super) names: Vec<String>,
    /// Cells refused already (their value cannot be read), by row and
    /// column: the importer's error on the empty text read in their place
    /// would say nothing more.
    pub(super) refused: std::collections::HashSet<(u64, String)>,
}

impl Worksheet {
    /// The cell of a row in a column named as its header is written, or the
    /// whole row (`台帳!12:12`) when no header cell has that name.
    fn cell(&self, row: u64, column: Option<&str>) -> String {
        let sheet = super::xlsx::sheet_reference(&self.sheet);
        let index = column.and_then(|name| self.names.iter().position(|n| n == name));
        match index {
            Some(index) => format!(
                "{sheet}!{}",
                super::xlsx::address(row.saturating_sub(1) as u32, index as u32)
            ),
            None => format!("{sheet}!{row}:{row}"),
        }
    }
}

/// An import's report being written, and its errors.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub(super) report: ImportReport,
    pub(super) errors: Errors,
    /// Whether each row's outcome is recorded.
    pub(super) row_outcomes: bool,
    /// The worksheet being read; `None` for a CSV file.
    pub(super) worksheet: Option<Worksheet>,
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
        if let (Some(sheet), Some(column)) = (&self.worksheet, column)
            && sheet.file == file
            && sheet.refused.contains(&(at.row, column.to_owned()))
        {
            return;
        }
        let cell = self.cell(file, at, column);
        self.errors.push(RowError {
            file: mask(file).into_owned(),
            cell,
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
            let cell = self.cell(file, at, Some(column));
            self.report.warnings.push(RowWarning {
                file: mask(file).into_owned(),
                cell,
                row: at.row,
                line: at.line,
                asset: at.name.map(|name| mask(name).into_owned()),
                column: mask(column).into_owned(),
                value: mask(value).into_owned(),
                reason: reason.map(masked),
            });
        }
    }

    /// Notes a worksheet's cell as refused, so that no second error names it.
    pub(super) fn refused(&mut self, row: u64, column: &str) {
        if let Some(sheet) = &mut self.worksheet {
            sheet.refused.insert((row, column.to_owned()));
        }
    }

    /// The cell of a worksheet a problem is in, masked as the column is.
    fn cell(&self, file: &str, at: At<'_>, column: Option<&str>) -> Option<String> {
        self.worksheet
            .as_ref()
            .filter(|sheet| sheet.file == file)
            .map(|sheet| mask(&sheet.cell(at.row, column)).into_owned())
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
