//! The embedded SQLite store: the one place that speaks SQL.
//!
//! [`Db`] owns the connection. Opening, schema migrations and the stored
//! policy are here; each kind of row has its own file (`assets`, `links`,
//! `audit`, `risks`, `exceptions`, `snapshot`), and so do the bulk writer of a first import
//! (`bulk`), the export's cursor (`export`) and the online backup (`backup`).
//! Nothing outside this module names `rusqlite` (a test in this module
//! enforces it): the rest of the library calls [`Db`]'s methods, which take
//! and return domain values, and a second backend would implement the same
//! methods.
//!
//! SQLite errors are translated here into domain errors ([`failed`]), so that
//! nothing above this module matches on `rusqlite::Error`.

use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use self::sql::{Conn, ErrorKind, SqlError};

use crate::error::{Error, Result};
use crate::policy::Policy;

mod assets;
mod audit;
mod backup;
mod bulk;
mod campaigns;
mod columns;
mod exceptions;
mod export;
mod findings;
mod imports;
mod links;
mod pia;
mod policy;
mod raw;
mod risks;
mod rows;
mod schema;
mod seen;
#[cfg(feature = "postgres")]
mod server;
mod snapshot;
pub(crate) mod sql;
mod stored;
mod summary;
mod transfer;

pub(crate) use assets::asset_values;
pub(crate) use audit::{EntryRow, StoredEntry, entry_values};
pub(crate) use backup::{no_restore_onto_server, sync_file};
pub(crate) use bulk::BulkWriter;
pub(crate) use campaigns::{AttestationRow, CampaignRow};
pub use columns::{StoredRow, StoredRows, StoredValue};
pub(crate) use exceptions::ExceptionRow;
pub(crate) use findings::{FindingRow, RunRow};
pub(crate) use imports::{ImportRow, LoggedChange, NewImport};
pub(crate) use pia::{ProcessFileRow, ProcessRow};
pub(crate) use raw::{Table, asset_column_names};
pub(crate) use risks::{AssessmentRow, RecordedRow};
pub(crate) use rows::{Batch, Row, Value};
pub(crate) use seen::{SeenIds, SeenKeys};
pub(crate) use snapshot::{AssetRow, LinkRow};
pub(crate) use stored::{StoredAsset, StoredAssetReader};
pub(crate) use summary::SummaryGroup;

/// The migrations, in order; the schema version is the number applied.
/// (0010 follows 0008 here: 0009 was being written on another branch at the
/// same time, and the files are renumbered when the branches meet.)
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_risks.sql"),
    include_str!("migrations/0003_asset_number.sql"),
    include_str!("migrations/0004_imports.sql"),
    include_str!("migrations/0005_payload_digest.sql"),
    include_str!("migrations/0006_exceptions.sql"),
    include_str!("migrations/0007_findings.sql"),
    include_str!("migrations/0008_pia.sql"),
    include_str!("migrations/0009_campaigns.sql"),
    include_str!("migrations/0010_summary_index.sql"),
];

/// The audit log's last entry: its number and hash.
pub(crate) type StoredHead = (u64, [u8; 32]);

/// The newest schema version this build knows.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Whether `location` names a register on a database server (a
/// `postgres://` URL) rather than a file.
pub(crate) fn is_server_url(location: &Path) -> bool {
    location
        .to_str()
        .is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// A register on a server, asked of a build without the `postgres` feature.
#[cfg(not(feature = "postgres"))]
fn server_not_built() -> Error {
    Error::Server {
        ja: "この daicho は PostgreSQL なしでビルドされています（機能 `postgres`）".to_owned(),
        en: "this daicho was built without PostgreSQL (feature `postgres`)".to_owned(),
    }
}

/// Creates a new register: a file readable and writable by its owner only,
/// or the tables of an empty schema on a server.
pub(crate) fn create(path: &Path, policy: &Policy) -> Result<Db> {
    if is_server_url(path) {
        #[cfg(feature = "postgres")]
        return server::create(&path.to_string_lossy(), policy);
        #[cfg(not(feature = "postgres"))]
        return Err(server_not_built());
    }
    create_file(path)?;
    let result = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sqlite_failed("creating the register"))
    .and_then(|mut conn| {
        configure(&conn, true)?;
        migrate(&mut conn, path)?;
        write_policy(&mut conn, policy)?;
        Ok(Db::sqlite(conn))
    });
    if result.is_err() {
        // Never leave a half-made register behind.
        let _ = std::fs::remove_file(path);
    }
    result
}

