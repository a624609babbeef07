//! Reading an Excel workbook (`.xlsx`) with calamine into rows of cell
//! texts, which the sheet reader then takes exactly as it takes a CSV file's
//! rows: the same header finding, the same checks, the same importer.
//!
//! Each cell becomes the text a person sees in it, as a CSV of the sheet
//! would hold it: a date cell its ISO date, a whole number its digits without
//! `.0` (a 管理番号 typed as a number stays `1024`), a boolean `true` or
//! `false`, a formula its cached value (an empty cached text is an empty
//! cell). A merged region's value is read in every row of its first column
//! (a 所管 merged over the rows of one body belongs to each of them), but a
//! copied value alone does not make a spare row under it an asset. Hidden
//! rows and columns are read like the others: calamine reads every cell the
//! file holds.
//!
//! Cells are read one by one and only those with a value kept, never the
//! rectangle of the sheet's used range: a value far outside the data
//! (`XFD1048576`) is refused by its cell.
//!
//! What a cell cannot say — an error value (`#N/A`), a formula the file
//! holds no value for — is kept as a [`BadCell`] and refused by the reader
//! when the cell is in a row it imports, never read as empty.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader, Xlsx};

use crate::text::Localized;

/// The first bytes of a zip archive, which an `.xlsx` workbook is.
pub(super) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The first bytes of an OLE compound file: an Excel 97–2003 workbook (`.xls`).
pub(super) const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// True when an OLE compound file holds an encrypted workbook: the stream
/// `EncryptionInfo` of an Office document saved with a password (its name
/// in the container's directory, in UTF-16).
pub(super) fn is_encrypted_package(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|window| window == name)
}

/// Days between the two epochs of Excel's date serials: the 1900 system
/// counts from 1899-12-30 (and counts a 1900-02-29 that never was), the 1904
/// system, of old Mac workbooks, from 1904-01-01.
const EXCEL_1904_OFFSET: f64 = 1462.0;

/// An open workbook, its bytes read into memory (calamine seeks in the zip).
pub(super) struct Workbook {
    xlsx: Xlsx<Cursor<Vec<u8>>>,
    is_1904: bool,
    /// Written by daicho (see [`Grid::by_daicho`]).
    by_daicho: bool,
}

/// One worksheet read into rows of cell texts.
#[derive(Debug, Default)]
pub(super) struct Grid {
    /// The sheet's name.
    pub(super) sheet: String,
    /// The rows from row 1 (index 0) to the last with a value, each
    /// holding only its cells with a value, in column order.
    pub(super) rows: Vec<Vec<GridCell>>,
    /// Cells whose value cannot be read, by row and column from 0, in
    /// that order.
    pub(super) bad: Vec<BadCell>,
    /// Merged regions, as `A1:F1`.
    pub(super) merged: Vec<String>,
    /// Formula cells read as their cached values.
    pub(super) formulas: u64,
    /// The names of all the workbook's sheets.
    pub(super) sheets: Vec<String>,
    /// Whether daicho wrote the workbook, whose derived columns
    /// ([`super::DERIVED_ASSET_HEADERS`]) the importer passes over.
    pub(super) by_daicho: bool,
}

/// A cell with a value.
#[derive(Debug, Clone)]
pub(super) struct GridCell {
    /// The column, from 0.
    pub(super) column: u32,
    pub(super) text: String,
    /// Copied from the top of a merged region, not the cell's own value.
    pub(super) copied: bool,
}

/// A cell whose value cannot be read.
#[derive(Debug, Clone)]
pub(super) struct BadCell {
    pub(super) row: u32,
    pub(super) column: u32,
    /// What the cell shows, e.g. `#N/A` or the formula.
    pub(super) shown: String,
    pub(super) reason: Localized,
}

impl Workbook {
    /// Opens a workbook's bytes; the reason when they are not one.
    pub(super) fn open(bytes: Vec<u8>) -> Result<Workbook, Localized> {
        let xlsx = Xlsx::new(Cursor::new(bytes)).map_err(|e| {
            Localized::new(
                format!("Excel ブック (.xlsx) として読めません: {e}"),
                format!("the file cannot be read as an Excel workbook (.xlsx): {e}"),
            )
        })?;
        let is_1904 = xlsx.has_1904_epoch();
        // The name daicho writes; a workbook written before it had one has
        // sheets 点検結果 and 凡例 beside 台帳.
        let sheets = xlsx.sheet_names();
        let has = |name: &str| sheets.iter().any(|sheet| sheet == name);
        let by_daicho = xlsx
            .defined_names()
            .iter()
            .any(|(name, _)| name == super::DERIVED_COLUMNS_NAME)
            || (has(super::FINDINGS_SHEET) && has(super::LEGEND_SHEET));
        Ok(Workbook {
            xlsx,
            is_1904,
            by_daicho,
        })
    }

