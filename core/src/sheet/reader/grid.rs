//! A workbook's worksheet as a row source: the sheet chosen, its header
//! found, and its rows checked as a CSV file's are, then handed to the same
//! importer.

use super::{
    At, BadCell, Checks, Grid, HEADER_SEARCH_ROWS, ImportOptions, PROGRESS_EVERY, RawRow, Result,
    SheetReader, Sink, Source, Workbook, Worksheet, limit, no_header, oversized_cell,
};
use crate::text::Localized;

/// Reads a worksheet's rows after the header, from the row at index
/// `next` (see [`SheetReader::read_rows`]): each is checked as a CSV row
/// is; a cell whose value cannot be read is refused, and its row read on
/// without it, so that the rest of the row's errors are found too.
pub(super) fn read_grid_rows(
    grid: &Grid,
    next: usize,
    checks: &Checks<'_>,
    sink: &mut Sink,
    mut progress: impl FnMut(u64, u64),
    mut row: impl FnMut(&mut Sink, RawRow<'_>) -> Result<()>,
) -> Result<u64> {
    let mut record = csv::StringRecord::new();
    let mut rows = 0u64;
    let limit = checks.limit;
    // The asset's name, for the errors found before the importer sees it.
    let name_at = checks.names.iter().position(|name| {
        crate::table::Column::from_header(name) == Some(crate::table::Column::Name)
    });
    // The bad cells are in row order: one walk beside the rows.
    let mut bad_at = grid.bad.partition_point(|bad| (bad.row as usize) < next);
    for index in next..grid.rows.len() {
        rows += 1;
        if rows.is_multiple_of(PROGRESS_EVERY) {
            progress(rows, 0);
        }
        let bad_from = bad_at;
        while grid
            .bad
            .get(bad_at)
            .is_some_and(|bad| bad.row as usize == index)
        {
            bad_at += 1;
        }
        let bad: &[BadCell] = &grid.bad[bad_from..bad_at];
        // A row whose only values a merged region copied into it is blank.
        if bad.is_empty() && grid.is_blank(index) {
            continue;
        }
        let cells = grid.texts(index);
        let number = index as u64 + 1;
        let at = At {
            row: number,
            line: number,
            name: name_at
                .and_then(|i| cells.get(i))
                .map(|name| name.trim())
                .filter(|name| !name.is_empty()),
        };
        // A cell whose value cannot be read is refused, and the rest of its
        // row read as if it were empty, so that every error is found at once.
        for bad in bad {
            let column = checks.column_name(bad.column as usize);
            let reason = bad.reason.clone();
            sink.error(checks.file, at, Some(&column), &bad.shown, reason);
            sink.refused(at.row, &column);
        }
        let bytes: usize = cells.iter().map(String::len).sum();
        if bytes as u64 > limit {
            sink.error(checks.file, at, None, "", limit::too_large(limit));
            continue;
        }
        record.clear();
        for cell in &cells {
            record.push_field(cell);
        }
        if let Some((column, value, reason)) = oversized_cell(&record, checks.names) {
            sink.error(checks.file, at, column.as_deref(), &value, reason);
            continue;
        }
        if checks.refuse_my_numbers(sink, &record, at, false) {
            continue;
        }
        let raw = RawRow {
            record: &record,
            row: number,
            line: number,
            neutralized: false,
        };
        row(sink, raw)?;
    }
    Ok(rows)
}

impl SheetReader<'_> {
    /// Opens a workbook and the worksheet to read (`sheet`, or the first
    /// with a header row), and finds its header row as
    /// [`SheetReader::open`] does; `None` when there is none (the error is
    /// in `sink`).
    pub(super) fn open_workbook(
        file: String,
        bytes: Vec<u8>,
        sheet: Option<&str>,
        options: &ImportOptions,
        sink: &mut Sink,
        is_header: impl Fn(&[String]) -> u8,
        missing: impl Fn(&[Vec<String>]) -> Localized,
    ) -> Option<Self> {
        let mut book = match Workbook::open(bytes) {
            Ok(book) => book,
            Err(reason) => {
                sink.error(&file, At::top(1), None, "", reason);
                return None;
            }
        };
        let sheets = book.sheet_names();
        let candidates: Vec<String> = match sheet {
            Some(wanted) => {
                let found = sheets
                    .iter()
                    .find(|name| name.as_str() == wanted)
                    .or_else(|| sheets.iter().find(|name| same_sheet(name, wanted)));
                let Some(found) = found else {
                    let reason = Localized::new(
                        format!(
                            "ブックにこの名前のシートがありません。シートは: {}",
                            sheets.join(", ")
                        ),
                        format!(
                            "the workbook has no sheet of this name; its sheets are: {}",
                            sheets.join(", ")
                        ),
                    );
                    sink.error(&file, At::top(1), None, wanted, reason);
                    return None;
                };
                vec![found.clone()]
            }
            None => sheets.clone(),
        };
        let mut first: Option<(String, Vec<Vec<String>>)> = None;
        let mut partial: Option<(Grid, usize)> = None;
        for name in candidates {
            let grid = match book.grid(&name) {
                Ok(grid) => grid,
                Err(reason) => {
                    sink.error(&file, At::top(1), None, "", reason);
                    return None;
                }
            };
            let searched = grid.rows.len().min(HEADER_SEARCH_ROWS as usize);
            let above: Vec<Vec<String>> = (0..searched).map(|row| grid.texts(row)).collect();
            let mut scores = above.iter().map(|cells| {
                let names: Vec<String> = cells.iter().map(|c| c.trim().to_owned()).collect();
                is_header(&names)
            });
            if let Some(index) = scores.position(|score| score >= 2) {
                return Self::with_grid(file, grid, index, options, sink);
            }
            let partial_at = above.iter().position(|cells| {
                let names: Vec<String> = cells.iter().map(|c| c.trim().to_owned()).collect();
                is_header(&names) == 1
            });
            if let (None, Some(index)) = (&partial, partial_at) {
                partial = Some((grid, index));
            } else if first.is_none() {
                first = Some((name, above));
            }
        }
        // A sheet with a row that names some columns but not enough: its
        // header, which the caller finds lacking.
        if let Some((grid, index)) = partial {
            return Self::with_grid(file, grid, index, options, sink);
        }
        let (name, above) = first.unwrap_or_default();
        sink.worksheet = Some(Worksheet {
            file: file.clone(),
            sheet: name,
            names: Vec::new(),
            refused: std::collections::HashSet::new(),
        });
        let mut reason = no_header(&above, &missing(&above));
        if sheet.is_none() && sheets.len() > 1 {
            let searched = sheets.join(", ");
            reason = Localized::new(
                format!("{}（探したシート: {searched}）", reason.ja),
                format!("{} (sheets searched: {searched})", reason.en),
            );
        }
        sink.error(&file, At::top(1), None, "", reason);
        None
    }

    /// The reader of a worksheet whose header is the row at `index`.
    fn with_grid(
        file: String,
        grid: Grid,
        index: usize,
        options: &ImportOptions,
        sink: &mut Sink,
    ) -> Option<Self> {
        let names: Vec<String> = grid
            .texts(index)
            .iter()
            .map(|c| c.trim().to_owned())
            .collect();
        sink.worksheet = Some(Worksheet {
            file: file.clone(),
            sheet: grid.sheet.clone(),
            names: names.clone(),
            refused: std::collections::HashSet::new(),
        });
        let number = index as u64 + 1;
        let at = At {
            row: number,
            line: number,
            name: None,
        };
        let source = Source::Grid {
            grid,
            next: index + 1,
        };
        SheetReader::with_header(file, source, names, at, options, sink)
    }
}

/// True when a sheet's name is the one a person typed, but for width, case
/// and spaces (`台帳` for ` 台帳 `, `Sheet1` for `sheet1`).
fn same_sheet(name: &str, typed: &str) -> bool {
    crate::text::fold(name) == crate::text::fold(typed)
}
