//! Records of the self-inspection: findings, reports, explanations,
//! what-if answers, and the risk list.

use serde::Serialize;

use crate::rules::{
    AssetRef, AxisExplanation, ExcludedAsset, Explanation, Finding, Raised, Report, RiskEntry,
    RiskReport, Step, StreamedReport, Subject, WhatIf,
};

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
    /// The number of the exception (例外措置) that covers it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exception: Option<i64>,
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
    /// What it is about besides assets: a 事務 or a tracked finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<SubjectRecord<'a>>,
}

/// What a finding is about besides assets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectRecord<'a> {
    /// The 事務's or the tracked finding's number.
    pub id: i64,
    /// `process` or `finding`.
    pub kind: &'static str,
    /// The 事務's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
}

impl<'a> From<&'a Subject> for SubjectRecord<'a> {
    fn from(subject: &'a Subject) -> Self {
        match subject {
            Subject::Process { id, name } => SubjectRecord {
                id: *id,
                kind: "process",
                name: Some(name),
            },
            Subject::Finding { id } => SubjectRecord {
                id: *id,
                kind: "finding",
                name: None,
            },
        }
    }
}

impl<'a> From<&'a Finding> for FindingRecord<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingRecord {
            assets: f.assets.iter().map(AssetRefRecord::from).collect(),
            exception: f.exception,
            message_en: &f.message_en,
            message_ja: &f.message_ja,
            organization: f.organization.as_str(),
            rule: f.rule.code(),
            section: f.section,
            severity: f.severity.code(),
            subject: f.subject.as_ref().map(SubjectRecord::from),
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
    /// The audit chain's head the register was read at, `N:HEX`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
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
            head: report.head.map(|h| h.to_string()),
            links: report.links,
            today: report.today.to_string(),
        }
    }
}

/// A report written as its [`ReportRecord`], byte for byte, without making
/// the record of every finding first: each finding's record is made as it
/// is written, so that writing a report of a million findings holds one
/// record at a time beside the report.
#[derive(Debug, Clone, Copy)]
pub struct ReportStream<'a>(pub &'a Report);

impl Serialize for ReportStream<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;

        /// The findings' records, made one at a time.
        struct Findings<'a>(&'a [Finding]);
        impl Serialize for Findings<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.iter().map(FindingRecord::from))
            }
        }

        let report = self.0;
        // The fields of `ReportRecord`, in its order.
        let head = report.head.map(|h| h.to_string());
        let mut record = serializer.serialize_struct("ReportRecord", 7)?;
        record.serialize_field("checked", &report.checked)?;
        record.serialize_field("disposed", &report.disposed)?;
        let excluded: Vec<ExcludedRecord<'_>> =
            report.excluded.iter().map(ExcludedRecord::from).collect();
        record.serialize_field("excluded", &excluded)?;
        record.serialize_field("findings", &Findings(&report.findings))?;
        match &head {
            Some(head) => record.serialize_field("head", head)?,
            None => record.skip_field("head")?,
        }
        record.serialize_field("links", &report.links)?;
        record.serialize_field("today", &report.today.to_string())?;
        record.end()
    }
}

/// A streamed report written as its [`ReportRecord`], byte for byte as
/// [`ReportStream`] writes the [`Report`] of the same check: each finding
/// is read back in report order and its record made as it is written.
#[derive(Debug, Clone, Copy)]
pub struct StreamedReportRecord<'a>(pub &'a StreamedReport);

impl Serialize for StreamedReportRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;

        /// The findings' records, read and made one at a time.
        struct Findings<'a>(&'a StreamedReport);
        /// A failure of the serializer, or of reading the findings back.
        enum Failed<E> {
            Serializer(E),
            Read(crate::Error),
        }
        impl<E> From<crate::Error> for Failed<E> {
            fn from(err: crate::Error) -> Self {
                Failed::Read(err)
            }
        }
        impl Serialize for Findings<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::{Error as _, SerializeSeq as _};
                let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
                self.0
                    .for_each_finding(|f| {
                        seq.serialize_element(&FindingRecord::from(f))
                            .map_err(Failed::Serializer)
                    })
                    .map_err(|failed| match failed {
                        Failed::Serializer(err) => err,
                        Failed::Read(err) => S::Error::custom(err),
                    })?;
                seq.end()
            }
        }

        let report = self.0;
        // The fields of `ReportRecord`, in its order.
        let head = report.head.map(|h| h.to_string());
        let mut record = serializer.serialize_struct("ReportRecord", 7)?;
        record.serialize_field("checked", &report.checked)?;
        record.serialize_field("disposed", &report.disposed)?;
        let excluded: Vec<ExcludedRecord<'_>> =
            report.excluded.iter().map(ExcludedRecord::from).collect();
        record.serialize_field("excluded", &excluded)?;
        record.serialize_field("findings", &Findings(report))?;
        match &head {
            Some(head) => record.serialize_field("head", head)?,
            None => record.skip_field("head")?,
        }
        record.serialize_field("links", &report.links)?;
        record.serialize_field("today", &report.today.to_string())?;
        record.end()
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
    /// The kind of personal data that sets a floor raising the level
    /// (`personal`, `sensitive`, `my_number`), if one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor: Option<&'static str>,
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
            floor: a.floor.map(crate::PersonalFact::code),
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

/// An exception (例外措置) of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExceptionRecord<'a> {
    /// When it was approved (ISO 8601).
    pub approved_on: String,
    /// Who approved it.
    pub approver: &'a str,
    /// The asset's id (a link's source).
    pub asset: String,
    /// The conditions attached.
    pub conditions: Option<&'a str>,
    /// When it was recorded (RFC 3339).
    pub created_at: String,
    /// Who recorded it.
    pub created_by: &'a str,
    /// When it was ended (RFC 3339).
    pub ended_at: Option<String>,
    /// Who ended it.
    pub ended_by: Option<&'a str>,
    /// The last day it is valid (ISO 8601).
    pub expires_on: Option<String>,
    /// Its number.
    pub id: i64,
    /// Why the rule cannot be followed.
    pub reason: &'a str,
    /// The link's other end, for an exception on a link.
    pub related: Option<String>,
    /// The rule's id.
    pub rule: &'static str,
    /// `valid`, `expired`, `ended` or `pending` on the day it was listed.
    pub state: &'static str,
}

impl<'a> ExceptionRecord<'a> {
    /// The record of an exception, with its state on `today`.
    pub fn new(e: &'a crate::rules::Exception, today: jiff::civil::Date) -> Self {
        ExceptionRecord {
            approved_on: e.approved_on.to_string(),
            approver: &e.approver,
            asset: e.asset.to_string(),
            conditions: e.conditions.as_deref(),
            created_at: e.created_at.to_string(),
            created_by: &e.created_by,
            ended_at: e.ended_at.map(|t| t.to_string()),
            ended_by: e.ended_by.as_deref(),
            expires_on: e.expires_on.map(|d| d.to_string()),
            id: e.id,
            reason: &e.reason,
            related: e.related.map(|id| id.to_string()),
            rule: e.rule.code(),
            state: e.state(today),
        }
    }
}
