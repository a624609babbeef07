//! Importing asset and link sheets: header mapping, cell parsing, the
//! upsert and the one transaction around it.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use super::columns::{COLUMN_COUNT, Col, LinkCol};
use super::decode::{Decode, DecodeError, TextEnd};
use super::{
    Errors, ImportOptions, ImportReport, MAX_STORED_ISSUES, Outcome, Progress, RowError,
    RowOutcome, RowWarning,
};
use crate::audit::{Action, Appender, Change};
use crate::error::{Error, Result};
use crate::model::{
    Asset, AssetFields, AssetId, AssetName, Classification, Disposal, Extra, Hosting, HostingKind,
    Kind, Link, Medium, PersonalData, Relation, Retention, Sanitization, Scope, Segment,
};
use crate::parse::{parse_bool, parse_count, parse_date, split_multi};
use crate::policy::{Axis, Policy};
use crate::record::{AssetRecord, LinkRecord, audit_json, audit_json_at, to_json};
use crate::register::{Register, get_in, validate, validate_link};
use crate::store;

/// Rows between two progress reports.
const PROGRESS_EVERY: u64 = 4096;

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
struct Input<'a> {
    name: String,
    reader: Box<dyn Read + 'a>,
    size: Option<u64>,
}

impl Register {
    /// Imports an asset sheet from a reader; see the [module docs](crate::sheet).
    ///
    /// Errors are named after the file `assets`; use
    /// [`Register::import_assets_path`] to have them name a path.
    pub fn import_assets<R: Read>(
        &mut self,
        reader: R,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let input = Input {
            name: "assets".to_owned(),
            reader: Box::new(reader),
            size: None,
        };
        self.import_inputs(Some(input), None, options)
    }

    /// Imports a link sheet (`from`, `relation`, `to`, `sanitization`) from a
    /// reader; the ends are asset ids or unique names.
    pub fn import_links<R: Read>(
        &mut self,
        reader: R,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let input = Input {
            name: "links".to_owned(),
            reader: Box::new(reader),
            size: None,
        };
        self.import_inputs(None, Some(input), options)
    }

    /// Imports an asset sheet and then a link sheet in one transaction, so
    /// the links may name assets the same import creates.
    pub fn import_assets_and_links<A: Read, L: Read>(
        &mut self,
        assets: A,
        links: L,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let assets = Input {
            name: "assets".to_owned(),
            reader: Box::new(assets),
            size: None,
        };
        let links = Input {
            name: "links".to_owned(),
            reader: Box::new(links),
            size: None,
        };
        self.import_inputs(Some(assets), Some(links), options)
    }

    /// Imports an asset sheet from a file.
    pub fn import_assets_path<P: AsRef<Path>>(
        &mut self,
        path: P,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let input = open_input(path.as_ref())?;
        self.import_inputs(Some(input), None, options)
    }

    /// Imports a link sheet from a file.
    pub fn import_links_path<P: AsRef<Path>>(
        &mut self,
        path: P,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let input = open_input(path.as_ref())?;
        self.import_inputs(None, Some(input), options)
    }

    /// Imports an asset sheet and a link sheet from files, in one transaction;
    /// either may be `None`.
    pub fn import_paths(
        &mut self,
        assets: Option<&Path>,
        links: Option<&Path>,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let assets = assets.map(open_input).transpose()?;
        let links = links.map(open_input).transpose()?;
        self.import_inputs(assets, links, options)
    }

    fn import_inputs(
        &mut self,
        assets: Option<Input<'_>>,
        links: Option<Input<'_>>,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let source_name = assets
            .iter()
            .chain(links.iter())
            .map(|input| input.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let progress = |event| {
            if let Some(progress) = &options.progress {
                progress(event);
            }
        };
        progress(Progress::Start {
            total_bytes: match (&assets, &links) {
                (Some(a), Some(l)) => a.size.zip(l.size).map(|(a, l)| a + l),
                (Some(one), None) | (None, Some(one)) => one.size,
                (None, None) => Some(0),
            },
            total_rows: None,
        });
        let bulk = !options.dry_run
            && assets.is_some()
            && self.path().is_some()
            && register_is_empty(&self.conn)?
            && enter_bulk_mode(&self.conn);
        let result = self.import_transaction(assets, links, options, source_name, bulk);
        if bulk {
            leave_bulk_mode(&self.conn);
        }
        result
    }

    fn import_transaction(
        &mut self,
        assets: Option<Input<'_>>,
        links: Option<Input<'_>>,
        options: &ImportOptions,
        source_name: String,
        bulk: bool,
    ) -> Result<ImportReport> {
        let progress = |event| {
            if let Some(progress) = &options.progress {
                progress(event);
            }
        };
        let bulk_file = self.path().filter(|_| bulk).map(Path::to_path_buf);
        let tx = ImportTx::begin(&mut self.conn)?;
        let now = store::now();
        let mut log = Appender::start(&*tx.conn, &self.actor, now)?;
        let mut run = Run {
            conn: &mut *tx.conn,
            log: &mut log,
            bulk_file: bulk_file.as_deref(),
            sheet: Sheet {
                policy: &self.policy,
                options,
                now,
                report: ImportReport {
                    dry_run: options.dry_run,
                    ..ImportReport::default()
                },
                errors: Errors::default(),
                rows_done: 0,
                bytes_before: 0,
                memo: Memo::default(),
                ids: super::ids::Ids::new(),
                now_text: now.to_string(),
            },
        };
        if let Some(input) = assets {
            run.assets(input)?;
        }
        if let Some(input) = links {
            run.links(input)?;
        }
        progress(Progress::Finish);
        let Run {
            sheet: Sheet { report, errors, .. },
            ..
        } = run;
        if !errors.is_empty() {
            // Dropping the transaction rolls everything back.
            return Err(Error::Import {
                source_name,
                errors: errors.list,
                total: errors.total,
            });
        }
        if options.dry_run {
            tx.end("ROLLBACK")
                .map_err(Error::storage("ending a dry run"))?;
        } else {
            tx.end("COMMIT")
                .map_err(Error::storage("committing an import"))?;
        }
        Ok(report)
    }
}

fn open_input(path: &Path) -> Result<Input<'static>> {
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

/// The import's one transaction. It holds the connection by `&mut`, so that
/// a bulk import can lend it to its writer thread; dropped without
/// [`ImportTx::end`], it rolls back.
struct ImportTx<'c> {
    conn: &'c mut Connection,
}

impl<'c> ImportTx<'c> {
    fn begin(conn: &'c mut Connection) -> Result<Self> {
        conn.execute_batch("BEGIN IMMEDIATE")
            .map_err(Error::storage("starting an import"))?;
        Ok(ImportTx { conn })
    }

