//! Writers killed with SIGKILL at seeded random moments: the register must
//! pass `PRAGMA integrity_check` and `daicho verify` afterwards, and hold
//! each change whole or not at all (the change and its audit entry together).
//!
//! Set `DAICHO_SEED` to rerun a failing trial sequence.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use daicho::{Action, AssetId, Register};
use daicho_tests::{Workspace, daicho_bin};

use crate::support::{
    Outcomes, Rng, add_asset, check_history, parse_worker_output, register_with_assets, seed,
    worker_with, write_sheet,
};

/// Trials per test.
const TRIALS: u64 = 20;

/// Kills a child with SIGKILL (what `Child::kill` sends on Unix) and reaps it.
fn kill(mut child: Child) -> std::process::Output {
    let _ = child.kill();
    child.wait_with_output().expect("reap the child")
}

/// `PRAGMA integrity_check` on a plain SQLite connection, as a second
/// opinion next to `daicho verify`.
#[track_caller]
fn assert_integrity(path: &std::path::Path) {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
            .expect("the register opens after a kill");
    let result: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(result, ["ok"], "integrity_check of {}", path.display());
}

#[test]
fn library_writers_killed_mid_write_leave_whole_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (path, ids) = register_with_assets(dir.path(), 3);
    let mut rng = Rng::new(seed(6_101));
    let mut outcomes = Outcomes::new();
    for id in &ids {
        outcomes.entry(*id).or_default();
    }
    let mut added: Vec<AssetId> = Vec::new();
    let mut killed = 0;
    for trial in 0..TRIALS {
        // One or two writers at once, killed together after 5 to 200 ms.
        let writers = 1 + rng.below(2);
        let children: Vec<Child> = (0..writers)
            .map(|w| {
                let mut args = vec![
                    "churn".to_owned(),
                    path.display().to_string(),
                    format!("t{trial}w{w}"),
                    rng.next().to_string(),
                ];
                args.extend(ids.iter().map(ToString::to_string));
                worker_with(&args).spawn().expect("spawn a worker")
            })
            .collect();
        std::thread::sleep(Duration::from_millis(5 + rng.below(196)));
        for child in children {
            let output = kill(child);
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.is_empty(),
                "trial {trial}: the worker failed:\n{stderr}"
            );
            added.extend(parse_worker_output(&stdout, &mut outcomes));
            killed += 1;
        }
        assert_integrity(&path);
        check_history(&path, &outcomes, killed);
    }
    // Every reported addition is there with its creation entry; every asset
    // in the register has exactly one creation entry.
    let register = Register::open(&path).unwrap();
    let all = register
        .assets(&daicho::Filter {
            disposed: daicho::Disposed::Include,
            ..daicho::Filter::default()
        })
        .unwrap();
    for id in &added {
        assert!(
            all.iter().any(|a| a.id == *id),
            "added asset {id} is missing"
        );
    }
    for asset in &all {
        let history = register.history(asset.id).unwrap();
        let creates = history
            .iter()
            .filter(|e| e.action == Action::Create)
            .count();
        assert_eq!(
            creates, 1,
            "asset {} has {creates} creation entries",
            asset.id
        );
    }
    assert!(
        all.len() > ids.len() + added.len() / 2,
        "too few writes happened to prove anything"
    );
}

/// Runs `daicho` with the workspace's register, output piped.
fn spawn_daicho(ws: &Workspace, args: &[&str]) -> Child {
    Command::new(daicho_bin())
        .env("DAICHO_DB", ws.db())
        .env("DAICHO_ACTOR", "crash-test")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("daicho runs")
}

/// How long one uninterrupted run of `args` takes, to aim the kills inside it.
fn time_one(ws: &Workspace, args: &[&str]) -> Duration {
    let started = Instant::now();
    let output = spawn_daicho(ws, args).wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    started.elapsed()
}

