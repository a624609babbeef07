//! The embedded SQLite store: opening, schema migrations and the mapping
//! between asset rows and domain values.
//!
//! SQLite errors are translated here into domain errors, so that nothing above
//! this module matches on `rusqlite::Error`.

use std::path::Path;
use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, params};

use crate::error::{Error, Result};
use crate::model::{
    Asset, AssetFields, AssetId, AssetName, Classification, Disposal, Extra, Hosting, HostingKind,
    Kind, Medium, PersonalData, Retention, Scope, Segment,
};
use crate::policy::{Axis, ExclusionCode, Policy};

/// The migrations, in order; the schema version is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_risks.sql"),
];

/// The newest schema version this build knows.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Creates a new register file, readable and writable by its owner only.
pub(crate) fn create(path: &Path, policy: &Policy) -> Result<Connection> {
    create_file(path)?;
    let result = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(Error::storage("creating the register"))
    .and_then(|mut conn| {
        configure(&conn, true)?;
        migrate(&mut conn, path)?;
        write_policy(&mut conn, policy)?;
        Ok(conn)
    });
    if result.is_err() {
        // Never leave a half-made register behind.
        let _ = std::fs::remove_file(path);
    }
    result
}

/// An in-memory register, for tests and scratch work.
pub(crate) fn create_in_memory(policy: &Policy) -> Result<Connection> {
    let mut conn = Connection::open_in_memory().map_err(Error::storage("creating the register"))?;
    configure(&conn, false)?;
    migrate(&mut conn, Path::new(":memory:"))?;
    write_policy(&mut conn, policy)?;
    Ok(conn)
}

/// Opens an existing register, migrating it to the current schema.
pub(crate) fn open(path: &Path) -> Result<(Connection, Policy)> {
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
    Ok((conn, policy))
}

fn not_a_register(path: &Path, source: rusqlite::Error) -> Error {
    match source.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotARegister {
            path: path.to_owned(),
        },
        _ => Error::Storage {
            operation: "opening the register",
            source,
        },
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
        .map_err(Error::storage("configuring the connection"))?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(Error::storage("configuring the connection"))?;
    if on_disk {
        // The journal mode answers with a row; reading it also proves the file is a database.
        let mode: String =
            wait_while_busy(|| conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)))
                .map_err(Error::storage("configuring the connection"))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Corrupt {
                what: format!("the journal mode could not be set to WAL (it is `{mode}`)"),
            });
        }
        // In WAL mode NORMAL keeps the database consistent across a crash;
        // only the last transactions before a power loss may be lost.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(Error::storage("configuring the connection"))?;
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
    let version = user_version(conn).map_err(Error::storage("reading the schema version"))?;
    if version == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(Error::storage("migrating the schema"))?;
    let current = user_version(&tx).map_err(Error::storage("reading the schema version"))?;
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
            .map_err(Error::storage("migrating the schema"))?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(Error::storage("migrating the schema"))?;
    tx.commit().map_err(Error::storage("migrating the schema"))
}

fn write_policy(conn: &mut Connection, policy: &Policy) -> Result<()> {
    let tx = conn
        .transaction()
        .map_err(Error::storage("storing the policy"))?;
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
        .map_err(Error::storage("storing the policy"))?;
    }
    tx.commit().map_err(Error::storage("storing the policy"))
}

pub(crate) fn read_policy(conn: &Connection, path: &Path) -> Result<Policy> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'policy_toml'",
            [],
            |row| row.get(0),
        )
        .optional()
        .map_err(Error::storage("reading the policy"))?;
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

/// The columns of `assets` in the order [`read_asset`] expects.
pub(crate) const ASSET_COLUMNS: &str = "id, kind, name, organization, department, manager, \
    confidentiality, integrity, availability, segment, medium, location, \
    personal, sensitive, my_number, record_count, controls, hosting, provider, contract, \
    retention, exclusion, reviewed_on, disposed_on, disposed_by, disposal_method, \
    disposal_approver, disposal_certificate, notes, extra, version, created_at, updated_at";

/// Inserts a new asset row.
pub(crate) fn insert_asset(conn: &Connection, asset: &Asset) -> Result<()> {
    let created_at = asset.created_at.to_string();
    let updated_at = if asset.updated_at == asset.created_at {
        None
    } else {
        Some(asset.updated_at.to_string())
    };
    insert_asset_at(
        conn,
        asset,
        &created_at,
        updated_at.as_deref().unwrap_or(&created_at),
    )
}