/// An in-memory register, for tests and scratch work.
pub(crate) fn create_in_memory(policy: &Policy) -> Result<Db> {
    let mut conn = Connection::open_in_memory().map_err(sqlite_failed("creating the register"))?;
    configure(&conn, false)?;
    migrate(&mut conn, Path::new(":memory:"))?;
    write_policy(&mut conn, policy)?;
    Ok(Db::sqlite(conn))
}

/// Opens an existing register, migrating it to the current schema.
pub(crate) fn open(path: &Path) -> Result<(Db, Policy)> {
    if is_server_url(path) {
        #[cfg(feature = "postgres")]
        return server::open(&path.to_string_lossy());
        #[cfg(not(feature = "postgres"))]
        return Err(server_not_built());
    }
    if !path.exists() {
        return Err(Error::RegisterMissing {
            path: path.to_owned(),
        });
    }
    // SQLite would answer a directory with a bare "unable to open database file".
    if path.is_dir() {
        return Err(Error::NotARegister {
            path: path.to_owned(),
        });
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|source| not_a_register(path, source))?;
    configure(&conn, true).map_err(|e| match e {
        Error::Corrupt { .. } => Error::NotARegister {
            path: path.to_owned(),
        },
        other => other,
    })?;
    let version = user_version(&conn).map_err(|_| Error::NotARegister {
        path: path.to_owned(),
    })?;
    if version == 0 {
        return Err(Error::NotARegister {
            path: path.to_owned(),
        });
    }
    migrate(&mut conn, path)?;
    let policy = read_policy(&conn, path)?;
    Ok((Db::sqlite(conn), policy))
}

/// Opens an existing register read-only: no migration, no change of the
/// journal mode, nothing written. A register whose schema is older than this
/// build's is refused ([`Error::SchemaTooOld`]): opening it writable once
/// migrates it.
///
/// A register in WAL mode needs its `-shm` file, which a read-only file in a
/// read-only directory cannot have made for it; such a file is opened as
/// immutable (SQLite then takes no locks and reads no WAL), which is sound
/// only when no WAL holds changes, so it is done only when there is no `-wal`
/// file with content beside it.
/// The OS's refusal to let this user read a file SQLite could not open, which says more
/// than SQLite's "unable to open database file". Tried only once SQLite failed: closing
/// a second descriptor of a register drops SQLite's POSIX locks on it, and a file this
/// process may not read, no connection of it holds.
fn refused_by_os(path: &Path) -> Option<Error> {
    match std::fs::File::open(path) {
        Err(source) if source.kind() == std::io::ErrorKind::PermissionDenied => Some(Error::Io {
            action: "open",
            path: path.to_owned(),
            source,
        }),
        _ => None,
    }
}

