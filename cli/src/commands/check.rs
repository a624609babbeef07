//! `daicho check`: the self-inspection (自己点検), or a what-if question.

use daicho::parse::parse_date;
use daicho::{
    Axis, CheckOptions, Classification, Finding, Link, Policy, Proposal, Relation, Report,
    Sanitization, Severity, WhatIf,
};
use std::io::Write as _;

use serde_json::json;

use super::{Context, fields};
use crate::args::{CheckArgs, FailOn, Format, Lang};
use crate::exit::{Status, user_error};
use crate::output::{self, Rows, pick};

pub(crate) fn check(ctx: &Context, args: &CheckArgs) -> anyhow::Result<Status> {
    let register = ctx.open()?;
    let mut options = CheckOptions::default();
    if let Some(text) = &args.today {
        options = options.with_today(fields::cell("--today", text, parse_date(text))?.date);
    }
    if let Some(proposal) = proposal(&register, args)? {
        let answer = register.what_if(&proposal, &options)?;
        print_what_if(ctx, register.policy(), &answer)?;
        return Ok(Status::Success);
    }
    let report = register.check(&options)?;
    print_report(ctx, register.policy(), &report)?;
    summarize(ctx.lang(), &report);
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    Ok(if threshold.is_some_and(|t| report.fails(t)) {
        Status::Failure
    } else {
        Status::Success
    })
}

/// The proposal of `--what-if-link` or `--what-if-class`, if any.
fn proposal(register: &daicho::Register, args: &CheckArgs) -> anyhow::Result<Option<Proposal>> {
    if let Some(values) = &args.what_if_link {
        let [from, relation, to] = values.as_slice() else {
            user_error!("--what-if-link takes FROM RELATION TO");
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
            user_error!("--what-if-class takes ASSET C I A");
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

fn severity_label(lang: Lang, severity: Severity) -> &'static str {
    pick(lang, severity.label_ja(), severity.code())
}

fn finding_rows(policy: &Policy, lang: Lang, findings: &[Finding]) -> Rows {
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["所管", "重大度", "ルール", "条項", "資産", "内容"],
        Lang::En => [
            "organization",
            "severity",
            "rule",
            "section",
            "assets",
            "message",
        ],
    });
    for f in findings {
        rows.push([
            pick(
                lang,
                policy.organization_ja(&f.organization),
                policy.organization_en(&f.organization),
            )
            .to_owned(),
            severity_label(lang, f.severity).to_owned(),
            f.rule.code().to_owned(),
            f.section.to_owned(),
            f.assets
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(" / "),
            pick(lang, &f.message_ja, &f.message_en).to_owned(),
        ]);
    }
    rows
}

pub(crate) fn finding_json(f: &Finding) -> serde_json::Value {
    json!({
        "rule": f.rule.code(),
        "severity": f.severity.code(),
        "section": f.section,
        "organization": f.organization.as_str(),
        "assets": f.assets.iter().map(|a| json!({
            "id": a.id.to_string(),
            "name": a.name,
            "kind": a.kind.code(),
        })).collect::<Vec<_>>(),
        "message_ja": f.message_ja,
        "message_en": f.message_en,
    })
}

/// The JSON of a report, written as it is serialized (no value tree).
#[derive(serde::Serialize)]
struct ReportOut<'a> {
    checked: usize,
    disposed: usize,
    excluded: Vec<ExcludedOut<'a>>,
    findings: Vec<FindingOut<'a>>,
    links: usize,
    today: String,
}

#[derive(serde::Serialize)]
struct ExcludedOut<'a> {
    disposed: bool,
    id: String,
    name: &'a str,
    organization: &'a str,
    reason: &'a str,
}

#[derive(serde::Serialize)]
struct FindingOut<'a> {
    assets: Vec<AssetOut<'a>>,
    message_en: &'a str,
    message_ja: &'a str,
    organization: &'a str,
    rule: &'a str,
    section: &'a str,
    severity: &'a str,
}