    /// Ends the transaction with `COMMIT` or `ROLLBACK`.
    fn end(self, sql: &str) -> rusqlite::Result<()> {
        self.conn.execute_batch(sql)
    }
}

impl Drop for ImportTx<'_> {
    fn drop(&mut self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// The state of one import run: the connection and audit log, and the
/// [`Sheet`] state that reading the rows needs (reached through `Deref`).
struct Run<'r, 'a> {
    conn: &'r mut Connection,
    log: &'r mut Appender<'a>,
    sheet: Sheet<'r>,
    /// The register file, when this import writes it through a rollback
    /// journal ([`enter_bulk_mode`]): its pages may be synced early.
    bulk_file: Option<&'r Path>,
}

impl<'r> std::ops::Deref for Run<'r, '_> {
    type Target = Sheet<'r>;

    fn deref(&self) -> &Sheet<'r> {
        &self.sheet
    }
}

impl<'r> std::ops::DerefMut for Run<'r, '_> {
    fn deref_mut(&mut self) -> &mut Sheet<'r> {
        &mut self.sheet
    }
}

/// What reading and checking the rows needs, without the connection: in a
/// bulk import it lives on the reading thread while another one writes.
struct Sheet<'r> {
    policy: &'r Policy,
    options: &'r ImportOptions,
    now: jiff::Timestamp,
    report: ImportReport,
    errors: Errors,
    /// Rows of earlier files, for progress.
    rows_done: u64,
    /// Bytes of earlier files, for progress.
    bytes_before: u64,
    /// Parsed values of coded cells, by their text.
    memo: Memo,
    /// New ids.
    ids: super::ids::Ids,
    /// `now`, formatted as the audit records write it.
    now_text: String,
}

/// Ids kept in memory for the duplicate check; past this many, they move to
/// a temporary table, so that memory stays flat however long the sheet is.
#[cfg(not(test))]
const SEEN_IN_MEMORY: usize = 100_000;
/// Small in tests, so that they cover the temporary table.
#[cfg(test)]
const SEEN_IN_MEMORY: usize = 100;

/// The ids met so far in an asset sheet, with their lines.
///
/// Past [`SEEN_IN_MEMORY`] ids they move to a table of a private temporary
/// database (on disk, deleted when closed), not the register's connection,
/// so that a bulk import can check ids on its reading thread.
#[derive(Default)]
struct SeenIds {
    memory: HashMap<AssetId, u64>,
    spilled: Option<Connection>,
}

impl SeenIds {
    /// Records an id; returns the line it was first met on, if it was.
    fn insert(&mut self, id: AssetId, line: u64) -> Result<Option<u64>> {
        let failed = || Error::storage("checking the sheet's ids");
        if self.spilled.is_none() {
            if let Some(first) = self.memory.get(&id) {
                return Ok(Some(*first));
            }
            if self.memory.len() < SEEN_IN_MEMORY {
                self.memory.insert(id, line);
                return Ok(None);
            }
            let conn = Connection::open("").map_err(failed())?;
            conn.execute_batch(
                "CREATE TABLE sheet_seen (id BLOB PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID; \
                 BEGIN;",
            )
            .map_err(failed())?;
            {
                let mut stmt = conn
                    .prepare_cached("INSERT INTO sheet_seen (id, line) VALUES (?1, ?2)")
                    .map_err(failed())?;
                for (id, line) in std::mem::take(&mut self.memory) {
                    stmt.execute(params![id, line as i64]).map_err(failed())?;
                }
            }
            self.spilled = Some(conn);
        }
        let Some(conn) = &self.spilled else {
            return Ok(None);
        };
        let inserted = conn
            .prepare_cached(
                "INSERT INTO sheet_seen (id, line) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut stmt| stmt.execute(params![id, line as i64]))
            .map_err(failed())?;
        if inserted == 1 {
            return Ok(None);
        }
        let first: i64 = conn
            .query_row("SELECT line FROM sheet_seen WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .map_err(failed())?;
        Ok(Some(first as u64))
    }
}

/// Distinct cell texts remembered per column; more are parsed every time.
const MEMO_LIMIT: usize = 4096;

/// Parsed values by cell text: a sheet repeats a few spellings of each code
/// many times, and folding and NFKC cost more than a hash lookup.
struct Cache<T>(HashMap<Box<str>, T>);

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Cache(HashMap::new())
    }
}

impl<T: Clone> Cache<T> {
    fn get<E>(&mut self, key: &str, parse: impl FnOnce(&str) -> Result<T, E>) -> Result<T, E> {
        if let Some(value) = self.0.get(key) {
            return Ok(value.clone());
        }
        let value = parse(key)?;
        if self.0.len() < MEMO_LIMIT {
            self.0.insert(key.into(), value.clone());
        }
        Ok(value)
    }
}

#[derive(Default)]
struct Memo {
    kind: Cache<Kind>,
    organization: Cache<crate::policy::OrgCode>,
    levels: [Cache<crate::policy::Level>; 3],
    segment: Cache<Segment>,
    medium: Cache<Medium>,
    hosting: Cache<HostingKind>,
    retention: Cache<Retention>,
    exclusion: Cache<crate::policy::ExclusionCode>,
    controls: Cache<BTreeSet<crate::policy::ControlCode>>,
    dates: Cache<crate::parse::ParsedDate>,
}

/// How the header row maps onto the asset columns.
struct AssetHeader {
    /// The file's column for each asset column.
    field: [Option<usize>; COLUMN_COUNT],
    /// Each file column's header as written.
    names: Vec<String>,
    /// Extra columns: (file column, header as written).
    extra: Vec<(usize, String)>,
}

impl AssetHeader {
    fn name(&self, col: Col) -> &str {
        self.field[col.index()]
            .and_then(|i| self.names.get(i))
            .map_or(col.en(), String::as_str)
    }
}

/// A csv reader over decoded input.
type CsvReader<'a> = csv::Reader<Decode<Box<dyn Read + 'a>>>;

