//! Recorded imports, and undoing one.
//!
//! Every import is recorded (table `imports`, migration 0004) with the
//! first and last of its audit entries: an import is one write transaction,
//! which holds the write lock from its start, so its entries are
//! consecutive. Undoing it reads those entries back and reverses each, last
//! first, through the write path, in one transaction (its own entries'
//! range is recorded too): assets it created are
//! deleted, assets it changed get their earlier state back whole (version
//! and times included, so that a sheet exported before the import matches
//! again), links it added are removed and links it changed get their
//! earlier sanitization. When any asset it touched has an audit entry after
//! it (changed, linked, assessed or deleted since), nothing is reverted and
//! the error lists those assets; the entries of a later import that was
//! undone, and of its undo, do not count, since together they change
//! nothing, so imports can be undone last first.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;

use crate::audit::Action;
use crate::error::{Error, Result};
use crate::model::{Asset, AssetId, Extra, Link, Relation, Sanitization};
use crate::policy::Policy;
use crate::record::{LinkRecord, expand_audit_json};
use crate::register::Register;
use crate::store::{Db, ImportRow, LoggedChange};
use crate::table::cells::{Issues, Resolver, parse_fields};
use crate::table::{AssetRecord, CellKind, Column};
use crate::write::Writer;

/// Which import: the last one recorded, or one by its id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum ImportRef {
    /// The import recorded last.
    #[default]
    Last,
    /// The import with this id.
    Id(u64),
}

impl FromStr for ImportRef {
    type Err = Error;

    /// `last`, or an import's id.
    fn from_str(s: &str) -> Result<Self> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("last") {
            return Ok(ImportRef::Last);
        }
        s.parse::<u64>()
            .ok()
            .filter(|id| *id >= 1)
            .map(ImportRef::Id)
            .ok_or_else(|| {
                Error::invalid(
                    "import",
                    s,
                    "取り込みは `last` かその番号で指定します",
                    "an import is `last` or its id (a number)",
                )
            })
    }
}

impl fmt::Display for ImportRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportRef::Last => f.write_str("last"),
            ImportRef::Id(id) => write!(f, "{id}"),
        }
    }
}

/// A recorded import.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Import {
    /// The import's id, from 1.
    pub id: u64,
    /// When it was written.
    pub at: Timestamp,
    /// Who imported.
    pub actor: String,
    /// The file or files imported.
    pub source: String,
    /// Assets created, updated and left unchanged.
    pub assets: [u64; 3],
    /// Links created, updated and left unchanged.
    pub links: [u64; 3],
    /// How many audit entries it wrote.
    pub entries: u64,
    /// When and by whom it was undone, if it was.
    pub undone: Option<(Timestamp, String)>,
}

impl Import {
    fn from_row(row: &ImportRow) -> Result<Import> {
        let time = |text: &str| {
            text.parse::<Timestamp>().map_err(|_| Error::Corrupt {
                what: format!("import {} has the time `{text}`", row.id),
            })
        };
        Ok(Import {
            id: row.id,
            at: time(&row.at)?,
            actor: row.actor.clone(),
            source: row.source.clone(),
            assets: row.assets,
            links: row.links,
            entries: row.entries.map_or(0, |(first, last)| last - first + 1),
            undone: match &row.undone {
                Some((at, by)) => Some((time(at)?, by.clone())),
                None => None,
            },
        })
    }
}

/// What undoing an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Undo {
    /// The import, as recorded before it was undone.
    pub import: Import,
    /// Assets it created, now deleted.
    pub deleted: u64,
    /// Assets it changed, now as they were before it.
    pub restored: u64,
    /// Links it added, now removed.
    pub links_removed: u64,
    /// Links it changed or removed, now as they were before it.
    pub links_restored: u64,
}

impl Register {
    /// Every recorded import, oldest first.
    pub fn imports(&self) -> Result<Vec<Import>> {
        self.db()
            .imports()?
            .into_iter()
            .map(|row| Import::from_row(&row))
            .collect()
    }

