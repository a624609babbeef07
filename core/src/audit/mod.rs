//! The audit log: one entry per change, written in the same transaction as
//! the change, hash-chained with SHA-256 so that any edit of history shows.
//!
//! Each entry's hash is `SHA-256(previous hash ‖ entry)`, where the entry is
//! encoded with length prefixes so that no two entries encode alike. The
//! first entry's previous hash is 32 zero bytes.
//!
//! Entries come in two formats. Format 1 (written before schema 5) hashes
//! the payload (the states before and after) as it is. Format 2 hashes a
//! digest of the payload instead ([`payload_digest`]), stored beside it, so
//! that a field of a stored payload can be redacted (an entry of its own,
//! action `redact`, says which and why) without breaking the chain.
//! `chain.rs` recomputes the chain, `replay.rs` compares the register's rows
//! with what the log says.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::record::expand_audit_json;
use crate::store::{Db, EntryRow};

mod chain;
mod replay;

pub use chain::{AnchorCheck, BrokenEntry, ChainReport, Redaction};
pub(crate) use chain::{ChainAnchor, redact, verify_chain};
pub use replay::Mismatch;
pub(crate) use replay::{AttestRecord, CloseRecord, Replayer, StartRecord, rebuild};

/// The entry format this build writes: the payload's digest is chained.
pub(crate) const FORMAT: u8 = 2;

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
    /// An asset was deleted: its last state before, the reason after.
    Delete,
    /// The register's policy was replaced: the old and the new policy's
    /// name and SHA-256, before and after.
    PolicySet,
    /// An exception (例外措置) was recorded or ended.
    Exception,
    /// The register was created; the entry holds its policy's SHA-256.
    Init,
    /// The register was restored from a backup; the entry names the head it replaced.
    Restore,
    /// A field of an earlier entry's payload was blanked (its content is gone).
    Redact,
    /// A run of the self-inspection was recorded, with the findings it saw.
    CheckRun,
    /// A tracked finding's status, owner or due date changed (是正).
    Finding,
    /// A 事務 of 特定個人情報 or its evaluation (特定個人情報保護評価) was recorded.
    Pia,
    /// An attestation campaign (棚卸) was started: the campaign and its sections.
    CampaignStart,
    /// A section attested its part of the register in a campaign.
    Attest,
    /// An attestation campaign was closed.
    CampaignClose,
}

impl Action {
    /// Every action.
    pub const ALL: &'static [Action] = &[
        Action::Create,
        Action::Update,
        Action::Dispose,
        Action::Link,
        Action::Unlink,
        Action::Assess,
        Action::Delete,
        Action::PolicySet,
        Action::Exception,
        Action::Init,
        Action::Restore,
        Action::Redact,
        Action::CheckRun,
        Action::Finding,
        Action::Pia,
        Action::CampaignStart,
        Action::Attest,
        Action::CampaignClose,
    ];

    /// The code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Dispose => "dispose",
            Action::Link => "link",
            Action::Unlink => "unlink",
            Action::Assess => "assess",
            Action::Delete => "delete",
            Action::PolicySet => "policy_set",
            Action::Exception => "exception",
            Action::Init => "init",
            Action::Restore => "restore",
            Action::Redact => "redact",
            Action::CheckRun => "check_run",
            Action::Finding => "finding",
            Action::Pia => "pia",
            Action::CampaignStart => "campaign_start",
            Action::Attest => "attest",
            Action::CampaignClose => "campaign_close",
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
            Action::Delete => "削除",
            Action::PolicySet => "ポリシー変更",
            Action::Exception => "例外措置",
            Action::Init => "台帳作成",
            Action::Restore => "復元",
            Action::Redact => "墨消し",
            Action::CheckRun => "自己点検の記録",
            Action::Finding => "指摘の是正",
            Action::Pia => "特定個人情報保護評価",
            Action::CampaignStart => "棚卸開始",
            Action::Attest => "棚卸確認",
            Action::CampaignClose => "棚卸終了",
        }
    }

    /// True for the actions whose payload is an asset's record.
    pub(crate) fn is_asset_change(self) -> bool {
        matches!(self, Action::Create | Action::Update | Action::Dispose)
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
        Action::ALL
            .iter()
            .copied()
            .find(|action| action.code() == s)
            .ok_or_else(|| Error::unknown("action", s, Action::ALL.iter().map(|a| a.code())))
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

/// The head of the audit chain: how many entries there are and the last
/// one's hash. Written `N:HEX` (`0:` and 64 zeros for an empty log); kept
/// outside the register, it proves entries 1..N unchanged later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Head {
    /// The number of entries.
    pub entries: u64,
    /// The last entry's hash (32 zero bytes for an empty log).
    pub hash: [u8; 32],
}

