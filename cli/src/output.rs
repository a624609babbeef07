//! Rendering: tables for humans, JSON and CSV for computers. Everything here
//! writes to stdout, or to the file `-o` names ([`to_file`]); diagnostics go
//! to stderr elsewhere.
//!
//! What reaches a terminal is made safe here: tables and lines show control
//! characters that older registers may hold as visible pictures (ESC as `␛`,
//! a bare carriage return as `␍`), never as the terminal's commands; every
//! CSV cell goes through the library's formula neutralizing, as an export's do.

use std::cell::RefCell;
use std::io::{self, Write};
use std::path::Path;

use comfy_table::{ContentArrangement, Table, presets};
use daicho::Step;
use daicho::{Asset, Finding, OutputFile, Policy, Register, Severity};
use serde::Serialize;

use crate::args::{Format, Lang};
use crate::exit::user_error;
pub(crate) use crate::terminal::terminal_text;

/// Rows with headers, printable in any format.
pub(crate) struct Rows {
    pub(crate) headers: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl Rows {
    pub(crate) fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Rows {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn push<S: Into<String>>(&mut self, row: impl IntoIterator<Item = S>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }
}

thread_local! {
    /// The file `-o` names, while a command writes to it.
    static FILE: RefCell<Option<OutputFile>> = const { RefCell::new(None) };
    /// What would go to stdout, held until [`publish`] (`check --record`
    /// renders its report before the run commits) in a temporary file
    /// (unnamed: owner-only, gone when closed), as a report may be
    /// gigabytes long.
    static BUFFER: RefCell<Option<std::fs::File>> = const { RefCell::new(None) };
}

/// Holds what this module prints to stdout until [`publish`] or
/// [`discard`]; the file `-o` names still receives its own.
pub(crate) fn hold() -> anyhow::Result<()> {
    let held = tempfile::tempfile()?;
    BUFFER.with(|slot| *slot.borrow_mut() = Some(held));
    Ok(())
}

/// Writes what [`hold`] held to stdout.
pub(crate) fn publish() -> anyhow::Result<()> {
    use std::io::Seek as _;
    if let Some(mut held) = BUFFER.with(|slot| slot.borrow_mut().take()) {
        held.rewind()?;
        let mut out = io::stdout().lock();
        io::copy(&mut held, &mut out)?;
        out.flush()?;
    }
    Ok(())
}

/// Drops what [`hold`] held.
pub(crate) fn discard() {
    drop(BUFFER.with(|slot| slot.borrow_mut().take()));
}

/// A command's output going to a file: written owner-only under a temporary
/// name, and given its name by [`FileOutput::finish`] once complete.
#[derive(Debug)]
#[must_use = "the file gets its name only when finished"]
pub(crate) struct FileOutput {
    force: bool,
}

/// Sends what this module prints to `path` until [`FileOutput::finish`];
/// nothing without a path. CSV goes to a file as Excel reads it: UTF-8 with
/// a BOM. `.xlsx` is refused, pointing to `daicho export`, which writes workbooks.
pub(crate) fn to_file(
    register: &Register,
    path: Option<&Path>,
    force: bool,
    format: Format,
) -> anyhow::Result<Option<FileOutput>> {
    let Some(path) = path else {
        return Ok(None);
    };
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xls"))
    {
        let shown = path.display();
        user_error!(
            "`{shown}`: この出力は CSV で書きます（.csv）。台帳のブックは `daicho export -o 台帳.xlsx` で書き出せます",
            "`{shown}`: this output is written as CSV (.csv); `daicho export -o 台帳.xlsx` writes the register as a workbook"
        );
    }
    let mut file = register
        .output_file(path, force)
        .map_err(|err| force_hint(err, force))?;
    if format == Format::Csv {
        file.write_all(b"\xEF\xBB\xBF")?;
    }
    FILE.with(|slot| *slot.borrow_mut() = Some(file));
    Ok(Some(FileOutput { force }))
}

impl FileOutput {
    /// Gives the written file its name.
    pub(crate) fn finish(self) -> anyhow::Result<()> {
        if let Some(file) = FILE.with(|slot| slot.borrow_mut().take()) {
            file.commit().map_err(|err| force_hint(err, self.force))?;
        }
        Ok(())
    }
}

/// A clear word where `--force` would help.
pub(crate) fn force_hint(err: daicho::Error, force: bool) -> anyhow::Error {
    match err {
        daicho::Error::AlreadyExists { path } if !force => {
            anyhow::Error::new(crate::exit::UserError(daicho::Localized::new(
                format!(
                    "`{}` にはすでにファイルがあります。--force で置き換えます",
                    path.display()
                ),
                format!(
                    "a file exists already at `{}`; --force replaces it",
                    path.display()
                ),
            )))
        }
        other => other.into(),
    }
}

/// Runs `command`, its output going to the file `-o` names (given its name
/// when the command succeeds) or else to stdout.
pub(crate) fn writing<R>(
    register: &Register,
    out: &crate::args::OutputArgs,
    format: Format,
    command: impl FnOnce() -> anyhow::Result<R>,
) -> anyhow::Result<R> {
    let file = to_file(register, out.output.as_deref(), out.force, format)?;
    let result = command();
    settle(file, result.is_ok())?;
    result
}

/// Gives the file `to_file` opened its name when the command succeeded,
/// else drops it unfinished (the temporary file goes).
pub(crate) fn settle(file: Option<FileOutput>, succeeded: bool) -> anyhow::Result<()> {
    match file {
        Some(file) if succeeded => file.finish(),
        _ => {
            drop(FILE.with(|slot| slot.borrow_mut().take()));
            Ok(())
        }
    }
}

/// Runs `write` on the file `-o` names, or else on stdout.
fn with_out(write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>) -> anyhow::Result<()> {
    FILE.with(|slot| {
        if let Some(file) = slot.borrow_mut().as_mut() {
            let mut out = io::BufWriter::new(file);
            write(&mut out)?;
            out.flush()?;
            return Ok(());
        }
        if let Some(mut held) = BUFFER.with(|slot| slot.borrow_mut().take()) {
            let mut out = io::BufWriter::new(&mut held);
            let result = write(&mut out).and_then(|()| Ok(out.flush()?));
            drop(out);
            BUFFER.with(|slot| *slot.borrow_mut() = Some(held));
            return result;
        }
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
        write(&mut out)?;
        out.flush()?;
        Ok(())
    })
}

/// Prints rows as a table or CSV, or `json` (one of the library's wire
/// records) for `--format json`.
pub(crate) fn emit<T: Serialize + ?Sized>(
    format: Format,
    rows: &Rows,
    json: &T,
) -> anyhow::Result<()> {
    with_out(|out| emit_to(out, format, rows, json))
}

fn emit_to<T: Serialize + ?Sized>(
    mut out: &mut dyn Write,
    format: Format,
    rows: &Rows,
    json: &T,
) -> anyhow::Result<()> {
    match format {
        Format::Table => {
            let shown = |cells: &[String]| -> Vec<String> {
                cells
                    .iter()
                    .map(|cell| terminal_text(cell).into_owned())
                    .collect()
            };
            let mut table = new_table();
            table.set_header(shown(&rows.headers));
            for row in &rows.rows {
                table.add_row(shown(row));
            }
            writeln!(out, "{table}")?;
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut out);
            for row in std::iter::once(&rows.headers).chain(&rows.rows) {
                writer.write_record(
                    row.iter()
                        .map(|cell| daicho::sheet::neutralize(cell).into_owned()),
                )?;
            }
            writer.flush()?;
        }
        Format::Json => write_json(&mut out, json)?,
    }
    Ok(())
}

/// A table in the one style of every table this module prints.
fn new_table() -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::ASCII_MARKDOWN)
        .set_content_arrangement(ContentArrangement::Disabled);
    table
}

