//! The replay of what the register records beside its assets and links:
//! recorded runs of the self-inspection, tracked findings (是正) and the
//! 事務 of 特定個人情報. Each entry's after is the record's whole state; a
//! finding's last sighting is the date of the last run whose entry lists it.
//! A finding's message is not compared: it is what the last run said, and
//! runs that change no status write no entry of the finding.
//!
//! The register as of a moment rebuilds these rows from the same records
//! ([`Followup::rebuild`]).

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{Map, Value, json};

use super::Replay;
use crate::audit::Action;
use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::store::{Db, FindingRow, ProcessRow, RunRow, StoredEntry};

type Record = Map<String, Value>;

/// Records by id, each kept as its compact JSON text: a register may track
/// hundreds of thousands of findings, and a parsed map costs about ten times
/// its text (issue 17).
type Logged = HashMap<i64, Box<str>>;

/// What the log said of runs, findings and 事務, by id.
#[derive(Debug, Default)]
pub(super) struct Followup {
    runs: Logged,
    findings: Logged,
    processes: Logged,
    /// The date of the last run that saw each finding (one text per run, shared).
    last_seen: HashMap<i64, Rc<str>>,
    /// When and by whom each run and 事務 was first and last written, by
    /// kind and id (a finding's rebuild needs none).
    stamps: HashMap<(&'static str, i64), Stamp>,
}

/// A logged record's text as a map again.
fn parsed(text: &str) -> Record {
    serde_json::from_str::<Value>(text)
        .map(object)
        .unwrap_or_default()
}

/// The time and actor of a record's first and last entries.
#[derive(Debug, Clone)]
struct Stamp {
    first: (String, String),
    last: (String, String),
}

fn run_record(row: &RunRow) -> Record {
    object(json!({
        "checked_on": row.checked_on,
        "policy_sha256": row.policy_sha256,
        "errors": row.errors,
        "warnings": row.warnings,
        "infos": row.infos,
    }))
}

fn finding_record(row: &FindingRow) -> Record {
    object(json!({
        "key": row.key,
        "rule": row.rule,
        "status": row.status,
        "first_seen": row.first_seen,
        "last_seen": row.last_seen,
        "resolved_on": row.resolved_on,
        "owner": row.owner,
        "due_on": row.due_on,
    }))
}

fn process_record(row: &ProcessRow) -> Record {
    object(json!({
        "name": row.name,
        "handlers": row.handlers,
        "stated_persons": row.stated_persons,
        "incident_on": row.incident_on,
        "evaluation": row.evaluation,
        "document": row.document,
        "published_on": row.published_on,
    }))
}

fn object(value: Value) -> Record {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

impl Followup {
    /// Takes an entry of one of the actions it follows; false for others.
    pub(super) fn visit(
        &mut self,
        seq: u64,
        action: Action,
        entry: &StoredEntry,
        out: &mut Replay,
    ) -> bool {
        let (kind, records) = match action {
            Action::CheckRun => ("run", &mut self.runs),
            Action::Finding => ("finding", &mut self.findings),
            Action::Pia => ("事務", &mut self.processes),
            _ => return false,
        };
        let after = entry
            .after
            .as_deref()
            .and_then(|json| serde_json::from_str::<Value>(json).ok())
            .map(object);
        let Some((id, mut after)) = after.and_then(|a| Some((a.get("id")?.as_i64()?, a))) else {
            out.push(
                format!("audit entry {seq}"),
                None,
                format!("its {kind} cannot be read"),
            );
            return true;
        };
        if action == Action::CheckRun {
            let date: Option<Rc<str>> = after
                .get("checked_on")
                .and_then(Value::as_str)
                .map(Rc::from);
            if let Some(Value::Array(seen)) = after.remove("seen") {
                for finding in seen.iter().filter_map(Value::as_i64) {
                    match &date {
                        Some(date) => self.last_seen.insert(finding, Rc::clone(date)),
                        None => self.last_seen.remove(&finding),
                    };
                }
            }
        }
        after.remove("id");
        records.insert(id, Value::Object(after).to_string().into_boxed_str());
        if action == Action::Finding {
            return true;
        }
        let now = (entry.at.clone(), entry.actor.clone());
        self.stamps
            .entry((kind, id))
            .and_modify(|stamp| stamp.last = now.clone())
            .or_insert_with(|| Stamp {
                first: now.clone(),
                last: now,
            });
        true
    }

    /// Writes into `target` the runs, findings and 事務 the log says, so
    /// that [`Followup::finish`] would find them equal. What the log does
    /// not hold is filled in: a run's time and actor are its entry's, a
    /// 事務's creation and last change its first and last entries'; a
    /// finding's asset is the first its key names, and its messages are the
    /// ones `source` holds now (the last recorded run's: the log holds none).
    pub(super) fn rebuild(&self, source: &Db, target: &Db) -> Result<()> {
        let corrupt = |kind: &str, id: i64, what: &str| Error::Corrupt {
            what: format!("the audit log's {kind} #{id} has {what}"),
        };
        let stamp = |kind: &'static str, id: i64| {
            self.stamps
                .get(&(kind, id))
                .ok_or_else(|| corrupt(kind, id, "no entry"))
        };
        for (id, record) in sorted(&self.runs) {
            let field = Fields::new(&record, "run", id);
            let (at, actor) = stamp("run", id)?.first.clone();
            target.restore_run(&RunRow {
                id,
                checked_on: field.text("checked_on")?,
                recorded_at: at,
                actor,
                policy_sha256: field.text("policy_sha256")?,
                errors: field.int("errors")?,
                warnings: field.int("warnings")?,
                infos: field.int("infos")?,
            })?;
        }
        for (id, record) in sorted(&self.findings) {
            let field = Fields::new(&record, "finding", id);
            let key = field.text("key")?;
            // `rule:asset[+asset]` names assets; `rule:process-N` and
            // `rule:finding-N` name a 事務 or a finding, and no asset.
            let subject = key
                .split_once(':')
                .map(|(_, subject)| subject)
                .ok_or_else(|| corrupt("finding", id, "a malformed key"))?;
            let asset = if subject.starts_with("process-") || subject.starts_with("finding-") {
                None
            } else {
                let first = subject.split('+').next().unwrap_or_default();
                Some(
                    first
                        .parse::<AssetId>()
                        .map_err(|_| corrupt("finding", id, "a malformed key"))?,
                )
            };
            let first_seen = field.text("first_seen")?;
            let last_seen = match self.last_seen.get(&id) {
                Some(date) => date.to_string(),
                None => first_seen.clone(),
            };
            let now = source.finding(id)?.filter(|row| row.key == key);
            let (message_ja, message_en) =
                now.map_or_else(Default::default, |row| (row.message_ja, row.message_en));
            target.restore_finding(&FindingRow {
                id,
                rule: field.text("rule")?,
                asset,
                message_ja,
                message_en,
                first_seen,
                last_seen,
                status: field.text("status")?,
                resolved_on: field.opt_text("resolved_on")?,
                owner: field.opt_text("owner")?,
                due_on: field.opt_text("due_on")?,
                key,
            })?;
        }
        for (id, record) in sorted(&self.processes) {
            let field = Fields::new(&record, "事務", id);
            let stamp = stamp("事務", id)?;
            target.restore_process(&ProcessRow {
                id,
                name: field.text("name")?,
                handlers: field.int("handlers")?,
                stated_persons: field.opt_int("stated_persons")?,
                incident_on: field.opt_text("incident_on")?,
                evaluation: field.opt_text("evaluation")?,
                document: field.opt_text("document")?,
                published_on: field.opt_text("published_on")?,
                created_at: stamp.first.0.clone(),
                created_by: stamp.first.1.clone(),
                updated_at: stamp.last.0.clone(),
                updated_by: stamp.last.1.clone(),
            })?;
        }
        Ok(())
    }

    /// Compares the register's rows with what the log said, a row at a
    /// time as the store reads them in id order.
    pub(super) fn finish(mut self, db: &Db, out: &mut Replay) -> crate::Result<()> {
        let mut runs = Compared::new("recorded run", &mut self.runs);
        db.each_run(|row| {
            runs.row(row.id, &run_record(&row), |_| {}, out);
            Ok(())
        })?;
        runs.missing(out);
        let last_seen = &self.last_seen;
        let mut findings = Compared::new("finding", &mut self.findings);
        db.each_finding(|row| {
            let seen = |record: &mut Record| {
                let date = last_seen
                    .get(&row.id)
                    .map_or(Value::Null, |date| Value::String(date.to_string()));
                record.insert("last_seen".to_owned(), date);
            };
            findings.row(row.id, &finding_record(&row), seen, out);
            Ok(())
        })?;
        findings.missing(out);
        let mut processes = Compared::new("事務", &mut self.processes);
        db.each_process(|row| {
            processes.row(row.id, &process_record(&row), |_| {}, out);
            Ok(())
        })?;
        processes.missing(out);
        Ok(())
    }
}

/// The records by id, each parsed as it is taken.
fn sorted(records: &Logged) -> impl Iterator<Item = (i64, Record)> + '_ {
    let mut ids: Vec<i64> = records.keys().copied().collect();
    ids.sort_unstable();
    ids.into_iter().map(move |id| {
        (
            id,
            records
                .get(&id)
                .map_or_else(Record::new, |text| parsed(text)),
        )
    })
}

