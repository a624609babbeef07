//! The audit log: one entry per change, written in the same transaction as
//! the change, hash-chained with SHA-256 so that any edit of history shows.
//!
//! Each entry's hash is `SHA-256(previous hash ‖ entry)`, where the entry is
//! encoded with length prefixes so that no two entries encode alike. The
//! first entry's previous hash is 32 zero bytes.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::record::expand_audit_json;
use crate::store;

/// What a change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// An asset was added.
    Create,
    /// An asset's fields changed.
    Update,
    /// An asset was disposed of.
    Dispose,
    /// A link was added.
    Link,
    /// A link was removed.
    Unlink,
    /// A risk assessment was recorded, changed or removed.
    Assess,
}

impl Action {
    /// The code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Dispose => "dispose",
            Action::Link => "link",
            Action::Unlink => "unlink",
            Action::Assess => "assess",
        }
    }

    /// The Japanese label.
    pub fn label_ja(self) -> &'static str {
        match self {
            Action::Create => "登録",
            Action::Update => "変更",
            Action::Dispose => "廃棄",
            Action::Link => "関連付け",
            Action::Unlink => "関連解除",
            Action::Assess => "リスク評価",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Action {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "create" => Action::Create,
            "update" => Action::Update,
            "dispose" => Action::Dispose,
            "link" => Action::Link,
            "unlink" => Action::Unlink,
            "assess" => Action::Assess,
            _ => {
                return Err(Error::unknown(
                    "action",
                    s,
                    ["create", "update", "dispose", "link", "unlink", "assess"],
                ));
            }
        })
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The entry's position, from 1.
    pub seq: u64,
    /// When the change was made (UTC).
    pub at: Timestamp,
    /// Who made it.
    pub actor: String,
    /// What it did.
    pub action: Action,
    /// The asset changed (the source of a link).
    pub asset_id: Option<AssetId>,
    /// The other asset, for links.
    pub related_id: Option<AssetId>,
    /// The state before, as JSON: for an asset, a whole
    /// [`AssetRecord`](crate::AssetRecord) (stored without its empty
    /// fields, read back with them).
    pub before: Option<String>,
    /// The state after, as JSON, like `before`.
    pub after: Option<String>,
    /// The entry's hash, chaining it to the one before.
    pub hash: [u8; 32],
}

/// A change about to be logged; the log assigns its sequence and hash.
#[derive(Debug, Clone)]
pub(crate) struct Change<'a> {
    pub(crate) action: Action,
    pub(crate) asset_id: Option<AssetId>,
    pub(crate) related_id: Option<AssetId>,
    pub(crate) before: Option<&'a str>,
    pub(crate) after: Option<&'a str>,
}

/// The head of the hash chain: the last entry's sequence number and hash.
/// Pure computation, so that a bulk import can hash entries on one thread
/// while another writes them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chain {
    seq: u64,
    head: [u8; 32],
}

impl Chain {
    /// Numbers and hashes the next entry, moving the head past it.
    pub(crate) fn next(&mut self, at: &str, actor: &str, change: &Change<'_>) -> (u64, [u8; 32]) {
        let seq = self.seq + 1;
        let hash = entry_hash(&self.head, seq, at, actor, change);
        self.seq = seq;
        self.head = hash;
        (seq, hash)
    }
}

/// Appends entries within one open transaction, keeping the chain's head in memory.
#[derive(Debug)]
pub(crate) struct Appender<'a> {
    at: String,
    actor: &'a str,
    chain: Chain,
}

