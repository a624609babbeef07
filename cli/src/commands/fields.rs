//! Turning `--field value` options into asset fields, through the library's parsers.

use daicho::parse::{normalize_code, parse_bool, parse_count, parse_date, split_multi};
use std::collections::BTreeSet;

use daicho::{
    AssetFields, AssetName, Axis, Classification, FieldChange, HostingKind, Kind, Medium, Policy,
    Retention, Segment,
};

use crate::args::FieldArgs;
use crate::exit::user_error;

/// Builds new fields; kind, name, organization and the three levels are required.
pub(crate) fn new_fields(policy: &Policy, args: &FieldArgs) -> anyhow::Result<AssetFields> {
    let mut missing = Vec::new();
    for (flag, value) in [
        ("--kind", &args.kind),
        ("--name", &args.name),
        ("--organization", &args.organization),
        ("--confidentiality", &args.confidentiality),
        ("--integrity", &args.integrity),
        ("--availability", &args.availability),
    ] {
        if value.is_none() {
            missing.push(flag);
        }
    }
    if !missing.is_empty() {
        let (ja, en) = (missing.join("、"), missing.join(", "));
        user_error!("新しい資産には {ja} が要ります", "a new asset needs {en}");
    }
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let mut fields = AssetFields::new(
        Kind::parse(&text(&args.kind))?,
        AssetName::new(text(&args.name))?,
        policy.organization(&text(&args.organization))?.code.clone(),
        Classification::parse(
            policy,
            &text(&args.confidentiality),
            &text(&args.integrity),
            &text(&args.availability),
        )?,
    );
    fields.apply(changes(policy, args)?)?;
    Ok(fields)
}

/// The changes the options ask for, parsed against the policy.
#[expect(
    clippy::too_many_lines,
    reason = "one option per field of an asset, each parsed its own way"
)]
pub(crate) fn changes(policy: &Policy, args: &FieldArgs) -> anyhow::Result<Vec<FieldChange>> {
    let mut changes = Vec::new();
    if let Some(kind) = &args.kind {
        changes.push(FieldChange::Kind(Kind::parse(kind)?));
    }
    if let Some(name) = &args.name {
        changes.push(FieldChange::Name(AssetName::new(name.clone())?));
    }
    if let Some(number) = &args.asset_number {
        changes.push(FieldChange::AssetNumber(non_empty(number)));
    }
    if let Some(org) = &args.organization {
        changes.push(FieldChange::Organization(
            policy.organization(org)?.code.clone(),
        ));
    }
    if let Some(department) = &args.department {
        changes.push(FieldChange::Department(department.trim().to_owned()));
    }
    if let Some(manager) = &args.manager {
        changes.push(FieldChange::Manager(non_empty(manager)));
    }
    for (axis, value) in [
        (Axis::Confidentiality, &args.confidentiality),
        (Axis::Integrity, &args.integrity),
        (Axis::Availability, &args.availability),
    ] {
        if let Some(value) = value {
            changes.push(FieldChange::Level(policy.level(axis, value)?));
        }
    }
    if let Some(segment) = &args.segment {
        changes.push(FieldChange::Segment(Some(Segment::parse(segment)?)));
    }
    if let Some(medium) = &args.medium {
        changes.push(FieldChange::Medium(Some(Medium::parse(medium)?)));
    }
    if let Some(location) = &args.location {
        changes.push(FieldChange::Location(non_empty(location)));
    }
    if let Some(value) = &args.personal {
        changes.push(FieldChange::Personal(cell(
            "--personal",
            value,
            parse_bool(value),
        )?));
    }
    if let Some(value) = &args.sensitive {
        changes.push(FieldChange::Sensitive(cell(
            "--sensitive",
            value,
            parse_bool(value),
        )?));
    }
    if let Some(value) = &args.my_number {
        changes.push(FieldChange::MyNumber(cell(
            "--my-number",
            value,
            parse_bool(value),
        )?));
    }
    if let Some(count) = &args.record_count {
        changes.push(FieldChange::RecordCount(Some(cell(
            "--record-count",
            count,
            parse_count(count),
        )?)));
    }
    if let Some(controls) = &args.controls {
        let mut codes = BTreeSet::new();
        for control in split_multi(controls) {
            codes.insert(policy.control(control)?.code.clone());
        }
        changes.push(FieldChange::Controls(codes));
    }
    if let Some(hosting) = &args.hosting {
        changes.push(FieldChange::Hosting(Some(HostingKind::parse(hosting)?)));
    }
    if let Some(provider) = &args.provider {
        changes.push(FieldChange::Provider(non_empty(provider)));
    }
    if let Some(contract) = &args.contract {
        changes.push(FieldChange::Contract(non_empty(contract)));
    }
    if let Some(retention) = &args.retention {
        changes.push(FieldChange::Retention(Some(Retention::parse(retention)?)));
    }
    if let Some(reason) = &args.exclusion_reason {
        changes.push(FieldChange::Exclusion(Some(
            policy.exclusion(reason)?.code.clone(),
        )));
    }
    if let Some(date) = &args.reviewed_on {
        changes.push(FieldChange::ReviewedOn(Some(
            cell("--reviewed-on", date, parse_date(date))?.date,
        )));
    }
    if let Some(notes) = &args.notes {
        changes.push(FieldChange::Notes(non_empty(notes)));
    }
    for pair in &args.extra {
        let Some((key, value)) = pair.split_once('=') else {
            user_error!(
                "--extra `{pair}` は KEY=VALUE の形ではありません",
                "--extra `{pair}` is not KEY=VALUE"
            );
        };
        let key = key.trim();
        if key.is_empty() {
            user_error!(
                "--extra `{pair}` のキーが空です",
                "--extra `{pair}` has an empty key"
            );
        }
        changes.push(FieldChange::SetExtra(key.to_owned(), value.to_owned()));
    }
    Ok(changes)
}

