//! CSV import and export: the office-sheet door onto the register.
//!
//! City staff keep their registers in Excel. This module reads the CSV files
//! Excel writes (UTF-8 with a BOM, CP932, UTF-16; CRLF; Japanese headers; era
//! dates; `○`/`×`) and writes files Excel opens correctly.
//!
//! - Import ([`Register::import_assets`], [`Register::import_links`],
//!   [`Register::import_paths`]) is atomic: every row is validated, every
//!   error is collected with its line, column, value and reason, and if any
//!   row fails nothing is written ([`Error::Import`]). Rows with an id update
//!   that asset (an audit entry only when something changed), rows without
//!   one create assets. The whole import is one transaction.
//! - Export ([`Register::export_assets`], [`Register::export_links`]) writes
//!   canonical codes in a fixed column order ([`ASSET_HEADERS_EN`] or
//!   [`ASSET_HEADERS_JA`]), then the extra (city-specific) columns in the
//!   order they were first seen, so that export, import, export gives the
//!   same bytes.
//!
//! # Formula neutralizing
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in
//! some tools, a tab or carriage return) as a formula. On export such a cell
//! gets a leading `'`, which Excel shows as "text" and does not run. The
//! importer removes one leading `'` when what follows it (after any further
//! `'`) starts with one of those characters. A cell that itself starts with
//! `'` before such a character is exported with one more `'`, so every value
//! survives export and import unchanged: `=SUM(A1)` ↔ `'=SUM(A1)`,
//! `'=x` ↔ `''=x`, while `'quoted'` stays as it is.
//!
//! # Encodings
//!
//! Import detects the encoding: a byte-order mark means UTF-8 or UTF-16;
//! otherwise valid UTF-8 is read as UTF-8 and anything else as CP932
//! (Windows-31J, what Excel's 「CSV (コンマ区切り)」 writes). Decoding streams, so
//! memory does not grow with the file. [`ImportOptions::encoding`] forces one.
//! Export writes UTF-8 with a BOM by default, or UTF-8 without one, or CP932,
//! where a character CP932 cannot hold is an error naming its row and column
//! unless [`ExportOptions::replace_unencodable`] asks for `?` instead.
//!
//! ```
//! use daicho::{Filter, Policy, Register};
//! use daicho::sheet::{ExportOptions, ImportOptions};
//!
//! # fn main() -> daicho::Result<()> {
//! let mut register = Register::in_memory(&Policy::niigata())?;
//! let sheet = "資産名,種別,所管,機密性,完全性,可用性,点検日\r\n\
//!              住民記録データ,イ,市長部局,自治体機密性3B,2,2,令和7年4月8日\r\n";
//! let report = register.import_assets(sheet.as_bytes(), &ImportOptions::default())?;
//! assert_eq!(report.assets.created, 1);
//!
//! let mut out = Vec::new();
//! register.export_assets(&mut out, &Filter::default(), &ExportOptions::default())?;
//! let again = register.import_assets(out.as_slice(), &ImportOptions::default())?;
//! assert_eq!(again.assets.unchanged, 1);
//! # Ok(())
//! # }
//! ```

mod assets;
mod columns;
mod decode;
mod export;
mod header;
mod identity;
mod ids;
mod import;
pub(crate) use import::Hooks;
mod limit;
mod links;
mod pipeline;
mod reader;
mod sink;
mod workbook;
mod xlsx;

use std::fmt;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::mynumber::Masked;
#[cfg(doc)]
use crate::register::Register;

pub use crate::error::RowError;
pub use crate::messages::import_message;
pub use crate::table::{ASSET_HEADERS_EN, ASSET_HEADERS_JA};
pub use columns::{LINK_HEADERS_EN, LINK_HEADERS_JA};
use sink::Sink;
pub use workbook::{
    ASSETS_SHEET, DERIVED_ASSET_HEADERS, DERIVED_COLUMNS_NAME, DERIVED_LINK_HEADERS,
    FINDINGS_SHEET, LEGEND_SHEET, LINKS_SHEET, WorkbookReport,
};

