//! Reading a sheet: decoding, the header row, and each row with the line it
//! starts on. Both the asset and the link sheet are read here, so positions
//! are counted one way for every consumer.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

mod grid;

use super::decode::{Decode, DecodeError, TextEnd};
use super::header::same_column;
use super::limit::{self, Limited, READ_AHEAD, RecordTooLarge};
use super::sink::{At, Worksheet};
use super::xlsx::{self, BadCell, Grid, Workbook};
use super::{Encoding, ImportOptions, Sink};
use crate::error::{Error, Result};
use crate::mynumber;
use crate::text::Localized;

/// Rows between two progress reports.
pub(super) const PROGRESS_EVERY: u64 = 4096;

/// Excel's limit on the characters of one cell: a longer cell cannot have
/// come from a spreadsheet, and would be cut when the sheet is opened in one.
const MAX_CELL_CHARS: usize = crate::text::MAX_TEXT_CHARS;

/// Why a cell holding a number shaped like a 個人番号 is refused.
const MY_NUMBER_CELL: (&str, &str) = (
    "セルに個人番号の形の数字（検査用数字の合う 12 桁）があります。台帳には決して入れません。\
     この列がほかの 12 桁のコードを持つなら、許可してください（--allow-my-number-like 列名）",
    "the cell holds a number shaped like a 個人番号 (12 digits with a \
    valid check digit), which the register must never hold; if the column holds other 12-digit \
    codes, allow them (--allow-my-number-like COLUMN)",
);

/// Why a header cell holding a number shaped like a 個人番号 is refused.
const MY_NUMBER_HEADER: (&str, &str) = (
    "見出しに個人番号の形の数字（検査用数字の合う 12 桁）があります。台帳には決して入れません",
    "the header holds a number shaped like a 個人番号 (12 digits with \
    a valid check digit), which the register must never hold",
);

/// Why a row that swallowed the rest of the file is refused.
const UNCLOSED_QUOTE: (&str, &str) = (
    "この行で開いた引用符（`\"`）が閉じられていないため、ファイルの残りが 1 つのセルに入りました。\
     引用符を閉じるか、文字としての引用符は 2 つ重ねてください（`\"\"`）",
    "a quote (`\"`) opened in this row is never closed, so the rest of \
    the file ran into one cell; close it, or double a quote that is part of the text (`\"\"`)",
);

/// Characters a spreadsheet reads as the start of a formula.
pub(crate) fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// True when a cell needs a leading `'` on export (see the module docs).
pub(crate) fn needs_neutralizing(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(is_formula_start)
}

/// Undoes the export's formula neutralizing: removes one leading `'` before
/// (more `'` and then) a formula character.
pub(crate) fn unneutralize(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_neutralizing(rest) => rest,
        _ => cell,
    }
}

/// One input file.
pub(super) struct Input<'a> {
    pub(super) name: String,
    pub(super) reader: Box<dyn Read + 'a>,
    pub(super) size: Option<u64>,
}

impl<'a> Input<'a> {
    /// A reader, named in errors as `name`.
    pub(super) fn new(name: &str, reader: impl Read + 'a) -> Self {
        Input {
            name: name.to_owned(),
            reader: Box::new(reader),
            size: None,
        }
    }

    /// A file.
    pub(super) fn open(path: &Path) -> Result<Input<'static>> {
        let file = File::open(path).map_err(|source| Error::Io {
            action: "open",
            path: path.to_owned(),
            source,
        })?;
        let size = file.metadata().ok().map(|m| m.len());
        Ok(Input {
            name: path.display().to_string(),
            reader: Box::new(file),
            size,
        })
    }
}

/// A csv reader over decoded input, kept to the row size limit.
type CsvReader<'a> = csv::Reader<Limited<Decode<Box<dyn Read + 'a>>>>;

/// Where a sheet's rows come from.
enum Source<'a> {
    /// A CSV file, decoded as it is read.
    Csv(Box<CsvReader<'a>>),
    /// A worksheet of a workbook, read whole; `next` is the index of the
    /// row after the header.
    Grid { grid: Grid, next: usize },
}

