//! `daicho policy`.

use daicho::{
    Axis, ExclusionRecord, LabelRecord, LevelRecord, Policy, RestrictionRecord, RuleId, RuleRecord,
};

use super::Context;
use crate::args::{Format, Lang, PolicyArgs, PolicySection};
use crate::exit::Status;
use crate::output::{self, Rows, pick};

pub(crate) fn policy(ctx: &Context, args: &PolicyArgs) -> anyhow::Result<Status> {
    if args.section == PolicySection::Rules {
        // The rules are the library's, whatever the register's policy.
        rules(ctx.format(), ctx.lang())?;
        return Ok(Status::Success);
    }
    let policy = match &args.profile {
        Some(profile) => Policy::load(profile)?,
        None => ctx.open()?.policy().clone(),
    };
    let (format, lang) = (ctx.format(), ctx.lang());
    match args.section {
        PolicySection::Levels => levels(&policy, format, lang),
        PolicySection::Organizations => organizations(&policy, format, lang),
        PolicySection::Restrictions => restrictions(&policy, format, lang),
        PolicySection::Controls => controls(&policy, format, lang),
        PolicySection::Exclusions => exclusions(&policy, format, lang),
        PolicySection::Rules => rules(format, lang),
    }?;
    Ok(Status::Success)
}

fn levels(policy: &Policy, format: Format, lang: Lang) -> anyhow::Result<()> {
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["区分", "コード", "名称", "重要度", "定義", "出典"],
        Lang::En => [
            "axis",
            "code",
            "label",
            "importance",
            "definition",
            "source",
        ],
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
                source(lang, def.paraphrased).to_owned(),
            ]);
            json.push(LevelRecord::from(def));
        }
    }
    output::emit(format, &rows, &json)
}

fn organizations(policy: &Policy, format: Format, lang: Lang) -> anyhow::Result<()> {
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["コード", "名称", "英語名"],
        Lang::En => ["code", "Japanese name", "name"],
    });
    for org in policy.organizations() {
        rows.push([org.code.as_str(), org.ja.as_str(), org.en.as_str()]);
    }
    let json: Vec<LabelRecord> = policy
        .organizations()
        .iter()
        .map(LabelRecord::from)
        .collect();
    output::emit(format, &rows, &json)
}

fn restrictions(policy: &Policy, format: Format, lang: Lang) -> anyhow::Result<()> {
    let mut rows = Rows::new(match lang {
        Lang::Ja => [
            "区分",
            "レベル",
            "管理策",
            "取扱制限",
            "電子のみ",
            "ネットワーク接続のみ",
            "紙のみ",
        ],
        Lang::En => [
            "axis",
            "level",
            "control",
            "restriction",
            "electronic only",
            "network only",
            "paper only",
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
                    output::flag(lang, r.paper_only).to_owned(),
                ]);
                json.push(RestrictionRecord::new(def, r));
            }
        }
    }
    output::emit(format, &rows, &json)
}

fn controls(policy: &Policy, format: Format, lang: Lang) -> anyhow::Result<()> {
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["コード", "名称"],
        Lang::En => ["code", "label"],
    });
    for control in policy.controls() {
        rows.push([control.code.as_str(), pick(lang, &control.ja, &control.en)]);
    }
    let json: Vec<LabelRecord> = policy.controls().iter().map(LabelRecord::from).collect();
    output::emit(format, &rows, &json)
}

fn exclusions(policy: &Policy, format: Format, lang: Lang) -> anyhow::Result<()> {
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
        json.push(ExclusionRecord::from(exclusion));
    }
    output::emit(format, &rows, &json)
}

/// Whether a level's texts are the policy's own or a paraphrase of the
/// guideline's model text.
fn source(lang: Lang, paraphrased: bool) -> &'static str {
    match (lang, paraphrased) {
        (Lang::Ja, true) => "要旨（ガイドラインの例文）",
        (Lang::Ja, false) => "規程の文言",
        (Lang::En, true) => "paraphrase (guideline model text)",
        (Lang::En, false) => "policy text",
    }
}

fn rules(format: Format, lang: Lang) -> anyhow::Result<()> {
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["ルールID", "重大度", "条項", "内容"],
        Lang::En => ["rule", "severity", "section", "title"],
    });
    for rule in RuleId::ALL {
        rows.push([
            rule.code(),
            pick(lang, rule.severity().label_ja(), rule.severity().code()),
            rule.section(),
            pick(lang, rule.title_ja(), rule.title_en()),
        ]);
    }
    let json: Vec<RuleRecord> = RuleId::ALL.iter().copied().map(RuleRecord::from).collect();
    output::emit(format, &rows, &json)
}
