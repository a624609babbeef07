//! A register on a PostgreSQL server: connecting (passwords only from the
//! environment or the password file), the migrations in PostgreSQL's
//! dialect, and what `verify` checks of the server's schema.
//!
//! A register is the tables of one schema (the connection's `search_path`,
//! `public` unless the URL or the role says otherwise) in one database.

use std::path::Path;

use postgres::config::{Host, SslMode};
use postgres::{Client, Config, NoTls};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::schema::Objects;
use super::sql::pg::PgConn;
use super::sql::{Conn, ErrorKind, OptionalExtension as _, SqlError, params};
use super::{Db, SCHEMA_VERSION, failed, write_policy_rows};
use crate::error::{Error, Result};
use crate::policy::Policy;

/// The migrations in PostgreSQL's dialect, numbered as SQLite's.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/postgres/0001_initial.sql"),
    include_str!("migrations/postgres/0002_risks.sql"),
    include_str!("migrations/postgres/0003_asset_number.sql"),
    include_str!("migrations/postgres/0004_imports.sql"),
    include_str!("migrations/postgres/0005_payload_digest.sql"),
    include_str!("migrations/postgres/0006_exceptions.sql"),
    include_str!("migrations/postgres/0007_findings.sql"),
    include_str!("migrations/postgres/0008_pia.sql"),
    include_str!("migrations/postgres/0009_campaigns.sql"),
    include_str!("migrations/postgres/0010_summary_index.sql"),
];

/// The table that holds the schema version (SQLite keeps it in the file's
/// header, `PRAGMA user_version`).
const VERSION_TABLE: &str = "daicho_schema";

const _: () = assert!(MIGRATIONS.len() as i64 == SCHEMA_VERSION);

/// The URL as it may be shown: without its query (which may hold options)
/// and never with a password.
pub(crate) fn shown(url: &str) -> String {
    match split_tls(url).0.parse::<Config>() {
        Ok(config) => {
            let host = config
                .get_hosts()
                .first()
                .map(|host| match host {
                    Host::Tcp(name) => name.clone(),
                    #[cfg(unix)]
                    Host::Unix(path) => path.display().to_string(),
                })
                .unwrap_or_default();
            let port = config.get_ports().first().copied().unwrap_or(5432);
            // The options name the schema (`-c search_path=…`); a password is never shown.
            let options = config
                .get_options()
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            format!(
                "postgres://{}@{host}:{port}/{}{options}",
                config.get_user().unwrap_or_default(),
                config.get_dbname().unwrap_or_default()
            )
        }
        Err(_) => "postgres://…".to_owned(),
    }
}

fn server_error(url: &str, ja: &str, en: &str) -> Error {
    let shown = shown(url);
    Error::Server {
        ja: format!("{shown}: {ja}"),
        en: format!("{shown}: {en}"),
    }
}

/// Connects, with the password from `PGPASSWORD` or the password file when
/// the server asks for one. A password in the URL is refused: it would be
/// seen in the process list, the shell's history and the log.
fn connect(url: &str) -> Result<Client> {
    let (plain, tls) = split_tls(url);
    let mut config: Config = plain.parse().map_err(|e| {
        server_error(
            url,
            &format!("接続文字列を読めません（{e}）"),
            &format!("the connection string cannot be read ({e})"),
        )
    })?;
    if config.get_password().is_some() {
        return Err(server_error(
            url,
            "接続文字列にパスワードを書かないでください。環境変数 PGPASSWORD か ~/.pgpass から読みます",
            "do not put the password in the connection string; it is read from PGPASSWORD or ~/.pgpass",
        ));
    }
    if config.get_user().is_none()
        && let Some(user) = default_user()
    {
        config.user(&user);
    }
    if config.get_dbname().is_none()
        && let Some(user) = config.get_user().map(str::to_owned)
    {
        config.dbname(&user);
    }
    if let Some(password) = password_for(&config) {
        config.password(password);
    }
    config.application_name("daicho");
    let connected = if tls.verify {
        config.ssl_mode(SslMode::Require);
        tls_connector(url, tls.root_cert.as_deref()).map(|connector| config.connect(connector))?
    } else {
        config.ssl_mode(SslMode::Disable);
        config.connect(NoTls)
    };
    connected.map_err(|e| {
        let reason = if let Some(db) = e.as_db_error() {
            db.message().to_owned()
        } else {
            // The cause says more than "error performing TLS handshake".
            let mut reason = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                reason = format!("{reason}: {cause}");
                source = cause.source();
            }
            reason
        };
        server_error(
            url,
            &format!("PostgreSQL のサーバーに接続できません（{reason}）"),
            &format!("cannot connect to the PostgreSQL server ({reason})"),
        )
    })
}

