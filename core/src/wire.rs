//! The JSON wire formats of daicho's results, each defined once: a flat,
//! serializable record per result (a check report, an explanation, a
//! summary, a verification, an import or export report, the risk list, an
//! audit entry, a policy table), made from the domain type with `From` (or
//! `new` where the record needs something the type does not hold, such as a
//! file name). Domain types carry no serde derives; the CLI's
//! `--format json` writes these records.
//!
//! Records hold codes, never labels: a label depends on the reader's
//! language and is left to whoever shows it. Each record declares its
//! fields in alphabetical order, the order of its keys in the JSON; a
//! record holding an [`AssetRecord`] or a [`LinkRecord`] writes them with
//! their keys sorted too.
//!
//! An audit entry's change is typed as well: [`EntryChange`] compares the
//! entry's before and after asset records field by field ([`FieldDiff`]),
//! or names the link or the risk assessment it changed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize, Serializer};

use crate::audit::{Action, AuditEntry, BrokenEntry};
use crate::model::{Asset, Link};
use crate::policy::{Control, Exclusion, LevelDef, Organization, Policy, Restriction};
use crate::query::Summary;
use crate::record::{AssetRecord, LinkRecord};
use crate::register::Verification;
use crate::rules::{
    AssetRef, AxisExplanation, ExcludedAsset, Explanation, Finding, Raised, Report, RiskEntry,
    RiskReport, Step, WhatIf,
};
use crate::sheet::{Counts, ExportReport, ImportReport, RowError, RowOutcome, RowWarning};

// ---------------------------------------------------------------------------
// The self-inspection: findings, reports, explanations, what-if answers.

/// An asset named in a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetRefRecord<'a> {
    /// The id.
    pub id: String,
    /// The kind's code.
    pub kind: &'static str,
    /// The name.
    pub name: &'a str,
}

impl<'a> From<&'a AssetRef> for AssetRefRecord<'a> {
    fn from(asset: &'a AssetRef) -> Self {
        AssetRefRecord {
            id: asset.id.to_string(),
            kind: asset.kind.code(),
            name: &asset.name,
        }
    }
}

/// One finding of the self-inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRecord<'a> {
    /// The assets involved; the first is the one to fix.
    pub assets: Vec<AssetRefRecord<'a>>,
    /// What is wrong, in English.
    pub message_en: &'a str,
    /// What is wrong, in Japanese.
    pub message_ja: &'a str,
    /// The organization's code.
    pub organization: &'a str,
    /// The rule's id.
    pub rule: &'static str,
    /// The policy section.
    pub section: &'static str,
    /// The severity's code.
    pub severity: &'static str,
}

impl<'a> From<&'a Finding> for FindingRecord<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingRecord {
            assets: f.assets.iter().map(AssetRefRecord::from).collect(),
            message_en: &f.message_en,
            message_ja: &f.message_ja,
            organization: f.organization.as_str(),
            rule: f.rule.code(),
            section: f.section,
            severity: f.severity.code(),
        }
    }
}

/// An asset outside the policy's scope, in a check report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExcludedRecord<'a> {
    /// True when it has been disposed of.
    pub disposed: bool,
    /// The id.
    pub id: String,
    /// The name.
    pub name: &'a str,
    /// The organization's code.
    pub organization: &'a str,
    /// The exclusion reason's code.
    pub reason: &'a str,
}

impl<'a> From<&'a ExcludedAsset> for ExcludedRecord<'a> {
    fn from(e: &'a ExcludedAsset) -> Self {
        ExcludedRecord {
            disposed: e.disposed,
            id: e.asset.id.to_string(),
            name: &e.asset.name,
            organization: e.organization.as_str(),
            reason: e.reason.as_str(),
        }
    }
}

/// The result of a self-inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRecord<'a> {
    /// How many in-scope assets in use were checked.
    pub checked: usize,
    /// How many assets are disposed of.
    pub disposed: usize,
    /// The assets outside the policy's scope.
    pub excluded: Vec<ExcludedRecord<'a>>,
    /// The findings.
    pub findings: Vec<FindingRecord<'a>>,
    /// How many links there are.
    pub links: usize,
    /// The date reviews were counted to (ISO).
    pub today: String,
}

