//! `daicho policy`.

use daicho::{Axis, Policy};

use super::Context;
use crate::args::{Lang, PolicyArgs, PolicySection};
use crate::exit::Status;
use crate::output::{self, Rows, pick};

pub(crate) fn policy(ctx: &Context, args: &PolicyArgs) -> anyhow::Result<Status> {
    let policy = match &args.profile {
        Some(profile) => Policy::load(profile)?,
        None => ctx.open()?.policy().clone(),
    };
    let lang = ctx.lang();
    let (rows, json) = match args.section {
        PolicySection::Levels => levels(&policy, lang),
        PolicySection::Organizations => organizations(&policy, lang),
        PolicySection::Restrictions => restrictions(&policy, lang),
        PolicySection::Controls => controls(&policy, lang),
        PolicySection::Exclusions => exclusions(&policy, lang),
    };
    output::emit(ctx.format(), &rows, &json)?;
    Ok(Status::Success)
}

fn levels(policy: &Policy, lang: Lang) -> (Rows, serde_json::Value) {
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["区分", "コード", "名称", "重要度", "定義"],
        Lang::En => ["axis", "code", "label", "importance", "definition"],
    });
    let mut json = Vec::new();
    for axis in Axis::ALL {
        let scale = policy.scale(axis);
        for def in &scale.levels {
            rows.push([
                pick(lang, &scale.ja, &scale.en).to_owned(),
                def.level.code().to_owned(),
                pick(lang, &def.ja, &def.en).to_owned(),
                def.importance.to_string(),
                pick(lang, &def.definition_ja, &def.definition_en).to_owned(),
            ]);
            json.push(serde_json::json!({
                "axis": axis.code(),
                "code": def.level.code(),
                "rank": def.level.rank(),
                "importance": def.importance,
                "ja": def.ja,
                "en": def.en,
                "definition_ja": def.definition_ja,
                "definition_en": def.definition_en,
                "requires": def.restrictions.iter().map(|r| r.control.as_str()).collect::<Vec<_>>(),
            }));
        }
    }
    (rows, serde_json::Value::Array(json))
}

fn organizations(policy: &Policy, lang: Lang) -> (Rows, serde_json::Value) {
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["コード", "名称", "英語名"],
        Lang::En => ["code", "Japanese name", "name"],
    });
    for org in policy.organizations() {
        rows.push([org.code.as_str(), org.ja.as_str(), org.en.as_str()]);
    }
    let json = policy
        .organizations()
        .iter()
        .map(|o| serde_json::json!({"code": o.code.as_str(), "ja": o.ja, "en": o.en}))
        .collect();
    (rows, serde_json::Value::Array(json))
}

fn restrictions(policy: &Policy, lang: Lang) -> (Rows, serde_json::Value) {
    let mut rows = Rows::new(match lang {
        Lang::Ja => [
            "区分",
            "レベル",
            "管理策",
            "取扱制限",
            "電子のみ",
            "ネットワーク接続のみ",
        ],
        Lang::En => [
            "axis",
            "level",
            "control",
            "restriction",
            "electronic only",
            "network only",
        ],
    });
    let mut json = Vec::new();
    for axis in Axis::ALL {
        let scale = policy.scale(axis);
        for def in &scale.levels {
            for r in &def.restrictions {
                rows.push([
                    pick(lang, &scale.ja, &scale.en).to_owned(),
                    def.level.code().to_owned(),
                    r.control.to_string(),
                    pick(lang, &r.ja, &r.en).to_owned(),
                    output::flag(lang, r.electronic_only).to_owned(),
                    output::flag(lang, r.network_only).to_owned(),
                ]);
                json.push(serde_json::json!({
                    "axis": axis.code(),
                    "level": def.level.code(),
                    "control": r.control.as_str(),
                    "ja": r.ja,
                    "en": r.en,
                    "electronic_only": r.electronic_only,
                    "network_only": r.network_only,
                }));
            }
        }
    }
    (rows, serde_json::Value::Array(json))
}

fn controls(policy: &Policy, lang: Lang) -> (Rows, serde_json::Value) {
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["コード", "名称"],
        Lang::En => ["code", "label"],
    });
    for control in policy.controls() {
        rows.push([control.code.as_str(), pick(lang, &control.ja, &control.en)]);
    }
    let json = policy
        .controls()
        .iter()
        .map(|c| serde_json::json!({"code": c.code.as_str(), "ja": c.ja, "en": c.en}))
        .collect();
    (rows, serde_json::Value::Array(json))
}

fn exclusions(policy: &Policy, lang: Lang) -> (Rows, serde_json::Value) {
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["コード", "理由", "利用できる組織"],
        Lang::En => ["code", "reason", "organizations"],
    });
    let mut json = Vec::new();
    for exclusion in policy.exclusions() {
        let orgs: Vec<&str> = exclusion
            .organizations
            .iter()
            .map(|o| pick(lang, policy.organization_ja(o), policy.organization_en(o)))
            .collect();
        rows.push([
            exclusion.code.to_string(),
            pick(lang, &exclusion.ja, &exclusion.en).to_owned(),
            orgs.join("、"),
        ]);
        json.push(serde_json::json!({
            "code": exclusion.code.as_str(),
            "ja": exclusion.ja,
            "en": exclusion.en,
            "organizations": exclusion.organizations.iter().map(daicho::OrgCode::as_str).collect::<Vec<_>>(),
        }));
    }
    (rows, serde_json::Value::Array(json))
}
