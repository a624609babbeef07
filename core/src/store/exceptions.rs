//! The table `exceptions` (migration 0006): the register of exceptions
//! (例外措置), read and written as plain values for `rules::exception`.

use super::sql::{OptionalExtension, Row, params};

use super::{Db, failed};
use crate::error::Result;
use crate::model::AssetId;

/// One stored exception; dates and times as stored (ISO 8601, RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExceptionRow {
    /// 0 for one not yet inserted.
    pub(crate) id: i64,
    pub(crate) rule: String,
    pub(crate) asset: AssetId,
    pub(crate) related: Option<AssetId>,
    pub(crate) reason: String,
    pub(crate) approver: String,
    pub(crate) approved_on: String,
    pub(crate) expires_on: Option<String>,
    pub(crate) conditions: Option<String>,
    pub(crate) created_at: String,
    pub(crate) created_by: String,
    pub(crate) ended_at: Option<String>,
    pub(crate) ended_by: Option<String>,
}

const COLUMNS: &str = "id, rule, asset_id, related_id, reason, approver, approved_on, \
     expires_on, conditions, created_at, created_by, ended_at, ended_by";

fn read(row: &Row<'_>) -> super::sql::Result<ExceptionRow> {
    Ok(ExceptionRow {
        id: row.get(0)?,
        rule: row.get(1)?,
        asset: row.get(2)?,
        related: row.get(3)?,
        reason: row.get(4)?,
        approver: row.get(5)?,
        approved_on: row.get(6)?,
        expires_on: row.get(7)?,
        conditions: row.get(8)?,
        created_at: row.get(9)?,
        created_by: row.get(10)?,
        ended_at: row.get(11)?,
        ended_by: row.get(12)?,
    })
}

impl Db {
    /// Inserts an exception and returns its id.
    pub(crate) fn insert_exception(&self, row: &ExceptionRow) -> Result<i64> {
        self.conn
            .query_row(
                "INSERT INTO exceptions (id, rule, asset_id, related_id, reason, approver, \
                 approved_on, expires_on, conditions, created_at, created_by) \
                 VALUES ((SELECT coalesce(max(id), 0) + 1 FROM exceptions), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) \
                 RETURNING id",
                params![
                    row.rule,
                    row.asset,
                    row.related,
                    row.reason,
                    row.approver,
                    row.approved_on,
                    row.expires_on,
                    row.conditions,
                    row.created_at,
                    row.created_by
                ],
                |row| row.get(0),
            )
            .map_err(failed("recording an exception"))
    }

    /// Inserts an exception whole, with its id and its end (a register
    /// rebuilt from its audit log).
    pub(crate) fn restore_exception(&self, row: &ExceptionRow) -> Result<()> {
        self.conn
            .execute(
                &format!(
                    "INSERT INTO exceptions ({COLUMNS}) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                ),
                params![
                    row.id,
                    row.rule,
                    row.asset,
                    row.related,
                    row.reason,
                    row.approver,
                    row.approved_on,
                    row.expires_on,
                    row.conditions,
                    row.created_at,
                    row.created_by,
                    row.ended_at,
                    row.ended_by
                ],
            )
            .map_err(failed("rebuilding an exception"))?;
        Ok(())
    }

    /// One exception by id.
    pub(crate) fn exception(&self, id: i64) -> Result<Option<ExceptionRow>> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM exceptions WHERE id = ?1"),
                params![id],
                read,
            )
            .optional()
            .map_err(failed("reading an exception"))
    }

    /// Calls `each` with every exception, by id; stops at its first error.
    pub(crate) fn each_exception(
        &self,
        mut each: impl FnMut(ExceptionRow) -> Result<()>,
    ) -> Result<()> {
        let failed = || failed("reading exceptions");
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM exceptions ORDER BY id"))
            .map_err(failed())?;
        let mut rows = stmt.query([]).map_err(failed())?;
        while let Some(row) = rows.next().map_err(failed())? {
            each(read(&row).map_err(failed())?)?;
        }
        Ok(())
    }

    /// Marks an exception ended; false when it does not exist or has ended.
    pub(crate) fn end_exception(&self, id: i64, at: &str, by: &str) -> Result<bool> {
        let changed = self
            .conn
            .execute(
                "UPDATE exceptions SET ended_at = ?2, ended_by = ?3 \
                 WHERE id = ?1 AND ended_at IS NULL",
                params![id, at, by],
            )
            .map_err(failed("ending an exception"))?;
        Ok(changed == 1)
    }
}
