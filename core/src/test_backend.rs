//! The register a test runs against: in memory by default, or, when
//! `DAICHO_TEST_BACKEND=postgres`, a new schema on the server that
//! `DAICHO_TEST_POSTGRES` names (the throwaway cluster `scripts/test`
//! starts), so that one suite tests both backends.

use std::path::{Path, PathBuf};

use crate::{Policy, Register, Result};

/// Whether this run tests the PostgreSQL backend.
pub(crate) fn on_postgres() -> bool {
    std::env::var("DAICHO_TEST_BACKEND").is_ok_and(|backend| backend == "postgres")
}

/// A new, empty register for a test, with the policy given.
pub(crate) fn register(policy: &Policy) -> Result<Register> {
    #[cfg(feature = "postgres")]
    if on_postgres() {
        return Register::create(new_schema_url(), policy);
    }
    #[cfg(not(feature = "postgres"))]
    assert!(
        !on_postgres(),
        "DAICHO_TEST_BACKEND=postgres needs `--features postgres`"
    );
    Register::in_memory(policy)
}

/// Where a test's register goes when it needs a location (a fixed clock at
/// creation, a reopening): the file `name` in `dir`, or a new schema on the
/// server.
pub(crate) fn location(dir: &Path, name: &str) -> PathBuf {
    #[cfg(feature = "postgres")]
    if on_postgres() {
        return PathBuf::from(new_schema_url());
    }
    dir.join(name)
}

/// The URL of a new, empty schema on the test server.
#[cfg(feature = "postgres")]
pub(crate) fn new_schema_url() -> String {
    let admin = std::env::var("DAICHO_TEST_POSTGRES")
        .expect("DAICHO_TEST_POSTGRES names the test server (scripts/test starts one)");
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut client = postgres::Client::connect(&admin, postgres::NoTls)
        .unwrap_or_else(|e| panic!("connecting to the test server: {e}"));
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .expect("creating a test schema");
    let separator = if admin.contains('?') { '&' } else { '?' };
    format!("{admin}{separator}options=-c%20search_path%3D{schema}")
}
