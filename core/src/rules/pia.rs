//! The 特定個人情報保護評価 helper (番号法 第27条・第28条; 特定個人情報保護評価に
//! 関する規則): the 事務 (business processes) that files of 特定個人情報
//! belong to, the evaluation each needs by the threshold judgment
//! (しきい値判断, [`PiaThresholds`]) and the evaluation done.
//!
//! # Which files belong to a 事務
//!
//! An asset names its 事務 in its extra attribute `事務` (also `事務名` or
//! `business_process`; several separated by `;` or `、`), matched with the
//! registered 事務's names folded (width, case, spaces). An attribute rather
//! than a column or a table of memberships: a section fills it in the sheet
//! it already returns (an unknown header becomes an extra attribute), it
//! travels with the asset through exports, imports, its history and the
//! audit log, and the asset table, the column table and every door stay as
//! they are. A name that matches no 事務 is listed by [`Register::pia`], as
//! is a file of 特定個人情報 that names none.
//!
//! 対象人数 is the stated figure, else the largest 件数 among the 事務's
//! files of 特定個人情報 (`my_number`); without either it is unknown, a
//! verdict of its own ([`PiaVerdict::PersonsUnknown`]). A 事務's name holds
//! no separator of the attribute, and is unique folded (checked inside the
//! write transaction, and by the table's UNIQUE `folded` column); a new name
//! is written into its files' attribute through the write path.
//!
//! 事務 live in the table `pia_processes` (migration `*_pia.sql`, SQL in
//! `store::pia`); each change has an audit entry (`Action::Pia`).

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde_json::json;

use crate::audit::{Action, Change};
use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::policy::{PiaKind, PiaNeed, PiaThresholds};
use crate::register::Register;
use crate::rules::snapshot::{ProcessNode, Snapshot};
use crate::store::{Db, ProcessFileRow, ProcessRow};
use crate::text::fold;

/// The extra attribute keys that name an asset's 事務 (folded).
const PROCESS_KEYS: [&str; 3] = ["事務", "事務名", "business_process"];

/// An evaluation done (特定個人情報保護評価書).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// The most thorough evaluation done (基礎項目評価 comes with the others).
    pub kind: PiaKind,
    /// The evaluation document's number (評価書番号).
    pub document: String,
    /// When it was published (公表日).
    pub published_on: Date,
}

/// A 事務 (business process) that files of 特定個人情報 belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// Its number, from 1.
    pub id: i64,
    /// Its name, e.g. 住民基本台帳に関する事務.
    pub name: String,
    /// 取扱者数: the staff and contractors who handle its files.
    pub handlers: u64,
    /// 対象人数 as stated; without it, the largest 件数 among its files of
    /// 特定個人情報.
    pub stated_persons: Option<u64>,
    /// The date of its last 重大事故 (serious incident).
    pub incident_on: Option<Date>,
    /// The evaluation done, if any.
    pub evaluation: Option<Evaluation>,
    /// When it was recorded.
    pub created_at: Timestamp,
    /// Who recorded it.
    pub created_by: String,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// Who last changed it.
    pub updated_by: String,
}

/// What [`Register::add_process`] records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewProcess {
    /// Its name.
    pub name: String,
    /// 取扱者数.
    pub handlers: u64,
    /// 対象人数 as stated, if it is to override the files' 件数.
    pub stated_persons: Option<u64>,
    /// The date of its last 重大事故.
    pub incident_on: Option<Date>,
    /// The evaluation done.
    pub evaluation: Option<Evaluation>,
}

/// What [`Register::set_process`] changes; `None` leaves a field as it is,
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcessChange {
    /// A new name.
    pub name: Option<String>,
    /// 取扱者数.
    pub handlers: Option<u64>,
    /// 対象人数 as stated.
    pub stated_persons: Option<Option<u64>>,
    /// The date of the last 重大事故.
    pub incident_on: Option<Option<Date>>,
    /// The evaluation done.
    pub evaluation: Option<Option<Evaluation>>,
}

