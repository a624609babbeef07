//! Recomputing the chain from the first entry, checking each payload
//! against its digest (format 2) and the chain against an anchor; and the
//! redaction of a field of a stored payload.

use std::collections::HashMap;

use serde::Deserialize;

use super::{Action, Appender, Change, FORMAT, Head, entry_hash_v1, entry_hash_v2, payload_digest};
use crate::error::{Error, Result};
use crate::record::to_json;
use crate::store::{Db, StoredEntry};
use crate::table::{CellKind, Column};

/// The result of recomputing the audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// How many entries were checked.
    pub entries: u64,
    /// The first entry that does not match, if any.
    pub first_broken: Option<BrokenEntry>,
    /// The head of the entries that verify (all of them when intact).
    pub head: Head,
    /// Payload fields blanked by a later `redact` entry: the chain still
    /// holds, and the payload matches the digest the redaction recorded.
    pub redactions: Vec<Redaction>,
    /// How many entries are of format 1 (written before payload digests).
    pub legacy_entries: u64,
    /// The check against an anchor (an expected head, a backup or a
    /// signed checkpoint), when one was given.
    pub anchor: Option<AnchorCheck>,
}

impl ChainReport {
    /// True when every entry matches.
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// An audit entry whose stored hash, position or payload is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenEntry {
    /// The entry's sequence number.
    pub seq: u64,
    /// What is wrong.
    pub reason: String,
}

/// A field of an entry's payload that a later entry redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redaction {
    /// The entry whose payload was redacted.
    pub entry: u64,
    /// The `redact` entry that did it.
    pub by: u64,
    /// The field blanked (a key of [`AssetRecord`](crate::AssetRecord)).
    pub field: String,
    /// Why, as the redaction recorded it.
    pub reason: String,
}

/// The audit chain compared with an anchor: a head recorded earlier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorCheck {
    /// Where the anchor came from (`--expect-head`, a backup, a checkpoint).
    pub source: String,
    /// The head the anchor holds.
    pub expected: Head,
    /// The first entry that differs from the anchor's, or why the anchor
    /// cannot be reached; none when entries 1..N are unchanged.
    pub first_difference: Option<BrokenEntry>,
}

impl AnchorCheck {
    /// True when the log still holds the anchor's entries unchanged.
    pub fn holds(&self) -> bool {
        self.first_difference.is_none()
    }
}

/// An anchor to check the chain against: its head and, from a backup, the
/// hash of every entry up to it (to name the first that differs).
#[derive(Debug, Clone)]
pub(crate) struct ChainAnchor {
    pub(crate) source: String,
    pub(crate) head: Head,
    pub(crate) hashes: Vec<[u8; 32]>,
}

/// What a `redact` entry's payload (its `after`) holds.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
struct RedactRecord {
    /// The payload's digest after the redaction (hex).
    digest: String,
    /// The entry redacted.
    entry: u64,
    /// The field blanked.
    field: String,
    /// Why.
    reason: String,
}

/// The redactions recorded in the log, by the entry they redacted, in order.
fn recorded_redactions(db: &Db) -> Result<HashMap<u64, Vec<(u64, RedactRecord)>>> {
    let mut by_entry: HashMap<u64, Vec<(u64, RedactRecord)>> = HashMap::new();
    for stored in db.entries_of_action(Action::Redact.code())? {
        if let Some(record) = stored
            .after
            .as_deref()
            .and_then(|json| serde_json::from_str::<RedactRecord>(json).ok())
            .filter(|record| record.entry < stored.seq)
        {
            by_entry
                .entry(record.entry)
                .or_default()
                .push((stored.seq, record));
        }
    }
    Ok(by_entry)
}

/// The state of a walk along the chain.
struct Walk<'a> {
    db: &'a Db,
    /// The redactions recorded in the log, read when a payload first
    /// differs from its digest (a full read of the log, needed only then).
    recorded: Option<HashMap<u64, Vec<(u64, RedactRecord)>>>,
    anchor: Option<&'a ChainAnchor>,
    head: [u8; 32],
    entries: u64,
    legacy_entries: u64,
    seen_v2: bool,
    first_broken: Option<BrokenEntry>,
    redactions: Vec<Redaction>,
    difference: Option<BrokenEntry>,
    /// An error reading the log's redactions, returned after the walk.
    failure: Option<crate::Error>,
}

