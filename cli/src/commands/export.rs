//! `daicho export`: write the register as CSV sheets.

use std::io::{BufWriter, Write};
use std::path::Path;

use daicho::sheet::{Encoding, ExportOptions, ExportReport, Headers};
use daicho::{
    Disposed, ExportRecord, ExportedAssetsRecord, ExportedLinksRecord, Filter, Kind, OutputFile,
    Register, Segment,
};

use super::Context;
use super::import::{progress_bar, show_progress};
use crate::args::{ExportArgs, Format, HeaderLang, Lang};
use crate::exit::{Status, UserError};
use crate::output::pick;

pub(crate) fn export(ctx: &Context, args: &ExportArgs) -> anyhow::Result<Status> {
    let register = ctx.open_as_of(&args.as_of)?;
    let policy = register.policy();
    let filter = Filter {
        organization: args
            .organization
            .as_deref()
            .map(|o| policy.organization(o))
            .transpose()?
            .map(|o| o.code.clone()),
        department: args.department.clone(),
        kind: args.kind.as_deref().map(Kind::parse).transpose()?,
        segment: args.segment.as_deref().map(Segment::parse).transpose()?,
        disposed: match (args.exclude_disposed, args.only_disposed) {
            (true, _) => Disposed::Exclude,
            (_, true) => Disposed::Only,
            _ => Disposed::Include,
        },
        ..Filter::default()
    };
    let mut options = ExportOptions::default();
    options
        .headers(match (args.headers, ctx.lang()) {
            (Some(HeaderLang::En), _) | (None, Lang::En) => Headers::En,
            (Some(HeaderLang::Ja), _) | (None, Lang::Ja) => Headers::Ja,
        })
        .replace_unencodable(args.replace);
    if let Some(label) = &args.encoding {
        options.encoding(Encoding::parse(label)?);
    }
    if let Some(path) = args.output.as_deref().filter(|p| has_extension(p, "xlsx")) {
        return export_workbook(ctx, &register, args, path, &filter);
    }
    refuse_excel_names(args)?;
    let to_stdout = args.output.as_deref().is_none_or(|p| p.as_os_str() == "-");
    let bar = if to_stdout { None } else { progress_bar() };
    if let Some(bar) = &bar {
        let bar = bar.clone();
        options.progress(move |event| show_progress(&bar, event));
    }
    // Both files are checked and written before either gets its name.
    let mut assets_file = match &args.output {
        Some(path) if !to_stdout => Some(output_file(&register, path, args.force)?),
        _ => None,
    };
    let mut links_file = match &args.links {
        Some(path) => Some(output_file(&register, path, args.force)?),
        None => None,
    };
    let assets = if let Some(out) = &mut assets_file {
        register.export_assets_file(out, &filter, &options)?
    } else {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let report = register.export_assets(&mut out, &filter, &options)?;
        out.flush()?;
        report
    };
    let links = match &mut links_file {
        Some(out) => Some(register.export_links(BufWriter::new(out), &options)?),
        None => None,
    };
    for out in [assets_file, links_file].into_iter().flatten() {
        commit(out, args.force)?;
    }
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    print_summary(
        ctx.format(),
        ctx.lang(),
        args,
        &assets,
        links.as_ref(),
        to_stdout,
    )?;
    Ok(Status::Success)
}

/// Refuses to write CSV under an Excel workbook's name: `-o x.xlsm` (daicho
/// writes workbooks as `.xlsx` only) and `--links l.xlsx` (a workbook's
/// links go on its sheet 関連), which Excel would then fail to open.
fn refuse_excel_names(args: &ExportArgs) -> anyhow::Result<()> {
    let excel = |path: &Path| {
        ["xlsx", "xlsm", "xls"]
            .iter()
            .any(|e| has_extension(path, e))
    };
    if let Some(path) = args.output.as_deref().filter(|p| has_extension(p, "xlsm")) {
        let shown = path.display();
        crate::exit::user_error!(
            "`{shown}`: マクロ有効ブック (.xlsm) は書きません。ブックは .xlsx、CSV は .csv の名前を指定してください",
            "`{shown}`: daicho does not write macro-enabled workbooks (.xlsm); name a .xlsx file for a workbook, or a .csv file for CSV"
        );
    }
    if let Some(path) = args.links.as_deref().filter(|p| excel(p)) {
        let shown = path.display();
        crate::exit::user_error!(
            "`{shown}`: --links には CSV を書きます。.csv の名前を指定してください（ブックに書き出すと関連はシート「関連」に入ります: -o 台帳.xlsx）",
            "`{shown}`: --links writes CSV; name a .csv file (a workbook holds its links on sheet 関連: -o 台帳.xlsx)"
        );
    }
    Ok(())
}

/// True when a path's name ends in `.extension`, in any case.
pub(crate) fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