impl Sheet<'_> {
    fn error(&mut self, file: &str, line: u64, column: Option<&str>, value: &str, reason: String) {
        self.errors.push(RowError {
            file: file.to_owned(),
            line,
            column: column.map(str::to_owned),
            value: value.to_owned(),
            reason,
        });
    }

    fn warn(&mut self, file: &str, line: u64, column: &str, value: &str, reason: String) {
        self.report.warning_count += 1;
        if self.report.warnings.len() < MAX_STORED_ISSUES {
            self.report.warnings.push(RowWarning {
                file: file.to_owned(),
                line,
                column: column.to_owned(),
                value: value.to_owned(),
                reason,
            });
        }
    }

    fn progress(&self, rows: u64, bytes: u64) {
        if let Some(progress) = &self.options.progress {
            progress(Progress::Advance {
                rows: self.rows_done + rows,
                bytes: self.bytes_before + bytes,
            });
        }
    }

    /// Opens the decoder and csv reader, and reads the header row.
    fn open<'i>(&mut self, input: Input<'i>) -> Result<Option<(CsvReader<'i>, Vec<String>)>> {
        let decode =
            Decode::new(input.reader, self.options.encoding).map_err(|source| Error::Io {
                action: "read",
                path: input.name.clone().into(),
                source,
            })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            // Only LF ends a row, so that line numbers count the same for
            // CRLF and LF files; the CR of a CRLF is taken off the last cell.
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(64 * 1024)
            .from_reader(decode);
        let mut header = csv::StringRecord::new();
        match reader.read_record(&mut header) {
            Ok(true) => {}
            Ok(false) => {
                self.error(
                    &input.name,
                    1,
                    None,
                    "",
                    "the file is empty: it has no header row".to_owned(),
                );
                return Ok(None);
            }
            Err(e) => {
                let reason = csv_reason(&e);
                self.error(&input.name, 1, None, "", reason);
                return Ok(None);
            }
        }
        Ok(Some((
            reader,
            // Export neutralizes an extra column's name like any cell
            // (`@x` → `'@x`), so the name is read back the same way.
            header
                .iter()
                .map(|h| unneutralize(h.trim()).to_owned())
                .collect(),
        )))
    }

    fn map_asset_header(&mut self, file: &str, names: Vec<String>) -> Option<AssetHeader> {
        let mut header = AssetHeader {
            field: [None; COLUMN_COUNT],
            names: Vec::new(),
            extra: Vec::new(),
        };
        let mut ok = true;
        for (index, name) in names.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            match Col::from_header(name) {
                Some(col) => {
                    if let Some(first) = header.field[col.index()] {
                        self.error(
                            file,
                            1,
                            Some(name),
                            "",
                            format!(
                                "two columns are `{}`: column {} (`{}`) and column {}",
                                col.en(),
                                first + 1,
                                names[first],
                                index + 1
                            ),
                        );
                        ok = false;
                    } else {
                        header.field[col.index()] = Some(index);
                    }
                }
                None if self.options.strict => {
                    self.error(
                        file,
                        1,
                        Some(name),
                        "",
                        "not a column of the asset sheet (--strict refuses extra columns)"
                            .to_owned(),
                    );
                    ok = false;
                }
                None => {
                    if header.extra.iter().any(|(_, n)| n == name) {
                        self.error(
                            file,
                            1,
                            Some(name),
                            "",
                            "two columns have this header".to_owned(),
                        );
                        ok = false;
                    }
                    header.extra.push((index, name.clone()));
                }
            }
        }
        let missing: Vec<&str> = Col::REQUIRED
            .into_iter()
            .filter(|col| header.field[col.index()].is_none())
            .map(Col::en)
            .collect();
        if !missing.is_empty() {
            let described: Vec<String> = Col::REQUIRED
                .into_iter()
                .filter(|col| header.field[col.index()].is_none())
                .map(|col| format!("{} ({})", col.en(), col.ja()))
                .collect();
            self.error(
                file,
                1,
                None,
                "",
                format!(
                    "the header lacks the required {} {}{}",
                    if missing.len() == 1 {
                        "column"
                    } else {
                        "columns"
                    },
                    described.join(", "),
                    tab_hint(&names)
                ),
            );
            ok = false;
        }
        header.names = names;
        ok.then_some(header)
    }
}

impl<'a> Run<'_, 'a> {
    fn assets(&mut self, input: Input<'a>) -> Result<()> {
        let file = input.name.clone();
        let Some((mut reader, names)) = self.open(input)? else {
            return Ok(());
        };
        self.report.encoding = Some(reader.get_ref().encoding());
        let Some(header) = self.map_asset_header(&file, names) else {
            return Ok(());
        };
        self.report.extra_columns = header.extra.iter().map(|(_, n)| n.clone()).collect();

        // Into an empty register, every row creates an asset: the rows are
        // checked on this thread and written on another (see `pipeline`).
        let bulk = !self.options.dry_run && register_is_empty(self.conn)?;
        let dropped = if bulk {
            drop_secondary_indexes(self.conn)?
        } else {
            Vec::new()
        };
        let mut seen = SeenIds::default();
        let Run {
            conn,
            log,
            sheet,
            bulk_file,
        } = self;
        let rows = if bulk {
            let (at, actor, chain) = log.parts();
            super::pipeline::insert_created(conn, *bulk_file, at, actor, chain, |write| {
                sheet.read_assets(&file, &mut reader, &header, |sheet, record, line| {
                    if let Some(asset) = sheet.new_asset(&file, &header, record, line, &mut seen)? {
                        write(&asset);
                    }
                    Ok(())
                })
            })?
        } else {
            sheet.read_assets(&file, &mut reader, &header, |sheet, record, line| {
                sheet.asset_row(conn, log, &file, &header, record, line, &mut seen)
            })?
        };
        self.report.encoding = Some(reader.get_ref().encoding());
        let bytes = reader.get_ref().consumed();
        self.progress(rows, bytes);
        self.rows_done += rows;
        self.bytes_before += bytes;
        if self.errors.is_empty() {
            recreate_indexes(self.conn, &dropped)?;
        }
        Ok(())
    }
}

