use super::*;

fn schema(conn: &Connection) -> String {
    let mut stmt = conn
        .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type DESC, name")
        .unwrap();
    let rows: Vec<String> = stmt
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows.join(";\n")
}

#[test]
fn migrating_an_empty_database_reaches_the_latest_version() -> Result<()> {
    let conn = create_in_memory(&Policy::niigata())?;
    assert_eq!(
        user_version(conn.conn.sqlite().unwrap()).unwrap(),
        SCHEMA_VERSION
    );
    insta::assert_snapshot!(schema(conn.conn.sqlite().unwrap()));
    Ok(())
}

#[test]
fn a_new_register_file_is_private_to_its_owner() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let conn = create(&path, &Policy::niigata())?;
    drop(conn);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let (_, policy) = open(&path)?;
    assert_eq!(policy.sha256(), Policy::niigata().sha256());
    Ok(())
}

#[test]
fn create_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    std::fs::write(&path, "precious").unwrap();
    let err = create(&path, &Policy::niigata()).unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
}

#[test]
fn open_names_what_is_wrong_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    assert!(matches!(
        open(&missing).unwrap_err(),
        Error::RegisterMissing { .. }
    ));
    assert!(matches!(
        open(dir.path()).unwrap_err(),
        Error::NotARegister { .. }
    ));

    let text = dir.path().join("notes.txt");
    std::fs::write(
        &text,
        "this is not a database, just some text that is long enough",
    )
    .unwrap();
    let err = open(&text).unwrap_err();
    assert!(matches!(err, Error::NotARegister { .. }), "{err:?}");

    let other = dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    assert!(matches!(
        open(&other).unwrap_err(),
        Error::NotARegister { .. }
    ));
}

#[test]
fn a_register_from_a_newer_daicho_is_refused() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let conn = create(&path, &Policy::niigata())?;
    conn.conn
        .sqlite()
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = open(&path).unwrap_err();
    assert!(matches!(err, Error::SchemaTooNew { found, .. } if found == SCHEMA_VERSION + 1));
    assert!(err.to_string().contains("upgrade daicho"), "{err}");
    Ok(())
}

#[test]
fn a_read_only_open_names_the_file_in_a_uri_percent_encoded() {
    // A `?` or `#` in a path is part of the name, not of the URI.
    assert_eq!(
        read_only_uri(Path::new("/a b/c?d#e%.db"), false),
        "file:/a%20b/c%3Fd%23e%25.db?mode=ro"
    );
    assert_eq!(
        read_only_uri(Path::new("台帳.db"), true),
        "file:%E5%8F%B0%E5%B8%B3.db?mode=ro&immutable=1"
    );
}

#[test]
fn a_read_only_open_leaves_the_journal_mode_and_the_bytes() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    drop(create(&path, &Policy::niigata())?);
    // A backup's journal mode: DELETE. A writable open would make it WAL.
    execute_in_file(&path, "PRAGMA journal_mode = DELETE");
    let before = std::fs::read(&path).unwrap();
    let (db, _) = open_read_only(&path)?;
    assert_eq!(db.journal_mode()?, "delete");
    assert!(db.schema_differences()?.is_empty());
    // A name search needs the store's SQL function on this connection too.
    let searched: sql::Result<bool> = db.conn.query_row(
        "SELECT daicho_name_has('住民システム', 'す')",
        [],
        |row| row.get(0),
    );
    assert!(searched.is_ok(), "{searched:?}");
    drop(db);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    Ok(())
}

#[test]
fn connections_enforce_foreign_keys_and_use_wal() -> Result<()> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let conn = create(&path, &Policy::niigata())?;
    let fk: bool = conn
        .conn
        .query_row("PRAGMA foreign_keys", [], |row| row.get(0))
        .unwrap();
    let mode: String = conn
        .conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert!(fk);
    assert_eq!(mode, "wal");
    Ok(())
}

/// Issue 10: SQL lives in `store/` only. Every source file of the library
/// outside it is read, and none may name the SQLite crate.
#[test]
fn nothing_outside_the_store_names_a_database_crate() {
    fn visit(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if !path.ends_with("store") {
                    visit(&path, found);
                }
            } else if path.extension().is_some_and(|e| e == "rs")
                // The test harness makes the test server's schemas itself.
                && !path.ends_with("test_backend.rs")
                && std::fs::read_to_string(&path)
                    .is_ok_and(|text| text.contains("rusqlite") || text.contains("postgres::"))
            {
                found.push(path.display().to_string());
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    visit(&src, &mut found);
    found.sort();
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn the_summary_reads_its_covering_index_in_order() -> Result<()> {
    let db = create_in_memory(&Policy::niigata())?;
    let mut stmt = db
        .conn
        .prepare(&format!("EXPLAIN QUERY PLAN {}", summary::SUMMARY_SQL))
        .unwrap();
    let plan: Vec<String> = stmt
        .query_map([], |row| row.get(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // One scan of the covering index, and no sorter for the GROUP BY.
    assert_eq!(plan, ["SCAN assets USING COVERING INDEX assets_summary"]);
    Ok(())
}

/// Lookups that PostgreSQL once refused: a name holding NUL (text there
/// holds none) and the sections of every organization (`?1 IS NULL` with
/// no type for `?1`). They find nothing on either backend.
#[test]
fn a_lookup_by_a_name_with_nul_and_the_sections_of_all_organizations() -> Result<()> {
    let register = crate::test_backend::register(&Policy::niigata())?;
    let db = register.db();
    assert_eq!(db.count_named("住民\0記録", 10)?, 0);
    assert!(
        db.assets_named(register.policy(), "住民\0記録", 10)?
            .is_empty()
    );
    assert!(db.sections(None)?.is_empty());
    assert!(db.sections(Some("市長部局"))?.is_empty());
    Ok(())
}