    /// The names of the worksheets, in the workbook's order.
    pub(super) fn sheet_names(&self) -> Vec<String> {
        self.xlsx.sheet_names()
    }

    /// Reads a worksheet; the reason when it cannot be read.
    ///
    /// The cells are read one by one as the file holds them, and only those
    /// with a value are kept: a workbook that declares a huge used range
    /// (or holds one stray value at `XFD1048576`) is never read into the
    /// whole rectangle of rows and columns. A value beyond column
    /// [`MAX_COLUMNS`], or more than [`MAX_ROW_GAP`] rows below the rest,
    /// is refused by its cell.
    pub(super) fn grid(&mut self, sheet: &str) -> Result<Grid, Localized> {
        let merged = self
            .xlsx
            .merge_cells_by_sheet_name(sheet)
            .map_err(|e| unreadable_sheet(sheet, &e))?;
        let (mut values, mut bad) = self.values(sheet)?;
        let formulas = self.formulas(sheet, &mut bad)?;
        let mut grid = Grid {
            sheet: sheet.to_owned(),
            formulas,
            by_daicho: self.by_daicho,
            sheets: self.xlsx.sheet_names(),
            ..Grid::default()
        };
        values.sort_unstable_by_key(|(row, column, _)| (*row, *column));
        bad.sort_by_key(|cell| (cell.row, cell.column));
        check_gaps(sheet, &values, &bad)?;
        let height = values
            .last()
            .map(|(row, ..)| *row)
            .into_iter()
            .chain(bad.last().map(|cell| cell.row))
            .max()
            .map_or(0, |row| row as usize + 1);
        grid.rows = vec![Vec::new(); height];
        for (row, column, text) in values {
            grid.rows[row as usize].push(GridCell {
                column,
                text,
                copied: false,
            });
        }
        grid.bad = bad;
        for region in &merged {
            grid.merged.push(format!(
                "{}:{}",
                address(region.start.0, region.start.1),
                address(region.end.0, region.end.1)
            ));
            grid.spread(region.start, region.end);
        }
        Ok(grid)
    }

    /// The cells of a worksheet with a value, as texts by row and column,
    /// and those whose value cannot be read; a cell out of bounds refuses
    /// the sheet.
    #[allow(clippy::type_complexity, reason = "a private pair of lists")]
    fn values(
        &mut self,
        sheet: &str,
    ) -> Result<(Vec<(u32, u32, String)>, Vec<BadCell>), Localized> {
        let failed = |e: &dyn std::fmt::Display| unreadable_sheet(sheet, e);
        let is_1904 = self.is_1904;
        let mut values: Vec<(u32, u32, String)> = Vec::new();
        let mut bad: Vec<BadCell> = Vec::new();
        let mut cells = self
            .xlsx
            .worksheet_cells_reader(sheet)
            .map_err(|e| failed(&e))?;
        // Each style's number format, by style id.
        let formats: Vec<Option<String>> = cells
            .styles()
            .iter()
            .map(|style| style.number_format.as_ref().map(|f| f.format_code.clone()))
            .collect();
        while let Some((cell, style)) = cells.next_cell_with_style_id().map_err(|e| failed(&e))? {
            let (row, column) = cell.get_position();
            let value = Data::from(cell.get_value().clone());
            if matches!(value, Data::Empty) {
                continue;
            }
            let format = formats.get(style).and_then(Option::as_deref);
            match cell_text(&value, is_1904, format) {
                Ok(text) if text.is_empty() => {}
                Ok(text) => {
                    check_bounds(sheet, row, column)?;
                    values.push((row, column, text));
                }
                Err(reason) => {
                    check_bounds(sheet, row, column)?;
                    bad.push(BadCell {
                        row,
                        column,
                        shown: value.to_string(),
                        reason: Localized::new(reason.ja, reason.en),
                    });
                }
            }
        }
        Ok((values, bad))
    }

