//! The records of what the register follows up: tracked findings (是正),
//! recorded runs of the self-inspection, and the 特定個人情報保護評価 list.

use serde::Serialize;

use crate::rules::{PiaEntry, PiaReport, ProcessFile, RecordedRun, TrackedFinding};

/// A finding tracked to correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrackedFindingRecord<'a> {
    /// The ids of the assets it names, the one to fix first.
    pub assets: Vec<String>,
    /// When it is to be corrected by (ISO 8601).
    pub due_on: Option<String>,
    /// The date of the first recorded run that found it.
    pub first_seen: String,
    /// Its number.
    pub id: i64,
    /// Its stable key: `rule:asset-id[+asset-id…]`, `rule:process-N` or
    /// `rule:finding-N`.
    pub key: &'a str,
    /// The date of the last recorded run that found it.
    pub last_seen: String,
    /// What the last run that found it said, in English.
    pub message_en: &'a str,
    /// What the last run that found it said, in Japanese.
    pub message_ja: &'a str,
    /// Still to be corrected and past its due date on the day listed.
    pub overdue: bool,
    /// Who corrects it.
    pub owner: Option<&'a str>,
    /// The date of the run that no longer found it, while resolved.
    pub resolved_on: Option<String>,
    /// The rule's id.
    pub rule: &'static str,
    /// `open`, `in_progress`, `resolved` or `excepted`.
    pub status: &'static str,
}

impl<'a> TrackedFindingRecord<'a> {
    /// The record of a tracked finding, with whether it is overdue on `today`.
    pub fn new(f: &'a TrackedFinding, today: jiff::civil::Date) -> Self {
        TrackedFindingRecord {
            assets: f.assets.iter().map(ToString::to_string).collect(),
            due_on: f.due_on.map(|d| d.to_string()),
            first_seen: f.first_seen.to_string(),
            id: f.id,
            key: &f.key,
            last_seen: f.last_seen.to_string(),
            message_en: &f.message_en,
            message_ja: &f.message_ja,
            overdue: f.is_overdue(today),
            owner: f.owner.as_deref(),
            resolved_on: f.resolved_on.map(|d| d.to_string()),
            rule: f.rule.code(),
            status: f.status.code(),
        }
    }
}

/// A recorded run of the self-inspection and what it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordedRunRecord<'a> {
    /// Who recorded it.
    pub actor: &'a str,
    /// The date the check counted to.
    pub checked_on: String,
    /// Its error findings.
    pub errors: usize,
    /// Its number.
    pub id: i64,
    /// Its info findings.
    pub infos: usize,
    /// Findings seen for the first time.
    pub new: usize,
    /// The SHA-256 of the policy it checked against.
    pub policy_sha256: &'a str,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
    /// Findings found again after being resolved.
    pub reopened: usize,
    /// Findings no longer found, resolved on `checked_on`.
    pub resolved: usize,
    /// Its warning findings.
    pub warnings: usize,
}

impl<'a> From<&'a RecordedRun> for RecordedRunRecord<'a> {
    fn from(run: &'a RecordedRun) -> Self {
        RecordedRunRecord {
            actor: &run.actor,
            checked_on: run.checked_on.to_string(),
            errors: run.counts[0],
            id: run.id,
            infos: run.counts[2],
            new: run.new,
            policy_sha256: &run.policy_sha256,
            recorded_at: run.recorded_at.to_string(),
            reopened: run.reopened,
            resolved: run.resolved,
            warnings: run.counts[1],
        }
    }
}

/// A file of a 事務.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessFileRecord<'a> {
    /// The asset's id.
    pub id: String,
    /// Whether it holds 特定個人情報.
    pub my_number: bool,
    /// The asset's name.
    pub name: &'a str,
    /// Its 件数.
    pub record_count: Option<u64>,
}

impl<'a> From<&'a ProcessFile> for ProcessFileRecord<'a> {
    fn from(f: &'a ProcessFile) -> Self {
        ProcessFileRecord {
            id: f.id.to_string(),
            my_number: f.my_number,
            name: &f.name,
            record_count: f.record_count,
        }
    }
}

/// One 事務 with its figures, the evaluation they require and the one done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PiaEntryRecord<'a> {
    /// The evaluation document's number.
    pub document: Option<&'a str>,
    /// The evaluation done: `basic`, `focused` or `full`.
    pub evaluation: Option<&'static str>,
    /// Its files, the largest 件数 first.
    pub files: Vec<ProcessFileRecord<'a>>,
    /// 取扱者数.
    pub handlers: u64,
    /// Its number.
    pub id: i64,
    /// The date of its last 重大事故.
    pub incident_on: Option<String>,
    /// Its name.
    pub name: &'a str,
    /// 対象人数: the stated figure, else the largest 件数 of its files.
    pub persons: Option<u64>,
    /// Whether `persons` is the stated figure.
    pub persons_stated: bool,
    /// The evaluation's publication date.
    pub published_on: Option<String>,
    /// The evaluation required: `basic`, `focused`, `full`, or none.
    pub required: Option<&'static str>,
    /// A 重大事故 occurred in the year up to the day listed.
    pub serious_incident: bool,
    /// `not_required`, `done`, `missing`, `insufficient` or `stale`.
    pub verdict: &'static str,
}

impl<'a> From<&'a PiaEntry> for PiaEntryRecord<'a> {
    fn from(e: &'a PiaEntry) -> Self {
        let p = &e.process;
        PiaEntryRecord {
            document: p.evaluation.as_ref().map(|v| v.document.as_str()),
            evaluation: p.evaluation.as_ref().map(|v| v.kind.code()),
            files: e.files.iter().map(ProcessFileRecord::from).collect(),
            handlers: p.handlers,
            id: p.id,
            incident_on: p.incident_on.map(|d| d.to_string()),
            name: &p.name,
            persons: e.need.persons,
            persons_stated: p.stated_persons.is_some(),
            published_on: p.evaluation.as_ref().map(|v| v.published_on.to_string()),
            required: e.need.required.map(crate::policy::PiaKind::code),
            serious_incident: e.need.serious_incident,
            verdict: e.verdict.code(),
        }
    }
}

/// A file naming a 事務 that is not registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownProcessRecord<'a> {
    /// The file.
    pub file: ProcessFileRecord<'a>,
    /// The name it gives.
    pub named: &'a str,
}

/// The 特定個人情報保護評価 list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PiaReportRecord<'a> {
    /// Every 事務.
    pub processes: Vec<PiaEntryRecord<'a>>,
    /// The day judged.
    pub today: String,
    /// Files of 特定個人情報 in use that name no 事務.
    pub unassigned: Vec<ProcessFileRecord<'a>>,
    /// Files naming a 事務 that is not registered.
    pub unknown: Vec<UnknownProcessRecord<'a>>,
}

impl<'a> From<&'a PiaReport> for PiaReportRecord<'a> {
    fn from(r: &'a PiaReport) -> Self {
        PiaReportRecord {
            processes: r.entries.iter().map(PiaEntryRecord::from).collect(),
            today: r.today.to_string(),
            unassigned: r.unassigned.iter().map(ProcessFileRecord::from).collect(),
            unknown: r
                .unknown
                .iter()
                .map(|u| UnknownProcessRecord {
                    file: ProcessFileRecord::from(&u.file),
                    named: &u.named,
                })
                .collect(),
        }
    }
}
