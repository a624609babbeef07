//! Findings tracked to correction (是正): a recorded run of the
//! self-inspection ([`Register::record_check`]) keeps each finding by a
//! stable key with its first and last sighting, its status, owner and due
//! date; a finding a later recorded run no longer finds is resolved on that
//! run's date, and reopens if it comes back.
//!
//! # The key
//!
//! A finding's key is its rule's id, a colon, and its subject:
//!
//! - for a finding on assets, the ids of the assets it names, in the order
//!   the rule names them (the asset to fix first), joined by `+`:
//!   `segment.host_mismatch:0192…+0193…`;
//! - for a finding on a 事務 (`pia.*`), `process-` and the 事務's number:
//!   `pia.evaluation_missing:process-3`, whatever files it has (none, or
//!   another file becoming its largest), and whatever it is renamed to;
//! - for `correction.overdue`, `finding-` and the overdue tracked finding's
//!   number: `correction.overdue:finding-12`.
//!
//! It depends on nothing a message says, so a renamed asset or 事務 keeps its
//! findings. One run never finds two findings with one key: that would be a
//! rule reporting the same thing twice, a bug (`debug_assert!`), and the
//! run records the first.
//!
//! The runs and findings live in the tables `check_runs` and `findings`
//! (migration `*_findings.sql`, SQL in `store::findings`); every status change, and each
//! run with the findings it saw, has an audit entry (`Action::Finding`,
//! `Action::CheckRun`), so the log holds each finding's status history.

use jiff::Timestamp;
use jiff::civil::Date;
use serde_json::json;

use crate::audit::{Action, Appender, AuditEntry, Change, Head};
use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::register::Register;
use crate::rules::catalog::{RuleId, Severity};
use crate::rules::check::{Finding, Report, StreamedReport};
use crate::rules::findings::CheckOptions;
use crate::rules::snapshot::{CorrectionNode, Snapshot};
use crate::store::{Db, FindingRow, RunRow};

/// Where a tracked finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum FindingStatus {
    /// Found and not yet taken up (未対応).
    Open,
    /// Being corrected (是正中).
    InProgress,
    /// No longer found by a recorded run (解消).
    Resolved,
    /// Found, but covered by a valid exception (例外措置).
    Excepted,
}

impl FindingStatus {
    /// Every status.
    pub const ALL: [FindingStatus; 4] = [
        FindingStatus::Open,
        FindingStatus::InProgress,
        FindingStatus::Resolved,
        FindingStatus::Excepted,
    ];

    /// The code: `open`, `in_progress`, `resolved` or `excepted`.
    pub fn code(self) -> &'static str {
        match self {
            FindingStatus::Open => "open",
            FindingStatus::InProgress => "in_progress",
            FindingStatus::Resolved => "resolved",
            FindingStatus::Excepted => "excepted",
        }
    }

    /// The Japanese label: 未対応, 是正中, 解消 or 例外措置.
    pub fn label_ja(self) -> &'static str {
        match self {
            FindingStatus::Open => "未対応",
            FindingStatus::InProgress => "是正中",
            FindingStatus::Resolved => "解消",
            FindingStatus::Excepted => "例外措置",
        }
    }

    /// The English label.
    pub fn label_en(self) -> &'static str {
        match self {
            FindingStatus::Open => "open",
            FindingStatus::InProgress => "in progress",
            FindingStatus::Resolved => "resolved",
            FindingStatus::Excepted => "covered by an exception",
        }
    }

    /// Still to be corrected: open or in progress.
    pub fn is_pending(self) -> bool {
        matches!(self, FindingStatus::Open | FindingStatus::InProgress)
    }
}

impl std::fmt::Display for FindingStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for FindingStatus {
    type Err = Error;

    /// Its code (`in-progress` too) or its Japanese label.
    fn from_str(s: &str) -> Result<Self> {
        let wanted = s.trim().replace('-', "_");
        FindingStatus::ALL
            .into_iter()
            .find(|st| st.code() == wanted || st.label_ja() == wanted)
            .ok_or_else(|| {
                Error::unknown("status", s, FindingStatus::ALL.iter().map(|st| st.code()))
            })
    }
}

