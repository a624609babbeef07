//! `daicho policy`.

use daicho::{
    Axis, ExclusionRecord, LabelRecord, LevelRecord, OrganizationRecord, Policy,
    PolicyChangeRecord, RestrictionRecord, RuleId, RuleRecord, VocabularyRecord,
};

use super::Context;
use crate::args::{Format, Lang, PolicyArgs, PolicySection};
use crate::exit::Status;
use crate::output::{self, Rows, pick, terminal_text};

pub(crate) fn policy(ctx: &Context, args: &PolicyArgs) -> anyhow::Result<Status> {
    let show: fn(&Policy, Format, Lang) -> anyhow::Result<()> = match args.section {
        PolicySection::Set => return set(ctx, args.file.as_deref().unwrap_or_default()),
        PolicySection::Rules => {
            // The rules are the library's, whatever the register's policy.
            rules(ctx.format(), ctx.lang())?;
            return Ok(Status::Success);
        }
        PolicySection::Levels => levels,
        PolicySection::Organizations => organizations,
        PolicySection::Restrictions => restrictions,
        PolicySection::Controls => controls,
        PolicySection::Exclusions => exclusions,
        PolicySection::Vocabulary => vocabulary,
    };
    let policy = match &args.profile {
        Some(profile) => Policy::load(profile)?,
        None => ctx.open_read_only()?.policy().clone(),
    };
    show(&policy, ctx.format(), ctx.lang())?;
    Ok(Status::Success)
}

/// Replaces the register's policy (`policy set FILE`).
fn set(ctx: &Context, file: &str) -> anyhow::Result<Status> {
    let policy = Policy::load(file)?;
    let mut register = ctx.open()?;
    let change = match register.set_policy(policy) {
        Ok(change) => change,
        Err(daicho::Error::PolicyRefused {
            name,
            problems,
            total,
        }) => {
            refused(ctx.lang(), &name, &problems, total);
            return Ok(Status::Failure);
        }
        Err(other) => return Err(other.into()),
    };
    if ctx.format() == Format::Json {
        let db = ctx.global.db.display().to_string();
        output::json(&PolicyChangeRecord::new(&change, &db))?;
        return Ok(Status::Success);
    }
    let short = |sha: &str| sha[..sha.len().min(12)].to_owned();
    let (old, new) = (
        format!("`{}` ({})", change.old_name, short(&change.old_sha256)),
        format!("`{}` ({})", change.new_name, short(&change.new_sha256)),
    );
    output::line(&match (ctx.lang(), change.changed) {
        (Lang::Ja, true) => format!("台帳のポリシーを {old} から {new} に変更しました"),
        (Lang::Ja, false) => format!("台帳のポリシーはすでに {new} です。変更はありません"),
        (Lang::En, true) => format!("changed the register's policy from {old} to {new}"),
        (Lang::En, false) => format!("the register's policy is {new} already; nothing changed"),
    })?;
    Ok(Status::Success)
}

/// Says why a policy was not set, one asset a line.
#[allow(clippy::print_stderr, reason = "errors are diagnostics")]
fn refused(lang: Lang, name: &str, problems: &[daicho::Localized], total: usize) {
    eprintln!(
        "{} {}",
        pick(lang, "エラー:", "error:"),
        match lang {
            Lang::Ja => format!(
                "ポリシー `{name}` は設定していません: {total} 件の資産がこのポリシーでは不正になります"
            ),
            Lang::En => format!(
                "policy `{name}` was not set: it would make {total} {} invalid",
                if total == 1 { "asset" } else { "assets" }
            ),
        }
    );
    for problem in problems {
        eprintln!("  {}", terminal_text(problem.get(lang.into())));
    }
    if total > problems.len() {
        eprintln!(
            "  {}",
            match lang {
                Lang::Ja => format!("ほか {} 件", total - problems.len()),
                Lang::En => format!("... and {} more", total - problems.len()),
            }
        );
    }
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
        Lang::Ja => ["コード", "名称", "英語名", "別名"],
        Lang::En => ["code", "Japanese name", "name", "also written"],
    });
    for org in policy.organizations() {
        rows.push([
            org.code.to_string(),
            org.ja.clone(),
            org.en.clone(),
            org.aliases.join(pick(lang, "、", ", ")),
        ]);
    }
    let json: Vec<OrganizationRecord> = policy
        .organizations()
        .iter()
        .map(OrganizationRecord::from)
        .collect();
    output::emit(format, &rows, &json)
}

/// Every accepted word of every closed column, one member a row.
fn vocabulary(policy: &Policy, format: Format, lang: Lang) -> anyhow::Result<()> {
    let entries = daicho::vocabulary(policy);
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["列", "コード", "表記", "ほかの書き方"],
        Lang::En => ["column", "code", "label", "also written"],
    });
    for entry in &entries {
        rows.push([
            pick(lang, entry.column.ja(), entry.column.key()).to_owned(),
            entry.code.clone(),
            pick(lang, &entry.ja, &entry.en).to_owned(),
            terminal_text(&entry.words.join(pick(lang, "、", ", "))).into_owned(),
        ]);
    }
    let json: Vec<VocabularyRecord> = entries.iter().map(VocabularyRecord::from).collect();
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