/// How a 事務's evaluation stands against what it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PiaVerdict {
    /// No evaluation is required.
    NotRequired,
    /// 対象人数 is unknown (neither stated nor the 件数 of a file of
    /// 特定個人情報), so what is required cannot be judged (a warning).
    PersonsUnknown,
    /// Required, and the evaluation done is enough and recent.
    Done,
    /// Required, and none is recorded (an error).
    Missing,
    /// The evaluation done is less thorough than required (an error).
    Insufficient,
    /// Enough, but published longer ago than the policy's `valid_years` (a warning).
    Stale,
}

impl PiaVerdict {
    /// The code: `not_required`, `persons_unknown`, `done`, `missing`,
    /// `insufficient` or `stale`.
    pub fn code(self) -> &'static str {
        match self {
            PiaVerdict::NotRequired => "not_required",
            PiaVerdict::PersonsUnknown => "persons_unknown",
            PiaVerdict::Done => "done",
            PiaVerdict::Missing => "missing",
            PiaVerdict::Insufficient => "insufficient",
            PiaVerdict::Stale => "stale",
        }
    }

    /// The Japanese label.
    pub fn label_ja(self) -> &'static str {
        match self {
            PiaVerdict::NotRequired => "義務なし",
            PiaVerdict::PersonsUnknown => "対象人数不明",
            PiaVerdict::Done => "実施済",
            PiaVerdict::Missing => "未実施",
            PiaVerdict::Insufficient => "評価の種類が不足",
            PiaVerdict::Stale => "再評価時期を経過",
        }
    }

    /// The English label.
    pub fn label_en(self) -> &'static str {
        match self {
            PiaVerdict::NotRequired => "not required",
            PiaVerdict::PersonsUnknown => "persons unknown",
            PiaVerdict::Done => "done",
            PiaVerdict::Missing => "missing",
            PiaVerdict::Insufficient => "insufficient",
            PiaVerdict::Stale => "due for re-evaluation",
        }
    }

    /// The verdict for a need and the evaluation done, on `today`.
    pub fn of(
        thresholds: PiaThresholds,
        need: &PiaNeed,
        done: Option<&Evaluation>,
        today: Date,
    ) -> PiaVerdict {
        match (need.required, done) {
            (None, _) if need.persons.is_none() => PiaVerdict::PersonsUnknown,
            (None, _) => PiaVerdict::NotRequired,
            (Some(_), None) => PiaVerdict::Missing,
            (Some(required), Some(e)) if e.kind < required => PiaVerdict::Insufficient,
            (Some(_), Some(e)) if thresholds.is_stale(e.published_on, today) => PiaVerdict::Stale,
            (Some(_), Some(_)) => PiaVerdict::Done,
        }
    }
}

/// A file of a 事務: an asset in use that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessFile {
    /// The asset's id.
    pub id: AssetId,
    /// The asset's name.
    pub name: String,
    /// Its 件数, if recorded.
    pub record_count: Option<u64>,
    /// Whether it holds 特定個人情報.
    pub my_number: bool,
}

/// One 事務 of [`PiaReport`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiaEntry {
    /// The 事務.
    pub process: Process,
    /// Its files, the largest 件数 first.
    pub files: Vec<ProcessFile>,
    /// Its figures and the evaluation they require.
    pub need: PiaNeed,
    /// How the evaluation done stands.
    pub verdict: PiaVerdict,
}

/// An asset whose `事務` attribute names no registered 事務.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProcess {
    /// The asset.
    pub file: ProcessFile,
    /// The name it gives.
    pub named: String,
}

/// What [`Register::pia`] answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PiaReport {
    /// The day judged (a 重大事故 counts for a year up to it).
    pub today: Date,
    /// Every 事務, by number.
    pub entries: Vec<PiaEntry>,
    /// Files of 特定個人情報 in use that name no 事務.
    pub unassigned: Vec<ProcessFile>,
    /// Files naming a 事務 that is not registered.
    pub unknown: Vec<UnknownProcess>,
}

