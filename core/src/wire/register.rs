//! Records of the register: its summary, its verification, a new
//! register, and assets as `show` and `list` print them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Serialize, Serializer};

use crate::audit::{AnchorCheck, BrokenEntry, Mismatch, Redaction};
use crate::model::{Asset, Link};
use crate::policy::Policy;
use crate::query::Summary;
use crate::record::LinkRecord;
use crate::register::Verification;
use crate::table::AssetRecord;
use crate::write::Deletion;

// The register: summary, verification, creation.

/// In-scope assets in use of one organization, by confidentiality level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganizationCountsRecord<'a> {
    /// Counts by confidentiality level's code.
    pub confidentiality: BTreeMap<&'a str, u64>,
    /// The organization's code.
    pub organization: &'a str,
}

/// The register's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryRecord<'a> {
    /// In-scope assets in use by kind's code.
    pub by_kind: BTreeMap<&'static str, u64>,
    /// In-scope assets in use by organization, in the policy's order.
    pub by_organization: Vec<OrganizationCountsRecord<'a>>,
    /// Assets in use by exclusion reason's code, `in_scope` for none.
    pub by_scope: BTreeMap<&'a str, u64>,
    /// In-scope assets in use by segment's code, `none` for no segment.
    pub by_segment: BTreeMap<&'static str, u64>,
    /// Assets disposed of.
    pub disposed: u64,
    /// Assets in use and excluded from the policy.
    pub excluded: u64,
    /// Assets in use and in scope.
    pub in_scope: u64,
    /// Links between assets.
    pub links: u64,
    /// Every asset, disposed ones included.
    pub total: u64,
}

impl<'a> From<&'a Summary> for SummaryRecord<'a> {
    fn from(s: &'a Summary) -> Self {
        SummaryRecord {
            by_kind: s.by_kind.iter().map(|(k, n)| (k.code(), *n)).collect(),
            by_organization: s
                .by_organization
                .iter()
                .map(|(org, levels)| OrganizationCountsRecord {
                    confidentiality: levels.iter().map(|(l, n)| (l.code(), *n)).collect(),
                    organization: org.as_str(),
                })
                .collect(),
            by_scope: s
                .by_scope
                .iter()
                .map(|(e, n)| (e.as_ref().map_or("in_scope", |e| e.as_str()), *n))
                .collect(),
            by_segment: s
                .by_segment
                .iter()
                .map(|(seg, n)| (seg.map_or("none", |s| s.code()), *n))
                .collect(),
            disposed: s.disposed,
            excluded: s.excluded,
            in_scope: s.in_scope,
            links: s.links,
            total: s.total,
        }
    }
}

/// The first audit entry that does not match its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenEntryRecord<'a> {
    /// What is wrong.
    pub reason: &'a str,
    /// The entry's sequence number.
    pub seq: u64,
}

impl<'a> From<&'a BrokenEntry> for BrokenEntryRecord<'a> {
    fn from(b: &'a BrokenEntry) -> Self {
        BrokenEntryRecord {
            reason: &b.reason,
            seq: b.seq,
        }
    }
}

/// The audit chain compared with an anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnchorRecord<'a> {
    /// The first entry that differs from the anchor's, if any.
    pub difference: Option<BrokenEntryRecord<'a>>,
    /// The anchor's head, `N:HEX`.
    pub expected: String,
    /// True when entries 1..N are unchanged.
    pub holds: bool,
    /// Where the anchor came from.
    pub source: &'a str,
}

impl<'a> From<&'a AnchorCheck> for AnchorRecord<'a> {
    fn from(a: &'a AnchorCheck) -> Self {
        AnchorRecord {
            difference: a.first_difference.as_ref().map(BrokenEntryRecord::from),
            expected: a.expected.to_string(),
            holds: a.holds(),
            source: &a.source,
        }
    }
}

/// A difference between the register and what its audit log says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MismatchRecord<'a> {
    /// How it differs.
    pub detail: &'a str,
    /// The stored column that differs, if one does.
    pub field: Option<&'a str>,
    /// What differs (an asset, a link, a risk assessment, an audit entry).
    pub object: &'a str,
}

impl<'a> From<&'a Mismatch> for MismatchRecord<'a> {
    fn from(m: &'a Mismatch) -> Self {
        MismatchRecord {
            detail: &m.detail,
            field: m.field.as_deref(),
            object: &m.object,
        }
    }
}

/// A field of an entry's payload blanked by a later entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedactionRecord<'a> {
    /// The `redact` entry.
    pub by: u64,
    /// The entry redacted.
    pub entry: u64,
    /// The field blanked.
    pub field: &'a str,
    /// Why.
    pub reason: &'a str,
}

impl<'a> From<&'a Redaction> for RedactionRecord<'a> {
    fn from(r: &'a Redaction) -> Self {
        RedactionRecord {
            by: r.by,
            entry: r.entry,
            field: &r.field,
            reason: &r.reason,
        }
    }
}

