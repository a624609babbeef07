//! `daicho import`: load asset and link sheets (CSV) into the register.

use std::io::{IsTerminal, Write};

use daicho::sheet::{Encoding, ImportOptions, ImportReport, Progress};
use daicho::{ImportFailureRecord, ImportRecord};

use super::Context;
use crate::args::{Format, ImportArgs, Lang};
use crate::exit::{Status, user_error};
use crate::output::terminal_text;

pub(crate) fn import(ctx: &Context, args: &ImportArgs) -> anyhow::Result<Status> {
    if args.list {
        return super::imports::list(ctx);
    }
    if let Some(which) = &args.undo {
        return super::imports::undo(ctx, which);
    }
    if args.assets.is_none() && args.links.is_none() {
        user_error!("name an asset sheet (ASSETS) or a link sheet (--links), or both");
    }
    let mut register = ctx.open()?;
    let mut options = ImportOptions::default();
    options
        .dry_run(args.dry_run)
        .strict(args.strict)
        .row_outcomes(args.rows);
    if let Some(label) = &args.encoding {
        options.encoding(Encoding::parse(label)?);
    }
    for header in &args.extra_column {
        options.extra_column(header.clone());
    }
    for column in &args.allow_my_number_like {
        options.allow_my_number_like(column);
    }
    if let Some(bytes) = args.max_record_bytes {
        options.max_record_bytes(bytes);
    }
    if let Some(sheet) = &args.sheet {
        options.sheet(sheet.clone());
    }
    if let Some(sheet) = &args.links_sheet {
        options.links_sheet(sheet.clone());
    }
    options.lang(ctx.lang().into());
    let bar = progress_bar();
    if let Some(bar) = &bar {
        let bar = bar.clone();
        options.progress(move |event| show_progress(&bar, event));
    }
    let result = register.import_paths(args.assets.as_deref(), args.links.as_deref(), &options);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            print_report(ctx.format(), ctx.lang(), args, &report)?;
            Ok(Status::Success)
        }
        Err(daicho::Error::Import {
            source_name,
            errors,
            total,
        }) => {
            let shown = Shown {
                format: ctx.format(),
                lang: ctx.lang(),
                max: args.max_errors,
            };
            print_errors(shown, &source_name, &errors, total)?;
            Ok(Status::Failure)
        }
        Err(other) => Err(other.into()),
    }
}

/// A progress bar on stderr, only when stderr is a terminal.
pub(crate) fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% {msg}",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}

/// Moves a progress bar: by bytes when the size is known, else by rows.
pub(crate) fn show_progress(bar: &indicatif::ProgressBar, event: Progress) {
    match event {
        Progress::Start {
            total_bytes,
            total_rows,
        } => {
            if let Some(total) = total_bytes.or(total_rows) {
                bar.set_length(total);
            }
        }
        Progress::Advance { rows, bytes } => {
            bar.set_position(if bytes > 0 { bytes } else { rows });
            bar.set_message(format!("{rows} rows"));
        }
        Progress::Finish => bar.finish_and_clear(),
        _ => {}
    }
}