#[test]
fn a_killed_edit_or_dispose_is_all_or_nothing() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let edited = add_asset(&ws, "編集対象");
    let id = edited.to_string();
    let runtime = time_one(&ws, &["edit", &id, "--notes", "timing"]);
    let mut rng = Rng::new(seed(6_102));
    let (mut whole, mut none) = (0, 0);
    for trial in 0..TRIALS {
        // Every other trial edits; the others dispose of a fresh asset.
        let dispose = trial % 2 == 1;
        let target = if dispose {
            add_asset(&ws, &format!("廃棄対象{trial}"))
        } else {
            edited
        };
        let before = Register::open(ws.db()).unwrap().get(target).unwrap();
        let entries_before = Register::open(ws.db())
            .unwrap()
            .history(target)
            .unwrap()
            .len();
        let marker = format!("trial-{trial}");
        let target_text = target.to_string();
        let args: Vec<&str> = if dispose {
            vec![
                "dispose",
                &target_text,
                "--by",
                &marker,
                "--method",
                "物理破壊",
            ]
        } else {
            vec!["edit", &target_text, "--notes", &marker]
        };
        let child = spawn_daicho(&ws, &args);
        // Aim anywhere from the start to a little past the usual end.
        let limit = runtime.as_micros() as u64 * 6 / 5;
        std::thread::sleep(Duration::from_micros(rng.below(limit + 1)));
        let output = kill(child);
        assert!(
            output.status.code().is_none_or(|code| code == 0),
            "trial {trial}: daicho failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );

        assert_integrity(&ws.db());
        ws.daicho(["verify"]).success();
        let register = Register::open(ws.db()).unwrap();
        let after = register.get(target).unwrap();
        let history = register.history(target).unwrap();
        if after.version == before.version {
            none += 1;
            assert_eq!(
                after, before,
                "trial {trial}: changed without a new version"
            );
            assert_eq!(
                history.len(),
                entries_before,
                "trial {trial}: an entry without a change"
            );
        } else {
            whole += 1;
            assert_eq!(after.version, before.version + 1, "trial {trial}");
            assert_eq!(
                history.len(),
                entries_before + 1,
                "trial {trial}: a change without its entry"
            );
            let last = history.last().unwrap();
            if dispose {
                assert_eq!(last.action, Action::Dispose);
                assert_eq!(after.fields.disposal.as_ref().unwrap().person, marker);
            } else {
                assert_eq!(last.action, Action::Update);
                assert_eq!(after.fields.notes.as_deref(), Some(marker.as_str()));
            }
            assert_eq!(last.actor, "crash-test");
        }
    }
    eprintln!("killed edits and disposals: {whole} whole, {none} not written");
}

/// Rows in the sheet the import trials load.
const IMPORT_ROWS: usize = 2_000;

