//! Records of the audit log: entries with their typed changes.

use serde::{Deserialize, Serialize};

use crate::audit::{Action, AuditEntry};
use crate::record::LinkRecord;
use crate::table::{CellKind, Column};

// The audit log.

/// One audit entry, with its before and after states as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryRecord<'a> {
    /// The action's code.
    pub action: &'static str,
    /// Who made the change.
    pub actor: &'a str,
    /// The state after: a whole [`AssetRecord`](crate::AssetRecord), a [`LinkRecord`] or a
    /// risk assessment.
    pub after: Option<serde_json::Value>,
    /// The asset changed (a link's source).
    pub asset_id: Option<String>,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The state before, like `after`.
    pub before: Option<serde_json::Value>,
    /// The entry's hash (hex).
    pub hash: String,
    /// The other asset, for links.
    pub related_id: Option<String>,
    /// The entry's position.
    pub seq: u64,
}

impl<'a> From<&'a AuditEntry> for HistoryRecord<'a> {
    fn from(entry: &'a AuditEntry) -> Self {
        let state = |json: &Option<String>| {
            json.as_deref()
                .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
        };
        HistoryRecord {
            action: entry.action.code(),
            actor: &entry.actor,
            after: state(&entry.after),
            asset_id: entry.asset_id.map(|id| id.to_string()),
            at: entry.at.to_string(),
            before: state(&entry.before),
            hash: hex::encode(entry.hash),
            related_id: entry.related_id.map(|id| id.to_string()),
            seq: entry.seq,
        }
    }
}

/// What an audit entry changed, read from its before and after states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryChange {
    /// An asset was added, with this name.
    Created {
        /// The name (none when the entry does not say it).
        name: Option<String>,
    },
    /// An asset's fields changed (an update or a disposal): the fields
    /// that differ, in the order of their names.
    Fields(Vec<FieldDiff>),
    /// A link was added, removed, or changed (its sanitization).
    Link {
        /// Added, removed or changed.
        edit: LinkEdit,
        /// The link, as it is after the change (before, when removed).
        link: LinkRecord,
    },
    /// A risk assessment was recorded, changed or removed.
    Assessment {
        /// The threat group's code.
        threat: String,
        /// The ratings before; none when it was recorded.
        before: Option<RiskRating>,
        /// The ratings after; none when it was removed.
        after: Option<RiskRating>,
    },
    /// An asset was deleted.
    Deleted {
        /// Its name (none when the entry does not say it).
        name: Option<String>,
        /// Why it was deleted.
        reason: Option<String>,
    },
    /// The register's policy was replaced.
    PolicySet {
        /// The policy before.
        before: PolicyStamp,
        /// The policy after.
        after: PolicyStamp,
    },
    /// A field of an earlier entry's payload was blanked (墨消し).
    Redaction {
        /// The entry redacted.
        entry: u64,
        /// The field blanked.
        field: String,
        /// Why.
        reason: String,
    },
    /// The register itself: created (with its policy) or restored from a
    /// backup (replacing a head); a recorded run of the self-inspection, a
    /// tracked finding, a 事務 and its evaluation; or a campaign (棚卸)
    /// started, attested or closed: the entry's record, as JSON.
    Register(String),
    /// An exception (例外措置) was recorded, or ended.
    Exception {
        /// The exception's number.
        id: i64,
        /// The rule it covers.
        rule: String,
        /// True when it was ended.
        ended: bool,
    },
    /// The entry's states cannot be read as what its action changes.
    Unreadable,
}

/// A policy as an audit entry names it: its name and SHA-256 (of the
/// resolved TOML the register stores).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyStamp {
    /// The policy's name.
    pub name: String,
    /// The SHA-256 of its resolved TOML, hex encoded.
    pub sha256: String,
}

/// A deletion's after state: why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DeletionReason {
    pub(crate) reason: String,
}

/// Exception entries store the exception's record.
#[derive(Deserialize)]
struct StoredException {
    id: i64,
    rule: String,
}

/// Whether a link was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkEdit {
    /// There was none before.
    Added,
    /// There is none after.
    Removed,
    /// It was there before and after.
    Changed,
}