/// A finding tracked across recorded runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackedFinding {
    /// Its number, from 1.
    pub id: i64,
    /// The stable key: `rule:asset-id[+asset-id…]`, `rule:process-N` or
    /// `rule:finding-N` (see the module's doc).
    pub key: String,
    /// The rule.
    pub rule: RuleId,
    /// The assets its key names, the one to fix first; empty for a finding
    /// on a 事務 or a tracked finding (see [`TrackedFinding::subject`]).
    pub assets: Vec<AssetId>,
    /// What its key names instead of assets: a 事務 or a tracked finding.
    pub subject: Option<KeySubject>,
    /// What the last run that found it said, in Japanese.
    pub message_ja: String,
    /// What the last run that found it said, in English.
    pub message_en: String,
    /// The date of the first recorded run that found it.
    pub first_seen: Date,
    /// The date of the last recorded run that found it.
    pub last_seen: Date,
    /// Where it stands.
    pub status: FindingStatus,
    /// The date of the run that no longer found it, while resolved.
    pub resolved_on: Option<Date>,
    /// Who corrects it.
    pub owner: Option<String>,
    /// When it is to be corrected by.
    pub due_on: Option<Date>,
}

impl TrackedFinding {
    /// Still to be corrected and past its due date on `today`.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_pending() && self.due_on.is_some_and(|due| due < today)
    }

    fn from_row(row: FindingRow) -> Result<TrackedFinding> {
        let id = row.id;
        let corrupt = |what: &str, value: &str| Error::Corrupt {
            what: format!("finding {id} has {what} `{value}`"),
        };
        let date = |s: &str| s.parse::<Date>().map_err(|_| corrupt("the date", s));
        let (rule, parsed) = parse_key(&row.key).ok_or_else(|| corrupt("the key", &row.key))?;
        let (assets, subject) = match parsed {
            KeySubject::Assets(assets) => (assets, None),
            other => (Vec::new(), Some(other)),
        };
        Ok(TrackedFinding {
            id,
            rule,
            assets,
            subject,
            first_seen: date(&row.first_seen)?,
            last_seen: date(&row.last_seen)?,
            status: row
                .status
                .parse()
                .map_err(|_| corrupt("the status", &row.status))?,
            resolved_on: row.resolved_on.as_deref().map(date).transpose()?,
            due_on: row.due_on.as_deref().map(date).transpose()?,
            key: row.key,
            message_ja: row.message_ja,
            message_en: row.message_en,
            owner: row.owner,
        })
    }
}

/// What a tracked finding's key names after its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySubject {
    /// Assets, the one to fix first.
    Assets(Vec<AssetId>),
    /// A 事務, by its number (`process-3`).
    Process(i64),
    /// A tracked finding, by its number (`finding-12`).
    Finding(i64),
}

/// The key of a finding (see the module's doc).
pub fn finding_key(finding: &Finding) -> String {
    finding.key()
}

/// A key's rule and subject; none for a key no run makes.
pub fn parse_key(key: &str) -> Option<(RuleId, KeySubject)> {
    let (rule, subject) = key.split_once(':')?;
    let rule = rule.parse().ok()?;
    let number = |prefix: &str| {
        subject
            .strip_prefix(prefix)
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|&n| n > 0)
    };
    if let Some(id) = number("process-") {
        return Some((rule, KeySubject::Process(id)));
    }
    if let Some(id) = number("finding-") {
        return Some((rule, KeySubject::Finding(id)));
    }
    let assets = subject
        .split('+')
        .map(|id| id.parse().ok())
        .collect::<Option<Vec<AssetId>>>()?;
    (!assets.is_empty()).then_some((rule, KeySubject::Assets(assets)))
}

