//! `daicho check`: the self-inspection (自己点検), or a what-if question.

use daicho::parse::parse_date;
use daicho::{
    Axis, CheckOptions, Classification, ExcludedAsset, Link, Policy, Proposal, RecordedRun,
    Relation, Sanitization, Severity, StreamedReport, StreamedReportRecord, WhatIf, WhatIfRecord,
};

use super::{Context, fields};
use crate::args::{CheckArgs, FailOn, Format, Lang};
use crate::exit::{Status, user_error};
use crate::output::{self, Rows, finding_headers, finding_row, finding_rows, path_text, pick};

pub(crate) fn check(ctx: &Context, args: &CheckArgs) -> anyhow::Result<Status> {
    if args.record {
        // The output file is opened first, and the report written into it
        // (or held for stdout) before the run commits, so that a run is not
        // recorded when its report cannot be written.
        if let Some(path) = &args.out.output
            && !args.out.force
            && path.exists()
        {
            let shown = path.display();
            user_error!(
                "`{shown}` にはすでにファイルがあります。--force で置き換えます",
                "a file exists already at `{shown}`; --force replaces it"
            );
        }
        let mut register = ctx.open()?;
        let file = output::to_file(
            &register,
            args.out.output.as_deref(),
            args.out.force,
            ctx.format(),
        )?;
        if file.is_none()
            && let Err(err) = output::hold()
        {
            output::settle(file, false)?;
            return Err(err);
        }
        let result = record(ctx, &mut register, args);
        let Ok((status, run)) = result else {
            output::discard();
            output::settle(file, false)?;
            return result.map(|(status, _)| status);
        };
        // The run is recorded: the report it rendered is published now.
        let published = output::publish().and_then(|()| output::settle(file, true));
        if let Err(err) = published {
            return Err(err.context(match ctx.lang() {
                Lang::Ja => format!(
                    "自己点検 #{}（{}）は記録されましたが、その報告を書き出せませんでした（`daicho findings` で確認できます）",
                    run.id, run.checked_on
                ),
                Lang::En => format!(
                    "self-inspection #{} ({}) was recorded, but its report could not be written (see `daicho findings`)",
                    run.id, run.checked_on
                ),
            }));
        }
        return Ok(status);
    }
    let register = ctx.open_as_of(&args.as_of)?;
    output::writing(&register, &args.out, ctx.format(), || {
        check_to(ctx, &register, args)
    })
}

/// `check --record`: records the run, its report rendered (into the `-o`
/// file, or held for stdout) inside the transaction before it commits.
fn record(
    ctx: &Context,
    register: &mut daicho::Register,
    args: &CheckArgs,
) -> anyhow::Result<(Status, RecordedRun)> {
    let policy = register.policy().clone();
    // Streamed: the findings are recorded and rendered as they are read
    // back from disk in report order (issue 17).
    let (report, run) = register.record_check_streamed_then(&options(args)?, |report, _| {
        print_streamed(ctx, &policy, report)
    })?;
    let counts = Counts::streamed(&report);
    summarize(ctx.lang(), &counts);
    recorded(ctx.lang(), &run);
    Ok((status(args, &counts), run))
}

fn options(args: &CheckArgs) -> anyhow::Result<CheckOptions> {
    let mut options = CheckOptions::default();
    for column in &args.allow_my_number_like {
        options = options.allow_my_number_like(column);
    }
    // As of a day, reviews are counted to that day unless --today says otherwise.
    if let Some(text) = args.today.as_ref().or(args.as_of.as_of.as_ref()) {
        let flag = if args.today.is_some() {
            "--today"
        } else {
            "--as-of"
        };
        options = options.with_today(fields::cell(flag, text, parse_date(text))?.date);
    }
    Ok(options)
}

/// What the exit status and the line of counts say of a report.
struct Counts {
    today: jiff::civil::Date,
    errors: usize,
    warnings: usize,
    infos: usize,
    checked: usize,
    excluded: usize,
    disposed: usize,
    head: Option<daicho::Head>,
}