impl Walk<'_> {
    /// Checks one entry: its hash, or none (with `first_broken` set).
    fn step(&mut self, seq: u64, entry: Option<&StoredEntry>) -> Option<[u8; 32]> {
        let expected_seq = self.entries + 1;
        if seq != expected_seq {
            return self.broken(
                expected_seq,
                format!("entry {expected_seq} is missing (next is {seq})"),
            );
        }
        let Some(entry) = entry else {
            return self.broken(seq, "the entry cannot be read".to_owned());
        };
        let Ok(action) = entry.action.parse::<Action>() else {
            return self.broken(seq, "the entry's action is unknown".to_owned());
        };
        let change = Change {
            action,
            asset_id: entry.asset_id,
            related_id: entry.related_id,
            before: entry.before.as_deref(),
            after: entry.after.as_deref(),
        };
        let hash = match entry.format {
            1 if self.seen_v2 => {
                return self.broken(
                    seq,
                    "an entry of format 1 follows entries of format 2".to_owned(),
                );
            }
            1 => {
                self.legacy_entries += 1;
                entry_hash_v1(&self.head, seq, &entry.at, &entry.actor, &change)
            }
            2 => {
                self.seen_v2 = true;
                let Some(digest) = digest_of(entry) else {
                    return self.broken(seq, "the entry has no payload digest".to_owned());
                };
                let hash =
                    entry_hash_v2(&self.head, seq, &entry.at, &entry.actor, &change, &digest);
                if entry.hash.as_slice() == hash.as_slice()
                    && payload_digest(change.before, change.after) != digest
                    && !self.redacted(seq, payload_digest(change.before, change.after))
                {
                    return self.broken(seq, "the payload does not match its digest".to_owned());
                }
                hash
            }
            other => return self.broken(seq, format!("the entry's format {other} is unknown")),
        };
        if entry.hash.as_slice() != hash.as_slice() {
            return self.broken(seq, "the stored hash does not match the entry".to_owned());
        }
        self.compare_with_anchor(seq, hash);
        self.head = hash;
        self.entries = seq;
        Some(hash)
    }

    fn broken(&mut self, seq: u64, reason: String) -> Option<[u8; 32]> {
        self.first_broken = Some(BrokenEntry { seq, reason });
        None
    }

    /// True when a recorded redaction explains the changed payload of entry
    /// `seq`: the payload is exactly what the last redaction left.
    fn redacted(&mut self, seq: u64, current: [u8; 32]) -> bool {
        if self.recorded.is_none() {
            match recorded_redactions(self.db) {
                Ok(recorded) => self.recorded = Some(recorded),
                Err(e) => {
                    self.failure = Some(e);
                    self.recorded = Some(HashMap::new());
                }
            }
        }
        let Some(list) = self.recorded.as_ref().and_then(|r| r.get(&seq)) else {
            return false;
        };
        if list
            .last()
            .is_none_or(|(_, last)| last.digest != hex::encode(current))
        {
            return false;
        }
        self.redactions
            .extend(list.iter().map(|(by, record)| Redaction {
                entry: seq,
                by: *by,
                field: record.field.clone(),
                reason: record.reason.clone(),
            }));
        true
    }

    fn compare_with_anchor(&mut self, seq: u64, hash: [u8; 32]) {
        let Some(anchor) = self.anchor else { return };
        if self.difference.is_some() || seq > anchor.head.entries {
            return;
        }
        let expected = anchor.hashes.get((seq - 1) as usize);
        if expected.is_some_and(|expected| *expected != hash) {
            self.difference = Some(BrokenEntry {
                seq,
                reason: format!("entry {seq} differs from the anchor's entry {seq}"),
            });
        } else if seq == anchor.head.entries && hash != anchor.head.hash {
            self.difference = Some(BrokenEntry {
                seq,
                reason: format!(
                    "entry {seq} has the hash {}, the anchor {}",
                    hex::encode(hash),
                    hex::encode(anchor.head.hash)
                ),
            });
        }
    }

    /// The anchor's verdict once the walk is over.
    fn anchor_check(&mut self) -> Option<AnchorCheck> {
        let anchor = self.anchor?;
        let first_difference = self.difference.take().or_else(|| {
            if self.entries >= anchor.head.entries {
                return None;
            }
            Some(match &self.first_broken {
                Some(broken) => BrokenEntry {
                    seq: broken.seq,
                    reason: format!(
                        "entry {} does not verify, before the anchor's {} entries",
                        broken.seq, anchor.head.entries
                    ),
                },
                None => BrokenEntry {
                    seq: self.entries + 1,
                    reason: format!(
                        "the log has {} entries, fewer than the anchor's {}",
                        self.entries, anchor.head.entries
                    ),
                },
            })
        });
        Some(AnchorCheck {
            source: anchor.source.clone(),
            expected: anchor.head,
            first_difference,
        })
    }
}