impl<'a> From<&'a Report> for ReportRecord<'a> {
    fn from(report: &'a Report) -> Self {
        ReportRecord {
            checked: report.checked,
            disposed: report.disposed,
            excluded: report.excluded.iter().map(ExcludedRecord::from).collect(),
            findings: report.findings.iter().map(FindingRecord::from).collect(),
            links: report.links,
            today: report.today.to_string(),
        }
    }
}

/// One link on an explaining path, in the link's own direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRecord<'a> {
    /// The source's name.
    pub from: &'a str,
    /// The source's id.
    pub from_id: String,
    /// The relation's code.
    pub relation: &'static str,
    /// The target's name.
    pub to: &'a str,
    /// The target's id.
    pub to_id: String,
}

impl<'a> From<&'a Step> for StepRecord<'a> {
    fn from(s: &'a Step) -> Self {
        StepRecord {
            from: &s.from.name,
            from_id: s.from.id.to_string(),
            relation: s.relation.code(),
            to: &s.to.name,
            to_id: s.to.id.to_string(),
        }
    }
}

fn path_record(path: &[Step]) -> Vec<StepRecord<'_>> {
    path.iter().map(StepRecord::from).collect()
}

/// One asset whose effective level a proposal would raise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RaisedRecord<'a> {
    /// The axis's code.
    pub axis: &'static str,
    /// The effective level now.
    pub from: &'a str,
    /// The asset's id.
    pub id: String,
    /// The asset's name.
    pub name: &'a str,
    /// The path that would explain the new level.
    pub path: Vec<StepRecord<'a>>,
    /// The effective level after the change.
    pub to: &'a str,
}

impl<'a> From<&'a Raised> for RaisedRecord<'a> {
    fn from(r: &'a Raised) -> Self {
        RaisedRecord {
            axis: r.axis.code(),
            from: r.from.code(),
            id: r.asset.id.to_string(),
            name: &r.asset.name,
            path: path_record(&r.path),
            to: r.to.code(),
        }
    }
}

/// What a proposed change would raise, add and resolve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhatIfRecord<'a> {
    /// Findings the change would add.
    pub new_findings: Vec<FindingRecord<'a>>,
    /// The assets whose effective level would rise.
    pub raised: Vec<RaisedRecord<'a>>,
    /// Findings the change would resolve.
    pub resolved_findings: Vec<FindingRecord<'a>>,
}

impl<'a> From<&'a WhatIf> for WhatIfRecord<'a> {
    fn from(answer: &'a WhatIf) -> Self {
        WhatIfRecord {
            new_findings: answer
                .new_findings
                .iter()
                .map(FindingRecord::from)
                .collect(),
            raised: answer.raised.iter().map(RaisedRecord::from).collect(),
            resolved_findings: answer
                .resolved_findings
                .iter()
                .map(FindingRecord::from)
                .collect(),
        }
    }
}

/// An asset's declared and effective level on one axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AxisRecord<'a> {
    /// The axis's code.
    pub axis: &'static str,
    /// True when the declared level is below the effective one.
    pub below: bool,
    /// The declared level.
    pub declared: &'a str,
    /// The effective level.
    pub effective: &'a str,
    /// The highest level brought in by links, if any.
    pub inherited: Option<&'a str>,
    /// The name of the asset where the effective level originates.
    pub origin: &'a str,
    /// The links from the origin to the asset.
    pub path: Vec<StepRecord<'a>>,
}

impl<'a> From<&'a AxisExplanation> for AxisRecord<'a> {
    fn from(a: &'a AxisExplanation) -> Self {
        AxisRecord {
            axis: a.axis.code(),
            below: a.is_below(),
            declared: a.declared.code(),
            effective: a.effective.code(),
            inherited: a.inherited.as_ref().map(crate::Level::code),
            origin: &a.origin.name,
            path: path_record(&a.path),
        }
    }
}

/// An asset's classification explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplanationRecord<'a> {
    /// Confidentiality, integrity and availability, in that order.
    pub axes: Vec<AxisRecord<'a>>,
    /// True when disposed of.
    pub disposed: bool,
    /// The exclusion reason's code, when out of scope.
    pub excluded: Option<&'a str>,
    /// The findings that name the asset.
    pub findings: Vec<FindingRecord<'a>>,
    /// The id.
    pub id: String,
    /// The kind's code.
    pub kind: &'static str,
    /// When the asset holds 特定個人情報: the path it arrives by (empty when
    /// the asset itself is flagged).
    pub my_number: Option<Vec<StepRecord<'a>>>,
    /// The name.
    pub name: &'a str,
    /// The organization's code.
    pub organization: &'a str,
}