/// The changes that clear optional fields by name; any other name is an
/// extra attribute's key.
pub(crate) fn unset(names: &[String]) -> Vec<FieldChange> {
    names
        .iter()
        .map(|name| match normalize_code(name).as_ref() {
            "manager" => FieldChange::Manager(None),
            "asset_number" | "asset-number" => FieldChange::AssetNumber(None),
            "segment" => FieldChange::Segment(None),
            "medium" => FieldChange::Medium(None),
            "location" => FieldChange::Location(None),
            "record_count" | "record-count" => FieldChange::RecordCount(None),
            "controls" => FieldChange::Controls(BTreeSet::new()),
            "hosting" => FieldChange::Hosting(None),
            "retention" => FieldChange::Retention(None),
            "exclusion_reason" | "exclusion-reason" | "scope" => FieldChange::Exclusion(None),
            "reviewed_on" | "reviewed-on" => FieldChange::ReviewedOn(None),
            "notes" => FieldChange::Notes(None),
            key => FieldChange::RemoveExtra(key.to_owned()),
        })
        .collect()
}

/// A cell parser's error, in both languages.
pub(crate) trait CellError {
    fn localized(&self) -> daicho::Localized;
}

impl CellError for daicho::parse::DateError {
    fn localized(&self) -> daicho::Localized {
        self.localized()
    }
}

impl CellError for daicho::parse::BoolError {
    fn localized(&self) -> daicho::Localized {
        self.localized()
    }
}

impl CellError for daicho::parse::CountError {
    fn localized(&self) -> daicho::Localized {
        self.localized()
    }
}

/// Turns a cell parser's error into a user error naming the option.
pub(crate) fn cell<T, E: CellError>(
    flag: &str,
    value: &str,
    parsed: Result<T, E>,
) -> anyhow::Result<T> {
    match parsed {
        Ok(value) => Ok(value),
        Err(err) => {
            let reason = err.localized();
            let (ja, en) = (&reason.ja, &reason.en);
            user_error!("{flag} `{value}`: {ja}", "{flag} `{value}`: {en}")
        }
    }
}

fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl CellError for daicho::Error {
    fn localized(&self) -> daicho::Localized {
        daicho::Error::localized(self)
    }
}
