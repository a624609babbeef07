//! `daicho import`: load asset and link sheets (CSV) into the register.

use std::io::{IsTerminal, Write};

use daicho::sheet::{Encoding, ImportOptions, ImportReport, Progress};
use daicho::{ImportFailureRecord, ImportRecord};

use super::Context;
use crate::args::{Format, ImportArgs, Lang};
use crate::exit::{Status, user_error};
use crate::output::{pick, terminal_text};

pub(crate) fn import(ctx: &Context, args: &ImportArgs) -> anyhow::Result<Status> {
    if args.list {
        return super::imports::list(ctx);
    }
    if let Some(which) = &args.undo {
        return super::imports::undo(ctx, which);
    }
    if args.assets.is_none() && args.links.is_none() {
        user_error!(
            "資産シート（ASSETS）か関連シート（--links）、またはその両方を指定してください",
            "name an asset sheet (ASSETS) or a link sheet (--links), or both"
        );
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
            print_errors(
                ctx.format(),
                ctx.lang(),
                args.max_errors,
                &source_name,
                &errors,
                total,
            )?;
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

#[expect(
    clippy::too_many_lines,
    reason = "the report's lines in order, each in two languages"
)]
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
    let ja = lang == Lang::Ja;
    let verb = if report.dry_run { "would be " } else { "" };
    let counts = |what: &str, c: daicho::sheet::Counts| {
        if ja {
            let (new, updated) = if report.dry_run {
                ("追加予定", "更新予定")
            } else {
                ("追加", "更新")
            };
            format!(
                "{what}{new} {}、{updated} {}、変更なし {}",
                c.created, c.updated, c.unchanged
            )
        } else {
            format!(
                "{} {what} {verb}created, {} {verb}updated, {} unchanged",
                c.created, c.updated, c.unchanged
            )
        }
    };
    if let Some(assets) = &args.assets {
        let read_as = match &report.sheet {
            Some(sheet) => format!("{} {sheet}", pick(lang, "シート", "sheet")),
            None => report.encoding.map_or("?", Encoding::label).to_owned(),
        };
        writeln!(
            out,
            "{} ({}): {}",
            assets.display(),
            terminal_text(&read_as),
            counts(pick(lang, "資産の", "assets"), report.assets)
        )?;
        if let Some(row) = report.header_row.filter(|row| *row > 1) {
            if ja {
                writeln!(
                    out,
                    "  見出しは {row} 行目。それより上の行は読み飛ばしました"
                )?;
            } else {
                writeln!(out, "  header on row {row}; the rows above it were skipped")?;
            }
        }
        if !report.extra_columns.is_empty() {
            writeln!(
                out,
                "  {} {}",
                pick(lang, "追加の属性として保持:", "kept as extra attributes:"),
                terminal_text(&report.extra_columns.join(pick(lang, "、", ", ")))
            )?;
        }
    }
    if let Some(links) = args.links.as_ref().or(args
        .assets
        .as_ref()
        .filter(|_| report.links_sheet.is_some()))
    {
        let sheet = report
            .links_sheet
            .as_ref()
            .map(|sheet| {
                format!(
                    " ({} {})",
                    pick(lang, "シート", "sheet"),
                    terminal_text(sheet)
                )
            })
            .unwrap_or_default();
        writeln!(
            out,
            "{}{sheet}: {}",
            links.display(),
            counts(pick(lang, "関連の", "links"), report.links)
        )?;
    }
    print_workbook_notes(&mut out, lang, report)?;
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
        let columns = columns.join(", ");
        let (name, columns) = (terminal_text(&change.name), terminal_text(&columns));
        if ja {
            let done = if report.dry_run {
                "更新予定"
            } else {
                "更新"
            };
            writeln!(
                out,
                "  {} {} 行目（`{name}`）{done}: {columns}",
                change.file, change.row
            )?;
        } else {
            writeln!(
                out,
                "  {} row {} (`{name}`) {verb}updated: {columns}",
                change.file, change.row
            )?;
        }
    }
    for row in &report.rows {
        let outcome = match (lang, row.outcome) {
            (Lang::Ja, daicho::sheet::Outcome::Created) => "追加".to_owned(),
            (Lang::Ja, daicho::sheet::Outcome::Updated) => "更新".to_owned(),
            (Lang::Ja, daicho::sheet::Outcome::Unchanged) => "変更なし".to_owned(),
            (_, outcome) => outcome.to_string(),
        };
        if ja {
            writeln!(out, "  {} {} 行目 {outcome} {}", row.file, row.row, row.id)?;
        } else {
            writeln!(out, "  {} row {} {outcome} {}", row.file, row.row, row.id)?;
        }
    }
    if let Some(id) = report.import_id {
        if ja {
            writeln!(
                out,
                "取り込み {id} として記録しました（`daicho import --undo {id}` で取り消せます）"
            )?;
        } else {
            writeln!(
                out,
                "recorded as import {id} (`daicho import --undo {id}` reverts it)"
            )?;
        }
    }
    out.flush()?;
    #[allow(clippy::print_stderr, reason = "warnings and notes are diagnostics")]
    {
        let (warning_label, hint_label) = (
            pick(lang, "警告:", "warning:"),
            pick(lang, "ヒント:", "hint:"),
        );
        for warning in &report.warnings {
            eprintln!(
                "{warning_label} {}",
                terminal_text(&warning.message(lang.into()))
            );
        }
        for hint in &report.hints {
            eprintln!("{hint_label} {}", terminal_text(&hint.message(lang.into())));
        }
        let hidden = report.warning_count - report.warnings.len() as u64;
        if hidden > 0 {
            if ja {
                eprintln!("{warning_label} …ほか {hidden} 件");
            } else {
                eprintln!("{warning_label} ... and {hidden} more");
            }
        }
        if report.dry_run {
            eprintln!(
                "{}",
                pick(
                    lang,
                    "試行（--dry-run）: 何も書き込んでいません",
                    "dry run: nothing was written"
                )
            );
        }
    }
    Ok(())
}

fn print_errors(
    format: Format,
    lang: Lang,
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
        let shown = if format == Format::Json { 0 } else { max };
        let message = daicho::sheet::import_message(lang.into(), source, errors, total, shown);
        let mut lines: Vec<String> = message.lines().map(str::to_owned).collect();
        if format == Format::Json {
            lines.truncate(1);
        } else if total > errors.len().min(shown)
            && let Some(last) = lines.last_mut()
        {
            last.push_str(pick(
                lang,
                "（--max-errors でさらに表示します）",
                " (--max-errors shows more)",
            ));
        }
        for (index, line) in lines.iter().enumerate() {
            if index == 0 {
                eprintln!(
                    "{} {}",
                    pick(lang, "エラー:", "error:"),
                    terminal_text(line)
                );
            } else {
                eprintln!("{}", terminal_text(line));
            }
        }
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
            pick(
                lang,
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