/// A cell as every CSV daicho writes holds it: with one more leading `'`
/// when a spreadsheet would run it as a formula (see
/// [formula neutralizing](self#formula-neutralizing)), which the importer
/// removes again. The CLI's `--format csv` writes each cell through this.
///
/// ```
/// use daicho::sheet::neutralize;
///
/// assert_eq!(neutralize("=HYPERLINK(\"http://example.invalid\")"), "'=HYPERLINK(\"http://example.invalid\")");
/// assert_eq!(neutralize("'@SUM(A1)"), "''@SUM(A1)");
/// assert_eq!(neutralize("水道局"), "水道局");
/// ```
pub fn neutralize(cell: &str) -> std::borrow::Cow<'_, str> {
    if reader::needs_neutralizing(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// How many row errors (and warnings) are kept; the count is never capped.
pub const MAX_STORED_ISSUES: usize = 1000;

/// The most bytes one row of a sheet may hold unless
/// [`ImportOptions::max_record_bytes`] says otherwise: 1 MiB, of the text as
/// decoded into UTF-8.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 1 << 20;

/// A text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (what Excel's 「CSV UTF-8」 writes).
    Utf8Bom,
    /// CP932 (Windows-31J, `Shift_JIS` with the NEC and IBM extensions), what
    /// Excel's 「CSV (コンマ区切り)」 writes on Japanese Windows.
    Cp932,
    /// UTF-16 little-endian with a byte-order mark (Excel's 「Unicode テキスト」); import only.
    Utf16Le,
    /// UTF-16 big-endian with a byte-order mark; import only.
    Utf16Be,
}

impl Encoding {
    /// Parses a label: `utf-8`, `utf-8-sig` (or `utf-8-bom`), `cp932` (or
    /// `shift_jis`, `sjis`, `windows-31j`, `ms932`), `utf-16le`, `utf-16be`.
    pub fn parse(label: &str) -> Result<Encoding> {
        let folded = label.trim().to_ascii_lowercase().replace('_', "-");
        Ok(match folded.as_str() {
            "utf-8" | "utf8" => Encoding::Utf8,
            "utf-8-sig" | "utf-8-bom" | "utf8-sig" | "utf8-bom" => Encoding::Utf8Bom,
            "cp932" | "shift-jis" | "sjis" | "windows-31j" | "ms932" | "ms-kanji" => {
                Encoding::Cp932
            }
            "utf-16le" | "utf-16" | "utf16le" | "utf16" => Encoding::Utf16Le,
            "utf-16be" | "utf16be" => Encoding::Utf16Be,
            _ => {
                return Err(Error::unknown(
                    "encoding",
                    label,
                    [
                        "utf-8",
                        "utf-8-sig",
                        "cp932",
                        "shift_jis",
                        "utf-16le",
                        "utf-16be",
                    ],
                ));
            }
        })
    }

    /// The canonical label, e.g. `utf-8-sig` or `cp932`.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-sig",
            Encoding::Cp932 => "cp932",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl std::str::FromStr for Encoding {
    type Err = Error;

    fn from_str(s: &str) -> Result<Encoding> {
        Encoding::parse(s)
    }
}

/// The language of the header row on export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Headers {
    /// Canonical English `snake_case` names (`id`, `kind`, `name`, ...).
    #[default]
    En,
    /// The Japanese names of the office sheet (資産ID, 種別, 資産名, ...).
    Ja,
}

/// Progress of a long import or export, reported to [`ImportOptions::progress`]
/// or [`ExportOptions::progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// Work starts; the totals are given when known.
    Start {
        /// The input's size in bytes (imports from a file).
        total_bytes: Option<u64>,
        /// The number of rows (exports).
        total_rows: Option<u64>,
    },
    /// Rows and input bytes done so far (cumulative).
    Advance {
        /// Rows done.
        rows: u64,
        /// Input bytes consumed (imports); 0 for exports.
        bytes: u64,
    },
    /// Work is done.
    Finish,
}

/// A progress callback; it must be cheap, as it runs every few thousand rows.
type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Options of an import, set with `&mut self` chaining.
///
/// ```
/// use daicho::sheet::{Encoding, ImportOptions};
/// let mut options = ImportOptions::default();
/// options.encoding(Encoding::Cp932).dry_run(true).row_outcomes(true);
/// ```
#[derive(Clone, Default)]
pub struct ImportOptions {
    encoding: Option<Encoding>,
    extra_columns: Vec<String>,
    dry_run: bool,
    strict: bool,
    row_outcomes: bool,
    progress: Option<ProgressFn>,
    allow_my_number_like: Vec<String>,
    max_record_bytes: Option<u64>,
    sheet: Option<String>,
    links_sheet: Option<String>,
    lang: crate::text::Lang,
}

