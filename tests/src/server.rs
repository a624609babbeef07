//! The PostgreSQL test server: `scripts/test` starts a throwaway cluster and
//! names it in `DAICHO_TEST_POSTGRES` (an administrator's URL); with
//! `DAICHO_TEST_BACKEND=postgres` the suites run their registers on it, each
//! in a schema of its own.

/// Whether this run tests registers on PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("DAICHO_TEST_BACKEND").is_ok_and(|backend| backend == "postgres")
}

/// The administrator's URL of the test server, if one runs.
pub fn admin_url() -> Option<String> {
    std::env::var("DAICHO_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// The URL of a new, empty schema on the test server: a register's location.
pub fn new_schema_url() -> String {
    new_schema().1
}

/// A new, empty schema on the test server: its name and its URL.
pub fn new_schema() -> (String, String) {
    let admin =
        admin_url().expect("DAICHO_TEST_POSTGRES names the test server (scripts/test starts one)");
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    admin_client()
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .expect("creating a test schema");
    let separator = if admin.contains('?') { '&' } else { '?' };
    let url = format!("{admin}{separator}options=-c%20search_path%3D{schema}");
    (schema, url)
}

/// A client of the test server, as its administrator.
pub fn admin_client() -> postgres::Client {
    let admin = admin_url().expect("DAICHO_TEST_POSTGRES names the test server");
    postgres::Client::connect(&admin, postgres::NoTls)
        .unwrap_or_else(|e| panic!("connecting to the test server: {e}"))
}

/// The administrator's URL of the test server, for a test that needs one.
/// Without a server the test is skipped with a note, but not under CI
/// (`CI` set), where `scripts/test` starts one and a missing one is a failure.
pub fn required() -> Option<String> {
    let url = admin_url();
    if url.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "DAICHO_TEST_POSTGRES is not set: scripts/test starts a PostgreSQL server for this test"
        );
        #[allow(clippy::print_stderr, reason = "the skip is said where the test runs")]
        {
            eprintln!("note: no PostgreSQL test server (DAICHO_TEST_POSTGRES); skipped");
        }
    }
    url
}