impl Process {
    fn from_row(row: ProcessRow) -> Result<Process> {
        let id = row.id;
        let corrupt = |what: &str, value: &str| Error::Corrupt {
            what: format!("事務 {id} has {what} `{value}`"),
        };
        let date = |s: &str| s.parse::<Date>().map_err(|_| corrupt("the date", s));
        let time = |s: &str| s.parse::<Timestamp>().map_err(|_| corrupt("the time", s));
        let count = |n: i64| u64::try_from(n).map_err(|_| corrupt("the number", &n.to_string()));
        let evaluation = match (&row.evaluation, &row.document, &row.published_on) {
            (Some(kind), Some(document), Some(published)) => Some(Evaluation {
                kind: kind.parse().map_err(|_| corrupt("the evaluation", kind))?,
                document: document.clone(),
                published_on: date(published)?,
            }),
            (None, None, None) => None,
            _ => return Err(corrupt("an evaluation", "in part")),
        };
        Ok(Process {
            id,
            handlers: count(row.handlers)?,
            stated_persons: row.stated_persons.map(count).transpose()?,
            incident_on: row.incident_on.as_deref().map(date).transpose()?,
            evaluation,
            created_at: time(&row.created_at)?,
            updated_at: time(&row.updated_at)?,
            name: row.name,
            created_by: row.created_by,
            updated_by: row.updated_by,
        })
    }

    /// The audit log's record of it.
    fn record(row: &ProcessRow) -> String {
        json!({
            "id": row.id,
            "name": row.name,
            "handlers": row.handlers,
            "stated_persons": row.stated_persons,
            "incident_on": row.incident_on,
            "evaluation": row.evaluation,
            "document": row.document,
            "published_on": row.published_on,
        })
        .to_string()
    }
}

/// Checks a 事務's values and writes them into `row`.
fn apply(row: &mut ProcessRow, new: &NewProcess) -> Result<()> {
    let today = crate::parse::today_in_japan();
    let name = new.name.trim();
    if name.is_empty() {
        return Err(Error::invalid(
            "name",
            &new.name,
            "事務には名前が必要です",
            "a 事務 has a name",
        ));
    }
    crate::write::check_text("name", name, false)?;
    crate::write::validate_free_text("name", name)?;
    if let Some(c) = name.chars().find(|&c| crate::parse::is_multi_separator(c)) {
        // A file's `事務` attribute is split at these, so a name holding one
        // could never match a file.
        return Err(Error::invalid(
            "name",
            name,
            format!(
                "事務名に「{c}」は使えません。ファイルの「事務」属性で複数の事務を区切る文字です"
            ),
            format!(
                "a 事務's name cannot hold `{c}`, which separates several 事務 in a file's `事務` \
                 attribute"
            ),
        ));
    }
    let number = |field: &'static str, n: u64| {
        i64::try_from(n)
            .map_err(|_| Error::invalid(field, n.to_string(), "大きすぎます", "too large"))
    };
    let not_future = |field: &'static str, d: Date| {
        if d > today {
            Err(Error::invalid(
                field,
                d.to_string(),
                format!("今日（{today}）より後の日付は指定できません"),
                format!("a date cannot be after today ({today})"),
            ))
        } else {
            Ok(d.to_string())
        }
    };
    name.clone_into(&mut row.name);
    row.handlers = number("handlers", new.handlers)?;
    row.stated_persons = new
        .stated_persons
        .map(|n| number("stated_persons", n))
        .transpose()?;
    row.incident_on = new
        .incident_on
        .map(|d| not_future("incident_on", d))
        .transpose()?;
    row.evaluation = None;
    row.document = None;
    row.published_on = None;
    if let Some(e) = &new.evaluation {
        let document = e.document.trim();
        if document.is_empty() {
            return Err(Error::invalid(
                "document",
                &e.document,
                "評価には評価書番号が必要です",
                "an evaluation names its document number",
            ));
        }
        crate::write::check_text("document", document, false)?;
        crate::write::validate_free_text("document", document)?;
        row.evaluation = Some(e.kind.code().to_owned());
        row.document = Some(document.to_owned());
        row.published_on = Some(not_future("published_on", e.published_on)?);
    }
    Ok(())
}