/// An open sheet after its header row.
pub(super) struct SheetReader<'a> {
    pub(super) file: String,
    source: Source<'a>,
    /// The header row's cells, trimmed and with formula neutralizing undone.
    pub(super) names: Vec<String>,
    /// Where the header is: rows above it (titles, blank rows) are skipped.
    pub(super) header_at: At<'static>,
    /// Per file column: whether it may hold numbers shaped like a 個人番号
    /// ([`ImportOptions::allow_my_number_like`]).
    allowed: Vec<bool>,
    /// The most bytes a row may hold ([`ImportOptions::record_limit`]).
    limit: u64,
}

/// A row as read: its cells, the row as Excel numbers it and the line it
/// starts on.
pub(super) struct RawRow<'r> {
    pub(super) record: &'r csv::StringRecord,
    pub(super) row: u64,
    pub(super) line: u64,
    /// True for a CSV row, whose cells may carry the export's formula
    /// neutralizing; a workbook's text cells are never formulas.
    pub(super) neutralized: bool,
}

impl RawRow<'_> {
    /// The cell at a file column, with formula neutralizing undone.
    pub(super) fn cell(&self, index: usize) -> &str {
        let cell = self.record.get(index).unwrap_or("");
        if self.neutralized {
            unneutralize(cell)
        } else {
            cell
        }
    }

    /// Where the row is, naming the asset in the file column `name`.
    pub(super) fn at(&self, name: Option<usize>) -> At<'_> {
        At {
            row: self.row,
            line: self.line,
            name: name
                .map(|index| self.cell(index).trim())
                .filter(|name| !name.is_empty()),
        }
    }
}

/// Rows searched for the header: title rows, a subtitle and blank rows
/// stand above it in an office's sheet.
const HEADER_SEARCH_ROWS: u64 = 30;

/// Cells of the first rows shown when no header is found.
const SHOWN_ROWS: usize = 3;