impl Sheet<'_> {
    /// Reads the rows of an asset sheet after its header, reporting rows
    /// that are not well formed and handing the others, with their line, to
    /// `row`. Returns the number of rows read.
    fn read_assets(
        &mut self,
        file: &str,
        reader: &mut CsvReader<'_>,
        header: &AssetHeader,
        mut row: impl FnMut(&mut Self, &csv::StringRecord, u64) -> Result<()>,
    ) -> Result<u64> {
        let mut record = csv::StringRecord::new();
        let mut scratch = String::new();
        let mut rows = 0u64;
        // A row short of cells with a line break in one (only a quoted cell
        // holds one) is held back until the next read: if it was the file's
        // last row, its quote was never closed and it swallowed the rest.
        let mut held: Option<(csv::StringRecord, u64)> = None;
        loop {
            let read = reader.read_record(&mut record);
            if !matches!(read, Ok(false))
                && let Some((held_row, line)) = held.take()
            {
                row(self, &held_row, line)?;
            }
            match read {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e
                        .position()
                        .map_or_else(|| reader.position().line(), csv::Position::line);
                    let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                    self.error(file, line, None, "", csv_reason(&e));
                    if fatal {
                        break;
                    }
                    continue;
                }
            }
            rows += 1;
            if rows.is_multiple_of(PROGRESS_EVERY) {
                self.progress(rows, reader.get_ref().consumed());
            }
            strip_cr(&mut record, &mut scratch);
            let line = record_line(reader, &record);
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            if let Some((column, value, reason)) = oversized_cell(&record, &header.names) {
                self.error(file, line, column.as_deref(), &value, reason);
                continue;
            }
            if maybe_unclosed(&record, &header.names) {
                held = Some((record.clone(), line));
                continue;
            }
            row(self, &record, line)?;
        }
        if let Some((held_row, line)) = held {
            // The file's last line break fell inside the open quote, so
            // `record_line` counted it twice: once as a terminator.
            let line = line + u64::from(held_row.as_slice().ends_with('\n'));
            self.error(file, line, None, "", UNCLOSED_QUOTE.to_owned());
        }
        Ok(rows)
    }

    /// A row of a bulk import into an empty register, checked: the new
    /// asset, or `None` when the row has errors or an earlier row had.
    fn new_asset(
        &mut self,
        file: &str,
        header: &AssetHeader,
        record: &csv::StringRecord,
        line: u64,
        seen: &mut SeenIds,
    ) -> Result<Option<Asset>> {
        let errors_before = self.errors.total;
        // The register was empty, and the sheet repeats no id: no row has a
        // current asset, and a version cell has nothing to be checked against.
        let Some((id, _version)) = self.row_keys(file, header, record, line, seen)? else {
            return Ok(None);
        };
        let Some(fields) = self.row_fields(file, header, record, line, None) else {
            return Ok(None);
        };
        if self.errors.total > errors_before {
            return Ok(None);
        }
        let id = id.unwrap_or_else(|| self.ids.next());
        self.report.assets.add(Outcome::Created);
        if self.options.row_outcomes {
            self.report.rows.push(RowOutcome {
                file: file.to_owned(),
                line,
                id,
                outcome: Outcome::Created,
            });
        }
        if !self.errors.is_empty() {
            return Ok(None);
        }
        Ok(Some(Asset {
            id,
            fields,
            version: 1,
            created_at: self.now,
            updated_at: self.now,
        }))
    }

    /// The id and version cells of a row, checked, and the id recorded as
    /// met; `None` when the row is to be skipped (its error is reported).
    fn row_keys(
        &mut self,
        file: &str,
        header: &AssetHeader,
        record: &csv::StringRecord,
        line: u64,
        seen: &mut SeenIds,
    ) -> Result<Option<(Option<AssetId>, Option<u64>)>> {
        if record.len() > header.names.len()
            && record
                .iter()
                .skip(header.names.len())
                .any(|c| !c.trim().is_empty())
        {
            self.error(
                file,
                line,
                None,
                "",
                format!(
                    "the row has {} cells but the header only {}",
                    record.len(),
                    header.names.len()
                ),
            );
            return Ok(None);
        }
        let cell = |col: Col| -> Option<&str> {
            header.field[col.index()].map(|i| unneutralize(record.get(i).unwrap_or("")))
        };

        let id = match cell(Col::Id).map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => match text.parse::<AssetId>() {
                Ok(id) => Some(id),
                Err(e) => {
                    self.error(file, line, Some(header.name(Col::Id)), text, reason(&e));
                    None
                }
            },
        };
        let expected_version = match cell(Col::Version).map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => {
                let version = text.parse::<u64>().ok();
                if version.is_none() {
                    self.error(
                        file,
                        line,
                        Some(header.name(Col::Version)),
                        text,
                        "a version is a whole number, as exported".to_owned(),
                    );
                }
                version
            }
        };
        if let Some(id) = id
            && let Some(first) = seen.insert(id, line)?
        {
            self.error(
                file,
                line,
                Some(header.name(Col::Id)),
                &id.to_string(),
                format!("the same id is on line {first}; an asset may appear once per file"),
            );
            return Ok(None);
        }
        Ok(Some((id, expected_version)))
    }

    /// A row's cells parsed and validated into fields (columns the file
    /// lacks keep `current`'s values); `None` when they have errors, which
    /// are reported.
    fn row_fields(
        &mut self,
        file: &str,
        header: &AssetHeader,
        record: &csv::StringRecord,
        line: u64,
        current: Option<&Asset>,
    ) -> Option<AssetFields> {
        let cell = |col: Col| -> Option<&str> {
            header.field[col.index()].map(|i| unneutralize(record.get(i).unwrap_or("")))
        };
        // Columns the file lacks keep the current asset's values.
        let current_cells = current.and_then(|asset| {
            Col::ALL
                .iter()
                .any(|col| header.field[col.index()].is_none())
                .then(|| canonical_cells(asset))
        });
        let mut cells: [&str; COLUMN_COUNT] = [""; COLUMN_COUNT];
        for col in Col::ALL {
            cells[col.index()] = match cell(col) {
                Some(text) => text,
                None => current_cells
                    .as_ref()
                    .and_then(|c| c[col.index()].as_deref())
                    .unwrap_or(""),
            };
        }

        let fields = self.parse_fields(file, header, &cells, line, current, record)?;
        if let Err(e) = validate(self.policy, &fields) {
            let column = error_field(&e)
                .and_then(Col::from_field)
                .map(|col| header.name(col));
            let value = error_value(&e).unwrap_or_default();
            self.error(file, line, column, &value, reason(&e));
            return None;
        }
        Some(fields)
    }

    /// A row of an import that may update: creates, updates or leaves an
    /// asset, with its audit entry.
    #[allow(clippy::too_many_arguments)]
    fn asset_row(
        &mut self,
        conn: &Connection,
        log: &mut Appender<'_>,
        file: &str,
        header: &AssetHeader,
        record: &csv::StringRecord,
        line: u64,
        seen: &mut SeenIds,
    ) -> Result<()> {
        let errors_before = self.errors.total;
        let Some((id, expected_version)) = self.row_keys(file, header, record, line, seen)? else {
            return Ok(());
        };
        let current = match id {
            Some(id) => get_in(conn, self.policy, id)?,
            None => None,
        };
        let Some(fields) = self.row_fields(file, header, record, line, current.as_ref()) else {
            return Ok(());
        };
        if self.errors.total > errors_before {
            return Ok(());
        }
        let writing = self.errors.is_empty();
        let (id, outcome) = match current {
            None => {
                let id = id.unwrap_or_else(|| self.ids.next());
                if writing {
                    let asset = Asset {
                        id,
                        fields,
                        version: 1,
                        created_at: self.now,
                        updated_at: self.now,
                    };
                    store::insert_asset(conn, &asset)?;
                    let after = audit_json_at(&asset, &self.now_text, &self.now_text, log.at());
                    log.append(
                        conn,
                        &Change {
                            action: Action::Create,
                            asset_id: Some(id),
                            related_id: None,
                            before: None,
                            after: Some(&after),
                        },
                    )?;
                }
                (id, Outcome::Created)
            }
            Some(current) => {
                if let Some(expected) = expected_version
                    && expected != current.version
                {
                    self.error(
                        file,
                        line,
                        Some(header.name(Col::Version)),
                        &expected.to_string(),
                        format!(
                            "asset `{}` was changed since this sheet was exported: the sheet has \
                             version {expected}, the register {}",
                            current.id, current.version
                        ),
                    );
                    return Ok(());
                }
                if current.fields == fields {
                    (current.id, Outcome::Unchanged)
                } else if let Some(disposal) = &current.fields.disposal {
                    self.error(
                        file,
                        line,
                        None,
                        "",
                        format!(
                            "asset `{}` was disposed of on {} and can no longer be changed",
                            current.id, disposal.date
                        ),
                    );
                    return Ok(());
                } else {
                    if writing {
                        let next = Asset {
                            id: current.id,
                            fields,
                            version: current.version + 1,
                            created_at: current.created_at,
                            updated_at: self.now,
                        };
                        if !store::update_asset(conn, &next, current.version)? {
                            return Err(Error::Conflict {
                                id: current.id,
                                expected: current.version,
                                actual: current.version + 1,
                            });
                        }
                        let before = audit_json(&current, log.at());
                        let after = audit_json(&next, log.at());
                        let action = if current.fields.disposal.is_none()
                            && next.fields.disposal.is_some()
                        {
                            Action::Dispose
                        } else {
                            Action::Update
                        };
                        log.append(
                            conn,
                            &Change {
                                action,
                                asset_id: Some(current.id),
                                related_id: None,
                                before: Some(&before),
                                after: Some(&after),
                            },
                        )?;
                    }
                    (current.id, Outcome::Updated)
                }
            }
        };
        self.report.assets.add(outcome);
        if self.options.row_outcomes {
            self.report.rows.push(RowOutcome {
                file: file.to_owned(),
                line,
                id,
                outcome,
            });
        }
        Ok(())
    }

    /// Parses a row's cells into fields, reporting every bad cell.
    #[allow(clippy::too_many_arguments)]
    fn parse_fields(
        &mut self,
        file: &str,
        header: &AssetHeader,
        cells: &[&str; COLUMN_COUNT],
        line: u64,
        current: Option<&Asset>,
        record: &csv::StringRecord,
    ) -> Option<AssetFields> {
        let policy = self.policy;
        let mut ok = true;
        let get = |col: Col| cells[col.index()];
        macro_rules! check {
            ($col:expr, $result:expr) => {{
                let result = $result;
                match result {
                    Ok(value) => Some(value),
                    Err(e) => {
                        let col: Col = $col;
                        self.error(
                            file,
                            line,
                            Some(header.name(col)),
                            get(col).trim(),
                            e.to_string_reason(),
                        );
                        ok = false;
                        None
                    }
                }
            }};
        }
        macro_rules! required {
            ($col:expr, $parse:expr) => {{
                let col: Col = $col;
                let text = get(col);
                if text.trim().is_empty() {
                    self.error(
                        file,
                        line,
                        Some(header.name(col)),
                        "",
                        format!("`{}` is required", col.en()),
                    );
                    ok = false;
                    None
                } else {
                    check!(col, $parse(text))
                }
            }};
        }
        macro_rules! optional {
            ($col:expr, $parse:expr) => {{
                let col: Col = $col;
                let text = get(col);
                if text.trim().is_empty() {
                    None
                } else {
                    check!(col, $parse(text))
                }
            }};
        }

        let kind = required!(Col::Kind, |t| self.memo.kind.get(t, Kind::parse));
        let name = required!(Col::Name, |t: &str| AssetName::new(t));
        let organization = required!(Col::Organization, |t| self
            .memo
            .organization
            .get(t, |t| policy.organization(t).map(|o| o.code.clone())));
        let confidentiality = required!(Col::Confidentiality, |t| self.memo.levels[0]
            .get(t, |t| policy.level(Axis::Confidentiality, t)));
        let integrity = required!(Col::Integrity, |t| self.memo.levels[1]
            .get(t, |t| policy.level(Axis::Integrity, t)));
        let availability = required!(Col::Availability, |t| self.memo.levels[2]
            .get(t, |t| policy.level(Axis::Availability, t)));
        let segment = optional!(Col::Segment, |t| self.memo.segment.get(t, Segment::parse));
        let medium = optional!(Col::Medium, |t| self.memo.medium.get(t, Medium::parse));
        let flag = |text: &str| {
            if text.trim().is_empty() {
                Ok(false)
            } else {
                parse_bool(text)
            }
        };
        let personal = check!(Col::Personal, flag(get(Col::Personal)));
        let sensitive = check!(Col::Sensitive, flag(get(Col::Sensitive)));
        let my_number = check!(Col::MyNumber, flag(get(Col::MyNumber)));
        let record_count = optional!(Col::RecordCount, parse_count);
        let controls_cell = get(Col::Controls);
        let mut controls = self
            .memo
            .controls
            .get(controls_cell, |cell| {
                split_multi(cell)
                    .map(|part| policy.control(part).map(|c| c.code.clone()))
                    .collect::<Result<BTreeSet<_>>>()
            })
            .unwrap_or_default();
        let cached = !controls.is_empty() || controls_cell.trim().is_empty();
        for part in split_multi(controls_cell).filter(|_| !cached) {
            match policy.control(part) {
                Ok(control) => {
                    controls.insert(control.code.clone());
                }
                Err(e) => {
                    self.error(
                        file,
                        line,
                        Some(header.name(Col::Controls)),
                        part,
                        reason(&e),
                    );
                    ok = false;
                }
            }
        }
        let hosting_kind = optional!(Col::Hosting, |t| self
            .memo
            .hosting
            .get(t, HostingKind::parse));
        let provider = text_opt(get(Col::Provider));
        let contract = text_opt(get(Col::Contract));
        if hosting_kind.is_none()
            && (provider.is_some() || contract.is_some())
            && get(Col::Hosting).trim().is_empty()
        {
            let col = if provider.is_some() {
                Col::Provider
            } else {
                Col::Contract
            };
            self.error(
                file,
                line,
                Some(header.name(Col::Hosting)),
                "",
                format!(
                    "`{}` is set, so `{}` (on_premises, outsourced or cloud) is needed",
                    header.name(col),
                    header.name(Col::Hosting)
                ),
            );
            ok = false;
        }
        let hosting = hosting_kind.map(|kind| Hosting {
            kind,
            provider,
            contract,
        });
        let retention = optional!(Col::Retention, |t| self
            .memo
            .retention
            .get(t, Retention::parse));
        let scope = match optional!(Col::ExclusionReason, |t| self
            .memo
            .exclusion
            .get(t, |t| policy.exclusion(t).map(|e| e.code.clone())))
        {
            Some(code) => Scope::Excluded(code),
            None => Scope::InScope,
        };
        let mut date = |this: &mut Self, col: Col| -> Option<jiff::civil::Date> {
            let text = get(col);
            if text.trim().is_empty() {
                return None;
            }
            match this.memo.dates.get(text, parse_date) {
                Ok(parsed) => {
                    if let Some(warning) = parsed.warning {
                        this.warn(
                            file,
                            line,
                            header.name(col),
                            text.trim(),
                            warning.to_string(),
                        );
                    }
                    Some(parsed.date)
                }
                Err(e) => {
                    this.error(
                        file,
                        line,
                        Some(header.name(col)),
                        text.trim(),
                        e.to_string(),
                    );
                    ok = false;
                    None
                }
            }
        };
        let reviewed_on = date(self, Col::ReviewedOn);
        let disposed_on = date(self, Col::DisposedOn);
        if disposed_on.is_none() && get(Col::DisposedOn).trim().is_empty() {
            let stray = [
                Col::DisposedBy,
                Col::DisposalMethod,
                Col::DisposalApprover,
                Col::DisposalCertificate,
            ]
            .into_iter()
            .find(|col| !get(*col).trim().is_empty());
            if let Some(col) = stray {
                self.error(
                    file,
                    line,
                    Some(header.name(Col::DisposedOn)),
                    "",
                    format!(
                        "`{}` is set, so the disposal date is needed",
                        header.name(col)
                    ),
                );
                ok = false;
            }
        }
        let disposal = disposed_on.map(|date| Disposal {
            date,
            person: get(Col::DisposedBy).trim().to_owned(),
            method: text_opt(get(Col::DisposalMethod)),
            approver: text_opt(get(Col::DisposalApprover)),
            certificate: text_opt(get(Col::DisposalCertificate)),
        });
        let notes = get(Col::Notes);
        let notes = (!notes.trim().is_empty()).then(|| notes.to_owned());

        let mut extra = current.map_or_else(Extra::new, |c| c.fields.extra.clone());
        for (index, key) in &header.extra {
            let value = unneutralize(record.get(*index).unwrap_or(""));
            if value.trim().is_empty() {
                extra.remove(key);
            } else {
                extra.insert(key.clone(), value);
            }
        }

        if !ok {
            return None;
        }
        Some(AssetFields {
            kind: kind?,
            name: name?,
            organization: organization?,
            department: get(Col::Department).trim().to_owned(),
            manager: text_opt(get(Col::Manager)),
            classification: Classification {
                confidentiality: confidentiality?,
                integrity: integrity?,
                availability: availability?,
            },
            segment,
            medium,
            location: text_opt(get(Col::Location)),
            personal_data: PersonalData {
                personal: personal?,
                sensitive: sensitive?,
                my_number: my_number?,
            },
            record_count,
            controls,
            hosting,
            retention,
            scope,
            reviewed_on,
            disposal,
            notes,
            extra,
        })
    }
}