impl<'a> From<&'a Explanation> for ExplanationRecord<'a> {
    fn from(e: &'a Explanation) -> Self {
        ExplanationRecord {
            axes: e.axes.iter().map(AxisRecord::from).collect(),
            disposed: e.disposed,
            excluded: e.excluded.as_ref().map(crate::ExclusionCode::as_str),
            findings: e.findings.iter().map(FindingRecord::from).collect(),
            id: e.asset.id.to_string(),
            kind: e.asset.kind.code(),
            my_number: e.my_number.as_deref().map(path_record),
            name: &e.asset.name,
            organization: e.organization.as_str(),
        }
    }
}

// ---------------------------------------------------------------------------
// The risk list.

/// An asset by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssetNameRecord<'a> {
    /// The id.
    pub id: String,
    /// The name.
    pub name: &'a str,
}

impl<'a> From<&'a AssetRef> for AssetNameRecord<'a> {
    fn from(asset: &'a AssetRef) -> Self {
        AssetNameRecord {
            id: asset.id.to_string(),
            name: &asset.name,
        }
    }
}

/// One line of the risk list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskEntryRecord<'a> {
    /// The band's code.
    pub band: &'a str,
    /// 被害発生可能性, 1–3.
    pub damage_likelihood: u8,
    /// The asset's id.
    pub id: String,
    /// 重要度, 1–3.
    pub importance: u8,
    /// The threat's likelihood, 1–3.
    pub likelihood: u8,
    /// The asset's name.
    pub name: &'a str,
    /// The organization's code.
    pub organization: &'a str,
    /// The threat group's code.
    pub threat: &'a str,
    /// リスク値.
    pub value: u8,
    /// The vulnerability, 1–3.
    pub vulnerability: u8,
}

impl<'a> From<&'a RiskEntry> for RiskEntryRecord<'a> {
    fn from(e: &'a RiskEntry) -> Self {
        RiskEntryRecord {
            band: &e.band,
            damage_likelihood: e.damage_likelihood,
            id: e.asset.id.to_string(),
            importance: e.importance,
            likelihood: e.likelihood,
            name: &e.asset.name,
            organization: e.organization.as_str(),
            threat: &e.threat,
            value: e.value,
            vulnerability: e.vulnerability,
        }
    }
}

/// The risk list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskReportRecord<'a> {
    /// The assessed risks, highest value first.
    pub entries: Vec<RiskEntryRecord<'a>>,
    /// In-scope assets in use with no assessment.
    pub not_assessed: Vec<AssetNameRecord<'a>>,
}

impl<'a> From<&'a RiskReport> for RiskReportRecord<'a> {
    fn from(report: &'a RiskReport) -> Self {
        RiskReportRecord {
            entries: report.entries.iter().map(RiskEntryRecord::from).collect(),
            not_assessed: report
                .not_assessed
                .iter()
                .map(AssetNameRecord::from)
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------
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

/// The result of a verification: the database, the links and the audit
/// chain ([`ChainReport`](crate::ChainReport)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerificationRecord<'a> {
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
    /// True when everything is sound.
    pub ok: bool,
}

impl<'a> From<&'a Verification> for VerificationRecord<'a> {
    fn from(v: &'a Verification) -> Self {
        VerificationRecord {
            audit_entries: v.chain.entries,
            dangling_links: v.dangling_links,
            database: &v.database,
            file: None,
            first_broken: v.chain.first_broken.as_ref().map(BrokenEntryRecord::from),
            ok: v.is_ok(),
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

// ---------------------------------------------------------------------------
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

/// A list of assets, each written as its [`AssetRecord`] with sorted keys.
#[derive(Debug, Clone, Copy)]
pub struct AssetListRecord<'a>(pub &'a [Asset]);

impl Serialize for AssetListRecord<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Sorted(AssetRecord);
        impl Serialize for Sorted {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                keys_sorted(&self.0, serializer)
            }
        }
        serializer.collect_seq(self.0.iter().map(|a| Sorted(AssetRecord::from(a))))
    }
}

