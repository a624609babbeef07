//! `daicho backup` and `daicho restore`, also while another process writes.

use std::io::{BufRead, BufReader};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use daicho::{Action, Disposed, Filter, Register};
use daicho_tests::Workspace;

use crate::support::{register_with_assets, worker_with, write_sheet};

/// Backups taken during the writes.
const BACKUPS: usize = 5;

/// Checks that a register holds whole changes only: each asset has one
/// creation entry, and its version is one more than its update entries.
#[track_caller]
fn assert_consistent(register: &Register) {
    let verification = register.verify().unwrap();
    assert!(verification.is_ok(), "{verification:?}");
    let all = register
        .assets(&Filter {
            disposed: Disposed::Include,
            ..Filter::default()
        })
        .unwrap();
    for asset in all {
        let history = register.history(asset.id).unwrap();
        let count = |action| history.iter().filter(|e| e.action == action).count() as u64;
        assert_eq!(count(Action::Create), 1, "asset {}", asset.id);
        let changes = count(Action::Update) + count(Action::Dispose);
        assert_eq!(asset.version, 1 + changes, "asset {}", asset.id);
    }
}

#[test]
fn backups_taken_while_another_process_writes_are_consistent() {
    let ws = Workspace::new();
    let (path, ids) = register_with_assets(ws.path(), 3);
    assert_eq!(path, ws.db());
    let mut args = vec![
        "churn".to_owned(),
        path.display().to_string(),
        "writer".to_owned(),
        "6201".to_owned(),
    ];
    args.extend(ids.iter().map(ToString::to_string));
    let mut writer = worker_with(&args).spawn().expect("spawn a writer");
    // Count the writer's changes as it reports them.
    let stdout = writer.stdout.take().unwrap();
    let written = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&written);
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if line.is_err() {
                break;
            }
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let mut entries = Vec::new();
    for i in 0..BACKUPS {
        // Each backup is taken after at least ten more changes, while the writer goes on.
        let target = written.load(Ordering::SeqCst) + 10;
        let deadline = Instant::now() + Duration::from_secs(60);
        while written.load(Ordering::SeqCst) < target {
            if let Some(status) = writer.try_wait().unwrap() {
                let mut stderr = String::new();
                let _ =
                    std::io::Read::read_to_string(&mut writer.stderr.take().unwrap(), &mut stderr);
                panic!("the writer ended ({status}):\n{stderr}");
            }
            assert!(Instant::now() < deadline, "the writer stalled");
            std::thread::sleep(Duration::from_millis(2));
        }
        let dest = ws.path().join(format!("backup-{i}.db"));
        ws.daicho(["backup".as_ref(), dest.as_os_str()]).success();
        let copy = Register::open(&dest).expect("the backup opens");
        assert_consistent(&copy);
        entries.push(copy.verify().unwrap().chain.entries);
    }
    let _ = writer.kill();
    let output = writer.wait_with_output().unwrap();
    reader.join().unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The writer went on between the backups, so each holds a later state.
    assert!(entries.windows(2).all(|w| w[0] < w[1]), "{entries:?}");
}

/// The acceptance test of issue 6: a backup taken while another process
/// imports opens, verifies, and holds all of the import or none of it.
#[test]
fn backups_taken_during_an_import_hold_all_of_it_or_none() {
    const ROWS: usize = 2_000;
    let ws = Workspace::new();
    let (path, ids) = register_with_assets(ws.path(), 2);
    let sheet = ws.path().join("sheet.csv");
    write_sheet(&sheet, ROWS, &ids);
    let mut import = std::process::Command::new(daicho_tests::daicho_bin())
        .env("DAICHO_DB", &path)
        .env("DAICHO_ACTOR", "importer")
        .arg("import")
        .arg(&sheet)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (mut during, mut before, mut after) = (0, 0, 0);
    for i in 0.. {
        let running = import.try_wait().unwrap().is_none();
        let dest = ws.path().join(format!("during-{i}.db"));
        ws.daicho(["backup".as_ref(), dest.as_os_str()]).success();
        let copy = Register::open(&dest).expect("the backup opens");
        assert_consistent(&copy);
        let count = copy.assets(&Filter::default()).unwrap().len();
        if count == ids.len() {
            before += 1;
        } else {
            assert_eq!(
                count,
                ids.len() + ROWS,
                "backup {i} holds part of the import"
            );
            for id in &ids {
                assert_eq!(
                    copy.get(*id).unwrap().fields.notes.as_deref(),
                    Some("一括更新")
                );
            }
            after += 1;
        }
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
    assert!(during > 0, "no backup was taken while the import ran");
    assert!(after > 0, "the last backup must hold the import");
    eprintln!(
        "backups during an import: {during} while it ran ({before} before its commit, {after} after)"
    );
}

#[test]
fn restore_refuses_to_overwrite_without_force() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    ws.daicho([
        "add",
        "--kind",
        "ア",
        "--name",
        "残す資産",
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
    ws.daicho(["backup", "copy.db"]).success();
    // A second backup to the same file is refused, and the first is kept.
    let before = std::fs::read(ws.path().join("copy.db")).unwrap();
    let run = ws.daicho_en(["backup", "copy.db"]).expect_code(1);
    assert!(run.stderr.contains("exists already"), "{}", run.stderr);
    assert_eq!(std::fs::read(ws.path().join("copy.db")).unwrap(), before);

    ws.daicho([
        "add",
        "--kind",
        "イ",
        "--name",
        "後の資産",
        "--org",
        "水道局",
        "-c",
        "2",
        "-i",
        "2",
        "-a",
        "2",
    ])
    .success();
    let run = ws.daicho(["restore", "copy.db"]).expect_code(1);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    ws.daicho(["show", "後の資産"]).success();

    ws.daicho(["restore", "copy.db", "--force"]).success();
    ws.daicho(["show", "残す資産"]).success();
    ws.daicho(["show", "後の資産"]).expect_code(1);
    ws.daicho(["verify"]).success();

    // Into a new file, no --force is needed.
    let fresh = ws.path().join("fresh.db");
    ws.daicho([
        "--db".as_ref(),
        fresh.as_os_str(),
        "restore".as_ref(),
        "copy.db".as_ref(),
    ])
    .success();
    ws.daicho([
        "--db".as_ref(),
        fresh.as_os_str(),
        "show".as_ref(),
        "残す資産".as_ref(),
    ])
    .success();
}

#[test]
fn restore_refuses_a_backup_that_does_not_verify() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    ws.daicho([
        "add",
        "--kind",
        "ア",
        "--name",
        "資産",
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
    ws.daicho(["backup", "copy.db"]).success();
    let copy = ws.path().join("copy.db");
    let conn = rusqlite::Connection::open(&copy).unwrap();
    conn.execute("UPDATE audit_log SET actor = 'someone else'", [])
        .unwrap();
    drop(conn);
    let fresh = ws.path().join("fresh.db");
    let run = ws.daicho([
        "--db".as_ref(),
        fresh.as_os_str(),
        "restore".as_ref(),
        copy.as_os_str(),
    ]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("does not verify"), "{}", run.stderr);
    assert!(!fresh.exists(), "a refused restore wrote a file");

    let garbage = ws.path().join("garbage.db");
    std::fs::write(&garbage, vec![0xA5; 8192]).unwrap();
    let run = ws
        .daicho_en([
            "--db".as_ref(),
            fresh.as_os_str(),
            "restore".as_ref(),
            garbage.as_os_str(),
        ])
        .expect_code(1);
    assert!(
        run.stderr.contains("not a daicho register"),
        "{}",
        run.stderr
    );
    assert!(!fresh.exists());
}
