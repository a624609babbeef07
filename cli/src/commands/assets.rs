//! `daicho add`, `show`, `list`, `edit`, `dispose`, `history`.

use daicho::parse::{parse_date, today_in_japan};
use daicho::{
    Asset, AssetId, AssetListRecord, Column, Disposal, Disposed, EntryChange, FieldValue, Filter,
    HistoryRecord, Kind, LinkEdit, Register, Segment, ShownAssetRecord, display_value,
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
    let register = ctx.open_read_only()?;
    let Some(asset) = resolve_or_list(ctx, &register, &args.asset)? else {
        return Ok(Status::Failure);
    };
    output::writing(&register, &args.out, ctx.format(), || {
        print_one(ctx, &register, &asset)
    })
}

/// The asset an argument names (an id or a unique name). When no asset has
/// the name but some have names containing it (folded: width, case and kana
/// do not matter), or several have the name, those are listed on stdout as
/// `list` lists them, with a note on stderr, and `None` is returned.
pub(crate) fn resolve_or_list(
    ctx: &Context,
    register: &Register,
    asset: &str,
) -> anyhow::Result<Option<Asset>> {
    let (name, matches) = match register.resolve(asset) {
        Ok(asset) => return Ok(Some(asset)),
        Err(daicho::Error::AmbiguousName { name, matches }) => (name, matches),
        Err(other) => return Err(other.into()),
    };
    let mut candidates = register.assets(&Filter {
        name_contains: Some(name.clone()),
        disposed: Disposed::Include,
        ..Filter::default()
    })?;
    if matches > 1 {
        candidates.retain(|a| a.name() == name);
    }
    if candidates.is_empty() {
        return Err(daicho::Error::AmbiguousName { name, matches }.into());
    }
    let shown = output::terminal_text(&name);
    let n = candidates.len();
    let note = match (ctx.lang(), matches) {
        (Lang::Ja, 0) => format!(
            "`{shown}` という名前の資産はありません。名前がこれを含む資産が {n} 件あります:"
        ),
        (Lang::Ja, _) => {
            format!("`{shown}` という名前の資産が {n} 件あります。資産IDで指定してください:")
        }
        (Lang::En, 0) => format!(
            "no asset named `{shown}`; {n} {} names containing it:",
            if n == 1 { "asset has" } else { "assets have" }
        ),
        (Lang::En, _) => format!("more than one asset named `{shown}`; name one by its id:"),
    };
    #[allow(clippy::print_stderr, reason = "the note is a diagnostic")]
    {
        eprintln!("{} {note}", pick(ctx.lang(), "エラー:", "error:"));
    }
    output::emit(
        ctx.format(),
        &output::asset_rows(register.policy(), ctx.lang(), &candidates),
        &AssetListRecord(&candidates),
    )?;
    Ok(None)
}

pub(crate) fn list(ctx: &Context, args: &ListArgs) -> anyhow::Result<Status> {
    let register = ctx.open_as_of(&args.as_of)?;
    output::writing(&register, &args.out, ctx.format(), || {
        list_to(ctx, &register, args)
    })
}

fn list_to(ctx: &Context, register: &Register, args: &ListArgs) -> anyhow::Result<Status> {
    let policy = register.policy();
    let level =
        |axis, value: &Option<String>| value.as_deref().map(|v| policy.level(axis, v)).transpose();
    let day = |flag: &str, text: &str| -> anyhow::Result<_> {
        Ok(fields::cell(flag, text, parse_date(text))?.date)
    };
    let filter = Filter {
        organization: args
            .organization
            .as_deref()
            .map(|o| policy.organization(o))
            .transpose()?
            .map(|o| o.code.clone()),
        department: args.department.clone(),
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
        manager: args.manager.clone(),
        reviewed_before: args
            .reviewed_before
            .as_deref()
            .map(|text| day("--reviewed-before", text))
            .transpose()?,
        updated_since: args
            .updated_since
            .as_deref()
            .map(|text| -> anyhow::Result<_> {
                Ok(daicho::start_of_day(
                    day("--updated-since", text)?,
                    &daicho::local_time_zone(),
                )?)
            })
            .transpose()?,
    };
    if ctx.format() == Format::Json {
        // Each asset is written as it comes, so that memory does not grow
        // with the matches (issue 17).
        output::json_assets(|write| register.for_each_asset_ordered(&filter, write))?;
        return Ok(Status::Success);
    }
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
        eprintln_unchanged(ctx.lang(), &updated);
    }
    print_one(ctx, &register, &updated)
}