// ---------------------------------------------------------------------------
// CSV import and export.

/// Rows by outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CountsRecord {
    /// New assets or links.
    pub created: u64,
    /// Existing ones that were already the same.
    pub unchanged: u64,
    /// Existing ones that changed.
    pub updated: u64,
}

impl From<Counts> for CountsRecord {
    fn from(c: Counts) -> Self {
        CountsRecord {
            created: c.created,
            unchanged: c.unchanged,
            updated: c.updated,
        }
    }
}

/// A cell that was read but deserves a look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowWarningRecord<'a> {
    /// The column as its header is written.
    pub column: &'a str,
    /// The file.
    pub file: &'a str,
    /// The line the row starts on.
    pub line: u64,
    /// What is suspicious.
    pub reason: &'a str,
    /// The cell as written.
    pub value: &'a str,
}

impl<'a> From<&'a RowWarning> for RowWarningRecord<'a> {
    fn from(w: &'a RowWarning) -> Self {
        RowWarningRecord {
            column: &w.column,
            file: &w.file,
            line: w.line,
            reason: &w.reason,
            value: &w.value,
        }
    }
}

/// What an import did with one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowOutcomeRecord<'a> {
    /// The file.
    pub file: &'a str,
    /// The asset's id (for a link row, its source's).
    pub id: String,
    /// The line the row starts on.
    pub line: u64,
    /// The outcome's code.
    pub outcome: &'static str,
}

impl<'a> From<&'a RowOutcome> for RowOutcomeRecord<'a> {
    fn from(r: &'a RowOutcome) -> Self {
        RowOutcomeRecord {
            file: &r.file,
            id: r.id.to_string(),
            line: r.line,
            outcome: r.outcome.code(),
        }
    }
}

/// What an import did, or in a dry run would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportRecord<'a> {
    /// Asset rows by outcome.
    pub assets: CountsRecord,
    /// True when nothing was written.
    pub dry_run: bool,
    /// The label of the assets file's encoding.
    pub encoding: Option<&'static str>,
    /// The columns kept as extra attributes.
    pub extra_columns: &'a [String],
    /// Link rows by outcome.
    pub links: CountsRecord,
    /// Each row's outcome, when asked for.
    pub rows: Vec<RowOutcomeRecord<'a>>,
    /// How many warnings there were in all.
    pub warning_count: u64,
    /// The warnings kept.
    pub warnings: Vec<RowWarningRecord<'a>>,
}

impl<'a> From<&'a ImportReport> for ImportRecord<'a> {
    fn from(r: &'a ImportReport) -> Self {
        ImportRecord {
            assets: r.assets.into(),
            dry_run: r.dry_run,
            encoding: r.encoding.map(crate::sheet::Encoding::label),
            extra_columns: &r.extra_columns,
            links: r.links.into(),
            rows: r.rows.iter().map(RowOutcomeRecord::from).collect(),
            warning_count: r.warning_count,
            warnings: r.warnings.iter().map(RowWarningRecord::from).collect(),
        }
    }
}

/// One row error of a failed import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowErrorRecord<'a> {
    /// The column as its header is written; none for the whole row.
    pub column: Option<&'a str>,
    /// The file.
    pub file: &'a str,
    /// The line the row starts on.
    pub line: u64,
    /// What is wrong.
    pub reason: &'a str,
    /// The cell as written.
    pub value: &'a str,
}

impl<'a> From<&'a RowError> for RowErrorRecord<'a> {
    fn from(e: &'a RowError) -> Self {
        RowErrorRecord {
            column: e.column.as_deref(),
            file: &e.file,
            line: e.line,
            reason: &e.reason,
            value: &e.value,
        }
    }
}

/// A failed import ([`Error::Import`](crate::Error::Import)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportFailureRecord<'a> {
    /// Always `import`.
    pub error: &'static str,
    /// The errors kept.
    pub errors: Vec<RowErrorRecord<'a>>,
    /// The file or files imported.
    pub source: &'a str,
    /// How many errors there were in all.
    pub total: usize,
}