impl fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportOptions")
            .field("encoding", &self.encoding)
            .field("extra_columns", &self.extra_columns)
            .field("dry_run", &self.dry_run)
            .field("strict", &self.strict)
            .field("row_outcomes", &self.row_outcomes)
            .field("progress", &self.progress.is_some())
            .field("allow_my_number_like", &self.allow_my_number_like)
            .field("max_record_bytes", &self.record_limit())
            .field("sheet", &self.sheet)
            .field("links_sheet", &self.links_sheet)
            .field("lang", &self.lang)
            .finish()
    }
}

impl ImportOptions {
    /// Reads the input in this encoding instead of detecting it.
    pub fn encoding(&mut self, encoding: Encoding) -> &mut Self {
        self.encoding = Some(encoding);
        self
    }

    /// Keeps a column as a city's own attribute although its header looks
    /// like one of the asset columns (`個人情報の取扱い`), which is otherwise
    /// an error: a column is never dropped silently.
    pub fn extra_column(&mut self, header: impl Into<String>) -> &mut Self {
        self.extra_columns.push(header.into());
        self
    }

    /// Validates and classifies every row (new, updated, unchanged) but
    /// writes nothing.
    pub fn dry_run(&mut self, yes: bool) -> &mut Self {
        self.dry_run = yes;
        self
    }

    /// Refuses columns that are not part of the format, instead of keeping
    /// them as the assets' extra attributes.
    pub fn strict(&mut self, yes: bool) -> &mut Self {
        self.strict = yes;
        self
    }

    /// Records the outcome of every row in [`ImportReport::rows`].
    pub fn row_outcomes(&mut self, yes: bool) -> &mut Self {
        self.row_outcomes = yes;
        self
    }

    /// Calls `progress` as the import goes on.
    pub fn progress(&mut self, progress: impl Fn(Progress) + Send + Sync + 'static) -> &mut Self {
        self.progress = Some(Arc::new(progress));
        self
    }

    /// Lets a column hold numbers shaped like a 個人番号 (12 digits with a
    /// valid check digit), for a column that holds other 12-digit codes; may
    /// be given for several columns. Every other cell holding one is refused
    /// ([`crate::mynumber`]). The column is named by its header as written,
    /// or by any name of the same asset or link column (`notes`, `備考`).
    pub fn allow_my_number_like(&mut self, column: impl Into<String>) -> &mut Self {
        self.allow_my_number_like.push(column.into());
        self
    }

    /// The most bytes one row may hold (of the text decoded into UTF-8);
    /// a larger row is refused, and is never held in memory whole.
    /// [`DEFAULT_MAX_RECORD_BYTES`] (1 MiB) unless set.
    pub fn max_record_bytes(&mut self, bytes: u64) -> &mut Self {
        self.max_record_bytes = Some(bytes);
        self
    }

    /// For a workbook (`.xlsx`): reads the assets from this sheet, instead
    /// of the first sheet that has a header row.
    pub fn sheet(&mut self, name: impl Into<String>) -> &mut Self {
        self.sheet = Some(name.into());
        self
    }

    /// For a workbook: reads the links from this sheet, of the links
    /// workbook when one is given, else of the assets workbook
    /// ([`Register::import_paths`]).
    pub fn links_sheet(&mut self, name: impl Into<String>) -> &mut Self {
        self.links_sheet = Some(name.into());
        self
    }

    /// The language of the reasons the workbook reader writes (Japanese by
    /// default).
    pub fn lang(&mut self, lang: crate::text::Lang) -> &mut Self {
        self.lang = lang;
        self
    }

    /// The row size limit in force.
    pub(crate) fn record_limit(&self) -> u64 {
        self.max_record_bytes.unwrap_or(DEFAULT_MAX_RECORD_BYTES)
    }

    /// Tells the progress callback, if there is one.
    pub(crate) fn report(&self, event: Progress) {
        if let Some(progress) = &self.progress {
            progress(event);
        }
    }
}

/// Options of an export, set with `&mut self` chaining.
#[derive(Clone, Default)]
pub struct ExportOptions {
    headers: Headers,
    encoding: Option<Encoding>,
    replace_unencodable: bool,
    overwrite: bool,
    progress: Option<ProgressFn>,
}