    /// Counts a worksheet's formula cells with a saved result, and adds
    /// those without one to `bad`.
    fn formulas(&mut self, sheet: &str, bad: &mut Vec<BadCell>) -> Result<u64, Localized> {
        let failed = |e: &dyn std::fmt::Display| unreadable_sheet(sheet, e);
        let mut formulas = 0u64;
        let mut cells = self
            .xlsx
            .worksheet_cells_reader(sheet)
            .map_err(|e| failed(&e))?;
        while let Some(cell) = cells.next_cell_with_formula().map_err(|e| failed(&e))? {
            let Some(formula) = cell.formula.filter(|f| !f.is_empty()) else {
                continue;
            };
            // A tool that calculates nothing leaves no `<v>`: no result.
            // An empty `<v></v>` is a result, the empty text
            // (`=IF(A1="","",A1)`), and the cell reads as empty.
            if matches!(cell.value, DataRef::Empty) {
                let (row, column) = cell.pos;
                check_bounds(sheet, row, column)?;
                bad.push(BadCell {
                    row,
                    column,
                    shown: format!("={formula}"),
                    reason: Localized::new(
                        "数式の計算結果がファイルに保存されていません。Excel で開いて保存し直してください",
                        "the file holds no result for this formula; open the workbook in Excel and save it again",
                    ),
                });
            } else {
                formulas += 1;
            }
        }
        Ok(formulas)
    }
}

/// Why a worksheet cannot be read.
fn unreadable_sheet(sheet: &str, e: &dyn std::fmt::Display) -> Localized {
    Localized::new(
        format!("シート `{sheet}` を読めません: {e}"),
        format!("cannot read the sheet `{sheet}`: {e}"),
    )
}

/// Columns a worksheet may use (A to IV, the columns of an Excel 97-2003
/// sheet): a register has fewer than fifty, which leaves room for a city's
/// own; a value further right is a stray one.
pub(super) const MAX_COLUMNS: u32 = 256;

/// Blank rows that may stand between two rows with values; a value further
/// below the rest is a stray one.
pub(super) const MAX_ROW_GAP: u32 = 10_000;

/// The reason a value far outside the data is refused, naming its cell.
fn stray_cell(sheet: &str, row: u32, column: u32) -> Localized {
    let cell = format!("{}!{}", sheet_reference(sheet), address(row, column));
    Localized::new(
        format!(
            "{cell} に値があります。台帳のデータから離れたセル（{MAX_COLUMNS} 列目より右、または {MAX_ROW_GAP} 行以上の空白の下）は読みません。そのセルを消して保存し直してください"
        ),
        format!(
            "{cell} holds a value far outside the data (right of column {}, or below {} blank rows); clear that cell and save the workbook again",
            column_letters(MAX_COLUMNS - 1),
            MAX_ROW_GAP
        ),
    )
}

/// The last row of a worksheet (from 0), as Excel has it.
const LAST_ROW: u32 = 1_048_575;

/// Refuses a cell right of the columns a worksheet may use, or below the
/// last row Excel has.
fn check_bounds(sheet: &str, row: u32, column: u32) -> Result<(), Localized> {
    if column >= MAX_COLUMNS || row > LAST_ROW {
        return Err(stray_cell(sheet, row, column));
    }
    Ok(())
}

/// Refuses the first cell below more than [`MAX_ROW_GAP`] blank rows (the
/// cells sorted by row).
fn check_gaps(
    sheet: &str,
    values: &[(u32, u32, String)],
    bad: &[BadCell],
) -> Result<(), Localized> {
    let mut cells: Vec<(u32, u32)> = values
        .iter()
        .map(|(row, column, _)| (*row, *column))
        .chain(bad.iter().map(|cell| (cell.row, cell.column)))
        .collect();
    cells.sort_unstable();
    let mut next = 0u32;
    for (row, column) in cells {
        if row - next.min(row) > MAX_ROW_GAP {
            return Err(stray_cell(sheet, row, column));
        }
        next = row + 1;
    }
    Ok(())
}

impl Grid {
    /// A row's cells from column A, the blank ones empty; empty past the
    /// sheet's last row.
    pub(super) fn texts(&self, row: usize) -> Vec<String> {
        let Some(cells) = self.rows.get(row) else {
            return Vec::new();
        };
        let width = cells.last().map_or(0, |cell| cell.column as usize + 1);
        let mut texts = vec![String::new(); width];
        for cell in cells {
            texts[cell.column as usize].clone_from(&cell.text);
        }
        texts
    }

    /// True when no cell of a row holds a value of its own: a value a
    /// merged region copies into it does not count, so that the spare
    /// blank rows under a merged 所管 stay blank.
    pub(super) fn is_blank(&self, row: usize) -> bool {
        self.rows.get(row).is_none_or(|cells| {
            cells
                .iter()
                .all(|cell| cell.copied || cell.text.trim().is_empty())
        })
    }

