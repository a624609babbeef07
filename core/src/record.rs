//! Flat, serializable records of assets and links: the JSON wire format of
//! the audit log, the CLI's `--format json` and the Python `to_records()`.
//!
//! The audit log stores an asset's record without its null, false and empty
//! fields, and without what the entry says itself (the asset's id, the
//! entry's time as a timestamp, version 1) ([`audit_json`]): half as much to
//! hash and to store. Reading the log ([`expand_audit_json`]) puts them
//! back, so readers always see whole records.
//!
//! Coded fields are written as their canonical codes; labels are left to
//! whoever shows them.

use serde::{Deserialize, Serialize};

use crate::model::{Asset, AssetId, Link, Medium, Retention, Segment};
use crate::policy::{ControlCode, ExclusionCode};

/// An asset as a flat record of codes and text. Fields that may be null,
/// false or empty may also be missing when it is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetRecord {
    /// The id (hyphenated UUID).
    pub id: String,
    /// `network_system`, `information` or `system_document`.
    pub kind: String,
    /// The name.
    pub name: String,
    /// The organization's code.
    pub organization: String,
    /// The section.
    pub department: String,
    /// The 情報セキュリティ管理者.
    #[serde(default)]
    pub manager: Option<String>,
    /// The confidentiality level's code.
    pub confidentiality: String,
    /// The integrity level's code.
    pub integrity: String,
    /// The availability level's code.
    pub availability: String,
    /// The segment's code.
    #[serde(default)]
    pub segment: Option<String>,
    /// The medium's code.
    #[serde(default)]
    pub medium: Option<String>,
    /// Where it is stored.
    #[serde(default)]
    pub location: Option<String>,
    /// 個人情報.
    #[serde(default)]
    pub personal: bool,
    /// 要配慮個人情報.
    #[serde(default)]
    pub sensitive: bool,
    /// 特定個人情報.
    #[serde(default)]
    pub my_number: bool,
    /// 件数.
    #[serde(default)]
    pub record_count: Option<u64>,
    /// The control codes, sorted.
    #[serde(default)]
    pub controls: Vec<String>,
    /// `on_premises`, `outsourced` or `cloud`.
    #[serde(default)]
    pub hosting: Option<String>,
    /// The provider.
    #[serde(default)]
    pub provider: Option<String>,
    /// The contract reference.
    #[serde(default)]
    pub contract: Option<String>,
    /// The retention code (`5`, `under_one_year`, `permanent`).
    #[serde(default)]
    pub retention: Option<String>,
    /// The exclusion reason's code; none when in scope.
    #[serde(default)]
    pub exclusion_reason: Option<String>,
    /// The last review date (ISO).
    #[serde(default)]
    pub reviewed_on: Option<String>,
    /// The disposal date (ISO).
    #[serde(default)]
    pub disposed_on: Option<String>,
    /// Who disposed of it.
    #[serde(default)]
    pub disposed_by: Option<String>,
    /// How.
    #[serde(default)]
    pub disposal_method: Option<String>,
    /// Who approved it.
    #[serde(default)]
    pub disposal_approver: Option<String>,
    /// The certificate reference.
    #[serde(default)]
    pub disposal_certificate: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// City-specific attributes, in order.
    #[serde(default)]
    pub extra: Vec<(String, String)>,
    /// The version.
    pub version: u64,
    /// When it was added (RFC 3339, UTC).
    pub created_at: String,
    /// When it last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl From<&Asset> for AssetRecord {
    fn from(asset: &Asset) -> Self {
        let f = &asset.fields;
        let disposal = f.disposal.as_ref();
        let hosting = f.hosting.as_ref();
        AssetRecord {
            id: asset.id.to_string(),
            kind: f.kind.code().to_owned(),
            name: f.name.as_str().to_owned(),
            organization: f.organization.as_str().to_owned(),
            department: f.department.clone(),
            manager: f.manager.clone(),
            confidentiality: f.classification.confidentiality.code().to_owned(),
            integrity: f.classification.integrity.code().to_owned(),
            availability: f.classification.availability.code().to_owned(),
            segment: f.segment.map(|s| s.code().to_owned()),
            medium: f.medium.map(|m| m.code().to_owned()),
            location: f.location.clone(),
            personal: f.personal_data.personal,
            sensitive: f.personal_data.sensitive,
            my_number: f.personal_data.my_number,
            record_count: f.record_count,
            controls: f.controls.iter().map(|c| c.as_str().to_owned()).collect(),
            hosting: hosting.map(|h| h.kind.code().to_owned()),
            provider: hosting.and_then(|h| h.provider.clone()),
            contract: hosting.and_then(|h| h.contract.clone()),
            retention: f.retention.map(crate::model::Retention::code),
            exclusion_reason: f.scope.exclusion().map(|e| e.as_str().to_owned()),
            reviewed_on: f.reviewed_on.map(|d| d.to_string()),
            disposed_on: disposal.map(|d| d.date.to_string()),
            disposed_by: disposal.map(|d| d.person.clone()),
            disposal_method: disposal.and_then(|d| d.method.clone()),
            disposal_approver: disposal.and_then(|d| d.approver.clone()),
            disposal_certificate: disposal.and_then(|d| d.certificate.clone()),
            notes: f.notes.clone(),
            extra: f
                .extra
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            version: asset.version,
            created_at: asset.created_at.to_string(),
            updated_at: asset.updated_at.to_string(),
        }
    }
}

