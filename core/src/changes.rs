//! Every change between two moments, read off the audit log: one line per
//! changed field of an asset, and one per link, risk assessment, deletion,
//! exception or policy change, each with its time, actor and asset.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::audit::{Action, AuditEntry, entry};
use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::policy::OrgCode;
use crate::register::Register;
use crate::table::Column;
use crate::text::Lang;
use crate::wire::{EntryChange, FieldValue, LinkEdit, RiskRating};

/// Which changes [`Register::changes`] lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangesFilter {
    /// Changes at or after this moment.
    pub since: Option<Timestamp>,
    /// Changes before this moment.
    pub until: Option<Timestamp>,
    /// Changes to the assets of one organization (as the asset was then).
    pub organization: Option<OrgCode>,
    /// Changes to the assets of one section (所属; as the asset was then).
    pub department: Option<String>,
}

/// What a change line changed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChangedField {
    /// A field of an asset.
    Column(Column),
    /// A link from the asset.
    Link,
    /// A risk assessment of the asset, for a threat group (its code).
    Risk(String),
    /// The asset as a whole (added, deleted), or the register (its policy,
    /// an exception, a redaction, a restore).
    Whole,
}

impl ChangedField {
    /// How a person reads it: the column's header, or what was changed.
    pub fn label(&self, lang: Lang) -> String {
        match self {
            ChangedField::Column(column) => lang.pick(column.ja(), column.key()).to_owned(),
            ChangedField::Link => lang.pick("関連", "link").to_owned(),
            ChangedField::Risk(threat) => format!("{}: {threat}", lang.pick("リスク評価", "risk")),
            ChangedField::Whole => String::new(),
        }
    }

    /// The code the JSON record holds: a column's key, `link`, `risk:THREAT`, or none.
    pub fn code(&self) -> Option<String> {
        match self {
            ChangedField::Column(column) => Some(column.key().to_owned()),
            ChangedField::Link => Some("link".to_owned()),
            ChangedField::Risk(threat) => Some(format!("risk:{threat}")),
            ChangedField::Whole => None,
        }
    }
}

/// One change: an entry of the audit log, or one field of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeLine {
    /// The audit entry's number.
    pub seq: u64,
    /// When.
    pub at: Timestamp,
    /// Who.
    pub actor: String,
    /// What kind of change.
    pub action: Action,
    /// The asset changed (a link's source), if any.
    pub asset_id: Option<AssetId>,
    /// The asset's name then.
    pub asset_name: Option<String>,
    /// What changed.
    pub field: ChangedField,
    /// The value before, as text (codes as stored; empty for none).
    pub old: String,
    /// The value after, like `old`.
    pub new: String,
}

/// What the log said last of an asset: its name, organization and section.
#[derive(Debug, Clone, Default)]
struct Known {
    name: Option<String>,
    organization: Option<String>,
    department: Option<String>,
}

impl Register {
    /// The changes the filter selects, oldest first, read off the whole
    /// audit log (an asset's name and section are those it had at the
    /// change; a link's target is named as it was then). Entries that name
    /// no asset (the register's policy, a restore) are listed unless an
    /// organization or section is asked for.
    pub fn changes(&self, filter: &ChangesFilter) -> Result<Vec<ChangeLine>> {
        if let (Some(since), Some(until)) = (filter.since, filter.until)
            && until <= since
        {
            return Err(Error::invalid(
                "until",
                until.to_string(),
                format!("終わりは始まり（{since}）より後にしてください"),
                format!("the end must come after the start ({since})"),
            ));
        }
        let department = filter.department.as_deref().map(str::trim);
        let mut known: HashMap<AssetId, Known> = HashMap::new();
        let mut lines = Vec::new();
        let mut failure = None;
        self.db().read(|db| {
            db.each_entry(|seq, stored| {
                let Some(stored) = stored else {
                    failure = Some(Error::Corrupt {
                        what: format!("audit entry {seq} cannot be read"),
                    });
                    return false;
                };
                let entry = match entry(stored) {
                    Ok(entry) => entry,
                    Err(e) => {
                        failure = Some(e);
                        return false;
                    }
                };
                let about = remember(&mut known, &entry);
                let in_time = filter.since.is_none_or(|since| entry.at >= since)
                    && filter.until.is_none_or(|until| entry.at < until);
                let in_scope = match (&filter.organization, department) {
                    (None, None) => true,
                    (organization, department) => about.as_ref().is_some_and(|about| {
                        organization
                            .as_ref()
                            .is_none_or(|o| about.organization.as_deref() == Some(o.as_str()))
                            && department.is_none_or(|d| about.department.as_deref() == Some(d))
                    }),
                };
                if in_time && in_scope {
                    lines_of(
                        &entry,
                        about.as_ref().and_then(|a| a.name.as_deref()),
                        &known,
                        &mut lines,
                    );
                }
                true
            })
        })?;
        match failure {
            Some(e) => Err(e),
            None => Ok(lines),
        }
    }
}