impl<'a> Appender<'a> {
    /// Starts appending after the current last entry; call inside a write transaction.
    pub(crate) fn start(conn: &Connection, actor: &'a str, at: Timestamp) -> Result<Self> {
        let last: Option<(i64, Vec<u8>)> = conn
            .query_row(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(Error::storage("reading the audit log"))?;
        let (seq, head) = match last {
            None => (0, [0; 32]),
            Some((seq, hash)) => (
                seq as u64,
                hash.try_into().map_err(|_| Error::Corrupt {
                    what: format!("audit entry {seq} has a malformed hash"),
                })?,
            ),
        };
        Ok(Appender {
            at: at.to_string(),
            actor,
            chain: Chain { seq, head },
        })
    }

    /// Writes one entry.
    pub(crate) fn append(&mut self, conn: &Connection, change: &Change<'_>) -> Result<()> {
        let mut chain = self.chain;
        let (seq, hash) = chain.next(&self.at, self.actor, change);
        insert_entry(conn, seq, &self.at, self.actor, change, &hash)?;
        self.chain = chain;
        Ok(())
    }

    /// The entries' time, as stored.
    pub(crate) fn at(&self) -> &str {
        &self.at
    }

    /// The entries' time and actor, and the chain, for a caller that hashes
    /// entries and writes them ([`insert_entry`]) separately.
    pub(crate) fn parts(&mut self) -> (&str, &str, &mut Chain) {
        (&self.at, self.actor, &mut self.chain)
    }
}

/// Writes one entry whose sequence number and hash were computed by a [`Chain`].
pub(crate) fn insert_entry(
    conn: &Connection,
    seq: u64,
    at: &str,
    actor: &str,
    change: &Change<'_>,
    hash: &[u8; 32],
) -> Result<()> {
    let mut stmt = prepare_insert_entry(conn)?;
    insert_entry_with(&mut stmt, seq, at, actor, change, hash)
}

/// Prepares the statement of [`insert_entry_with`], for a caller that
/// writes many entries.
pub(crate) fn prepare_insert_entry(conn: &Connection) -> Result<rusqlite::CachedStatement<'_>> {
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, action, asset_id, related_id, before, after, hash) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )
    .map_err(Error::storage("writing the audit log"))
}

/// Writes one entry with a statement from [`prepare_insert_entry`].
pub(crate) fn insert_entry_with(
    stmt: &mut rusqlite::Statement<'_>,
    seq: u64,
    at: &str,
    actor: &str,
    change: &Change<'_>,
    hash: &[u8; 32],
) -> Result<()> {
    insert_entry_values(stmt, &entry_values(seq, at, actor, change, hash))
}

/// The parameters of the statement that writes an entry.
pub(crate) const ENTRY_PARAMETERS: usize = 9;

/// An entry's values, in the order of [`prepare_insert_entry`]'s
/// parameters.
pub(crate) fn entry_values<'a>(
    seq: u64,
    at: &'a str,
    actor: &'a str,
    change: &'a Change<'a>,
    hash: &'a [u8; 32],
) -> [ValueRef<'a>; ENTRY_PARAMETERS] {
    let id = |id: &'a Option<AssetId>| {
        id.as_ref()
            .map_or(ValueRef::Null, |id| ValueRef::Blob(id.as_bytes()))
    };
    [
        ValueRef::Integer(seq as i64),
        at.into(),
        actor.into(),
        change.action.code().into(),
        id(&change.asset_id),
        id(&change.related_id),
        change.before.into(),
        change.after.into(),
        ValueRef::Blob(hash),
    ]
}

/// Writes one entry from its values ([`entry_values`]) with a statement
/// from [`prepare_insert_entry`].
pub(crate) fn insert_entry_values(
    stmt: &mut rusqlite::Statement<'_>,
    values: &[ValueRef<'_>],
) -> Result<()> {
    store::bind(stmt, values)
        .and_then(|()| stmt.raw_execute())
        .map_err(Error::storage("writing the audit log"))?;
    Ok(())
}

fn entry_hash(
    previous: &[u8; 32],
    seq: u64,
    at: &str,
    actor: &str,
    change: &Change<'_>,
) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(seq.to_be_bytes());
    let mut field = |bytes: Option<&[u8]>| match bytes {
        None => hasher.update([0u8]),
        Some(bytes) => {
            hasher.update([1u8]);
            hasher.update((bytes.len() as u64).to_be_bytes());
            hasher.update(bytes);
        }
    };
    field(Some(at.as_bytes()));
    field(Some(actor.as_bytes()));
    field(Some(change.action.code().as_bytes()));
    field(change.asset_id.as_ref().map(|id| id.as_bytes().as_slice()));
    field(
        change
            .related_id
            .as_ref()
            .map(|id| id.as_bytes().as_slice()),
    );
    field(change.before.map(str::as_bytes));
    field(change.after.map(str::as_bytes));
    hasher.finalize().into()
}

/// The result of recomputing the audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// How many entries were checked.
    pub entries: u64,
    /// The first entry that does not match, if any.
    pub first_broken: Option<BrokenEntry>,
}