    /// Gives every row of a merged region's first column the value of its
    /// top-left cell, up to the sheet's last row.
    fn spread(&mut self, start: (u32, u32), end: (u32, u32)) {
        let column = start.1;
        let Some(value) = self
            .rows
            .get(start.0 as usize)
            .and_then(|row| row.iter().find(|cell| cell.column == column))
            .map(|cell| cell.text.clone())
            .filter(|value| !value.is_empty())
        else {
            return;
        };
        let last = end.0.min(self.rows.len().saturating_sub(1) as u32);
        for row in (start.0 + 1)..=last {
            let cells = &mut self.rows[row as usize];
            match cells.binary_search_by_key(&column, |cell| cell.column) {
                Ok(at) => cells[at].text.clone_from(&value),
                Err(at) => cells.insert(
                    at,
                    GridCell {
                        column,
                        text: value.clone(),
                        copied: true,
                    },
                ),
            }
        }
    }
}

/// Why a cell's value cannot be read, in both languages.
struct Unreadable {
    ja: String,
    en: String,
}

/// The text a cell's value reads as; `format` is the cell's number format.
fn cell_text(value: &Data, is_1904: bool, format: Option<&str>) -> Result<String, Unreadable> {
    Ok(match value {
        Data::Empty => String::new(),
        Data::String(text) | Data::DurationIso(text) => text.clone(),
        #[allow(clippy::cast_precision_loss, reason = "an Int cell came from a float")]
        Data::Int(number) => formatted_number(*number as f64, format),
        Data::Float(number) => formatted_number(*number, format),
        Data::Bool(yes) => if *yes { "true" } else { "false" }.to_owned(),
        // A time of day alone (`9:30`) is a serial below 1, the day before
        // either epoch: its time, which no date column reads as a date.
        Data::DateTime(time) if time.is_datetime() && (0.0..1.0).contains(&time.as_f64()) => {
            time_text(time.as_f64())
        }
        Data::DateTime(date) if date.is_datetime() => date_text(date.as_f64(), is_1904)
            .ok_or_else(|| Unreadable {
                ja: "日付のセルの値が日付の範囲外です".to_owned(),
                en: "the date cell's value is outside the range of dates".to_owned(),
            })?,
        Data::DateTime(duration) => number_text(duration.as_f64()),
        Data::DateTimeIso(text) => text.strip_suffix("T00:00:00").unwrap_or(text).to_owned(),
        Data::Error(error) => {
            return Err(Unreadable {
                ja: format!("セルがエラー値 {error} です。正しい値を入力してください"),
                en: format!("the cell holds the error value {error}; enter its value"),
            });
        }
    })
}

/// 2^53: below it every whole number is exact in an `f64`.
const EXACT_WHOLE: f64 = 9_007_199_254_740_992.0;

/// A number cell as Excel shows it: a whole number under a zero-padding
/// format (`00000`) with its leading zeros (`00123`), as a 管理番号 in a
/// text column is meant; otherwise as [`number_text`].
fn formatted_number(number: f64, format: Option<&str>) -> String {
    let width = format
        .and_then(|format| format.split(';').next())
        .filter(|section| !section.is_empty() && section.bytes().all(|b| b == b'0'))
        .map(str::len);
    match width {
        Some(width) if number.fract() == 0.0 && number.abs() < EXACT_WHOLE => {
            let sign = if number < 0.0 { "-" } else { "" };
            format!("{sign}{:0width$}", number.abs() as i64)
        }
        _ => number_text(number),
    }
}

