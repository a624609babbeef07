//! `daicho report`: the auditor's report as one HTML file.

use daicho::ReportOptions;
use daicho::parse::parse_date;

use super::{Context, fields};
use crate::args::{Lang, ReportArgs};
use crate::exit::Status;
use crate::output::line;

pub(crate) fn report(ctx: &Context, args: &ReportArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open_read_only()?;
    // The actor is who made the report, named on its cover; nothing is written.
    register.set_actor(ctx.actor())?;
    let mut options = ReportOptions::default()
        .with_lang(ctx.lang().into())
        .overwrite(args.force);
    if let Some(text) = &args.as_of {
        options = options.with_as_of(fields::cell("--as-of", text, parse_date(text))?.date);
    }
    if let Some(text) = &args.today {
        options = options.with_today(fields::cell("--today", text, parse_date(text))?.date);
    }
    if let Some(city) = &args.city {
        options = options.with_city(city);
    }
    let report = register
        .write_auditor_report(&args.output, &options)
        .map_err(|err| crate::output::force_hint(err, args.force))?;
    let findings = report.check.findings.len();
    let path = args.output.display();
    line(&match (ctx.lang(), report.as_of) {
        (Lang::Ja, None) => format!("監査報告書を書き出しました: {path}（指摘 {findings}件）"),
        (Lang::Ja, Some(past)) => format!(
            "{} 終了時点（監査ログ {}件）の監査報告書を書き出しました: {path}（指摘 {findings}件）",
            past.day, past.entries
        ),
        (Lang::En, None) => format!("wrote the audit report to {path} ({findings} findings)"),
        (Lang::En, Some(past)) => format!(
            "wrote the audit report as of the end of {} ({} audit log entries) to {path} ({findings} findings)",
            past.day, past.entries
        ),
    })?;
    Ok(Status::Success)
}
