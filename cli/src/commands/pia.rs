//! `daicho pia`: the 事務 of 特定個人情報 and the 特定個人情報保護評価 each
//! needs (しきい値判断), or a 事務 recorded or changed.

use daicho::parse::{ParsedDate, parse_date, today_in_japan};
use daicho::{
    Evaluation, NewProcess, PiaKind, PiaReport, PiaReportRecord, PiaVerdict, Process, ProcessChange,
};

use super::{Context, fields};
use crate::args::{Format, Lang, PiaAction, PiaAddArgs, PiaArgs, PiaFieldArgs, PiaSetArgs};
use crate::exit::Status;
use crate::output::{self, Rows, flag, pick};

pub(crate) fn pia(ctx: &Context, args: &PiaArgs) -> anyhow::Result<Status> {
    match &args.action {
        None => list(ctx, args.today.as_deref()),
        Some(PiaAction::Add(add_args)) => add(ctx, add_args),
        Some(PiaAction::Set(set_args)) => set(ctx, set_args),
    }
}

/// A date option, parsed as any date cell is (ISO or 和暦).
fn date(flag: &str, text: &str) -> anyhow::Result<ParsedDate> {
    fields::cell(flag, text, parse_date(text))
}

/// The evaluation `--evaluation`, `--document` and `--published` give, if any.
fn evaluation(args: &PiaFieldArgs) -> anyhow::Result<Option<Evaluation>> {
    let (Some(kind), Some(document), Some(published)) =
        (&args.evaluation, &args.document, &args.published)
    else {
        return Ok(None);
    };
    Ok(Some(Evaluation {
        kind: fields::cell("--evaluation", kind, kind.parse::<PiaKind>())?,
        document: document.clone(),
        published_on: date("--published", published)?.date,
    }))
}

fn add(ctx: &Context, args: &PiaAddArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let process = register.add_process(&NewProcess {
        name: args.name.clone(),
        handlers: args.handlers,
        stated_persons: args.fields.persons,
        incident_on: args
            .fields
            .incident
            .as_deref()
            .map(|d| date("--incident", d).map(|p| p.date))
            .transpose()?,
        evaluation: evaluation(&args.fields)?,
    })?;
    confirm(
        ctx.lang(),
        pick(ctx.lang(), "登録しました", "recorded"),
        &process,
    )?;
    Ok(Status::Success)
}

fn set(ctx: &Context, args: &PiaSetArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let f = &args.fields;
    let change = ProcessChange {
        name: args.name.clone(),
        handlers: args.handlers,
        stated_persons: if args.clear_persons {
            Some(None)
        } else {
            f.persons.map(Some)
        },
        incident_on: if args.clear_incident {
            Some(None)
        } else {
            f.incident
                .as_deref()
                .map(|d| date("--incident", d).map(|p| Some(p.date)))
                .transpose()?
        },
        evaluation: if args.clear_evaluation {
            Some(None)
        } else {
            evaluation(f)?.map(Some)
        },
    };
    let process = register.set_process(&args.process, &change)?;
    confirm(
        ctx.lang(),
        pick(ctx.lang(), "変更しました", "changed"),
        &process,
    )?;
    Ok(Status::Success)
}

fn confirm(lang: Lang, done: &str, p: &Process) -> anyhow::Result<()> {
    output::line(&match lang {
        Lang::Ja => format!("事務 #{}「{}」を{done}", p.id, p.name),
        Lang::En => format!("{done} process #{} `{}`", p.id, p.name),
    })
}

fn kind_label(lang: Lang, kind: Option<PiaKind>) -> String {
    kind.map_or_else(
        || pick(lang, "なし", "none").to_owned(),
        |k| pick(lang, k.label_ja(), k.label_en()).to_owned(),
    )
}

fn list(ctx: &Context, today: Option<&str>) -> anyhow::Result<Status> {
    let register = ctx.open_read_only()?;
    let today = today
        .map(|t| date("--today", t).map(|p| p.date))
        .transpose()?
        .unwrap_or_else(today_in_japan);
    let report = register.pia(today)?;
    let lang = ctx.lang();
    let mut rows = Rows::new(match lang {
        Lang::Ja => [
            "番号",
            "事務",
            "対象人数",
            "人数の根拠",
            "取扱者数",
            "重大事故（1年以内）",
            "必要な評価",
            "実施した評価",
            "評価書番号",
            "公表日",
            "判定",
        ],
        Lang::En => [
            "id",
            "process",
            "persons",
            "persons from",
            "handlers",
            "serious incident (last year)",
            "required",
            "done",
            "document",
            "published",
            "verdict",
        ],
    });
    for e in &report.entries {
        let p = &e.process;
        let source = if p.stated_persons.is_some() {
            pick(lang, "記載値", "stated").to_owned()
        } else {
            // 対象人数 comes from the files of 特定個人情報 only.
            e.files
                .iter()
                .find(|f| f.my_number && f.record_count.is_some())
                .map_or_else(
                    || pick(lang, "不明", "unknown").to_owned(),
                    |f| f.name.clone(),
                )
        };
        rows.push([
            p.id.to_string(),
            p.name.clone(),
            e.need.persons.map(|n| n.to_string()).unwrap_or_default(),
            source,
            p.handlers.to_string(),
            flag(lang, e.need.serious_incident).to_owned(),
            kind_label(lang, e.need.required),
            kind_label(lang, p.evaluation.as_ref().map(|v| v.kind)),
            p.evaluation
                .as_ref()
                .map(|v| v.document.clone())
                .unwrap_or_default(),
            p.evaluation
                .as_ref()
                .map(|v| v.published_on.to_string())
                .unwrap_or_default(),
            verdict_label(lang, e.verdict),
        ]);
    }
    output::emit(ctx.format(), &rows, &PiaReportRecord::from(&report))?;
    if ctx.format() == Format::Table {
        files_without_process(lang, &report)?;
    }
    Ok(Status::Success)
}

fn verdict_label(lang: Lang, verdict: PiaVerdict) -> String {
    let label = pick(lang, verdict.label_ja(), verdict.label_en());
    match verdict {
        PiaVerdict::Missing | PiaVerdict::Insufficient => {
            format!("{label}{}", pick(lang, "（違反）", " (error)"))
        }
        PiaVerdict::Stale | PiaVerdict::PersonsUnknown => {
            format!("{label}{}", pick(lang, "（要改善）", " (warning)"))
        }
        _ => label.to_owned(),
    }
}

/// The files of 特定個人情報 that name no 事務, and those naming an unknown one.
fn files_without_process(lang: Lang, report: &PiaReport) -> anyhow::Result<()> {
    if !report.unassigned.is_empty() {
        output::line("")?;
        let mut rows = Rows::new(match lang {
            Lang::Ja => ["事務が未記載の特定個人情報ファイル", "件数"],
            Lang::En => ["My Number file naming no process", "records"],
        });
        for f in &report.unassigned {
            rows.push([
                f.name.clone(),
                f.record_count.map(|n| n.to_string()).unwrap_or_default(),
            ]);
        }
        output::emit(Format::Table, &rows, &serde_json::Value::Null)?;
    }
    if !report.unknown.is_empty() {
        output::line("")?;
        let mut rows = Rows::new(match lang {
            Lang::Ja => ["資産", "登録されていない事務"],
            Lang::En => ["asset", "process not registered"],
        });
        for u in &report.unknown {
            rows.push([u.file.name.clone(), u.named.clone()]);
        }
        output::emit(Format::Table, &rows, &serde_json::Value::Null)?;
    }
    Ok(())
}