impl<'a> Run<'_, 'a> {
    fn links(&mut self, input: Input<'a>) -> Result<()> {
        let file = input.name.clone();
        let assets_failed = !self.errors.is_empty();
        let Some((mut reader, names)) = self.open(input)? else {
            return Ok(());
        };
        let mut field = [None; 4];
        let mut ok = true;
        for (index, name) in names.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            match LinkCol::from_header(name) {
                Some(col) if field[col.index()].is_none() => field[col.index()] = Some(index),
                Some(_) => {
                    self.error(
                        &file,
                        1,
                        Some(name),
                        "",
                        "two columns name this field".to_owned(),
                    );
                    ok = false;
                }
                None => {
                    self.error(
                        &file,
                        1,
                        Some(name),
                        "",
                        "not a column of the link sheet (from, relation, to, sanitization)"
                            .to_owned(),
                    );
                    ok = false;
                }
            }
        }
        for col in [LinkCol::From, LinkCol::Relation, LinkCol::To] {
            if field[col.index()].is_none() {
                self.error(
                    &file,
                    1,
                    None,
                    "",
                    format!(
                        "the header lacks the required column `{}`",
                        super::LINK_HEADERS_EN[col.index()]
                    ),
                );
                ok = false;
            }
        }
        if !ok {
            return Ok(());
        }
        let header_name = |col: LinkCol| {
            field[col.index()]
                .and_then(|i| names.get(i))
                .map_or(super::LINK_HEADERS_EN[col.index()], String::as_str)
        };
        let mut seen: HashMap<(AssetId, Relation, AssetId), u64> = HashMap::new();
        let mut record = csv::StringRecord::new();
        let mut scratch = String::new();
        let mut rows = 0;
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e
                        .position()
                        .map_or_else(|| reader.position().line(), csv::Position::line);
                    let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                    self.error(&file, line, None, "", csv_reason(&e));
                    if fatal {
                        break;
                    }
                    continue;
                }
            }
            rows += 1;
            if rows % PROGRESS_EVERY == 0 {
                self.progress(rows, reader.get_ref().consumed());
            }
            strip_cr(&mut record, &mut scratch);
            let line = record_line(&reader, &record);
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            if let Some((column, value, reason)) = oversized_cell(&record, &names) {
                self.error(&file, line, column.as_deref(), &value, reason);
                continue;
            }
            // No link cell holds a line break: this row's quote is never closed.
            if maybe_unclosed(&record, &names) {
                self.error(&file, line, None, "", UNCLOSED_QUOTE.to_owned());
                continue;
            }
            let cell = |col: LinkCol| {
                field[col.index()]
                    .map_or("", |i| unneutralize(record.get(i).unwrap_or("")))
                    .trim()
            };
            let before = self.errors.total;
            let relation = match Relation::parse(cell(LinkCol::Relation)) {
                Ok(r) => Some(r),
                Err(e) => {
                    self.error(
                        &file,
                        line,
                        Some(header_name(LinkCol::Relation)),
                        cell(LinkCol::Relation),
                        reason(&e),
                    );
                    None
                }
            };
            let sanitization = match cell(LinkCol::Sanitization) {
                "" => None,
                text => match Sanitization::parse(text) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        self.error(
                            &file,
                            line,
                            Some(header_name(LinkCol::Sanitization)),
                            text,
                            reason(&e),
                        );
                        None
                    }
                },
            };
            if assets_failed {
                continue;
            }
            let mut ends = Vec::with_capacity(2);
            for col in [LinkCol::From, LinkCol::To] {
                match self.resolve(cell(col)) {
                    Ok(asset) => ends.push(asset),
                    Err(reason) => {
                        self.error(&file, line, Some(header_name(col)), cell(col), reason);
                    }
                }
            }
            if self.errors.total > before {
                continue;
            }
            let (Some(relation), [from, to]) = (relation, ends.as_slice()) else {
                continue;
            };
            let wanted = Link {
                from: from.id,
                relation,
                to: to.id,
                sanitization,
            };
            if let Err(e) = validate_link(&wanted, from, to) {
                let column = match error_field(&e) {
                    Some("sanitization") => LinkCol::Sanitization,
                    _ => LinkCol::Relation,
                };
                let value = error_value(&e).unwrap_or_default();
                self.error(&file, line, Some(header_name(column)), &value, reason(&e));
                continue;
            }
            if let Some(first) = seen.insert((wanted.from, wanted.relation, wanted.to), line) {
                self.error(
                    &file,
                    line,
                    None,
                    "",
                    format!("the same link is on line {first}"),
                );
                continue;
            }
            let outcome = self.write_link(&wanted)?;
            self.report.links.add(outcome);
            if self.options.row_outcomes {
                self.report.rows.push(RowOutcome {
                    file: file.clone(),
                    line,
                    id: wanted.from,
                    outcome,
                });
            }
        }
        let bytes = reader.get_ref().consumed();
        self.progress(rows, bytes);
        self.rows_done += rows;
        self.bytes_before += bytes;
        Ok(())
    }

    /// Finds a link's end by id or unique name.
    fn resolve(&self, text: &str) -> Result<Asset, String> {
        if text.is_empty() {
            return Err("a link needs both ends (an asset id or unique name)".to_owned());
        }
        if let Ok(id) = text.parse::<AssetId>() {
            return match get_in(self.conn, self.policy, id) {
                Ok(Some(asset)) => Ok(asset),
                Ok(None) => Err(format!("no asset has the id `{id}`")),
                Err(e) => Err(e.to_string()),
            };
        }
        let found = (|| -> Result<Vec<Asset>> {
            let mut stmt = self
                .conn
                .prepare_cached(&format!(
                    "SELECT {} FROM assets WHERE name = ?1 LIMIT 2",
                    store::ASSET_COLUMNS
                ))
                .map_err(Error::storage("finding an asset by name"))?;
            let mut rows = stmt
                .query([text])
                .map_err(Error::storage("finding an asset by name"))?;
            let mut found = Vec::new();
            while let Some(row) = rows
                .next()
                .map_err(Error::storage("finding an asset by name"))?
            {
                found.push(store::read_asset(self.policy, row)?);
            }
            Ok(found)
        })()
        .map_err(|e| e.to_string())?;
        match <[Asset; 1]>::try_from(found) {
            Ok([asset]) => Ok(asset),
            Err(found) if found.is_empty() => Err("no asset has this id or name".to_owned()),
            Err(_) => Err("more than one asset has this name; use the id".to_owned()),
        }
    }

    /// Adds a link, or changes its sanitization, with an audit entry.
    fn write_link(&mut self, link: &Link) -> Result<Outcome> {
        let storage = || Error::storage("importing a link");
        let existing: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT sanitization FROM links WHERE from_id = ?1 AND relation = ?2 AND to_id = ?3",
                params![link.from, link.relation.code(), link.to],
                |row| row.get(0),
            )
            .optional()
            .map_err(storage())?;
        let sanitization = link.sanitization.map(Sanitization::code);
        let outcome = match &existing {
            None => Outcome::Created,
            Some(current) if current.as_deref() == sanitization => return Ok(Outcome::Unchanged),
            Some(_) => Outcome::Updated,
        };
        if !self.errors.is_empty() {
            return Ok(outcome);
        }
        let after = to_json(&LinkRecord::from(link));
        let before = existing.map(|sanitization| {
            to_json(&LinkRecord {
                from: link.from.to_string(),
                relation: link.relation.code().to_owned(),
                to: link.to.to_string(),
                sanitization,
            })
        });
        if outcome == Outcome::Created {
            self.conn
                .prepare_cached(
                    "INSERT INTO links (from_id, relation, to_id, sanitization, created_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .and_then(|mut stmt| {
                    stmt.execute(params![
                        link.from,
                        link.relation.code(),
                        link.to,
                        sanitization,
                        self.now.to_string()
                    ])
                })
                .map_err(storage())?;
        } else {
            self.conn
                .execute(
                    "UPDATE links SET sanitization = ?4 WHERE from_id = ?1 AND relation = ?2 AND to_id = ?3",
                    params![link.from, link.relation.code(), link.to, sanitization],
                )
                .map_err(storage())?;
        }
        self.log.append(
            self.conn,
            &Change {
                action: Action::Link,
                asset_id: Some(link.from),
                related_id: Some(link.to),
                before: before.as_deref(),
                after: Some(&after),
            },
        )?;
        Ok(outcome)
    }
}

