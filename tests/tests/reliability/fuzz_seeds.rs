//! The fuzz targets' laws, replayed on their committed seed corpora
//! (`fuzz/seeds/<target>/`) with the stable toolchain, so that `scripts/test`
//! checks every seed and every crash turned into a seed. The fuzzing itself
//! needs nightly and runs by hand (RELIABILITY.md).

use std::path::PathBuf;

use daicho::parse::{format_date, format_date_ja, parse_bool, parse_count, parse_date};
use daicho::sheet::{ExportOptions, ImportOptions};
use daicho::{Disposed, Filter, Policy, Register};
use daicho_tests::repo_root;

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = repo_root().join("fuzz/seeds").join(target);
    let mut seeds: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    seeds.sort();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    seeds
}

#[test]
fn date_seeds() {
    for (path, bytes) in seeds("date") {
        let Ok(cell) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if let Ok(parsed) = parse_date(cell) {
            assert_eq!(
                parse_date(&format_date(parsed.date)).unwrap().date,
                parsed.date
            );
            if let Some(ja) = format_date_ja(parsed.date) {
                assert_eq!(
                    parse_date(&ja).unwrap().date,
                    parsed.date,
                    "{}",
                    path.display()
                );
            }
        }
        let _ = parse_bool(cell);
        let _ = parse_count(cell);
    }
}

#[test]
fn policy_toml_seeds() {
    let mut loaded = 0;
    for (path, bytes) in seeds("policy_toml") {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if let Ok(policy) = Policy::from_toml(text, "seed") {
            let again = Policy::from_toml(policy.to_toml(), "again").expect("a policy reloads");
            assert_eq!(again.sha256(), policy.sha256(), "{}", path.display());
            loaded += 1;
        }
    }
    assert!(
        loaded >= 3,
        "the built-in profiles and an extending one load"
    );
}

fn export(register: &Register) -> Vec<u8> {
    let filter = Filter {
        disposed: Disposed::Include,
        ..Filter::default()
    };
    let mut out = Vec::new();
    register
        .export_assets(&mut out, &filter, &ExportOptions::default())
        .unwrap();
    out
}

#[test]
fn csv_import_seeds() {
    let mut imported = 0;
    for (path, bytes) in seeds("csv_import") {
        let mut register = Register::in_memory(&Policy::niigata()).unwrap();
        let mut dry = ImportOptions::default();
        dry.dry_run(true);
        let accepted = register.import_assets(bytes.as_slice(), &dry).is_ok();
        // Only the register's first entry, `init`: a dry run writes nothing.
        assert_eq!(
            register.verify().unwrap().chain.entries,
            1,
            "{}",
            path.display()
        );
        if !accepted {
            continue;
        }
        register
            .import_assets(bytes.as_slice(), &ImportOptions::default())
            .unwrap();
        let exported = export(&register);
        let mut second = Register::in_memory(&Policy::niigata()).unwrap();
        second
            .import_assets(exported.as_slice(), &ImportOptions::default())
            .unwrap();
        assert_eq!(export(&second), exported, "{}", path.display());
        imported += 1;
    }
    assert!(imported >= 4, "the valid sheets import");
}

#[test]
fn header_seeds() {
    for (path, bytes) in seeds("headers") {
        let Ok(header) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let cells = header.split(',').count();
        let row = ["住民記録データ", "イ", "市長部局", "3B", "2", "2"]
            .iter()
            .copied()
            .chain(std::iter::repeat(""))
            .take(cells.max(6))
            .collect::<Vec<_>>()
            .join(",");
        let sheet = format!("{header}\r\n{row}\r\n");
        let mut register = Register::in_memory(&Policy::niigata()).unwrap();
        let mut dry = ImportOptions::default();
        dry.dry_run(true);
        match register.import_assets(sheet.as_bytes(), &dry) {
            Ok(_) => {}
            Err(daicho::Error::Import { errors, .. }) => {
                assert!(!errors.is_empty(), "{}", path.display());
            }
            Err(other) => panic!("{}: {other}", path.display()),
        }
    }
}