pub(crate) fn open_read_only(path: &Path) -> Result<(Db, Policy)> {
    if is_server_url(path) {
        #[cfg(feature = "postgres")]
        return server::open_read_only(&path.to_string_lossy());
        #[cfg(not(feature = "postgres"))]
        return Err(server_not_built());
    }
    if !path.exists() {
        return Err(Error::RegisterMissing {
            path: path.to_owned(),
        });
    }
    if path.is_dir() {
        return Err(Error::NotARegister {
            path: path.to_owned(),
        });
    }
    let probe = |immutable: bool| -> Result<(Connection, i64)> {
        let conn = Connection::open_with_flags(
            read_only_uri(path, immutable),
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| not_a_register(path, source))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(sqlite_failed("configuring the connection"))?;
        let version = user_version(&conn).map_err(|source| not_a_register(path, source))?;
        Ok((conn, version))
    };
    let (conn, version) = match probe(false) {
        Ok(opened) => opened,
        Err(e @ (Error::NotARegister { .. } | Error::Busy)) => return Err(e),
        Err(e) => {
            let mut wal = path.as_os_str().to_owned();
            wal.push("-wal");
            let wal_has_changes = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
            if wal_has_changes {
                return Err(e);
            }
            probe(true).map_err(|e| refused_by_os(path).unwrap_or(e))?
        }
    };
    conn.pragma_update(None, "query_only", true)
        .map_err(sqlite_failed("configuring the connection"))?;
    assets::register_functions(&conn).map_err(sqlite_failed("configuring the connection"))?;
    if version == 0 {
        return Err(Error::NotARegister {
            path: path.to_owned(),
        });
    }
    if version > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            path: path.to_owned(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version < SCHEMA_VERSION {
        return Err(Error::SchemaTooOld {
            path: path.to_owned(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    let policy = read_policy(&conn, path)?;
    Ok((Db::sqlite(conn), policy))
}

/// A `file:` URI for a read-only open, the path percent-encoded.
fn read_only_uri(path: &Path, immutable: bool) -> String {
    use std::fmt::Write as _;
    let mut uri = String::from("file:");
    for &byte in path.as_os_str().as_encoded_bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri.push_str("?mode=ro");
    if immutable {
        uri.push_str("&immutable=1");
    }
    uri
}

fn not_a_register(path: &Path, source: rusqlite::Error) -> Error {
    match source.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotARegister {
            path: path.to_owned(),
        },
        _ => failed("opening the register")(source.into()),
    }
}

#[cfg(unix)]
pub(crate) fn create_file(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(drop)
        .map_err(|source| io_create_error(path, source))
}

#[cfg(not(unix))]
pub(crate) fn create_file(path: &Path) -> Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(drop)
        .map_err(|source| io_create_error(path, source))
}

fn io_create_error(path: &Path, source: std::io::Error) -> Error {
    if source.kind() == std::io::ErrorKind::AlreadyExists {
        Error::AlreadyExists {
            path: path.to_owned(),
        }
    } else {
        Error::Io {
            action: "create",
            path: path.to_owned(),
            source,
        }
    }
}

/// Connection settings that are not part of the schema.
fn configure(conn: &Connection, on_disk: bool) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(sqlite_failed("configuring the connection"))?;
    assets::register_functions(conn).map_err(sqlite_failed("configuring the connection"))?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(sqlite_failed("configuring the connection"))?;
    if on_disk {
        // The journal mode answers with a row; reading it also proves the file is a database.
        let mode: String =
            wait_while_busy(|| conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)))
                .map_err(sqlite_failed("configuring the connection"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Corrupt {
                what: format!("the journal mode could not be set to WAL (it is `{mode}`)"),
            });
        }
        // In WAL mode NORMAL keeps the database consistent across a crash;
        // only the last transactions before a power loss may be lost.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sqlite_failed("configuring the connection"))?;
        // Content deleted or overwritten is zeroed where that costs no more
        // writes (a redaction asks for more, see `Db::write_securely`).
        conn.pragma_update(None, "secure_delete", "FAST")
            .map_err(sqlite_failed("configuring the connection"))?;
    }
    Ok(())
}

/// Retries `attempt` while SQLite answers busy, for up to [`BUSY_TIMEOUT`].
///
/// Switching a file to WAL needs a moment of exclusive access. While another
/// process writes to a file in rollback-journal mode (a bulk import into an
/// empty register), SQLite answers busy at once, without calling the busy
/// handler, because waiting while holding a shared lock could deadlock. The
/// pragma holds no lock between attempts, so waiting here is safe.
fn wait_while_busy<T>(mut attempt: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        match attempt() {
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(100));
            }
            result => return result,
        }
    }
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Applies every pending migration in one transaction.
fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    // A register at the current version needs no write lock: reading the
    // version first lets every open, and so every reader, go on while
    // another process writes.
    let version = user_version(conn).map_err(sqlite_failed("reading the schema version"))?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sqlite_failed("migrating the schema"))?;
    let current = user_version(&tx).map_err(sqlite_failed("reading the schema version"))?;
    if current > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            path: path.to_owned(),
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    if current == SCHEMA_VERSION {
        return Ok(());
    }
    for migration in &MIGRATIONS[current as usize..] {
        tx.execute_batch(migration)
            .map_err(sqlite_failed("migrating the schema"))?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(sqlite_failed("migrating the schema"))?;
    tx.commit().map_err(sqlite_failed("migrating the schema"))
}

fn write_policy(conn: &mut Connection, policy: &Policy) -> Result<()> {
    let tx = conn
        .transaction()
        .map_err(sqlite_failed("storing the policy"))?;
    for (key, value) in [
        ("policy_name", policy.name()),
        ("policy_toml", policy.to_toml()),
        ("policy_sha256", policy.sha256()),
        ("created_at", &now().to_string()),
    ] {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            params![key, value],
        )
        .map_err(sqlite_failed("storing the policy"))?;
    }
    tx.commit().map_err(sqlite_failed("storing the policy"))
}

/// The policy's rows of `meta`, through the register's own connection.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
fn write_policy_rows(db: &Db, policy: &Policy) -> Result<()> {
    for (key, value) in [
        ("policy_name", policy.name()),
        ("policy_toml", policy.to_toml()),
        ("policy_sha256", policy.sha256()),
        ("created_at", &now().to_string()),
    ] {
        db.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                sql::params![key, value],
            )
            .map_err(failed("storing the policy"))?;
    }
    Ok(())
}

