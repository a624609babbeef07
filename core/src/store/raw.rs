//! Rows as they are stored, for `verify` to compare with what the audit log
//! says: the assets' columns in the order an insert writes them, the links
//! and the risk assessments, each value as SQLite holds it.

use super::assets::WRITE_COLUMNS;
use super::{Db, Value, failed};
use crate::error::Result;

/// The tables `verify` replays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    /// `assets`: the columns of [`asset_column_names`], in its order.
    Assets,
    /// `links`: from, relation, to, sanitization, created at.
    Links,
    /// `risk_assessments`: asset, threat, likelihood, vulnerability,
    /// assessed at, assessed by.
    Risks,
}

/// The names of an asset row's stored columns, in the order of
/// [`asset_values`](super::asset_values) (a level is followed by its rank).
pub(crate) fn asset_column_names() -> &'static [String] {
    &WRITE_COLUMNS
}

impl Table {
    fn select(self) -> String {
        match self {
            Table::Assets => format!("SELECT {} FROM assets", WRITE_COLUMNS.join(", ")),
            Table::Links => {
                "SELECT from_id, relation, to_id, sanitization, created_at FROM links".to_owned()
            }
            Table::Risks => "SELECT asset_id, threat, likelihood, vulnerability, assessed_at, \
                             assessed_by FROM risk_assessments"
                .to_owned(),
        }
    }
}

impl Db {
    /// Calls `visit` with the values of each row of `table` as stored, in
    /// storage order; stops at its first error.
    pub(crate) fn each_raw_row(
        &self,
        table: Table,
        mut visit: impl FnMut(&[Value<'_>]) -> Result<()>,
    ) -> Result<()> {
        let failed = || failed("reading the register's rows");
        let mut stmt = self.conn.prepare(&table.select()).map_err(failed())?;
        let width = stmt.column_count();
        let mut rows = stmt.query([]).map_err(failed())?;
        while let Some(row) = rows.next().map_err(failed())? {
            let mut values = Vec::with_capacity(width);
            for index in 0..width {
                values.push(row.get_ref(index).map_err(failed())?);
            }
            visit(&values)?;
        }
        Ok(())
    }

    /// The stored policy's TOML and the SHA-256 stored beside it, as they are.
    pub(crate) fn stored_policy(&self) -> Result<(Option<String>, Option<String>)> {
        let value = |key: &str| -> Result<Option<String>> {
            use super::sql::OptionalExtension;
            self.conn
                .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                    row.get(0)
                })
                .optional()
                .map_err(failed("reading the policy"))
        };
        Ok((value("policy_toml")?, value("policy_sha256")?))
    }
}
