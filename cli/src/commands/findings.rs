//! `daicho findings`: the findings tracked to correction (是正) by
//! `check --record`.

use daicho::parse::{parse_date, today_in_japan};
use daicho::{
    FindingStatus, FindingUpdate, Register, RuleId, TrackedFinding, TrackedFindingRecord,
};

use super::{Context, fields};
use crate::args::{FindingsAction, FindingsArgs, FindingsKeyArgs, FindingsSetArgs, Format, Lang};
use crate::exit::Status;
use crate::output::{self, Rows, pick};

pub(crate) fn findings(ctx: &Context, args: &FindingsArgs) -> anyhow::Result<Status> {
    match &args.action {
        None => list(ctx, args.status.as_deref(), args.today.as_deref()),
        Some(FindingsAction::Set(set_args)) => set(ctx, set_args),
        Some(FindingsAction::History(key)) => history(ctx, key),
    }
}

/// A status's label in the chosen language.
fn status_label(lang: Lang, status: FindingStatus) -> &'static str {
    pick(lang, status.label_ja(), status.label_en())
}

fn rule_title(lang: Lang, rule: RuleId) -> String {
    format!(
        "{} {}",
        rule.code(),
        pick(lang, rule.title_ja(), rule.title_en())
    )
}

/// The name of a finding's first asset, or its id once the asset is
/// deleted; for a finding on a 事務, the 事務 by name (by number once it is
/// gone); for one on a tracked finding, its number.
fn asset_name(register: &Register, lang: Lang, finding: &TrackedFinding) -> String {
    match (&finding.subject, finding.assets.first()) {
        (Some(daicho::KeySubject::Process(id)), _) => {
            let name = register
                .process(&id.to_string())
                .map_or_else(|_| format!("#{id}"), |p| p.name);
            match lang {
                Lang::Ja => format!("事務「{name}」"),
                Lang::En => format!("process `{name}`"),
            }
        }
        (Some(daicho::KeySubject::Finding(id)), _) => {
            format!("{} #{id}", pick(lang, "指摘", "finding"))
        }
        (_, Some(&id)) => register
            .get(id)
            .map_or_else(|_| id.to_string(), |a| a.name().to_owned()),
        (_, None) => String::new(),
    }
}

fn list(ctx: &Context, status: Option<&str>, today: Option<&str>) -> anyhow::Result<Status> {
    let register = ctx.open_read_only()?;
    let wanted: Option<FindingStatus> = status
        .map(|s| fields::cell("--status", s, s.parse()))
        .transpose()?;
    let today = match today {
        Some(text) => fields::cell("--today", text, parse_date(text))?.date,
        None => today_in_japan(),
    };
    let lang = ctx.lang();
    let found: Vec<TrackedFinding> = register
        .findings()?
        .into_iter()
        .filter(|f| wanted.is_none_or(|w| f.status == w))
        .collect();
    let mut headers: Vec<&str> = match lang {
        Lang::Ja => vec![
            "番号",
            "ルール",
            "資産",
            "状態",
            "初回検出",
            "最終検出",
            "解消日",
            "担当者",
            "是正期限",
            "内容",
        ],
        Lang::En => vec![
            "id",
            "rule",
            "asset",
            "status",
            "first seen",
            "last seen",
            "resolved",
            "owner",
            "due",
            "finding",
        ],
    };
    // A spreadsheet keeps the stable key too.
    let with_key = ctx.format() == Format::Csv;
    if with_key {
        headers.push(pick(lang, "キー", "key"));
    }
    let mut rows = Rows::new(headers);
    for f in &found {
        let due = f.due_on.map_or_else(String::new, |d| {
            if f.is_overdue(today) {
                format!("{d}{}", pick(lang, "（期限超過）", " (overdue)"))
            } else {
                d.to_string()
            }
        });
        let mut row = vec![
            f.id.to_string(),
            rule_title(lang, f.rule),
            asset_name(&register, lang, f),
            status_label(lang, f.status).to_owned(),
            f.first_seen.to_string(),
            f.last_seen.to_string(),
            f.resolved_on.map(|d| d.to_string()).unwrap_or_default(),
            f.owner.clone().unwrap_or_default(),
            due,
            pick(lang, &f.message_ja, &f.message_en).to_owned(),
        ];
        if with_key {
            row.push(f.key.clone());
        }
        rows.push(row);
    }
    let json: Vec<TrackedFindingRecord<'_>> = found
        .iter()
        .map(|f| TrackedFindingRecord::new(f, today))
        .collect();
    output::emit(ctx.format(), &rows, &json)?;
    Ok(Status::Success)
}