#[derive(serde::Serialize)]
struct AssetOut<'a> {
    id: String,
    kind: &'a str,
    name: &'a str,
}

fn write_json(report: &Report) -> anyhow::Result<()> {
    let out = ReportOut {
        checked: report.checked,
        disposed: report.disposed,
        excluded: report
            .excluded
            .iter()
            .map(|e| ExcludedOut {
                disposed: e.disposed,
                id: e.asset.id.to_string(),
                name: &e.asset.name,
                organization: e.organization.as_str(),
                reason: e.reason.as_str(),
            })
            .collect(),
        findings: report
            .findings
            .iter()
            .map(|f| FindingOut {
                assets: f
                    .assets
                    .iter()
                    .map(|a| AssetOut {
                        id: a.id.to_string(),
                        kind: a.kind.code(),
                        name: &a.name,
                    })
                    .collect(),
                message_en: &f.message_en,
                message_ja: &f.message_ja,
                organization: f.organization.as_str(),
                rule: f.rule.code(),
                section: f.section,
                severity: f.severity.code(),
            })
            .collect(),
        links: report.links,
        today: report.today.to_string(),
    };
    let stdout = std::io::stdout();
    let mut writer = std::io::BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(&mut writer, &out)?;
    writeln!(writer)?;
    writer.flush()?;
    Ok(())
}

fn print_report(ctx: &Context, policy: &Policy, report: &Report) -> anyhow::Result<()> {
    let lang = ctx.lang();
    // Only the form asked for is built: a million-asset register may have
    // a hundred thousand findings.
    if ctx.format() == Format::Json {
        write_json(report)?;
    } else {
        let rows = finding_rows(policy, lang, &report.findings);
        output::emit(ctx.format(), &rows, &serde_json::Value::Null)?;
    }
    if ctx.format() == Format::Table && !report.excluded.is_empty() {
        // Excluded assets are listed with their reason (§4(2) proviso).
        output::line("")?;
        let mut excluded = Rows::new(match lang {
            Lang::Ja => ["適用除外の資産", "所管", "理由"],
            Lang::En => ["excluded asset", "organization", "reason"],
        });
        for e in &report.excluded {
            let reason = policy
                .exclusions()
                .iter()
                .find(|x| x.code == e.reason)
                .map_or(e.reason.as_str(), |x| pick(lang, &x.ja, &x.en));
            excluded.push([
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
        output::emit(Format::Table, &excluded, &serde_json::Value::Null)?;
    }
    Ok(())
}

/// One line of counts on stderr.
fn summarize(lang: Lang, report: &Report) {
    let (errors, warnings, infos) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    let text = match lang {
        Lang::Ja => format!(
            "自己点検（{}時点）: 違反 {errors}件、要改善 {warnings}件、参考 {infos}件（点検対象 {}件、適用除外 {}件、廃棄済 {}件）",
            report.today,
            report.checked,
            report.excluded.len(),
            report.disposed
        ),
        Lang::En => format!(
            "self-inspection as of {}: {errors} errors, {warnings} warnings, {infos} info ({} assets checked, {} excluded, {} disposed)",
            report.today,
            report.checked,
            report.excluded.len(),
            report.disposed
        ),
    };
    #[allow(clippy::print_stderr)]
    {
        eprintln!("{text}");
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
            super::explain::path_text(&r.path),
        ]);
    }
    let json = json!({
        "raised": answer.raised.iter().map(|r| json!({
            "id": r.asset.id.to_string(),
            "name": r.asset.name,
            "axis": r.axis.code(),
            "from": r.from.code(),
            "to": r.to.code(),
            "path": super::explain::path_json(&r.path),
        })).collect::<Vec<_>>(),
        "new_findings": answer.new_findings.iter().map(finding_json).collect::<Vec<_>>(),
        "resolved_findings": answer.resolved_findings.iter().map(finding_json).collect::<Vec<_>>(),
    });
    output::emit(ctx.format(), &rows, &json)?;
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
