//! `daicho export`: write the register as CSV sheets.

use std::io::Write;

use daicho::sheet::{Encoding, ExportOptions, ExportReport, Headers};
use daicho::{
    Disposed, ExportRecord, ExportedAssetsRecord, ExportedLinksRecord, Filter, Kind, Segment,
};

use super::Context;
use super::import::{progress_bar, show_progress};
use crate::args::{ExportArgs, Format, HeaderLang};
use crate::exit::Status;

pub(crate) fn export(ctx: &Context, args: &ExportArgs) -> anyhow::Result<Status> {
    let register = ctx.open_read_only()?;
    let policy = register.policy();
    let filter = Filter {
        organization: args
            .organization
            .as_deref()
            .map(|o| policy.organization(o))
            .transpose()?
            .map(|o| o.code.clone()),
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
        .headers(match args.headers {
            HeaderLang::En => Headers::En,
            HeaderLang::Ja => Headers::Ja,
        })
        .replace_unencodable(args.replace);
    if let Some(label) = &args.encoding {
        options.encoding(Encoding::parse(label)?);
    }
    let to_stdout = args.output.as_deref().is_none_or(|p| p.as_os_str() == "-");
    let bar = if to_stdout { None } else { progress_bar() };
    if let Some(bar) = &bar {
        let bar = bar.clone();
        options.progress(move |event| show_progress(&bar, event));
    }
    let assets = match &args.output {
        Some(path) if !to_stdout => register.export_assets_path(path, &filter, &options)?,
        _ => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let report = register.export_assets(&mut out, &filter, &options)?;
            out.flush()?;
            report
        }
    };
    let links = match &args.links {
        Some(path) => Some(register.export_links_path(path, &options)?),
        None => None,
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    print_summary(ctx.format(), args, &assets, links.as_ref(), to_stdout)?;
    Ok(Status::Success)
}

fn print_summary(
    format: Format,
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
        let target = args
            .output
            .as_ref()
            .filter(|_| !to_stdout)
            .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
        eprintln!(
            "exported {} assets ({} columns, {}) to {target}",
            assets.rows,
            assets.columns,
            assets.encoding.label()
        );
        if assets.replaced > 0 {
            eprintln!(
                "warning: {} characters CP932 cannot hold were written as `?` or their Windows equivalents",
                assets.replaced
            );
        }
        if let (Some(links), Some(path)) = (links, &args.links) {
            eprintln!("exported {} links to {}", links.rows, path.display());
        }
        if let Some(head) = assets.head {
            eprintln!("audit log head: {head}");
        }
    }
    Ok(())
}
