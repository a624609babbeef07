//! Replaying the audit log from empty and comparing the result with the
//! register's rows: every asset (every stored column, its version and
//! timestamps), link and risk assessment must be what the log says, and
//! nothing may be in the register that the log does not hold.
//!
//! Only the number of the entry that last set each asset is kept while the
//! log is read, so that a register of a million assets replays in little
//! memory and time; each asset row is then compared, column by column, with
//! the row that entry's record implies.

mod followup;

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::{Action, Redaction};
use crate::model::{Asset, AssetId, Extra};
use crate::policy::Policy;
use crate::record::{LinkRecord, expand_audit_json};
use crate::store::sql::OwnedValue;
use crate::store::{Db, StoredEntry, Table, Value, asset_column_names, asset_values};
use crate::table::cells::{Issues, Resolver, parse_fields};
use crate::table::{AssetRecord, Column};

mod campaigns;
mod rebuild;

pub(crate) use campaigns::{AttestRecord, CloseRecord, StartRecord};
pub(crate) use rebuild::rebuild;

/// How many mismatches are kept (all are counted).
const KEPT: usize = 100;

/// A difference between the register and what its audit log says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// What differs: an asset (`asset `name` (id)`), a link, a risk
    /// assessment, or an audit entry.
    pub object: String,
    /// The stored column that differs, when one does.
    pub field: Option<String>,
    /// How it differs.
    pub detail: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}: `{field}` {}", self.object, self.detail),
            None => write!(f, "{}: {}", self.object, self.detail),
        }
    }
}

/// The result of a replay.
#[derive(Debug, Clone, Default)]
pub(crate) struct Replay {
    /// The first mismatches found.
    pub(crate) mismatches: Vec<Mismatch>,
    /// How many there were in all.
    pub(crate) total: u64,
    /// The policy's SHA-256 chained in the first entry (`init`), if any.
    pub(crate) policy_digest: Option<String>,
    /// The `restore` entries: their number and the head they replaced.
    pub(crate) restores: Vec<(u64, Option<String>)>,
}

impl Replay {
    fn push(&mut self, object: String, field: Option<&str>, detail: String) {
        self.total += 1;
        if self.mismatches.len() < KEPT {
            self.mismatches.push(Mismatch {
                object,
                field: field.map(str::to_owned),
                detail,
            });
        }
    }
}

/// What the log says of an asset: the entry that last set it.
#[derive(Debug, Clone, Copy)]
struct AssetState {
    seq: u64,
    /// The entry that created it: the order of the register's rows.
    created: u64,
}

/// What the log says of a link: its sanitization and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LinkState {
    sanitization: Option<String>,
    created_at: String,
}

/// What the log says of a risk assessment; the time only for entries of
/// format 2, which record the assessment at the entry's time.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RiskState {
    likelihood: i64,
    vulnerability: i64,
    assessed_by: String,
    assessed_at: Option<String>,
    /// The entry's time, whatever its format.
    at: String,
}

/// An assessment entry's payload.
#[derive(Deserialize)]
struct StoredAssessment {
    threat: String,
    likelihood: i64,
    vulnerability: i64,
}

/// The payload of a `restore` entry.
#[derive(Deserialize)]
struct RestoreRecord {
    replaced_head: Option<String>,
}

/// A state of a `policy_set` entry: the policy it names.
#[derive(Deserialize)]
struct PolicyStamp {
    sha256: String,
}

/// What an `exception` entry's after says: the exception's record.
#[derive(Debug, Clone, Deserialize)]
struct LoggedException {
    id: i64,
    rule: String,
    asset: String,
    related: Option<String>,
    reason: String,
    approver: String,
    approved_on: String,
    expires_on: Option<String>,
    conditions: Option<String>,
    ended_at: Option<String>,
}

/// The payload of an `init` entry.
#[derive(Deserialize)]
struct InitRecord {
    policy_sha256: String,
}

type LinkKey = (Vec<u8>, String, Vec<u8>);

/// A replay of the log: what it says so far. Feed it every entry in order
/// ([`Replayer::visit`]), then compare the register with it
/// ([`Replayer::finish`]).
#[derive(Debug, Default)]
pub(crate) struct Replayer {
    out: Replay,
    assets: HashMap<AssetId, AssetState>,
    links: HashMap<LinkKey, LinkState>,
    risks: HashMap<(Vec<u8>, String), RiskState>,
    exceptions: HashMap<i64, LoggedException>,
    followup: followup::Followup,
    /// Who recorded each exception and when, and who ended it.
    exception_origins: HashMap<i64, ExceptionOrigin>,
    campaigns: campaigns::Campaigns,
}

