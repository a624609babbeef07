//! `daicho risk`: the risk list, and recording threat assessments.

use daicho::RiskReportRecord;

use super::Context;
use crate::args::{Format, Lang, RiskAction, RiskArgs};
use crate::exit::Status;
use crate::output::{self, Rows, pick};

pub(crate) fn risk(ctx: &Context, args: &RiskArgs) -> anyhow::Result<Status> {
    match &args.action {
        None | Some(RiskAction::List) => list(ctx),
        Some(RiskAction::Set(set)) => {
            let mut register = ctx.open()?;
            let asset = register.resolve(&set.asset)?;
            let assessed =
                register.assess(asset.id, &set.threat, set.likelihood, set.vulnerability)?;
            output::line(&format!(
                "assessed `{}` {}: likelihood {}, vulnerability {}",
                asset.name(),
                assessed.threat,
                assessed.likelihood,
                assessed.vulnerability
            ))?;
            Ok(Status::Success)
        }
        Some(RiskAction::Unset(unset)) => {
            let mut register = ctx.open()?;
            let asset = register.resolve(&unset.asset)?;
            register.unassess(asset.id, &unset.threat)?;
            output::line(&format!(
                "removed the assessment of `{}` {}",
                asset.name(),
                unset.threat
            ))?;
            Ok(Status::Success)
        }
    }
}

fn list(ctx: &Context) -> anyhow::Result<Status> {
    let register = ctx.open()?;
    let policy = register.policy();
    let risk = policy.risk();
    let report = register.risks()?;
    let lang = ctx.lang();
    let mut rows = Rows::new(match lang {
        Lang::Ja => [
            "リスク値",
            "評価",
            "資産",
            "所管",
            "脅威",
            "起こりやすさ",
            "脆弱性",
            "被害発生可能性",
            "重要度",
        ],
        Lang::En => [
            "value",
            "band",
            "asset",
            "organization",
            "threat",
            "likelihood",
            "vulnerability",
            "damage likelihood",
            "importance",
        ],
    });
    for e in &report.entries {
        let band = risk
            .bands
            .iter()
            .find(|b| b.code == e.band)
            .map_or(e.band.as_str(), |b| pick(lang, &b.ja, &b.en));
        let threat = risk.threats.iter().find(|t| t.code == e.threat).map_or(
            e.threat.clone(),
            |t| match lang {
                Lang::Ja => format!("{} {}", t.section, t.ja),
                Lang::En => format!("{} {}", t.section, t.code),
            },
        );
        rows.push([
            e.value.to_string(),
            band.to_owned(),
            e.asset.name.clone(),
            pick(
                lang,
                policy.organization_ja(&e.organization),
                policy.organization_en(&e.organization),
            )
            .to_owned(),
            threat,
            e.likelihood.to_string(),
            e.vulnerability.to_string(),
            e.damage_likelihood.to_string(),
            e.importance.to_string(),
        ]);
    }
    output::emit(ctx.format(), &rows, &RiskReportRecord::from(&report))?;
    if ctx.format() == Format::Table && !report.not_assessed.is_empty() {
        output::line("")?;
        let mut rows = Rows::new([pick(lang, "未評価の資産", "not assessed")]);
        for a in &report.not_assessed {
            rows.push([a.name.clone()]);
        }
        output::emit(Format::Table, &rows, &serde_json::Value::Null)?;
    }
    Ok(Status::Success)
}
