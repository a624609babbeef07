//! `daicho migrate` and `daicho backup` between an SQLite file and a register
//! on PostgreSQL (issue 18): the example city moved there and back gives
//! byte-identical exports and a verified chain on each side.

use std::path::Path;
use std::process::Command;

use daicho_tests::{Run, daicho_bin, repo_root, server};

/// Runs `daicho` on the register at `db` (a file or a URL).
fn daicho(dir: &Path, db: &str, args: &[&str]) -> Run {
    Command::new(daicho_bin())
        .current_dir(dir)
        .env("DAICHO_DB", db)
        .env("DAICHO_ACTOR", "test-actor")
        .args(args)
        .output()
        .expect("daicho runs")
        .into()
}

/// Both exports of the register at `db`, assets and links, as bytes.
fn exports(dir: &Path, db: &str, name: &str) -> (Vec<u8>, Vec<u8>) {
    let (assets, links) = (format!("{name}-assets.csv"), format!("{name}-links.csv"));
    daicho(dir, db, &["export", "-o", &assets, "--links", &links]).success();
    (
        std::fs::read(dir.join(assets)).unwrap(),
        std::fs::read(dir.join(links)).unwrap(),
    )
}

/// `daicho verify` passes, and the head it names.
fn verified_head(dir: &Path, db: &str) -> String {
    let run = daicho(dir, db, &["verify", "--format", "json"]).success();
    run.json()["head"].as_str().expect("a head").to_owned()
}

#[test]
fn the_example_city_moves_to_postgresql_and_back_unchanged() {
    let Some(_) = server::required() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let inventory = repo_root().join("examples/inventory");
    let file = "city.db";
    daicho(path, file, &["init"]).success();
    daicho(
        path,
        file,
        &[
            "import",
            inventory.join("assets.csv").to_str().unwrap(),
            "--links",
            inventory.join("links.csv").to_str().unwrap(),
        ],
    )
    .success();
    // Recorded findings, a risk and an exception: every table has rows.
    daicho(path, file, &["check", "--record"]).expect_code(1);
    let before = exports(path, file, "before");
    let head = verified_head(path, file);

    let url = server::new_schema_url();
    let moved = daicho(path, file, &["migrate", "--to", &url]).success();
    assert!(moved.stdout.contains("検証済み"), "{}", moved.stdout);
    assert_eq!(verified_head(path, &url), head);
    assert_eq!(exports(path, &url, "server"), before);
    // The same findings, tracked under the same numbers.
    assert_eq!(
        daicho(path, &url, &["findings", "--format", "json"])
            .success()
            .json(),
        daicho(path, file, &["findings", "--format", "json"])
            .success()
            .json()
    );

    // Back into a new file, and a backup of the server's register.
    daicho(path, &url, &["migrate", "--to", "back.db"]).success();
    assert_eq!(verified_head(path, "back.db"), head);
    assert_eq!(exports(path, "back.db", "back"), before);
    daicho(path, &url, &["backup", "archive.db"]).success();
    assert_eq!(verified_head(path, "archive.db"), head);
    assert_eq!(exports(path, "archive.db", "archive"), before);

    // The server's register takes changes after the move, on its own chain.
    daicho(
        path,
        &url,
        &["dispose", "本会議会議録原稿データ", "--by", "議会事務局"],
    )
    .success();
    assert_ne!(verified_head(path, &url), head);
}

#[test]
fn a_move_never_writes_over_a_register() {
    let Some(_) = server::required() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    daicho(path, "a.db", &["init"]).success();
    let url = server::new_schema_url();
    daicho(path, &url, &["init"]).success();
    let refused = daicho(path, "a.db", &["migrate", "--to", &url, "--lang", "en"]);
    refused.clone().expect_code(1);
    assert!(
        refused.stderr.contains("holds a register already"),
        "{}",
        refused.stderr
    );
    // Nor beside another application's tables.
    let (schema, other) = server::new_schema();
    server::admin_client()
        .batch_execute(&format!("CREATE TABLE {schema}.ledger (x BIGINT)"))
        .unwrap();
    let refused = daicho(path, "a.db", &["migrate", "--to", &other, "--lang", "en"]);
    refused.clone().expect_code(1);
    assert!(
        refused.stderr.contains("holds tables already"),
        "{}",
        refused.stderr
    );
    daicho(path, "b.db", &["init"]).success();
    let refused = daicho(path, &url, &["migrate", "--to", "b.db", "--lang", "en"]);
    refused.clone().expect_code(1);
    assert!(
        refused.stderr.contains("exists already"),
        "{}",
        refused.stderr
    );
}

