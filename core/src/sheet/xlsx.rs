//! Reading an Excel workbook (`.xlsx`) with calamine into rows of cell
//! texts, which the sheet reader then takes exactly as it takes a CSV file's
//! rows: the same header finding, the same checks, the same importer.
//!
//! Each cell becomes the text a person sees in it, as a CSV of the sheet
//! would hold it: a date cell its ISO date, a whole number its digits without
//! `.0` (a 管理番号 typed as a number stays `1024`), a boolean `true` or
//! `false`, a formula its cached value. A merged region's value is read in
//! every row of its first column (a 所管 merged over the rows of one body
//! belongs to each of them). Hidden rows and columns are read like the
//! others: calamine reads every cell the file holds.
//!
//! What a cell cannot say — an error value (`#N/A`), a formula the file
//! holds no value for — is kept as a [`BadCell`] and refused by the reader
//! when the cell is in a row it imports, never read as empty.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::text::Localized;

/// The first bytes of a zip archive, which an `.xlsx` workbook is.
pub(super) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The first bytes of an OLE compound file: an Excel 97–2003 workbook (`.xls`).
pub(super) const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Days between the two epochs of Excel's date serials: the 1900 system
/// counts from 1899-12-30 (and counts a 1900-02-29 that never was), the 1904
/// system, of old Mac workbooks, from 1904-01-01.
const EXCEL_1904_OFFSET: f64 = 1462.0;

/// An open workbook, its bytes read into memory (calamine seeks in the zip).
pub(super) struct Workbook {
    xlsx: Xlsx<Cursor<Vec<u8>>>,
    is_1904: bool,
}

/// One worksheet read into rows of cell texts.
#[derive(Debug, Default)]
pub(super) struct Grid {
    /// The sheet's name.
    pub(super) sheet: String,
    /// The rows from row 1 (index 0), each from column A.
    pub(super) rows: Vec<Vec<String>>,
    /// Cells whose value cannot be read, by row and column from 0.
    pub(super) bad: Vec<BadCell>,
    /// Merged regions, as `A1:F1`.
    pub(super) merged: Vec<String>,
    /// Formula cells read as their cached values.
    pub(super) formulas: u64,
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
        Ok(Workbook { xlsx, is_1904 })
    }

    /// The names of the worksheets, in the workbook's order.
    pub(super) fn sheet_names(&self) -> Vec<String> {
        self.xlsx.sheet_names()
    }

    /// Reads a worksheet; the reason when it cannot be read.
    pub(super) fn grid(&mut self, sheet: &str) -> Result<Grid, Localized> {
        let failed = |e: &dyn std::fmt::Display| {
            Localized::new(
                format!("シート `{sheet}` を読めません: {e}"),
                format!("cannot read the sheet `{sheet}`: {e}"),
            )
        };
        let range = self.xlsx.worksheet_range(sheet).map_err(|e| failed(&e))?;
        let formulas = self.xlsx.worksheet_formula(sheet).map_err(|e| failed(&e))?;
        let merged = self
            .xlsx
            .merge_cells_by_sheet_name(sheet)
            .map_err(|e| failed(&e))?;
        let mut grid = Grid {
            sheet: sheet.to_owned(),
            ..Grid::default()
        };
        if let (Some(start), Some(end)) = (range.start(), range.end()) {
            let height = end.0 as usize + 1;
            let width = end.1 as usize + 1;
            grid.rows = vec![vec![String::new(); width]; height];
            for (row, column, value) in range.used_cells() {
                let (row, column) = (row + start.0 as usize, column + start.1 as usize);
                match cell_text(value, self.is_1904) {
                    Ok(text) => grid.rows[row][column] = text,
                    Err(reason) => grid.bad.push(BadCell {
                        row: row as u32,
                        column: column as u32,
                        shown: value.to_string(),
                        reason: Localized::new(reason.ja, reason.en),
                    }),
                }
            }
        }
        if let Some(start) = formulas.start() {
            for (row, column, formula) in formulas.used_cells() {
                if formula.is_empty() {
                    continue;
                }
                let (row, column) = (
                    (row + start.0 as usize) as u32,
                    (column + start.1 as usize) as u32,
                );
                // A tool that calculates nothing leaves no result, or an
                // empty one.
                let has_value = range.get_value((row, column)).is_some_and(|value| {
                    !matches!(value, Data::Empty)
                        && !matches!(value, Data::String(s) if s.is_empty())
                });
                if has_value {
                    grid.formulas += 1;
                } else {
                    grid.bad.push(BadCell {
                        row,
                        column,
                        shown: format!("={formula}"),
                        reason: Localized::new(
                            "数式の計算結果がファイルに保存されていません。Excel で開いて保存し直してください",
                            "the file holds no result for this formula; open the workbook in Excel and save it again",
                        ),
                    });
                }
            }
        }
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
}

impl Grid {
    /// Gives every row of a merged region's first column the value of its
    /// top-left cell.
    fn spread(&mut self, start: (u32, u32), end: (u32, u32)) {
        let column = start.1 as usize;
        let Some(value) = self
            .rows
            .get(start.0 as usize)
            .and_then(|row| row.get(column))
            .filter(|value| !value.is_empty())
            .cloned()
        else {
            return;
        };
        for row in (start.0 + 1)..=end.0 {
            if let Some(cell) = self
                .rows
                .get_mut(row as usize)
                .and_then(|row| row.get_mut(column))
            {
                cell.clone_from(&value);
            }
        }
    }
}

/// Why a cell's value cannot be read, in both languages.
struct Unreadable {
    ja: String,
    en: String,
}

/// The text a cell's value reads as.
fn cell_text(value: &Data, is_1904: bool) -> Result<String, Unreadable> {
    Ok(match value {
        Data::Empty => String::new(),
        Data::String(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) => number_text(*number),
        Data::Bool(yes) => if *yes { "true" } else { "false" }.to_owned(),
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

/// A number as a person typed it: a whole number without `.0`, others in
/// the shortest form that reads back the same.
fn number_text(number: f64) -> String {
    // Below 2^53 every whole number is exact, and `as` cannot overflow.
    if number.fract() == 0.0 && number.abs() < 9_007_199_254_740_992.0 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
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
}