    /// Reverts an import in one transaction; see the [module docs](self).
    ///
    /// Refused, reverting nothing, when the import was undone already, or
    /// when an asset it touched changed since ([`Error::ChangedSince`]).
    pub fn undo_import(&mut self, which: ImportRef) -> Result<Undo> {
        let actor = self.actor().to_owned();
        self.write(|w| {
            let row = w.db.import(match which {
                ImportRef::Last => None,
                ImportRef::Id(id) => Some(id),
            })?;
            let row = row.ok_or_else(|| match which {
                ImportRef::Last => Error::invalid(
                    "import",
                    "last",
                    "取り込みの記録がありません",
                    "no import has been recorded",
                ),
                ImportRef::Id(id) => Error::invalid(
                    "import",
                    id.to_string(),
                    "この番号の取り込みはありません",
                    "no import has this id",
                ),
            })?;
            if let Some((at, by)) = &row.undone {
                return Err(Error::invalid(
                    "import",
                    row.id.to_string(),
                    format!("{at} に `{by}` がすでに取り消しています"),
                    format!("it was undone already, at {at} by `{by}`"),
                ));
            }
            let import = Import::from_row(&row)?;
            let mut undo = Undo {
                import,
                deleted: 0,
                restored: 0,
                links_removed: 0,
                links_restored: 0,
            };
            let head = |db: &Db| Ok::<_, Error>(db.audit_head()?.map_or(0, |(seq, _)| seq));
            let logged_before = head(w.db)?;
            if let Some((first, last)) = row.entries {
                let changes = w.db.changes_between(first, last)?;
                refuse_if_changed_since(w.db, w.policy, row.id, &changes, last)?;
                for change in changes.iter().rev() {
                    reverse(w, row.id, change, &mut undo)?;
                }
            }
            let logged = head(w.db)?;
            let entries = (logged > logged_before).then_some((logged_before + 1, logged));
            w.db.mark_import_undone(row.id, w.log.at(), &actor, entries)?;
            Ok(undo)
        })
    }
}

/// Refuses the undo when an asset the import touched has an entry after it.
fn refuse_if_changed_since(
    db: &Db,
    policy: &Policy,
    import: u64,
    changes: &[LoggedChange],
    last: u64,
) -> Result<()> {
    let touched: BTreeSet<AssetId> = changes
        .iter()
        .flat_map(|c| [c.asset_id, c.related_id])
        .flatten()
        .collect();
    // An undone import and its undo net out: they do not block an earlier one.
    let later = db.assets_logged_after(last, &db.undone_ranges()?)?;
    let mut since = Vec::new();
    for id in touched.into_iter().filter(|id| later.contains(id)) {
        let name = db
            .asset(policy, id)?
            .map_or_else(|| id.to_string(), |asset| asset.name().to_owned());
        since.push((id, name));
    }
    if since.is_empty() {
        Ok(())
    } else {
        Err(Error::ChangedSince {
            import,
            assets: since,
        })
    }
}