impl<'a> ImportFailureRecord<'a> {
    /// The record of an import of `source` that failed with `errors`
    /// (`total` in all).
    pub fn new(source: &'a str, errors: &'a [RowError], total: usize) -> Self {
        ImportFailureRecord {
            error: "import",
            errors: errors.iter().map(RowErrorRecord::from).collect(),
            source,
            total,
        }
    }
}

/// The asset sheet an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedAssetsRecord {
    /// The columns written.
    pub columns: usize,
    /// The encoding's label.
    pub encoding: &'static str,
    /// The file.
    pub file: Option<String>,
    /// Characters written as `?`.
    pub replaced: u64,
    /// Data rows written.
    pub rows: u64,
}

impl ExportedAssetsRecord {
    /// The record of an asset sheet written to `file`.
    pub fn new(file: Option<&Path>, report: &ExportReport) -> Self {
        ExportedAssetsRecord {
            columns: report.columns,
            encoding: report.encoding.label(),
            file: file.map(|p| p.display().to_string()),
            replaced: report.replaced,
            rows: report.rows,
        }
    }
}

/// The link sheet an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedLinksRecord {
    /// The file.
    pub file: Option<String>,
    /// Data rows written.
    pub rows: u64,
}

impl ExportedLinksRecord {
    /// The record of a link sheet written to `file`.
    pub fn new(file: Option<&Path>, report: &ExportReport) -> Self {
        ExportedLinksRecord {
            file: file.map(|p| p.display().to_string()),
            rows: report.rows,
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportRecord {
    /// The asset sheet.
    pub assets: ExportedAssetsRecord,
    /// The link sheet, when one was written.
    pub links: Option<ExportedLinksRecord>,
}

// ---------------------------------------------------------------------------
// The policy's tables.

/// A classification level of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelRecord<'a> {
    /// The axis's code.
    pub axis: &'static str,
    /// The level's code.
    pub code: &'a str,
    /// The definition, in English.
    pub definition_en: &'a str,
    /// The definition, in Japanese.
    pub definition_ja: &'a str,
    /// The label, in English.
    pub en: &'a str,
    /// 重要度, 1–3.
    pub importance: u8,
    /// The label, in Japanese.
    pub ja: &'a str,
    /// The rank: 1 is the lowest level.
    pub rank: u8,
    /// The controls its handling restrictions require.
    pub requires: Vec<&'a str>,
}

impl<'a> From<&'a LevelDef> for LevelRecord<'a> {
    fn from(def: &'a LevelDef) -> Self {
        LevelRecord {
            axis: def.level.axis().code(),
            code: def.level.code(),
            definition_en: &def.definition_en,
            definition_ja: &def.definition_ja,
            en: &def.en,
            importance: def.importance,
            ja: &def.ja,
            rank: def.level.rank(),
            requires: def
                .restrictions
                .iter()
                .map(|r| r.control.as_str())
                .collect(),
        }
    }
}

/// A handling restriction of a level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestrictionRecord<'a> {
    /// The axis's code.
    pub axis: &'static str,
    /// The control's code.
    pub control: &'a str,
    /// True when not asked of paper.
    pub electronic_only: bool,
    /// The restriction, in English.
    pub en: &'a str,
    /// The restriction, in Japanese.
    pub ja: &'a str,
    /// The level's code.
    pub level: &'a str,
    /// True when asked only of assets with a network segment.
    pub network_only: bool,
}

impl<'a> RestrictionRecord<'a> {
    /// The record of `restriction`, one of `def`'s.
    pub fn new(def: &'a LevelDef, restriction: &'a Restriction) -> Self {
        RestrictionRecord {
            axis: def.level.axis().code(),
            control: restriction.control.as_str(),
            electronic_only: restriction.electronic_only,
            en: &restriction.en,
            ja: &restriction.ja,
            level: def.level.code(),
            network_only: restriction.network_only,
        }
    }
}

/// A code with its labels: an organization or a control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelRecord<'a> {
    /// The code.
    pub code: &'a str,
    /// The English label.
    pub en: &'a str,
    /// The Japanese label.
    pub ja: &'a str,
}

impl<'a> From<&'a Organization> for LabelRecord<'a> {
    fn from(o: &'a Organization) -> Self {
        LabelRecord {
            code: o.code.as_str(),
            en: &o.en,
            ja: &o.ja,
        }
    }
}