impl Head {
    /// The head of an empty log.
    pub const EMPTY: Head = Head {
        entries: 0,
        hash: [0; 32],
    };
}

impl fmt::Display for Head {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.entries, hex::encode(self.hash))
    }
}

impl FromStr for Head {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let invalid = || {
            Error::invalid(
                "head",
                s,
                "N:HEX（監査ログの記録数と最後の記録の SHA-256 の16進）の形で書きます",
                "expected N:HEX, the number of audit entries and the last one's SHA-256 in hex",
            )
        };
        let (entries, hash) = s.trim().split_once(':').ok_or_else(invalid)?;
        let entries = entries.parse::<u64>().map_err(|_| invalid())?;
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(hash, &mut bytes).map_err(|_| invalid())?;
        Ok(Head {
            entries,
            hash: bytes,
        })
    }
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

/// An entry's place in the chain: its number, its hash and its payload's digest.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sealed {
    pub(crate) seq: u64,
    pub(crate) hash: [u8; 32],
    pub(crate) digest: [u8; 32],
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
    /// Numbers and hashes the next entry (format 2), moving the head past it.
    pub(crate) fn next(&mut self, at: &str, actor: &str, change: &Change<'_>) -> Sealed {
        let seq = self.seq + 1;
        let digest = payload_digest(change.before, change.after);
        let hash = entry_hash_v2(&self.head, seq, at, actor, change, &digest);
        self.seq = seq;
        self.head = hash;
        Sealed { seq, hash, digest }
    }

    /// The head after the entries numbered so far.
    pub(crate) fn head(&self) -> Head {
        Head {
            entries: self.seq,
            hash: self.head,
        }
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
        let sealed = chain.next(&self.at, self.actor, change);
        db.insert_entry(&change.row(&sealed, &self.at, self.actor))?;
        self.chain = chain;
        Ok(())
    }

    /// The entries' time, as stored.
    pub(crate) fn at(&self) -> &str {
        &self.at
    }

    /// Who the entries name.
    pub(crate) fn actor(&self) -> &str {
        self.actor
    }

    /// The head before the next entry.
    pub(crate) fn head(&self) -> Head {
        self.chain.head()
    }

    /// The entries' time and actor, and the chain, for a caller that hashes
    /// entries and writes them ([`insert_entry`]) separately.
    pub(crate) fn parts(&mut self) -> (&str, &str, &mut Chain) {
        (&self.at, self.actor, &mut self.chain)
    }
}

impl<'a> Change<'a> {
    /// The entry's row, numbered and hashed.
    pub(crate) fn row(&'a self, sealed: &'a Sealed, at: &'a str, actor: &'a str) -> EntryRow<'a> {
        EntryRow {
            seq: sealed.seq,
            at,
            actor,
            action: self.action.code(),
            asset_id: self.asset_id.as_ref(),
            related_id: self.related_id.as_ref(),
            before: self.before,
            after: self.after,
            hash: &sealed.hash,
            format: FORMAT,
            payload_digest: Some(&sealed.digest),
        }
    }
}

