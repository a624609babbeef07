//! The tables `check_runs` and `findings` (migration `*_findings.sql`): the recorded
//! runs of the self-inspection and each finding's state, read and written as
//! plain values for `rules::correction`.

use super::sql::{OptionalExtension, Row, params};

use super::{Db, failed};
use crate::error::Result;
use crate::model::AssetId;

/// One recorded run; dates and times as stored (ISO 8601, RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RunRow {
    /// 0 for one not yet inserted.
    pub(crate) id: i64,
    pub(crate) checked_on: String,
    pub(crate) recorded_at: String,
    pub(crate) actor: String,
    pub(crate) policy_sha256: String,
    pub(crate) errors: i64,
    pub(crate) warnings: i64,
    pub(crate) infos: i64,
}

/// One tracked finding, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FindingRow {
    /// 0 for one not yet inserted.
    pub(crate) id: i64,
    pub(crate) key: String,
    pub(crate) rule: String,
    /// The first asset the finding names (the one to fix), if it names any.
    pub(crate) asset: Option<AssetId>,
    pub(crate) message_ja: String,
    pub(crate) message_en: String,
    pub(crate) first_seen: String,
    pub(crate) last_seen: String,
    pub(crate) status: String,
    pub(crate) resolved_on: Option<String>,
    pub(crate) owner: Option<String>,
    pub(crate) due_on: Option<String>,
}

const RUN_COLUMNS: &str =
    "id, checked_on, recorded_at, actor, policy_sha256, errors, warnings, infos";

/// The id given (`?1`), or the next one.
const NEXT_RUN: &str = "coalesce(?1, (SELECT coalesce(max(id), 0) + 1 FROM check_runs))";
const NEXT_FINDING: &str = "coalesce(?1, (SELECT coalesce(max(id), 0) + 1 FROM findings))";

const FINDING_COLUMNS: &str = "id, key, rule, asset_id, message_ja, message_en, first_seen, \
     last_seen, status, resolved_on, owner, due_on";

fn read_run(row: &Row<'_>) -> super::sql::Result<RunRow> {
    Ok(RunRow {
        id: row.get(0)?,
        checked_on: row.get(1)?,
        recorded_at: row.get(2)?,
        actor: row.get(3)?,
        policy_sha256: row.get(4)?,
        errors: row.get(5)?,
        warnings: row.get(6)?,
        infos: row.get(7)?,
    })
}

fn read_finding(row: &Row<'_>) -> super::sql::Result<FindingRow> {
    Ok(FindingRow {
        id: row.get(0)?,
        key: row.get(1)?,
        rule: row.get(2)?,
        asset: row.get(3)?,
        message_ja: row.get(4)?,
        message_en: row.get(5)?,
        first_seen: row.get(6)?,
        last_seen: row.get(7)?,
        status: row.get(8)?,
        resolved_on: row.get(9)?,
        owner: row.get(10)?,
        due_on: row.get(11)?,
    })
}

impl Db {
    /// Inserts a recorded run and returns its id.
    pub(crate) fn insert_run(&self, run: &RunRow) -> Result<i64> {
        self.write_run(None, run)
            .map_err(failed("recording a run of the self-inspection"))
    }

    /// Writes a recorded run with its id, as a replay of the audit log
    /// rebuilds it.
    pub(crate) fn restore_run(&self, run: &RunRow) -> Result<()> {
        self.write_run(Some(run.id), run)
            .map(drop)
            .map_err(failed("restoring a run of the self-inspection"))
    }

    /// Inserts a run with `id`, or with the next one when `None` (worked
    /// out in the statement, as both databases run it, under the write lock).
    fn write_run(&self, id: Option<i64>, run: &RunRow) -> super::sql::Result<i64> {
        self.conn.query_row(
            &format!(
                "INSERT INTO check_runs ({RUN_COLUMNS}) VALUES ({NEXT_RUN}, \
                 ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id"
            ),
            params![
                id,
                run.checked_on,
                run.recorded_at,
                run.actor,
                run.policy_sha256,
                run.errors,
                run.warnings,
                run.infos
            ],
            |row| row.get(0),
        )
    }