/// A row's cells as a terminal shows them.
fn shown(cells: &[String]) -> Vec<String> {
    cells
        .iter()
        .map(|cell| terminal_text(cell).into_owned())
        .collect()
}

/// How many rows [`emit_streamed`] renders at once.
const CHUNK: usize = 4096;

/// Prints rows as a table or CSV byte for byte as [`emit`] prints the same
/// [`Rows`], without holding them all (issue 17): `pass` calls the function
/// it is given once per row, in order. A table's columns are as wide as
/// their widest cell, so a table takes two passes (the widths, then the
/// lines, a chunk of rows at a time): `pass` must give the same rows each
/// time it is called.
pub(crate) fn emit_streamed(
    format: Format,
    headers: &[String],
    pass: impl Fn(&mut dyn FnMut(Vec<String>) -> anyhow::Result<()>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    with_out(|out| emit_streamed_to(out, format, headers, &pass))
}

/// What gives [`emit_streamed`] its rows: it calls the function it is
/// given once per row.
type RowPass<'a> =
    dyn Fn(&mut dyn FnMut(Vec<String>) -> anyhow::Result<()>) -> anyhow::Result<()> + 'a;

/// [`emit_streamed`] into `out`.
fn emit_streamed_to(
    mut out: &mut dyn Write,
    format: Format,
    headers: &[String],
    pass: &RowPass<'_>,
) -> anyhow::Result<()> {
    match format {
        Format::Table => {
            let mut header = new_table();
            header.set_header(shown(headers));
            let mut widths = header.column_max_content_widths();
            let mut chunk: Vec<Vec<String>> = Vec::new();
            let mut measure = |chunk: &mut Vec<Vec<String>>| {
                let mut table = new_table();
                table.add_rows(chunk.drain(..));
                for (width, wide) in widths.iter_mut().zip(table.column_max_content_widths()) {
                    *width = (*width).max(wide);
                }
            };
            pass(&mut |row| {
                chunk.push(shown(&row));
                if chunk.len() == CHUNK {
                    measure(&mut chunk);
                }
                Ok(())
            })?;
            measure(&mut chunk);
            let fixed = |table: &mut Table| {
                table.set_constraints(widths.iter().map(|&w| {
                    comfy_table::ColumnConstraint::Absolute(comfy_table::Width::Fixed(
                        w.saturating_add(2),
                    ))
                }));
            };
            {
                let mut write = |chunk: &mut Vec<Vec<String>>, first: bool| -> anyhow::Result<()> {
                    let mut table = new_table();
                    if first {
                        table.set_header(shown(headers));
                    }
                    table.add_rows(chunk.drain(..));
                    fixed(&mut table);
                    writeln!(out, "{table}")?;
                    Ok(())
                };
                let mut chunk: Vec<Vec<String>> = Vec::new();
                let mut first = true;
                pass(&mut |row| {
                    chunk.push(shown(&row));
                    if chunk.len() == CHUNK {
                        write(&mut chunk, first)?;
                        first = false;
                    }
                    Ok(())
                })?;
                if !chunk.is_empty() || first {
                    write(&mut chunk, first)?;
                }
                Ok(())
            }
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer.write_record(
                headers
                    .iter()
                    .map(|cell| daicho::sheet::neutralize(cell).into_owned()),
            )?;
            pass(&mut |row| {
                writer.write_record(
                    row.iter()
                        .map(|cell| daicho::sheet::neutralize(cell).into_owned()),
                )?;
                Ok(())
            })?;
            writer.flush()?;
            Ok(())
        }
        Format::Json => user_error!(
            "この出力は JSON では書けません",
            "this output cannot be written as JSON"
        ),
    }
}

/// Prints a wire record as pretty JSON on stdout (or the `-o` file).
pub(crate) fn json<T: Serialize + ?Sized>(record: &T) -> anyhow::Result<()> {
    with_out(|out| write_json(out, record))
}

/// Writes a list of assets as JSON on stdout (or the `-o` file) one asset at
/// a time, byte for byte as [`emit`] writes an [`daicho::AssetListRecord`]:
/// `fill` calls the function it is given once per asset, in order.
pub(crate) fn json_assets(
    fill: impl FnOnce(&mut dyn FnMut(daicho::Asset) -> anyhow::Result<()>) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use serde::ser::{SerializeSeq as _, Serializer as _};
    with_out(|out| {
        let mut serializer = serde_json::Serializer::pretty(&mut *out);
        let mut seq = (&mut serializer).serialize_seq(None)?;
        fill(&mut |asset| {
            seq.serialize_element(&daicho::AssetListItem(&asset))?;
            Ok(())
        })?;
        seq.end()?;
        writeln!(out)?;
        Ok(())
    })
}

fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, record: &T) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, record)?;
    writeln!(out)?;
    Ok(())
}

