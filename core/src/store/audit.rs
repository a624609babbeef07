//! Audit log rows: the SQL of `audit_log`. The chain (numbering and hashing)
//! is `crate::audit`'s; this file only writes and reads what it computed.

use super::sql::{OptionalExtension, Statement};

use super::assets::bind;
use super::{Db, StoredHead, Value, failed};
use crate::error::{Error, Result};
use crate::model::AssetId;

/// The columns of an entry, in [`entry_values`]'s order.
const INSERT_ENTRY: &str = "INSERT INTO audit_log \
    (seq, at, actor, action, asset_id, related_id, before, after, hash, format, payload_digest) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

const SELECT_ENTRIES: &str = "SELECT seq, at, actor, action, asset_id, related_id, before, after, \
     hash, format, payload_digest FROM audit_log";

/// The number of values of an entry ([`entry_values`]).
pub(crate) const ENTRY_VALUES: usize = 11;

/// An entry about to be written, numbered and hashed by the chain.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntryRow<'a> {
    pub(crate) seq: u64,
    pub(crate) at: &'a str,
    pub(crate) actor: &'a str,
    pub(crate) action: &'a str,
    pub(crate) asset_id: Option<&'a AssetId>,
    pub(crate) related_id: Option<&'a AssetId>,
    pub(crate) before: Option<&'a str>,
    pub(crate) after: Option<&'a str>,
    pub(crate) hash: &'a [u8; 32],
    /// The entry format: 1 hashes the payload as it is, 2 its digest.
    pub(crate) format: u8,
    /// The digest of the payload (format 2).
    pub(crate) payload_digest: Option<&'a [u8; 32]>,
}

/// An entry as stored.
#[derive(Debug, Clone)]
pub(crate) struct StoredEntry {
    pub(crate) seq: u64,
    pub(crate) at: String,
    pub(crate) actor: String,
    pub(crate) action: String,
    pub(crate) asset_id: Option<AssetId>,
    pub(crate) related_id: Option<AssetId>,
    pub(crate) before: Option<String>,
    pub(crate) after: Option<String>,
    pub(crate) hash: Vec<u8>,
    /// The entry format (1 or 2).
    pub(crate) format: i64,
    /// The digest of the payload (format 2).
    pub(crate) payload_digest: Option<Vec<u8>>,
}

/// An entry's values, in [`INSERT_ENTRY`]'s order.
pub(crate) fn entry_values<'a>(entry: &EntryRow<'a>) -> [Value<'a>; ENTRY_VALUES] {
    let id = |id: Option<&'a AssetId>| id.map_or(Value::Null, |id| Value::Blob(id.as_bytes()));
    let text = |text: Option<&'a str>| text.map_or(Value::Null, |t| Value::Text(t.as_bytes()));
    [
        Value::Integer(entry.seq as i64),
        Value::Text(entry.at.as_bytes()),
        Value::Text(entry.actor.as_bytes()),
        Value::Text(entry.action.as_bytes()),
        id(entry.asset_id),
        id(entry.related_id),
        text(entry.before),
        text(entry.after),
        Value::Blob(entry.hash),
        Value::Integer(i64::from(entry.format)),
        entry
            .payload_digest
            .map_or(Value::Null, |digest| Value::Blob(digest.as_slice())),
    ]
}

/// Writes one entry from its values with a statement of [`INSERT_ENTRY`].
pub(super) fn insert_entry_values(stmt: &mut Statement<'_>, values: &[Value<'_>]) -> Result<()> {
    bind(stmt, values)
        .and_then(|()| stmt.raw_execute())
        .map_err(failed("writing the audit log"))?;
    Ok(())
}

fn read_entry(row: &super::sql::Row<'_>) -> super::sql::Result<StoredEntry> {
    Ok(StoredEntry {
        seq: row.get::<i64>(0)? as u64,
        at: row.get(1)?,
        actor: row.get(2)?,
        action: row.get(3)?,
        asset_id: row.get(4)?,
        related_id: row.get(5)?,
        before: row.get(6)?,
        after: row.get(7)?,
        hash: row.get(8)?,
        format: row.get(9)?,
        payload_digest: row.get(10)?,
    })
}