/// A link as a flat record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRecord {
    /// The source asset's id.
    pub from: String,
    /// The relation's code.
    pub relation: String,
    /// The target asset's id.
    pub to: String,
    /// The sanitization's code, for transfers.
    pub sanitization: Option<String>,
}

impl From<&Link> for LinkRecord {
    fn from(link: &Link) -> Self {
        LinkRecord {
            from: link.from.to_string(),
            relation: link.relation.code().to_owned(),
            to: link.to.to_string(),
            sanitization: link.sanitization.map(|s| s.code().to_owned()),
        }
    }
}

/// Serializes a record to compact JSON; records of plain strings, numbers
/// and booleans always serialize.
pub(crate) fn to_json<T: Serialize>(record: &T) -> String {
    serde_json::to_string(record).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// An asset's record as the audit log stores it: [`AssetRecord`]'s fields,
/// in its order, borrowed from the asset, less those that are null, false
/// or empty, or that the entry says itself.
#[derive(Serialize)]
struct StoredAsset<'a> {
    kind: &'a str,
    name: &'a str,
    organization: &'a str,
    department: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    manager: Option<&'a str>,
    confidentiality: &'a str,
    integrity: &'a str,
    availability: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    segment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    medium: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    #[serde(skip_serializing_if = "is_false")]
    personal: bool,
    #[serde(skip_serializing_if = "is_false")]
    sensitive: bool,
    #[serde(skip_serializing_if = "is_false")]
    my_number: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    record_count: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    controls: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hosting: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    contract: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retention: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclusion_reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reviewed_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disposed_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disposed_by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disposal_method: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disposal_approver: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    disposal_certificate: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extra: Vec<(&'a str, &'a str)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_at: Option<&'a str>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde passes a reference
fn is_false(value: &bool) -> bool {
    !*value
}

/// An asset's record as the audit log stores it in an entry about the
/// asset made at `entry_at` (the entry's `at`, as stored).
pub(crate) fn audit_json(asset: &Asset, entry_at: &str) -> String {
    let created_at = asset.created_at.to_string();
    if asset.updated_at == asset.created_at {
        audit_json_at(asset, &created_at, &created_at, entry_at)
    } else {
        audit_json_at(asset, &created_at, &asset.updated_at.to_string(), entry_at)
    }
}

/// [`audit_json`] with the asset's timestamps already formatted (a bulk
/// import formats its one time once).
pub(crate) fn audit_json_at(
    asset: &Asset,
    created_at: &str,
    updated_at: &str,
    entry_at: &str,
) -> String {
    let f = &asset.fields;
    let hosting = f.hosting.as_ref();
    let disposal = f.disposal.as_ref();
    let stored = StoredAsset {
        kind: f.kind.code(),
        name: f.name.as_str(),
        organization: f.organization.as_str(),
        department: &f.department,
        manager: f.manager.as_deref(),
        confidentiality: f.classification.confidentiality.code(),
        integrity: f.classification.integrity.code(),
        availability: f.classification.availability.code(),
        segment: f.segment.map(Segment::code),
        medium: f.medium.map(Medium::code),
        location: f.location.as_deref(),
        personal: f.personal_data.personal,
        sensitive: f.personal_data.sensitive,
        my_number: f.personal_data.my_number,
        record_count: f.record_count,
        controls: f.controls.iter().map(ControlCode::as_str).collect(),
        hosting: hosting.map(|h| h.kind.code()),
        provider: hosting.and_then(|h| h.provider.as_deref()),
        contract: hosting.and_then(|h| h.contract.as_deref()),
        retention: f.retention.map(Retention::code),
        exclusion_reason: f.scope.exclusion().map(ExclusionCode::as_str),
        reviewed_on: f.reviewed_on.map(|d| d.to_string()),
        disposed_on: disposal.map(|d| d.date.to_string()),
        disposed_by: disposal.map(|d| d.person.as_str()),
        disposal_method: disposal.and_then(|d| d.method.as_deref()),
        disposal_approver: disposal.and_then(|d| d.approver.as_deref()),
        disposal_certificate: disposal.and_then(|d| d.certificate.as_deref()),
        notes: f.notes.as_deref(),
        extra: f.extra.iter().collect(),
        version: (asset.version != 1).then_some(asset.version),
        created_at: (created_at != entry_at).then_some(created_at),
        updated_at: (updated_at != entry_at).then_some(updated_at),
    };
    to_json(&stored)
}

/// The whole [`AssetRecord`] JSON of an asset's record read from an audit
/// entry about `asset_id` made at `entry_at`; text that is not an asset's
/// record is returned as it is.
pub(crate) fn expand_audit_json(json: String, asset_id: Option<AssetId>, entry_at: &str) -> String {
    let Ok(serde_json::Value::Object(mut stored)) = serde_json::from_str(&json) else {
        return json;
    };
    if let Some(id) = asset_id {
        stored.entry("id").or_insert_with(|| id.to_string().into());
    }
    stored.entry("version").or_insert_with(|| 1.into());
    for time in ["created_at", "updated_at"] {
        stored.entry(time).or_insert_with(|| entry_at.into());
    }
    match serde_json::from_value::<AssetRecord>(serde_json::Value::Object(stored)) {
        Ok(record) => to_json(&record),
        Err(_) => json,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Disposed, Filter, Policy, Register, sheet::ImportOptions};

    /// Two assets, one with every field set and one with as few as allowed.
    fn assets() -> Vec<Asset> {
        let mut register = Register::in_memory(&Policy::niigata()).unwrap();
        let sheet = "資産名,種別,所管,所属,管理者,機密性,完全性,可用性,ネットワーク区分,媒体,保管場所,\
                     個人情報,要配慮個人情報,特定個人情報,件数,管理策,運用形態,委託先,契約,保存期間,\
                     点検日,廃棄日,廃棄担当者,廃棄方法,廃棄承認者,廃棄証明書,備考,調達年度\r\n\
                     住民記録,イ,mayor,市民課,山田,3A,2,2,マイナンバー利用事務系,サーバ,本庁,\
                     ○,○,○,\"1,200\",mfa;backup,委託,㈱みなと,第1号,5年,\
                     R7.4.8,2025-05-01,山田,溶解,課長,第2号,\"メモ \"\"引用\"\"\n改行\",R5\r\n\
                     最小,ア,fire,,,1,1,1,,,,,,,,,,,,,,,,,,,,\r\n";
        register
            .import_assets(sheet.as_bytes(), &ImportOptions::default())
            .unwrap();
        register
            .assets(&Filter {
                disposed: Disposed::Include,
                ..Filter::default()
            })
            .unwrap()
    }

    #[test]
    fn the_stored_record_expands_to_the_whole_record() {
        let assets = assets();
        assert_eq!(assets.len(), 2);
        for asset in &assets {
            let whole = to_json(&AssetRecord::from(asset));
            let created_at = asset.created_at.to_string();
            // An entry made at the asset's creation, and one made later.
            for entry_at in [created_at.as_str(), "2030-01-01T00:00:00Z"] {
                let stored = audit_json(asset, entry_at);
                assert_eq!(
                    expand_audit_json(stored, Some(asset.id), entry_at),
                    whole,
                    "entry at {entry_at}"
                );
            }
        }
    }

    #[test]
    fn the_stored_record_leaves_out_null_false_empty_and_what_the_entry_says() {
        let assets = assets();
        let minimal = assets.iter().find(|a| a.name() == "最小").unwrap();
        let created_at = minimal.created_at.to_string();
        let stored: serde_json::Value =
            serde_json::from_str(&audit_json(minimal, &created_at)).unwrap();
        let mut keys: Vec<&str> = stored
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "availability",
                "confidentiality",
                "department",
                "integrity",
                "kind",
                "name",
                "organization",
            ]
        );
        // Every field the entry does not say, and that is set, is stored.
        let full = assets.iter().find(|a| a.name() == "住民記録").unwrap();
        let stored: serde_json::Value =
            serde_json::from_str(&audit_json(full, "2030-01-01T00:00:00Z")).unwrap();
        let whole: serde_json::Value =
            serde_json::from_str(&to_json(&AssetRecord::from(full))).unwrap();
        let mut expected = whole.as_object().unwrap().clone();
        expected.remove("id");
        expected.remove("version");
        // The asset is in scope.
        assert_eq!(
            expected.remove("exclusion_reason"),
            Some(serde_json::Value::Null)
        );
        assert_eq!(stored.as_object().unwrap(), &expected);
    }

    #[test]
    fn records_stored_whole_read_back_unchanged() {
        // Entries written before records were stored without empty fields.
        for asset in assets() {
            let whole = to_json(&AssetRecord::from(&asset));
            assert_eq!(
                expand_audit_json(whole.clone(), Some(asset.id), "2030-01-01T00:00:00Z"),
                whole
            );
        }
    }

    #[test]
    fn other_json_is_not_expanded() {
        let link = r#"{"from":"a","relation":"stored_on","to":"b","sanitization":null}"#;
        assert_eq!(
            expand_audit_json(link.to_owned(), None, "2030-01-01T00:00:00Z"),
            link
        );
    }
}