/// A recorded run of the self-inspection and what it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRun {
    /// Its number, from 1.
    pub id: i64,
    /// The date the check counted to.
    pub checked_on: Date,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// Who recorded it.
    pub actor: String,
    /// The SHA-256 of the policy it checked against.
    pub policy_sha256: String,
    /// How many errors, warnings and info findings it found.
    pub counts: [usize; 3],
    /// Findings seen for the first time.
    pub new: usize,
    /// Findings found again after being resolved or excepted.
    pub reopened: usize,
    /// Findings no longer found, resolved on `checked_on`.
    pub resolved: usize,
}

/// What [`Register::set_finding`] changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingUpdate {
    /// `Open` or `InProgress`; a recorded run resolves, an exception covers.
    pub status: Option<FindingStatus>,
    /// Who corrects it; an empty text clears it.
    pub owner: Option<String>,
    /// When it is to be corrected by; `Some(None)` clears it.
    pub due_on: Option<Option<Date>>,
}

/// The audit log's record of a finding's state.
fn record(row: &FindingRow) -> String {
    json!({
        "id": row.id,
        "key": row.key,
        "rule": row.rule,
        "status": row.status,
        "first_seen": row.first_seen,
        "resolved_on": row.resolved_on,
        "owner": row.owner,
        "due_on": row.due_on,
    })
    .to_string()
}

fn log_finding(
    db: &Db,
    log: &mut Appender<'_>,
    before: Option<&FindingRow>,
    after: &FindingRow,
) -> Result<()> {
    let before = before.map(record);
    let after = record(after);
    log.append(
        db,
        &Change {
            action: Action::Finding,
            asset_id: None,
            related_id: None,
            before: before.as_deref(),
            after: Some(&after),
        },
    )
}

/// Refuses a run's date after today in Japan, or before the last recorded
/// run's.
fn refuse_date(db: &Db, date: Date) -> Result<()> {
    let today = crate::parse::today_in_japan();
    if date > today {
        return Err(Error::invalid(
            "today",
            date.to_string(),
            format!("今日（{today}）より後の日付では記録できません"),
            format!("a run cannot be recorded for a date after today ({today})"),
        ));
    }
    if let Some(last) = db.last_run()?
        && last.checked_on.as_str() > date.to_string().as_str()
    {
        return Err(Error::invalid(
            "today",
            date.to_string(),
            format!(
                "最後に記録した自己点検の日付（{}）より前の日付では記録できません",
                last.checked_on
            ),
            format!(
                "a run cannot be recorded before the last recorded run's date ({})",
                last.checked_on
            ),
        ));
    }
    Ok(())
}

/// How many times a run is tried again when the register changed between
/// its check and its recording.
const RECORD_ATTEMPTS: usize = 5;

impl Register {
    /// Runs the self-inspection and records it: the run, each finding's
    /// first and last sighting, new ones opened, those no longer found
    /// resolved on the check's date, resolved ones found again reopened,
    /// those a valid exception covers marked so; one transaction, with an
    /// audit entry for the run and for each finding whose status changed.
    ///
    /// Refused for a date before the last recorded run's, or after today in
    /// Japan (a run on a later date would refuse every run until then);
    /// both are checked inside the write transaction.
    pub fn record_check(&mut self, options: &CheckOptions) -> Result<(Report, RecordedRun)> {
        self.record_check_then(options, |_, _| Ok::<(), Error>(()))
    }

    /// [`Register::record_check`], calling `prepare` with the report and the
    /// run inside the write transaction, before it commits: a door renders
    /// the report there (into a buffer or a temporary file), so that a
    /// report it cannot write leaves no run recorded. When `prepare` fails,
    /// nothing is recorded and its error is returned.
    pub fn record_check_then<E: From<Error>>(
        &mut self,
        options: &CheckOptions,
        prepare: impl FnMut(&Report, &RecordedRun) -> std::result::Result<(), E>,
    ) -> std::result::Result<(Report, RecordedRun), E> {
        self.record_with(options, |r| r.check(options), prepare)
    }