/// Notes what an entry says of its asset, and returns the asset as the
/// entry concerns it (its state before, for a deletion).
fn remember(known: &mut HashMap<AssetId, Known>, entry: &AuditEntry) -> Option<Known> {
    let id = entry.asset_id?;
    let record = |json: &Option<String>| {
        json.as_deref()
            .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
            .map(|value| {
                let text = |column: Column| value[column.key()].as_str().map(str::to_owned);
                Known {
                    name: text(Column::Name),
                    organization: text(Column::Organization),
                    department: text(Column::Department),
                }
            })
    };
    match entry.action {
        Action::Create | Action::Update | Action::Dispose => {
            if let Some(after) = record(&entry.after) {
                known.insert(id, after);
            }
        }
        Action::Delete => return record(&entry.before).or_else(|| known.remove(&id)),
        _ => {}
    }
    known.get(&id).cloned()
}

/// The text of a field's value: codes as stored, lists joined by `;`.
fn value_text(value: &FieldValue) -> String {
    match value {
        FieldValue::None => String::new(),
        FieldValue::Text(text) => text.clone(),
        FieldValue::Flag(flag) => flag.to_string(),
        FieldValue::Count(n) => n.to_string(),
        FieldValue::Codes(codes) => codes.join(";"),
        FieldValue::Pairs(pairs) => pairs
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join(";"),
    }
}

fn lines_of(
    entry: &AuditEntry,
    name: Option<&str>,
    known: &HashMap<AssetId, Known>,
    lines: &mut Vec<ChangeLine>,
) {
    let mut push = |field: ChangedField, old: String, new: String| {
        lines.push(ChangeLine {
            seq: entry.seq,
            at: entry.at,
            actor: entry.actor.clone(),
            action: entry.action,
            asset_id: entry.asset_id,
            asset_name: name.map(str::to_owned),
            field,
            old,
            new,
        });
    };
    let rating = |r: &Option<RiskRating>| {
        r.map(|r| format!("{}×{}", r.likelihood, r.vulnerability))
            .unwrap_or_default()
    };
    match EntryChange::from(entry) {
        EntryChange::Created { name } => {
            push(ChangedField::Whole, String::new(), name.unwrap_or_default());
        }
        EntryChange::Fields(diffs) => {
            for diff in diffs {
                let column = Column::ALL.iter().copied().find(|c| c.key() == diff.field);
                if let Some(column) = column {
                    push(
                        ChangedField::Column(column),
                        value_text(&diff.old),
                        value_text(&diff.new),
                    );
                }
            }
        }
        EntryChange::Link { edit, link } => {
            let target = link
                .to
                .parse::<AssetId>()
                .ok()
                .and_then(|id| known.get(&id)?.name.clone())
                .unwrap_or_else(|| link.to.clone());
            let shown = match &link.sanitization {
                Some(sanitization) => format!("{} {target} ({sanitization})", link.relation),
                None => format!("{} {target}", link.relation),
            };
            match edit {
                LinkEdit::Added => push(ChangedField::Link, String::new(), shown),
                LinkEdit::Removed => push(ChangedField::Link, shown, String::new()),
                LinkEdit::Changed => push(ChangedField::Link, shown.clone(), shown),
            }
        }
        EntryChange::Assessment {
            threat,
            before,
            after,
        } => push(ChangedField::Risk(threat), rating(&before), rating(&after)),
        EntryChange::Deleted { name, reason } => push(
            ChangedField::Whole,
            name.unwrap_or_default(),
            reason.unwrap_or_default(),
        ),
        EntryChange::PolicySet { before, after } => {
            push(ChangedField::Whole, before.name, after.name);
        }
        EntryChange::Redaction {
            entry,
            field,
            reason,
        } => push(ChangedField::Whole, format!("#{entry} {field}"), reason),
        EntryChange::Exception { id, rule, ended } => {
            let shown = format!("#{id} {rule}");
            if ended {
                push(ChangedField::Whole, shown, String::new());
            } else {
                push(ChangedField::Whole, String::new(), shown);
            }
        }
        EntryChange::Register(_) | EntryChange::Unreadable => {
            push(ChangedField::Whole, String::new(), String::new());
        }
    }
}

/// A change line as JSON: its time in the reader's zone, with the offset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeRecord {
    /// The action's code.
    pub action: &'static str,
    /// Who.
    pub actor: String,
    /// The asset's id.
    pub asset_id: Option<String>,
    /// The asset's name then.
    pub asset_name: Option<String>,
    /// When, in the reader's time zone with its offset (RFC 3339).
    pub at: String,
    /// What changed: a column's key, `link`, `risk:THREAT`, or null for the whole.
    pub field: Option<String>,
    /// The value after.
    pub new: String,
    /// The value before.
    pub old: String,
    /// The audit entry's number.
    pub seq: u64,
}

impl ChangeRecord {
    /// The record of a line, its time shown in `zone`.
    pub fn new(line: &ChangeLine, zone: &TimeZone) -> Self {
        ChangeRecord {
            action: line.action.code(),
            actor: line.actor.clone(),
            asset_id: line.asset_id.map(|id| id.to_string()),
            asset_name: line.asset_name.clone(),
            at: local_time(line.at, zone),
            field: line.field.code(),
            new: line.new.clone(),
            old: line.old.clone(),
            seq: line.seq,
        }
    }
}