impl fmt::Debug for ExportOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportOptions")
            .field("headers", &self.headers)
            .field("encoding", &self.encoding)
            .field("replace_unencodable", &self.replace_unencodable)
            .field("overwrite", &self.overwrite)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl ExportOptions {
    /// The header row's language (English by default).
    pub fn headers(&mut self, headers: Headers) -> &mut Self {
        self.headers = headers;
        self
    }

    /// The output encoding: [`Encoding::Utf8Bom`] (the default),
    /// [`Encoding::Utf8`] or [`Encoding::Cp932`].
    pub fn encoding(&mut self, encoding: Encoding) -> &mut Self {
        self.encoding = Some(encoding);
        self
    }

    /// For CP932: writes `?` for a character CP932 cannot hold, instead of failing.
    pub fn replace_unencodable(&mut self, yes: bool) -> &mut Self {
        self.replace_unencodable = yes;
        self
    }

    /// For an export to a path: replace an existing file (off by default).
    /// The register's own files, symbolic links and anything but a regular
    /// file are refused even so; see [`OutputFile`](crate::OutputFile).
    pub fn overwrite(&mut self, yes: bool) -> &mut Self {
        self.overwrite = yes;
        self
    }

    /// Calls `progress` as the export goes on.
    pub fn progress(&mut self, progress: impl Fn(Progress) + Send + Sync + 'static) -> &mut Self {
        self.progress = Some(Arc::new(progress));
        self
    }
}

/// A cell that was read but deserves a look, such as an era year past the
/// era's end (平成32年).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowWarning {
    /// The file.
    pub file: String,
    /// In a workbook, the cell with its sheet (`台帳!F12`); `None` for CSV.
    pub cell: Option<String>,
    /// The row as Excel numbers it, from 1.
    pub row: u64,
    /// The line of the file the row starts on, from 1.
    pub line: u64,
    /// The name of the asset the row describes, when it has one.
    pub asset: Option<String>,
    /// The column as its header is written in the file.
    pub column: String,
    /// The cell as written.
    pub value: String,
    /// What is suspicious, and how it was read.
    pub reason: crate::text::Localized,
}

impl fmt::Display for RowWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.cell {
            Some(cell) => write!(f, "{} {}", Masked(&self.file), Masked(cell))?,
            None => write!(f, "{} row {}", Masked(&self.file), self.row)?,
        }
        if let Some(asset) = &self.asset {
            write!(f, " (`{}`)", Masked(asset))?;
        }
        write!(
            f,
            ", column `{}`, value `{}`: {}",
            Masked(&self.column),
            Masked(&self.value),
            Masked(&self.reason)
        )?;
        if self.line != self.row && self.cell.is_none() {
            write!(f, " (line {} of the file)", self.line)?;
        }
        Ok(())
    }
}

/// What an import did (or, in a dry run, would do) with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// A new asset or link.
    Created,
    /// An existing asset or link that changed.
    Updated,
    /// An existing asset or link that was already the same.
    Unchanged,
}

impl Outcome {
    /// The code: `created`, `updated` or `unchanged`.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The outcome of one imported row, when asked for with [`ImportOptions::row_outcomes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowOutcome {
    /// The file.
    pub file: String,
    /// The row as Excel numbers it, from 1.
    pub row: u64,
    /// The line of the file the row starts on.
    pub line: u64,
    /// The asset's id (for a link row: the id of its source asset).
    pub id: crate::model::AssetId,
    /// What happened.
    pub outcome: Outcome,
}

/// How many rows were created, updated and left unchanged.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// New assets or links.
    pub created: u64,
    /// Existing ones that changed.
    pub updated: u64,
    /// Existing ones that were already the same.
    pub unchanged: u64,
}

impl Counts {
    /// All rows.
    pub fn total(&self) -> u64 {
        self.created + self.updated + self.unchanged
    }