/// `export -o 台帳.xlsx`: the workbook, whose sheets hold the links too.
fn export_workbook(
    ctx: &Context,
    register: &Register,
    args: &ExportArgs,
    path: &Path,
    filter: &Filter,
) -> anyhow::Result<Status> {
    let lang = daicho::Lang::from(ctx.lang());
    if args.encoding.is_some() || args.replace || args.links.is_some() {
        crate::exit::user_error!(
            "ブック (.xlsx) には --encoding、--replace、--links は使えません（関連はシート「関連」に書きます）",
            "--encoding, --replace and --links do not apply to a workbook (.xlsx); its links go on sheet 関連"
        );
    }
    let report = register
        .export_workbook_path(path, filter, args.force)
        .map_err(|err| with_force_hint(err, args.force))?;
    if ctx.format() == Format::Json {
        return crate::output::json(&daicho::WorkbookExportRecord::new(path, &report))
            .map(|()| Status::Success);
    }
    #[allow(
        clippy::print_stderr,
        reason = "the summary is a diagnostic, as for CSV"
    )]
    {
        match lang {
            daicho::Lang::En => eprintln!(
                "exported {} assets, {} links and {} findings to {} (sheets 台帳, 関連, 点検結果, 凡例)",
                report.assets,
                report.links,
                report.findings,
                path.display()
            ),
            _ => eprintln!(
                "{} に資産 {} 件、関連 {} 件、点検結果 {} 件を書き出しました（シート 台帳・関連・点検結果・凡例）",
                path.display(),
                report.assets,
                report.links,
                report.findings
            ),
        }
        eprintln!(
            "{}: {}",
            lang.pick("監査ログの先頭", "audit log head"),
            report.head
        );
    }
    Ok(Status::Success)
}

/// Starts an output file, with a hint where `--force` would help.
pub(crate) fn output_file(
    register: &Register,
    path: &Path,
    force: bool,
) -> anyhow::Result<OutputFile> {
    if has_extension(path, "xls") {
        let shown = path.display();
        crate::exit::user_error!(
            "`{shown}`: Excel 97-2003 ブック (.xls) は書きません。.xlsx を指定してください",
            "`{shown}`: daicho does not write Excel 97-2003 workbooks (.xls); name a .xlsx file"
        );
    }
    register
        .output_file(path, force)
        .map_err(|err| with_force_hint(err, force))
}

/// Gives a written file its name, with the same hint.
pub(crate) fn commit(out: OutputFile, force: bool) -> anyhow::Result<()> {
    out.commit().map_err(|err| with_force_hint(err, force))
}

pub(crate) fn with_force_hint(err: daicho::Error, force: bool) -> anyhow::Error {
    match err {
        daicho::Error::AlreadyExists { path } if !force => {
            anyhow::Error::new(UserError(daicho::Localized::new(
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

fn print_summary(
    format: Format,
    lang: Lang,
    args: &ExportArgs,
    assets: &ExportReport,
    links: Option<&ExportReport>,
    to_stdout: bool,
) -> anyhow::Result<()> {
    if format == Format::Json && !to_stdout {
        return crate::output::json(&ExportRecord {
            assets: ExportedAssetsRecord::new(args.output.as_deref(), assets),
            links: links.map(|l| ExportedLinksRecord::new(args.links.as_deref(), l)),
        });
    }
    // The sheet itself may be on stdout: the summary is a diagnostic.
    #[allow(
        clippy::print_stderr,
        reason = "the summary must not mix with CSV on stdout"
    )]
    {
        let ja = lang == Lang::Ja;
        let target = args.output.as_ref().filter(|_| !to_stdout).map_or_else(
            || pick(lang, "標準出力", "stdout").to_owned(),
            |p| p.display().to_string(),
        );
        let (rows, columns, encoding) = (assets.rows, assets.columns, assets.encoding.label());
        if ja {
            eprintln!("資産 {rows} 件（{columns} 列、{encoding}）を {target} に書き出しました");
        } else {
            eprintln!("exported {rows} assets ({columns} columns, {encoding}) to {target}");
        }
        if assets.replaced > 0 {
            let replaced = assets.replaced;
            if ja {
                eprintln!(
                    "警告: CP932 で表せない {replaced} 文字を `?` か Windows での相当する文字で書きました"
                );
            } else {
                eprintln!(
                    "warning: {replaced} characters CP932 cannot hold were written as `?` or their Windows equivalents"
                );
            }
        }
        if let (Some(links), Some(path)) = (links, &args.links) {
            let (rows, path) = (links.rows, path.display());
            if ja {
                eprintln!("関連 {rows} 件を {path} に書き出しました");
            } else {
                eprintln!("exported {rows} links to {path}");
            }
        }
        if let Some(head) = assets.head {
            eprintln!("{}: {head}", pick(lang, "監査ログの先頭", "audit log head"));
        }
    }
    Ok(())
}