    /// [`Register::record_check_then`] with the report streamed
    /// ([`Register::check_streamed`]): the findings are read back from disk
    /// in report order to be recorded, and again for `prepare` to render,
    /// so that a run of millions of findings is recorded without holding
    /// them (the run's audit entry still names the number of each finding
    /// it saw, eight bytes a finding).
    pub fn record_check_streamed_then<E: From<Error>>(
        &mut self,
        options: &CheckOptions,
        prepare: impl FnMut(&StreamedReport, &RecordedRun) -> std::result::Result<(), E>,
    ) -> std::result::Result<(StreamedReport, RecordedRun), E> {
        self.record_with(options, |r| r.check_streamed(options, None), prepare)
    }

    pub(crate) fn record_with<R: RunFindings, E: From<Error>>(
        &mut self,
        options: &CheckOptions,
        check: impl Fn(&Register) -> Result<R>,
        mut prepare: impl FnMut(&R, &RecordedRun) -> std::result::Result<(), E>,
    ) -> std::result::Result<(R, RecordedRun), E> {
        refuse_date(self.db(), options.today)?;
        for _ in 0..RECORD_ATTEMPTS {
            let report = check(self)?;
            let checked_head = report.head();
            let mut run = None;
            let mut refused = None;
            let policy_sha256 = self.policy().sha256().to_owned();
            let actor = self.actor().to_owned();
            let written = self.write_logged(|tx, log| {
                let head = tx
                    .audit_head()?
                    .map_or(Head::EMPTY, |(entries, hash)| Head { entries, hash });
                refuse_date(tx, report.today())?;
                if Some(head) != checked_head {
                    // Changed since the check: check again.
                    return Ok(());
                }
                let recorded = record_run(tx, log, &report, &policy_sha256, &actor)?;
                if let Err(e) = prepare(&report, &recorded) {
                    refused = Some(e);
                    // Any error rolls the transaction back; this one is
                    // replaced by `prepare`'s below.
                    return Err(Error::Busy);
                }
                run = Some(recorded);
                Ok(())
            });
            if let Some(e) = refused {
                return Err(e);
            }
            written?;
            if let Some(run) = run {
                return Ok((report, run));
            }
        }
        Err(Error::Busy.into())
    }

    /// Every tracked finding, by number.
    pub fn findings(&self) -> Result<Vec<TrackedFinding>> {
        let mut found = Vec::new();
        self.db().each_finding(|row| {
            found.push(TrackedFinding::from_row(row)?);
            Ok(())
        })?;
        Ok(found)
    }

    /// One tracked finding by its key or number (`12` or `#12`).
    pub fn finding(&self, key_or_number: &str) -> Result<TrackedFinding> {
        let wanted = key_or_number.trim();
        let row = match wanted.trim_start_matches('#').parse::<i64>() {
            Ok(number) => self.db().finding(number)?,
            Err(_) => self.db().finding_by_key(wanted)?,
        };
        let row = row.ok_or_else(|| {
            Error::invalid(
                "finding",
                wanted,
                "この番号かキーの追跡中の指摘はありません（`findings` で確認できます）",
                "no tracked finding has this number or key (see `findings`)",
            )
        })?;
        TrackedFinding::from_row(row)
    }

