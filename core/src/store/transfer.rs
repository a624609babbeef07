//! Copying a whole register from one database to another, row by row and
//! value by value: a move between SQLite and PostgreSQL (`daicho migrate`)
//! and the backup of a register on PostgreSQL into a register file.
//!
//! Values pass through as stored (an integer stays an integer, text the same
//! bytes), so that the audit chain, which hashes them, verifies on both
//! sides, and the assets keep their storage order (`rowid`), so that an
//! export of each is byte-identical.

use std::path::Path;

use rusqlite::Connection;

use super::sql::{Dialect, OwnedValue, params_from_iter};
use super::{Db, failed, migrate, sqlite_failed};
use crate::error::Result;

/// The tables, each before those whose rows refer to it.
const TABLES: &[&str] = &[
    "meta",
    "assets",
    "links",
    "audit_log",
    "risk_assessments",
    "imports",
    "exceptions",
    "check_runs",
    "findings",
    "pia_processes",
    "campaigns",
    "attestations",
    "attested_assets",
];

/// How many rows one `INSERT` writes.
const ROWS_PER_INSERT: usize = 200;

impl Db {
    /// The names of a table's columns, in order; for `assets` with its
    /// `rowid` (implicit on SQLite, a column on PostgreSQL).
    fn column_names(&self, table: &str) -> Result<Vec<String>> {
        let sql = match self.dialect() {
            Dialect::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
            Dialect::Postgres => {
                "SELECT column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = ?1 \
                 ORDER BY ordinal_position"
            }
        };
        let mut stmt = self
            .conn
            .prepare(sql)
            .map_err(failed("reading the schema"))?;
        let mut names: Vec<String> = stmt
            .query_map([table], |row| row.get(0))
            .map_err(failed("reading the schema"))?
            .collect::<std::result::Result<_, _>>()
            .map_err(failed("reading the schema"))?;
        if table == "assets" && !names.iter().any(|n| n == "rowid") {
            names.push("rowid".to_owned());
        }
        Ok(names)
    }

    /// Copies every row of every table into `target`, whose tables must be
    /// empty, from one snapshot of this register (on PostgreSQL a
    /// `REPEATABLE READ` transaction), in one write transaction on the
    /// target: a failure leaves the target as it was.
    pub(crate) fn copy_rows_into(&self, target: &mut Db) -> Result<()> {
        target.write(|target| self.copy_rows_within(target))
    }

    /// [`Db::copy_rows_into`] inside the target's write transaction, which
    /// the caller holds.
    pub(super) fn copy_rows_within(&self, target: &Db) -> Result<()> {
        self.read(|source| {
            for table in TABLES {
                source.copy_table(table, target)?;
            }
            target.after_explicit_ids()
        })
    }

    fn copy_table(&self, table: &str, target: &Db) -> Result<()> {
        // Both sides run the same migrations (the source verified, its schema
        // included): the target's columns, named, are the source's too.
        let wanted = target.column_names(table)?;
        let list = wanted.join(", ");
        let order = match table {
            "assets" => " ORDER BY rowid",
            "audit_log" => " ORDER BY seq",
            _ => "",
        };
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {list} FROM {table}{order}"))
            .map_err(failed("reading the register"))?;
        let mut rows = stmt.query([]).map_err(failed("reading the register"))?;
        let width = wanted.len();
        let mut pending: Vec<OwnedValue> = Vec::with_capacity(width * ROWS_PER_INSERT);
        while let Some(row) = rows.next().map_err(failed("reading the register"))? {
            for index in 0..width {
                let value = row.get_ref(index).map_err(failed("reading the register"))?;
                pending.push(value.into());
            }
            if pending.len() == width * ROWS_PER_INSERT {
                target.insert_rows(table, &list, width, &pending)?;
                pending.clear();
            }
        }
        if !pending.is_empty() {
            target.insert_rows(table, &list, width, &pending)?;
        }
        Ok(())
    }

    fn insert_rows(
        &self,
        table: &str,
        list: &str,
        width: usize,
        values: &[OwnedValue],
    ) -> Result<()> {
        let row = format!("({})", vec!["?"; width].join(", "));
        let rows = vec![row.as_str(); values.len() / width].join(", ");
        let overriding = match self.dialect() {
            Dialect::Postgres if table != "meta" && table != "links" => " OVERRIDING SYSTEM VALUE",
            _ => "",
        };
        self.conn
            .execute(
                &format!("INSERT INTO {table} ({list}){overriding} VALUES {rows}"),
                params_from_iter(values.iter()),
            )
            .map_err(failed("writing the register"))?;
        Ok(())
    }

    /// After rows were written with their ids: moves PostgreSQL's identity
    /// counters past the largest id, as SQLite's rowids move by themselves.
    fn after_explicit_ids(&self) -> Result<()> {
        if self.dialect() != Dialect::Postgres {
            return Ok(());
        }
        let mut stmt = self
            .conn
            .prepare(
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND is_identity = 'YES'",
            )
            .map_err(failed("reading the schema"))?;
        let identities: Vec<(String, String)> = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(failed("reading the schema"))?
            .collect::<std::result::Result<_, _>>()
            .map_err(failed("reading the schema"))?;
        drop(stmt);
        for (table, column) in identities {
            self.conn
                .query_row(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence(?1, ?2), \
                         coalesce(max({column}), 0) + 1, false) FROM {table}"
                    ),
                    super::sql::params![table, column],
                    |_| Ok(()),
                )
                .map_err(failed("writing the register"))?;
        }
        Ok(())
    }

    /// Writes this register (on a server) into the empty SQLite file that
    /// `conn` has open: the backup of a register on PostgreSQL, one file.
    pub(super) fn transfer_into_file(&self, mut conn: Connection, path: &Path) -> Result<Db> {
        migrate(&mut conn, path)?;
        super::assets::register_functions(&conn)
            .map_err(sqlite_failed("configuring the connection"))?;
        let mut copy = Db::sqlite(conn);
        self.copy_rows_into(&mut copy)?;
        Ok(copy)
    }
}

/// A new register at `to` (a file, or an empty schema on a server) holding
/// a copy of every row of `source`; nothing is left at `to` when it fails.
pub(crate) fn create_copy(source: &Db, to: &Path) -> Result<Db> {
    if super::is_server_url(to) {
        #[cfg(feature = "postgres")]
        return super::server::create_copy(&to.to_string_lossy(), source);
        #[cfg(not(feature = "postgres"))]
        return Err(super::server_not_built());
    }
    super::create_file(to)?;
    let result = Connection::open(to)
        .map_err(sqlite_failed("creating the register"))
        .and_then(|mut conn| {
            super::configure(&conn, true)?;
            migrate(&mut conn, to)?;
            let mut copy = Db::sqlite(conn);
            source.copy_rows_into(&mut copy)?;
            Ok(copy)
        });
    if result.is_err() {
        let _ = std::fs::remove_file(to);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_of_the_schema_is_copied() {
        let db = super::super::create_in_memory(&crate::Policy::niigata()).unwrap();
        let conn = db.conn.sqlite().unwrap();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .unwrap();
        let mut tables: Vec<String> = stmt
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut listed: Vec<String> = TABLES.iter().map(|t| (*t).to_owned()).collect();
        tables.sort();
        listed.sort();
        assert_eq!(tables, listed);
    }
}