impl ChainReport {
    /// True when every entry matches.
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// An audit entry whose stored hash or position is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenEntry {
    /// The entry's sequence number.
    pub seq: u64,
    /// What is wrong.
    pub reason: String,
}

/// Recomputes the chain from the first entry.
pub(crate) fn verify_chain(conn: &Connection) -> Result<ChainReport> {
    let mut stmt = conn
        .prepare("SELECT seq, at, actor, action, asset_id, related_id, before, after, hash FROM audit_log ORDER BY seq")
        .map_err(Error::storage("reading the audit log"))?;
    let mut rows = stmt
        .query([])
        .map_err(Error::storage("reading the audit log"))?;
    let mut head = [0u8; 32];
    let mut expected_seq = 1u64;
    let mut entries = 0;
    let broken = |seq, reason: &str| ChainReport {
        entries: seq,
        first_broken: Some(BrokenEntry {
            seq,
            reason: reason.to_owned(),
        }),
    };
    while let Some(row) = rows
        .next()
        .map_err(Error::storage("reading the audit log"))?
    {
        let seq: i64 = row
            .get(0)
            .map_err(Error::storage("reading the audit log"))?;
        let seq = seq as u64;
        if seq != expected_seq {
            return Ok(broken(
                expected_seq,
                &format!("entry {expected_seq} is missing (next is {seq})"),
            ));
        }
        let read = || -> rusqlite::Result<_> {
            Ok((
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<AssetId>>(4)?,
                row.get::<_, Option<AssetId>>(5)?,
                row.get::<_, Option<String>>(6)?,
                row.get::<_, Option<String>>(7)?,
                row.get::<_, Vec<u8>>(8)?,
            ))
        };
        let Ok((at, actor, action, asset_id, related_id, before, after, stored)) = read() else {
            return Ok(broken(seq, "the entry cannot be read"));
        };
        let Ok(action) = action.parse::<Action>() else {
            return Ok(broken(seq, "the entry's action is unknown"));
        };
        let change = Change {
            action,
            asset_id,
            related_id,
            before: before.as_deref(),
            after: after.as_deref(),
        };
        let hash = entry_hash(&head, seq, &at, &actor, &change);
        if stored.as_slice() != hash.as_slice() {
            return Ok(broken(seq, "the stored hash does not match the entry"));
        }
        head = hash;
        entries = seq;
        expected_seq += 1;
    }
    Ok(ChainReport {
        entries,
        first_broken: None,
    })
}

/// Reads the entries about one asset, oldest first.
pub(crate) fn history(conn: &Connection, id: AssetId) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn
        .prepare(
            "SELECT seq, at, actor, action, asset_id, related_id, before, after, hash FROM audit_log \
             WHERE asset_id = ?1 OR related_id = ?1 ORDER BY seq",
        )
        .map_err(Error::storage("reading the audit log"))?;
    let rows = stmt
        .query_map([id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<AssetId>>(4)?,
                row.get::<_, Option<AssetId>>(5)?,
                row.get::<_, Option<String>>(6)?,
                row.get::<_, Option<String>>(7)?,
                row.get::<_, Vec<u8>>(8)?,
            ))
        })
        .map_err(Error::storage("reading the audit log"))?;
    let mut entries = Vec::new();
    for row in rows {
        let (seq, at, actor, action, asset_id, related_id, before, after, hash) =
            row.map_err(Error::storage("reading the audit log"))?;
        let corrupt = |what: &str| Error::Corrupt {
            what: format!("audit entry {seq} has {what}"),
        };
        let action: Action = action.parse().map_err(|_| corrupt("an unknown action"))?;
        // Asset records are stored without their empty fields.
        let whole = |json: Option<String>| match action {
            Action::Create | Action::Update | Action::Dispose => {
                json.map(|json| expand_audit_json(json, asset_id, &at))
            }
            Action::Link | Action::Unlink | Action::Assess => json,
        };
        entries.push(AuditEntry {
            seq: seq as u64,
            at: at.parse().map_err(|_| corrupt("a malformed time"))?,
            actor,
            action,
            asset_id,
            related_id,
            before: whole(before),
            after: whole(after),
            hash: hash.try_into().map_err(|_| corrupt("a malformed hash"))?,
        });
    }
    Ok(entries)
}