/// The fields of one logged record, read for a rebuild.
struct Fields<'a> {
    record: &'a Record,
    kind: &'static str,
    id: i64,
}

impl<'a> Fields<'a> {
    fn new(record: &'a Record, kind: &'static str, id: i64) -> Self {
        Fields { record, kind, id }
    }

    fn bad(&self, field: &str) -> Error {
        Error::Corrupt {
            what: format!(
                "the audit log's {} #{} has no readable `{field}`",
                self.kind, self.id
            ),
        }
    }

    fn text(&self, field: &str) -> Result<String> {
        self.opt_text(field)?.ok_or_else(|| self.bad(field))
    }

    fn opt_text(&self, field: &str) -> Result<Option<String>> {
        match self.record.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(self.bad(field)),
        }
    }

    fn int(&self, field: &str) -> Result<i64> {
        self.opt_int(field)?.ok_or_else(|| self.bad(field))
    }

    fn opt_int(&self, field: &str) -> Result<Option<i64>> {
        match self.record.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => value.as_i64().map(Some).ok_or_else(|| self.bad(field)),
        }
    }
}

/// Compares each row's fields with the log's record of it, as the rows
/// come, and then names the records the register lacks.
struct Compared<'a> {
    kind: &'static str,
    /// The log's records not yet met in the register.
    logged: &'a mut Logged,
}

impl<'a> Compared<'a> {
    fn new(kind: &'static str, logged: &'a mut Logged) -> Self {
        Compared { kind, logged }
    }

    /// One row of the register, with `fill` adding to the log's record what
    /// the replay knows beside it.
    fn row(&mut self, id: i64, row: &Record, fill: impl FnOnce(&mut Record), out: &mut Replay) {
        let object = format!("{} #{id}", self.kind);
        let Some(text) = self.logged.remove(&id) else {
            out.push(
                object,
                None,
                "is in the register but not in the audit log".into(),
            );
            return;
        };
        let mut record = parsed(&text);
        fill(&mut record);
        for (field, stored) in row {
            let said = record.get(field).unwrap_or(&Value::Null);
            if stored != said {
                out.push(
                    object.clone(),
                    Some(field),
                    format!("is {stored} in the register, {said} in the audit log"),
                );
            }
        }
    }

    /// The log's records no row matched, by id.
    fn missing(self, out: &mut Replay) {
        let mut missing: Vec<i64> = self.logged.keys().copied().collect();
        missing.sort_unstable();
        for id in missing {
            out.push(
                format!("{} #{id}", self.kind),
                None,
                "is in the audit log but not in the register".into(),
            );
        }
    }
}