    /// Changes a tracked finding's status (open or in progress), owner or
    /// due date, with an audit entry.
    pub fn set_finding(
        &mut self,
        key_or_number: &str,
        update: &FindingUpdate,
    ) -> Result<TrackedFinding> {
        let current = self.finding(key_or_number)?;
        if let Some(status) = update.status {
            if !status.is_pending() {
                return Err(Error::invalid(
                    "status",
                    status.code(),
                    "解消は記録した点検が、例外は例外措置が決めます。\
                     `open` か `in_progress` を指定してください",
                    "a recorded run resolves a finding and an exception covers one; \
                     set `open` or `in_progress`",
                ));
            }
            if !current.status.is_pending() && status != current.status {
                return Err(Error::invalid(
                    "status",
                    status.code(),
                    format!(
                        "指摘 {} は {} です。記録した点検が再び見つけると未対応に戻ります",
                        current.id,
                        current.status.code()
                    ),
                    format!(
                        "finding {} is {}; it reopens when a recorded run finds it again",
                        current.id,
                        current.status.code()
                    ),
                ));
            }
        }
        if let Some(owner) = &update.owner {
            crate::write::check_text("owner", owner, false)?;
            crate::write::validate_free_text("owner", owner)?;
        }
        let id = current.id;
        self.write_logged(|tx, log| {
            let before = tx.finding(id)?.ok_or_else(|| Error::NotFound {
                id: format!("finding {id}"),
            })?;
            let mut after = before.clone();
            if let Some(status) = update.status {
                status.code().clone_into(&mut after.status);
            }
            if let Some(owner) = &update.owner {
                after.owner = Some(owner.trim().to_owned()).filter(|o| !o.is_empty());
            }
            if let Some(due) = update.due_on {
                after.due_on = due.map(|d| d.to_string());
            }
            if after == before {
                return Ok(());
            }
            tx.update_finding(&after)?;
            log_finding(tx, log, Some(&before), &after)
        })?;
        self.finding(&id.to_string())
    }

    /// A tracked finding's audit entries (`finding`), oldest first: its
    /// status history.
    pub fn finding_history(&self, key_or_number: &str) -> Result<Vec<AuditEntry>> {
        let id = self.finding(key_or_number)?.id;
        let mut entries = Vec::new();
        for stored in self.db().entries_of_action(Action::Finding.code())? {
            let seq = stored.seq;
            let corrupt = |what: &str| Error::Corrupt {
                what: format!("audit entry {seq} has {what}"),
            };
            let names = |json: &Option<String>| {
                json.as_deref()
                    .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
                    .and_then(|v| v.get("id")?.as_i64())
                    == Some(id)
            };
            if !names(&stored.after) {
                continue;
            }
            entries.push(AuditEntry {
                seq,
                at: stored.at.parse().map_err(|_| corrupt("a malformed time"))?,
                actor: stored.actor,
                action: Action::Finding,
                asset_id: stored.asset_id,
                related_id: stored.related_id,
                before: stored.before,
                after: stored.after,
                hash: stored
                    .hash
                    .try_into()
                    .map_err(|_| corrupt("a malformed hash"))?,
            });
        }
        Ok(entries)
    }

    /// Every recorded run, by number.
    pub fn runs(&self) -> Result<Vec<RecordedRun>> {
        let mut runs = Vec::new();
        self.db().each_run(|row| {
            runs.push(run_from_row(row, 0, 0, 0)?);
            Ok(())
        })?;
        Ok(runs)
    }

    /// Adds the findings still to be corrected that have a due date to a
    /// snapshot, for `correction.overdue` (never a `correction.overdue`
    /// finding itself).
    pub(crate) fn load_corrections(&self, snapshot: &mut Snapshot) -> Result<()> {
        self.db().each_finding(|row| {
            if row.due_on.is_none() {
                return Ok(());
            }
            let finding = TrackedFinding::from_row(row)?;
            let (Some(due_on), true) = (finding.due_on, finding.status.is_pending()) else {
                return Ok(());
            };
            if finding.rule == RuleId::CorrectionOverdue {
                return Ok(());
            }
            snapshot.corrections.push(CorrectionNode {
                id: finding.id,
                key: finding.key,
                due_on,
                owner: finding.owner,
            });
            Ok(())
        })
    }
}

fn run_from_row(row: RunRow, new: usize, reopened: usize, resolved: usize) -> Result<RecordedRun> {
    let id = row.id;
    let corrupt = |value: &str| Error::Corrupt {
        what: format!("recorded run {id} has `{value}`"),
    };
    let count = |n: i64| usize::try_from(n).map_err(|_| corrupt(&n.to_string()));
    Ok(RecordedRun {
        id,
        checked_on: row
            .checked_on
            .parse()
            .map_err(|_| corrupt(&row.checked_on))?,
        recorded_at: row
            .recorded_at
            .parse()
            .map_err(|_| corrupt(&row.recorded_at))?,
        counts: [count(row.errors)?, count(row.warnings)?, count(row.infos)?],
        actor: row.actor,
        policy_sha256: row.policy_sha256,
        new,
        reopened,
        resolved,
    })
}