/// Who recorded an exception and when (its first entry), and who ended it.
#[derive(Debug, Clone)]
struct ExceptionOrigin {
    created_at: String,
    created_by: String,
    ended_by: Option<String>,
}

impl Replayer {
    /// Takes the next entry of the log.
    pub(crate) fn visit(&mut self, seq: u64, entry: &StoredEntry) {
        if let Ok(action) = entry.action.parse::<Action>() {
            self.entry(seq, action, entry);
        }
    }

    /// Compares the register's rows with what the log said, skipping the
    /// fields the log's `redactions` blanked where they decide a row.
    pub(crate) fn finish(
        self,
        db: &Db,
        policy: &Policy,
        redactions: &[Redaction],
    ) -> crate::Result<Replay> {
        let mut redacted: HashMap<u64, HashSet<&str>> = HashMap::new();
        for r in redactions {
            redacted
                .entry(r.entry)
                .or_default()
                .insert(r.field.as_str());
        }
        let Replayer {
            mut out,
            assets,
            links,
            risks,
            exceptions,
            followup,
            exception_origins: _,
            campaigns,
        } = self;
        let mut resolver = Resolver::new(policy);
        compare_assets(db, &mut resolver, &assets, &redacted, &mut out)?;
        compare_links(db, &links, &mut out)?;
        compare_risks(db, &risks, &mut out)?;
        compare_exceptions(db, &exceptions, &mut out)?;
        followup.finish(db, &mut out)?;
        campaigns.compare(db, &mut out)?;
        Ok(out)
    }

    fn entry(&mut self, seq: u64, action: Action, entry: &StoredEntry) {
        let object = || format!("audit entry {seq}");
        if self.followup.visit(seq, action, entry, &mut self.out) {
            return;
        }
        match action {
            Action::Init => match (seq, init_digest(entry)) {
                (1, Some(digest)) => self.out.policy_digest = Some(digest),
                (1, None) => self
                    .out
                    .push(object(), None, "the init entry names no policy".into()),
                _ => self
                    .out
                    .push(object(), None, "an init entry that is not the first".into()),
            },
            Action::Restore => {
                let replaced = entry
                    .after
                    .as_deref()
                    .and_then(|json| serde_json::from_str::<RestoreRecord>(json).ok())
                    .and_then(|r| r.replaced_head);
                self.out.restores.push((seq, replaced));
            }
            // A redaction is checked by the chain; runs, findings and 事務 by `followup`.
            Action::Redact | Action::CheckRun | Action::Finding | Action::Pia => {}
            Action::Exception => match entry
                .after
                .as_deref()
                .and_then(|json| serde_json::from_str::<LoggedException>(json).ok())
            {
                Some(logged) => {
                    let origin = self.exception_origins.entry(logged.id).or_insert_with(|| {
                        ExceptionOrigin {
                            created_at: entry.at.clone(),
                            created_by: entry.actor.clone(),
                            ended_by: None,
                        }
                    });
                    if logged.ended_at.is_some() && origin.ended_by.is_none() {
                        origin.ended_by = Some(entry.actor.clone());
                    }
                    self.exceptions.insert(logged.id, logged);
                }
                None => self.out.push(
                    format!("audit entry {seq}"),
                    None,
                    "its exception cannot be read".into(),
                ),
            },
            Action::Create | Action::Update | Action::Dispose => self.asset(seq, action, entry),
            Action::Link | Action::Unlink => self.link(seq, action, entry),
            Action::Assess => self.assessment(seq, entry),
            Action::Delete => self.deletion(seq, entry),
            Action::PolicySet => self.policy_set(seq, entry),
            Action::CampaignStart | Action::Attest | Action::CampaignClose => {
                self.campaigns
                    .visit(seq, action.code(), entry, &mut self.out);
            }
        }
    }

    /// A deleted asset leaves the register; its links and risks left by
    /// entries of their own before it.
    fn deletion(&mut self, seq: u64, entry: &StoredEntry) {
        let object = || format!("audit entry {seq}");
        match entry.asset_id {
            Some(id) if self.assets.remove(&id).is_some() => {}
            Some(id) => self.out.push(
                object(),
                None,
                format!("it deletes asset `{id}`, which no earlier entry made"),
            ),
            None => self
                .out
                .push(object(), None, "the entry names no asset".into()),
        }
    }