impl Register {
    /// Records a 事務 of 特定個人情報, with an audit entry.
    pub fn add_process(&mut self, new: &NewProcess) -> Result<Process> {
        let now = self.now().to_string();
        let actor = self.actor().to_owned();
        let mut row = ProcessRow {
            id: 0,
            name: String::new(),
            handlers: 0,
            stated_persons: None,
            incident_on: None,
            evaluation: None,
            document: None,
            published_on: None,
            created_at: now.clone(),
            created_by: actor.clone(),
            updated_at: now,
            updated_by: actor,
        };
        apply(&mut row, new)?;
        self.write_logged(|tx, log| {
            refuse_duplicate(tx, &row.name, None)?;
            row.id = tx.insert_process(&row)?;
            let after = Process::record(&row);
            log.append(
                tx,
                &Change {
                    action: Action::Pia,
                    asset_id: None,
                    related_id: None,
                    before: None,
                    after: Some(&after),
                },
            )
        })?;
        self.process(&row.id.to_string())
    }

    /// Changes a 事務 (by number or name), with an audit entry. A new name
    /// is carried to the `事務` attribute of its files in use, each an
    /// asset change through the write path with its own audit entry, in the
    /// same transaction.
    pub fn set_process(&mut self, name_or_number: &str, change: &ProcessChange) -> Result<Process> {
        let current = self.process(name_or_number)?;
        let id = current.id;
        let mut wanted = NewProcess {
            name: change.name.clone().unwrap_or(current.name),
            handlers: change.handlers.unwrap_or(current.handlers),
            stated_persons: change.stated_persons.unwrap_or(current.stated_persons),
            incident_on: change.incident_on.unwrap_or(current.incident_on),
            evaluation: current.evaluation,
        };
        if let Some(evaluation) = &change.evaluation {
            wanted.evaluation.clone_from(evaluation);
        }
        let before = self.db().process(id)?.ok_or_else(|| Error::NotFound {
            id: format!("事務 {id}"),
        })?;
        let mut after = before.clone();
        apply(&mut after, &wanted)?;
        after.updated_at = self.now().to_string();
        self.actor().clone_into(&mut after.updated_by);
        let unchanged = ProcessRow {
            updated_at: before.updated_at.clone(),
            updated_by: before.updated_by.clone(),
            ..after.clone()
        } == before;
        if !unchanged {
            self.write(|w| {
                if w.db.process(id)?.as_ref() != Some(&before) {
                    return Err(Error::Busy);
                }
                refuse_duplicate(w.db, &after.name, Some(id))?;
                if fold(&before.name) != fold(&after.name) {
                    rename_in_files(w, &before.name, &after.name)?;
                }
                w.db.update_process(&after)?;
                let (b, a) = (Process::record(&before), Process::record(&after));
                w.log.append(
                    w.db,
                    &Change {
                        action: Action::Pia,
                        asset_id: None,
                        related_id: None,
                        before: Some(&b),
                        after: Some(&a),
                    },
                )
            })?;
        }
        self.process(&id.to_string())
    }

    /// One 事務 by number (`3` or `#3`) or by name (folded).
    pub fn process(&self, name_or_number: &str) -> Result<Process> {
        let wanted = name_or_number.trim();
        let number = wanted.trim_start_matches('#').parse::<i64>().ok();
        let folded = fold(wanted);
        self.processes()?
            .into_iter()
            .find(|p| Some(p.id) == number || fold(&p.name) == folded)
            .ok_or_else(|| {
                Error::invalid(
                    "process",
                    wanted,
                    "この番号または名前の事務はありません（`daicho pia` で一覧）",
                    "no 事務 has this number or name",
                )
            })
    }