#[test]
fn a_password_in_the_url_is_refused_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let url = "postgres://writer:s3cret-pw@db.example.invalid/daicho";
    for lang in ["ja", "en"] {
        let run = daicho(dir.path(), url, &["summary", "--lang", lang]);
        run.clone().expect_code(1);
        assert!(!run.stderr.contains("s3cret-pw"), "{}", run.stderr);
        assert!(
            run.stderr.contains("PGPASSWORD"),
            "the message says where the password goes: {}",
            run.stderr
        );
    }
}

#[test]
fn an_unreachable_server_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let socket_dir = dir.path().join("no-server");
    std::fs::create_dir(&socket_dir).unwrap();
    let url = format!(
        "postgresql://daicho@{}:5432/daicho",
        socket_dir.display().to_string().replace('/', "%2F")
    );
    let run = daicho(dir.path(), &url, &["summary", "--lang", "en"]);
    run.clone().expect_code(1);
    assert!(
        run.stderr
            .contains("cannot connect to the PostgreSQL server"),
        "{}",
        run.stderr
    );
}

/// docs/postgres-roles.sql as an operator runs it: the owner makes the
/// register, the writer imports, checks and verifies without DDL, and the
/// reader reads and backs up but is refused a change, in words.
#[test]
fn the_documented_roles_give_each_only_what_it_needs() {
    let Some(admin) = server::required() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let database = format!("roles_{}", std::process::id());
    let script = repo_root().join("docs/postgres-roles.sql");
    let setup = || {
        let output = Command::new("psql")
            .arg(&admin)
            .args(["-q", "-v", "ON_ERROR_STOP=1", "-f"])
            .arg(&script)
            .env("DAICHO_DB", &database)
            .output()
            .expect("psql runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    // The admin URL is `postgresql://postgres@HOST:PORT/postgres` (scripts/pg-cluster).
    let (_, host) = admin.split_once('@').expect("a user in the admin URL");
    let (host, _) = host.rsplit_once('/').expect("a database in the admin URL");
    let as_role = |role: &str| format!("postgresql://{role}@{host}/{database}");
    setup();
    daicho(path, &as_role("daicho_owner"), &["init"]).success();
    setup();
    let writer = as_role("daicho_writer");
    let inventory = repo_root().join("examples/inventory");
    daicho(
        path,
        &writer,
        &[
            "import",
            inventory.join("assets.csv").to_str().unwrap(),
            "--links",
            inventory.join("links.csv").to_str().unwrap(),
        ],
    )
    .success();
    daicho(path, &writer, &["check", "--record"]).expect_code(1);
    verified_head(path, &writer);
    let reader = as_role("daicho_reader");
    daicho(path, &reader, &["summary"]).success();
    daicho(path, &reader, &["backup", "reader.db"]).success();
    let refused = daicho(
        path,
        &reader,
        &[
            "dispose",
            "本会議会議録原稿データ",
            "--by",
            "議会",
            "--lang",
            "en",
        ],
    );
    refused.clone().expect_code(1);
    assert!(
        refused.stderr.contains("this role may not do this"),
        "{}",
        refused.stderr
    );
    let refused = daicho(
        path,
        &writer,
        &["migrate", "--to", "copy.db", "--lang", "en"],
    );
    refused.success();
}

/// `sslmode=verify-full` against the test cluster's TLS listener (a CA made
/// for it, a certificate for `localhost` only): trusted through
/// `sslrootcert`, refused against the system's CAs, and refused under a
/// name the certificate does not hold.
#[test]
fn tls_verifies_the_server_against_the_ca_named() {
    let Some(_) = server::required() else {
        return;
    };
    let Some(tls) = std::env::var("DAICHO_TEST_POSTGRES_TLS")
        .ok()
        .filter(|url| !url.is_empty())
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "DAICHO_TEST_POSTGRES_TLS is not set: scripts/pg-cluster makes it where openssl is"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    let (schema, _) = server::new_schema();
    let schema = format!("options=-c%20search_path%3D{schema}");
    let trusted = format!("{tls}&{schema}");
    daicho(path, &trusted, &["init"]).success();
    daicho(path, &trusted, &["summary"]).success();

    let (without_ca, _) = tls.split_once("&sslrootcert=").expect("a CA in the URL");
    let refused = daicho(
        path,
        &format!("{without_ca}&{schema}"),
        &["summary", "--lang", "en"],
    );
    refused.clone().expect_code(1);
    assert!(
        refused.stderr.contains("UnknownIssuer"),
        "{}",
        refused.stderr
    );

    let other_name = trusted.replace("@localhost:", "@127.0.0.1:");
    let refused = daicho(path, &other_name, &["summary", "--lang", "en"]);
    refused.clone().expect_code(1);
    assert!(
        refused
            .stderr
            .contains("cannot connect to the PostgreSQL server"),
        "{}",
        refused.stderr
    );
}