    /// A policy set replaces the policy the register must hold from here on.
    fn policy_set(&mut self, seq: u64, entry: &StoredEntry) {
        let read = |json: &Option<String>| {
            json.as_deref()
                .and_then(|j| serde_json::from_str::<PolicyStamp>(j).ok())
        };
        match (read(&entry.before), read(&entry.after)) {
            (Some(before), Some(after)) => {
                if let Some(held) = &self.out.policy_digest
                    && *held != before.sha256
                {
                    self.out.push(
                        format!("audit entry {seq}"),
                        None,
                        format!(
                            "it replaces policy {}, but the log's policy was {held}",
                            before.sha256
                        ),
                    );
                }
                self.out.policy_digest = Some(after.sha256);
            }
            _ => self.out.push(
                format!("audit entry {seq}"),
                None,
                "its policies cannot be read".into(),
            ),
        }
    }

    fn asset(&mut self, seq: u64, action: Action, entry: &StoredEntry) {
        let object = || format!("audit entry {seq}");
        let Some(id) = entry.asset_id else {
            self.out
                .push(object(), None, "the entry names no asset".into());
            return;
        };
        match (action, self.assets.get(&id)) {
            (Action::Create, Some(state)) => self.out.push(
                object(),
                None,
                format!("it creates asset `{id}`, which entry {} made", state.seq),
            ),
            (Action::Update | Action::Dispose, None) => self.out.push(
                object(),
                None,
                format!("it changes asset `{id}`, which no earlier entry made"),
            ),
            _ => {}
        }
        if entry.after.is_none() {
            self.out
                .push(object(), None, "it has no state after".into());
        }
        let created = match (action, self.assets.get(&id)) {
            (Action::Update | Action::Dispose, Some(state)) => state.created,
            _ => seq,
        };
        self.assets.insert(id, AssetState { seq, created });
    }

    fn link(&mut self, seq: u64, action: Action, entry: &StoredEntry) {
        let object = || format!("audit entry {seq}");
        let read = |json: &Option<String>| {
            json.as_deref()
                .and_then(|j| serde_json::from_str::<LinkRecord>(j).ok())
        };
        let (before, after) = (read(&entry.before), read(&entry.after));
        let Some(record) = after.as_ref().or(before.as_ref()) else {
            self.out
                .push(object(), None, "its link cannot be read".into());
            return;
        };
        let Some(key) = link_key(record) else {
            self.out
                .push(object(), None, "its link names no valid asset".into());
            return;
        };
        let exists = self.links.contains_key(&key);
        match (action, &before, &after) {
            (Action::Link, None, Some(link)) if !exists => {
                let state = LinkState {
                    sanitization: link.sanitization.clone(),
                    created_at: entry.at.clone(),
                };
                self.links.insert(key, state);
            }
            (Action::Link, Some(_), Some(link)) if exists => {
                if let Some(state) = self.links.get_mut(&key) {
                    state.sanitization.clone_from(&link.sanitization);
                }
            }
            (Action::Unlink, Some(_), None) if exists => {
                self.links.remove(&key);
            }
            _ => self.out.push(
                object(),
                None,
                format!(
                    "it {} the link `{} {} {}`, which {}",
                    action,
                    record.from,
                    record.relation,
                    record.to,
                    if exists { "exists" } else { "does not exist" }
                ),
            ),
        }
    }

    fn assessment(&mut self, seq: u64, entry: &StoredEntry) {
        let read = |json: &Option<String>| {
            json.as_deref()
                .and_then(|j| serde_json::from_str::<StoredAssessment>(j).ok())
        };
        let removed = entry.after.is_none();
        let stored = read(&entry.after).or_else(|| read(&entry.before));
        let (Some(id), Some(stored)) = (entry.asset_id, stored) else {
            self.out.push(
                format!("audit entry {seq}"),
                None,
                "its risk assessment cannot be read".into(),
            );
            return;
        };
        let key = (id.as_bytes().to_vec(), stored.threat);
        if removed {
            self.risks.remove(&key);
        } else {
            let state = RiskState {
                likelihood: stored.likelihood,
                vulnerability: stored.vulnerability,
                assessed_by: entry.actor.clone(),
                assessed_at: (entry.format >= 2).then(|| entry.at.clone()),
                at: entry.at.clone(),
            };
            self.risks.insert(key, state);
        }
    }
}

