//! Exporting the asset and link sheets.
//!
//! Assets are written straight from their stored columns, which already hold
//! canonical codes, in storage order: the order they were added (an import
//! adds them in file order), which an update does not change.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::mpsc;

use encoding_rs::{EncoderResult, SHIFT_JIS};

use super::reader::needs_neutralizing;
use super::{
    ASSET_HEADERS_EN, ASSET_HEADERS_JA, Encoding, ExportOptions, ExportReport, Headers,
    LINK_HEADERS_EN, LINK_HEADERS_JA, Progress,
};
use crate::audit::Head;
use crate::error::{Error, Result};
use crate::outfile::OutputFile;
use crate::policy::Policy;
use crate::query::Filter;
use crate::register::Register;
use crate::store::{Batch, Row, Value};
use crate::table::{CellKind, Column, SHEET_COLUMN_COUNT, has_sheet_value_ja, sheet_value_ja};

/// Rows between two progress reports.
const PROGRESS_EVERY: u64 = 4096;

/// Where the output goes, for error messages.
const UNNAMED_OUTPUT: &str = "<output>";

impl Register {
    /// Writes the assets a filter selects as CSV; see the [module docs](crate::sheet).
    pub fn export_assets<W: Write>(
        &self,
        writer: W,
        filter: &Filter,
        options: &ExportOptions,
    ) -> Result<ExportReport> {
        export_assets(self, writer, filter, options, Path::new(UNNAMED_OUTPUT))
    }

    /// Writes the assets a filter selects to a new CSV file at `path`,
    /// through an [`OutputFile`] that guards the register's own files: the
    /// file appears only when complete, and an existing one is replaced only
    /// with [`ExportOptions::overwrite`].
    pub fn export_assets_path<P: AsRef<Path>>(
        &self,
        path: P,
        filter: &Filter,
        options: &ExportOptions,
    ) -> Result<ExportReport> {
        let mut out = self.output_file(path, options.overwrite)?;
        let report = self.export_assets_file(&mut out, filter, options)?;
        out.commit()?;
        Ok(report)
    }

    /// Writes the assets a filter selects into an output file, without
    /// committing it: a caller writing several files commits them when all
    /// are written.
    pub fn export_assets_file(
        &self,
        out: &mut OutputFile,
        filter: &Filter,
        options: &ExportOptions,
    ) -> Result<ExportReport> {
        let path = out.path().to_owned();
        export_assets_threaded(self, out, filter, options, &path)
    }

    /// Writes every link as CSV (`from`, `relation`, `to`, `sanitization`),
    /// the ends as asset ids.
    pub fn export_links<W: Write>(
        &self,
        writer: W,
        options: &ExportOptions,
    ) -> Result<ExportReport> {
        export_links(self, writer, options, Path::new(UNNAMED_OUTPUT))
    }

    /// Writes every link to a new CSV file at `path`, as
    /// [`Register::export_assets_path`] writes the assets.
    pub fn export_links_path<P: AsRef<Path>>(
        &self,
        path: P,
        options: &ExportOptions,
    ) -> Result<ExportReport> {
        let mut out = self.output_file(path, options.overwrite)?;
        let path = out.path().to_owned();
        let report = export_links(self, BufWriter::new(&mut out), options, &path)?;
        out.commit()?;
        Ok(report)
    }
}

