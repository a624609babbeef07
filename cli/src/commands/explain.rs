//! `daicho explain`: an asset's declared and effective level per axis, with
//! the path behind each.

use daicho::rules::Step;
use serde_json::json;

use super::Context;
use crate::args::{Format, Lang, ShowArgs};
use crate::exit::Status;
use crate::output::{self, Rows, pick};

/// A path as text: `住民記録データ (イ) stored_on 住民基本台帳システム (ア) → ...`.
pub(crate) fn path_text(path: &[Step]) -> String {
    path.iter()
        .map(|s| {
            format!(
                "{} ({}) {} {} ({})",
                s.from.name,
                s.from.kind.letter(),
                s.relation,
                s.to.name,
                s.to.kind.letter()
            )
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

pub(crate) fn path_json(path: &[Step]) -> serde_json::Value {
    path.iter()
        .map(|s| {
            json!({
                "from": s.from.name,
                "from_id": s.from.id.to_string(),
                "relation": s.relation.code(),
                "to": s.to.name,
                "to_id": s.to.id.to_string(),
            })
        })
        .collect()
}

pub(crate) fn explain(ctx: &Context, args: &ShowArgs) -> anyhow::Result<Status> {
    let register = ctx.open()?;
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
    let json = json!({
        "id": explanation.asset.id.to_string(),
        "name": explanation.asset.name,
        "kind": explanation.asset.kind.code(),
        "organization": explanation.organization.as_str(),
        "excluded": explanation.excluded.as_ref().map(daicho::ExclusionCode::as_str),
        "disposed": explanation.disposed,
        "axes": explanation.axes.iter().map(|a| json!({
            "axis": a.axis.code(),
            "declared": a.declared.code(),
            "inherited": a.inherited.as_ref().map(daicho::Level::code),
            "effective": a.effective.code(),
            "below": a.is_below(),
            "origin": a.origin.name,
            "path": path_json(&a.path),
        })).collect::<Vec<_>>(),
        "my_number": explanation.my_number.as_ref().map(|p| path_json(p)),
        "findings": explanation.findings.iter().map(super::check::finding_json).collect::<Vec<_>>(),
    });
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
    output::emit(ctx.format(), &rows, &json)?;
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
                pick(lang, f.severity.label_ja(), f.severity.code()),
                f.rule,
                f.section,
                pick(lang, &f.message_ja, &f.message_en)
            ))?;
        }
    }
    Ok(Status::Success)
}
