//! Turning `--field value` options into asset fields, through the library's parsers.

use daicho::parse::{normalize_code, parse_bool, parse_count, parse_date, split_multi};
use daicho::{
    AssetFields, AssetName, Axis, Classification, Hosting, HostingKind, Kind, Medium, Policy,
    Retention, Scope, Segment,
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
        user_error!("a new asset needs {}", missing.join(", "));
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
    apply(policy, &mut fields, args)?;
    Ok(fields)
}

/// Sets every field given in `args`.
pub(crate) fn apply(
    policy: &Policy,
    fields: &mut AssetFields,
    args: &FieldArgs,
) -> anyhow::Result<()> {
    if let Some(kind) = &args.kind {
        fields.kind = Kind::parse(kind)?;
    }
    if let Some(name) = &args.name {
        fields.name = AssetName::new(name.clone())?;
    }
    if let Some(org) = &args.organization {
        fields.organization = policy.organization(org)?.code.clone();
    }
    if let Some(department) = &args.department {
        department.trim().clone_into(&mut fields.department);
    }
    if let Some(manager) = &args.manager {
        fields.manager = non_empty(manager);
    }
    for (axis, value) in [
        (Axis::Confidentiality, &args.confidentiality),
        (Axis::Integrity, &args.integrity),
        (Axis::Availability, &args.availability),
    ] {
        if let Some(value) = value {
            *fields.classification.get_mut(axis) = policy.level(axis, value)?;
        }
    }
    if let Some(segment) = &args.segment {
        fields.segment = Some(Segment::parse(segment)?);
    }
    if let Some(medium) = &args.medium {
        fields.medium = Some(Medium::parse(medium)?);
    }
    if let Some(location) = &args.location {
        fields.location = non_empty(location);
    }
    for (flag, value, target) in [
        (
            "--personal",
            &args.personal,
            &mut fields.personal_data.personal,
        ),
        (
            "--sensitive",
            &args.sensitive,
            &mut fields.personal_data.sensitive,
        ),
        (
            "--my-number",
            &args.my_number,
            &mut fields.personal_data.my_number,
        ),
    ] {
        if let Some(value) = value {
            *target = cell(flag, value, parse_bool(value))?;
        }
    }
    if let Some(count) = &args.record_count {
        fields.record_count = Some(cell("--record-count", count, parse_count(count))?);
    }
    if let Some(controls) = &args.controls {
        fields.controls.clear();
        for control in split_multi(controls) {
            fields
                .controls
                .insert(policy.control(control)?.code.clone());
        }
    }
    if args.hosting.is_some() || args.provider.is_some() || args.contract.is_some() {
        let kind = match &args.hosting {
            Some(kind) => HostingKind::parse(kind)?,
            None => match &fields.hosting {
                Some(hosting) => hosting.kind,
                None => user_error!(
                    "--provider and --contract need --hosting (on_premises, outsourced, cloud)"
                ),
            },
        };
        let previous = fields.hosting.take();
        fields.hosting = Some(Hosting {
            kind,
            provider: args.provider.as_deref().map_or_else(
                || previous.as_ref().and_then(|h| h.provider.clone()),
                non_empty,
            ),
            contract: args.contract.as_deref().map_or_else(
                || previous.as_ref().and_then(|h| h.contract.clone()),
                non_empty,
            ),
        });
    }
    if let Some(retention) = &args.retention {
        fields.retention = Some(Retention::parse(retention)?);
    }
    if let Some(reason) = &args.exclusion_reason {
        fields.scope = Scope::Excluded(policy.exclusion(reason)?.code.clone());
    }
    if let Some(date) = &args.reviewed_on {
        fields.reviewed_on = Some(cell("--reviewed-on", date, parse_date(date))?.date);
    }
    if let Some(notes) = &args.notes {
        fields.notes = non_empty(notes);
    }
    for pair in &args.extra {
        let Some((key, value)) = pair.split_once('=') else {
            user_error!("--extra `{pair}` is not KEY=VALUE");
        };
        let key = key.trim();
        if key.is_empty() {
            user_error!("--extra `{pair}` has an empty key");
        }
        fields.extra.insert(key, value);
    }
    Ok(())
}

/// Clears optional fields by name; an unknown name may be an extra attribute's key.
pub(crate) fn unset(fields: &mut AssetFields, names: &[String]) -> anyhow::Result<()> {
    for name in names {
        match normalize_code(name).as_ref() {
            "manager" => fields.manager = None,
            "segment" => fields.segment = None,
            "medium" => fields.medium = None,
            "location" => fields.location = None,
            "record_count" | "record-count" => fields.record_count = None,
            "controls" => fields.controls.clear(),
            "hosting" => fields.hosting = None,
            "retention" => fields.retention = None,
            "exclusion_reason" | "exclusion-reason" | "scope" => fields.scope = Scope::InScope,
            "reviewed_on" | "reviewed-on" => fields.reviewed_on = None,
            "notes" => fields.notes = None,
            key => {
                if fields.extra.remove(key).is_none() {
                    user_error!(
                        "--unset `{name}`: not an optional field or an extra attribute of this asset"
                    );
                }
            }
        }
    }
    Ok(())
}

/// Turns a cell parser's error into a user error naming the option.
pub(crate) fn cell<T, E: std::fmt::Display>(
    flag: &str,
    value: &str,
    parsed: Result<T, E>,
) -> anyhow::Result<T> {
    match parsed {
        Ok(value) => Ok(value),
        Err(err) => user_error!("{flag} `{value}`: {err}"),
    }
}

fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}