/// Writes the assets into a file (`path` names it in errors) with a third
/// thread writing, so that the one reading the register does not also wait
/// in write calls.
pub(super) fn export_assets_threaded<F: Write + Send>(
    register: &Register,
    file: F,
    filter: &Filter,
    options: &ExportOptions,
    path: &Path,
) -> Result<ExportReport> {
    std::thread::scope(|scope| {
        let (to_file, chunks) = mpsc::sync_channel::<Vec<u8>>(CHUNKS_IN_FLIGHT);
        let writer = scope.spawn(move || -> io::Result<()> {
            let mut file = file;
            for chunk in chunks {
                file.write_all(&chunk)?;
            }
            file.flush()
        });
        let exported = export_assets(register, Chunks(to_file), filter, options, path);
        match writer.join() {
            // The file's own error explains a stopped export best.
            Ok(Err(source)) => Err(Error::Io {
                action: "write",
                path: path.to_owned(),
                source,
            }),
            Ok(Ok(())) => exported,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Writes cells in the output encoding, neutralizing formulas.
struct Cells<W: Write> {
    csv: csv::Writer<W>,
    encoding: Encoding,
    replace: bool,
    replaced: u64,
    buffer: Vec<u8>,
    path: std::path::PathBuf,
}

impl<W: Write> Cells<W> {
    fn new(mut writer: W, options: &ExportOptions, path: &Path) -> Result<Self> {
        let encoding = options.encoding.unwrap_or(Encoding::Utf8Bom);
        if !matches!(
            encoding,
            Encoding::Utf8 | Encoding::Utf8Bom | Encoding::Cp932
        ) {
            return Err(Error::invalid(
                "encoding",
                encoding.label(),
                "書き出せる文字コードは utf-8-sig、utf-8、cp932 です",
                "export writes utf-8-sig, utf-8 or cp932",
            ));
        }
        if encoding == Encoding::Utf8Bom {
            writer
                .write_all(b"\xEF\xBB\xBF")
                .map_err(|source| Error::Io {
                    action: "write",
                    path: path.to_owned(),
                    source,
                })?;
        }
        let csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Necessary)
            .buffer_capacity(64 * 1024)
            .from_writer(writer);
        Ok(Cells {
            csv,
            encoding,
            replace: options.replace_unencodable,
            replaced: 0,
            buffer: Vec::with_capacity(256),
            path: path.to_owned(),
        })
    }

    fn io(&self, source: io::Error) -> Error {
        Error::Io {
            action: "write",
            path: self.path.clone(),
            source,
        }
    }

    fn csv_error(&self, error: csv::Error) -> Error {
        match error.into_kind() {
            csv::ErrorKind::Io(source) => self.io(source),
            other => self.io(io::Error::other(format!("{other:?}"))),
        }
    }

    /// Writes one cell; `row` (0 for the header) and `column` name it in errors.
    fn field(&mut self, text: &str, row: u64, column: &str) -> Result<()> {
        let neutralize = needs_neutralizing(text);
        let result = if self.encoding == Encoding::Cp932 && !text.is_ascii() {
            self.buffer.clear();
            if neutralize {
                self.buffer.push(b'\'');
            }
            self.encode_cp932(text, row, column)?;
            self.csv.write_field(&self.buffer)
        } else if neutralize {
            self.buffer.clear();
            self.buffer.push(b'\'');
            self.buffer.extend_from_slice(text.as_bytes());
            self.csv.write_field(&self.buffer)
        } else {
            self.csv.write_field(text)
        };
        result.map_err(|e| self.csv_error(e))
    }

    /// Writes one cell read from the register as bytes: UTF-8 output takes
    /// them as they are, CP932 output checks and converts them.
    fn field_bytes(&mut self, bytes: &[u8], row: u64, column: &str) -> Result<()> {
        if self.encoding == Encoding::Cp932 {
            let text = std::str::from_utf8(bytes).map_err(|_| Error::Corrupt {
                what: format!("row {row} has text that is not UTF-8 in `{column}`"),
            })?;
            return self.field(text, row, column);
        }
        let neutralize = bytes
            .iter()
            .find(|&&b| b != b'\'')
            .is_some_and(|&b| matches!(b, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
        let result = if neutralize {
            self.buffer.clear();
            self.buffer.push(b'\'');
            self.buffer.extend_from_slice(bytes);
            self.csv.write_field(&self.buffer)
        } else {
            self.csv.write_field(bytes)
        };
        result.map_err(|e| self.csv_error(e))
    }

    fn end_row(&mut self) -> Result<()> {
        self.csv
            .write_record(None::<&[u8]>)
            .map_err(|e| self.csv_error(e))
    }

    fn encode_cp932(&mut self, text: &str, row: u64, column: &str) -> Result<()> {
        let mut encoder = SHIFT_JIS.new_encoder();
        let mut rest = text;
        loop {
            let needed = encoder
                .max_buffer_length_from_utf8_without_replacement(rest.len())
                .unwrap_or(rest.len() * 2 + 16);
            let start = self.buffer.len();
            self.buffer.resize(start + needed, 0);
            let (result, read, written) =
                encoder.encode_from_utf8_without_replacement(rest, &mut self.buffer[start..], true);
            self.buffer.truncate(start + written);
            rest = &rest[read..];
            match result {
                EncoderResult::InputEmpty => return Ok(()),
                EncoderResult::OutputFull => {}
                EncoderResult::Unmappable(character) => {
                    if !self.replace {
                        return Err(Error::Unencodable {
                            row,
                            column: column.to_owned(),
                            character,
                            encoding: Encoding::Cp932.label(),
                        });
                    }
                    self.replaced += 1;
                    match cp932_fallback(character) {
                        Some(bytes) => self.buffer.extend_from_slice(bytes),
                        None => self.buffer.push(b'?'),
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Result<u64> {
        self.csv.flush().map_err(|source| self.io(source))?;
        Ok(self.replaced)
    }
}

/// The CP932 bytes of characters that JIS and Unicode text write with a
/// different code point than Windows does (the wave dash problem): 〜 is ～,
/// − is －, and so on. Used only when replacing is allowed.
fn cp932_fallback(character: char) -> Option<&'static [u8]> {
    Some(match character {
        '\u{301C}' => b"\x81\x60", // WAVE DASH → FULLWIDTH TILDE
        '\u{2212}' => b"\x81\x7C", // MINUS SIGN → FULLWIDTH HYPHEN-MINUS
        '\u{2016}' => b"\x81\x61", // DOUBLE VERTICAL LINE → PARALLEL TO
        '\u{2014}' => b"\x81\x5C", // EM DASH → HORIZONTAL BAR
        '\u{00A2}' => b"\x81\x91", // CENT SIGN → FULLWIDTH CENT SIGN
        '\u{00A3}' => b"\x81\x92", // POUND SIGN → FULLWIDTH POUND SIGN
        '\u{00AC}' => b"\x81\xCA", // NOT SIGN → FULLWIDTH NOT SIGN
        _ => return None,
    })
}

fn export_assets<W: Write>(
    register: &Register,
    writer: W,
    filter: &Filter,
    options: &ExportOptions,
    path: &Path,
) -> Result<ExportReport> {
    let progress = |event| {
        if let Some(progress) = &options.progress {
            progress(event);
        }
    };
    let headers = match options.headers {
        Headers::En => &ASSET_HEADERS_EN,
        Headers::Ja => &ASSET_HEADERS_JA,
    };
    let mut writer = writer;
    let write_error = |source| Error::Io {
        action: "write",
        path: path.to_owned(),
        source,
    };
    let mut write_chunk = |chunk: Vec<u8>| writer.write_all(&chunk).map_err(write_error);

    // This thread steps through the rows and copies their values into
    // batches; a second one writes them as CSV and hands the bytes back.
    let ((written, head), formatted_all, extra_count) = std::thread::scope(|scope| -> Result<_> {
        let (to_formatter, batches) = mpsc::sync_channel::<Batch>(BATCHES_IN_FLIGHT);
        let (to_reader, emptied) = mpsc::channel::<Batch>();
        let (chunk_sender, chunks) = mpsc::channel::<Vec<u8>>();
        let (keys_sender, keys) = mpsc::channel::<Vec<String>>();
        let policy = register.policy();
        let formatter = scope.spawn(move || {
            let formatter = Formatter {
                options,
                path,
                headers,
                policy,
            };
            formatter.run(&keys, batches, &to_reader, chunk_sender)
        });
        let mut batch = Batch::default();
        let mut extra_count = 0;
        let mut rows = 0u64;
        let read = register.db().export_rows(
            filter,
            |total, extra_keys| {
                extra_count = extra_keys.len();
                progress(Progress::Start {
                    total_bytes: None,
                    total_rows: Some(total),
                });
                let _ = keys_sender.send(extra_keys);
                Ok(())
            },
            |values| {
                batch.extend(values.iter().copied());
                rows += 1;
                if batch.is_full(BATCH_ROWS, ROW_WIDTH) {
                    let empty = emptied.try_recv().unwrap_or_default();
                    if to_formatter
                        .send(std::mem::replace(&mut batch, empty))
                        .is_err()
                    {
                        // The formatter stopped at an error, returned below.
                        return Ok(false);
                    }
                    chunks.try_iter().try_for_each(&mut write_chunk)?;
                }
                if rows.is_multiple_of(PROGRESS_EVERY) {
                    progress(Progress::Advance { rows, bytes: 0 });
                }
                Ok(true)
            },
        );
        drop(keys_sender);
        if !batch.is_empty() {
            let _ = to_formatter.send(batch);
        }
        drop(to_formatter);
        // Ends when the formatter is done and drops its sender.
        chunks.iter().try_for_each(&mut write_chunk)?;
        let result = match formatter.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        Ok((read?, result, extra_count))
    })?;
    let (encoding, replaced) = formatted_all?;
    writer.flush().map_err(write_error)?;
    progress(Progress::Advance {
        rows: written,
        bytes: 0,
    });
    progress(Progress::Finish);
    Ok(ExportReport {
        rows: written,
        columns: SHEET_COLUMN_COUNT + extra_count,
        encoding,
        replaced,
        head: Some(head.map_or(Head::EMPTY, |(entries, hash)| Head { entries, hash })),
    })
}

/// The values of an asset row in a batch: the export columns in order,
/// then the extra attributes' JSON.
const ROW_WIDTH: usize = SHEET_COLUMN_COUNT + 1;

/// Rows per batch, at most.
const BATCH_ROWS: usize = 1024;

/// Batches on their way to the formatter at most.
const BATCHES_IN_FLIGHT: usize = 4;

/// Chunks of output on their way to the thread writing a file, at most.
const CHUNKS_IN_FLIGHT: usize = 8;

/// Output handed to another thread: each write (a csv writer's buffer, when
/// full or flushed) is sent as one chunk.
struct Chunks<S: ChunkSender>(S);

/// The sending half of a channel of chunks, bounded or not.
trait ChunkSender {
    fn send_chunk(&self, chunk: Vec<u8>) -> bool;
}

impl ChunkSender for mpsc::Sender<Vec<u8>> {
    fn send_chunk(&self, chunk: Vec<u8>) -> bool {
        self.send(chunk).is_ok()
    }
}

impl ChunkSender for mpsc::SyncSender<Vec<u8>> {
    fn send_chunk(&self, chunk: Vec<u8>) -> bool {
        self.send(chunk).is_ok()
    }
}

impl<S: ChunkSender> Write for Chunks<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.0.send_chunk(buf.to_vec()) {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the export stopped",
            ));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn write_headers<W: Write>(
    cells: &mut Cells<W>,
    headers: &[&str; SHEET_COLUMN_COUNT],
    extra_keys: &[String],
) -> Result<()> {
    for name in headers
        .iter()
        .copied()
        .chain(extra_keys.iter().map(String::as_str))
    {
        cells.field(name, 0, name)?;
    }
    cells.end_row()
}

/// The second thread of an export: formats the rows it is sent as CSV.
struct Formatter<'a> {
    options: &'a ExportOptions,
    path: &'a Path,
    headers: &'a [&'a str; SHEET_COLUMN_COUNT],
    policy: &'a Policy,
}

impl Formatter<'_> {
    /// Writes the header once the extra keys come, then every row of every
    /// batch, handing each emptied batch back; returns the encoding written
    /// and how many characters were replaced.
    fn run(
        &self,
        keys: &mpsc::Receiver<Vec<String>>,
        batches: mpsc::Receiver<Batch>,
        to_reader: &mpsc::Sender<Batch>,
        chunks: mpsc::Sender<Vec<u8>>,
    ) -> Result<(Encoding, u64)> {
        // The keys come first; without them the reader stopped at an error.
        let Ok(extra_keys) = keys.recv() else {
            return Ok((Encoding::Utf8, 0));
        };
        let mut cells = Cells::new(Chunks(chunks), self.options, self.path)?;
        write_headers(&mut cells, self.headers, &extra_keys)?;
        // Japanese headers go with the Japanese values a section writes.
        let mut japanese =
            (self.options.headers == Headers::Ja).then(|| JapaneseValues::new(self.policy));
        let mut number = 0;
        for mut batch in batches {
            for row in batch.rows(ROW_WIDTH) {
                number += 1;
                let japanese = japanese.as_mut();
                write_asset(&mut cells, row, number, self.headers, &extra_keys, japanese)?;
            }
            batch.clear();
            // The reading thread may have stopped; the batch is dropped.
            let _ = to_reader.send(batch);
        }
        let encoding = cells.encoding;
        // Sends the last bytes; dropping `cells` then closes the channel.
        Ok((encoding, cells.finish()?))
    }
}

/// The Japanese values of a sheet with Japanese headers, by stored code,
/// remembered: a register repeats a few codes many times.
struct JapaneseValues<'p> {
    policy: &'p Policy,
    known: Vec<HashMap<Box<[u8]>, Option<String>>>,
}

impl<'p> JapaneseValues<'p> {
    fn new(policy: &'p Policy) -> Self {
        JapaneseValues {
            policy,
            known: (0..SHEET_COLUMN_COUNT).map(|_| HashMap::new()).collect(),
        }
    }

    /// The Japanese value of a stored code in the `index`th sheet column.
    ///
    /// Only coded columns are remembered: remembering the free texts too
    /// (names, notes, departments) held every row's texts until the end,
    /// 16 MiB more per 100,000 rows (issue 17).
    fn get(&mut self, index: usize, column: Column, code: &[u8]) -> Option<&str> {
        if !has_sheet_value_ja(column) {
            return None;
        }
        let policy = self.policy;
        self.known[index]
            .entry(code.into())
            .or_insert_with(|| {
                std::str::from_utf8(code)
                    .ok()
                    .and_then(|code| sheet_value_ja(policy, column, code))
            })
            .as_deref()
    }
}

/// Writes one asset row, the `number`th (from 1), from its stored values;
/// with `japanese`, codes as the Japanese values a section writes.
fn write_asset<W: Write>(
    cells: &mut Cells<W>,
    row: Row<'_>,
    number: u64,
    headers: &[&str; SHEET_COLUMN_COUNT],
    extra_keys: &[String],
    mut japanese: Option<&mut JapaneseValues<'_>>,
) -> Result<()> {
    let mut digits = String::new();
    let mut uuid = [0u8; uuid::fmt::Hyphenated::LENGTH];
    for (index, col) in Column::sheet().enumerate() {
        let column = headers[index];
        let text: &str = match row.get(index) {
            Value::Null => "",
            Value::Text(bytes) => {
                if let Some(label) = japanese.as_mut().and_then(|j| j.get(index, col, bytes)) {
                    cells.field(label, number, column)?;
                } else {
                    cells.field_bytes(bytes, number, column)?;
                }
                continue;
            }
            Value::Integer(n) if col.kind() == CellKind::Flag => match (n, japanese.is_some()) {
                (0, false) => "false",
                (_, false) => "true",
                (0, true) => "×",
                (_, true) => "○",
            },
            Value::Integer(n) => {
                use std::fmt::Write as _;
                digits.clear();
                let _ = write!(digits, "{n}");
                &digits
            }
            Value::Blob(bytes) => {
                let id = uuid::Uuid::from_slice(bytes).map_err(|_| Error::Corrupt {
                    what: format!("row {number} has a malformed id"),
                })?;
                id.hyphenated().encode_lower(&mut uuid)
            }
            Value::Real(_) => {
                return Err(Error::Corrupt {
                    what: format!("row {number} has a number where `{column}` expects text"),
                });
            }
        };
        cells.field(text, number, column)?;
    }
    if !extra_keys.is_empty() {
        let extra_values = match row.get(SHEET_COLUMN_COUNT) {
            Value::Text(json) => parse_extra(json)?,
            _ => Vec::new(),
        };
        for key in extra_keys {
            let value = extra_values
                .iter()
                .find(|(k, _)| k == key)
                .map_or("", |(_, v)| v.as_str());
            cells.field(value, number, key)?;
        }
    }
    cells.end_row()
}

fn parse_extra(json: &[u8]) -> Result<Vec<(String, String)>> {
    serde_json::from_slice(json).map_err(|_| Error::Corrupt {
        what: format!(
            "an asset has extra attributes that are not valid: `{}`",
            String::from_utf8_lossy(json)
        ),
    })
}

fn export_links<W: Write>(
    register: &Register,
    writer: W,
    options: &ExportOptions,
    path: &Path,
) -> Result<ExportReport> {
    let links = register.links()?;
    let progress = |event| {
        if let Some(progress) = &options.progress {
            progress(event);
        }
    };
    progress(Progress::Start {
        total_bytes: None,
        total_rows: Some(links.len() as u64),
    });
    let headers = match options.headers {
        Headers::En => &LINK_HEADERS_EN,
        Headers::Ja => &LINK_HEADERS_JA,
    };
    let mut cells = Cells::new(writer, options, path)?;
    for name in headers {
        cells.field(name, 0, name)?;
    }
    cells.end_row()?;
    let mut written = 0;
    for link in &links {
        written += 1;
        cells.field(&link.from.to_string(), written, headers[0])?;
        cells.field(link.relation.code(), written, headers[1])?;
        cells.field(&link.to.to_string(), written, headers[2])?;
        cells.field(
            link.sanitization.map_or("", |s| s.code()),
            written,
            headers[3],
        )?;
        cells.end_row()?;
    }
    let encoding = cells.encoding;
    let replaced = cells.finish()?;
    progress(Progress::Advance {
        rows: written,
        bytes: 0,
    });
    progress(Progress::Finish);
    Ok(ExportReport {
        rows: written,
        columns: headers.len(),
        encoding,
        replaced,
        head: None,
    })
}