impl Counts {
    fn streamed(report: &StreamedReport) -> Counts {
        Counts {
            today: report.today,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
            checked: report.checked,
            excluded: report.excluded.len(),
            disposed: report.disposed,
            head: report.head,
        }
    }

    /// True when some finding is at least as serious as `threshold`.
    fn fails(&self, threshold: Severity) -> bool {
        [
            (Severity::Error, self.errors),
            (Severity::Warning, self.warnings),
            (Severity::Info, self.infos),
        ]
        .into_iter()
        .any(|(severity, n)| n > 0 && severity.at_least(threshold))
    }
}

/// The exit status `--fail-on` asks for.
fn status(args: &CheckArgs, report: &Counts) -> Status {
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    if threshold.is_some_and(|t| report.fails(t)) {
        Status::Failure
    } else {
        Status::Success
    }
}

/// One line on stderr saying what a recorded run changed.
fn recorded(lang: Lang, run: &RecordedRun) {
    let text = match lang {
        Lang::Ja => format!(
            "自己点検 #{}（{}）を記録しました: 新規 {}件、再発 {}件、解消 {}件（`daicho findings` で一覧）",
            run.id, run.checked_on, run.new, run.reopened, run.resolved
        ),
        Lang::En => format!(
            "recorded self-inspection #{} ({}): {} new, {} reopened, {} resolved (see `daicho findings`)",
            run.id, run.checked_on, run.new, run.reopened, run.resolved
        ),
    };
    #[allow(clippy::print_stderr, reason = "a confirmation is a diagnostic")]
    {
        eprintln!("{text}");
    }
}

fn check_to(
    ctx: &Context,
    register: &daicho::Register,
    args: &CheckArgs,
) -> anyhow::Result<Status> {
    let options = options(args)?;
    if let Some(proposal) = proposal(register, args)? {
        let answer = register.what_if(&proposal, &options)?;
        print_what_if(ctx, register.policy(), &answer)?;
        return Ok(Status::Success);
    }
    // Streamed: the findings wait on disk in report order, so that a
    // register with millions of them is checked in bounded memory (issue 17).
    let department = args.department.as_ref().map(|department| daicho::Filter {
        department: Some(department.clone()),
        ..daicho::Filter::default()
    });
    let report = register.check_streamed(&options, department.as_ref())?;
    print_streamed(ctx, register.policy(), &report)?;
    let counts = Counts::streamed(&report);
    summarize(ctx.lang(), &counts);
    Ok(status(args, &counts))
}

/// The proposal of `--what-if-link` or `--what-if-class`, if any.
fn proposal(register: &daicho::Register, args: &CheckArgs) -> anyhow::Result<Option<Proposal>> {
    if let Some(values) = &args.what_if_link {
        let [from, relation, to] = values.as_slice() else {
            user_error!(
                "--what-if-link には FROM RELATION TO を指定します",
                "--what-if-link takes FROM RELATION TO"
            );
        };
        let mut link = Link::new(
            register.resolve(from)?.id,
            Relation::parse(relation)?,
            register.resolve(to)?.id,
        );
        if link.relation == Relation::TransfersTo {
            link.sanitization = Some(Sanitization::None);
        }
        return Ok(Some(Proposal::Link(link)));
    }
    if let Some(values) = &args.what_if_class {
        let [asset, c, i, a] = values.as_slice() else {
            user_error!(
                "--what-if-class には ASSET C I A を指定します",
                "--what-if-class takes ASSET C I A"
            );
        };
        let asset = register.resolve(asset)?;
        let classification = Classification::parse(register.policy(), c, i, a)?;
        return Ok(Some(Proposal::Reclassify {
            id: asset.id,
            classification,
        }));
    }
    Ok(None)
}