/// What a run's sighting of a finding was.
enum Sighting {
    New,
    Reopened,
    Again,
}

/// Records that a run on `date` found `finding` (its key `key`): a new
/// tracked finding, or the tracked one seen again, reopened or marked as
/// covered by an exception; an audit entry when its status changes.
fn sight(
    tx: &Db,
    log: &mut Appender<'_>,
    finding: &Finding,
    key: String,
    tracked: Option<&FindingRow>,
    date: &str,
) -> Result<(i64, Sighting)> {
    let covered = finding.exception.is_some();
    let Some(before) = tracked else {
        let status = if covered {
            FindingStatus::Excepted
        } else {
            FindingStatus::Open
        };
        let mut row = FindingRow {
            id: 0,
            rule: finding.rule.code().to_owned(),
            asset: finding.assets.first().map(|a| a.id),
            message_ja: finding.message_ja.clone(),
            message_en: finding.message_en.clone(),
            first_seen: date.to_owned(),
            last_seen: date.to_owned(),
            status: status.code().to_owned(),
            resolved_on: None,
            owner: None,
            due_on: None,
            key,
        };
        row.id = tx.insert_finding(&row)?;
        log_finding(tx, log, None, &row)?;
        return Ok((row.id, Sighting::New));
    };
    let status = match (covered, before.status.as_str()) {
        (true, _) => FindingStatus::Excepted.code(),
        (false, "resolved" | "excepted") => FindingStatus::Open.code(),
        (false, _) => before.status.as_str(),
    };
    let mut after = before.clone();
    status.clone_into(&mut after.status);
    after.resolved_on = None;
    date.clone_into(&mut after.last_seen);
    after.message_ja.clone_from(&finding.message_ja);
    after.message_en.clone_from(&finding.message_en);
    tx.update_finding(&after)?;
    if after.status == before.status {
        return Ok((after.id, Sighting::Again));
    }
    log_finding(tx, log, Some(before), &after)?;
    let sighting = if before.status == FindingStatus::Resolved.code() {
        Sighting::Reopened
    } else {
        Sighting::Again
    };
    Ok((after.id, sighting))
}

/// The key of each finding of a run, in order. Two findings of one run with
/// one key would be a rule reporting one thing twice: a bug, which a debug
/// build stops at and a release build refuses to record.
pub(super) fn unique_keys(findings: &[Finding]) -> Result<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    let keys: Vec<String> = findings.iter().map(finding_key).collect();
    for key in &keys {
        if !seen.insert(key.as_str()) {
            debug_assert!(false, "two findings of one run have the key `{key}`");
            return Err(Error::Corrupt {
                what: format!(
                    "two findings of one run have the key `{key}` (a rule reports one thing twice)"
                ),
            });
        }
    }
    Ok(keys)
}

/// The findings a run records, in report order: a report's held in memory,
/// or a streamed report's read back from disk.
pub(crate) trait RunFindings {
    fn today(&self) -> Date;
    fn head(&self) -> Option<Head>;
    fn count(&self, severity: Severity) -> usize;
    /// Refuses two findings with one key before anything is written, when
    /// the findings are at hand (a streamed run is refused after).
    fn refuse_duplicates(&self) -> Result<()>;
    fn each(&self, each: &mut dyn FnMut(&Finding) -> Result<()>) -> Result<()>;
}

impl RunFindings for Report {
    fn today(&self) -> Date {
        self.today
    }
    fn head(&self) -> Option<Head> {
        self.head
    }
    fn count(&self, severity: Severity) -> usize {
        Report::count(self, severity)
    }
    fn refuse_duplicates(&self) -> Result<()> {
        unique_keys(&self.findings).map(drop)
    }
    fn each(&self, each: &mut dyn FnMut(&Finding) -> Result<()>) -> Result<()> {
        self.findings.iter().try_for_each(each)
    }
}

