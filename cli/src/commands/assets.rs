//! `daicho add`, `show`, `list`, `edit`, `dispose`, `history`.

use daicho::parse::{parse_date, today_in_japan};
use daicho::{
    Asset, AssetId, AssetListRecord, Disposal, Disposed, EntryChange, FieldValue, Filter,
    HistoryRecord, Kind, LinkEdit, Register, Segment, ShownAssetRecord,
};

use super::{Context, fields};
use crate::args::{AddArgs, DisposeArgs, EditArgs, Format, Lang, ListArgs, ShowArgs};
use crate::exit::Status;
use crate::output::{self, Rows, pick};

pub(crate) fn add(ctx: &Context, args: &AddArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let fields = fields::new_fields(register.policy(), &args.fields)?;
    let asset = match &args.id {
        Some(id) => register.add_with_id(id.parse::<AssetId>()?, fields)?,
        None => register.add(fields)?,
    };
    print_one(ctx, &register, &asset)
}

pub(crate) fn show(ctx: &Context, args: &ShowArgs) -> anyhow::Result<Status> {
    let register = ctx.open()?;
    let asset = register.resolve(&args.asset)?;
    print_one(ctx, &register, &asset)
}

pub(crate) fn list(ctx: &Context, args: &ListArgs) -> anyhow::Result<Status> {
    let register = ctx.open()?;
    let policy = register.policy();
    let level =
        |axis, value: &Option<String>| value.as_deref().map(|v| policy.level(axis, v)).transpose();
    let filter = Filter {
        organization: args
            .organization
            .as_deref()
            .map(|o| policy.organization(o))
            .transpose()?
            .map(|o| o.code.clone()),
        kind: args.kind.as_deref().map(Kind::parse).transpose()?,
        segment: args.segment.as_deref().map(Segment::parse).transpose()?,
        min_confidentiality: level(daicho::Axis::Confidentiality, &args.min_confidentiality)?,
        min_integrity: level(daicho::Axis::Integrity, &args.min_integrity)?,
        min_availability: level(daicho::Axis::Availability, &args.min_availability)?,
        in_scope: match (args.in_scope, args.excluded) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        personal: args.personal.then_some(true),
        sensitive: args.sensitive.then_some(true),
        my_number: args.my_number.then_some(true),
        name_contains: args.name.clone(),
        disposed: match (args.include_disposed, args.only_disposed) {
            (true, _) => Disposed::Include,
            (_, true) => Disposed::Only,
            _ => Disposed::Exclude,
        },
    };
    let assets = register.assets(&filter)?;
    output::emit(
        ctx.format(),
        &output::asset_rows(policy, ctx.lang(), &assets),
        &AssetListRecord(&assets),
    )?;
    Ok(Status::Success)
}

pub(crate) fn edit(ctx: &Context, args: &EditArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let mut changes = fields::changes(register.policy(), &args.fields)?;
    changes.extend(fields::unset(&args.unset));
    let current = register.resolve(&args.asset)?;
    // Without a version the edit means "these fields, on whatever is
    // current"; the library applies them inside its write transaction.
    let updated = register.edit(current.id, args.expected_version, changes)?;
    if updated.version == current.version {
        eprintln_unchanged(&updated);
    }
    print_one(ctx, &register, &updated)
}

#[allow(clippy::print_stderr)]
fn eprintln_unchanged(asset: &Asset) {
    eprintln!(
        "note: nothing changed; `{}` stays at version {}",
        asset.name(),
        asset.version
    );
}

pub(crate) fn dispose(ctx: &Context, args: &DisposeArgs) -> anyhow::Result<Status> {
    let mut register = ctx.open()?;
    let current = register.resolve(&args.asset)?;
    let date = match &args.date {
        Some(text) => fields::cell("--date", text, parse_date(text))?.date,
        None => today_in_japan(),
    };
    let text = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let disposal = Disposal {
        date,
        person: args.person.trim().to_owned(),
        method: text(&args.method),
        approver: text(&args.approver),
        certificate: text(&args.certificate),
    };
    // As for `edit`: without a version, a disposal of whatever is current.
    let disposed = register.dispose(current.id, args.expected_version, disposal)?;
    print_one(ctx, &register, &disposed)
}