#[allow(clippy::print_stderr)]
fn eprintln_unchanged(lang: Lang, asset: &Asset) {
    let (name, version) = (asset.name(), asset.version);
    match lang {
        Lang::Ja => eprintln!("注: 変更はありません。`{name}` は版 {version} のままです"),
        Lang::En => eprintln!("note: nothing changed; `{name}` stays at version {version}"),
    }
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
    let register = ctx.open_read_only()?;
    output::writing(&register, &args.out, ctx.format(), || {
        history_to(ctx, &register, args)
    })
}

fn history_to(ctx: &Context, register: &Register, args: &ShowArgs) -> anyhow::Result<Status> {
    // A deleted asset's history is found by its id.
    let id = match args.asset.parse::<AssetId>() {
        Ok(id) => id,
        Err(_) => register.resolve(&args.asset)?.id,
    };
    let entries = register.history(id)?;
    let lang = ctx.lang();
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["番号", "日時", "操作者", "操作", "変更内容"],
        Lang::En => ["seq", "at", "actor", "action", "change"],
    });
    for entry in &entries {
        rows.push([
            entry.seq.to_string(),
            output::local_time(entry.at),
            entry.actor.clone(),
            pick(lang, entry.action.label_ja(), entry.action.code()).to_owned(),
            describe_change(register, lang, &EntryChange::from(entry)),
        ]);
    }
    let json: Vec<HistoryRecord> = entries.iter().map(HistoryRecord::from).collect();
    output::emit(ctx.format(), &rows, &json)?;
    Ok(Status::Success)
}

/// One line for an audit entry: the changed fields, the link, or the risk assessment.
fn describe_change(register: &Register, lang: Lang, change: &EntryChange) -> String {
    match change {
        EntryChange::Created { name } => name.clone().unwrap_or_else(|| "-".to_owned()),
        EntryChange::Fields(diffs) => diffs
            .iter()
            .map(|d| {
                format!(
                    "{}: {} → {}",
                    field_label(lang, d.field),
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
        EntryChange::Deleted { name, reason } => format!(
            "{}: {}",
            name.as_deref().unwrap_or("-"),
            reason.as_deref().unwrap_or("-")
        ),
        EntryChange::PolicySet { before, after } => format!(
            "{} ({}) → {} ({})",
            before.name,
            &before.sha256[..before.sha256.len().min(12)],
            after.name,
            &after.sha256[..after.sha256.len().min(12)]
        ),
        EntryChange::Redaction {
            entry,
            field,
            reason,
        } => format!("#{entry} {field}: {reason}"),
        EntryChange::Register(record) => record.clone(),
        EntryChange::Exception { id, rule, ended } => {
            format!("{}例外措置 #{id} {rule}", if *ended { "- " } else { "+ " })
        }
        EntryChange::Unreadable => "-".to_owned(),
    }
}

/// A field as a person reads it: its column's Japanese header under
/// `--lang ja`, its key otherwise (and for a field the table does not know).
fn field_label(lang: Lang, field: &str) -> &str {
    match lang {
        Lang::Ja => Column::ALL
            .iter()
            .find(|column| column.key() == field)
            .map_or(field, |column| column.ja()),
        Lang::En => field,
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
    let mut rows = Rows::new(match lang {
        Lang::Ja => ["項目", "値"],
        Lang::En => ["field", "value"],
    });
    for &column in Column::ALL {
        let disposal_column = matches!(
            column,
            Column::DisposedOn
                | Column::DisposedBy
                | Column::DisposalMethod
                | Column::DisposalApprover
                | Column::DisposalCertificate
        );
        if disposal_column && !asset.is_disposed() {
            continue;
        }
        if column == Column::Extra {
            for (key, value) in asset.fields.extra.iter() {
                rows.push([key.to_owned(), value.to_owned()]);
            }
            continue;
        }
        rows.push([
            column.label(lang.into()).to_owned(),
            display_value(policy, asset, column, lang.into()),
        ]);
    }
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
        rows.push([label, format!("{other_name}{sanitization}")]);
    }
    output::emit(ctx.format(), &rows, &serde_json::Value::Null)?;
    Ok(Status::Success)
}
