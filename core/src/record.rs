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

use crate::model::{Asset, AssetId, Link};
use crate::table::{AssetRecord, StoredRecord};

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
    to_json(&StoredRecord {
        asset,
        times: [created_at, updated_at],
        entry_at,
    })
}

/// The whole [`AssetRecord`] JSON of an asset's record read from an audit
/// entry about `asset_id` made at `entry_at`; text that is not an asset's
/// record is returned as it is.
pub(crate) fn expand_audit_json(json: String, asset_id: Option<AssetId>, entry_at: &str) -> String {
    let Ok(serde_json::Value::Object(mut stored)) = serde_json::from_str(&json) else {
        return json;
    };
    // Every asset record has a kind; other records (links) are left alone.
    if !stored.contains_key("kind") {
        return json;
    }
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
    use crate::{Disposed, Filter, Policy, sheet::ImportOptions};

    /// Two assets, one with every field set and one with as few as allowed.
    fn assets() -> Vec<Asset> {
        let mut register = crate::test_backend::register(&Policy::niigata()).unwrap();
        let sheet = "資産名,種別,所管,所属,管理者,機密性,完全性,可用性,ネットワーク区分,媒体,保管場所,\
                     個人情報,要配慮個人情報,特定個人情報,件数,管理策,運用形態,委託先,契約,保存期間,\
                     点検日,廃棄日,廃棄担当者,廃棄方法,廃棄承認者,廃棄証明書,備考,調達年度,管理番号\r\n\
                     住民記録,イ,mayor,市民課,山田,3A,2,2,マイナンバー利用事務系,サーバ,本庁,\
                     ○,○,○,\"1,200\",mfa;backup,委託,㈱みなと,第1号,5年,\
                     R7.4.8,2025-05-01,山田,溶解,課長,第2号,\"メモ \"\"引用\"\"\n改行\",R5,J-001\r\n\
                     最小,ア,fire,,,1,1,1,,,,,,,,,,,,,,,,,,,,,\r\n";
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