fn read_policy(conn: &Connection, path: &Path) -> Result<Policy> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'policy_toml'",
            [],
            |row| row.get(0),
        )
        .optional()
        .map_err(sqlite_failed("reading the policy"))?;
    let text = text.ok_or_else(|| Error::NotARegister {
        path: path.to_owned(),
    })?;
    Policy::from_toml(&text, &format!("{} (stored)", path.display())).map_err(|e| Error::Corrupt {
        what: format!("the stored policy: {e}"),
    })
}

/// The current time, to the microsecond, as stored.
pub(crate) fn now() -> Timestamp {
    Timestamp::now()
        .round(jiff::Unit::Microsecond)
        .unwrap_or_else(|_| Timestamp::now())
}

/// Wraps a database error that has no domain meaning, keeping busy errors apart.
pub(crate) fn failed(operation: &'static str) -> impl FnOnce(SqlError) -> Error {
    move |source| match source.kind() {
        ErrorKind::Busy => Error::Busy,
        ErrorKind::NotADatabase => Error::Corrupt {
            what: "the file is not an SQLite database".to_owned(),
        },
        _ => Error::Storage {
            operation,
            source: Box::new(source),
        },
    }
}

/// [`failed`], for rusqlite's own calls in this module.
pub(super) fn sqlite_failed(operation: &'static str) -> impl FnOnce(rusqlite::Error) -> Error {
    move |source| failed(operation)(source.into())
}

/// The register's database: one connection, in or out of a transaction.
///
/// Reads work either way; changes go through [`Db::write`] (or
/// [`Db::transaction`]), which holds the write lock from the start, so that
/// the audit chain's head cannot move underneath.
#[derive(Debug)]
pub(crate) struct Db {
    conn: Conn,
}

/// How a transaction ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    /// Keep what it wrote.
    Commit,
    /// Discard it (a dry run).
    Rollback,
}

impl Db {
    fn sqlite(conn: Connection) -> Db {
        Db {
            conn: Conn::Sqlite(conn),
        }
    }

    /// Which database holds the register.
    pub(crate) fn dialect(&self) -> sql::Dialect {
        self.conn.dialect()
    }

    /// Runs `change` in one immediate write transaction and commits it; an
    /// error rolls everything back.
    pub(crate) fn write<T>(&mut self, change: impl FnOnce(&mut Db) -> Result<T>) -> Result<T> {
        self.transaction(|db| change(db).map(|value| (value, End::Commit)))
    }

    /// Runs `change` in one write transaction that it ends as it says; an
    /// error rolls everything back. The write lock is taken at the start
    /// (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's lock on the chain head), so
    /// that writers take turns and the audit chain's head cannot move
    /// underneath.
    pub(crate) fn transaction<T>(
        &mut self,
        change: impl FnOnce(&mut Db) -> Result<(T, End)>,
    ) -> Result<T> {
        self.begin(true).map_err(failed("starting a write"))?;
        let result = change(self);
        let commit = matches!(&result, Ok((_, End::Commit)));
        match self.end(commit) {
            Ok(()) => result.map(|(value, _)| value),
            Err(e) => {
                let _ = self.end(false);
                // The change's own error explains a failed write best.
                result.and(Err(failed("committing a write")(e)))
            }
        }
    }

    fn begin(&self, write: bool) -> std::result::Result<(), SqlError> {
        match &self.conn {
            Conn::Sqlite(conn) => Ok(conn.execute_batch(if write {
                "BEGIN IMMEDIATE"
            } else {
                "BEGIN DEFERRED"
            })?),
            #[cfg(feature = "postgres")]
            Conn::Postgres(conn) => conn.begin(write),
        }
    }

    /// Ends the transaction (if one is open).
    fn end(&self, commit: bool) -> std::result::Result<(), SqlError> {
        match &self.conn {
            Conn::Sqlite(conn) if conn.is_autocommit() => Ok(()),
            Conn::Sqlite(conn) => {
                Ok(conn.execute_batch(if commit { "COMMIT" } else { "ROLLBACK" })?)
            }
            #[cfg(feature = "postgres")]
            Conn::Postgres(conn) if !conn.in_transaction() => Ok(()),
            #[cfg(feature = "postgres")]
            Conn::Postgres(conn) => conn.end(commit),
        }
    }

    /// Runs `read` in one read transaction, so that everything it reads is
    /// of one moment, whatever other writers commit meanwhile.
    pub(crate) fn read<T>(&self, read: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        self.begin(false).map_err(failed("starting a read"))?;
        let result = read(self);
        match self.end(true) {
            Ok(()) => result,
            Err(e) => {
                let _ = self.end(false);
                result.and(Err(failed("ending a read")(e)))
            }
        }
    }