impl RunFindings for StreamedReport {
    fn today(&self) -> Date {
        self.today
    }
    fn head(&self) -> Option<Head> {
        self.head
    }
    fn count(&self, severity: Severity) -> usize {
        StreamedReport::count(self, severity)
    }
    fn refuse_duplicates(&self) -> Result<()> {
        Ok(())
    }
    fn each(&self, each: &mut dyn FnMut(&Finding) -> Result<()>) -> Result<()> {
        self.for_each_finding(each)
    }
}

/// Refuses a run whose findings were sighted twice (`seen`, sorted, holds
/// one number twice): two findings with one key, a rule reporting one thing
/// twice.
fn refuse_seen_twice(tx: &Db, seen: &[i64]) -> Result<()> {
    let Some(pair) = seen.windows(2).find(|pair| pair[0] == pair[1]) else {
        return Ok(());
    };
    let key = tx
        .finding(pair[0])?
        .map_or_else(|| format!("#{}", pair[0]), |row| row.key);
    debug_assert!(false, "two findings of one run have the key `{key}`");
    Err(Error::Corrupt {
        what: format!(
            "two findings of one run have the key `{key}` (a rule reports one thing twice)"
        ),
    })
}

/// Writes one run and its findings' changes, inside the caller's
/// transaction. Each finding is looked up by its key as it comes, so that
/// neither the run's findings nor the tracked ones are held.
fn record_run(
    tx: &Db,
    log: &mut Appender<'_>,
    report: &impl RunFindings,
    policy_sha256: &str,
    actor: &str,
) -> Result<RecordedRun> {
    report.refuse_duplicates()?;
    let date = report.today().to_string();
    let (mut new, mut reopened, mut resolved) = (0, 0, 0);
    let mut seen: Vec<i64> = Vec::new();
    report.each(&mut |finding| {
        let key = finding.key();
        let tracked = tx.finding_by_key(&key)?;
        let (id, sighting) = sight(tx, log, finding, key, tracked.as_ref(), &date)?;
        seen.push(id);
        match sighting {
            Sighting::New => new += 1,
            Sighting::Reopened => reopened += 1,
            Sighting::Again => {}
        }
        Ok(())
    })?;
    seen.sort_unstable();
    refuse_seen_twice(tx, &seen)?;
    // Those no longer found, by number.
    let mut unseen = Vec::new();
    tx.each_finding(|row| {
        if row.status != FindingStatus::Resolved.code() && seen.binary_search(&row.id).is_err() {
            unseen.push(row.id);
        }
        Ok(())
    })?;
    for id in unseen {
        let before = tx.finding(id)?.ok_or_else(|| Error::NotFound {
            id: format!("finding {id}"),
        })?;
        let mut after = before.clone();
        FindingStatus::Resolved.code().clone_into(&mut after.status);
        after.resolved_on = Some(date.clone());
        tx.update_finding(&after)?;
        log_finding(tx, log, Some(&before), &after)?;
        resolved += 1;
    }
    let count = |severity| i64::try_from(report.count(severity)).unwrap_or(i64::MAX);
    let mut run = RunRow {
        id: 0,
        checked_on: date,
        recorded_at: log.at().to_owned(),
        actor: actor.to_owned(),
        policy_sha256: policy_sha256.to_owned(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
    };
    run.id = tx.insert_run(&run)?;
    let after = json!({
        "id": run.id,
        "checked_on": run.checked_on,
        "policy_sha256": run.policy_sha256,
        "errors": run.errors,
        "warnings": run.warnings,
        "infos": run.infos,
        "seen": seen,
    })
    .to_string();
    log.append(
        tx,
        &Change {
            action: Action::CheckRun,
            asset_id: None,
            related_id: None,
            before: None,
            after: Some(&after),
        },
    )?;
    run_from_row(run, new, reopened, resolved)
}
