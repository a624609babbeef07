//! Importing asset and link sheets: the entry points and the one
//! transaction around the passes (reading, header mapping, asset rows, link
//! rows, and the bulk pipeline of a first import).

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use super::assets::AssetRows;
use super::header::{AssetHeader, LinkHeader};
use super::ids::Ids;
use super::links::LinkRows;
use super::reader::{Input, SheetReader};
use super::sink::At;
use super::{ImportOptions, ImportReport, Progress, Sink};
use crate::audit::Appender;
use crate::error::{Error, Result};
use crate::register::Register;
use crate::store::{Db, End, NewImport, SeenIds};
use crate::table::cells::Resolver;
use crate::text::Localized;
use crate::write::{self, MayHoldNumbers, Writer};

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
        self.import_inputs(Some(Input::new("assets", reader)), None, None, options)
    }

    /// Imports a link sheet (`from`, `relation`, `to`, `sanitization`) from a
    /// reader; the ends are asset ids or unique names.
    pub fn import_links<R: Read>(
        &mut self,
        reader: R,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        self.import_inputs(None, Some(Input::new("links", reader)), None, options)
    }

    /// Imports an asset sheet and then a link sheet in one transaction, so
    /// the links may name assets the same import creates.
    pub fn import_assets_and_links<A: Read, L: Read>(
        &mut self,
        assets: A,
        links: L,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let assets = Input::new("assets", assets);
        let links = Input::new("links", links);
        self.import_inputs(Some(assets), Some(links), None, options)
    }

    /// Imports an asset sheet from a file.
    pub fn import_assets_path<P: AsRef<Path>>(
        &mut self,
        path: P,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let input = Input::open(path.as_ref())?;
        self.import_inputs(Some(input), None, None, options)
    }

    /// Imports a link sheet from a file.
    pub fn import_links_path<P: AsRef<Path>>(
        &mut self,
        path: P,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let input = Input::open(path.as_ref())?;
        self.import_inputs(None, Some(input), None, options)
    }

    /// Imports an asset sheet and a link sheet from files, in one transaction;
    /// either may be `None`. Each is a CSV file or a workbook (`.xlsx`),
    /// told by its content. Without a links file, the links are read from
    /// the assets workbook's sheet [`ImportOptions::links_sheet`] when it
    /// names one, or else from its sheet [`LINKS_SHEET`] (関連, as daicho's
    /// export writes it) when it has one with a link header; a sheet 関連
    /// without one is passed over with a warning.
    ///
    /// [`LINKS_SHEET`]: super::LINKS_SHEET
    pub fn import_paths(
        &mut self,
        assets: Option<&Path>,
        links: Option<&Path>,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let links_sheet = links.is_none() && options.links_sheet.is_none();
        let links = links.or(assets.filter(|_| options.links_sheet.is_some()));
        let default_links = assets.filter(|_| links_sheet);
        let assets = assets.map(Input::open).transpose()?;
        let links = links.map(Input::open).transpose()?;
        self.import_inputs(assets, links, default_links, options)
    }

    fn import_inputs(
        &mut self,
        assets: Option<Input<'_>>,
        links: Option<Input<'_>>,
        default_links: Option<&Path>,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let source_name = assets
            .iter()
            .chain(links.iter())
            .map(|input| input.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        options.report(Progress::Start {
            total_bytes: match (&assets, &links) {
                (Some(a), Some(l)) => a.size.zip(l.size).map(|(a, l)| a + l),
                (Some(one), None) | (None, Some(one)) => one.size,
                (None, None) => Some(0),
            },
            total_rows: None,
        });
        let bulk_file = self.path().map(Path::to_path_buf).filter(|_| {
            !options.dry_run && assets.is_some() && self.db().has_no_assets().unwrap_or(false)
        });
        let bulk_file = bulk_file.filter(|_| self.db().enter_bulk_mode());
        let result = self.import_transaction(
            assets,
            links,
            default_links,
            options,
            &source_name,
            bulk_file.as_deref(),
        );
        if bulk_file.is_some() {
            self.db().leave_bulk_mode();
        }
        result
    }

    fn import_transaction(
        &mut self,
        assets: Option<Input<'_>>,
        links: Option<Input<'_>>,
        default_links: Option<&Path>,
        options: &ImportOptions,
        source_name: &str,
        bulk_file: Option<&Path>,
    ) -> Result<ImportReport> {
        let hooks = Hooks {
            before: |_: &Db| Ok(()),
            after: |_: &mut Writer<'_, '_>, _: &ImportReport, ()| Ok(()),
        };
        self.import_transaction_with(
            (assets, links, default_links),
            options,
            (source_name, bulk_file),
            hooks,
        )
        .map(|(report, ())| report)
    }

    /// Imports an asset sheet from a file, with `hooks` run in the same
    /// transaction: `before` ahead of the sheet, `after` once it is imported
    /// (its report in hand, before the transaction commits): an error from
    /// either rolls the whole back. For a change that goes with a section's
    /// returned sheet (an attestation).
    pub(crate) fn import_assets_with<B, T>(
        &mut self,
        path: &Path,
        options: &ImportOptions,
        hooks: Hooks<
            impl FnOnce(&Db) -> Result<B>,
            impl FnOnce(&mut Writer<'_, '_>, &ImportReport, B) -> Result<T>,
        >,
    ) -> Result<(ImportReport, T)> {
        let input = Input::open(path)?;
        let source_name = input.name.clone();
        // A section's returned sheet brings its assets only: its 関連 sheet
        // (if it kept one) is not read.
        self.import_transaction_with(
            (Some(input), None, None),
            options,
            (&source_name, None),
            hooks,
        )
    }

    fn import_transaction_with<B, T>(
        &mut self,
        (assets, links, default_links): (Option<Input<'_>>, Option<Input<'_>>, Option<&Path>),
        options: &ImportOptions,
        (source_name, bulk_file): (&str, Option<&Path>),
        hooks: Hooks<
            impl FnOnce(&Db) -> Result<B>,
            impl FnOnce(&mut Writer<'_, '_>, &ImportReport, B) -> Result<T>,
        >,
    ) -> Result<(ImportReport, T)> {
        let policy = self.policy().clone();
        let actor = self.actor().to_owned();
        let now = self.now();
        write::validate_actor(&actor)?;
        let end = if options.dry_run {
            End::Rollback
        } else {
            End::Commit
        };
        self.db_mut().transaction(|db| {
            let mut log = Appender::start(db, &actor, now)?;
            let head = |db: &Db| Ok::<_, Error>(db.audit_head()?.map_or(0, |(seq, _)| seq));
            let logged_before = head(db)?;
            let before = (hooks.before)(db)?;
            let mut run = Run {
                policy: &policy,
                options,
                now,
                sink: Sink {
                    report: ImportReport {
                        dry_run: options.dry_run,
                        ..ImportReport::default()
                    },
                    row_outcomes: options.row_outcomes,
                    ..Sink::default()
                },
                rows_done: 0,
                bytes_before: 0,
                assets_book: None,
            };
            if let Some(input) = assets {
                run.assets(db, &mut log, input, bulk_file)?;
            }
            if let Some(input) = links {
                run.links(db, &mut log, input, None)?;
            } else if let Some(path) = default_links.filter(|_| run.has_links_sheet()) {
                run.links(db, &mut log, Input::open(path)?, Some(super::LINKS_SHEET))?;
            }
            options.report(Progress::Finish);
            let Sink {
                mut report, errors, ..
            } = run.sink;
            if !errors.is_empty() {
                // The error rolls everything back; like its rows, it names the
                // files with every run of twelve digits masked.
                return Err(Error::Import {
                    source_name: crate::mynumber::mask(source_name).into_owned(),
                    errors: errors.list,
                    total: errors.total,
                });
            }
            if !options.dry_run {
                // Recorded with its audit entries' range, for `import --undo`.
                let logged = head(db)?;
                let counts = |c: super::Counts| [c.created, c.updated, c.unchanged];
                report.import_id = Some(db.insert_import(&NewImport {
                    at: log.at(),
                    actor: &actor,
                    source: source_name,
                    assets: counts(report.assets),
                    links: counts(report.links),
                    entries: (logged > logged_before).then_some((logged_before + 1, logged)),
                })?);
            }
            let after = (hooks.after)(
                &mut Writer {
                    db,
                    log: &mut log,
                    policy: &policy,
                    now,
                    numbers: MayHoldNumbers::NONE,
                },
                &report,
                before,
            )?;
            Ok(((report, after), end))
        })
    }
}

