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
    /// The state after: a whole [`AssetRecord`], a [`LinkRecord`] or a
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
    /// The entry's states cannot be read as what its action changes.
    Unreadable,
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
    /// The field's name in [`AssetRecord`].
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::*;
    use crate::{
        AssetFields, AssetName, CheckOptions, Classification, Kind, Link, Policy, Register,
        Relation, Retention,
    };

    fn register() -> Register {
        let mut register = Register::in_memory(&Policy::niigata()).unwrap();
        register.set_actor("test").unwrap();
        register
    }

    fn fields(register: &Register, kind: &str, name: &str, c: &str) -> AssetFields {
        let policy = register.policy();
        let class = Classification::parse(policy, c, "2", "2").unwrap();
        let org = policy.organization("市長部局").unwrap().code.clone();
        AssetFields::new(
            Kind::parse(kind).unwrap(),
            AssetName::new(name).unwrap(),
            org,
            class,
        )
    }

    fn text(s: &str) -> FieldValue {
        FieldValue::Text(s.to_owned())
    }

    #[track_caller]
    fn check(entry: &AuditEntry, expect: &EntryChange) {
        assert_eq!(&EntryChange::from(entry), expect);
    }

    #[test]
    fn an_update_lists_the_fields_changed_set_and_cleared() {
        let mut register = register();
        let mut data = fields(&register, "イ", "住民記録", "3B");
        data.manager = Some("山田".to_owned());
        data.retention = Some(Retention::Permanent);
        let asset = register.add(data).unwrap();
        let mut data = asset.fields.clone();
        data.manager = Some("高橋".to_owned());
        data.notes = Some("メモ".to_owned());
        data.retention = None;
        data.personal_data.personal = true;
        register.update(asset.id, asset.version, data).unwrap();

        let history = register.history(asset.id).unwrap();
        check(
            &history[0],
            &EntryChange::Created {
                name: Some("住民記録".to_owned()),
            },
        );
        check(
            &history[1],
            &EntryChange::Fields(vec![
                FieldDiff {
                    field: "manager",
                    old: text("山田"),
                    new: text("高橋"),
                },
                FieldDiff {
                    field: "notes",
                    old: FieldValue::None,
                    new: text("メモ"),
                },
                FieldDiff {
                    field: "personal",
                    old: FieldValue::Flag(false),
                    new: FieldValue::Flag(true),
                },
                FieldDiff {
                    field: "retention",
                    old: text("permanent"),
                    new: FieldValue::None,
                },
            ]),
        );
    }

    #[test]
    fn a_link_entry_names_its_ends() {
        let mut register = register();
        let data = register
            .add(fields(&register, "イ", "住民記録", "3B"))
            .unwrap();
        let system = register
            .add(fields(&register, "ア", "住基システム", "3B"))
            .unwrap();
        register
            .link(Link::new(data.id, Relation::StoredOn, system.id))
            .unwrap();
        register
            .unlink(data.id, Relation::StoredOn, system.id)
            .unwrap();
        let link = LinkRecord {
            from: data.id.to_string(),
            relation: "stored_on".to_owned(),
            to: system.id.to_string(),
            sanitization: None,
        };
        let history = register.history(system.id).unwrap();
        assert_eq!(history.len(), 3);
        check(
            &history[1],
            &EntryChange::Link {
                edit: LinkEdit::Added,
                link: link.clone(),
            },
        );
        check(
            &history[2],
            &EntryChange::Link {
                edit: LinkEdit::Removed,
                link,
            },
        );
    }

    #[test]
    fn an_assessment_entry_has_its_ratings() {
        let mut register = register();
        let system = register
            .add(fields(&register, "ア", "住基システム", "3B"))
            .unwrap();
        register.assess(system.id, "intentional", 2, 3).unwrap();
        register.assess(system.id, "intentional", 3, 3).unwrap();
        register.unassess(system.id, "intentional").unwrap();
        let rating = |likelihood, vulnerability| {
            Some(RiskRating {
                likelihood,
                vulnerability,
            })
        };
        let assessment = |before, after| EntryChange::Assessment {
            threat: "intentional".to_owned(),
            before,
            after,
        };
        let history = register.history(system.id).unwrap();
        check(&history[1], &assessment(None, rating(2, 3)));
        check(&history[2], &assessment(rating(2, 3), rating(3, 3)));
        check(&history[3], &assessment(rating(3, 3), None));
    }

    /// An entry as the audit log stored it before it left out null, false
    /// and empty fields: whole records, which compare with the records
    /// stored without those fields as if they were there.
    #[test]
    fn entries_stored_whole_compare_with_entries_stored_without_empty_fields() {
        let whole = r#"{"id":"0196a2b0-0000-7000-8000-000000000001","kind":"information","name":"住民記録","organization":"mayor","department":"","manager":null,"confidentiality":"3B","integrity":"2","availability":"2","segment":null,"medium":null,"location":null,"personal":false,"sensitive":false,"my_number":false,"record_count":null,"controls":[],"hosting":null,"provider":null,"contract":null,"retention":"5","exclusion_reason":null,"reviewed_on":null,"disposed_on":null,"disposed_by":null,"disposal_method":null,"disposal_approver":null,"disposal_certificate":null,"notes":null,"extra":[],"version":1,"created_at":"2025-04-01T00:00:00Z","updated_at":"2025-04-01T00:00:00Z"}"#;
        let compact = r#"{"kind":"information","name":"住民記録","organization":"mayor","department":"","confidentiality":"3B","integrity":"2","availability":"2","controls":["mfa"],"extra":[["調達年度","R5"]],"version":2}"#;
        let entry = |before: &str, after: &str| AuditEntry {
            seq: 2,
            at: "2025-05-01T00:00:00Z".parse().unwrap(),
            actor: "test".to_owned(),
            action: Action::Update,
            asset_id: None,
            related_id: None,
            before: Some(before.to_owned()),
            after: Some(after.to_owned()),
            hash: [0; 32],
        };
        check(&entry(whole, whole), &EntryChange::Fields(Vec::new()));
        check(
            &entry(whole, compact),
            &EntryChange::Fields(vec![
                FieldDiff {
                    field: "controls",
                    old: FieldValue::Codes(Vec::new()),
                    new: FieldValue::Codes(vec!["mfa".to_owned()]),
                },
                FieldDiff {
                    field: "extra",
                    old: FieldValue::Pairs(Vec::new()),
                    new: FieldValue::Pairs(vec![("調達年度".to_owned(), "R5".to_owned())]),
                },
                FieldDiff {
                    field: "retention",
                    old: text("5"),
                    new: FieldValue::None,
                },
            ]),
        );
    }

    /// Serializing a record gives its keys in sorted order, as the CLI's
    /// JSON always had them.
    #[track_caller]
    fn assert_sorted<T: Serialize>(record: &T) {
        let direct = serde_json::to_string(record).unwrap();
        let sorted = serde_json::to_value(record).unwrap().to_string();
        assert_eq!(direct, sorted);
    }

    #[test]
    fn records_write_their_keys_sorted() {
        let mut register = register();
        let mut data = fields(&register, "イ", "住民記録", "3B");
        data.personal_data.my_number = true;
        let data = register.add(data).unwrap();
        let system = register
            .add(fields(&register, "ア", "住基システム", "2"))
            .unwrap();
        register
            .link(Link::new(data.id, Relation::StoredOn, system.id))
            .unwrap();
        register.assess(system.id, "intentional", 2, 3).unwrap();
        let options = CheckOptions::default();
        let report = register.check(&options).unwrap();
        assert!(!report.findings.is_empty());
        assert_sorted(&ReportRecord::from(&report));
        let explanation = register.explain(system.id).unwrap();
        assert_sorted(&ExplanationRecord::from(&explanation));
        assert_sorted(&SummaryRecord::from(&register.summary().unwrap()));
        assert_sorted(&VerificationRecord::from(&register.verify().unwrap()));
        assert_sorted(&RiskReportRecord::from(&register.risks().unwrap()));
        for entry in register.history(system.id).unwrap() {
            assert_sorted(&HistoryRecord::from(&entry));
        }
        let links = register.links_of(system.id).unwrap();
        assert_sorted(&ShownAssetRecord::new(&system, &links));
        assert_sorted(&AssetListRecord(&[data, system]));
        let policy = register.policy();
        for def in &policy.scale(crate::Axis::Confidentiality).levels {
            assert_sorted(&LevelRecord::from(def));
            for r in &def.restrictions {
                assert_sorted(&RestrictionRecord::new(def, r));
            }
        }
        for e in policy.exclusions() {
            assert_sorted(&ExclusionRecord::from(e));
        }
    }
}