/// A streamed report: each finding rendered as it is read back.
fn print_streamed(ctx: &Context, policy: &Policy, report: &StreamedReport) -> anyhow::Result<()> {
    let lang = ctx.lang();
    if ctx.format() == Format::Json {
        output::json(&StreamedReportRecord(report))?;
    } else {
        let headers = finding_headers(lang).map(str::to_owned);
        output::emit_streamed(ctx.format(), &headers, |row| {
            report.for_each_finding(|f| row(finding_row(policy, lang, f)))
        })?;
    }
    print_excluded(ctx, policy, &report.excluded)
}

/// In a table, the excluded assets with their reason (§4(2) proviso).
fn print_excluded(
    ctx: &Context,
    policy: &Policy,
    excluded: &[ExcludedAsset],
) -> anyhow::Result<()> {
    let lang = ctx.lang();
    if ctx.format() == Format::Table && !excluded.is_empty() {
        output::line("")?;
        let mut rows = Rows::new(match lang {
            Lang::Ja => ["適用除外の資産", "所管", "理由"],
            Lang::En => ["excluded asset", "organization", "reason"],
        });
        for e in excluded {
            let reason = policy
                .exclusions()
                .iter()
                .find(|x| x.code == e.reason)
                .map_or(e.reason.as_str(), |x| pick(lang, &x.ja, &x.en));
            rows.push([
                e.asset.name.clone(),
                pick(
                    lang,
                    policy.organization_ja(&e.organization),
                    policy.organization_en(&e.organization),
                )
                .to_owned(),
                reason.to_owned(),
            ]);
        }
        output::emit(Format::Table, &rows, &serde_json::Value::Null)?;
    }
    Ok(())
}

/// One line of counts on stderr.
fn summarize(lang: Lang, report: &Counts) {
    let Counts {
        errors,
        warnings,
        infos,
        ..
    } = report;
    let text = match lang {
        Lang::Ja => format!(
            "自己点検（{}時点）: 違反 {errors}件、要改善 {warnings}件、参考 {infos}件（点検対象 {}件、適用除外 {}件、廃棄済 {}件）",
            report.today, report.checked, report.excluded, report.disposed
        ),
        Lang::En => format!(
            "self-inspection as of {}: {errors} errors, {warnings} warnings, {infos} info ({} assets checked, {} excluded, {} disposed)",
            report.today, report.checked, report.excluded, report.disposed
        ),
    };
    #[allow(clippy::print_stderr)]
    {
        eprintln!("{text}");
        if let Some(head) = report.head {
            eprintln!("{}: {head}", pick(lang, "監査ログの先頭", "audit log head"));
        }
    }
}

fn print_what_if(ctx: &Context, policy: &Policy, answer: &WhatIf) -> anyhow::Result<()> {
    let lang = ctx.lang();
    let axis_label = |axis: Axis| pick(lang, axis.label_ja(), axis.code()).to_owned();
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["引き上げられる資産", "軸", "現在", "変更後", "根拠"],
        Lang::En => ["raised asset", "axis", "now", "after", "because"],
    });
    for r in &answer.raised {
        rows.push([
            r.asset.name.clone(),
            axis_label(r.axis),
            r.from.code().to_owned(),
            r.to.code().to_owned(),
            path_text(&r.path),
        ]);
    }
    output::emit(ctx.format(), &rows, &WhatIfRecord::from(answer))?;
    if ctx.format() == Format::Table {
        for (title_ja, title_en, findings) in [
            ("新たに生じる指摘", "new findings", &answer.new_findings),
            (
                "解消される指摘",
                "resolved findings",
                &answer.resolved_findings,
            ),
        ] {
            output::line("")?;
            if findings.is_empty() {
                output::line(&format!(
                    "{}: {}",
                    pick(lang, title_ja, title_en),
                    pick(lang, "なし", "none")
                ))?;
                continue;
            }
            output::line(pick(lang, title_ja, title_en))?;
            output::emit(
                Format::Table,
                &finding_rows(policy, lang, findings),
                &serde_json::Value::Null,
            )?;
        }
    }
    Ok(())
}