/// What the URL asks of TLS, in libpq's words (`sslmode`, `sslrootcert`),
/// which the client crate does not all read.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tls {
    /// `require`, `verify-ca` or `verify-full`: encrypt, and verify the
    /// server's certificate and name (always: an unverified server could be
    /// anyone). `disable`, `allow`, `prefer` or none: no TLS.
    verify: bool,
    /// `sslrootcert`: the CA certificates to trust (PEM) instead of the
    /// system's.
    root_cert: Option<std::path::PathBuf>,
}

/// The URL without its TLS parameters, and what they ask.
fn split_tls(url: &str) -> (String, Tls) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), Tls::default());
    };
    let mut tls = Tls::default();
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "sslmode" => {
                    tls.verify = matches!(value, "require" | "verify-ca" | "verify-full");
                    false
                }
                "sslrootcert" => {
                    tls.root_cert = Some(percent_decoded(value).into());
                    false
                }
                _ => true,
            }
        })
        .collect();
    let plain = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (plain, tls)
}

/// `%2F` and the like decoded (a path in a URL's query).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// TLS through rustls, trusting `root_cert`'s CAs or else the system's.
fn tls_connector(url: &str, root_cert: Option<&Path>) -> Result<MakeRustlsConnect> {
    let refused = |ja: String, en: String| server_error(url, &ja, &en);
    let mut roots = rustls::RootCertStore::empty();
    match root_cert {
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| {
                refused(
                    format!("sslrootcert `{}` を読めません（{e}）", path.display()),
                    format!("cannot read sslrootcert `{}` ({e})", path.display()),
                )
            })?;
            for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                let added = cert
                    .map_err(|e| e.to_string())
                    .and_then(|cert| roots.add(cert).map_err(|e| e.to_string()));
                added.map_err(|e| {
                    refused(
                        format!(
                            "sslrootcert `{}` の証明書を読めません（{e}）",
                            path.display()
                        ),
                        format!(
                            "a certificate of sslrootcert `{}` cannot be read ({e})",
                            path.display()
                        ),
                    )
                })?;
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                // A system certificate rustls cannot use is left out, as browsers do.
                let _ = roots.add(cert);
            }
        }
    }
    if roots.is_empty() {
        return Err(refused(
            "信頼する CA 証明書がありません（sslrootcert で指定してください）".to_owned(),
            "no CA certificate to trust (name one with sslrootcert)".to_owned(),
        ));
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| {
            refused(
                format!("TLS の設定に失敗しました（{e}）"),
                format!("TLS cannot be set up ({e})"),
            )
        })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// The user libpq would take: `PGUSER`, else the login name.
fn default_user() -> Option<String> {
    ["PGUSER", "USER", "USERNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
}

/// `PGPASSWORD`, else the first matching line of the password file
/// (`PGPASSFILE`, `~/.pgpass`, or `%APPDATA%\postgresql\pgpass.conf`).
fn password_for(config: &Config) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD") {
        return Some(password);
    }
    let file = password_file()?;
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        #[cfg(unix)]
        Some(Host::Unix(_)) | None => "localhost".to_owned(),
        #[cfg(not(unix))]
        None => "localhost".to_owned(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let wanted = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or_default(),
        config.get_user().unwrap_or_default(),
    ];
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split_pgpass(line);
            (fields.len() == 5
                && fields
                    .iter()
                    .zip(wanted)
                    .all(|(field, want)| field == "*" || field == want))
            .then(|| fields[4].clone())
        })
}

/// A password file's line, split at unescaped `:` (`\:` and `\\` escape).
fn split_pgpass(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(field)) = (chars.next(), fields.last_mut()) {
                    field.push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => {
                if let Some(field) = fields.last_mut() {
                    field.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(unix)]
fn password_file() -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".pgpass")))?;
    // As libpq: a file others can read is ignored.
    let mode = std::fs::metadata(&path).ok()?.permissions().mode();
    (mode.trailing_zeros() >= 6).then_some(path)
}

#[cfg(not(unix))]
fn password_file() -> Option<std::path::PathBuf> {
    std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("APPDATA")
                .map(|dir| Path::new(&dir).join("postgresql").join("pgpass.conf"))
        })
        .filter(|path| path.is_file())
}

fn connected(url: &str) -> Result<Db> {
    Ok(Db {
        conn: Conn::Postgres(Box::new(PgConn::new(connect(url)?))),
    })
}

/// Creates a register in the connection's schema, which must hold none.
pub(crate) fn create(url: &str, policy: &Policy) -> Result<Db> {
    let mut db = create_empty(url)?;
    db.write(|db| write_policy_rows(db, policy))?;
    Ok(db)
}

/// The tables of a register with no rows: the target of a move.
pub(crate) fn create_empty(url: &str) -> Result<Db> {
    let mut db = connected(url)?;
    db.write(|db| {
        db.refuse_tables(url)?;
        db.migrate_server()
    })?;
    Ok(db)
}