/// Reverses one of the import's entries.
fn reverse(
    w: &mut Writer<'_, '_>,
    import: u64,
    change: &LoggedChange,
    undo: &mut Undo,
) -> Result<()> {
    let corrupt = |what: &str| Error::Corrupt {
        what: format!("audit entry {} of import {import} {what}", change.seq),
    };
    let action: Action = change
        .action
        .parse()
        .map_err(|_| corrupt("has an unknown action"))?;
    let id = change.asset_id.ok_or_else(|| corrupt("names no asset"))?;
    let current = || {
        w.db.asset(w.policy, id)?
            .ok_or_else(|| corrupt("names an asset that is gone"))
    };
    match action {
        Action::Create => {
            w.delete(id, &format!("import {import} undone"), false)?;
            undo.deleted += 1;
        }
        Action::Update | Action::Dispose => {
            let state = |json: &Option<String>| -> Result<Asset> {
                let json = json.clone().ok_or_else(|| corrupt("has no state"))?;
                asset_from_json(w.policy, &expand_audit_json(json, Some(id), &change.at))
                    .map_err(|e| corrupt(&format!("cannot be read back ({e})")))
            };
            let (before, after) = (state(&change.before)?, state(&change.after)?);
            let current = current()?;
            if current.version != after.version {
                return Err(Error::Conflict {
                    id,
                    expected: after.version,
                    actual: current.version,
                });
            }
            w.restore(&current, &before)?;
            undo.restored += 1;
        }
        Action::Link | Action::Unlink => {
            let link = |json: &Option<String>| -> Result<Option<Link>> {
                json.as_deref()
                    .map(|json| link_from_json(json).ok_or_else(|| corrupt("holds no link")))
                    .transpose()
            };
            let (before, after) = (link(&change.before)?, link(&change.after)?);
            match (before, after) {
                (None, Some(added)) => {
                    w.unlink(added.from, added.relation, added.to)?;
                    undo.links_removed += 1;
                }
                (Some(earlier), Some(_)) => {
                    w.link(&earlier, true)?;
                    undo.links_restored += 1;
                }
                (Some(removed), None) => {
                    w.link(&removed, false)?;
                    undo.links_restored += 1;
                }
                (None, None) => return Err(corrupt("holds no link")),
            }
        }
        Action::Assess
        | Action::Delete
        | Action::PolicySet
        | Action::Exception
        | Action::Init
        | Action::Restore
        | Action::Redact
        | Action::CheckRun
        | Action::Finding
        | Action::Pia
        | Action::CampaignStart
        | Action::Attest
        | Action::CampaignClose => {
            return Err(corrupt(&format!("is a `{action}`, which no import writes")));
        }
    }
    Ok(())
}

fn link_from_json(json: &str) -> Option<Link> {
    let record: LinkRecord = serde_json::from_str(json).ok()?;
    Some(Link {
        from: record.from.parse().ok()?,
        relation: Relation::parse(&record.relation).ok()?,
        to: record.to.parse().ok()?,
        sanitization: match record.sanitization {
            Some(code) => Some(Sanitization::parse(&code).ok()?),
            None => None,
        },
    })
}

/// Collects the first problem of a record read back.
struct FirstProblem(Option<String>);

impl Issues for FirstProblem {
    fn error(&mut self, column: Column, value: &str, reason: crate::text::Localized) {
        if self.0.is_none() {
            self.0 = Some(format!("{} `{value}`: {reason}", column.key()));
        }
    }

    fn warn(&mut self, _column: Column, _value: &str, _reason: crate::text::Localized) {}
}

/// An asset from its whole [`AssetRecord`] JSON (an audit entry's state),
/// read with the policy as a sheet row of canonical codes is.
fn asset_from_json(policy: &Policy, json: &str) -> std::result::Result<Asset, String> {
    let record: AssetRecord = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let serde_json::Value::Object(values) =
        serde_json::to_value(&record).map_err(|e| e.to_string())?
    else {
        return Err("not an object".to_owned());
    };
    let texts: Vec<String> = Column::ALL
        .iter()
        .map(|column| match values.get(column.key()) {
            Some(serde_json::Value::String(text)) => text.clone(),
            Some(serde_json::Value::Bool(flag)) => flag.to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(serde_json::Value::Array(items)) if column.kind() == CellKind::Controls => items
                .iter()
                .filter_map(serde_json::Value::as_str)
                .collect::<Vec<_>>()
                .join(";"),
            _ => String::new(),
        })
        .collect();
    let extra: Extra = record
        .extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut problem = FirstProblem(None);
    let fields = parse_fields(
        &mut Resolver::new(policy),
        |column| texts[column.index()].as_str(),
        extra,
        &mut problem,
    );
    let fields = match (fields, problem.0) {
        (Some(fields), None) => fields,
        (_, Some(problem)) => return Err(problem),
        (None, None) => return Err("its fields cannot be read".to_owned()),
    };
    let time = |text: &str| {
        text.parse::<Timestamp>()
            .map_err(|_| format!("the time `{text}`"))
    };
    Ok(Asset {
        id: record
            .id
            .parse()
            .map_err(|_| format!("the id `{}`", record.id))?,
        fields,
        version: record.version,
        created_at: time(&record.created_at)?,
        updated_at: time(&record.updated_at)?,
    })
}

#[cfg(test)]
mod tests;
