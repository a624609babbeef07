//! The schema check of `verify`: the tables, indexes, triggers and views in
//! `sqlite_schema` must be exactly those the migrations create for the
//! register's version, so that a planted trigger (one that rewrites what a
//! change just logged, say) or view is named.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::sql::Conn;
use super::{Db, MIGRATIONS, sqlite_failed, user_version};
use crate::error::{Error, Result};

/// One object of `sqlite_schema`: its type and name, its table and its SQL.
pub(super) type Objects = BTreeMap<(String, String), (String, Option<String>)>;

fn objects(conn: &Connection) -> rusqlite::Result<Objects> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema")?;
    let rows = stmt.query_map([], |row| {
        Ok(((row.get(0)?, row.get(1)?), (row.get(2)?, row.get(3)?)))
    })?;
    rows.collect()
}

/// The schema the migrations make at `version`, in a database in memory.
fn expected(version: i64) -> Result<Objects> {
    let failed = || sqlite_failed("building the expected schema");
    let conn = Connection::open_in_memory().map_err(failed())?;
    let count = usize::try_from(version).unwrap_or(0).min(MIGRATIONS.len());
    for migration in &MIGRATIONS[..count] {
        conn.execute_batch(migration).map_err(failed())?;
    }
    objects(&conn).map_err(failed())
}

impl Db {
    /// The schema version (`PRAGMA user_version`).
    pub(crate) fn schema_version(&self) -> Result<i64> {
        match &self.conn {
            Conn::Sqlite(conn) => {
                user_version(conn).map_err(sqlite_failed("reading the schema version"))
            }
            #[cfg(feature = "postgres")]
            Conn::Postgres(_) => self.server_schema_version(),
        }
    }

    /// What differs between the register's schema and the one the
    /// migrations create for its version: each extra, missing or changed
    /// table, index, trigger or view, named. Empty when they are the same.
    pub(crate) fn schema_differences(&self) -> Result<Vec<String>> {
        let version = self.schema_version()?;
        if version < 1 || version as usize > MIGRATIONS.len() {
            return Err(Error::Corrupt {
                what: format!("the schema version is {version}"),
            });
        }
        let expected = expected(version)?;
        #[cfg_attr(
            not(feature = "postgres"),
            allow(clippy::infallible_destructuring_match)
        )]
        let conn = match &self.conn {
            Conn::Sqlite(conn) => conn,
            #[cfg(feature = "postgres")]
            Conn::Postgres(_) => return self.server_schema_differences(&expected),
        };
        let actual = objects(conn).map_err(sqlite_failed("reading the schema"))?;
        let mut differences = Vec::new();
        for ((kind, name), (table, sql)) in &actual {
            match expected.get(&(kind.clone(), name.clone())) {
                None => differences.push(format!(
                    "an extra {kind} `{name}` on `{table}` that no migration creates"
                )),
                Some((expected_table, expected_sql))
                    if expected_table != table || expected_sql != sql =>
                {
                    differences.push(format!(
                        "the {kind} `{name}` differs from the one the migrations create"
                    ));
                }
                Some(_) => {}
            }
        }
        for (kind, name) in expected.keys() {
            if !actual.contains_key(&(kind.clone(), name.clone())) {
                differences.push(format!("the {kind} `{name}` is missing"));
            }
        }
        Ok(differences)
    }
}