/// Feeds length-prefixed optional fields to a hasher: `0` for none, else
/// `1`, the length as 8 big-endian bytes, and the bytes.
fn field(hasher: &mut Sha256, bytes: Option<&[u8]>) {
    match bytes {
        None => hasher.update([0u8]),
        Some(bytes) => {
            hasher.update([1u8]);
            hasher.update((bytes.len() as u64).to_be_bytes());
            hasher.update(bytes);
        }
    }
}

/// The digest of an entry's payload: `SHA-256(before ‖ after)`, each a
/// length-prefixed optional field.
pub(crate) fn payload_digest(before: Option<&str>, after: Option<&str>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    field(&mut hasher, before.map(str::as_bytes));
    field(&mut hasher, after.map(str::as_bytes));
    hasher.finalize().into()
}

/// The fields every format hashes alike: time, actor, action and ids.
fn common_fields(hasher: &mut Sha256, at: &str, actor: &str, change: &Change<'_>) {
    field(hasher, Some(at.as_bytes()));
    field(hasher, Some(actor.as_bytes()));
    field(hasher, Some(change.action.code().as_bytes()));
    field(
        hasher,
        change.asset_id.as_ref().map(|id| id.as_bytes().as_slice()),
    );
    field(
        hasher,
        change
            .related_id
            .as_ref()
            .map(|id| id.as_bytes().as_slice()),
    );
}

/// Format 1: `SHA-256(previous ‖ seq ‖ at, actor, action, asset id, related
/// id, before, after)`.
fn entry_hash_v1(
    previous: &[u8; 32],
    seq: u64,
    at: &str,
    actor: &str,
    change: &Change<'_>,
) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(seq.to_be_bytes());
    common_fields(&mut hasher, at, actor, change);
    field(&mut hasher, change.before.map(str::as_bytes));
    field(&mut hasher, change.after.map(str::as_bytes));
    hasher.finalize().into()
}

/// Format 2: `SHA-256(previous ‖ seq ‖ 0x02 ‖ at, actor, action, asset id,
/// related id ‖ payload digest)`. The byte `0x02` stands where format 1 has
/// the marker byte `0x01` of its first field, so no entry hashes alike in
/// both formats.
fn entry_hash_v2(
    previous: &[u8; 32],
    seq: u64,
    at: &str,
    actor: &str,
    change: &Change<'_>,
    digest: &[u8; 32],
) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(seq.to_be_bytes());
    hasher.update([FORMAT]);
    common_fields(&mut hasher, at, actor, change);
    hasher.update(digest);
    hasher.finalize().into()
}

/// Reads the entries about one asset, oldest first.
pub(crate) fn history(db: &Db, id: AssetId) -> Result<Vec<AuditEntry>> {
    db.entries_about(id)?.into_iter().map(entry).collect()
}

/// Calls `visit` with each entry that created, changed or disposed of an
/// asset on or after a day (in UTC), oldest first, one at a time: a year's
/// entries of a large register are never held at once.
pub(crate) fn each_asset_change_since(
    db: &Db,
    since: jiff::civil::Date,
    mut visit: impl FnMut(AuditEntry),
) -> Result<()> {
    // Entries store their time as RFC 3339 text in UTC, which a bare date sorts before.
    db.each_asset_change_since(&since.to_string(), |stored| {
        visit(entry(stored)?);
        Ok(())
    })
}

/// A stored entry as an [`AuditEntry`], asset records whole.
pub(crate) fn entry(stored: crate::store::StoredEntry) -> Result<AuditEntry> {
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
    // A deletion's before is the asset's last state; its after, the reason.
    let whole = |json: Option<String>| {
        if action.is_asset_change() || action == Action::Delete {
            json.map(|json| expand_audit_json(json, asset_id, &at))
        } else {
            json
        }
    };
    Ok(AuditEntry {
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
    })
}

#[cfg(test)]
mod tests;
