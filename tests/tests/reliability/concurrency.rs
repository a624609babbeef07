//! Concurrent writers on one register file: threads through the library
//! (each with its own `Register::open`), worker processes through the
//! library, and `daicho edit` processes through the CLI, on the same asset
//! and on different ones at once.
//!
//! The laws: every edit a writer saw succeed is in the history with the
//! version it got; every refused edit got a conflict error and is not in the
//! history; no writer ever sees "database is locked" or any other error; the
//! register verifies at the end (integrity check and audit chain).

use std::process::Stdio;
use std::thread;

use daicho::{AssetId, Register};
use daicho_tests::{Workspace, daicho_bin};

use crate::support::{
    Outcome, Outcomes, Rng, add_asset, check_history, parse_worker_output, register_with_assets,
    register_with_assets_at, seed, worker_with,
};

/// Edits per writer (two writers of each kind).
const EDITS: u64 = 1_000;
/// `daicho edit` runs per CLI writer: each is a whole process, so fewer.
const CLI_EDITS: u64 = 60;

/// Writer `w` edits the shared asset `ids[0]` half the time, else its own `ids[1 + w]`.
fn writer_ids(ids: &[AssetId], writer: usize) -> Vec<AssetId> {
    vec![ids[0], ids[1 + writer]]
}

#[test]
fn two_threads_with_their_own_connections_lose_no_update() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ids) = register_with_assets(dir.path(), 3);
    let seed = seed(6_001);
    let handles: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            let mine = writer_ids(&ids, w);
            thread::spawn(move || {
                let mut register = Register::open(&path).expect("open");
                let actor = format!("thread{w}");
                register.set_actor(&actor).expect("a valid actor");
                let mut rng = Rng::new(seed + w as u64);
                let mut outcomes = Outcomes::new();
                for i in 0..EDITS {
                    let id = mine[rng.below(2) as usize];
                    let marker = format!("{actor}-{i}");
                    let current = register.get(id).expect("read");
                    let mut fields = current.fields.clone();
                    fields.notes = Some(marker.clone());
                    // One edit in twenty is based on a stale version on purpose.
                    let stale = current.version > 1 && rng.below(20) == 0;
                    let expected = current.version - u64::from(stale);
                    let outcome = match register.update(id, expected, fields) {
                        Ok(asset) => Outcome::Written(asset.version),
                        Err(e) if e.is_conflict() => Outcome::Conflict,
                        Err(e) => panic!("{actor} edit {i}: {e} ({e:?})"),
                    };
                    outcomes.entry(id).or_default().push((marker, outcome));
                }
                outcomes
            })
        })
        .collect();
    let mut outcomes = Outcomes::new();
    for handle in handles {
        for (id, mut edits) in handle.join().expect("a writer thread panicked") {
            outcomes.entry(id).or_default().append(&mut edits);
        }
    }
    assert_counts(&outcomes, 2 * EDITS);
    let written = check_history(&path, &outcomes, 0);
    assert!(written > EDITS, "only {written} edits were written");
}

/// Runs `writers` worker processes of `edits` edits each on the register at
/// `location` (writer `w` named `{actor}{w}`), and gathers their outcomes.
fn run_edit_workers(
    location: &std::path::Path,
    ids: &[AssetId],
    (writers, edits): (usize, u64),
    seed: u64,
    actor: &str,
) -> Outcomes {
    let children: Vec<_> = (0..writers)
        .map(|w| {
            let mut args = vec![
                "edit".to_owned(),
                location.display().to_string(),
                format!("{actor}{w}"),
                edits.to_string(),
                (seed + w as u64).to_string(),
            ];
            args.extend(writer_ids(ids, w).iter().map(ToString::to_string));
            worker_with(&args).spawn().expect("spawn a worker")
        })
        .collect();
    let mut outcomes = Outcomes::new();
    for child in children {
        let output = child.wait_with_output().expect("worker output");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "worker failed ({}):\n{stderr}",
            output.status
        );
        assert!(!stderr.contains("locked"), "{stderr}");
        parse_worker_output(&stdout, &mut outcomes);
    }
    outcomes
}

