//! The export's reading side: the rows a filter selects, in storage order,
//! as stored values, with their count and extra attribute keys, all of one
//! read transaction.

use super::assets::filter_clauses;
use super::sql::Dialect;
use super::{Db, StoredHead, Value, failed};
use crate::error::Result;
use crate::query::Filter;
use crate::table::{Column, SHEET_COLUMN_COUNT};

/// The values of an exported row: the sheet columns, then the extra JSON.
pub(crate) const EXPORT_WIDTH: usize = SHEET_COLUMN_COUNT + 1;

impl Db {
    /// Reads, in one read transaction, the number of assets a filter selects
    /// and their extra attributes' keys in first-seen order (by row, then by
    /// position in the row), gives them to `start`, then gives `row` the
    /// values of each asset's sheet columns ([`Column::sheet`]) followed by
    /// its extra attributes' JSON, in storage order, until it returns false.
    /// Returns the number of rows read and the audit log's head (its last
    /// entry's number and hash) of the same moment.
    pub(crate) fn export_rows(
        &self,
        filter: &Filter,
        start: impl FnOnce(u64, Vec<String>) -> Result<()>,
        mut row: impl FnMut(&[Value<'_>]) -> Result<bool>,
    ) -> Result<(u64, Option<StoredHead>)> {
        self.read(|db| {
            let head = db.audit_head()?;
            let failed = || failed("exporting assets");
            let (clauses, values) = filter_clauses(filter);
            let params = || super::sql::params_from_iter(values.iter());
            let total: i64 = db
                .conn
                .query_row(
                    &format!("SELECT count(*) FROM assets{clauses}"),
                    params(),
                    |r| r.get(0),
                )
                .map_err(failed())?;
            // Each extra's pairs in order: SQLite's `json_each` numbers them
            // from 0, PostgreSQL's from 1; only their order counts.
            let elements = match db.dialect() {
                Dialect::Sqlite => "json_each(assets.extra) AS j",
                Dialect::Postgres => {
                    "json_array_elements(assets.extra::json) WITH ORDINALITY AS j(value, key)"
                }
            };
            let keys_sql = format!(
                "SELECT j.value ->> 0 AS extra_key FROM assets, {elements}{} \
                 assets.extra IS NOT NULL GROUP BY extra_key \
                 ORDER BY min(assets.rowid * 65536 + j.key)",
                if clauses.is_empty() {
                    " WHERE".to_owned()
                } else {
                    format!("{clauses} AND")
                }
            );
            let extra_keys: Vec<String> = db
                .conn
                .prepare(&keys_sql)
                .and_then(|mut keys| keys.query_map(params(), |r| r.get(0))?.collect())
                .map_err(failed())?;
            start(total as u64, extra_keys)?;
            let columns: Vec<&str> = Column::sheet()
                .chain([Column::Extra])
                .map(Column::store_name)
                .collect();
            let sql = format!(
                "SELECT {} FROM assets{clauses} ORDER BY rowid",
                columns.join(", ")
            );
            let mut stmt = db.conn.prepare(&sql).map_err(failed())?;
            let mut rows = stmt.query(params()).map_err(failed())?;
            let mut read = 0u64;
            while let Some(stored) = rows.next().map_err(failed())? {
                read += 1;
                let mut values = [Value::Null; EXPORT_WIDTH];
                for (index, value) in values.iter_mut().enumerate() {
                    *value = stored.get_ref(index).map_err(failed())?;
                }
                if !row(&values)? {
                    break;
                }
            }
            Ok((read, head))
        })
    }
}