fn init_digest(entry: &StoredEntry) -> Option<String> {
    entry
        .after
        .as_deref()
        .and_then(|json| serde_json::from_str::<InitRecord>(json).ok())
        .map(|r| r.policy_sha256)
}

fn link_key(record: &LinkRecord) -> Option<LinkKey> {
    let from: AssetId = record.from.parse().ok()?;
    let to: AssetId = record.to.parse().ok()?;
    Some((
        from.as_bytes().to_vec(),
        record.relation.clone(),
        to.as_bytes().to_vec(),
    ))
}

/// Collects the first bad cell of a record read from the log.
struct FirstProblem(Option<String>);

impl Issues for FirstProblem {
    fn error(&mut self, column: Column, value: &str, reason: crate::text::Localized) {
        if self.0.is_none() {
            self.0 = Some(format!("has {} `{value}`: {reason}", column.key()));
        }
    }

    fn warn(&mut self, _column: Column, _value: &str, _reason: crate::text::Localized) {}
}

/// The asset an entry's stored record describes, as the register would hold it.
fn expected_asset(
    resolver: &mut Resolver<'_>,
    json: &str,
    id: AssetId,
    at: &str,
) -> Result<Asset, String> {
    let whole = expand_audit_json(json.to_owned(), Some(id), at);
    let record: AssetRecord =
        serde_json::from_str(&whole).map_err(|_| "cannot be read".to_owned())?;
    let value = serde_json::to_value(&record).map_err(|_| "cannot be read".to_owned())?;
    let texts: Vec<String> = Column::ALL
        .iter()
        .map(|column| match &value[column.key()] {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Bool(flag) => flag.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Array(items) if *column == Column::Controls => items
                .iter()
                .filter_map(serde_json::Value::as_str)
                .collect::<Vec<_>>()
                .join(";"),
            _ => String::new(),
        })
        .collect();
    let extra: Extra = record.extra.iter().cloned().collect();
    let mut problem = FirstProblem(None);
    let fields = parse_fields(resolver, |c| texts[c.index()].as_str(), extra, &mut problem);
    let fields = match (fields, problem.0) {
        (Some(fields), None) => fields,
        (_, Some(problem)) => return Err(problem),
        (None, None) => return Err("cannot be read".to_owned()),
    };
    let time = |text: &str| text.parse().map_err(|_| format!("has the time `{text}`"));
    Ok(Asset {
        id: record
            .id
            .parse()
            .map_err(|_| "has no valid id".to_owned())?,
        fields,
        version: record.version,
        created_at: time(&record.created_at)?,
        updated_at: time(&record.updated_at)?,
    })
}

/// The values the register stores for an asset.
fn expected_values(asset: &Asset) -> Vec<OwnedValue> {
    let (created_at, updated_at) = (asset.created_at.to_string(), asset.updated_at.to_string());
    let mut values = Vec::new();
    asset_values(asset, &created_at, &updated_at, |v| {
        values.push(OwnedValue::from(v));
    });
    values
}

/// A stored value as a message shows it.
fn shown(value: Value<'_>) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Integer(n) => n.to_string(),
        Value::Real(x) => x.to_string(),
        Value::Text(t) => format!("`{}`", String::from_utf8_lossy(t)),
        Value::Blob(b) => {
            AssetId::from_bytes(b).map_or_else(|| hex::encode(b), |id| id.to_string())
        }
    }
}

fn text(value: Option<&Value<'_>>) -> Option<String> {
    match value {
        Some(Value::Text(t)) => Some(String::from_utf8_lossy(t).into_owned()),
        _ => None,
    }
}

