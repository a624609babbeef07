//! The replay of what the register records beside its assets and links:
//! recorded runs of the self-inspection, tracked findings (是正) and the
//! 事務 of 特定個人情報. Each entry's after is the record's whole state; a
//! finding's last sighting is the date of the last run whose entry lists it.
//! A finding's message is not compared: it is what the last run said, and
//! runs that change no status write no entry of the finding.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use super::Replay;
use crate::audit::Action;
use crate::store::{Db, FindingRow, ProcessRow, RunRow, StoredEntry};

type Record = Map<String, Value>;

/// What the log said of runs, findings and 事務, by id.
#[derive(Debug, Default)]
pub(super) struct Followup {
    runs: HashMap<i64, Record>,
    findings: HashMap<i64, Record>,
    processes: HashMap<i64, Record>,
    last_seen: HashMap<i64, Value>,
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
            let date = after.get("checked_on").cloned().unwrap_or(Value::Null);
            if let Some(Value::Array(seen)) = after.remove("seen") {
                for finding in seen.iter().filter_map(Value::as_i64) {
                    self.last_seen.insert(finding, date.clone());
                }
            }
        }
        after.remove("id");
        records.insert(id, after);
        true
    }

    /// Compares the register's rows with what the log said.
    pub(super) fn finish(mut self, db: &Db, out: &mut Replay) -> crate::Result<()> {
        for (id, record) in &mut self.findings {
            let seen = self.last_seen.get(id).cloned().unwrap_or(Value::Null);
            record.insert("last_seen".to_owned(), seen);
        }
        let mut rows = BTreeMap::new();
        db.each_run(|row| {
            rows.insert(row.id, run_record(&row));
            Ok(())
        })?;
        compare("recorded run", &rows, &self.runs, out);
        rows.clear();
        db.each_finding(|row| {
            rows.insert(row.id, finding_record(&row));
            Ok(())
        })?;
        compare("finding", &rows, &self.findings, out);
        rows.clear();
        db.each_process(|row| {
            rows.insert(row.id, process_record(&row));
            Ok(())
        })?;
        compare("事務", &rows, &self.processes, out);
        Ok(())
    }
}

/// Compares each row's fields with the log's record of it, and names the
/// records the register lacks.
fn compare(
    kind: &str,
    rows: &BTreeMap<i64, Record>,
    logged: &HashMap<i64, Record>,
    out: &mut Replay,
) {
    for (id, row) in rows {
        let object = format!("{kind} #{id}");
        let Some(record) = logged.get(id) else {
            out.push(
                object,
                None,
                "is in the register but not in the audit log".into(),
            );
            continue;
        };
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
    let mut missing: Vec<i64> = logged
        .keys()
        .filter(|id| !rows.contains_key(id))
        .copied()
        .collect();
    missing.sort_unstable();
    for id in missing {
        out.push(
            format!("{kind} #{id}"),
            None,
            "is in the audit log but not in the register".into(),
        );
    }
}