/// The statement that inserts an asset row.
const INSERT_ASSET: &str = "INSERT INTO assets (id, kind, name, organization, department, manager, \
    confidentiality, confidentiality_rank, integrity, integrity_rank, availability, availability_rank, \
    segment, medium, location, personal, sensitive, my_number, record_count, controls, \
    hosting, provider, contract, retention, exclusion, reviewed_on, disposed_on, disposed_by, \
    disposal_method, disposal_approver, disposal_certificate, notes, extra, version, created_at, updated_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
    ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36)";

/// Inserts a new asset row whose timestamps are already formatted.
pub(crate) fn insert_asset_at(
    conn: &Connection,
    asset: &Asset,
    created_at: &str,
    updated_at: &str,
) -> Result<()> {
    let mut stmt = prepare_insert_asset(conn)?;
    insert_asset_with(&mut stmt, asset, created_at, updated_at)
}

/// Prepares the statement of [`insert_asset_with`], for a caller that
/// inserts many rows.
pub(crate) fn prepare_insert_asset(conn: &Connection) -> Result<rusqlite::CachedStatement<'_>> {
    conn.prepare_cached(INSERT_ASSET)
        .map_err(Error::storage("adding an asset"))
}

/// Inserts a new asset row with a statement from [`prepare_insert_asset`].
pub(crate) fn insert_asset_with(
    stmt: &mut rusqlite::Statement<'_>,
    asset: &Asset,
    created_at: &str,
    updated_at: &str,
) -> Result<()> {
    let row = AssetRow::new(asset, created_at, updated_at);
    insert_asset_values(stmt, &row.values())
}