fn compare_assets(
    db: &Db,
    resolver: &mut Resolver<'_>,
    assets: &HashMap<AssetId, AssetState>,
    redacted: &HashMap<u64, HashSet<&str>>,
    out: &mut Replay,
) -> crate::Result<()> {
    let names = asset_column_names();
    let name_at = names.iter().position(|n| n == Column::Name.store_name());
    // The column each stored value belongs to (a rank has none).
    let columns: Vec<Option<Column>> = names
        .iter()
        .map(|name| Column::ALL.iter().copied().find(|c| c.store_name() == name))
        .collect();
    let mut seen = HashSet::new();
    db.each_raw_row(Table::Assets, |values| {
        let id = match values.first() {
            Some(Value::Blob(bytes)) => AssetId::from_bytes(bytes),
            _ => None,
        };
        let name = name_at
            .and_then(|i| text(values.get(i)))
            .unwrap_or_default();
        let Some(id) = id else {
            out.push(
                format!("asset `{name}`"),
                Some("id"),
                "is not a valid id".into(),
            );
            return Ok(());
        };
        let object = || format!("asset `{name}` ({id})");
        seen.insert(id);
        let Some(state) = assets.get(&id) else {
            out.push(
                object(),
                None,
                "is in the register but not in the audit log".into(),
            );
            return Ok(());
        };
        // Compare column by column with the entry that last set the asset.
        let Some(entry) = db.entry(state.seq)? else {
            return Ok(());
        };
        let expected = match entry
            .after
            .as_deref()
            .map(|json| expected_asset(resolver, json, id, &entry.at))
        {
            Some(Ok(expected)) => expected,
            Some(Err(reason)) => {
                out.push(
                    format!("audit entry {}", state.seq),
                    None,
                    format!("its asset record {reason}"),
                );
                return Ok(());
            }
            None => return Ok(()),
        };
        let skipped = redacted.get(&state.seq);
        let expected = expected_values(&expected);
        for (index, (name, column)) in names.iter().zip(&columns).enumerate() {
            if column.is_some_and(|c| skipped.is_some_and(|s| s.contains(c.key()))) {
                continue;
            }
            let stored = values.get(index).copied().unwrap_or(Value::Null);
            let logged = expected
                .get(index)
                .map_or(Value::Null, OwnedValue::as_value);
            if OwnedValue::from(stored) != OwnedValue::from(logged) {
                out.push(
                    object(),
                    Some(name),
                    format!(
                        "is {} in the register, {} in the audit log (entry {})",
                        shown(stored),
                        shown(logged),
                        state.seq
                    ),
                );
            }
        }
        Ok(())
    })?;
    let mut missing: Vec<(&AssetId, &AssetState)> = assets
        .iter()
        .filter(|(id, _)| !seen.contains(*id))
        .collect();
    missing.sort_by_key(|(_, state)| state.seq);
    for (id, state) in missing {
        out.push(
            format!("asset `{id}`"),
            None,
            format!(
                "is in the audit log (entry {}) but not in the register",
                state.seq
            ),
        );
    }
    Ok(())
}

fn compare_links(
    db: &Db,
    links: &HashMap<LinkKey, LinkState>,
    out: &mut Replay,
) -> crate::Result<()> {
    let mut seen = HashSet::new();
    db.each_raw_row(Table::Links, |values| {
        let blob = |i: usize| match values.get(i) {
            Some(Value::Blob(b)) => b.to_vec(),
            _ => Vec::new(),
        };
        let key = (blob(0), text(values.get(1)).unwrap_or_default(), blob(2));
        let object = format!(
            "link `{} {} {}`",
            shown(Value::Blob(&key.0)),
            key.1,
            shown(Value::Blob(&key.2))
        );
        let Some(state) = links.get(&key) else {
            out.push(
                object,
                None,
                "is in the register but not in the audit log".into(),
            );
            return Ok(());
        };
        seen.insert(key.clone());
        let sanitization = text(values.get(3));
        if sanitization != state.sanitization {
            out.push(
                object.clone(),
                Some("sanitization"),
                format!(
                    "is {} in the register, {} in the audit log",
                    sanitization.as_deref().unwrap_or("null"),
                    state.sanitization.as_deref().unwrap_or("null")
                ),
            );
        }
        let created_at = text(values.get(4)).unwrap_or_default();
        if created_at != state.created_at {
            out.push(
                object,
                Some("created_at"),
                format!(
                    "is `{created_at}` in the register, `{}` in the audit log",
                    state.created_at
                ),
            );
        }
        Ok(())
    })?;
    for key in links.keys().filter(|k| !seen.contains(*k)) {
        out.push(
            format!(
                "link `{} {} {}`",
                shown(Value::Blob(&key.0)),
                key.1,
                shown(Value::Blob(&key.2))
            ),
            None,
            "is in the audit log but not in the register".into(),
        );
    }
    Ok(())
}

