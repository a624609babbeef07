//! The audit log: one entry per change, written in the same transaction as
//! the change, hash-chained with SHA-256 so that any edit of history shows.
//!
//! Each entry's hash is `SHA-256(previous hash ‖ entry)`, where the entry is
//! encoded with length prefixes so that no two entries encode alike. The
//! first entry's previous hash is 32 zero bytes.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::record::expand_audit_json;
use crate::store::{Db, EntryRow};

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
    /// An exception (例外措置) was recorded or ended.
    Exception,
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
            Action::Exception => "exception",
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
            Action::Exception => "例外措置",
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
            "exception" => Action::Exception,
            _ => {
                return Err(Error::unknown(
                    "action",
                    s,
                    [
                        "create",
                        "update",
                        "dispose",
                        "link",
                        "unlink",
                        "assess",
                        "exception",
                    ],
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
    pub(crate) fn start(db: &Db, actor: &'a str, at: Timestamp) -> Result<Self> {
        let (seq, head) = db.audit_head()?.unwrap_or((0, [0; 32]));
        Ok(Appender {
            at: at.to_string(),
            actor,
            chain: Chain { seq, head },
        })
    }

    /// Writes one entry.
    pub(crate) fn append(&mut self, db: &Db, change: &Change<'_>) -> Result<()> {
        let mut chain = self.chain;
        let (seq, hash) = chain.next(&self.at, self.actor, change);
        db.insert_entry(&change.row(seq, &self.at, self.actor, &hash))?;
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

impl<'a> Change<'a> {
    /// The entry's row, numbered and hashed.
    pub(crate) fn row(
        &'a self,
        seq: u64,
        at: &'a str,
        actor: &'a str,
        hash: &'a [u8; 32],
    ) -> EntryRow<'a> {
        EntryRow {
            seq,
            at,
            actor,
            action: self.action.code(),
            asset_id: self.asset_id.as_ref(),
            related_id: self.related_id.as_ref(),
            before: self.before,
            after: self.after,
            hash,
        }
    }
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
pub(crate) fn verify_chain(db: &Db) -> Result<ChainReport> {
    let mut head = [0u8; 32];
    let mut expected_seq = 1u64;
    let mut entries = 0;
    let mut first_broken = None;
    db.each_entry(|seq, entry| {
        let mut broken = |seq, reason: String| {
            first_broken = Some(BrokenEntry { seq, reason });
            false
        };
        if seq != expected_seq {
            return broken(
                expected_seq,
                format!("entry {expected_seq} is missing (next is {seq})"),
            );
        }
        let Some(entry) = entry else {
            return broken(seq, "the entry cannot be read".to_owned());
        };
        let Ok(action) = entry.action.parse::<Action>() else {
            return broken(seq, "the entry's action is unknown".to_owned());
        };
        let change = Change {
            action,
            asset_id: entry.asset_id,
            related_id: entry.related_id,
            before: entry.before.as_deref(),
            after: entry.after.as_deref(),
        };
        let hash = entry_hash(&head, seq, &entry.at, &entry.actor, &change);
        if entry.hash.as_slice() != hash.as_slice() {
            return broken(seq, "the stored hash does not match the entry".to_owned());
        }
        head = hash;
        entries = seq;
        expected_seq += 1;
        true
    })?;
    Ok(match first_broken {
        Some(broken) => ChainReport {
            entries: broken.seq,
            first_broken: Some(broken),
        },
        None => ChainReport {
            entries,
            first_broken: None,
        },
    })
}

/// Reads the entries about one asset, oldest first.
pub(crate) fn history(db: &Db, id: AssetId) -> Result<Vec<AuditEntry>> {
    let mut entries = Vec::new();
    for stored in db.entries_about(id)? {
        let seq = stored.seq;
        let corrupt = |what: &str| Error::Corrupt {
            what: format!("audit entry {seq} has {what}"),
        };
        let action: Action = stored
            .action
            .parse()
            .map_err(|_| corrupt("an unknown action"))?;
        let at = stored.at;
        let asset_id = stored.asset_id;
        // Asset records are stored without their empty fields.
        let whole = |json: Option<String>| match action {
            Action::Create | Action::Update | Action::Dispose => {
                json.map(|json| expand_audit_json(json, asset_id, &at))
            }
            Action::Link | Action::Unlink | Action::Assess | Action::Exception => json,
        };
        entries.push(AuditEntry {
            seq,
            at: at.parse().map_err(|_| corrupt("a malformed time"))?,
            actor: stored.actor,
            action,
            asset_id,
            related_id: stored.related_id,
            before: whole(stored.before),
            after: whole(stored.after),
            hash: stored
                .hash
                .try_into()
                .map_err(|_| corrupt("a malformed hash"))?,
        });
    }
    Ok(entries)
}