/// The line a record starts on. Rows end at LF, so the reader's line after
/// a row is the next row's line, or the row's own last line when the file
/// ends without a line break; line breaks inside cells are counted back.
fn record_line<R: Read>(reader: &csv::Reader<Decode<R>>, record: &csv::StringRecord) -> u64 {
    let position = reader.position();
    let terminated = reader.get_ref().end_at(position.byte()) != TextEnd::WithoutLineBreak;
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

/// Excel's limit on the characters of one cell: a longer cell cannot have
/// come from a spreadsheet, and would be cut when the sheet is opened in one.
const MAX_CELL_CHARS: usize = 32_767;

/// Why a row that swallowed the rest of the file is refused.
const UNCLOSED_QUOTE: &str = "a quote (`\"`) opened in this row is never closed, so the rest of \
    the file ran into one cell; close it, or double a quote that is part of the text (`\"\"`)";

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
/// of it, and why it is refused.
fn oversized_cell(
    record: &csv::StringRecord,
    names: &[String],
) -> Option<(Option<String>, String, String)> {
    let (index, chars) = record
        .iter()
        .enumerate()
        .filter(|(_, cell)| cell.len() > MAX_CELL_CHARS)
        .map(|(index, cell)| (index, cell.chars().count()))
        .find(|(_, chars)| *chars > MAX_CELL_CHARS)?;
    let preview: String = record.get(index)?.chars().take(20).collect();
    Some((
        names.get(index).cloned(),
        format!("{preview}…"),
        format!(
            "the cell holds {chars} characters; a spreadsheet cell holds at most {MAX_CELL_CHARS}"
        ),
    ))
}

/// A hint for a header that is one cell with tabs in it: the sheet was saved
/// as tab-separated text, as Excel's 「Unicode テキスト」 (UTF-16) does.
fn tab_hint(names: &[String]) -> &'static str {
    let mut cells = names.iter().filter(|n| !n.is_empty());
    match (cells.next(), cells.next()) {
        (Some(only), None) if only.contains('\t') => {
            "; the header is separated by tabs, as Excel's 「Unicode テキスト」 saves a sheet: \
             save it as 「CSV UTF-8 (コンマ区切り)」 instead"
        }
        _ => "",
    }
}

