//! `daicho explain`: an asset's declared and effective level per axis, with
//! the path behind each.

use daicho::ExplanationRecord;

use super::Context;
use crate::args::{Format, Lang, ShowArgs};
use crate::exit::Status;
use crate::output::{self, Rows, path_text, pick};

pub(crate) fn explain(ctx: &Context, args: &ShowArgs) -> anyhow::Result<Status> {
    let register = ctx.open_read_only()?;
    let asset = register.resolve(&args.asset)?;
    let explanation = register.explain(asset.id)?;
    let policy = register.policy();
    let lang = ctx.lang();
    let rows = axis_rows(&explanation, policy, lang);
    if ctx.format() == Format::Table {
        let org = pick(
            lang,
            policy.organization_ja(&explanation.organization),
            policy.organization_en(&explanation.organization),
        );
        output::line(&format!(
            "{} ({}, {org})",
            explanation.asset.name,
            explanation.asset.kind.letter()
        ))?;
        if let Some(code) = &explanation.excluded {
            let reason = policy.exclusion(code.as_str()).map_or_else(
                |_| code.to_string(),
                |e| pick(lang, &e.ja, &e.en).to_owned(),
            );
            output::line(&format!(
                "{}: {reason}",
                pick(
                    lang,
                    "適用除外（点検の対象外。保存先のシステムには分類が及ぶ）",
                    "excluded (not checked; its level still reaches the system that stores it)"
                )
            ))?;
        }
        if explanation.disposed {
            output::line(pick(
                lang,
                "廃棄済（点検の対象外。保存されていた情報の分類で廃棄を判定）",
                "disposed (not checked; its disposal is judged at what it held)",
            ))?;
        }
    }
    output::emit(ctx.format(), &rows, &ExplanationRecord::from(&explanation))?;
    if ctx.format() == Format::Table {
        if let Some(path) = &explanation.my_number {
            let text = if path.is_empty() {
                pick(
                    lang,
                    "特定個人情報: あり（自身）",
                    "My Number data: yes (its own)",
                )
                .to_owned()
            } else {
                format!(
                    "{}: {}",
                    pick(lang, "特定個人情報: あり", "My Number data: yes"),
                    path_text(path)
                )
            };
            output::line(&text)?;
        }
        for f in &explanation.findings {
            output::line(&format!(
                "[{} {} {}] {}",
                output::severity_label(lang, f.severity),
                f.rule,
                f.section,
                pick(lang, &f.message_ja, &f.message_en)
            ))?;
        }
    }
    Ok(Status::Success)
}

/// One row per axis: declared, inherited and effective levels as labels, the
/// status, and what the effective level comes from.
fn axis_rows(explanation: &daicho::Explanation, policy: &daicho::Policy, lang: Lang) -> Rows {
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["軸", "登録", "継承", "実効", "判定", "根拠"],
        Lang::En => [
            "axis",
            "declared",
            "inherited",
            "effective",
            "status",
            "because",
        ],
    });
    let label = |level: &daicho::Level| {
        policy.definition(level).map_or_else(
            || level.code().to_owned(),
            |def| pick(lang, &def.ja, &def.en).to_owned(),
        )
    };
    for axis in &explanation.axes {
        let because = match (&axis.floor, axis.path.is_empty()) {
            (Some(fact), true) => match lang {
                Lang::Ja => format!("{}を含む（分類の下限）", fact.label_ja()),
                Lang::En => format!("holds {} data (a classification floor)", fact.code()),
            },
            (None, true) => pick(lang, "自身の分類", "its own level").to_owned(),
            (_, false) => path_text(&axis.path),
        };
        let status = if explanation.excluded.is_some() {
            pick(lang, "対象外", "excluded")
        } else if explanation.disposed {
            pick(lang, "廃棄済", "disposed")
        } else if axis.is_below() {
            pick(lang, "不足", "below")
        } else {
            pick(lang, "適合", "ok")
        };
        rows.push([
            pick(lang, axis.axis.label_ja(), axis.axis.code()).to_owned(),
            label(&axis.declared),
            axis.inherited.as_ref().map(label).unwrap_or_default(),
            label(&axis.effective),
            status.to_owned(),
            because,
        ]);
    }
    rows
}
