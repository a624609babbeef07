//! From cells to fields: the parsing of a row's cell texts into
//! [`AssetFields`], reporting every bad cell. The importer and the
//! store both read assets through [`parse_fields`]; a sheet may write codes
//! or labels, the store holds codes, and both are accepted the same way.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;

use super::Column;
use crate::error::Error;
use crate::model::{
    AssetFields, AssetName, Classification, Disposal, Extra, Hosting, HostingKind, Kind, Medium,
    PersonalData, Retention, Scope, Segment,
};
use crate::parse::{ParsedDate, parse_bool, parse_count, parse_date, split_multi};
use crate::policy::{Axis, ControlCode, ExclusionCode, Level, OrgCode, Policy};
use crate::table::vocabulary::parse_code;
use crate::text::Localized;

/// Where the problems of a row's cells go.
pub(crate) trait Issues {
    /// A cell that cannot be taken; `value` is the text at fault.
    fn error(&mut self, column: Column, value: &str, reason: Localized);
    /// A cell taken with a doubt worth reporting.
    fn warn(&mut self, column: Column, value: &str, reason: Localized);
    /// How reasons name a column: as the sheet's header wrote it.
    fn header(&self, column: Column) -> String {
        column.key().to_owned()
    }
}

/// Distinct cell texts remembered per column; more are parsed every time.
const MEMO_LIMIT: usize = 4096;

/// Parsed values by cell text: a sheet repeats a few spellings of each code
/// many times, and folding and NFKC cost more than a hash lookup.
struct Cache<T>(HashMap<Box<str>, T, foldhash::fast::RandomState>);

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Cache(HashMap::default())
    }
}

impl<T: Clone> Cache<T> {
    fn get<E>(&mut self, key: &str, parse: impl FnOnce(&str) -> Result<T, E>) -> Result<T, E> {
        if let Some(value) = self.0.get(key) {
            return Ok(value.clone());
        }
        let value = parse(key)?;
        if self.0.len() < MEMO_LIMIT {
            self.0.insert(key.into(), value.clone());
        }
        Ok(value)
    }
}

/// Parses cell texts against a policy, remembering what it parsed.
pub(crate) struct Resolver<'p> {
    policy: &'p Policy,
    kind: Cache<Kind>,
    organization: Cache<OrgCode>,
    levels: [Cache<Level>; 3],
    segment: Cache<Segment>,
    medium: Cache<Medium>,
    hosting: Cache<HostingKind>,
    retention: Cache<Retention>,
    exclusion: Cache<ExclusionCode>,
    controls: Cache<BTreeSet<ControlCode>>,
    dates: Cache<ParsedDate>,
}

impl<'p> Resolver<'p> {
    pub(crate) fn new(policy: &'p Policy) -> Self {
        Resolver {
            policy,
            kind: Cache::default(),
            organization: Cache::default(),
            levels: Default::default(),
            segment: Cache::default(),
            medium: Cache::default(),
            hosting: Cache::default(),
            retention: Cache::default(),
            exclusion: Cache::default(),
            controls: Cache::default(),
            dates: Cache::default(),
        }
    }

    pub(crate) fn policy(&self) -> &'p Policy {
        self.policy
    }

    /// The organization a cell names, if it names one.
    pub(crate) fn organization_code(&mut self, text: &str) -> Option<OrgCode> {
        let policy = self.policy;
        self.organization
            .get(text.trim(), |t| {
                policy.organization(t).map(|o| o.code.clone())
            })
            .ok()
    }
}

/// A cell parser's error as a reason, in both languages.
pub(crate) trait Reason {
    fn reason(&self) -> Localized;
}

impl Reason for Error {
    fn reason(&self) -> Localized {
        reason(self)
    }
}

impl Reason for crate::parse::BoolError {
    fn reason(&self) -> Localized {
        self.localized()
    }
}

impl Reason for crate::parse::CountError {
    fn reason(&self) -> Localized {
        self.localized()
    }
}

/// The reason part of a library error, without repeating the value.
pub(crate) fn reason(error: &Error) -> Localized {
    match error {
        Error::Invalid { reason, .. } => reason.clone(),
        Error::UnknownValue { .. } => crate::messages::unknown_reason(error),
        other => other.localized(),
    }
}

/// Free text: trimmed, and `None` when empty.
fn text_opt(cell: &str) -> Option<String> {
    let trimmed = cell.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// One row's parse: its cells, where problems go, and whether any was found.
struct Row<'r, G> {
    get: G,
    issues: &'r mut dyn Issues,
    ok: bool,
}