/// Prints one line of text on stdout or the `-o` file (for short
/// confirmations and headings in table format), control characters shown as
/// [`terminal_text`] shows them.
pub(crate) fn line(text: &str) -> anyhow::Result<()> {
    with_out(|out| {
        writeln!(out, "{}", terminal_text(text))?;
        Ok(())
    })
}

/// Picks the label for the chosen language.
/// A time as people read it: in the system's time zone, with its offset
/// (`2026-04-01 09:30:00+09:00`); UTC when the zone cannot be found.
pub(crate) fn local_time(at: jiff::Timestamp) -> String {
    at.to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M:%S%:z")
        .to_string()
}

pub(crate) fn pick<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// "○" or "" in Japanese tables, "yes" or "" in English ones.
pub(crate) fn flag(lang: Lang, value: bool) -> &'static str {
    match (value, lang) {
        (false, _) => "",
        (true, Lang::Ja) => "○",
        (true, Lang::En) => "yes",
    }
}

/// The list of assets as rows.
pub(crate) fn asset_rows(policy: &Policy, lang: Lang, assets: &[Asset]) -> Rows {
    let mut rows = Rows::new(match lang {
        Lang::Ja => [
            "資産ID",
            "種別",
            "資産名",
            "所管",
            "所属",
            "機密性",
            "完全性",
            "可用性",
            "ネットワーク区分",
            "特定個人情報",
            "適用除外",
            "点検日",
        ],
        Lang::En => [
            "id",
            "kind",
            "name",
            "organization",
            "department",
            "C",
            "I",
            "A",
            "segment",
            "my number",
            "excluded",
            "reviewed",
        ],
    });
    for asset in assets {
        let f = &asset.fields;
        rows.push([
            asset.id.to_string(),
            pick(lang, f.kind.letter(), f.kind.label_en()).to_owned(),
            f.name.to_string(),
            pick(
                lang,
                policy.organization_ja(&f.organization),
                policy.organization_en(&f.organization),
            )
            .to_owned(),
            f.department.clone(),
            f.classification.confidentiality.code().to_owned(),
            f.classification.integrity.code().to_owned(),
            f.classification.availability.code().to_owned(),
            f.segment
                .map(|s| pick(lang, s.label_ja(), s.label_en()).to_owned())
                .unwrap_or_default(),
            flag(lang, f.personal_data.my_number).to_owned(),
            exclusion_label(policy, lang, asset),
            f.reviewed_on.map(|d| d.to_string()).unwrap_or_default(),
        ]);
    }
    rows
}

