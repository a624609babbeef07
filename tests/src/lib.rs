//! Helpers for the end-to-end tests: run the built `daicho` binary against
//! registers in temporary directories, and find the repository's files.
//!
//! These helpers panic on a broken test environment: that is a test failure.

#![allow(
    clippy::missing_panics_doc,
    reason = "test helpers fail the test by panicking"
)]
#![allow(
    clippy::return_self_not_must_use,
    reason = "the assertions are called for their panics; the result may be dropped"
)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository's root directory.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests package sits in the repository root")
}

/// The built `daicho` binary.
pub fn daicho_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| built_binary("daicho-cli", "daicho"))
}

/// Builds one binary of a workspace package with the test's own profile and
/// returns its path.
///
/// It builds even when the binary exists, which may be older than the
/// sources; when `cargo test --workspace` already built it, this is a no-op.
pub fn built_binary(package: &str, bin: &str) -> PathBuf {
    built_binary_with(package, bin, &[])
}

/// [`built_binary`] with cargo features (`--features`), e.g. `daicho/postgres`.
pub fn built_binary_with(package: &str, bin: &str, features: &[&str]) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    // target/<profile>/deps/<test> → target/<profile>/<bin>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binaries live in target/<profile>/deps");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut build = Command::new(cargo);
    build.args(["build", "--quiet", "-p", package, "--bin", bin]);
    if !features.is_empty() {
        build.args(["--features", &features.join(",")]);
    }
    if profile_dir
        .file_name()
        .is_some_and(|name| name == "release")
    {
        build.arg("--release");
    }
    let status = build.current_dir(repo_root()).status().expect("cargo runs");
    assert!(status.success(), "building `{bin}` of `{package}` failed");
    profile_dir.join(format!("{bin}{}", std::env::consts::EXE_SUFFIX))
}

/// A temporary working directory and the register the binary runs against:
/// a file in the directory, or, when the run tests PostgreSQL
/// ([`server::on_postgres`]), a new schema on the test server.
#[derive(Debug)]
pub struct Workspace {
    dir: tempfile::TempDir,
    /// The schema and its register URL, for a register on the server.
    schema: Option<(String, String)>,
}

impl Workspace {
    /// A new, empty directory and register location on this run's backend.
    pub fn new() -> Self {
        let schema = server::on_postgres().then(server::new_schema);
        Workspace {
            dir: tempfile::tempdir().expect("a temporary directory"),
            schema,
        }
    }

    /// A new, empty directory whose register is an SQLite file on every
    /// run: for a test of the file itself (its bytes, permissions, journal).
    pub fn with_file() -> Self {
        Workspace {
            dir: tempfile::tempdir().expect("a temporary directory"),
            schema: None,
        }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Whether the register is on the PostgreSQL test server.
    pub fn on_server(&self) -> bool {
        self.schema.is_some()
    }

    /// The register's location, as `--db` and `DAICHO_DB` take it: its URL
    /// on the server, or its file.
    pub fn location(&self) -> std::ffi::OsString {
        match &self.schema {
            Some((_, url)) => url.into(),
            None => self.db().into(),
        }
    }

    /// The register file (`register.db` in the directory) of a register
    /// that is a file; panics for one on the server.
    #[track_caller]
    pub fn db(&self) -> PathBuf {
        assert!(
            self.schema.is_none(),
            "the register is on the server, not a file"
        );
        self.dir.path().join("register.db")
    }

    /// Runs SQL on the register's database, as its operator could: the
    /// tamper tests' way in. `sqlite` and `postgres` are the same change in
    /// each dialect (they differ only where the dialects do).
    pub fn execute_sql(&self, sqlite: &str, postgres: &str) {
        match &self.schema {
            Some(_) => self
                .server_client()
                .batch_execute(postgres)
                .unwrap_or_else(|e| panic!("SQL on the test server ({postgres}): {e}")),
            None => rusqlite::Connection::open(self.db())
                .and_then(|conn| conn.execute_batch(sqlite))
                .unwrap_or_else(|e| panic!("SQL on the register file ({sqlite}): {e}")),
        }
    }

    /// A client of the test server in the register's schema, as its
    /// administrator; panics for a register that is a file.
    #[track_caller]
    pub fn server_client(&self) -> postgres::Client {
        let (schema, _) = self
            .schema
            .as_ref()
            .expect("the register is a file, not on the server");
        let mut client = server::admin_client();
        client
            .batch_execute(&format!("SET search_path TO {schema}"))
            .expect("selecting the register's schema");
        client
    }

    /// Runs `daicho` with `DAICHO_DB` set to [`Workspace::location`] and a fixed actor.
    pub fn daicho<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let output = Command::new(daicho_bin())
            .current_dir(self.dir.path())
            .env("DAICHO_DB", self.location())
            .env("DAICHO_ACTOR", "test-actor")
            .args(args)
            .output()
            .expect("daicho runs");
        Run::from(output)
    }

    /// Runs `daicho` in English (`--lang en`), for a test that reads its
    /// messages; Japanese is the default.
    pub fn daicho_en<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let args: Vec<std::ffi::OsString> = args
            .into_iter()
            .map(|arg| arg.as_ref().to_owned())
            .chain(["--lang".into(), "en".into()])
            .collect();
        self.daicho(args)
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if let Some((schema, _)) = &self.schema {
            // Best effort: a schema left behind only takes room on the test server.
            if let Ok(mut client) =
                postgres::Client::connect(&server::admin_url().unwrap_or_default(), postgres::NoTls)
            {
                let _ = client.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
        }
    }
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace::new()
    }
}

/// What one run of the binary printed, and how it exited.
#[derive(Debug, Clone)]
pub struct Run {
    /// The exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Panics with both streams unless the exit code is `expected`.
    #[track_caller]
    pub fn expect_code(self, expected: i32) -> Self {
        assert_eq!(
            self.code, expected,
            "exit code {} (expected {expected})\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Panics unless the run succeeded.
    #[track_caller]
    pub fn success(self) -> Self {
        self.expect_code(0)
    }

    /// Parses stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}
