//! Helpers shared by the reliability tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use daicho_tests::Workspace;

use daicho::{Action, AssetFields, AssetId, AssetName, Classification, Kind, Policy, Register};

/// The worker binary of this package (`tests/src/bin/reliability-worker.rs`).
pub(crate) fn worker() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reliability-worker"))
}

/// A worker command with its output piped and nothing on stdin.
pub(crate) fn worker_with(args: &[String]) -> Command {
    let mut command = worker();
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// A small seeded generator (`SplitMix64`), so that every trial can be rerun.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The seed of a test run: `DAICHO_SEED` when set (to rerun a failure), else fixed.
pub(crate) fn seed(default: u64) -> u64 {
    std::env::var("DAICHO_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// A new register file with `count` sample assets, and their ids.
pub(crate) fn register_with_assets(dir: &Path, count: usize) -> (PathBuf, Vec<AssetId>) {
    let path = dir.join("register.db");
    let ids = register_with_assets_at(&path, count);
    (path, ids)
}

/// A new register at `location` (a file or a server's URL) with `count`
/// sample assets; their ids.
pub(crate) fn register_with_assets_at(location: &Path, count: usize) -> Vec<AssetId> {
    let mut register = Register::create(location, &Policy::niigata()).expect("create");
    register.set_actor("setup").expect("a valid actor");
    (0..count)
        .map(|i| add_sample(&mut register, &format!("資産{i}")).id)
        .collect()
}

/// Adds an asset of kind ア with a name and otherwise sample fields.
pub(crate) fn add_sample(register: &mut Register, name: &str) -> daicho::Asset {
    let policy = register.policy().clone();
    let class = Classification::parse(&policy, "3B", "2", "2").expect("levels");
    let org = policy.organization("水道局").expect("org").code.clone();
    let fields = AssetFields::new(
        Kind::NetworkSystem,
        AssetName::new(name).expect("name"),
        org,
        class,
    );
    register.add(fields).expect("add")
}

/// What one edit came to, as a writer saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Written; the asset's new version.
    Written(u64),
    /// Refused as a conflict.
    Conflict,
}

/// Edits by marker (each edit sets the asset's notes to a unique marker).
pub(crate) type Outcomes = BTreeMap<AssetId, Vec<(String, Outcome)>>;

/// Parses a worker's `ok`/`conflict` lines into `outcomes`; returns the ids of `added` lines.
pub(crate) fn parse_worker_output(stdout: &str, outcomes: &mut Outcomes) -> Vec<AssetId> {
    let mut added = Vec::new();
    // A worker killed mid-line would leave a torn last line, which proves
    // nothing either way: only whole lines count.
    for line in stdout
        .split_inclusive('\n')
        .filter_map(|l| l.strip_suffix('\n'))
    {
        let parts: Vec<&str> = line.split(' ').collect();
        match parts.as_slice() {
            ["ok", id, marker, version] => {
                let outcome = Outcome::Written(version.parse().expect("version"));
                let edits = outcomes.entry(id.parse().expect("id")).or_default();
                edits.push(((*marker).to_owned(), outcome));
            }
            ["conflict", id, marker] => {
                let edits = outcomes.entry(id.parse().expect("id")).or_default();
                edits.push(((*marker).to_owned(), Outcome::Conflict));
            }
            ["added", id] => added.push(id.parse().expect("id")),
            _ => panic!("unexpected worker output line `{line}`"),
        }
    }
    added
}

/// Checks the register against what the writers saw: every written edit is
/// in the history with the version it got, no refused edit is, versions run
/// without gaps, the current state is the last history entry, and the
/// register verifies (integrity check, links, audit chain).
///
/// `unreported` bounds the edits in the history that no writer reported:
/// zero when every writer finished, one per writer killed (an edit committed
/// just before the kill, before the writer could print it). Returns how many
/// written edits were checked.
pub(crate) fn check_history(path: &Path, outcomes: &Outcomes, unreported: usize) -> u64 {
    let register = Register::open(path).expect("open after the writers");
    let verification = register.verify().expect("verify");
    assert!(verification.is_ok(), "{verification:?}");
    let mut written_total = 0;
    let mut extra_total = 0;
    for (id, edits) in outcomes {
        let asset = register.get(*id).expect("asset");
        let history = register.history(*id).expect("history");
        let updates: Vec<(String, u64)> = history
            .iter()
            .filter(|e| e.action == Action::Update)
            .map(|e| {
                let after: serde_json::Value =
                    serde_json::from_str(e.after.as_deref().expect("after")).expect("json");
                (
                    after["notes"].as_str().expect("notes").to_owned(),
                    after["version"].as_u64().expect("version"),
                )
            })
            .collect();
        // Versions run 2, 3, … without gaps, and the asset is at the last one.
        for (i, (_, version)) in updates.iter().enumerate() {
            assert_eq!(
                *version,
                i as u64 + 2,
                "asset {id}: version gap in {updates:?}"
            );
        }
        assert_eq!(asset.version, updates.len() as u64 + 1, "asset {id}");
        if let Some((marker, _)) = updates.last() {
            assert_eq!(asset.fields.notes.as_deref(), Some(marker.as_str()));
        }
        let in_history: BTreeMap<&str, u64> =
            updates.iter().map(|(m, v)| (m.as_str(), *v)).collect();
        assert_eq!(
            in_history.len(),
            updates.len(),
            "asset {id}: a marker twice"
        );
        let mut reported = BTreeSet::new();
        for (marker, outcome) in edits {
            reported.insert(marker.as_str());
            match outcome {
                Outcome::Written(version) => {
                    written_total += 1;
                    assert_eq!(
                        in_history.get(marker.as_str()),
                        Some(version),
                        "asset {id}: written edit {marker} is not in the history at version {version}"
                    );
                }
                Outcome::Conflict => assert!(
                    !in_history.contains_key(marker.as_str()),
                    "asset {id}: refused edit {marker} is in the history"
                ),
            }
        }
        extra_total += in_history.keys().filter(|m| !reported.contains(*m)).count();
    }
    assert!(
        extra_total <= unreported,
        "{extra_total} edits in the history that no writer reported (at most {unreported} allowed)"
    );
    written_total
}

/// Writes an asset sheet of `rows` new assets (Japanese headers, era dates,
/// quoted notes with commas), plus one row updating each of `updates`.
pub(crate) fn write_sheet(path: &Path, rows: usize, updates: &[AssetId]) {
    use std::fmt::Write as _;
    let kinds = ["ア", "イ", "ウ"];
    let orgs = ["市長部局", "水道局", "消防局", "教育委員会"];
    let levels = ["3A", "3B", "3C", "2", "1"];
    let mut text =
        String::from("資産ID,資産名,種別,所管,機密性,完全性,可用性,点検日,個人情報,備考\r\n");
    for (i, id) in updates.iter().enumerate() {
        let _ = write!(
            text,
            "{id},更新対象{i},ア,水道局,3B,2,2,令和7年4月8日,×,一括更新\r\n"
        );
    }
    for i in 0..rows {
        let _ = write!(
            text,
            ",一括資産{i},{},{},{},{},{},令和{}年{}月{}日,{},\"備考{i}, \"\"引用\"\"\"\r\n",
            kinds[i % 3],
            orgs[i % 4],
            levels[i % 5],
            1 + i % 2,
            1 + (i / 2) % 2,
            2 + i % 6,
            1 + i % 12,
            1 + i % 28,
            if i % 3 == 0 { "○" } else { "×" },
        );
    }
    std::fs::write(path, text).expect("write the sheet");
}

/// Adds a 水道局 system through `daicho add` and returns its id.
pub(crate) fn add_asset(ws: &Workspace, name: &str) -> AssetId {
    let run = ws
        .daicho([
            "--format",
            "json",
            "add",
            "--kind",
            "ア",
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
    run.json()["asset"]["id"].as_str().unwrap().parse().unwrap()
}