/// A register in the connection's schema, which must hold none, made a copy
/// of `source` in one transaction: a failure leaves the schema empty.
pub(crate) fn create_copy(url: &str, source: &Db) -> Result<Db> {
    let mut db = connected(url)?;
    db.write(|db| {
        db.refuse_tables(url)?;
        db.migrate_server()?;
        source.copy_rows_within(db)
    })?;
    Ok(db)
}

/// Opens the register, migrating it to the current schema.
pub(crate) fn open(url: &str) -> Result<(Db, Policy)> {
    let mut db = connected(url)?;
    db.write(|db| match db.server_schema_version_of()? {
        None => Err(not_a_register(url)),
        Some(_) => db.migrate_server(),
    })?;
    let policy = db.read(|db| db.read_server_policy(url))?;
    Ok((db, policy))
}

/// Opens the register for reading only: the session's transactions are
/// read-only, and nothing is migrated.
pub(crate) fn open_read_only(url: &str) -> Result<(Db, Policy)> {
    let db = connected(url)?;
    db.conn
        .execute_batch("SET default_transaction_read_only = on")
        .map_err(failed("configuring the connection"))?;
    let version = db
        .read(Db::server_schema_version_of)?
        .ok_or_else(|| not_a_register(url))?;
    let location = || Path::new("postgres").to_owned();
    if version > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            path: location(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version < SCHEMA_VERSION {
        return Err(Error::SchemaTooOld {
            path: location(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    let policy = db.read(|db| db.read_server_policy(url))?;
    Ok((db, policy))
}

fn not_a_register(url: &str) -> Error {
    server_error(
        url,
        "このスキーマに daicho の台帳はありません（`daicho init` で作ります）",
        "this schema holds no daicho register (`daicho init` makes one)",
    )
}

impl Db {
    fn pg(&self) -> &PgConn {
        self.conn
            .postgres()
            .unwrap_or_else(|| unreachable!("a server method on a register file"))
    }

    /// The schema version, or `None` when the schema has no version table.
    fn server_schema_version_of(&self) -> Result<Option<i64>> {
        let exists: bool = self
            .conn
            .query_row(
                "SELECT to_regclass(?1) IS NOT NULL",
                params![VERSION_TABLE],
                |row| row.get(0),
            )
            .map_err(failed("reading the schema version"))?;
        if !exists {
            return Ok(None);
        }
        self.conn
            .query_row(
                &format!("SELECT max(version) FROM {VERSION_TABLE}"),
                [],
                |row| row.get::<Option<i64>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map(|v| v.or(Some(0)))
            .map_err(failed("reading the schema version"))
    }

    pub(super) fn server_schema_version(&self) -> Result<i64> {
        Ok(self.server_schema_version_of()?.unwrap_or(0))
    }

    /// A new register is made only in a schema without tables: never over
    /// another register, nor beside another application's tables.
    fn refuse_tables(&self, url: &str) -> Result<()> {
        if self.server_schema_version_of()?.is_some() {
            return Err(server_error(
                url,
                "このスキーマには既に台帳があります。空のデータベースかスキーマを指定してください",
                "this schema holds a register already; name an empty database or schema",
            ));
        }
        let any: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema())",
                [],
                |row| row.get(0),
            )
            .map_err(failed("reading the schema"))?;
        if any {
            return Err(server_error(
                url,
                "このスキーマには既に表があります。空のデータベースかスキーマを指定してください",
                "this schema holds tables already; name an empty database or schema",
            ));
        }
        Ok(())
    }

    /// Applies the pending migrations, inside the caller's write transaction
    /// (which holds the write lock, so two first opens do not both migrate).
    ///
    /// A register at the current version is not touched: the writer and
    /// reader roles have no DDL, and need none (docs/postgres-roles.sql).
    fn migrate_server(&self) -> Result<()> {
        let failed = || {
            |e: SqlError| match e.kind() {
                ErrorKind::PermissionDenied => Error::Server {
                    ja: format!(
                        "台帳のスキーマを更新する権限がありません（{e}）。所有者のロール（daicho_owner）で `daicho upgrade` を実行してください"
                    ),
                    en: format!(
                        "this role may not update the register's schema ({e}); run `daicho upgrade` as the owner role (daicho_owner)"
                    ),
                },
                _ => failed("migrating the schema")(e),
            }
        };
        if self.server_schema_version_of()? == Some(SCHEMA_VERSION) {
            return Ok(());
        }
        self.conn
            .execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version BIGINT NOT NULL)"
            ))
            .map_err(failed())?;
        let current = self.server_schema_version()?;
        if current > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew {
                path: Path::new("postgres").to_owned(),
                found: current,
                supported: SCHEMA_VERSION,
            });
        }
        if current == SCHEMA_VERSION {
            return Ok(());
        }
        for migration in &MIGRATIONS[current as usize..] {
            self.conn.execute_batch(migration).map_err(failed())?;
        }
        self.conn
            .execute(&format!("DELETE FROM {VERSION_TABLE}"), [])
            .map_err(failed())?;
        self.conn
            .execute(
                &format!("INSERT INTO {VERSION_TABLE} (version) VALUES (?1)"),
                [SCHEMA_VERSION],
            )
            .map_err(failed())?;
        self.pg().forget_statements();
        Ok(())
    }

    fn read_server_policy(&self, url: &str) -> Result<Policy> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'policy_toml'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(failed("reading the policy"))?;
        let text = text.ok_or_else(|| not_a_register(url))?;
        Policy::from_toml(&text, &format!("{} (stored)", shown(url))).map_err(|e| Error::Corrupt {
            what: format!("the stored policy: {e}"),
        })
    }

    /// What differs between the server's schema and the one the migrations
    /// make: tables and indexes by name (as SQLite's, besides the indexes
    /// PostgreSQL makes for keys and the `rowid` column), and any trigger,
    /// rule or view, which no migration makes.
    pub(super) fn server_schema_differences(&self, expected: &Objects) -> Result<Vec<String>> {
        let failed = || failed("reading the schema");
        let mut differences = Vec::new();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT 'table', tablename::text, tablename::text FROM pg_tables \
                 WHERE schemaname = current_schema() \
                 UNION ALL SELECT 'index', indexname::text, tablename::text FROM pg_indexes \
                 WHERE schemaname = current_schema() \
                 UNION ALL SELECT 'view', viewname::text, viewname::text FROM pg_views \
                 WHERE schemaname = current_schema() \
                 UNION ALL SELECT 'trigger', t.tgname::text, c.relname::text FROM pg_trigger t \
                 JOIN pg_class c ON c.oid = t.tgrelid \
                 WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace \
                 UNION ALL SELECT 'rule', r.rulename::text, r.tablename::text FROM pg_rules r \
                 WHERE r.schemaname = current_schema()",
            )
            .map_err(failed())?;
        let mut actual: Vec<(String, String, String)> = stmt
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .map_err(failed())?
            .collect::<std::result::Result<_, SqlError>>()
            .map_err(failed())?;
        actual.sort();
        let made_by_postgres = |kind: &str, name: &str| {
            kind == "index"
                && (name.ends_with("_pkey") || name.ends_with("_key") || name == "assets_rowid")
                || kind == "table" && name == VERSION_TABLE
        };
        for (kind, name, table) in &actual {
            if made_by_postgres(kind, name) {
                continue;
            }
            if !expected.contains_key(&(kind.clone(), name.clone())) {
                differences.push(format!(
                    "an extra {kind} `{name}` on `{table}` that no migration creates"
                ));
            }
        }
        for (kind, name) in expected.keys() {
            // SQLite's automatic indexes have no SQL and no PostgreSQL twin.
            if name.starts_with("sqlite_autoindex") {
                continue;
            }
            if !actual.iter().any(|(k, n, _)| k == kind && n == name) {
                differences.push(format!("the {kind} `{name}` is missing"));
            }
        }
        Ok(differences)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_file_lines_split_at_unescaped_colons() {
        assert_eq!(
            split_pgpass(r"db.example:5432:*:daicho_writer:pa\:ss\\word"),
            ["db.example", "5432", "*", "daicho_writer", r"pa:ss\word"]
        );
    }

    #[test]
    fn tls_parameters_are_read_off_the_url() {
        let (plain, tls) = split_tls(
            "postgres://w@db.example/daicho?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=x",
        );
        assert_eq!(plain, "postgres://w@db.example/daicho?application_name=x");
        assert!(tls.verify);
        assert_eq!(tls.root_cert.as_deref(), Some(Path::new("/etc/ca.pem")));
        for mode in ["disable", "prefer"] {
            let (plain, tls) = split_tls(&format!("postgres://w@h/d?sslmode={mode}"));
            assert_eq!((plain.as_str(), tls), ("postgres://w@h/d", Tls::default()));
        }
    }

    #[test]
    fn a_shown_url_holds_no_query_but_its_schema() {
        assert_eq!(
            shown("postgres://writer@db.example:5433/daicho?sslmode=require&password=x"),
            "postgres://writer@db.example:5433/daicho"
        );
        assert_eq!(
            shown("postgres://w@h/d?options=-c%20search_path%3Dniigata"),
            "postgres://w@h:5432/d (-c search_path=niigata)"
        );
        assert!(super::super::is_server_url(Path::new("postgresql://x/y")));
        assert!(!super::super::is_server_url(Path::new("daicho.db")));
    }
}