/// A number as a person typed it and Excel shows it: a whole number without
/// `.0`, others rounded to the 15 significant digits Excel keeps and shows
/// (a formula's `1200.0000000000002` is `1200`), in the shortest form.
fn number_text(number: f64) -> String {
    let number = if number.fract() == 0.0 || !number.is_finite() {
        number
    } else {
        // Excel's 15 significant digits: through scientific notation, which
        // rounds at the digit, and back.
        format!("{number:.14e}").parse().unwrap_or(number)
    };
    // Below 2^53 every whole number is exact, and `as` cannot overflow.
    if number.fract() == 0.0 && number.abs() < EXACT_WHOLE {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// A time of day (a serial below 1) as `HH:MM:SS`.
fn time_text(serial: f64) -> String {
    let seconds = ((serial * 86_400.0).round() as i64).min(86_399);
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// An Excel date serial as an ISO date, with the time of day when it has one.
fn date_text(serial: f64, is_1904: bool) -> Option<String> {
    let serial = if is_1904 {
        serial + EXCEL_1904_OFFSET
    } else {
        serial
    };
    if !(0.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    // The 1900 system counts 1900-02-29, which never was: serials before it
    // are a day off from 1899-12-30.
    let days = serial.floor();
    let base = jiff::civil::date(1899, 12, 30);
    let days = if days < 60.0 { days + 1.0 } else { days };
    let date = base.checked_add(jiff::Span::new().days(days as i64)).ok()?;
    let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if seconds == 0 || seconds == 86_400 {
        return Some(date.to_string());
    }
    Some(format!(
        "{date} {:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    ))
}

/// A cell's address as Excel writes it, from a row and column from 0: `F12`.
pub(crate) fn address(row: u32, column: u32) -> String {
    format!("{}{}", column_letters(column), row + 1)
}

/// A column's letters, from 0: `A`, `Z`, `AA`.
pub(crate) fn column_letters(column: u32) -> String {
    let mut letters = Vec::new();
    let mut rest = column + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(char::from(b'A' + digit as u8));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A sheet's name as a reference writes it: quoted when it holds anything
/// but letters, digits and `_` (`'関連 (2)'!A1`).
pub(crate) fn sheet_reference(sheet: &str) -> String {
    if sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        sheet.to_owned()
    } else {
        format!("'{}'", sheet.replace('\'', "''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_written_as_excel_writes_them() {
        assert_eq!(address(0, 0), "A1");
        assert_eq!(address(11, 5), "F12");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(sheet_reference("台帳"), "台帳");
        assert_eq!(sheet_reference("関連 (2)"), "'関連 (2)'");
        assert_eq!(sheet_reference("it's"), "'it''s'");
    }

    #[test]
    fn numbers_keep_their_digits_and_dates_read_as_iso() {
        assert_eq!(number_text(1024.0), "1024");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(1.5), "1.5");
        assert_eq!(number_text(0.1), "0.1");
        assert_eq!(number_text(1e20), "100000000000000000000");
        // 2025-04-08 is serial 45755 in the 1900 system.
        assert_eq!(date_text(45755.0, false).as_deref(), Some("2025-04-08"));
        assert_eq!(
            date_text(45755.0 - EXCEL_1904_OFFSET, true).as_deref(),
            Some("2025-04-08")
        );
        assert_eq!(
            date_text(45755.5, false).as_deref(),
            Some("2025-04-08 12:00:00")
        );
        assert_eq!(date_text(1.0, false).as_deref(), Some("1900-01-01"));
        assert_eq!(date_text(61.0, false).as_deref(), Some("1900-03-01"));
        assert_eq!(date_text(-1.0, false), None);
    }

    #[test]
    fn a_time_alone_reads_as_its_time_not_a_date_in_1899() {
        let time = |serial: f64| {
            let cell = Data::DateTime(calamine::ExcelDateTime::new(
                serial,
                calamine::ExcelDateTimeType::DateTime,
                false,
            ));
            cell_text(&cell, false, Some("h:mm")).ok()
        };
        // 09:30 is 0.3958333 of a day.
        assert_eq!(time(9.5 / 24.0).as_deref(), Some("09:30:00"));
        assert_eq!(time(0.0).as_deref(), Some("00:00:00"));
        assert_eq!(time(0.999_999_9).as_deref(), Some("23:59:59"));
        assert_eq!(time(45755.0).as_deref(), Some("2025-04-08"));
    }

    #[test]
    fn numbers_read_as_excel_shows_them() {
        // A zero-padding format shows the digits a 管理番号 is meant to have.
        assert_eq!(formatted_number(123.0, Some("00000")), "00123");
        assert_eq!(formatted_number(-123.0, Some("00000")), "-00123");
        assert_eq!(formatted_number(123_456.0, Some("00000")), "123456");
        assert_eq!(formatted_number(123.0, Some("00000;@")), "00123");
        assert_eq!(formatted_number(123.5, Some("00000")), "123.5");
        assert_eq!(formatted_number(123.0, Some("General")), "123");
        assert_eq!(formatted_number(123.0, Some("#,##0")), "123");
        assert_eq!(formatted_number(123.0, None), "123");
        // A formula's floating-point residue, as Excel's 15 digits show it.
        assert_eq!(number_text(1_200.000_000_000_000_2), "1200");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(-0.1 - 0.2), "-0.3");
        assert_eq!(number_text(1.234_567_890_123_45), "1.23456789012345");
        // Negative and very large numbers.
        assert_eq!(number_text(-1024.0), "-1024");
        assert_eq!(number_text(9_007_199_254_740_991.0), "9007199254740991");
        assert_eq!(number_text(1e300).len(), 301);
        assert_eq!(number_text(-2.5e-7), "-0.00000025");
    }
}