impl<'a> From<&'a Control> for LabelRecord<'a> {
    fn from(c: &'a Control) -> Self {
        LabelRecord {
            code: c.code.as_str(),
            en: &c.en,
            ja: &c.ja,
        }
    }
}

/// An exclusion reason of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExclusionRecord<'a> {
    /// The code.
    pub code: &'a str,
    /// The reason, in English.
    pub en: &'a str,
    /// The reason, in Japanese.
    pub ja: &'a str,
    /// The codes of the organizations that may use it.
    pub organizations: Vec<&'a str>,
}

impl<'a> From<&'a Exclusion> for ExclusionRecord<'a> {
    fn from(e: &'a Exclusion) -> Self {
        ExclusionRecord {
            code: e.code.as_str(),
            en: &e.en,
            ja: &e.ja,
            organizations: e.organizations.iter().map(crate::OrgCode::as_str).collect(),
        }
    }
}

// ---------------------------------------------------------------------------
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

/// The fields of an asset's record that a change can move, read from any
/// form the audit log has stored: whole, or without its empty fields. The
/// id, version and timestamps are left out: every change moves the latter,
/// and the entry itself says the former.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StoredFields {
    availability: Option<String>,
    confidentiality: Option<String>,
    contract: Option<String>,
    controls: Option<Vec<String>>,
    department: Option<String>,
    disposal_approver: Option<String>,
    disposal_certificate: Option<String>,
    disposal_method: Option<String>,
    disposed_by: Option<String>,
    disposed_on: Option<String>,
    exclusion_reason: Option<String>,
    extra: Option<Vec<(String, String)>>,
    hosting: Option<String>,
    integrity: Option<String>,
    kind: Option<String>,
    location: Option<String>,
    manager: Option<String>,
    medium: Option<String>,
    my_number: Option<bool>,
    name: Option<String>,
    notes: Option<String>,
    organization: Option<String>,
    personal: Option<bool>,
    provider: Option<String>,
    record_count: Option<u64>,
    retention: Option<String>,
    reviewed_on: Option<String>,
    segment: Option<String>,
    sensitive: Option<bool>,
}

impl StoredFields {
    /// The fields by name, in the order of their names.
    fn into_values(self) -> [(&'static str, FieldValue); 29] {
        [
            ("availability", self.availability.into()),
            ("confidentiality", self.confidentiality.into()),
            ("contract", self.contract.into()),
            ("controls", self.controls.into()),
            ("department", self.department.into()),
            ("disposal_approver", self.disposal_approver.into()),
            ("disposal_certificate", self.disposal_certificate.into()),
            ("disposal_method", self.disposal_method.into()),
            ("disposed_by", self.disposed_by.into()),
            ("disposed_on", self.disposed_on.into()),
            ("exclusion_reason", self.exclusion_reason.into()),
            ("extra", self.extra.into()),
            ("hosting", self.hosting.into()),
            ("integrity", self.integrity.into()),
            ("kind", self.kind.into()),
            ("location", self.location.into()),
            ("manager", self.manager.into()),
            ("medium", self.medium.into()),
            ("my_number", self.my_number.into()),
            ("name", self.name.into()),
            ("notes", self.notes.into()),
            ("organization", self.organization.into()),
            ("personal", self.personal.into()),
            ("provider", self.provider.into()),
            ("record_count", self.record_count.into()),
            ("retention", self.retention.into()),
            ("reviewed_on", self.reviewed_on.into()),
            ("segment", self.segment.into()),
            ("sensitive", self.sensitive.into()),
        ]
    }
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
                match states::<StoredFields>(entry) {
                    (None, after) => EntryChange::Created {
                        name: after.and_then(|a| a.name),
                    },
                    (Some(before), after) => {
                        let after = after.unwrap_or_default().into_values();
                        let diffs = before
                            .into_values()
                            .into_iter()
                            .zip(after)
                            .filter(|((_, old), (_, new))| {
                                old != new && !(old.is_empty() && new.is_empty())
                            })
                            .map(|((field, old), (_, new))| FieldDiff { field, old, new })
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
    use crate::{
        AssetFields, AssetName, CheckOptions, Classification, Kind, Register, Relation, Retention,
    };

    fn register() -> Register {
        let mut register = Register::in_memory(&Policy::niigata()).unwrap();
        register.set_actor("test");
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
