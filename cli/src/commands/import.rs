//! `daicho import`: load asset and link sheets (CSV) into the register.

use std::io::{IsTerminal, Write};

use daicho::sheet::{Encoding, ImportOptions, ImportReport, Progress};
use daicho::{ImportFailureRecord, ImportRecord};

use super::Context;
use crate::args::{Format, ImportArgs};
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
            print_report(ctx.format(), args, &report)?;
            Ok(Status::Success)
        }
        Err(daicho::Error::Import {
            source_name,
            errors,
            total,
        }) => {
            print_errors(ctx.format(), args.max_errors, &source_name, &errors, total)?;
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

fn print_report(format: Format, args: &ImportArgs, report: &ImportReport) -> anyhow::Result<()> {
    if format == Format::Json {
        return crate::output::json(&ImportRecord::from(report));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let verb = if report.dry_run { "would be " } else { "" };
    if let Some(assets) = &args.assets {
        let c = report.assets;
        writeln!(
            out,
            "{} ({}): {} assets {verb}created, {} {verb}updated, {} unchanged",
            assets.display(),
            report.encoding.map_or("?", Encoding::label),
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
    if let Some(links) = &args.links {
        let c = report.links;
        writeln!(
            out,
            "{}: {} links {verb}created, {} {verb}updated, {} unchanged",
            links.display(),
            c.created,
            c.updated,
            c.unchanged
        )?;
    }
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

fn print_errors(
    format: Format,
    max: usize,
    source: &str,
    errors: &[daicho::sheet::RowError],
    total: usize,
) -> anyhow::Result<()> {
    if format == Format::Json {
        crate::output::json(&ImportFailureRecord::new(source, errors, total))?;
    }
    #[allow(clippy::print_stderr, reason = "errors are diagnostics")]
    {
        eprintln!(
            "error: failed to import `{}`: {total} {}, nothing was written",
            daicho::mynumber::mask(source),
            if total == 1 { "error" } else { "errors" }
        );
        if format != Format::Json {
            for error in errors.iter().take(max) {
                eprintln!("  {}", terminal_text(&error.to_string()));
            }
            let shown = errors.len().min(max);
            if total > shown {
                eprintln!("  ... and {} more (--max-errors shows more)", total - shown);
            }
        }
    }
    Ok(())
}