    /// Writes a tracked finding with its id, as a replay of the audit log
    /// rebuilds it.
    pub(crate) fn restore_finding(&self, row: &FindingRow) -> Result<()> {
        self.write_finding(Some(row.id), row)
            .map(drop)
            .map_err(failed("restoring a finding"))
    }

    /// Inserts a finding with `id`, or with the next one when `None`.
    fn write_finding(&self, id: Option<i64>, row: &FindingRow) -> super::sql::Result<i64> {
        self.conn.query_row(
            &format!(
                "INSERT INTO findings ({FINDING_COLUMNS}) \
                 VALUES ({NEXT_FINDING}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
                 RETURNING id"
            ),
            params![
                id,
                row.key,
                row.rule,
                row.asset,
                row.message_ja,
                row.message_en,
                row.first_seen,
                row.last_seen,
                row.status,
                row.resolved_on,
                row.owner,
                row.due_on
            ],
            |row| row.get(0),
        )
    }

    /// The last recorded run, if any.
    pub(crate) fn last_run(&self) -> Result<Option<RunRow>> {
        self.conn
            .query_row(
                &format!("SELECT {RUN_COLUMNS} FROM check_runs ORDER BY id DESC LIMIT 1"),
                [],
                read_run,
            )
            .optional()
            .map_err(failed("reading the recorded runs"))
    }

    /// Calls `each` with every recorded run, by id.
    pub(crate) fn each_run(&self, mut each: impl FnMut(RunRow) -> Result<()>) -> Result<()> {
        let failed = || failed("reading the recorded runs");
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {RUN_COLUMNS} FROM check_runs ORDER BY id"))
            .map_err(failed())?;
        let mut rows = stmt.query([]).map_err(failed())?;
        while let Some(row) = rows.next().map_err(failed())? {
            each(read_run(&row).map_err(failed())?)?;
        }
        Ok(())
    }

    /// Inserts a tracked finding and returns its id.
    pub(crate) fn insert_finding(&self, row: &FindingRow) -> Result<i64> {
        self.write_finding(None, row)
            .map_err(failed("recording a finding"))
    }

    /// Writes a tracked finding's changing columns (all but its key, rule,
    /// asset and first sighting).
    pub(crate) fn update_finding(&self, row: &FindingRow) -> Result<()> {
        self.conn
            .execute(
                "UPDATE findings SET message_ja = ?2, message_en = ?3, last_seen = ?4, \
                 status = ?5, resolved_on = ?6, owner = ?7, due_on = ?8 WHERE id = ?1",
                params![
                    row.id,
                    row.message_ja,
                    row.message_en,
                    row.last_seen,
                    row.status,
                    row.resolved_on,
                    row.owner,
                    row.due_on
                ],
            )
            .map_err(failed("updating a finding"))?;
        Ok(())
    }

    /// One tracked finding by id.
    pub(crate) fn finding(&self, id: i64) -> Result<Option<FindingRow>> {
        self.conn
            .query_row(
                &format!("SELECT {FINDING_COLUMNS} FROM findings WHERE id = ?1"),
                params![id],
                read_finding,
            )
            .optional()
            .map_err(failed("reading a finding"))
    }

    /// One tracked finding by key.
    pub(crate) fn finding_by_key(&self, key: &str) -> Result<Option<FindingRow>> {
        self.conn
            .query_row(
                &format!("SELECT {FINDING_COLUMNS} FROM findings WHERE key = ?1"),
                params![key],
                read_finding,
            )
            .optional()
            .map_err(failed("reading a finding"))
    }

    /// Calls `each` with every tracked finding, by id; stops at its first error.
    pub(crate) fn each_finding(
        &self,
        mut each: impl FnMut(FindingRow) -> Result<()>,
    ) -> Result<()> {
        let failed = || failed("reading the findings");
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {FINDING_COLUMNS} FROM findings ORDER BY id"
            ))
            .map_err(failed())?;
        let mut rows = stmt.query([]).map_err(failed())?;
        while let Some(row) = rows.next().map_err(failed())? {
            each(read_finding(&row).map_err(failed())?)?;
        }
        Ok(())
    }
}