/// The ratings of a risk assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct RiskRating {
    /// The threat's likelihood, 1–3.
    pub likelihood: u8,
    /// The vulnerability, 1–3.
    pub vulnerability: u8,
}

/// One field of an asset's record that an entry changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDiff {
    /// The field's name in [`AssetRecord`](crate::AssetRecord).
    pub field: &'static str,
    /// The value before.
    pub old: FieldValue,
    /// The value after.
    pub new: FieldValue,
}

/// The value of one field of an asset's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// Null, or missing from the stored record.
    None,
    /// Text or a code.
    Text(String),
    /// A flag.
    Flag(bool),
    /// A count.
    Count(u64),
    /// A list of codes (the controls).
    Codes(Vec<String>),
    /// Name and value pairs, in order (the extra attributes).
    Pairs(Vec<(String, String)>),
}

impl FieldValue {
    /// True for a value an asset's record may leave out: null, false,
    /// empty text or an empty list.
    pub fn is_empty(&self) -> bool {
        match self {
            FieldValue::None | FieldValue::Flag(false) => true,
            FieldValue::Text(s) => s.is_empty(),
            FieldValue::Codes(v) => v.is_empty(),
            FieldValue::Pairs(v) => v.is_empty(),
            FieldValue::Flag(true) | FieldValue::Count(_) => false,
        }
    }
}

impl From<Option<String>> for FieldValue {
    fn from(value: Option<String>) -> Self {
        value.map_or(FieldValue::None, FieldValue::Text)
    }
}

impl From<Option<bool>> for FieldValue {
    fn from(value: Option<bool>) -> Self {
        value.map_or(FieldValue::None, FieldValue::Flag)
    }
}

impl From<Option<u64>> for FieldValue {
    fn from(value: Option<u64>) -> Self {
        value.map_or(FieldValue::None, FieldValue::Count)
    }
}

impl From<Option<Vec<String>>> for FieldValue {
    fn from(value: Option<Vec<String>>) -> Self {
        value.map_or(FieldValue::None, FieldValue::Codes)
    }
}

impl From<Option<Vec<(String, String)>>> for FieldValue {
    fn from(value: Option<Vec<(String, String)>>) -> Self {
        value.map_or(FieldValue::None, FieldValue::Pairs)
    }
}

/// An asset's record as an entry stored it, whole or without its empty
/// fields, by key; `None` when the state is not an object.
fn stored_fields(json: Option<&str>) -> Option<serde_json::Map<String, serde_json::Value>> {
    match serde_json::from_str(json?) {
        Ok(serde_json::Value::Object(fields)) => Some(fields),
        _ => None,
    }
}

/// The value of one column in a stored record; a missing key is `None`.
fn stored_value(fields: &serde_json::Map<String, serde_json::Value>, column: Column) -> FieldValue {
    use serde_json::Value;
    let strings = |items: &Vec<Value>| -> Vec<String> {
        items
            .iter()
            .map(|item| item.as_str().unwrap_or_default().to_owned())
            .collect()
    };
    match fields.get(column.key()) {
        Some(Value::String(text)) => FieldValue::Text(text.clone()),
        Some(Value::Bool(flag)) => FieldValue::Flag(*flag),
        Some(Value::Number(n)) => n.as_u64().map_or(FieldValue::None, FieldValue::Count),
        Some(Value::Array(items)) if column.kind() == CellKind::Extra => FieldValue::Pairs(
            items
                .iter()
                .filter_map(|pair| match pair.as_array().map(Vec::as_slice) {
                    Some([key, value]) => Some((
                        key.as_str().unwrap_or_default().to_owned(),
                        value.as_str().unwrap_or_default().to_owned(),
                    )),
                    _ => None,
                })
                .collect(),
        ),
        Some(Value::Array(items)) => FieldValue::Codes(strings(items)),
        None | Some(Value::Null | Value::Object(_)) => FieldValue::None,
    }
}

/// The columns a change can move, by name: the id and the entry's own
/// version and times are left out.
fn changeable_columns() -> Vec<Column> {
    let mut columns: Vec<Column> = Column::ALL
        .iter()
        .copied()
        .filter(|c| {
            !matches!(
                c.kind(),
                CellKind::Id | CellKind::Version | CellKind::Timestamp
            )
        })
        .collect();
    columns.sort_by_key(|c| c.key());
    columns
}

