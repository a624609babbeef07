//! The ids met so far in a sheet, for the duplicate check: in memory, and
//! past a limit in a private temporary database, so that memory stays flat
//! however long the sheet is.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::failed;
use crate::error::Result;
use crate::model::AssetId;

/// Ids kept in memory for the duplicate check; past this many, they move to
/// a temporary table, so that memory stays flat however long the sheet is.
#[cfg(not(test))]
const SEEN_IN_MEMORY: usize = 100_000;
/// Small in tests, so that they cover the temporary table.
#[cfg(test)]
const SEEN_IN_MEMORY: usize = 100;

/// The ids met so far in an asset sheet, with their lines.
///
/// Past [`SEEN_IN_MEMORY`] ids they move to a table of a private temporary
/// database (on disk, deleted when closed), not the register's connection,
/// so that a bulk import can check ids on its reading thread.
#[derive(Default)]
pub(crate) struct SeenIds {
    memory: HashMap<AssetId, u64, foldhash::fast::RandomState>,
    spilled: Option<Connection>,
}

impl SeenIds {
    /// Records an id; returns the line it was first met on, if it was.
    pub(crate) fn insert(&mut self, id: AssetId, line: u64) -> Result<Option<u64>> {
        let storage = || failed("checking the sheet's ids");
        if self.spilled.is_none() {
            if let Some(first) = self.memory.get(&id) {
                return Ok(Some(*first));
            }
            if self.memory.len() < SEEN_IN_MEMORY {
                self.memory.insert(id, line);
                return Ok(None);
            }
            let conn = Connection::open("").map_err(storage())?;
            conn.execute_batch(
                "CREATE TABLE sheet_seen (id BLOB PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID; \
                 BEGIN;",
            )
            .map_err(storage())?;
            {
                let mut stmt = conn
                    .prepare_cached("INSERT INTO sheet_seen (id, line) VALUES (?1, ?2)")
                    .map_err(storage())?;
                for (id, line) in std::mem::take(&mut self.memory) {
                    stmt.execute(params![id, line as i64]).map_err(storage())?;
                }
            }
            self.spilled = Some(conn);
        }
        let Some(conn) = &self.spilled else {
            return Ok(None);
        };
        let inserted = conn
            .prepare_cached(
                "INSERT INTO sheet_seen (id, line) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut stmt| stmt.execute(params![id, line as i64]))
            .map_err(storage())?;
        if inserted == 1 {
            return Ok(None);
        }
        let first: i64 = conn
            .query_row("SELECT line FROM sheet_seen WHERE id = ?1", [id], |row| {
                row.get(0)
            })
            .map_err(storage())?;
        Ok(Some(first as u64))
    }
}