fn print_report(
    format: Format,
    lang: Lang,
    args: &ImportArgs,
    report: &ImportReport,
) -> anyhow::Result<()> {
    if format == Format::Json {
        return crate::output::json(&ImportRecord::from(report));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let verb = if report.dry_run { "would be " } else { "" };
    if let Some(assets) = &args.assets {
        let c = report.assets;
        let read_as = match &report.sheet {
            Some(sheet) => format!(
                "{} {sheet}",
                daicho::Lang::from(lang).pick("シート", "sheet")
            ),
            None => report.encoding.map_or("?", Encoding::label).to_owned(),
        };
        writeln!(
            out,
            "{} ({}): {} assets {verb}created, {} {verb}updated, {} unchanged",
            assets.display(),
            terminal_text(&read_as),
            c.created,
            c.updated,
            c.unchanged
        )?;
        if let Some(row) = report.header_row.filter(|row| *row > 1) {
            writeln!(out, "  header on row {row}; the rows above it were skipped")?;
        }
        if !report.extra_columns.is_empty() {
            writeln!(
                out,
                "  kept as extra attributes: {}",
                terminal_text(&report.extra_columns.join(", "))
            )?;
        }
    }
    if let Some(links) = args.links.as_ref().or(args
        .assets
        .as_ref()
        .filter(|_| report.links_sheet.is_some()))
    {
        let c = report.links;
        let sheet = report
            .links_sheet
            .as_ref()
            .map(|sheet| {
                format!(
                    " ({} {})",
                    daicho::Lang::from(lang).pick("シート", "sheet"),
                    terminal_text(sheet)
                )
            })
            .unwrap_or_default();
        writeln!(
            out,
            "{}{sheet}: {} links {verb}created, {} {verb}updated, {} unchanged",
            links.display(),
            c.created,
            c.updated,
            c.unchanged
        )?;
    }
    print_workbook_notes(&mut out, lang, report)?;
    print_changes(&mut out, verb, report)?;
    if let Some(id) = report.import_id {
        writeln!(
            out,
            "recorded as import {id} (`daicho import --undo {id}` reverts it)"
        )?;
    }
    out.flush()?;
    #[allow(clippy::print_stderr, reason = "warnings and notes are diagnostics")]
    {
        for warning in &report.warnings {
            eprintln!("warning: {}", terminal_text(&warning.to_string()));
        }
        for hint in &report.hints {
            eprintln!("hint: {}", terminal_text(&hint.to_string()));
        }
        let hidden = report.warning_count - report.warnings.len() as u64;
        if hidden > 0 {
            eprintln!("warning: ... and {hidden} more");
        }
        if report.dry_run {
            eprintln!("dry run: nothing was written");
        }
    }
    Ok(())
}

/// The assets an import changes, column by column, and each row's outcome
/// when asked for.
fn print_changes(out: &mut impl Write, verb: &str, report: &ImportReport) -> anyhow::Result<()> {
    for change in &report.changes {
        let columns: Vec<String> = change
            .columns
            .iter()
            .map(|c| {
                format!(
                    "{} {} → {}",
                    c.column.ja(),
                    c.old.as_deref().unwrap_or("-"),
                    c.new.as_deref().unwrap_or("-")
                )
            })
            .collect();
        writeln!(
            out,
            "  {} row {} (`{}`) {verb}updated: {}",
            change.file,
            change.row,
            terminal_text(&change.name),
            terminal_text(&columns.join(", "))
        )?;
    }
    for row in &report.rows {
        writeln!(
            out,
            "  {} row {} {} {}",
            row.file, row.row, row.outcome, row.id
        )?;
    }
    Ok(())
}

/// What a workbook's reading did that a person should know: merged
/// regions spread down, formulas read as their saved results.
fn print_workbook_notes(
    out: &mut impl Write,
    lang: Lang,
    report: &ImportReport,
) -> anyhow::Result<()> {
    if !report.merged_cells.is_empty() {
        writeln!(
            out,
            "  {}: {}",
            daicho::Lang::from(lang).pick(
                "結合セル（値は結合範囲の各行の先頭列として読みました）",
                "merged cells (each value was read in every row of its region's first column)"
            ),
            terminal_text(&report.merged_cells.join(", "))
        )?;
    }
    if report.formula_cells > 0 {
        let n = report.formula_cells;
        match lang {
            Lang::Ja => writeln!(
                out,
                "  数式のセル {n} 個は、ブックに保存された計算結果を読みました"
            )?,
            Lang::En => writeln!(
                out,
                "  {n} formula cells were read as the results saved in the workbook"
            )?,
        }
    }
    Ok(())
}

/// How a failed import's errors are shown.
#[derive(Clone, Copy)]
struct Shown {
    format: Format,
    lang: Lang,
    /// The most errors listed.
    max: usize,
}

fn print_errors(
    shown: Shown,
    source: &str,
    errors: &[daicho::sheet::RowError],
    total: usize,
) -> anyhow::Result<()> {
    if shown.format == Format::Json {
        crate::output::json(&ImportFailureRecord::new(source, errors, total))?;
    }
    // A workbook's errors are placed at their cells (`台帳!F12`) and shown
    // in the language asked for.
    let workbook = errors.iter().any(is_workbook_error);
    let source = daicho::mynumber::mask(source);
    #[allow(clippy::print_stderr, reason = "errors are diagnostics")]
    {
        match (workbook, shown.lang) {
            (true, Lang::Ja) => eprintln!(
                "error: `{source}` を取り込めませんでした: エラー {total} 件。何も書き込んでいません"
            ),
            _ => eprintln!(
                "error: failed to import `{source}`: {total} {}, nothing was written",
                if total == 1 { "error" } else { "errors" }
            ),
        }
        if shown.format != Format::Json {
            for error in errors.iter().take(shown.max) {
                let line = if workbook {
                    row_error_text(error, shown.lang)
                } else {
                    error.to_string()
                };
                eprintln!("  {}", terminal_text(&line));
            }
            let listed = errors.len().min(shown.max);
            if total > listed {
                match (workbook, shown.lang) {
                    (true, Lang::Ja) => eprintln!(
                        "  ... ほか {} 件（--max-errors でさらに表示します）",
                        total - listed
                    ),
                    _ => eprintln!(
                        "  ... and {} more (--max-errors shows more)",
                        total - listed
                    ),
                }
            }
        }
    }
    Ok(())
}

/// True for an error in a workbook: placed at a cell, or in a file named
/// as one (an `.xls` refused whole).
fn is_workbook_error(error: &daicho::sheet::RowError) -> bool {
    let extension = std::path::Path::new(&error.file)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    error.cell.is_some() || matches!(extension.as_deref(), Some("xlsx" | "xlsm" | "xls"))
}

/// One workbook error as a line, in the language asked for: where (the
/// cell, or the row), the asset, the column, the value and why.
fn row_error_text(error: &daicho::sheet::RowError, lang: Lang) -> String {
    use std::fmt::Write as _;
    if lang == Lang::En {
        return error.to_string();
    }
    let mut text = match &error.cell {
        Some(cell) => format!("{} {cell}", error.file),
        None => format!("{} {}行目", error.file, error.row),
    };
    if let Some(asset) = &error.asset {
        let _ = write!(text, "（資産「{asset}」）");
    }
    if let Some(column) = &error.column {
        let _ = write!(text, " 列「{column}」");
    }
    if !error.value.is_empty() {
        let _ = write!(text, " 値「{}」", error.value);
    }
    let _ = write!(text, ": {}", error.reason);
    daicho::mynumber::mask(&text).into_owned()
}