    pub(crate) fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Created => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// What an import did, or in a dry run would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// True when nothing was written because of [`ImportOptions::dry_run`].
    pub dry_run: bool,
    /// The row the asset sheet's header was found on (rows above it, such
    /// as a title, are skipped).
    pub header_row: Option<u64>,
    /// The encoding of the assets file, as detected or forced; `None` for
    /// a workbook.
    pub encoding: Option<Encoding>,
    /// For a workbook: the sheet the assets were read from.
    pub sheet: Option<String>,
    /// For a workbook: the sheet the links were read from.
    pub links_sheet: Option<String>,
    /// For a workbook: the merged regions of the sheets read (`台帳!A1:F1`);
    /// a region's value is read in every row of its first column.
    pub merged_cells: Vec<String>,
    /// For a workbook: how many formula cells were read as the values the
    /// file holds for them (what Excel last calculated).
    pub formula_cells: u64,
    /// Asset rows by outcome.
    pub assets: Counts,
    /// Link rows by outcome.
    pub links: Counts,
    /// The columns kept as extra attributes, as their headers are written.
    pub extra_columns: Vec<String>,
    /// Cells that were read but deserve a look (at most [`MAX_STORED_ISSUES`]).
    pub warnings: Vec<RowWarning>,
    /// How many warnings there were in all.
    pub warning_count: u64,
    /// Each row's outcome, when asked for.
    pub rows: Vec<RowOutcome>,
    /// The assets an import updated (or in a dry run would), each with the
    /// columns that change (at most [`MAX_STORED_ISSUES`]).
    pub changes: Vec<RowChange>,
    /// What rows suggest but the import does not do: a link, an exclusion
    /// (at most [`MAX_STORED_ISSUES`]).
    pub hints: Vec<RowHint>,
    /// The id the import is recorded under ([`Register::undo_import`]
    /// reverts it); `None` for a dry run.
    pub import_id: Option<u64>,
}

/// An asset an imported row changes, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowChange {
    /// The file.
    pub file: String,
    /// The row as Excel numbers it.
    pub row: u64,
    /// The asset.
    pub id: crate::model::AssetId,
    /// Its name before the change.
    pub name: String,
    /// The columns that change.
    pub columns: Vec<ColumnChange>,
}

/// One column of an asset that a row changes, in sheet form (codes, ISO dates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnChange {
    /// The column.
    pub column: crate::table::Column,
    /// The value before; `None` when empty.
    pub old: Option<String>,
    /// The value after; `None` when cleared.
    pub new: Option<String>,
}

/// Something a row suggests that the import leaves to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowHint {
    /// The file.
    pub file: String,
    /// The row as Excel numbers it.
    pub row: u64,
    /// The asset's name.
    pub asset: Option<String>,
    /// The suggestion, in both languages.
    pub hint: crate::text::Localized,
}

impl RowHint {
    /// The hint in `lang`.
    #[must_use]
    pub fn message(&self, lang: crate::text::Lang) -> String {
        match lang {
            crate::text::Lang::Ja => {
                let asset = self
                    .asset
                    .as_ref()
                    .map_or_else(String::new, |asset| format!("（`{asset}`）"));
                format!("{} {} 行目{asset}: {}", self.file, self.row, self.hint.ja)
            }
            _ => self.to_string(),
        }
    }
}

impl RowWarning {
    /// The warning in `lang`, every run of twelve digits masked.
    #[must_use]
    pub fn message(&self, lang: crate::text::Lang) -> String {
        if lang != crate::text::Lang::Ja {
            return self.to_string();
        }
        let asset = self
            .asset
            .as_ref()
            .map_or_else(String::new, |asset| format!("（`{}`）", Masked(asset)));
        let line = if self.line == self.row {
            String::new()
        } else {
            format!("（ファイルの {} 行目）", self.line)
        };
        format!(
            "{} {} 行目{asset}、列 `{}`、値 `{}`: {}{line}",
            Masked(&self.file),
            self.row,
            Masked(&self.column),
            Masked(&self.value),
            Masked(&self.reason.ja)
        )
    }
}

impl fmt::Display for RowHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} row {}", self.file, self.row)?;
        if let Some(asset) = &self.asset {
            write!(f, " (`{asset}`)")?;
        }
        write!(f, ": {}", self.hint)
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportReport {
    /// Data rows written (the header not counted).
    pub rows: u64,
    /// The columns written, extra columns included.
    pub columns: usize,
    /// The encoding written.
    pub encoding: Encoding,
    /// Characters written as `?` because CP932 cannot hold them.
    pub replaced: u64,
    /// The audit chain's head when the assets were read (of the same read
    /// transaction); none for a link sheet.
    pub head: Option<crate::audit::Head>,
}

#[cfg(test)]
mod office_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod xlsx_tests;