impl<'c, G: Fn(Column) -> &'c str> Row<'_, G> {
    fn fail(&mut self, column: Column, value: &str, reason: Localized) {
        self.issues.error(column, value, reason);
        self.ok = false;
    }

    fn check<T, E: Reason>(&mut self, column: Column, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(e) => {
                let text = (self.get)(column).trim();
                self.fail(column, text, e.reason());
                None
            }
        }
    }

    fn required<T, E: Reason>(
        &mut self,
        column: Column,
        parse: impl FnOnce(&'c str) -> Result<T, E>,
    ) -> Option<T> {
        let text = (self.get)(column);
        if text.trim().is_empty() {
            let reason = Localized::new(
                format!("`{}` は必須です", column.ja()),
                format!("`{}` is required", column.key()),
            );
            self.fail(column, "", reason);
            return None;
        }
        let result = parse(text);
        self.check(column, result)
    }

    fn optional<T, E: Reason>(
        &mut self,
        column: Column,
        parse: impl FnOnce(&'c str) -> Result<T, E>,
    ) -> Option<T> {
        let text = (self.get)(column);
        if text.trim().is_empty() {
            return None;
        }
        let result = parse(text);
        self.check(column, result)
    }

    fn flag(&mut self, column: Column) -> Option<bool> {
        let text = (self.get)(column);
        // The store's and the export's spellings, without folding.
        match text {
            "1" | "true" => return Some(true),
            "0" | "false" => return Some(false),
            _ => {}
        }
        if text.trim().is_empty() {
            return Some(false);
        }
        let result = parse_bool(text);
        self.check(column, result)
    }

    fn date(&mut self, resolver: &mut Resolver<'_>, column: Column) -> Option<Date> {
        let text = (self.get)(column);
        if text.trim().is_empty() {
            return None;
        }
        match resolver.dates.get(text, parse_date) {
            Ok(parsed) => {
                if let Some(warning) = parsed.warning {
                    self.issues.warn(column, text.trim(), warning.localized());
                }
                Some(parsed.date)
            }
            Err(e) => {
                self.fail(column, text.trim(), e.localized());
                None
            }
        }
    }
}

/// Parses a row's cell texts (`get` gives each column's, empty when the
/// row has none) into fields, reporting every bad cell to `issues`; `None`
/// when any was bad. The extra attributes are the caller's.
pub(crate) fn parse_fields<'c>(
    resolver: &mut Resolver<'_>,
    get: impl Fn(Column) -> &'c str,
    extra: Extra,
    issues: &mut dyn Issues,
) -> Option<AssetFields> {
    let policy = resolver.policy;
    let mut row = Row {
        get,
        issues,
        ok: true,
    };
    let kind = row.required(Column::Kind, |t| {
        resolver
            .kind
            .get(t, |t| parse_code(policy, "kind", t, Kind::parse))
    });
    let name = row.required(Column::Name, AssetName::new);
    let organization = row.required(Column::Organization, |t| {
        resolver
            .organization
            .get(t, |t| policy.organization(t).map(|o| o.code.clone()))
    });
    let [c, i, a] = &mut resolver.levels;
    let confidentiality = row.required(Column::Confidentiality, |t| {
        c.get(t, |t| policy.level(Axis::Confidentiality, t))
    });
    let integrity = row.required(Column::Integrity, |t| {
        i.get(t, |t| policy.level(Axis::Integrity, t))
    });
    let availability = row.required(Column::Availability, |t| {
        a.get(t, |t| policy.level(Axis::Availability, t))
    });
    let segment = row.optional(Column::Segment, |t| {
        resolver
            .segment
            .get(t, |t| parse_code(policy, "segment", t, Segment::parse))
    });
    let medium = row.optional(Column::Medium, |t| {
        resolver
            .medium
            .get(t, |t| parse_code(policy, "medium", t, Medium::parse))
    });
    let personal = row.flag(Column::Personal);
    let sensitive = row.flag(Column::Sensitive);
    let my_number = row.flag(Column::MyNumber);
    let record_count = row.optional(Column::RecordCount, parse_count);
    let controls = parse_controls(&mut row, resolver);
    let hosting = parse_hosting(&mut row, resolver);
    let retention = row.optional(Column::Retention, |t| {
        resolver.retention.get(t, Retention::parse)
    });
    let scope = match row.optional(Column::ExclusionReason, |t| {
        resolver
            .exclusion
            .get(t, |t| policy.exclusion(t).map(|e| e.code.clone()))
    }) {
        Some(code) => Scope::Excluded(code),
        None => Scope::InScope,
    };
    let reviewed_on = row.date(resolver, Column::ReviewedOn);
    let disposal = parse_disposal(&mut row, resolver);
    let notes = (row.get)(Column::Notes);
    let notes = (!notes.trim().is_empty()).then(|| notes.to_owned());
    if !row.ok {
        return None;
    }
    Some(AssetFields {
        kind: kind?,
        name: name?,
        // Width-folded: a number typed full-width is the same number.
        asset_number: text_opt((row.get)(Column::AssetNumber))
            .map(|number| crate::text::asset_number(&number)),
        organization: organization?,
        department: (row.get)(Column::Department).trim().to_owned(),
        manager: text_opt((row.get)(Column::Manager)),
        classification: Classification {
            confidentiality: confidentiality?,
            integrity: integrity?,
            availability: availability?,
        },
        segment,
        medium,
        location: text_opt((row.get)(Column::Location)),
        personal_data: PersonalData {
            personal: personal?,
            sensitive: sensitive?,
            my_number: my_number?,
        },
        record_count,
        controls,
        hosting,
        retention,
        scope,
        reviewed_on,
        disposal,
        notes,
        extra,
    })
}