/// An entry's stored payload digest, when it has a well-formed one.
fn digest_of(entry: &StoredEntry) -> Option<[u8; 32]> {
    entry
        .payload_digest
        .as_deref()
        .and_then(|d| <[u8; 32]>::try_from(d).ok())
}

/// Recomputes the chain from the first entry, checks each payload against
/// its digest, and compares the chain with `anchor` when given. With
/// `hashes`, collects the hash of every entry that verifies. `visit` sees
/// every entry that can be read, in order, also past a broken one, so that
/// one pass over the log serves the replay too.
pub(crate) fn verify_chain(
    db: &Db,
    anchor: Option<&ChainAnchor>,
    mut hashes: Option<&mut Vec<[u8; 32]>>,
    mut visit: impl FnMut(u64, &StoredEntry),
) -> Result<ChainReport> {
    let mut walk = Walk {
        db,
        recorded: None,
        anchor,
        head: [0; 32],
        entries: 0,
        legacy_entries: 0,
        seen_v2: false,
        first_broken: None,
        redactions: Vec::new(),
        difference: None,
        failure: None,
    };
    db.each_entry(|seq, entry| {
        if let Some(entry) = &entry {
            visit(seq, entry);
        }
        if walk.first_broken.is_none()
            && let Some(hash) = walk.step(seq, entry.as_ref())
            && let Some(hashes) = hashes.as_deref_mut()
        {
            hashes.push(hash);
        }
        true
    })?;
    if let Some(e) = walk.failure.take() {
        return Err(e);
    }
    let anchor = walk.anchor_check();
    let head = Head {
        entries: walk.entries,
        hash: walk.head,
    };
    Ok(ChainReport {
        entries: walk.first_broken.as_ref().map_or(walk.entries, |b| b.seq),
        first_broken: walk.first_broken,
        head,
        redactions: walk.redactions,
        legacy_entries: walk.legacy_entries,
        anchor,
    })
}

/// The columns whose values a redaction may blank: free text.
pub(crate) fn redactable(field: &str) -> Option<Column> {
    Column::ALL
        .iter()
        .copied()
        .find(|c| c.key() == field)
        .filter(|c| matches!(c.kind(), CellKind::OptionalText | CellKind::Extra))
}

/// True when an entry of format 2 hashes as stored from the entry before
/// it, and its payload matches its digest or what its last redaction left.
fn entry_verifies(db: &Db, entry: &StoredEntry, action: Action) -> Result<bool> {
    let previous = match entry.seq {
        1 => Some([0u8; 32]),
        seq => db
            .entry(seq - 1)?
            .and_then(|e| <[u8; 32]>::try_from(e.hash.as_slice()).ok()),
    };
    let (Some(previous), Some(digest)) = (previous, digest_of(entry)) else {
        return Ok(false);
    };
    let change = Change {
        action,
        asset_id: entry.asset_id,
        related_id: entry.related_id,
        before: entry.before.as_deref(),
        after: entry.after.as_deref(),
    };
    let hash = entry_hash_v2(
        &previous,
        entry.seq,
        &entry.at,
        &entry.actor,
        &change,
        &digest,
    );
    let current = payload_digest(change.before, change.after);
    let left_by_redaction = recorded_redactions(db)?
        .get(&entry.seq)
        .and_then(|list| list.last().map(|(_, r)| r.digest.clone()));
    Ok(entry.hash.as_slice() == hash.as_slice()
        && (current == digest || left_by_redaction == Some(hex::encode(current))))
}