impl<'a> SheetReader<'a> {
    /// Opens a sheet, a CSV file or a workbook's worksheet by its content
    /// (a zip archive is a workbook), and finds the header row: the first
    /// of the first rows that `is_header` scores 2 (a header), or else the
    /// first that scores 1 (a header lacking columns, for the caller to name
    /// them); `None` when no row scores (the error is in `sink`, saying what
    /// `missing` finds missing in all of the rows searched).
    ///
    /// `sheet` names the worksheet of a workbook to read; without it, the
    /// first worksheet with a header row is read.
    pub(super) fn open(
        mut input: Input<'a>,
        sheet: Option<&str>,
        options: &ImportOptions,
        sink: &mut Sink,
        is_header: impl Fn(&[String]) -> u8,
        missing: impl Fn(&[Vec<String>]) -> Localized,
    ) -> Result<Option<Self>> {
        sink.worksheet = None;
        let read_error = |name: &str, source| Error::Io {
            action: "read",
            path: name.into(),
            source,
        };
        let mut head = Vec::with_capacity(xlsx::CFB_MAGIC.len());
        (&mut input.reader)
            .take(xlsx::CFB_MAGIC.len() as u64)
            .read_to_end(&mut head)
            .map_err(|source| read_error(&input.name, source))?;
        let extension = Path::new(&input.name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let named_xlsx = matches!(extension.as_deref(), Some("xlsx" | "xlsm"));
        if head.starts_with(xlsx::CFB_MAGIC) {
            // Excel saves a workbook with a password as an encrypted
            // package inside the same container an .xls is.
            let mut bytes = head;
            input
                .reader
                .read_to_end(&mut bytes)
                .map_err(|source| read_error(&input.name, source))?;
            if named_xlsx || xlsx::is_encrypted_package(&bytes) {
                let reason = Localized::new(
                    "ブックにパスワードが設定されています（暗号化されています）。Excel でパスワードを解除して保存し直してください",
                    "the workbook is password-protected (encrypted); remove the password in Excel and save it again",
                );
                sink.error(&input.name, At::top(1), None, "", reason);
                return Ok(None);
            }
            let reason = Localized::new(
                "Excel 97-2003 ブック (.xls) は読めません。Excel で「Excel ブック (*.xlsx)」として保存し直してください",
                "an Excel 97-2003 workbook (.xls) cannot be read; save it in Excel as an \
                 「Excel ブック (*.xlsx)」 workbook",
            );
            sink.error(&input.name, At::top(1), None, "", reason);
            return Ok(None);
        }
        if head.starts_with(xlsx::ZIP_MAGIC) {
            let mut bytes = head;
            input
                .reader
                .read_to_end(&mut bytes)
                .map_err(|source| read_error(&input.name, source))?;
            return Ok(Self::open_workbook(
                input.name, bytes, sheet, options, sink, is_header, missing,
            ));
        }
        if named_xlsx {
            let reason = Localized::new(
                "名前は .xlsx ですが Excel ブックではありません（zip 形式で始まっていません）",
                "the file is named .xlsx but is not an Excel workbook (it does not start as a zip archive)",
            );
            sink.error(&input.name, At::top(1), None, "", reason);
            return Ok(None);
        }
        if let Some(sheet) = sheet {
            let reason = Localized::new(
                "シートの指定はブック (.xlsx) にだけ使えます。このファイルは CSV です",
                "a sheet is named, but the file is CSV, not a workbook (.xlsx)",
            );
            sink.error(&input.name, At::top(1), None, sheet, reason);
            return Ok(None);
        }
        let reader: Box<dyn Read + 'a> = Box::new(Cursor::new(head).chain(input.reader));
        Self::open_csv(input.name, reader, options, sink, is_header, missing)
    }

    /// Opens a CSV file's decoder and csv reader, and finds its header row
    /// as [`SheetReader::open`] does.
    fn open_csv(
        name: String,
        reader: Box<dyn Read + 'a>,
        options: &ImportOptions,
        sink: &mut Sink,
        is_header: impl Fn(&[String]) -> u8,
        missing: impl Fn(&[Vec<String>]) -> Localized,
    ) -> Result<Option<Self>> {
        let input = Input {
            name,
            reader,
            size: None,
        };
        let decode = Decode::new(input.reader, options.encoding).map_err(|source| Error::Io {
            action: "read",
            path: input.name.clone().into(),
            source,
        })?;
        let decode = Limited::new(decode, options.record_limit());
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            // Only LF ends a row, so that line numbers count the same for
            // CRLF and LF files; the CR of a CRLF is taken off the last cell.
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(READ_AHEAD)
            .from_reader(decode);
        let mut record = csv::StringRecord::new();
        let mut scratch = String::new();
        let mut above: Vec<Vec<String>> = Vec::new();
        let mut partial: Option<(u64, u64)> = None;
        loop {
            let row = above.len() as u64 + 1;
            match csv.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) if above.iter().all(|cells| cells.iter().all(String::is_empty)) => {
                    let reason = Localized::from((
                        "ファイルが空です。見出しの行がありません",
                        "the file is empty: it has no header row",
                    ));
                    sink.error(&input.name, At::top(1), None, "", reason);
                    return Ok(None);
                }
                Ok(false) => break,
                Err(e) => {
                    sink.error(&input.name, At::top(row), None, "", csv_reason(&e));
                    return Ok(None);
                }
            }
            let limit = csv.get_ref().limit();
            if csv.position().byte() > limit {
                sink.error(&input.name, At::top(row), None, "", limit::too_large(limit));
                return Ok(None);
            }
            strip_cr(&mut record, &mut scratch);
            // Export neutralizes an extra column's name like any cell
            // (`@x` → `'@x`), so the name is read back the same way.
            let names: Vec<String> = record
                .iter()
                .map(|h| unneutralize(h.trim()).to_owned())
                .collect();
            let score = is_header(&names);
            if score >= 2 {
                let line = record_line(&csv, &record);
                let at = At {
                    row,
                    line,
                    name: None,
                };
                return Ok(SheetReader::with_header(
                    input.name,
                    Source::Csv(Box::new(csv)),
                    names,
                    at,
                    options,
                    sink,
                ));
            }
            if score == 1 && partial.is_none() {
                partial = Some((row, record_line(&csv, &record)));
            }
            above.push(names);
            if row >= HEADER_SEARCH_ROWS {
                break;
            }
        }
        // A row that names some columns but not enough: the header, which
        // the caller finds lacking (the rows read past it are not needed).
        if let Some((row, line)) = partial {
            let names = above[(row - 1) as usize].clone();
            let at = At {
                row,
                line,
                name: None,
            };
            return Ok(SheetReader::with_header(
                input.name,
                Source::Csv(Box::new(csv)),
                names,
                at,
                options,
                sink,
            ));
        }
        sink.error(
            &input.name,
            At::top(1),
            None,
            "",
            no_header(&above, &missing(&above)),
        );
        Ok(None)
    }

    /// The reader after its header row; `None` when the header holds a
    /// number shaped like a 個人番号 (the error is in `sink`).
    fn with_header(
        file: String,
        source: Source<'a>,
        names: Vec<String>,
        header_at: At<'static>,
        options: &ImportOptions,
        sink: &mut Sink,
    ) -> Option<Self> {
        let numbers: Vec<_> = names.iter().filter_map(|n| mynumber::find(n)).collect();
        for found in &numbers {
            let reason = Localized::from(MY_NUMBER_HEADER);
            sink.error(&file, header_at, None, &found.masked, reason);
        }
        if !numbers.is_empty() {
            return None;
        }
        let allowed = names
            .iter()
            .map(|name| {
                options
                    .allow_my_number_like
                    .iter()
                    .any(|given| same_column(given, name))
            })
            .collect();
        Some(SheetReader {
            file,
            source,
            names,
            header_at,
            allowed,
            limit: options.record_limit(),
        })
    }

    /// The detected or forced encoding; `None` for a workbook.
    pub(super) fn encoding(&self) -> Option<Encoding> {
        match &self.source {
            Source::Csv(csv) => Some(csv.get_ref().get_ref().encoding()),
            Source::Grid { .. } => None,
        }
    }

    /// The worksheet read, for a workbook.
    pub(super) fn sheet(&self) -> Option<&Grid> {
        match &self.source {
            Source::Csv(_) => None,
            Source::Grid { grid, .. } => Some(grid),
        }
    }

    /// Bytes of input read so far (of a CSV file; a workbook is read whole).
    pub(super) fn consumed(&self) -> u64 {
        match &self.source {
            Source::Csv(csv) => csv.get_ref().get_ref().consumed(),
            Source::Grid { .. } => 0,
        }
    }

    /// Reads the rows after the header, reporting rows that are not well
    /// formed to `sink` and handing the others to `row`; `progress` hears
    /// the rows and bytes read every [`PROGRESS_EVERY`] rows. Returns the
    /// number of rows read.
    ///
    /// A row short of cells with a line break in one (only a quoted cell
    /// holds one) may be the file's last row with a quote never closed,
    /// which swallowed the rest: with `cells_hold_breaks` it is held back
    /// until the next read tells, without it it is refused at once.
    pub(super) fn read_rows(
        &mut self,
        sink: &mut Sink,
        cells_hold_breaks: bool,
        progress: impl FnMut(u64, u64),
        row: impl FnMut(&mut Sink, RawRow<'_>) -> Result<()>,
    ) -> Result<u64> {
        let checks = Checks {
            file: &self.file,
            names: &self.names,
            allowed: &self.allowed,
            limit: self.limit,
        };
        match &mut self.source {
            Source::Csv(csv) => read_csv_rows(csv, &checks, sink, cells_hold_breaks, progress, row),
            Source::Grid { grid, next } => {
                grid::read_grid_rows(grid, *next, &checks, sink, progress, row)
            }
        }
    }
}