#[test]
fn two_processes_lose_no_update() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ids) = register_with_assets(dir.path(), 3);
    let outcomes = run_edit_workers(&path, &ids, (2, EDITS), seed(6_002), "process");
    assert_counts(&outcomes, 2 * EDITS);
    let written = check_history(&path, &outcomes, 0);
    assert!(written > EDITS, "only {written} edits were written");
}

/// Issue 18: four processes of 500 edits each on one register on PostgreSQL,
/// of the same asset and of their own: no lost update, every refused edit a
/// conflict, and one audit chain (writers take the chain head's lock in
/// turn) that verifies.
#[test]
fn four_processes_on_postgresql_lose_no_update_and_keep_one_chain() {
    const WRITERS: usize = 4;
    const EDITS_EACH: u64 = 500;
    let Some(_) = daicho_tests::server::required() else {
        return;
    };
    let location = std::path::PathBuf::from(daicho_tests::server::new_schema_url());
    let ids = register_with_assets_at(&location, 1 + WRITERS);
    let outcomes = run_edit_workers(
        &location,
        &ids,
        (WRITERS, EDITS_EACH),
        seed(6_004),
        "server",
    );
    assert_counts(&outcomes, WRITERS as u64 * EDITS_EACH);
    let written = check_history(&location, &outcomes, 0);
    // One entry per asset created, per edit written and the register's first.
    let entries = Register::open(&location)
        .and_then(|register| register.verify())
        .expect("verify")
        .chain
        .entries;
    assert_eq!(entries, 1 + (1 + WRITERS) as u64 + written);
}

#[test]
fn two_cli_processes_lose_no_update_and_never_see_a_lock() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let mut ids = Vec::new();
    for name in ["共有資産", "資産A", "資産B"] {
        ids.push(add_asset(&ws, name));
    }
    let seed = seed(6_003);
    let db = ws.db();
    let handles: Vec<_> = (0..2)
        .map(|w| {
            let db = db.clone();
            let mine = writer_ids(&ids, w);
            thread::spawn(move || {
                let mut rng = Rng::new(seed + w as u64);
                let mut outcomes = Outcomes::new();
                for i in 0..CLI_EDITS {
                    let id = mine[rng.below(2) as usize];
                    let marker = format!("cli{w}-{i}");
                    let mut command = std::process::Command::new(daicho_bin());
                    command
                        .env("DAICHO_DB", &db)
                        .env("DAICHO_ACTOR", format!("cli{w}"))
                        .args([
                            "--lang",
                            "en",
                            "--format",
                            "json",
                            "edit",
                            &id.to_string(),
                            "--notes",
                            &marker,
                        ]);
                    // One edit in ten is based on the first version, stale after the first edit.
                    let versioned = rng.below(10) == 0;
                    if versioned {
                        command.args(["--expected-version", "1"]);
                    }
                    let output = command.stdin(Stdio::null()).output().expect("daicho runs");
                    let stderr = String::from_utf8_lossy(&output.stderr);
                    assert!(!stderr.contains("locked"), "{stderr}");
                    let outcome = match output.status.code() {
                        Some(0) => {
                            let json: serde_json::Value =
                                serde_json::from_slice(&output.stdout).expect("json");
                            Outcome::Written(json["asset"]["version"].as_u64().expect("version"))
                        }
                        // Without a version, `edit` applies the change again to a
                        // newer version instead of failing.
                        Some(1) if versioned && stderr.contains("was changed by someone else") => {
                            Outcome::Conflict
                        }
                        other => panic!("daicho edit exited {other:?}:\n{stderr}"),
                    };
                    outcomes.entry(id).or_default().push((marker, outcome));
                }
                outcomes
            })
        })
        .collect();
    let mut outcomes = Outcomes::new();
    for handle in handles {
        for (id, mut edits) in handle.join().expect("a CLI writer panicked") {
            outcomes.entry(id).or_default().append(&mut edits);
        }
    }
    assert_counts(&outcomes, 2 * CLI_EDITS);
    check_history(&db, &outcomes, 0);
    ws.daicho(["verify"]).success();
}