/// The states of an entry read as `T`; a state that is not one counts as none.
fn states<T: for<'de> Deserialize<'de>>(entry: &AuditEntry) -> (Option<T>, Option<T>) {
    let read = |json: &Option<String>| json.as_deref().and_then(|s| serde_json::from_str(s).ok());
    (read(&entry.before), read(&entry.after))
}

/// Redaction entries store the entry redacted, the field and why.
#[derive(Deserialize)]
struct StoredRedaction {
    entry: u64,
    field: String,
    reason: String,
}

/// Assessment entries store the threat with its ratings.
#[derive(Deserialize)]
struct StoredAssessment {
    threat: String,
    #[serde(flatten)]
    rating: RiskRating,
}

impl From<&AuditEntry> for EntryChange {
    fn from(entry: &AuditEntry) -> Self {
        match entry.action {
            Action::Create | Action::Update | Action::Dispose => {
                let after = stored_fields(entry.after.as_deref());
                match stored_fields(entry.before.as_deref()) {
                    None => EntryChange::Created {
                        name: after.and_then(|a| {
                            a.get(Column::Name.key())
                                .and_then(|name| name.as_str())
                                .map(str::to_owned)
                        }),
                    },
                    Some(before) => {
                        let after = after.unwrap_or_default();
                        let diffs = changeable_columns()
                            .into_iter()
                            .map(|column| {
                                let old = stored_value(&before, column);
                                let new = stored_value(&after, column);
                                (column, old, new)
                            })
                            .filter(|(_, old, new)| {
                                old != new && !(old.is_empty() && new.is_empty())
                            })
                            .map(|(column, old, new)| FieldDiff {
                                field: column.key(),
                                old,
                                new,
                            })
                            .collect();
                        EntryChange::Fields(diffs)
                    }
                }
            }
            Action::Link | Action::Unlink => {
                let edit = match (&entry.before, &entry.after) {
                    (None, Some(_)) => LinkEdit::Added,
                    (Some(_), None) => LinkEdit::Removed,
                    _ => LinkEdit::Changed,
                };
                match states::<LinkRecord>(entry) {
                    (_, Some(link)) | (Some(link), None) => EntryChange::Link { edit, link },
                    (None, None) => EntryChange::Unreadable,
                }
            }
            Action::Delete => EntryChange::Deleted {
                name: stored_fields(entry.before.as_deref()).and_then(|before| {
                    before
                        .get(Column::Name.key())
                        .and_then(|name| name.as_str())
                        .map(str::to_owned)
                }),
                reason: states::<DeletionReason>(entry).1.map(|r| r.reason),
            },
            Action::PolicySet => match states::<PolicyStamp>(entry) {
                (Some(before), Some(after)) => EntryChange::PolicySet { before, after },
                _ => EntryChange::Unreadable,
            },
            Action::Redact => match states::<StoredRedaction>(entry) {
                (_, Some(r)) => EntryChange::Redaction {
                    entry: r.entry,
                    field: r.field,
                    reason: r.reason,
                },
                _ => EntryChange::Unreadable,
            },
            Action::Init
            | Action::Restore
            | Action::CheckRun
            | Action::Finding
            | Action::Pia
            | Action::CampaignStart
            | Action::Attest
            | Action::CampaignClose => entry
                .after
                .clone()
                .map_or(EntryChange::Unreadable, EntryChange::Register),
            Action::Assess => {
                let (before, after) = states::<StoredAssessment>(entry);
                match after.as_ref().or(before.as_ref()) {
                    Some(stored) => EntryChange::Assessment {
                        threat: stored.threat.clone(),
                        before: before.as_ref().map(|b| b.rating),
                        after: after.as_ref().map(|a| a.rating),
                    },
                    None => EntryChange::Unreadable,
                }
            }
            Action::Exception => match states::<StoredException>(entry) {
                (before, Some(after)) => EntryChange::Exception {
                    id: after.id,
                    rule: after.rule,
                    ended: before.is_some(),
                },
                _ => EntryChange::Unreadable,
            },
        }
    }
}