/// The exclusion reason's label, or empty when in scope.
pub(crate) fn exclusion_label(policy: &Policy, lang: Lang, asset: &Asset) -> String {
    asset
        .fields
        .scope
        .exclusion()
        .map(|code| {
            policy
                .exclusions()
                .iter()
                .find(|e| &e.code == code)
                .map_or(code.as_str(), |e| pick(lang, &e.ja, &e.en))
                .to_owned()
        })
        .unwrap_or_default()
}

/// A severity's label for the chosen language.
pub(crate) fn severity_label(lang: Lang, severity: Severity) -> &'static str {
    pick(lang, severity.label_ja(), severity.code())
}

/// The headers of findings as rows.
pub(crate) fn finding_headers(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::Ja => ["所管", "重大度", "ルール", "条項", "資産", "内容"],
        Lang::En => [
            "organization",
            "severity",
            "rule",
            "section",
            "assets",
            "message",
        ],
    }
}

/// A finding as a row.
pub(crate) fn finding_row(policy: &Policy, lang: Lang, f: &Finding) -> Vec<String> {
    vec![
        pick(
            lang,
            policy.organization_ja(&f.organization),
            policy.organization_en(&f.organization),
        )
        .to_owned(),
        severity_label(lang, f.severity).to_owned(),
        f.rule.code().to_owned(),
        f.section.to_owned(),
        subject_text(lang, f),
        pick(lang, &f.message_ja, &f.message_en).to_owned(),
    ]
}