/// Inserts a new asset row from its values ([`AssetRow::values`]), with a
/// statement from [`prepare_insert_asset`].
pub(crate) fn insert_asset_values(
    stmt: &mut rusqlite::Statement<'_>,
    values: &[ValueRef<'_>],
) -> Result<()> {
    bind(stmt, values)
        .and_then(|()| stmt.raw_execute())
        .map_err(|source| match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => {
                let id = match values.first() {
                    Some(ValueRef::Blob(bytes)) => uuid::Uuid::from_slice(bytes)
                        .map(|id| id.to_string())
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                Error::invalid("id", id, "an asset with this id exists already")
            }
            _ => Error::storage("adding an asset")(source),
        })?;
    Ok(())
}

/// Binds `values` to a statement's parameters 1, 2, ...
pub(crate) fn bind(
    stmt: &mut rusqlite::Statement<'_>,
    values: &[ValueRef<'_>],
) -> rusqlite::Result<()> {
    values.iter().enumerate().try_for_each(|(index, value)| {
        stmt.raw_bind_parameter(index + 1, ToSqlOutput::Borrowed(*value))
    })
}

/// Overwrites an asset row whose version is `expected`; returns false when
/// no row had that version.
pub(crate) fn update_asset(conn: &Connection, asset: &Asset, expected: u64) -> Result<bool> {
    let mut stmt = conn
        .prepare_cached(
            "UPDATE assets SET kind = ?2, name = ?3, organization = ?4, department = ?5, manager = ?6, \
             confidentiality = ?7, confidentiality_rank = ?8, integrity = ?9, integrity_rank = ?10, \
             availability = ?11, availability_rank = ?12, segment = ?13, medium = ?14, location = ?15, \
             personal = ?16, sensitive = ?17, my_number = ?18, record_count = ?19, controls = ?20, \
             hosting = ?21, provider = ?22, contract = ?23, retention = ?24, exclusion = ?25, \
             reviewed_on = ?26, disposed_on = ?27, disposed_by = ?28, disposal_method = ?29, \
             disposal_approver = ?30, disposal_certificate = ?31, notes = ?32, extra = ?33, \
             version = ?34, created_at = ?35, updated_at = ?36 \
             WHERE id = ?1 AND version = ?37",
        )
        .map_err(Error::storage("updating an asset"))?;
    let created_at = asset.created_at.to_string();
    let updated_at = asset.updated_at.to_string();
    let row = AssetRow::new(asset, &created_at, &updated_at);
    let changed = bind(&mut stmt, &row.values())
        .and_then(|()| stmt.raw_bind_parameter(37, expected as i64))
        .and_then(|()| stmt.raw_execute())
        .map_err(Error::storage("updating an asset"))?;
    Ok(changed == 1)
}

/// The parameters of the statements that insert or update an asset row.
pub(crate) const ASSET_PARAMETERS: usize = 36;

/// An asset's column values, borrowed from the asset where they can be;
/// only the few computed texts are owned.
pub(crate) struct AssetRow<'a> {
    asset: &'a Asset,
    controls: String,
    extra: Option<String>,
    retention: Option<String>,
    reviewed_on: Option<String>,
    disposed_on: Option<String>,
    created_at: &'a str,
    updated_at: &'a str,
}

impl<'a> AssetRow<'a> {
    pub(crate) fn new(asset: &'a Asset, created_at: &'a str, updated_at: &'a str) -> Self {
        let fields = &asset.fields;
        let mut controls = String::new();
        for control in &fields.controls {
            if !controls.is_empty() {
                controls.push(';');
            }
            controls.push_str(control.as_str());
        }
        let extra = (!fields.extra.is_empty()).then(|| {
            let pairs: Vec<(&str, &str)> = fields.extra.iter().collect();
            serde_json::to_string(&pairs).unwrap_or_default()
        });
        AssetRow {
            asset,
            controls,
            extra,
            retention: fields.retention.map(Retention::code),
            reviewed_on: fields.reviewed_on.map(|d: Date| d.to_string()),
            disposed_on: fields.disposal.as_ref().map(|d| d.date.to_string()),
            created_at,
            updated_at,
        }
    }

    /// The values of parameters 1 to 36 of an insert or update.
    pub(crate) fn values(&self) -> [ValueRef<'_>; ASSET_PARAMETERS] {
        let asset = self.asset;
        let f = &asset.fields;
        let level = |axis| f.classification.get(axis);
        let rank = |axis| ValueRef::Integer(i64::from(level(axis).rank()));
        let flag = |set: bool| ValueRef::Integer(i64::from(set));
        let hosting = f.hosting.as_ref();
        let disposal = f.disposal.as_ref();
        [
            ValueRef::Blob(asset.id.as_bytes()),
            f.kind.code().into(),
            f.name.as_str().into(),
            f.organization.as_str().into(),
            f.department.as_str().into(),
            f.manager.as_deref().into(),
            level(Axis::Confidentiality).code().into(),
            rank(Axis::Confidentiality),
            level(Axis::Integrity).code().into(),
            rank(Axis::Integrity),
            level(Axis::Availability).code().into(),
            rank(Axis::Availability),
            f.segment.map(Segment::code).into(),
            f.medium.map(Medium::code).into(),
            f.location.as_deref().into(),
            flag(f.personal_data.personal),
            flag(f.personal_data.sensitive),
            flag(f.personal_data.my_number),
            f.record_count
                .map_or(ValueRef::Null, |n| ValueRef::Integer(n as i64)),
            self.controls.as_str().into(),
            hosting.map(|h| h.kind.code()).into(),
            hosting.and_then(|h| h.provider.as_deref()).into(),
            hosting.and_then(|h| h.contract.as_deref()).into(),
            self.retention.as_deref().into(),
            f.scope.exclusion().map(ExclusionCode::as_str).into(),
            self.reviewed_on.as_deref().into(),
            self.disposed_on.as_deref().into(),
            disposal.map(|d| d.person.as_str()).into(),
            disposal.and_then(|d| d.method.as_deref()).into(),
            disposal.and_then(|d| d.approver.as_deref()).into(),
            disposal.and_then(|d| d.certificate.as_deref()).into(),
            f.notes.as_deref().into(),
            self.extra.as_deref().into(),
            ValueRef::Integer(asset.version as i64),
            self.created_at.into(),
            self.updated_at.into(),
        ]
    }
}

/// Reads one asset row selected with [`ASSET_COLUMNS`].
pub(crate) fn read_asset(policy: &Policy, row: &Row<'_>) -> Result<Asset> {
    let storage = Error::storage("reading an asset");
    let get_text = |index: usize| -> Result<String> {
        row.get::<_, String>(index)
            .map_err(Error::storage("reading an asset"))
    };
    let get_opt = |index: usize| -> Result<Option<String>> {
        row.get::<_, Option<String>>(index)
            .map_err(Error::storage("reading an asset"))
    };
    let id: AssetId = row.get(0).map_err(storage)?;
    let corrupt = |what: &str, value: &str| Error::Corrupt {
        what: format!("asset `{id}` has {what} `{value}`"),
    };
    let kind_text = get_text(1)?;
    let kind = Kind::parse(&kind_text).map_err(|_| corrupt("kind", &kind_text))?;
    let name_text = get_text(2)?;
    let name = AssetName::new(name_text.clone()).map_err(|_| corrupt("name", &name_text))?;
    let org_text = get_text(3)?;
    let organization = policy
        .organization(&org_text)
        .map_err(|_| corrupt("organization", &org_text))?
        .code
        .clone();
    let mut levels = Vec::with_capacity(3);
    for (index, axis) in [
        (6, Axis::Confidentiality),
        (7, Axis::Integrity),
        (8, Axis::Availability),
    ] {
        let text = get_text(index)?;
        levels.push(
            policy
                .level(axis, &text)
                .map_err(|_| corrupt(axis.code(), &text))?,
        );
    }
    let availability = levels
        .pop()
        .unwrap_or_else(|| policy.lowest(Axis::Availability).clone());
    let integrity = levels
        .pop()
        .unwrap_or_else(|| policy.lowest(Axis::Integrity).clone());
    let confidentiality = levels
        .pop()
        .unwrap_or_else(|| policy.lowest(Axis::Confidentiality).clone());
    let segment = get_opt(9)?
        .map(|s| Segment::parse(&s).map_err(|_| corrupt("segment", &s)))
        .transpose()?;
    let medium = get_opt(10)?
        .map(|s| Medium::parse(&s).map_err(|_| corrupt("medium", &s)))
        .transpose()?;
    let flag = |index: usize| -> Result<bool> {
        row.get::<_, bool>(index)
            .map_err(Error::storage("reading an asset"))
    };
    let record_count = row
        .get::<_, Option<i64>>(15)
        .map_err(Error::storage("reading an asset"))?
        .map(|n| u64::try_from(n).map_err(|_| corrupt("record_count", &n.to_string())))
        .transpose()?;
    let controls_text = get_text(16)?;
    let mut controls = std::collections::BTreeSet::new();
    for code in controls_text.split(';').filter(|s| !s.is_empty()) {
        controls.insert(
            policy
                .control(code)
                .map_err(|_| corrupt("control", code))?
                .code
                .clone(),
        );
    }
    let hosting = get_opt(17)?
        .map(|kind| -> Result<Hosting> {
            Ok(Hosting {
                kind: HostingKind::parse(&kind).map_err(|_| corrupt("hosting", &kind))?,
                provider: get_opt(18)?,
                contract: get_opt(19)?,
            })
        })
        .transpose()?;
    let retention = get_opt(20)?
        .map(|r| Retention::parse(&r).map_err(|_| corrupt("retention", &r)))
        .transpose()?;
    let scope = match get_opt(21)? {
        None => Scope::InScope,
        Some(reason) => Scope::Excluded(
            policy
                .exclusion(&reason)
                .map_err(|_| corrupt("exclusion", &reason))?
                .code
                .clone(),
        ),
    };
    let parse_date = |text: String| text.parse::<Date>().map_err(|_| corrupt("date", &text));
    let reviewed_on = get_opt(22)?.map(parse_date).transpose()?;
    let disposal = match get_opt(23)? {
        None => None,
        Some(date) => Some(Disposal {
            date: parse_date(date)?,
            person: get_opt(24)?.unwrap_or_default(),
            method: get_opt(25)?,
            approver: get_opt(26)?,
            certificate: get_opt(27)?,
        }),
    };
    let extra = match get_opt(29)? {
        None => Extra::new(),
        Some(json) => serde_json::from_str::<Vec<(String, String)>>(&json)
            .map_err(|_| corrupt("extra attributes", &json))?
            .into_iter()
            .collect(),
    };
    let version: i64 = row.get(30).map_err(Error::storage("reading an asset"))?;
    let timestamp = |index: usize| -> Result<Timestamp> {
        let text = get_text(index)?;
        text.parse().map_err(|_| corrupt("timestamp", &text))
    };
    Ok(Asset {
        id,
        fields: AssetFields {
            kind,
            name,
            organization,
            department: get_text(4)?,
            manager: get_opt(5)?,
            classification: Classification {
                confidentiality,
                integrity,
                availability,
            },
            segment,
            medium,
            location: get_opt(11)?,
            personal_data: PersonalData {
                personal: flag(12)?,
                sensitive: flag(13)?,
                my_number: flag(14)?,
            },
            record_count,
            controls,
            hosting,
            retention,
            scope,
            reviewed_on,
            disposal,
            notes: get_opt(28)?,
            extra,
        },
        version: u64::try_from(version).map_err(|_| corrupt("version", &version.to_string()))?,
        created_at: timestamp(31)?,
        updated_at: timestamp(32)?,
    })
}

pub(crate) mod risks;
pub(crate) mod snapshot;

#[cfg(test)]
mod tests;