/// What runs in an import's transaction beside the sheet.
pub(crate) struct Hooks<B, A> {
    /// Before the sheet is read.
    pub(crate) before: B,
    /// After it is imported, before the transaction commits.
    pub(crate) after: A,
}

/// One import run: what every pass needs.
struct Run<'r> {
    policy: &'r crate::policy::Policy,
    options: &'r ImportOptions,
    now: jiff::Timestamp,
    sink: Sink,
    /// Rows of earlier files, for progress.
    rows_done: u64,
    /// Bytes of earlier files, for progress.
    bytes_before: u64,
    /// The sheets of the assets' workbook, and the one read.
    assets_book: Option<(Vec<String>, String)>,
}

impl Run<'_> {
    /// Reports progress within the current file.
    fn progress(
        options: &ImportOptions,
        rows_done: u64,
        bytes_before: u64,
    ) -> impl FnMut(u64, u64) {
        move |rows, bytes| {
            options.report(Progress::Advance {
                rows: rows_done + rows,
                bytes: bytes_before + bytes,
            });
        }
    }

    /// Notes what a worksheet's reading did: its merged regions, its
    /// formulas read as their cached values.
    fn note_workbook(&mut self, grid: &super::xlsx::Grid) {
        let sheet = super::xlsx::sheet_reference(&grid.sheet);
        let report = &mut self.sink.report;
        report
            .merged_cells
            .extend(grid.merged.iter().map(|range| format!("{sheet}!{range}")));
        report.formula_cells += grid.formulas;
    }

    /// Counts a finished file's rows and bytes.
    fn finish_file(&mut self, rows: u64, bytes: u64) {
        Self::progress(self.options, self.rows_done, self.bytes_before)(rows, bytes);
        self.rows_done += rows;
        self.bytes_before += bytes;
    }

    fn assets(
        &mut self,
        db: &mut Db,
        log: &mut Appender<'_>,
        input: Input<'_>,
        bulk_file: Option<&Path>,
    ) -> Result<()> {
        let Some(mut reader) = SheetReader::open(
            input,
            self.options.sheet.as_deref(),
            self.options,
            &mut self.sink,
            AssetHeader::is_header,
            AssetHeader::missing,
        )?
        else {
            return Ok(());
        };
        self.sink.report.encoding = reader.encoding();
        self.sink.report.header_row = Some(reader.header_at.row);
        if let Some(grid) = reader.sheet() {
            self.sink.report.sheet = Some(grid.sheet.clone());
            self.assets_book = Some((grid.sheets.clone(), grid.sheet.clone()));
            self.note_workbook(grid);
        }
        let names = std::mem::take(&mut reader.names);
        let file = reader.file.clone();
        let by_daicho = reader.sheet().is_some_and(|grid| grid.by_daicho);
        let Some(header) = AssetHeader::map(
            &file,
            reader.header_at,
            names,
            self.options.strict,
            &self.options.extra_columns,
            by_daicho,
            &mut self.sink,
        ) else {
            return Ok(());
        };
        reader.names.clone_from(&header.names);
        self.sink.report.extra_columns = header.extra.iter().map(|(_, n)| n.clone()).collect();
        let numbers = header.allowed(&self.options.allow_my_number_like);
        let mut rows = AssetRows {
            file: &file,
            header: &header,
            numbers: &numbers,
            resolver: Resolver::new(self.policy),
            seen: SeenIds::default(),
            seen_keys: crate::store::SeenKeys::default(),
            ids: Ids::new(),
            now: self.now,
            information_kinds: super::assets::InformationKinds::default(),
            hosts: super::assets::Hosts::default(),
        };
        // Into an empty register, every row creates an asset: the rows are
        // checked on this thread and written on another (see `pipeline`).
        let bulk = !self.options.dry_run && db.has_no_assets()?;
        let dropped = if bulk {
            db.drop_secondary_indexes()?
        } else {
            Vec::new()
        };
        let progress = Self::progress(self.options, self.rows_done, self.bytes_before);
        let sink = &mut self.sink;
        let read = if bulk {
            let (at, actor, chain) = log.parts();
            super::pipeline::insert_created(db, bulk_file, at, actor, chain, |write| {
                reader.read_rows(sink, true, progress, |sink, row| {
                    if let Some(asset) = rows.new_asset(sink, &row)? {
                        write(&asset);
                    }
                    rows.hints(sink, None, &row);
                    Ok(())
                })
            })?
        } else {
            let mut stored_rows = db.stored_rows()?;
            let mut writer = Writer {
                db,
                log,
                policy: self.policy,
                now: self.now,
                numbers: &numbers,
            };
            reader.read_rows(sink, true, progress, |sink, row| {
                rows.upsert(sink, (&mut writer, &mut stored_rows), &row)?;
                rows.hints(sink, Some(&writer), &row);
                Ok(())
            })?
        };
        self.sink.report.encoding = reader.encoding();
        self.finish_file(read, reader.consumed());
        if self.sink.errors.is_empty() {
            db.recreate_indexes(&dropped)?;
        }
        Ok(())
    }

    /// True when the assets' workbook has a sheet 関連 besides the one read.
    fn has_links_sheet(&self) -> bool {
        self.assets_book.as_ref().is_some_and(|(sheets, read)| {
            read != super::LINKS_SHEET && sheets.iter().any(|s| s == super::LINKS_SHEET)
        })
    }

    /// Reads the links; `default_sheet` is the sheet of the assets'
    /// workbook read when none was asked for, passed over with a warning
    /// when it has no link header.
    fn links(
        &mut self,
        db: &mut Db,
        log: &mut Appender<'_>,
        input: Input<'_>,
        default_sheet: Option<&str>,
    ) -> Result<()> {
        let assets_failed = !self.sink.errors.is_empty();
        let opened = if let Some(sheet) = default_sheet {
            let mut tried = Sink::default();
            let file = input.name.clone();
            let opened = SheetReader::open(
                input,
                Some(sheet),
                self.options,
                &mut tried,
                LinkHeader::is_header,
                LinkHeader::missing,
            )?
            .filter(|reader| tried.errors.is_empty() && LinkHeader::is_header(&reader.names) == 2);
            self.sink.worksheet = tried.worksheet.take();
            if opened.is_none() {
                let reason = Localized::new(
                    "シート「関連」に関連の見出し行（関連元・関係・関連先）がないため、関連は読みませんでした。読むときは --links-sheet で見出しのあるシートを指定してください",
                    "sheet 関連 has no link header row (from, relation, to), so no links were read from it; name the sheet holding the links with --links-sheet",
                );
                self.sink.warn(&file, At::top(1), "", "", reason);
                return Ok(());
            }
            opened
        } else {
            SheetReader::open(
                input,
                self.options.links_sheet.as_deref(),
                self.options,
                &mut self.sink,
                LinkHeader::is_header,
                LinkHeader::missing,
            )?
        };
        let Some(mut reader) = opened else {
            return Ok(());
        };
        if let Some(grid) = reader.sheet() {
            self.sink.report.links_sheet = Some(grid.sheet.clone());
            self.note_workbook(grid);
        }
        let file = reader.file.clone();
        let at = reader.header_at;
        let Some(header) = LinkHeader::map(&file, at, &reader.names, &mut self.sink) else {
            return Ok(());
        };
        let mut rows = LinkRows {
            file: &file,
            header: &header,
            assets_failed,
            seen: HashMap::new(),
        };
        let mut writer = Writer {
            db,
            log,
            policy: self.policy,
            now: self.now,
            numbers: MayHoldNumbers::NONE,
        };
        let progress = Self::progress(self.options, self.rows_done, self.bytes_before);
        let read = reader.read_rows(&mut self.sink, false, progress, |sink, row| {
            rows.row(sink, &mut writer, &row)
        })?;
        self.finish_file(read, reader.consumed());
        Ok(())
    }
}