    /// Every 事務, by number.
    pub fn processes(&self) -> Result<Vec<Process>> {
        let mut found = Vec::new();
        self.db().each_process(|row| {
            found.push(Process::from_row(row)?);
            Ok(())
        })?;
        Ok(found)
    }

    /// Each 事務 with its files, its figures, the evaluation they require on
    /// `today` and how the evaluation done stands; and the files that name
    /// no registered 事務, or none at all while holding 特定個人情報.
    pub fn pia(&self, today: Date) -> Result<PiaReport> {
        self.db()
            .read(|db| pia_in(db, self.policy().pia(), today, true))
    }

    /// Adds the 事務 to a snapshot, for `pia.*`.
    pub(crate) fn load_processes(&self, snapshot: &mut Snapshot) -> Result<()> {
        let report = pia_in(
            self.db(),
            self.policy().pia(),
            crate::parse::today_in_japan(),
            false,
        )?;
        for entry in report.entries {
            snapshot.processes.push(ProcessNode {
                id: entry.process.id,
                files: entry
                    .files
                    .iter()
                    .filter_map(|f| snapshot.index(f.id))
                    .collect(),
                name: entry.process.name,
                persons: entry.need.persons,
                handlers: entry.process.handlers,
                incident_on: entry.process.incident_on,
                done: entry.process.evaluation.map(|e| (e.kind, e.published_on)),
            });
        }
        Ok(())
    }
}

/// Refuses a name another 事務 than `except` has (folded), inside the
/// caller's transaction (the table's UNIQUE `folded` column refuses it too).
fn refuse_duplicate(db: &Db, name: &str, except: Option<i64>) -> Result<()> {
    let folded = fold(name);
    let mut other = None;
    db.each_process(|row| {
        if Some(row.id) != except && fold(&row.name) == folded && other.is_none() {
            other = Some((row.id, row.name));
        }
        Ok(())
    })?;
    match other {
        Some((id, other)) => Err(Error::invalid(
            "name",
            name,
            format!(
                "事務 #{id} が既に「{other}」という名前です（幅・大文字小文字・空白を区別せずに比べます）"
            ),
            format!("事務 #{id} is already named `{other}`"),
        )),
        None => Ok(()),
    }
}

/// Writes `new` for `old` (folded) in the `事務` attribute of every asset in
/// use that names it, through the write path.
fn rename_in_files(w: &mut crate::write::Writer<'_, '_>, old: &str, new: &str) -> Result<()> {
    let keys: Vec<String> = PROCESS_KEYS.iter().map(|k| fold(k)).collect();
    let old = fold(old);
    let mut files = Vec::new();
    w.db.each_process_file(|row| {
        if row.extra.is_some() {
            files.push(row.id);
        }
        Ok(())
    })?;
    for id in files {
        let Some(asset) = w.db.asset(w.policy, id)? else {
            continue;
        };
        let mut extra = asset.fields.extra.clone();
        let mut renamed = false;
        for (key, value) in asset.fields.extra.iter() {
            if !keys.contains(&fold(key)) {
                continue;
            }
            if let Some(value) = rename_in_value(value, &old, new) {
                extra.insert(key, value);
                renamed = true;
            }
        }
        if renamed {
            w.change(id, Some(asset.version), |current| {
                let mut fields = current.fields.clone();
                fields.extra = extra;
                Ok(fields)
            })?;
        }
    }
    Ok(())
}

/// `value` with each of its 事務 (separated as `split_multi` separates them)
/// that folds to `old` written as `new`, separators kept; none when no part
/// names `old`.
fn rename_in_value(value: &str, old: &str, new: &str) -> Option<String> {
    let mut out = String::with_capacity(value.len());
    let mut renamed = false;
    for part in value.split_inclusive(crate::parse::is_multi_separator) {
        let (name, separator) = match part.char_indices().last() {
            Some((i, c)) if crate::parse::is_multi_separator(c) => part.split_at(i),
            _ => (part, ""),
        };
        let trimmed = name.trim();
        if !trimmed.is_empty() && fold(trimmed) == old {
            let start = name.len() - name.trim_start().len();
            out.push_str(&name[..start]);
            out.push_str(new);
            out.push_str(&name[start + trimmed.len()..]);
            renamed = true;
        } else {
            out.push_str(name);
        }
        out.push_str(separator);
    }
    renamed.then_some(out)
}

