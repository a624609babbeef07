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
    for axis in &explanation.axes {
        let because = if axis.path.is_empty() {
            pick(lang, "自身の分類", "its own level").to_owned()
        } else {
            path_text(&axis.path)
        };
        rows.push([
            pick(lang, axis.axis.label_ja(), axis.axis.code()).to_owned(),
            axis.declared.code().to_owned(),
            axis.inherited
                .as_ref()
                .map(|l| l.code().to_owned())
                .unwrap_or_default(),
            axis.effective.code().to_owned(),
            if axis.is_below() {
                pick(lang, "不足", "below").to_owned()
            } else {
                pick(lang, "適合", "ok").to_owned()
            },
            because,
        ]);
    }
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
        if let Some(reason) = &explanation.excluded {
            output::line(&format!(
                "{}: {reason}",
                pick(
                    lang,
                    "適用除外（継承・点検の対象外）",
                    "excluded (not inherited, not checked)"
                )
            ))?;
        }
        if explanation.disposed {
            output::line(pick(
                lang,
                "廃棄済（継承の対象外）",
                "disposed (not inherited)",
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