/// A moment in `zone`, to the second, with the offset (`2026-03-31T21:00:00+09:00`).
pub fn local_time(at: Timestamp, zone: &TimeZone) -> String {
    let offset = zone.to_offset(at);
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!(
        "{}{sign}{:02}:{:02}",
        offset.to_datetime(at).strftime("%Y-%m-%dT%H:%M:%S"),
        minutes / 60,
        minutes % 60
    )
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::model::{AssetFields, AssetName, Classification, FieldChange, Kind, Link, Relation};
    use crate::policy::Policy;

    fn japan() -> TimeZone {
        TimeZone::fixed(jiff::tz::offset(9))
    }

    fn noon(m: i8, d: i8) -> Timestamp {
        japan()
            .to_timestamp(date(2026, m, d).at(12, 0, 0, 0))
            .unwrap()
    }

    fn fields(register: &Register, name: &str, org: &str) -> AssetFields {
        let policy = register.policy();
        let mut fields = AssetFields::new(
            Kind::parse("ア").unwrap(),
            AssetName::new(name).unwrap(),
            policy.organization(org).unwrap().code.clone(),
            Classification::parse(policy, "3B", "2", "2").unwrap(),
        );
        fields.department = "情報政策課".to_owned();
        fields
    }

    #[test]
    fn changes_list_each_field_with_its_time_actor_and_asset_between_two_moments() -> Result<()> {
        let mut r = crate::test_backend::register(&Policy::niigata())?;
        r.set_actor("山田")?;
        r.set_clock(Some(noon(1, 10)));
        let server = r.add(fields(&r, "住基サーバ", "mayor"))?;
        let pump = r.add(fields(&r, "配水ポンプ制御", "waterworks"))?;
        r.set_clock(Some(noon(3, 2)));
        r.edit(
            server.id,
            None,
            [
                FieldChange::Department("市民課".to_owned()),
                FieldChange::Manager(Some("佐藤".to_owned())),
            ],
        )?;
        r.edit(
            pump.id,
            None,
            [FieldChange::Manager(Some("鈴木".to_owned()))],
        )?;
        r.link(Link::new(pump.id, Relation::ConnectsTo, server.id))?;
        r.set_clock(Some(noon(6, 1)));
        r.edit(server.id, None, [FieldChange::Manager(None)])?;

        let march = r.changes(&ChangesFilter {
            since: Some(noon(2, 1)),
            until: Some(noon(4, 1)),
            ..ChangesFilter::default()
        })?;
        let shown: Vec<(String, String, String, String)> = march
            .iter()
            .map(|l| {
                (
                    l.asset_name.clone().unwrap_or_default(),
                    l.field.label(Lang::Ja),
                    l.old.clone(),
                    l.new.clone(),
                )
            })
            .collect();
        let line = |a: &str, f: &str, o: &str, n: &str| {
            (a.to_owned(), f.to_owned(), o.to_owned(), n.to_owned())
        };
        assert_eq!(
            shown,
            [
                line("住基サーバ", "所属", "情報政策課", "市民課"),
                line("住基サーバ", "情報セキュリティ管理者", "", "佐藤"),
                line("配水ポンプ制御", "情報セキュリティ管理者", "", "鈴木"),
                line("配水ポンプ制御", "関連", "", "connects_to 住基サーバ"),
            ]
        );
        assert!(
            march
                .iter()
                .all(|l| l.actor == "山田" && l.at == noon(3, 2))
        );
        assert_eq!(
            ChangeRecord::new(&march[0], &japan()).at,
            "2026-03-02T12:00:00+09:00"
        );

        // The section as the asset was then: 情報政策課 until March, 市民課 after.
        let of = |department: &str| {
            r.changes(&ChangesFilter {
                department: Some(department.to_owned()),
                ..ChangesFilter::default()
            })
        };
        let policy_section: Vec<u64> = of("情報政策課")?.iter().map(|l| l.seq).collect();
        let citizens: Vec<(u64, String)> = of("市民課")?
            .iter()
            .map(|l| (l.seq, l.field.label(Lang::En)))
            .collect();
        assert_eq!(policy_section, [2, 3, 5, 6]);
        assert_eq!(
            citizens,
            [
                (4, "department".to_owned()),
                (4, "manager".to_owned()),
                (7, "manager".to_owned())
            ]
        );
        let water = r.changes(&ChangesFilter {
            organization: Some(r.policy().organization("水道局")?.code.clone()),
            since: Some(noon(2, 1)),
            ..ChangesFilter::default()
        })?;
        assert_eq!(water.len(), 2);

        let err = r
            .changes(&ChangesFilter {
                since: Some(noon(4, 1)),
                until: Some(noon(4, 1)),
                ..ChangesFilter::default()
            })
            .unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }), "{err}");
        Ok(())
    }
}
