//! Security hygiene (SECURITY.md): owner-only files, the actor on every
//! change, hostile text stored and matched as data, never as SQL.

use std::path::Path;

use daicho_tests::{Workspace, daicho_bin, repo_root};

fn add(ws: &Workspace, kind: &str, name: &str) -> String {
    let run = ws
        .daicho([
            "--format",
            "json",
            "add",
            "--kind",
            kind,
            "--name",
            name,
            "--org",
            "水道局",
            "-c",
            "3B",
            "-i",
            "2",
            "-a",
            "2",
        ])
        .success();
    run.json()["asset"]["id"].as_str().unwrap().to_owned()
}

#[cfg(unix)]
#[test]
fn registers_their_journals_and_backups_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    // Keep a connection open so that the -wal and -shm files exist while we look.
    let reader = rusqlite::Connection::open(ws.db()).unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM assets", [], |row| row.get(0))
        .unwrap();
    add(&ws, "ア", "資産");
    ws.daicho(["backup", "copy.db"]).success();
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(ws.path()).unwrap() {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        let name = entry.file_name().to_string_lossy().into_owned();
        assert_eq!(mode, 0o600, "{name} has mode {mode:o}");
        seen.push(name);
    }
    seen.sort();
    assert!(seen.contains(&"register.db-wal".to_owned()), "{seen:?}");
    assert!(seen.contains(&"copy.db".to_owned()), "{seen:?}");
}

#[test]
fn every_change_records_its_actor() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let system = add(&ws, "ア", "基幹システム");
    let data = add(&ws, "イ", "住民データ");
    let actor = "情報政策課 監査太郎";
    let as_actor = |args: &[&str]| {
        ws.daicho(["--actor"].iter().chain([actor].iter()).chain(args.iter()))
            .success();
    };
    as_actor(&["edit", &system, "--notes", "変更"]);
    as_actor(&["link", &data, "stored_on", &system]);
    as_actor(&["unlink", &data, "stored_on", &system]);
    as_actor(&["dispose", &data, "--by", "担当者", "--method", "物理破壊"]);
    for id in [&system, &data] {
        let history = ws
            .daicho(["--format", "json", "history", id])
            .success()
            .json();
        let entries = history.as_array().unwrap();
        assert!(!entries.is_empty());
        for entry in entries {
            let expected = if entry["action"] == "create" {
                "test-actor"
            } else {
                actor
            };
            assert_eq!(entry["actor"], expected, "{entry}");
        }
    }
    // Without --actor or DAICHO_ACTOR, the OS user is recorded.
    let output = std::process::Command::new(daicho_bin())
        .env("DAICHO_DB", ws.db())
        .env_remove("DAICHO_ACTOR")
        .env("USER", "os-user")
        .args(["edit", &system, "--notes", "OSユーザーの変更"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let history = ws
        .daicho(["--format", "json", "history", &system])
        .success()
        .json();
    let last = history.as_array().unwrap().last().unwrap().clone();
    // On Unix the OS uid stands beside the name (`privacy.rs` tests it whole).
    let actor = last["actor"].as_str().unwrap();
    assert!(
        actor == "os-user" || actor.starts_with("os-user (uid "),
        "{actor}"
    );
}

#[test]
fn hostile_text_is_stored_and_matched_as_data() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let hostile = [
        "x'); DROP TABLE assets; --",
        "\" OR 1=1 --",
        "%",
        "_",
        "'; UPDATE audit_log SET actor = 'x'; --",
        "=HYPERLINK(\"http://example.invalid\")",
        "名前\u{202e}逆向き",
    ];
    for name in hostile {
        let id = add(&ws, "ア", name);
        let shown = ws
            .daicho(["--format", "json", "show", &id])
            .success()
            .json();
        assert_eq!(shown["asset"]["name"], name);
        ws.daicho(["edit", &id, "--notes", name]).success();
    }
    // A name filter is a substring match, not a LIKE pattern.
    let listed = ws
        .daicho(["--format", "json", "list", "--name", "%"])
        .success()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    let listed = ws
        .daicho(["--format", "json", "list", "--name", "'"])
        .success()
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let all = ws.daicho(["--format", "json", "list"]).success().json();
    assert_eq!(all.as_array().unwrap().len(), hostile.len());
    ws.daicho(["verify"]).success();
}

/// The classic shape of string-built SQL, a value quoted into the statement
/// (`WHERE name = '{name}'`), appears nowhere in the library or the doors.
/// Every dynamic part of a statement is a column list or a `?N` placeholder;
/// SECURITY.md lists the places that build statements.
#[test]
fn no_sql_quotes_a_formatted_value() {
    let mut offenders = Vec::new();
    for dir in ["core/src", "cli/src", "bindings-python/src"] {
        scan(&repo_root().join(dir), &mut offenders);
    }
    assert!(
        offenders.is_empty(),
        "string-built SQL with quoted values:\n{}",
        offenders.join("\n")
    );
}

fn scan(dir: &Path, offenders: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scan(&path, offenders);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                let upper = line.to_uppercase();
                let sql = [
                    "SELECT ", "INSERT ", "UPDATE ", "DELETE ", " WHERE ", "PRAGMA ",
                ]
                .iter()
                .any(|k| upper.contains(k));
                if sql && (line.contains("'{") || line.contains("\\\"{")) {
                    offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
    }
}