/// The controls cell: codes or labels separated as [`split_multi`] splits
/// them; a part joined with `・` (アクセス制御・アクセスログ) is split there
/// too when every piece is a control.
fn parse_controls<'c, G: Fn(Column) -> &'c str>(
    row: &mut Row<'_, G>,
    resolver: &mut Resolver<'_>,
) -> BTreeSet<ControlCode> {
    let policy = resolver.policy;
    let cell = (row.get)(Column::Controls);
    if cell.trim().is_empty() {
        return BTreeSet::new();
    }
    let parsed = resolver.controls.get(cell, |cell| {
        let mut controls = BTreeSet::new();
        for part in split_multi(cell) {
            controls.extend(control_part(policy, part).map_err(drop)?);
        }
        Ok::<_, ()>(controls)
    });
    if let Ok(controls) = parsed {
        return controls;
    }
    // Report every part that is not a control, not only the first.
    for part in split_multi(cell) {
        if let Err((part, e)) = control_part(policy, part) {
            row.fail(Column::Controls, &part, reason(&e));
        }
    }
    BTreeSet::new()
}

/// One part of a controls cell: a control, or controls joined with `・`.
#[allow(
    clippy::result_large_err,
    reason = "the error is reported at once, never passed up"
)]
fn control_part(policy: &Policy, part: &str) -> Result<Vec<ControlCode>, (String, Error)> {
    match policy.control(part) {
        Ok(control) => Ok(vec![control.code.clone()]),
        Err(e) if part.contains('・') => part
            .split('・')
            .map(str::trim)
            .filter(|piece| !piece.is_empty())
            .map(|piece| policy.control(piece).map(|c| c.code.clone()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| (part.to_owned(), e)),
        Err(e) => Err((part.to_owned(), e)),
    }
}

/// The hosting kind with its provider and contract.
fn parse_hosting<'c, G: Fn(Column) -> &'c str>(
    row: &mut Row<'_, G>,
    resolver: &mut Resolver<'_>,
) -> Option<Hosting> {
    let policy = resolver.policy;
    let kind = row.optional(Column::Hosting, |t| {
        resolver
            .hosting
            .get(t, |t| parse_code(policy, "hosting", t, HostingKind::parse))
    });
    let provider = text_opt((row.get)(Column::Provider));
    let contract = text_opt((row.get)(Column::Contract));
    if kind.is_none()
        && (provider.is_some() || contract.is_some())
        && (row.get)(Column::Hosting).trim().is_empty()
    {
        let set = if provider.is_some() {
            Column::Provider
        } else {
            Column::Contract
        };
        let (set, hosting) = (row.issues.header(set), row.issues.header(Column::Hosting));
        let reason = Localized::new(
            format!("`{set}` があるので `{hosting}`（オンプレミス・外部委託・クラウド）が要ります"),
            format!("`{set}` is set, so `{hosting}` (on_premises, outsourced or cloud) is needed"),
        );
        row.fail(Column::Hosting, "", reason);
    }
    kind.map(|kind| Hosting {
        kind,
        provider,
        contract,
    })
}

/// The disposal record: its date, and who, how, approved by and certified.
fn parse_disposal<'c, G: Fn(Column) -> &'c str>(
    row: &mut Row<'_, G>,
    resolver: &mut Resolver<'_>,
) -> Option<Disposal> {
    let date = row.date(resolver, Column::DisposedOn);
    if date.is_none() && (row.get)(Column::DisposedOn).trim().is_empty() {
        let stray = [
            Column::DisposedBy,
            Column::DisposalMethod,
            Column::DisposalApprover,
            Column::DisposalCertificate,
        ]
        .into_iter()
        .find(|col| !(row.get)(*col).trim().is_empty());
        if let Some(col) = stray {
            let header = row.issues.header(col);
            let reason = Localized::new(
                format!("`{header}` があるので廃棄日が要ります"),
                format!("`{header}` is set, so the disposal date is needed"),
            );
            row.fail(Column::DisposedOn, "", reason);
        }
    }
    date.map(|date| Disposal {
        date,
        person: (row.get)(Column::DisposedBy).trim().to_owned(),
        method: text_opt((row.get)(Column::DisposalMethod)),
        approver: text_opt((row.get)(Column::DisposalApprover)),
        certificate: text_opt((row.get)(Column::DisposalCertificate)),
    })
}