    /// Runs `change` in one write transaction with deleted content
    /// overwritten by zeros, then copies the WAL into the database and
    /// truncates it, so that what the change removed is left neither in free
    /// space nor in the WAL (a redaction). On PostgreSQL the removed rows'
    /// space is reclaimed by the server's VACUUM (see SECURITY.md).
    pub(crate) fn write_securely<T>(
        &mut self,
        change: impl FnOnce(&mut Db) -> Result<T>,
    ) -> Result<T> {
        let Some(conn) = self.conn.sqlite() else {
            return self.write(change);
        };
        conn.pragma_update(None, "secure_delete", true)
            .map_err(sqlite_failed("configuring the connection"))?;
        let result = self.write(change);
        let Some(conn) = self.conn.sqlite() else {
            return result;
        };
        let _ = conn.pragma_update(None, "secure_delete", "FAST");
        if result.is_ok() {
            // Best effort: a reader's snapshot may keep part of the WAL.
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        result
    }

    /// What the database's integrity check reports (empty when sound), and
    /// how many rows break a foreign key. PostgreSQL checks both on every
    /// write and has no such check to run.
    pub(crate) fn integrity(&self) -> Result<(Vec<String>, u64)> {
        let Some(conn) = self.conn.sqlite() else {
            return Ok((Vec::new(), 0));
        };
        let mut stmt = conn
            .prepare("PRAGMA integrity_check")
            .map_err(sqlite_failed("checking the database"))?;
        let problems: Vec<String> = stmt
            .query_map([], |row| row.get::<_, String>(0))
            .and_then(Iterator::collect)
            .map_err(sqlite_failed("checking the database"))?;
        let foreign_keys: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| {
                row.get(0)
            })
            .map_err(sqlite_failed("checking the database"))?;
        let problems = if problems == ["ok"] {
            Vec::new()
        } else {
            problems
        };
        Ok((problems, foreign_keys as u64))
    }

    /// The journal mode: `wal`, or `delete` during a bulk import.
    #[cfg(test)]
    pub(crate) fn journal_mode(&self) -> Result<String> {
        self.conn
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .map_err(failed("reading the journal mode"))
    }

    /// Runs SQL as it is, for tests that damage a register on purpose.
    #[cfg(test)]
    pub(crate) fn execute_for_test(&self, sql: &str) {
        self.conn.execute_batch(sql).expect(sql);
    }

    /// Runs one statement with bound values, for tests that damage a
    /// register on purpose.
    #[cfg(test)]
    pub(crate) fn execute_bound_for_test(&self, sql: &str, values: &[Value<'_>]) {
        self.conn
            .execute(sql, sql::params_from_iter(values.iter().copied()))
            .expect(sql);
    }
}

/// Writes a register file as an older daicho would have made it: the
/// schema of the first `version` migrations, with the rows of the register
/// at `from` (whose audit entries must all be of format 1).
#[cfg(test)]
pub(crate) fn write_older_for_test(from: &Path, to: &Path, version: usize) {
    let conn = Connection::open(to).unwrap();
    for migration in &MIGRATIONS[..version] {
        conn.execute_batch(migration).unwrap();
    }
    conn.pragma_update(None, "user_version", version as i64)
        .unwrap();
    conn.execute("ATTACH DATABASE ?1 AS newer", [from.to_string_lossy()])
        .unwrap();
    // The older schema's columns, by name: later migrations add columns.
    let older_columns = |table: &str| -> String {
        let mut stmt = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")
            .unwrap();
        let names: Vec<String> = stmt
            .query_map([table], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        names.join(", ")
    };
    let (assets, links) = (older_columns("assets"), older_columns("links"));
    conn.execute_batch(&format!(
        "INSERT INTO meta SELECT * FROM newer.meta;
         INSERT INTO assets ({assets}) SELECT {assets} FROM newer.assets;
         INSERT INTO links ({links}) SELECT {links} FROM newer.links;
         INSERT INTO audit_log SELECT seq, at, actor, action, asset_id, related_id, before, after, hash
             FROM newer.audit_log;
         DETACH DATABASE newer"
    ))
    .unwrap();
}

/// Runs SQL on a register file as it is, for tests that damage one on purpose.
#[cfg(test)]
pub(crate) fn execute_in_file(path: &Path, sql: &str) {
    Connection::open(path)
        .and_then(|conn| conn.execute_batch(sql))
        .expect(sql);
}

#[cfg(test)]
mod tests;
