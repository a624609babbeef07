//! Copies of the whole database through SQLite's online backup API.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{Db, SCHEMA_VERSION, create_file, migrate, read_policy, sqlite_failed};
use crate::error::{Error, Result};
use crate::policy::Policy;

/// How long a backup or restore waits for locks held by other processes.
const LOCK_TIMEOUT: Duration = Duration::from_secs(30);

fn open_read_write(path: &Path, operation: &'static str) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite_failed(operation))?;
    conn.busy_timeout(LOCK_TIMEOUT)
        .map_err(sqlite_failed(operation))?;
    Ok(conn)
}

impl Db {
    /// Copies the database, as one consistent snapshot, into the empty file
    /// at `path` as a single file (no `-wal` beside it), and opens the copy.
    pub(crate) fn copy_to(&self, path: &Path) -> Result<Db> {
        let mut copy = open_read_write(path, "writing the backup")?;
        let Some(conn) = self.conn.sqlite() else {
            return self.transfer_into_file(copy, path);
        };
        copy_database(conn, &mut copy, "writing the backup")?;
        // The snapshot carries the register's WAL flag; a backup is one file.
        let _: String = copy
            .query_row("PRAGMA journal_mode = DELETE", [], |row| row.get(0))
            .map_err(sqlite_failed("writing the backup"))?;
        Ok(Db::sqlite(copy))
    }

    /// Reads a register file (a backup) into memory, with its policy,
    /// migrated in memory to the current schema.
    pub(crate) fn read_into_memory(path: &Path) -> Result<(Db, Policy)> {
        let not_a_register = || Error::NotARegister {
            path: path.to_owned(),
        };
        let source = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|_| not_a_register())?;
        source
            .busy_timeout(LOCK_TIMEOUT)
            .map_err(sqlite_failed("reading the backup"))?;
        let version: i64 = source
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|_| not_a_register())?;
        if version == 0 {
            return Err(not_a_register());
        }
        if version > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew {
                path: path.to_owned(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        let mut snapshot =
            Connection::open_in_memory().map_err(sqlite_failed("reading the backup"))?;
        copy_database(&source, &mut snapshot, "reading the backup")?;
        drop(source);
        // The copy in memory is brought to the current schema, which only
        // adds to it (entries written before keep their format), so that a
        // backup made by an older daicho verifies and restores.
        migrate(&mut snapshot, path)?;
        let policy = read_policy(&snapshot, path)?;
        Ok((Db::sqlite(snapshot), policy))
    }

    /// Writes the database into a new register file, created owner-only.
    pub(crate) fn create_copy(&self, dest: &Path) -> Result<()> {
        create_file(dest)?;
        let result = self.overwrite(dest).and_then(|()| sync_file(dest));
        if result.is_err() {
            let _ = std::fs::remove_file(dest);
        }
        result
    }

    /// Replaces the contents of the SQLite file at `dest` with the database,
    /// in one SQLite write transaction.
    pub(crate) fn overwrite(&self, dest: &Path) -> Result<()> {
        let mut target = open_read_write(dest, "restoring the register")?;
        let Some(conn) = self.conn.sqlite() else {
            return Err(no_restore_onto_server());
        };
        copy_database(conn, &mut target, "restoring the register")
    }
}

/// The refusal of a restore onto a register on PostgreSQL.
pub(crate) fn no_restore_onto_server() -> Error {
    Error::Server {
        ja: "PostgreSQL の台帳へは復元できません。空のデータベースへ `daicho migrate --from バックアップ --to postgres://…` で移してください".to_owned(),
        en: "a register on PostgreSQL cannot be restored onto; move the backup into an empty database with `daicho migrate --from BACKUP --to postgres://…`".to_owned(),
    }
}

/// Syncs a file's contents to the disk.
pub(crate) fn sync_file(path: &Path) -> Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .and_then(|file| file.sync_all())
        .map_err(|source| Error::Io {
            action: "sync",
            path: path.to_owned(),
            source,
        })
}

/// Copies every page of `from` into `to` in one step: one read transaction
/// on `from` (a consistent snapshot) and one write transaction on `to`.
fn copy_database(from: &Connection, to: &mut Connection, operation: &'static str) -> Result<()> {
    let started = Instant::now();
    let backup = Backup::new(from, to).map_err(sqlite_failed(operation))?;
    loop {
        match backup.step(-1).map_err(sqlite_failed(operation))? {
            StepResult::Done => return Ok(()),
            StepResult::Busy | StepResult::Locked if started.elapsed() > LOCK_TIMEOUT => {
                return Err(Error::Busy);
            }
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}