/// The result of a verification: the database, the links, the audit chain
/// ([`ChainReport`](crate::ChainReport)) and its anchor, the register's rows
/// against the replayed log, the policy and the schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerificationRecord<'a> {
    /// The check against an anchor, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<AnchorRecord<'a>>,
    /// How many audit entries were checked.
    pub audit_entries: u64,
    /// Links whose assets are missing.
    pub dangling_links: u64,
    /// What SQLite's integrity check reported; empty when sound.
    pub database: &'a [String],
    /// The file verified (a backup, or a restored register); left out when
    /// it is the register itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The first audit entry that does not match, if any.
    pub first_broken: Option<BrokenEntryRecord<'a>>,
    /// The head of the verified chain, `N:HEX`.
    pub head: String,
    /// How many differences there are between the rows and the log.
    pub mismatch_count: u64,
    /// The first differences between the rows and the log.
    pub mismatches: Vec<MismatchRecord<'a>>,
    /// What is worth knowing but not wrong.
    pub notes: &'a [String],
    /// True when everything is sound.
    pub ok: bool,
    /// What is wrong with the stored policy.
    pub policy: &'a [String],
    /// Fields of entries' payloads blanked by later entries.
    pub redactions: Vec<RedactionRecord<'a>>,
    /// How the schema differs from the one the migrations create.
    pub schema: &'a [String],
}

impl<'a> From<&'a Verification> for VerificationRecord<'a> {
    fn from(v: &'a Verification) -> Self {
        VerificationRecord {
            anchor: v.chain.anchor.as_ref().map(AnchorRecord::from),
            audit_entries: v.chain.entries,
            dangling_links: v.dangling_links,
            database: &v.database,
            file: None,
            first_broken: v.chain.first_broken.as_ref().map(BrokenEntryRecord::from),
            head: v.head().to_string(),
            mismatch_count: v.mismatch_count,
            mismatches: v.mismatches.iter().map(MismatchRecord::from).collect(),
            notes: &v.notes,
            ok: v.is_ok(),
            policy: &v.policy,
            redactions: v
                .chain
                .redactions
                .iter()
                .map(RedactionRecord::from)
                .collect(),
            schema: &v.schema,
        }
    }
}

impl VerificationRecord<'_> {
    /// Names the file verified.
    #[must_use]
    pub fn with_file(mut self, file: &Path) -> Self {
        self.file = Some(file.display().to_string());
        self
    }
}

/// A register just created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewRegisterRecord<'a> {
    /// The register's file.
    pub db: String,
    /// The policy's name.
    pub policy: &'a str,
    /// The SHA-256 of the stored policy.
    pub policy_sha256: &'a str,
}

impl<'a> NewRegisterRecord<'a> {
    /// The record of a register created at `db` with `policy`.
    pub fn new(db: &Path, policy: &'a Policy) -> Self {
        NewRegisterRecord {
            db: db.display().to_string(),
            policy: policy.name(),
            policy_sha256: policy.sha256(),
        }
    }
}

// Assets.

/// Serializes a record through a JSON value, so that its keys are sorted.
fn keys_sorted<T: Serialize, S: Serializer>(record: &T, serializer: S) -> Result<S::Ok, S::Error> {
    serde_json::to_value(record)
        .map_err(serde::ser::Error::custom)?
        .serialize(serializer)
}

/// One asset with its links (what `show`, `add`, `edit` and `dispose` print).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShownAssetRecord {
    /// The asset.
    #[serde(serialize_with = "keys_sorted")]
    pub asset: AssetRecord,
    /// Its links, from it and to it.
    #[serde(serialize_with = "keys_sorted")]
    pub links: Vec<LinkRecord>,
}

impl ShownAssetRecord {
    /// The record of `asset` with `links`.
    pub fn new(asset: &Asset, links: &[Link]) -> Self {
        ShownAssetRecord {
            asset: AssetRecord::from(asset),
            links: links.iter().map(LinkRecord::from).collect(),
        }
    }
}

/// A deleted asset: as it last was, and the links removed with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeletionRecord<'a> {
    /// The asset as it was.
    #[serde(serialize_with = "keys_sorted")]
    pub asset: AssetRecord,
    /// How many risk assessments were removed with it.
    pub assessments: usize,
    /// The links removed with it.
    #[serde(serialize_with = "keys_sorted")]
    pub links: Vec<LinkRecord>,
    /// Why it was deleted.
    pub reason: &'a str,
}

impl<'a> DeletionRecord<'a> {
    /// The record of `deletion`, made for `reason`.
    pub fn new(deletion: &Deletion, reason: &'a str) -> Self {
        DeletionRecord {
            asset: AssetRecord::from(&deletion.asset),
            assessments: deletion.assessments,
            links: deletion.links.iter().map(LinkRecord::from).collect(),
            reason: reason.trim(),
        }
    }
}

/// A list of assets, each written as its [`AssetRecord`] with sorted keys.
#[derive(Debug, Clone, Copy)]
pub struct AssetListRecord<'a>(pub &'a [Asset]);

impl Serialize for AssetListRecord<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(AssetListItem))
    }
}

/// One element of an [`AssetListRecord`]: an asset's [`AssetRecord`] with
/// sorted keys, for writing a list one asset at a time (see
/// [`crate::Register::for_each_asset_ordered`]).
#[derive(Debug, Clone, Copy)]
pub struct AssetListItem<'a>(pub &'a Asset);

impl Serialize for AssetListItem<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        keys_sorted(&AssetRecord::from(self.0), serializer)
    }
}