/// Blanks `field` in the payload of entry `seq` (in its states before and
/// after), but where it holds the value the asset holds now (`current` gives
/// it, as JSON, for the entry's asset): that value is no secret of the log.
/// Checks first that the entry and its payload verify, and appends a
/// `redact` entry naming the entry, the field, the reason and the payload's
/// new digest (never the content). Call inside a write transaction.
#[expect(
    clippy::too_many_lines,
    reason = "each refusal in both languages, in the order they are checked"
)]
pub(crate) fn redact(
    db: &Db,
    log: &mut Appender<'_>,
    (seq, field, reason): (u64, &str, &str),
    current: impl FnOnce(crate::model::AssetId) -> Result<Option<serde_json::Value>>,
) -> Result<()> {
    let invalid = |ja: String, en: String| Error::invalid("entry", seq.to_string(), ja, en);
    let column = redactable(field).ok_or_else(|| {
        Error::unknown(
            "field",
            field,
            Column::ALL
                .iter()
                .filter(|c| redactable(c.key()).is_some())
                .map(|c| c.key()),
        )
    })?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::invalid(
            "reason",
            reason,
            "墨消しにはその理由が要ります",
            "a redaction says why it was made",
        ));
    }
    let entry = db.entry(seq)?.ok_or_else(|| {
        invalid(
            "監査ログにこの番号の記録はありません".to_owned(),
            "the audit log has no such entry".to_owned(),
        )
    })?;
    let action: Action = entry.action.parse().map_err(|_| {
        invalid(
            "記録の操作が不明です".to_owned(),
            "the entry's action is unknown".to_owned(),
        )
    })?;
    if !action.is_asset_change() {
        return Err(invalid(
            format!("`{action}` の記録には墨消しできる資産の記録がありません"),
            format!("a `{action}` entry holds no asset record to redact"),
        ));
    }
    if entry.format != i64::from(FORMAT) {
        return Err(invalid(
            "この記録は内容のダイジェストより前（形式 1）に書かれたため、消すとハッシュの連鎖が切れます"
                .to_owned(),
            "the entry was written before payload digests (format 1): blanking it would break the chain"
                .to_owned(),
        ));
    }
    // The entry must verify as it is, so that a redaction never covers tampering.
    if !entry_verifies(db, &entry, action)? {
        return Err(invalid(
            "この記録は検証に通りません。先に `daicho verify` を実行してください".to_owned(),
            "the entry does not verify; run `daicho verify` first".to_owned(),
        ));
    }
    let kept = match entry.asset_id {
        Some(id) => current(id)?,
        None => None,
    };
    let (mut found, mut removed) = (false, false);
    let mut blank = |json: Option<&str>| -> Result<Option<String>> {
        let Some(json) = json else { return Ok(None) };
        let mut record: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json)
            .map_err(|_| {
                invalid(
                    "記録の内容が資産の記録ではありません".to_owned(),
                    "the entry's payload is not an asset record".to_owned(),
                )
            })?;
        if let Some(value) = record.get(column.key()) {
            found = true;
            if kept.as_ref() != Some(value) {
                record.remove(column.key());
                removed = true;
            }
        }
        Ok(Some(to_json(&record)))
    };
    let before = blank(entry.before.as_deref())?;
    let after = blank(entry.after.as_deref())?;
    if !found {
        return Err(invalid(
            format!("この記録に `{}` はありません", column.key()),
            format!("the entry holds no `{}`", column.key()),
        ));
    }
    if !removed {
        return Err(invalid(
            format!(
                "記録の `{}` は資産が今も持つ値です。先に資産を変更してください",
                column.key()
            ),
            format!(
                "the entry's `{}` is the value the asset still holds; change the asset first",
                column.key()
            ),
        ));
    }
    db.replace_payload(seq, before.as_deref(), after.as_deref())?;
    let record = to_json(&RedactRecord {
        digest: hex::encode(payload_digest(before.as_deref(), after.as_deref())),
        entry: seq,
        field: column.key().to_owned(),
        reason: reason.to_owned(),
    });
    log.append(
        db,
        &Change {
            action: Action::Redact,
            asset_id: entry.asset_id,
            related_id: None,
            before: None,
            after: Some(&record),
        },
    )
}