pub(crate) fn history(ctx: &Context, args: &ShowArgs) -> anyhow::Result<Status> {
    let register = ctx.open()?;
    let asset = register.resolve(&args.asset)?;
    let entries = register.history(asset.id)?;
    let lang = ctx.lang();
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["番号", "日時 (UTC)", "操作者", "操作", "変更内容"],
        Lang::En => ["seq", "at (UTC)", "actor", "action", "change"],
    });
    for entry in &entries {
        rows.push([
            entry.seq.to_string(),
            entry.at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            entry.actor.clone(),
            pick(lang, entry.action.label_ja(), entry.action.code()).to_owned(),
            describe_change(&register, &EntryChange::from(entry)),
        ]);
    }
    let json: Vec<HistoryRecord> = entries.iter().map(HistoryRecord::from).collect();
    output::emit(ctx.format(), &rows, &json)?;
    Ok(Status::Success)
}

/// One line for an audit entry: the changed fields, the link, or the risk assessment.
fn describe_change(register: &Register, change: &EntryChange) -> String {
    match change {
        EntryChange::Created { name } => name.clone().unwrap_or_else(|| "-".to_owned()),
        EntryChange::Fields(diffs) => diffs
            .iter()
            .map(|d| {
                format!(
                    "{}: {} → {}",
                    d.field,
                    value_text(&d.old),
                    value_text(&d.new)
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        EntryChange::Link { edit, link } => {
            let sign = match edit {
                LinkEdit::Added => "+ ",
                LinkEdit::Removed => "- ",
                LinkEdit::Changed => "",
            };
            // Links name their ends by id; show the names where the assets still exist.
            let name_of = |id: &str| {
                id.parse::<AssetId>()
                    .ok()
                    .and_then(|id| register.get(id).ok())
                    .map_or_else(|| id.to_owned(), |other| other.name().to_owned())
            };
            format!(
                "{sign}{} {} {}",
                name_of(&link.from),
                link.relation,
                name_of(&link.to)
            )
        }
        EntryChange::Assessment {
            threat,
            before,
            after,
        } => {
            let levels = |r: &daicho::RiskRating| format!("{}×{}", r.likelihood, r.vulnerability);
            match (before, after) {
                (Some(b), Some(a)) => format!("{threat}: {} → {}", levels(b), levels(a)),
                (None, Some(a)) => format!("+ {threat}: {}", levels(a)),
                _ => format!("- {threat}"),
            }
        }
        EntryChange::Unreadable => "-".to_owned(),
    }
}

/// A field's value in a change: `-` for none, text as it is, lists as JSON.
fn value_text(value: &FieldValue) -> String {
    match value {
        FieldValue::None => "-".to_owned(),
        FieldValue::Text(text) => text.clone(),
        FieldValue::Flag(flag) => flag.to_string(),
        FieldValue::Count(n) => n.to_string(),
        FieldValue::Codes(codes) => serde_json::to_string(codes).unwrap_or_default(),
        FieldValue::Pairs(pairs) => serde_json::to_string(pairs).unwrap_or_default(),
    }
}

/// Prints one asset with every field, and its links.
fn print_one(ctx: &Context, register: &Register, asset: &Asset) -> anyhow::Result<Status> {
    let policy = register.policy();
    let links = register.links_of(asset.id)?;
    let lang = ctx.lang();
    if ctx.format() == Format::Json {
        output::json(&ShownAssetRecord::new(asset, &links))?;
        return Ok(Status::Success);
    }
    let f = &asset.fields;
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["項目", "値"],
        Lang::En => ["field", "value"],
    });
    let level = |axis: daicho::Axis| {
        let level = f.classification.get(axis);
        policy.definition(level).map_or_else(
            || level.code().to_owned(),
            |def| pick(lang, &def.ja, &def.en).to_owned(),
        )
    };
    let yes_no = |value: bool| output::flag(lang, value).to_owned();
    let hosting = f.hosting.as_ref();
    let disposal = f.disposal.as_ref();
    let opt = |value: Option<&str>| value.unwrap_or_default().to_owned();
    let mut field =
        |ja: &str, en: &str, value: String| rows.push([pick(lang, ja, en).to_owned(), value]);
    field("資産ID", "id", asset.id.to_string());
    field(
        "種別",
        "kind",
        format!(
            "{} {}",
            f.kind.letter(),
            pick(lang, f.kind.label_ja(), f.kind.label_en())
        ),
    );
    field("資産名", "name", f.name.to_string());
    field(
        "所管",
        "organization",
        pick(
            lang,
            policy.organization_ja(&f.organization),
            policy.organization_en(&f.organization),
        )
        .to_owned(),
    );
    field("所属", "department", f.department.clone());
    field(
        "情報セキュリティ管理者",
        "manager",
        opt(f.manager.as_deref()),
    );
    field(
        "機密性",
        "confidentiality",
        level(daicho::Axis::Confidentiality),
    );
    field("完全性", "integrity", level(daicho::Axis::Integrity));
    field("可用性", "availability", level(daicho::Axis::Availability));
    field(
        "ネットワーク区分",
        "segment",
        f.segment
            .map(|s| pick(lang, s.label_ja(), s.label_en()).to_owned())
            .unwrap_or_default(),
    );
    field(
        "媒体",
        "medium",
        f.medium
            .map(|m| pick(lang, m.label_ja(), m.label_en()).to_owned())
            .unwrap_or_default(),
    );
    field("保管場所", "location", opt(f.location.as_deref()));
    field("個人情報", "personal", yes_no(f.personal_data.personal));
    field(
        "要配慮個人情報",
        "sensitive",
        yes_no(f.personal_data.sensitive),
    );
    field(
        "特定個人情報",
        "my number",
        yes_no(f.personal_data.my_number),
    );
    field(
        "件数",
        "records",
        f.record_count.map(|n| n.to_string()).unwrap_or_default(),
    );
    field(
        "管理策",
        "controls",
        f.controls
            .iter()
            .map(|code| {
                policy
                    .controls()
                    .iter()
                    .find(|c| &c.code == code)
                    .map_or(code.as_str(), |c| pick(lang, &c.ja, &c.en))
                    .to_owned()
            })
            .collect::<Vec<_>>()
            .join("、"),
    );
    field(
        "運用形態",
        "hosting",
        hosting
            .map(|h| pick(lang, h.kind.label_ja(), h.kind.label_en()).to_owned())
            .unwrap_or_default(),
    );
    field(
        "委託先",
        "provider",
        opt(hosting.and_then(|h| h.provider.as_deref())),
    );
    field(
        "契約番号",
        "contract",
        opt(hosting.and_then(|h| h.contract.as_deref())),
    );
    field(
        "保存期間",
        "retention",
        f.retention
            .map(|r| pick(lang, &r.label_ja(), &r.code()).to_owned())
            .unwrap_or_default(),
    );
    field(
        "適用除外",
        "excluded",
        output::exclusion_label(policy, lang, asset),
    );
    field(
        "点検日",
        "reviewed on",
        f.reviewed_on.map(|d| d.to_string()).unwrap_or_default(),
    );
    if let Some(d) = disposal {
        field("廃棄日", "disposed on", d.date.to_string());
        field("廃棄担当者", "disposed by", d.person.clone());
        field("廃棄方法", "disposal method", opt(d.method.as_deref()));
        field("廃棄承認者", "approved by", opt(d.approver.as_deref()));
        field("廃棄証明書", "certificate", opt(d.certificate.as_deref()));
    }
    field("備考", "notes", opt(f.notes.as_deref()));
    for (key, value) in f.extra.iter() {
        field(key, key, value.to_owned());
    }
    field("版", "version", asset.version.to_string());
    field("登録日時", "created", asset.created_at.to_string());
    field("更新日時", "updated", asset.updated_at.to_string());
    for link in &links {
        let (label, other) = if link.from == asset.id {
            (format!("→ {}", link.relation), link.to)
        } else {
            (format!("← {}", link.relation), link.from)
        };
        let other_name = register
            .get(other)
            .map_or_else(|_| other.to_string(), |a| a.name().to_owned());
        let sanitization = link
            .sanitization
            .map(|s| format!(" ({})", pick(lang, s.label_ja(), s.label_en())))
            .unwrap_or_default();
        field(&label, &label, format!("{other_name}{sanitization}"));
    }
    output::emit(ctx.format(), &rows, &serde_json::Value::Null)?;
    Ok(Status::Success)
}