fn set(ctx: &Context, args: &FindingsSetArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let update = FindingUpdate {
        status: args
            .status
            .as_deref()
            .map(|s| fields::cell("--status", s, s.parse()))
            .transpose()?,
        owner: args.owner.clone(),
        due_on: if args.clear_due {
            Some(None)
        } else {
            args.due
                .as_deref()
                .map(|d| fields::cell("--due", d, parse_date(d)).map(|p| Some(p.date)))
                .transpose()?
        },
    };
    let lang = ctx.lang();
    let f = register.set_finding(&args.key, &update)?;
    output::line(&match lang {
        Lang::Ja => format!(
            "指摘 #{}（{}）: {}、担当 {}、期限 {}",
            f.id,
            f.rule.code(),
            f.status.label_ja(),
            f.owner.as_deref().unwrap_or("なし"),
            f.due_on
                .map_or_else(|| "なし".to_owned(), |d| d.to_string())
        ),
        Lang::En => format!(
            "finding #{} ({}): {}, owner {}, due {}",
            f.id,
            f.rule.code(),
            f.status.label_en(),
            f.owner.as_deref().unwrap_or("none"),
            f.due_on
                .map_or_else(|| "none".to_owned(), |d| d.to_string())
        ),
    })?;
    Ok(Status::Success)
}

/// What a finding's audit entry says: status, owner, due date.
#[derive(serde::Deserialize)]
struct Logged {
    status: String,
    owner: Option<String>,
    due_on: Option<String>,
    resolved_on: Option<String>,
}

fn history(ctx: &Context, args: &FindingsKeyArgs) -> anyhow::Result<Status> {
    let register = ctx.open_read_only()?;
    let lang = ctx.lang();
    let entries = register.finding_history(&args.key)?;
    let mut rows = Rows::new(match lang {
        Lang::Ja => [
            "監査番号",
            "日時",
            "実行者",
            "状態",
            "担当者",
            "是正期限",
            "解消日",
        ],
        Lang::En => ["entry", "at", "actor", "status", "owner", "due", "resolved"],
    });
    let read = |json: &Option<String>| {
        json.as_deref()
            .and_then(|j| serde_json::from_str::<Logged>(j).ok())
    };
    let mut json = Vec::new();
    for entry in &entries {
        let before = read(&entry.before);
        let Some(after) = read(&entry.after) else {
            continue;
        };
        let label = |code: &str| {
            code.parse::<FindingStatus>()
                .map_or_else(|_| code.to_owned(), |s| status_label(lang, s).to_owned())
        };
        let status = match before.filter(|b| b.status != after.status) {
            Some(b) => format!("{} → {}", label(&b.status), label(&after.status)),
            None => label(&after.status),
        };
        rows.push([
            entry.seq.to_string(),
            entry.at.to_string(),
            entry.actor.clone(),
            status,
            after.owner.clone().unwrap_or_default(),
            after.due_on.clone().unwrap_or_default(),
            after.resolved_on.clone().unwrap_or_default(),
        ]);
        json.push(daicho::HistoryRecord::from(entry));
    }
    output::emit(ctx.format(), &rows, &json)?;
    Ok(Status::Success)
}
