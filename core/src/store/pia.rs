//! The table `pia_processes` (migration `*_pia.sql`): the 事務 of 特定個人情報 and
//! their evaluations, and the assets that name a 事務, read and written as
//! plain values for `rules::pia`.

use std::sync::LazyLock;

use super::sql::{OptionalExtension, Row, params};

use super::{Db, failed};
use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::table::Column;

/// One stored 事務; dates and times as stored (ISO 8601, RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProcessRow {
    /// 0 for one not yet inserted.
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) handlers: i64,
    pub(crate) stated_persons: Option<i64>,
    pub(crate) incident_on: Option<String>,
    pub(crate) evaluation: Option<String>,
    pub(crate) document: Option<String>,
    pub(crate) published_on: Option<String>,
    pub(crate) created_at: String,
    pub(crate) created_by: String,
    pub(crate) updated_at: String,
    pub(crate) updated_by: String,
}

/// An asset in use with extra attributes, which may name its 事務, or
/// holding 特定個人情報.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProcessFileRow {
    pub(crate) id: AssetId,
    pub(crate) name: String,
    pub(crate) record_count: Option<i64>,
    pub(crate) my_number: bool,
    /// The extra attributes as stored (a JSON array of pairs).
    pub(crate) extra: Option<String>,
}

const COLUMNS: &str = "id, name, handlers, stated_persons, incident_on, evaluation, document, \
     published_on, created_at, created_by, updated_at, updated_by";

/// The assets in use that have extra attributes or 特定個人情報.
static FILES: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {id}, {name}, {count}, {my_number}, {extra} FROM assets \
         WHERE {disposed} IS NULL AND ({extra} IS NOT NULL OR {my_number} <> 0) ORDER BY {id}",
        id = Column::Id.store_name(),
        name = Column::Name.store_name(),
        count = Column::RecordCount.store_name(),
        my_number = Column::MyNumber.store_name(),
        extra = Column::Extra.store_name(),
        disposed = Column::DisposedOn.store_name(),
    )
});

fn read(row: &Row<'_>) -> super::sql::Result<ProcessRow> {
    Ok(ProcessRow {
        id: row.get(0)?,
        name: row.get(1)?,
        handlers: row.get(2)?,
        stated_persons: row.get(3)?,
        incident_on: row.get(4)?,
        evaluation: row.get(5)?,
        document: row.get(6)?,
        published_on: row.get(7)?,
        created_at: row.get(8)?,
        created_by: row.get(9)?,
        updated_at: row.get(10)?,
        updated_by: row.get(11)?,
    })
}

/// A write of a 事務 refused by a UNIQUE constraint is another 事務 of the
/// same name (folded); anything else failed.
fn refused(operation: &'static str, name: &str) -> impl FnOnce(super::sql::SqlError) -> Error {
    move |source| {
        let unique = source.kind() == super::sql::ErrorKind::UniqueViolation;
        if unique {
            Error::invalid(
                "name",
                name,
                "同じ名前の事務が既にあります（幅・大文字小文字・空白を区別せずに比べます）",
                "another 事務 has this name (compared folded: width, case and spaces)",
            )
        } else {
            failed(operation)(source)
        }
    }
}

impl Db {
    /// Inserts a 事務 and returns its id; a name another 事務 has (folded) is
    /// refused as an invalid value.
    pub(crate) fn insert_process(&self, row: &ProcessRow) -> Result<i64> {
        self.write_process(None, row)
            .map_err(refused("recording a 事務", &row.name))
    }

    /// Writes a 事務 with its id, as a replay of the audit log rebuilds it.
    pub(crate) fn restore_process(&self, row: &ProcessRow) -> Result<()> {
        self.write_process(Some(row.id), row)
            .map(drop)
            .map_err(failed("restoring a 事務"))
    }

    /// Inserts a 事務 with `id`, or with the next one when `None` (SQLite
    /// gives a NULL `INTEGER PRIMARY KEY` the next rowid), and its folded name.
    fn write_process(&self, id: Option<i64>, row: &ProcessRow) -> super::sql::Result<i64> {
        self.conn.query_row(
            &format!(
                "INSERT INTO pia_processes ({COLUMNS}, folded) \
                 VALUES (coalesce(?1, (SELECT coalesce(max(id), 0) + 1 FROM pia_processes)), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id"
            ),
            params![
                id,
                row.name,
                row.handlers,
                row.stated_persons,
                row.incident_on,
                row.evaluation,
                row.document,
                row.published_on,
                row.created_at,
                row.created_by,
                row.updated_at,
                row.updated_by,
                crate::text::fold(&row.name)
            ],
        |row| row.get(0),
    )
    }

    /// Writes a 事務's changing columns (all but its id and creation).
    pub(crate) fn update_process(&self, row: &ProcessRow) -> Result<()> {
        self.conn
            .execute(
                "UPDATE pia_processes SET name = ?2, handlers = ?3, stated_persons = ?4, \
                 incident_on = ?5, evaluation = ?6, document = ?7, published_on = ?8, \
                 updated_at = ?9, updated_by = ?10, folded = ?11 WHERE id = ?1",
                params![
                    row.id,
                    row.name,
                    row.handlers,
                    row.stated_persons,
                    row.incident_on,
                    row.evaluation,
                    row.document,
                    row.published_on,
                    row.updated_at,
                    row.updated_by,
                    crate::text::fold(&row.name)
                ],
            )
            .map_err(refused("changing a 事務", &row.name))?;
        Ok(())
    }

    /// One 事務 by id.
    pub(crate) fn process(&self, id: i64) -> Result<Option<ProcessRow>> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM pia_processes WHERE id = ?1"),
                params![id],
                read,
            )
            .optional()
            .map_err(failed("reading a 事務"))
    }

    /// Every 事務, by id.
    pub(crate) fn each_process(
        &self,
        mut each: impl FnMut(ProcessRow) -> Result<()>,
    ) -> Result<()> {
        let failed = || failed("reading the 事務");
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM pia_processes ORDER BY id"))
            .map_err(failed())?;
        let mut rows = stmt.query([]).map_err(failed())?;
        while let Some(row) = rows.next().map_err(failed())? {
            each(read(&row).map_err(failed())?)?;
        }
        Ok(())
    }

    /// Every asset in use with extra attributes or 特定個人情報, by id.
    pub(crate) fn each_process_file(
        &self,
        mut each: impl FnMut(ProcessFileRow) -> Result<()>,
    ) -> Result<()> {
        let failed = || failed("reading the files of the 事務");
        let mut stmt = self.conn.prepare(&FILES).map_err(failed())?;
        let mut rows = stmt.query([]).map_err(failed())?;
        while let Some(row) = rows.next().map_err(failed())? {
            let file = ProcessFileRow {
                id: row.get(0).map_err(failed())?,
                name: row.get(1).map_err(failed())?,
                record_count: row.get(2).map_err(failed())?,
                my_number: row
                    .get::<Option<bool>>(3)
                    .map_err(failed())?
                    .unwrap_or(false),
                extra: row.get(4).map_err(failed())?,
            };
            each(file)?;
        }
        Ok(())
    }
}