/// Findings as rows.
pub(crate) fn finding_rows(policy: &Policy, lang: Lang, findings: &[Finding]) -> Rows {
    let mut rows = Rows::new(finding_headers(lang));
    for f in findings {
        rows.push(finding_row(policy, lang, f));
    }
    rows
}

/// What a finding names: its assets, and the 事務 it is about when it has
/// no asset.
pub(crate) fn subject_text(lang: Lang, f: &Finding) -> String {
    let assets = f
        .assets
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join(" / ");
    match (&f.subject, assets.is_empty()) {
        (Some(daicho::Subject::Process { name, .. }), true) => match lang {
            Lang::Ja => format!("事務「{name}」"),
            Lang::En => format!("process `{name}`"),
        },
        _ => assets,
    }
}

/// A path as text: `住民記録データ (イ) stored_on 住民基本台帳システム (ア) → ...`.
pub(crate) fn path_text(path: &[Step]) -> String {
    path.iter()
        .map(|s| {
            format!(
                "{} ({}) {} {} ({})",
                s.from.name,
                s.from.kind.letter(),
                s.relation,
                s.to.name,
                s.to.kind.letter()
            )
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

#[cfg(test)]
mod tests {
    use super::terminal_text;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        for (text, shown) in [
            ("市民課", "市民課"),
            ("行1\n行2", "行1\n行2"),
            ("行1\r\n行2", "行1\n行2"),
            ("上書き\rされる", "上書き␍される"),
            ("\u{1b}[2J消去", "␛[2J消去"),
            ("\u{1b}]52;c;ZXZpbA==\u{7}", "␛]52;c;ZXZpbA==␇"),
            ("a\tb\u{7f}", "a␉b␡"),
            ("\u{9b}31m", "\\u{9b}31m"),
        ] {
            assert_eq!(terminal_text(text), shown, "{text:?}");
        }
    }

    /// A table or CSV written a chunk at a time is byte for byte the one
    /// written at once, its widest cell in any chunk (issue 17).
    #[test]
    fn streamed_rows_are_the_rows_written_at_once() {
        use super::{Format, Rows, emit_streamed_to, emit_to};
        let headers = ["所管", "n", "message"].map(str::to_owned);
        for count in [0, 1, super::CHUNK, 2 * super::CHUNK + 17] {
            let row = |i: usize| -> Vec<String> {
                vec![
                    ["総務部", "a", "", "上書き\rされる"][i % 4].to_owned(),
                    i.to_string(),
                    if i + 1 == count {
                        "最後の行はいちばん長い説明を持つ: ".repeat(5)
                    } else if i % 1000 == 7 {
                        "行1\n行2".to_owned()
                    } else {
                        "x".repeat(i % 13)
                    },
                ]
            };
            let mut rows = Rows::new(headers.clone());
            for i in 0..count {
                rows.push(row(i));
            }
            for format in [Format::Table, Format::Csv] {
                let mut whole = Vec::new();
                emit_to(&mut whole, format, &rows, &serde_json::Value::Null).unwrap();
                let mut streamed = Vec::new();
                emit_streamed_to(&mut streamed, format, &headers, &|each| {
                    (0..count).try_for_each(|i| each(row(i)))
                })
                .unwrap();
                assert_eq!(
                    String::from_utf8(streamed).unwrap(),
                    String::from_utf8(whole).unwrap(),
                    "{count} rows, {format:?}"
                );
            }
        }
    }
}