impl Db {
    /// The last entry's number and hash; `None` for an empty log.
    pub(crate) fn audit_head(&self) -> Result<Option<StoredHead>> {
        let last: Option<(i64, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(failed("reading the audit log"))?;
        last.map(|(seq, hash)| {
            let hash = hash.try_into().map_err(|_| Error::Corrupt {
                what: format!("audit entry {seq} has a malformed hash"),
            })?;
            Ok((seq as u64, hash))
        })
        .transpose()
    }

    /// Writes one entry.
    pub(crate) fn insert_entry(&self, entry: &EntryRow<'_>) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached(INSERT_ENTRY)
            .map_err(failed("writing the audit log"))?;
        insert_entry_values(&mut stmt, &entry_values(entry))
    }

    /// Prepares the insert of entries, for a writer of many.
    pub(super) fn prepare_insert_entry(&self) -> Result<Statement<'_>> {
        self.conn
            .prepare(INSERT_ENTRY)
            .map_err(failed("writing the audit log"))
    }

    /// Calls `visit` with each entry's number and the entry (`None` when the
    /// row cannot be read), in order, until it returns false.
    pub(crate) fn each_entry(
        &self,
        mut visit: impl FnMut(u64, Option<StoredEntry>) -> bool,
    ) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_ENTRIES} ORDER BY seq"))
            .map_err(failed("reading the audit log"))?;
        let mut rows = stmt.query([]).map_err(failed("reading the audit log"))?;
        while let Some(row) = rows.next().map_err(failed("reading the audit log"))? {
            let seq: i64 = row.get(0).map_err(failed("reading the audit log"))?;
            if !visit(seq as u64, read_entry(&row).ok()) {
                break;
            }
        }
        Ok(())
    }

    /// One entry by its number.
    pub(crate) fn entry(&self, seq: u64) -> Result<Option<StoredEntry>> {
        self.conn
            .query_row(
                &format!("{SELECT_ENTRIES} WHERE seq = ?1"),
                [seq as i64],
                read_entry,
            )
            .optional()
            .map_err(failed("reading the audit log"))
    }

    /// The entries of one action, in order (the redactions, the restores).
    pub(crate) fn entries_of_action(&self, action: &str) -> Result<Vec<StoredEntry>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_ENTRIES} WHERE action = ?1 ORDER BY seq"))
            .map_err(failed("reading the audit log"))?;
        stmt.query_map([action], read_entry)
            .and_then(Iterator::collect)
            .map_err(failed("reading the audit log"))
    }

    /// Replaces an entry's payload (a redaction); its hash and digest stay.
    pub(crate) fn replace_payload(
        &self,
        seq: u64,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE audit_log SET before = ?2, after = ?3 WHERE seq = ?1",
                super::sql::params![seq as i64, before, after],
            )
            .map_err(failed("redacting an audit entry"))?;
        Ok(())
    }

    /// Calls `visit` with each entry that created, changed or disposed of an
    /// asset and whose time (RFC 3339 text in UTC) sorts at or after `at` (a
    /// time or a bare date), in order, one row at a time.
    pub(crate) fn each_asset_change_since(
        &self,
        at: &str,
        mut visit: impl FnMut(StoredEntry) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{SELECT_ENTRIES} WHERE at >= ?1 AND action IN ('create', 'update', 'dispose') \
                 ORDER BY seq"
            ))
            .map_err(failed("reading the audit log"))?;
        let mut rows = stmt.query([at]).map_err(failed("reading the audit log"))?;
        while let Some(row) = rows.next().map_err(failed("reading the audit log"))? {
            visit(read_entry(&row).map_err(failed("reading the audit log"))?)?;
        }
        Ok(())
    }

    /// The entries about one asset (as the asset or the related one), in order.
    pub(crate) fn entries_about(&self, id: AssetId) -> Result<Vec<StoredEntry>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "{SELECT_ENTRIES} WHERE asset_id = ?1 OR related_id = ?1 ORDER BY seq"
            ))
            .map_err(failed("reading the audit log"))?;
        stmt.query_map([id], read_entry)
            .and_then(Iterator::collect)
            .map_err(failed("reading the audit log"))
    }
}