/// What every row is checked against, whatever its source.
struct Checks<'c> {
    file: &'c str,
    names: &'c [String],
    allowed: &'c [bool],
    /// The most bytes a row may hold.
    limit: u64,
}

/// Reads a CSV file's rows after the header (see [`SheetReader::read_rows`]).
fn read_csv_rows(
    csv: &mut CsvReader<'_>,
    checks: &Checks<'_>,
    sink: &mut Sink,
    cells_hold_breaks: bool,
    mut progress: impl FnMut(u64, u64),
    mut row: impl FnMut(&mut Sink, RawRow<'_>) -> Result<()>,
) -> Result<u64> {
    let mut record = csv::StringRecord::new();
    let mut scratch = String::new();
    let mut rows = 0u64;
    let mut held: Option<(csv::StringRecord, At<'static>)> = None;
    loop {
        let start = csv.position().byte();
        csv.get_mut().row_starts_at(start);
        let read = csv.read_record(&mut record);
        if !matches!(read, Ok(false))
            && let Some((held_row, at)) = held.take()
        {
            let raw = RawRow {
                record: &held_row,
                row: at.row,
                line: at.line,
                neutralized: true,
            };
            row(sink, raw)?;
        }
        match read {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let position = e.position().unwrap_or_else(|| csv.position());
                let at = At::top(position.line()).with_row(position.record() + 1);
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                sink.error(checks.file, at, None, "", csv_reason(&e));
                if fatal {
                    break;
                }
                continue;
            }
        }
        rows += 1;
        if rows.is_multiple_of(PROGRESS_EVERY) {
            progress(rows, csv.get_ref().get_ref().consumed());
        }
        strip_cr(&mut record, &mut scratch);
        let line = record_line(csv, &record);
        // Each record is a row of the sheet: title rows and blank rows
        // count, and a cell's line breaks do not.
        let at = At {
            row: record.position().map_or(line, |p| p.record() + 1),
            line,
            name: None,
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let limit = csv.get_ref().limit();
        if csv.position().byte() - start > limit {
            sink.error(checks.file, at, None, "", limit::too_large(limit));
            continue;
        }
        if let Some((column, value, reason)) = oversized_cell(&record, checks.names) {
            sink.error(checks.file, at, column.as_deref(), &value, reason);
            continue;
        }
        if checks.refuse_my_numbers(sink, &record, at, true) {
            continue;
        }
        if maybe_unclosed(&record, checks.names) {
            if cells_hold_breaks {
                held = Some((record.clone(), at));
            } else {
                sink.error(checks.file, at, None, "", UNCLOSED_QUOTE.into());
            }
            continue;
        }
        let raw = RawRow {
            record: &record,
            row: at.row,
            line,
            neutralized: true,
        };
        row(sink, raw)?;
    }
    if let Some((held_row, at)) = held {
        // The file's last line break fell inside the open quote, so
        // `record_line` counted it twice: once as a terminator.
        let line = at.line + u64::from(held_row.as_slice().ends_with('\n'));
        let at = At { line, ..at };
        sink.error(checks.file, at, None, "", UNCLOSED_QUOTE.into());
    }
    Ok(rows)
}

impl Checks<'_> {
    /// A file column's header, or `column N` when it has none.
    fn column_name(&self, index: usize) -> String {
        self.names
            .get(index)
            .filter(|name| !name.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("column {}", index + 1))
    }

    /// Reports every cell of a row holding a number shaped like a 個人番号,
    /// outside the columns allowed to; true when there is one.
    fn refuse_my_numbers(
        &self,
        sink: &mut Sink,
        record: &csv::StringRecord,
        at: At<'_>,
        neutralized: bool,
    ) -> bool {
        if !mynumber::may_hold_one(record.as_slice()) {
            return false;
        }
        let mut refused = false;
        for (index, cell) in record.iter().enumerate() {
            if self.allowed.get(index).copied().unwrap_or(false) {
                continue;
            }
            let cell = if neutralized {
                unneutralize(cell)
            } else {
                cell
            };
            if let Some(found) = mynumber::find(cell) {
                let column = self.column_name(index);
                let reason = Localized::from(MY_NUMBER_CELL);
                sink.error(self.file, at, Some(&column), &found.masked, reason);
                refused = true;
            }
        }
        refused
    }
}

/// Why no header row was found among the rows `above` (the first rows of
/// the file): what they lack, and the first of them that hold anything.
fn no_header(above: &[Vec<String>], missing: &Localized) -> Localized {
    let shown: Vec<(usize, String)> = above
        .iter()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()))
        .take(SHOWN_ROWS)
        .map(|(index, cells)| {
            let cells: Vec<&str> = cells
                .iter()
                .map(String::as_str)
                .filter(|c| !c.is_empty())
                .collect();
            (index + 1, cells.join(" | "))
        })
        .collect();
    Localized::new(
        format!(
            "最初の {} 行に見出しの行がありません: {}{}{}",
            above.len(),
            missing.ja,
            if shown.is_empty() {
                ""
            } else {
                "。ファイルの始まり: "
            },
            shown
                .iter()
                .map(|(row, cells)| format!("{row} 行目: {cells}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        format!(
            "no header row in the first {} rows: {}{}{}",
            above.len(),
            missing.en,
            if shown.is_empty() {
                ""
            } else {
                "; the file begins "
            },
            shown
                .iter()
                .map(|(row, cells)| format!("row {row}: {cells}"))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    )
}

/// The line a record starts on. Rows end at LF, so the reader's line after
/// a row is the next row's line, or the row's own last line when the file
/// ends without a line break; line breaks inside cells are counted back.
fn record_line<R: Read>(
    reader: &csv::Reader<Limited<Decode<R>>>,
    record: &csv::StringRecord,
) -> u64 {
    let position = reader.position();
    let terminated =
        reader.get_ref().get_ref().end_at(position.byte()) != TextEnd::WithoutLineBreak;
    let breaks = if record.as_slice().contains('\n') {
        record.as_slice().bytes().filter(|&b| b == b'\n').count() as u64
    } else {
        0
    };
    position
        .line()
        .saturating_sub(breaks + u64::from(terminated))
        .max(1)
}

/// Takes the CR of a CRLF line ending off a row's last cell.
fn strip_cr(record: &mut csv::StringRecord, scratch: &mut String) {
    let Some(last) = record.len().checked_sub(1) else {
        return;
    };
    let Some(cell) = record.get(last).filter(|cell| cell.ends_with('\r')) else {
        return;
    };
    scratch.clear();
    scratch.push_str(&cell[..cell.len() - 1]);
    record.truncate(last);
    record.push_field(scratch);
}

/// True when a row is short of cells and one holds a line break followed
/// by a comma: the shape of a quote that was never closed and ran on into
/// the following rows, when the row is the file's last.
fn maybe_unclosed(record: &csv::StringRecord, names: &[String]) -> bool {
    record.len() < names.len()
        && record.iter().any(|cell| {
            cell.split_once('\n')
                .is_some_and(|(_, rest)| rest.contains(','))
        })
}

/// A cell longer than a spreadsheet can hold: its column, a short preview
/// of it, and why it is refused. The value is measured, not the cell: the
/// `'` that export puts before a formula character is not counted, so that
/// a value of the most characters a field may hold comes back.
fn oversized_cell(
    record: &csv::StringRecord,
    names: &[String],
) -> Option<(Option<String>, String, Localized)> {
    let (index, chars) = record
        .iter()
        .enumerate()
        .filter(|(_, cell)| cell.len() > MAX_CELL_CHARS)
        .map(|(index, cell)| (index, unneutralize(cell).chars().count()))
        .find(|(_, chars)| *chars > MAX_CELL_CHARS)?;
    let preview: String = record.get(index)?.chars().take(20).collect();
    Some((
        names.get(index).cloned(),
        format!("{preview}…"),
        Localized::new(
            format!(
                "セルに {chars} 文字あります。表計算のセルに入るのは {MAX_CELL_CHARS} 文字までです"
            ),
            format!(
                "the cell holds {chars} characters; a spreadsheet cell holds at most {MAX_CELL_CHARS}"
            ),
        ),
    ))
}

fn csv_reason(error: &csv::Error) -> Localized {
    match error.kind() {
        csv::ErrorKind::Io(e) => {
            let inner = e.get_ref();
            if let Some(decode) = inner.and_then(|e| e.downcast_ref::<DecodeError>()) {
                decode.localized()
            } else if let Some(large) = inner.and_then(|e| e.downcast_ref::<RecordTooLarge>()) {
                limit::too_large(large.limit)
            } else {
                Localized::new(
                    format!("読み込みに失敗しました: {e}"),
                    format!("reading failed: {e}"),
                )
            }
        }
        csv::ErrorKind::Utf8 { .. } => Localized::from((
            "行が正しい UTF-8 ではありません",
            "the row is not valid UTF-8",
        )),
        _ => Localized::new(
            format!("行が正しい CSV ではありません: {error}"),
            format!("the row is not valid CSV: {error}"),
        ),
    }
}
