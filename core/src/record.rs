//! Flat, serializable records of assets and links: the JSON wire format of
//! the audit log, the CLI's `--format json` and the Python `to_records()`.
//!
//! Coded fields are written as their canonical codes; labels are left to
//! whoever shows them.

use serde::{Deserialize, Serialize};

use crate::model::{Asset, Link};

/// An asset as a flat record of codes and text.
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
    pub manager: Option<String>,
    /// The confidentiality level's code.
    pub confidentiality: String,
    /// The integrity level's code.
    pub integrity: String,
    /// The availability level's code.
    pub availability: String,
    /// The segment's code.
    pub segment: Option<String>,
    /// The medium's code.
    pub medium: Option<String>,
    /// Where it is stored.
    pub location: Option<String>,
    /// 個人情報.
    pub personal: bool,
    /// 要配慮個人情報.
    pub sensitive: bool,
    /// 特定個人情報.
    pub my_number: bool,
    /// 件数.
    pub record_count: Option<u64>,
    /// The control codes, sorted.
    pub controls: Vec<String>,
    /// `on_premises`, `outsourced` or `cloud`.
    pub hosting: Option<String>,
    /// The provider.
    pub provider: Option<String>,
    /// The contract reference.
    pub contract: Option<String>,
    /// The retention code (`5`, `under_one_year`, `permanent`).
    pub retention: Option<String>,
    /// The exclusion reason's code; none when in scope.
    pub exclusion_reason: Option<String>,
    /// The last review date (ISO).
    pub reviewed_on: Option<String>,
    /// The disposal date (ISO).
    pub disposed_on: Option<String>,
    /// Who disposed of it.
    pub disposed_by: Option<String>,
    /// How.
    pub disposal_method: Option<String>,
    /// Who approved it.
    pub disposal_approver: Option<String>,
    /// The certificate reference.
    pub disposal_certificate: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// City-specific attributes, in order.
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