/// [`Register::pia`] inside the caller's read; without `with_unassigned`,
/// the files are not read when there is no 事務.
fn pia_in(
    db: &Db,
    thresholds: PiaThresholds,
    today: Date,
    with_unassigned: bool,
) -> Result<PiaReport> {
    let mut processes = Vec::new();
    db.each_process(|row| {
        processes.push(Process::from_row(row)?);
        Ok(())
    })?;
    let mut files = Vec::new();
    if processes.is_empty() && !with_unassigned {
        // Most registers record no 事務: the check need not read every file.
        return Ok(PiaReport {
            today,
            entries: Vec::new(),
            unassigned: Vec::new(),
            unknown: Vec::new(),
        });
    }
    db.each_process_file(|row| {
        files.push(row);
        Ok(())
    })?;
    let members = Members::of(&processes, files);
    let mut entries = Vec::with_capacity(processes.len());
    for (index, process) in processes.into_iter().enumerate() {
        let mut files = members.files[index].clone();
        files.sort_by(|a, b| {
            b.record_count
                .cmp(&a.record_count)
                .then_with(|| a.id.cmp(&b.id))
        });
        // Only files of 特定個人情報 count towards 対象人数.
        let persons = process.stated_persons.or_else(|| {
            files
                .iter()
                .filter(|f| f.my_number)
                .filter_map(|f| f.record_count)
                .max()
        });
        let need = thresholds.need(persons, process.handlers, process.incident_on, today);
        let verdict = PiaVerdict::of(thresholds, &need, process.evaluation.as_ref(), today);
        entries.push(PiaEntry {
            process,
            files,
            need,
            verdict,
        });
    }
    Ok(PiaReport {
        today,
        entries,
        unassigned: members.unassigned,
        unknown: members.unknown,
    })
}

/// The files of each 事務 (by index), and those that name none or an unknown one.
struct Members {
    files: Vec<Vec<ProcessFile>>,
    unassigned: Vec<ProcessFile>,
    unknown: Vec<UnknownProcess>,
}

impl Members {
    fn of(processes: &[Process], rows: Vec<ProcessFileRow>) -> Members {
        let by_name: HashMap<String, usize> = processes
            .iter()
            .enumerate()
            .map(|(i, p)| (fold(&p.name), i))
            .collect();
        let keys: Vec<String> = PROCESS_KEYS.iter().map(|k| fold(k)).collect();
        let mut members = Members {
            files: vec![Vec::new(); processes.len()],
            unassigned: Vec::new(),
            unknown: Vec::new(),
        };
        for row in rows {
            let pairs: Vec<(String, String)> = row
                .extra
                .as_deref()
                .and_then(|extra| serde_json::from_str(extra).ok())
                .unwrap_or_default();
            let file = ProcessFile {
                id: row.id,
                name: row.name,
                record_count: row.record_count.and_then(|n| u64::try_from(n).ok()),
                my_number: row.my_number,
            };
            let named: Vec<&str> = pairs
                .iter()
                .filter(|(key, _)| keys.contains(&fold(key)))
                .flat_map(|(_, value)| crate::parse::split_multi(value))
                .collect();
            if named.is_empty() && file.my_number {
                members.unassigned.push(file.clone());
            }
            for name in named {
                match by_name.get(&fold(name)) {
                    Some(&i) if !members.files[i].iter().any(|f| f.id == file.id) => {
                        members.files[i].push(file.clone());
                    }
                    Some(_) => {}
                    None => members.unknown.push(UnknownProcess {
                        file: file.clone(),
                        named: name.to_owned(),
                    }),
                }
            }
        }
        members
    }
}