/// Free text: trimmed, and `None` when empty.
fn text_opt(cell: &str) -> Option<String> {
    let trimmed = cell.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// An asset's cells in canonical form, as export writes them.
fn canonical_cells(asset: &Asset) -> [Option<String>; COLUMN_COUNT] {
    let r = AssetRecord::from(asset);
    let flag = |b: bool| Some(if b { "true" } else { "false" }.to_owned());
    let controls = r.controls.join(";");
    [
        Some(r.id),
        Some(r.kind),
        Some(r.name),
        Some(r.organization),
        Some(r.department),
        r.manager,
        Some(r.confidentiality),
        Some(r.integrity),
        Some(r.availability),
        r.segment,
        r.medium,
        r.location,
        flag(r.personal),
        flag(r.sensitive),
        flag(r.my_number),
        r.record_count.map(|n| n.to_string()),
        Some(controls),
        r.hosting,
        r.provider,
        r.contract,
        r.retention,
        r.exclusion_reason,
        r.reviewed_on,
        r.disposed_on,
        r.disposed_by,
        r.disposal_method,
        r.disposal_approver,
        r.disposal_certificate,
        r.notes,
        Some(r.version.to_string()),
    ]
}

/// The reason part of a library error, without repeating the value.
fn reason(error: &Error) -> String {
    match error {
        Error::Invalid { reason, .. } => reason.clone(),
        Error::UnknownValue { field, allowed, .. } => {
            if allowed.len() > 12 {
                format!(
                    "not a known {field} (allowed: {}, ...)",
                    allowed[..12].join(", ")
                )
            } else {
                format!("not a known {field} (allowed: {})", allowed.join(", "))
            }
        }
        other => other.to_string(),
    }
}

fn error_field(error: &Error) -> Option<&'static str> {
    match error {
        Error::Invalid { field, .. } | Error::UnknownValue { field, .. } => Some(field),
        _ => None,
    }
}

