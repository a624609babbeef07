//! The fast path of a first import into an empty register file: a rollback
//! journal instead of WAL, secondary indexes dropped and rebuilt after, and
//! a writer that binds prepared rows without looking statements up.

use super::sql::Statement;

use super::assets::ASSET_VALUES;
use super::audit::{ENTRY_VALUES, insert_entry_values};
use super::{Db, Row, failed};
use crate::error::Result;

/// Writes rows of new assets, each with its audit entry: the asset's
/// [`asset_values`](super::asset_values), then its entry's
/// [`entry_values`](super::entry_values).
#[derive(Debug)]
pub(crate) struct BulkWriter<'db> {
    insert_asset: Statement<'db>,
    insert_entry: Statement<'db>,
}

impl BulkWriter<'_> {
    /// The number of values of a row.
    pub(crate) const ROW_VALUES: usize = ASSET_VALUES + ENTRY_VALUES;

    /// Inserts one row and its entry.
    pub(crate) fn write(&mut self, row: Row<'_>) -> Result<()> {
        let asset = row.array::<ASSET_VALUES>(0);
        super::assets::bind(&mut self.insert_asset, &asset)
            .and_then(|()| self.insert_asset.raw_execute())
            .map_err(|source| {
                let id = match asset[0] {
                    super::Value::Blob(bytes) => crate::model::AssetId::from_bytes(bytes)
                        .map(|id| id.to_string())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                super::assets::insert_failed(&id)(source)
            })?;
        insert_entry_values(
            &mut self.insert_entry,
            &row.array::<ENTRY_VALUES>(ASSET_VALUES),
        )
    }
}

impl Db {
    /// A writer of new assets' rows, its statements prepared once.
    pub(crate) fn bulk_writer(&self) -> Result<BulkWriter<'_>> {
        Ok(BulkWriter {
            insert_asset: self.prepare_insert_asset()?,
            insert_entry: self.prepare_insert_entry()?,
        })
    }

    /// Before a bulk import into an empty register file: switches from WAL to
    /// a rollback journal with full syncs, if no other connection is open.
    ///
    /// In WAL mode every page is written twice (to the log, then by the
    /// checkpoint into the file). With a rollback journal, pages added past
    /// the end of the file are written once and need no journal, and a crash
    /// or an error still rolls the whole import back. Returns false, changing
    /// nothing, when the switch is not possible.
    pub(crate) fn enter_bulk_mode(&self) -> bool {
        let Some(conn) = self.conn.sqlite() else {
            return false;
        };
        let mode: rusqlite::Result<String> =
            conn.query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0));
        match mode {
            Ok(mode) if mode.eq_ignore_ascii_case("delete") => {
                if conn.pragma_update(None, "synchronous", "FULL").is_ok() {
                    true
                } else {
                    self.leave_bulk_mode();
                    false
                }
            }
            _ => false,
        }
    }

    /// Returns to WAL after a bulk import. A failure leaves the file in
    /// rollback mode, which is sound; the next open switches it back to WAL.
    pub(crate) fn leave_bulk_mode(&self) {
        let Some(conn) = self.conn.sqlite() else {
            return;
        };
        let _ = conn.pragma_update(None, "synchronous", "NORMAL");
        let _: rusqlite::Result<String> =
            conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0));
    }

    /// Drops the secondary indexes of `assets` (not the id's), returning the
    /// SQL to make them again ([`Db::recreate_indexes`]). Filling an empty
    /// table and then indexing it is much faster than keeping the indexes up
    /// to date row by row.
    ///
    /// The audit log's index on `asset_id` stays: new ids grow, so keeping it
    /// up to date appends to it, which costs less than reading the whole log
    /// again to rebuild it (measured).
    ///
    /// On PostgreSQL the indexes stay: only the tables' owner may drop them,
    /// and the writer role is not (docs/postgres-roles.sql).
    pub(crate) fn drop_secondary_indexes(&self) -> Result<Vec<String>> {
        if self.conn.sqlite().is_none() {
            return Ok(Vec::new());
        }
        let failed = || failed("preparing a bulk import");
        let mut stmt = self
            .conn
            .prepare(
                "SELECT name, sql FROM sqlite_schema \
                 WHERE type = 'index' AND tbl_name = 'assets' AND sql IS NOT NULL",
            )
            .map_err(failed())?;
        let indexes: Vec<(String, String)> = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .and_then(Iterator::collect)
            .map_err(failed())?;
        for (name, _) in &indexes {
            let quoted = format!("\"{}\"", name.replace('"', "\"\""));
            self.conn
                .execute(&format!("DROP INDEX {quoted}"), [])
                .map_err(failed())?;
        }
        Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
    }

    /// Makes again the indexes [`Db::drop_secondary_indexes`] dropped.
    ///
    /// SQLite sorts the entries on this thread alone: its helper threads
    /// (`PRAGMA threads = 2`, used until issue 17's second pass) cost 6–10 %
    /// more CPU over the whole import at 100,000–200,000 rows on two cores,
    /// for no shorter wall time (BENCHMARKS.md, issue 17, item 2).
    pub(crate) fn recreate_indexes(&self, indexes: &[String]) -> Result<()> {
        indexes.iter().try_for_each(|sql| {
            self.conn
                .execute(sql, [])
                .map(drop)
                .map_err(failed("rebuilding the indexes after an import"))
        })
    }
}