/// The names of the register's indexes, which a bulk import into an empty
/// register drops and makes again inside its transaction.
fn index_names(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name")
        .unwrap();
    stmt.query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Creates a register, with two assets when `with_assets`; returns their ids.
fn register_for_import(path: &std::path::Path, with_assets: bool) -> Vec<AssetId> {
    let mut register = Register::create(path, &daicho::Policy::niigata()).unwrap();
    let count = if with_assets { 2 } else { 0 };
    (0..count)
        .map(|i| crate::support::add_sample(&mut register, &format!("既存{i}")).id)
        .collect()
}

fn spawn_import(db: &std::path::Path, sheet: &std::path::Path) -> Child {
    Command::new(daicho_bin())
        .env("DAICHO_DB", db)
        .env("DAICHO_ACTOR", "importer")
        .arg("import")
        .arg(sheet)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("daicho runs")
}

#[test]
fn a_killed_import_is_all_or_nothing() {
    killed_imports_are_all_or_nothing(None);
}

/// The same on PostgreSQL: the client killed mid-import, its transaction
/// (`COPY` included) dies with its connection, and nothing of it is left.
#[test]
fn a_killed_import_is_all_or_nothing_on_postgresql() {
    if let Some(server) = daicho_tests::server::required() {
        killed_imports_are_all_or_nothing(Some(&server));
    }
}

/// Imports killed at seeded moments, into registers in files (`server` is
/// `None`) or in schemas on the server.
fn killed_imports_are_all_or_nothing(server: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(seed(6_103));
    let location = |name: &str| match server {
        Some(_) => std::path::PathBuf::from(daicho_tests::server::new_schema_url()),
        None => dir.path().join(format!("{name}.db")),
    };
    // One uninterrupted import of each kind, to aim the kills and to know the indexes.
    let mut runtimes = Vec::new();
    let mut expected_indexes = Vec::new();
    for with_assets in [false, true] {
        let timing = location(&format!("timing-{with_assets}"));
        let ids = register_for_import(&timing, with_assets);
        let sheet = dir.path().join(format!("timing-{with_assets}.csv"));
        write_sheet(&sheet, IMPORT_ROWS, &ids);
        if server.is_none() {
            expected_indexes = index_names(&timing);
        }
        let started = Instant::now();
        let output = spawn_import(&timing, &sheet).wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        runtimes.push(started.elapsed());
    }

    let (mut all, mut none) = (0, 0);
    for trial in 0..TRIALS {
        // Every other trial imports into an empty register (the bulk path,
        // which drops and remakes the indexes); the others update two assets.
        let with_assets = trial % 2 == 1;
        let db = location(&format!("trial-{trial}"));
        let ids = register_for_import(&db, with_assets);
        let sheet = dir.path().join(format!("trial-{trial}.csv"));
        write_sheet(&sheet, IMPORT_ROWS, &ids);
        let child = spawn_import(&db, &sheet);
        // Aim anywhere from the start to a little past the usual end.
        let limit = runtimes[usize::from(with_assets)].as_micros() as u64 * 11 / 10;
        std::thread::sleep(Duration::from_micros(rng.below(limit + 1)));
        let output = kill(child);
        assert!(
            output.status.code().is_none_or(|code| code == 0),
            "trial {trial}: the import failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );

        if server.is_none() {
            assert_integrity(&db);
            assert_eq!(index_names(&db), expected_indexes, "trial {trial}: indexes");
        }
        let run = Command::new(daicho_bin())
            .env("DAICHO_DB", &db)
            .arg("verify")
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "trial {trial}: {}",
            String::from_utf8_lossy(&run.stdout)
        );
        let register = Register::open(&db).unwrap();
        let assets = register.assets(&daicho::Filter::default()).unwrap();
        // Less the register's first entry, `init`.
        let entries = register.verify().unwrap().chain.entries - 1;
        let base = ids.len();
        if assets.len() == base {
            none += 1;
            assert_eq!(
                entries, base as u64,
                "trial {trial}: audit entries without assets"
            );
            for id in &ids {
                assert_eq!(
                    register.get(*id).unwrap().version,
                    1,
                    "trial {trial}: a partial update"
                );
            }
        } else {
            all += 1;
            assert_eq!(
                assets.len(),
                base + IMPORT_ROWS,
                "trial {trial}: a partial import"
            );
            assert_eq!(
                entries,
                (base * 2 + IMPORT_ROWS) as u64,
                "trial {trial}: one audit entry per created or updated asset"
            );
            for id in &ids {
                let asset = register.get(*id).unwrap();
                assert_eq!(asset.version, 2, "trial {trial}");
                assert_eq!(asset.fields.notes.as_deref(), Some("一括更新"));
            }
            let last = format!("一括資産{}", IMPORT_ROWS - 1);
            assert!(
                assets.iter().any(|a| a.fields.name.as_str() == last),
                "trial {trial}"
            );
        }
    }
    eprintln!("killed imports: {all} whole, {none} not written (full runs {runtimes:?})");
}