fn error_value(error: &Error) -> Option<String> {
    match error {
        Error::Invalid { value, .. } | Error::UnknownValue { value, .. } => Some(value.clone()),
        _ => None,
    }
}

/// Turns cell-parser errors into a reason text.
trait Reason {
    fn to_string_reason(&self) -> String;
}

impl Reason for Error {
    fn to_string_reason(&self) -> String {
        reason(self)
    }
}

impl Reason for crate::parse::BoolError {
    fn to_string_reason(&self) -> String {
        self.to_string()
    }
}

impl Reason for crate::parse::CountError {
    fn to_string_reason(&self) -> String {
        self.to_string()
    }
}

fn csv_reason(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Io(e) => match e.get_ref().and_then(|e| e.downcast_ref::<DecodeError>()) {
            Some(decode) => decode.to_string(),
            None => format!("reading failed: {e}"),
        },
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_owned(),
        _ => format!("the row is not valid CSV: {error}"),
    }
}

/// Before a bulk import into an empty register file: switches from WAL to a
/// rollback journal with full syncs, if no other connection is open.
///
/// In WAL mode every page is written twice (to the log, then by the
/// checkpoint into the file). With a rollback journal, pages added past the
/// end of the file are written once and need no journal, and a crash or an
/// error still rolls the whole import back. Returns false, changing nothing,
/// when the switch is not possible.
fn enter_bulk_mode(conn: &Connection) -> bool {
    let mode: rusqlite::Result<String> =
        conn.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0));
    match mode {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") => {
            if conn.pragma_update(None, "synchronous", "FULL").is_ok() {
                true
            } else {
                leave_bulk_mode(conn);
                false
            }
        }
        _ => false,
    }
}

/// Returns to WAL after a bulk import. A failure leaves the file in rollback
/// mode, which is sound; the next open switches it back to WAL.
fn leave_bulk_mode(conn: &Connection) {
    let _ = conn.pragma_update(None, "synchronous", "NORMAL");
    let _: rusqlite::Result<String> =
        conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0));
}

fn register_is_empty(conn: &Connection) -> Result<bool> {
    conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM assets)", [], |row| {
        row.get(0)
    })
    .map_err(Error::storage("counting assets"))
}

/// Drops the secondary indexes of `assets` (not the id's), returning the SQL
/// to make them again. Filling an empty table and then indexing it is much
/// faster than keeping the indexes up to date row by row.
///
/// The audit log's index on `asset_id` stays: new ids grow, so keeping it
/// up to date appends to it, which costs less than reading the whole log
/// again to rebuild it (measured).
fn drop_secondary_indexes(conn: &Connection) -> Result<Vec<(String, String)>> {
    let failed = Error::storage("preparing a bulk import");
    let mut stmt = conn
        .prepare(
            "SELECT name, sql FROM sqlite_schema \
             WHERE type = 'index' AND tbl_name = 'assets' AND sql IS NOT NULL",
        )
        .map_err(Error::storage("preparing a bulk import"))?;
    let indexes: Vec<(String, String)> = stmt
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .and_then(Iterator::collect)
        .map_err(failed)?;
    for (name, _) in &indexes {
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        conn.execute(&format!("DROP INDEX {quoted}"), [])
            .map_err(Error::storage("preparing a bulk import"))?;
    }
    Ok(indexes)
}

fn recreate_indexes(conn: &Connection, indexes: &[(String, String)]) -> Result<()> {
    // SQLite sorts the index entries; two helper threads let it use the core
    // the finished import left idle. Only the sort is affected.
    let helpers = conn.pragma_update(None, "threads", 2).is_ok();
    let built = indexes.iter().try_for_each(|(_, sql)| {
        conn.execute(sql, [])
            .map(drop)
            .map_err(Error::storage("rebuilding the indexes after an import"))
    });
    if helpers {
        let _ = conn.pragma_update(None, "threads", 0);
    }
    built
}
