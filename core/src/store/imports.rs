//! The table `imports` (migration 0004): one row per import, naming its
//! audit entries by their first and last `seq`, and the reading of those
//! entries back for an undo.

use std::collections::HashSet;

use super::sql::{OptionalExtension, Row, params};

use super::{Db, failed};
use crate::error::Result;
use crate::model::AssetId;

const SELECT_IMPORTS: &str = "SELECT id, at, actor, source, \
    assets_created, assets_updated, assets_unchanged, \
    links_created, links_updated, links_unchanged, \
    first_seq, last_seq, undone_at, undone_by FROM imports";

/// An import about to be recorded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewImport<'a> {
    /// When (the import's audit entries' time, as stored).
    pub(crate) at: &'a str,
    pub(crate) actor: &'a str,
    /// The file or files imported.
    pub(crate) source: &'a str,
    /// Assets created, updated and unchanged.
    pub(crate) assets: [u64; 3],
    /// Links created, updated and unchanged.
    pub(crate) links: [u64; 3],
    /// The first and the last of the import's audit entries; `None` when it
    /// wrote none.
    pub(crate) entries: Option<(u64, u64)>,
}

/// An import as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImportRow {
    pub(crate) id: u64,
    pub(crate) at: String,
    pub(crate) actor: String,
    pub(crate) source: String,
    pub(crate) assets: [u64; 3],
    pub(crate) links: [u64; 3],
    pub(crate) entries: Option<(u64, u64)>,
    /// When and by whom it was undone.
    pub(crate) undone: Option<(String, String)>,
}

/// One audit entry as an undo reads it: what changed, from what to what.
#[derive(Debug, Clone)]
pub(crate) struct LoggedChange {
    pub(crate) seq: u64,
    pub(crate) at: String,
    pub(crate) action: String,
    pub(crate) asset_id: Option<AssetId>,
    pub(crate) related_id: Option<AssetId>,
    pub(crate) before: Option<String>,
    pub(crate) after: Option<String>,
}

fn read_import(row: &Row<'_>) -> super::sql::Result<ImportRow> {
    let count = |index: usize| row.get::<i64>(index).map(|n| n as u64);
    let first: Option<i64> = row.get(10)?;
    let last: Option<i64> = row.get(11)?;
    let undone_at: Option<String> = row.get(12)?;
    let undone_by: Option<String> = row.get(13)?;
    Ok(ImportRow {
        id: row.get::<i64>(0)? as u64,
        at: row.get(1)?,
        actor: row.get(2)?,
        source: row.get(3)?,
        assets: [count(4)?, count(5)?, count(6)?],
        links: [count(7)?, count(8)?, count(9)?],
        entries: first.zip(last).map(|(f, l)| (f as u64, l as u64)),
        undone: undone_at.zip(undone_by),
    })
}

impl Db {
    /// Records an import; returns its id.
    pub(crate) fn insert_import(&self, import: &NewImport<'_>) -> Result<u64> {
        let [ac, au, an] = import.assets.map(|n| n as i64);
        let [lc, lu, ln] = import.links.map(|n| n as i64);
        let (first, last) = import.entries.map(|(f, l)| (f as i64, l as i64)).unzip();
        self.conn
            .query_row(
                "INSERT INTO imports (id, at, actor, source, \
                 assets_created, assets_updated, assets_unchanged, \
                 links_created, links_updated, links_unchanged, first_seq, last_seq) \
                 VALUES ((SELECT coalesce(max(id), 0) + 1 FROM imports), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
                 RETURNING id",
                params![
                    import.at,
                    import.actor,
                    import.source,
                    ac,
                    au,
                    an,
                    lc,
                    lu,
                    ln,
                    first,
                    last
                ],
                |row| row.get::<i64>(0),
            )
            .map(|id| id as u64)
            .map_err(failed("recording the import"))
    }