/// Every edit got an outcome, and some edits of each kind happened.
#[track_caller]
fn assert_counts(outcomes: &Outcomes, total: u64) {
    let all: Vec<&Outcome> = outcomes.values().flatten().map(|(_, o)| o).collect();
    assert_eq!(all.len() as u64, total);
    let conflicts = all.iter().filter(|o| ***o == Outcome::Conflict).count();
    assert!(
        conflicts > 0,
        "no edit was refused: the test did not contend"
    );
}

/// A bulk import into an empty register switches the file to a rollback
/// journal for its transaction. Other processes that open the register
/// meanwhile (to read, write or back it up) must wait for it, not fail as
/// busy: SQLite answers busy at once to the switch back to WAL that every
/// open makes, so the store retries it.
#[test]
fn readers_and_writers_wait_out_a_bulk_import() {
    const ROWS: usize = 4_000;
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let sheet = ws.path().join("sheet.csv");
    crate::support::write_sheet(&sheet, ROWS, &[]);
    let mut import = std::process::Command::new(daicho_bin())
        .env("DAICHO_DB", ws.db())
        .env("DAICHO_ACTOR", "importer")
        .arg("import")
        .arg(&sheet)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Let the import take its write lock on the empty register first (an
    // asset added before would make it a normal, WAL-mode import): its
    // rollback journal appears once it writes.
    let journal = ws.path().join("register.db-journal");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !journal.exists() && import.try_wait().unwrap().is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the import never wrote"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let mut during = 0;
    let mut added = 0;
    for i in 0.. {
        let running = import.try_wait().unwrap().is_none();
        let runs = [
            ws.daicho(["--format", "json", "summary"]),
            ws.daicho([
                "add",
                "--kind",
                "ア",
                "--name",
                &format!("並行{i}"),
                "--org",
                "水道局",
                "-c",
                "3B",
                "-i",
                "2",
                "-a",
                "2",
            ]),
            ws.daicho(["backup", &format!("copy-{i}.db")]),
        ];
        for run in runs {
            assert!(
                !run.stderr.contains("busy") && !run.stderr.contains("locked"),
                "{}",
                run.stderr
            );
            run.success();
        }
        added += 1;
        if running {
            during += 1;
        } else {
            break;
        }
    }
    let output = import.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(during > 0, "nothing ran while the import did");
    let register = Register::open(ws.db()).unwrap();
    assert!(register.verify().unwrap().is_ok());
    assert_eq!(
        register.assets(&daicho::Filter::default()).unwrap().len(),
        ROWS + added
    );
}

/// Reading never waits for a writer: opening a register checks its schema
/// version without the write lock, and WAL lets readers go on beside a
/// write transaction. Here a connection holds the write lock throughout.
#[test]
fn readers_do_not_wait_for_a_writer() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    ws.daicho([
        "add",
        "--kind",
        "ア",
        "--name",
        "読む資産",
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
    let writer = rusqlite::Connection::open(ws.db()).unwrap();
    writer
        .execute_batch("BEGIN IMMEDIATE; UPDATE meta SET value = value WHERE key = 'created_at';")
        .unwrap();
    let started = std::time::Instant::now();
    ws.daicho(["--format", "json", "list"]).success();
    ws.daicho(["show", "読む資産"]).success();
    ws.daicho(["history", "読む資産"]).success();
    ws.daicho(["summary"]).success();
    ws.daicho(["verify"]).success();
    ws.daicho(["backup", "copy.db"]).success();
    // Waiting for the lock would take the 30 s busy timeout, and then fail.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(25),
        "{:?}",
        started.elapsed()
    );
    writer.execute_batch("COMMIT").unwrap();
}