fn compare_risks(
    db: &Db,
    risks: &HashMap<(Vec<u8>, String), RiskState>,
    out: &mut Replay,
) -> crate::Result<()> {
    let mut seen = HashSet::new();
    db.each_raw_row(Table::Risks, |values| {
        let asset = match values.first() {
            Some(Value::Blob(b)) => b.to_vec(),
            _ => Vec::new(),
        };
        let threat = text(values.get(1)).unwrap_or_default();
        let object = format!(
            "risk assessment of `{}` for `{threat}`",
            shown(Value::Blob(&asset))
        );
        let key = (asset, threat);
        let Some(state) = risks.get(&key) else {
            out.push(
                object,
                None,
                "is in the register but not in the audit log".into(),
            );
            return Ok(());
        };
        seen.insert(key.clone());
        let integer = |i: usize| {
            values
                .get(i)
                .map_or_else(|| "null".to_owned(), |v| shown(*v))
        };
        let mut differs = |field: &str, stored: String, logged: String| {
            if stored != logged {
                out.push(
                    object.clone(),
                    Some(field),
                    format!("is {stored} in the register, {logged} in the audit log"),
                );
            }
        };
        differs("likelihood", integer(2), state.likelihood.to_string());
        differs("vulnerability", integer(3), state.vulnerability.to_string());
        differs(
            "assessed_by",
            format!("`{}`", text(values.get(5)).unwrap_or_default()),
            format!("`{}`", state.assessed_by),
        );
        if let Some(at) = &state.assessed_at {
            differs(
                "assessed_at",
                format!("`{}`", text(values.get(4)).unwrap_or_default()),
                format!("`{at}`"),
            );
        }
        Ok(())
    })?;
    for (asset, threat) in risks.keys().filter(|k| !seen.contains(*k)) {
        out.push(
            format!(
                "risk assessment of `{}` for `{threat}`",
                shown(Value::Blob(asset))
            ),
            None,
            "is in the audit log but not in the register".into(),
        );
    }
    Ok(())
}

/// Compares every exception (例外措置) with the last record the log holds of
/// it; whether it was ended is compared, not the instant's spelling.
fn compare_exceptions(
    db: &Db,
    exceptions: &HashMap<i64, LoggedException>,
    out: &mut Replay,
) -> crate::Result<()> {
    let mut seen = HashSet::new();
    db.each_exception(|row| {
        let object = format!("exception #{}", row.id);
        let Some(logged) = exceptions.get(&row.id) else {
            out.push(
                object,
                None,
                "is in the register but not in the audit log".into(),
            );
            return Ok(());
        };
        seen.insert(row.id);
        let optional =
            |value: Option<String>| value.map_or_else(|| "none".to_owned(), |v| format!("`{v}`"));
        let fields = [
            (
                "rule",
                format!("`{}`", row.rule),
                format!("`{}`", logged.rule),
            ),
            (
                "asset",
                format!("`{}`", row.asset),
                format!("`{}`", logged.asset),
            ),
            (
                "related",
                optional(row.related.map(|id| id.to_string())),
                optional(logged.related.clone()),
            ),
            (
                "reason",
                format!("`{}`", row.reason),
                format!("`{}`", logged.reason),
            ),
            (
                "approver",
                format!("`{}`", row.approver),
                format!("`{}`", logged.approver),
            ),
            (
                "approved_on",
                format!("`{}`", row.approved_on),
                format!("`{}`", logged.approved_on),
            ),
            (
                "expires_on",
                optional(row.expires_on),
                optional(logged.expires_on.clone()),
            ),
            (
                "conditions",
                optional(row.conditions),
                optional(logged.conditions.clone()),
            ),
            (
                "ended",
                row.ended_at.is_some().to_string(),
                logged.ended_at.is_some().to_string(),
            ),
        ];
        for (field, stored, logged) in fields {
            if stored != logged {
                out.push(
                    object.clone(),
                    Some(field),
                    format!("is {stored} in the register, {logged} in the audit log"),
                );
            }
        }
        Ok(())
    })?;
    let mut missing: Vec<i64> = exceptions
        .keys()
        .filter(|id| !seen.contains(*id))
        .copied()
        .collect();
    missing.sort_unstable();
    for id in missing {
        out.push(
            format!("exception #{id}"),
            None,
            "is in the audit log but not in the register".into(),
        );
    }
    Ok(())
}