    /// Every recorded import, oldest first.
    pub(crate) fn imports(&self) -> Result<Vec<ImportRow>> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_IMPORTS} ORDER BY id"))
            .map_err(failed("reading the imports"))?;
        stmt.query_map([], read_import)
            .and_then(Iterator::collect)
            .map_err(failed("reading the imports"))
    }

    /// One import by id, or the last one.
    pub(crate) fn import(&self, id: Option<u64>) -> Result<Option<ImportRow>> {
        let result = match id {
            Some(id) => self.conn.query_row(
                &format!("{SELECT_IMPORTS} WHERE id = ?1"),
                [id as i64],
                read_import,
            ),
            None => self.conn.query_row(
                &format!("{SELECT_IMPORTS} ORDER BY id DESC LIMIT 1"),
                [],
                read_import,
            ),
        };
        result.optional().map_err(failed("reading the imports"))
    }

    /// Notes that an import was undone, with the range of the undo's entries.
    pub(crate) fn mark_import_undone(
        &self,
        id: u64,
        at: &str,
        by: &str,
        entries: Option<(u64, u64)>,
    ) -> Result<()> {
        let (first, last) = entries.map(|(f, l)| (f as i64, l as i64)).unzip();
        self.conn
            .execute(
                "UPDATE imports SET undone_at = ?2, undone_by = ?3, \
                 undo_first_seq = ?4, undo_last_seq = ?5 WHERE id = ?1",
                params![id as i64, at, by, first, last],
            )
            .map_err(failed("recording the undo"))?;
        Ok(())
    }

    /// The ranges of audit entries that net out: those of every undone
    /// import, and those of its undo.
    pub(crate) fn undone_ranges(&self) -> Result<Vec<(u64, u64)>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT first_seq, last_seq FROM imports \
                 WHERE undone_at IS NOT NULL AND first_seq IS NOT NULL \
                 UNION ALL SELECT undo_first_seq, undo_last_seq FROM imports \
                 WHERE undo_first_seq IS NOT NULL",
            )
            .map_err(failed("reading the imports"))?;
        stmt.query_map([], |row| {
            Ok((row.get::<i64>(0)? as u64, row.get::<i64>(1)? as u64))
        })
        .and_then(Iterator::collect)
        .map_err(failed("reading the imports"))
    }

    /// The audit entries from `first` to `last`, in order.
    pub(crate) fn changes_between(&self, first: u64, last: u64) -> Result<Vec<LoggedChange>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, at, action, asset_id, related_id, before, after FROM audit_log \
                 WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq",
            )
            .map_err(failed("reading the audit log"))?;
        stmt.query_map([first as i64, last as i64], |row| {
            Ok(LoggedChange {
                seq: row.get::<i64>(0)? as u64,
                at: row.get(1)?,
                action: row.get(2)?,
                asset_id: row.get(3)?,
                related_id: row.get(4)?,
                before: row.get(5)?,
                after: row.get(6)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(failed("reading the audit log"))
    }

    /// The assets named by audit entries after `seq` (as the asset or the
    /// related one), but for entries within `skip`: those changed, linked or
    /// assessed since.
    pub(crate) fn assets_logged_after(
        &self,
        seq: u64,
        skip: &[(u64, u64)],
    ) -> Result<HashSet<AssetId>> {
        let failed = || failed("reading the audit log");
        let mut stmt = self
            .conn
            .prepare("SELECT seq, asset_id, related_id FROM audit_log WHERE seq > ?1")
            .map_err(failed())?;
        let mut rows = stmt.query([seq as i64]).map_err(failed())?;
        let mut found = HashSet::new();
        while let Some(row) = rows.next().map_err(failed())? {
            let seq = row.get::<i64>(0).map_err(failed())? as u64;
            if skip
                .iter()
                .any(|(first, last)| (*first..=*last).contains(&seq))
            {
                continue;
            }
            for index in 1..3 {
                let id: Option<AssetId> = row.get(index).map_err(failed())?;
                found.extend(id);
            }
        }
        Ok(found)
    }
}
