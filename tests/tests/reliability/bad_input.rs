//! The bad-input battery: committed fixtures in `tests/fixtures/bad_input/`
//! (and a 10 MB cell made at run time), each imported into a register that
//! already holds one asset. Each must give a clear error that names where
//! (file and line, or the offset) and why; none may panic; none may write
//! anything (the register's file bytes and audit log are unchanged).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use daicho::sheet::{Encoding, ImportOptions};
use daicho::{Policy, Register};
use daicho_tests::repo_root;

use crate::support::add_sample;

fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures/bad_input").join(name)
}

/// Imports `file` through the library into a register holding one asset,
/// checks that nothing was written, and returns the outcome as text.
fn import(file: &Path, encoding: Option<Encoding>) -> Result<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let mut register = Register::create(&path, &Policy::niigata()).unwrap();
    add_sample(&mut register, "既存の資産");
    let before = snapshot(&register);
    let mut options = ImportOptions::default();
    if let Some(encoding) = encoding {
        options.encoding(encoding);
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        register.import_assets_path(file, &options)
    }))
    .unwrap_or_else(|_| panic!("importing {} panicked", file.display()));
    match result {
        Ok(report) => Ok(format!("{report:?}")),
        Err(err) => {
            assert_eq!(
                snapshot(&register),
                before,
                "a failed import of {} wrote",
                file.display()
            );
            let mut text = err.to_string();
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                let _ = write!(text, "\n  caused by: {cause}");
                source = cause.source();
            }
            Err(text)
        }
    }
}

/// Everything an import could change: the assets and the audit chain's length.
fn snapshot(register: &Register) -> (Vec<daicho::Asset>, u64) {
    let assets = register
        .assets(&daicho::Filter {
            disposed: daicho::Disposed::Include,
            ..daicho::Filter::default()
        })
        .unwrap();
    let verification = register.verify().unwrap();
    assert!(verification.is_ok(), "{verification:?}");
    (assets, verification.chain.entries)
}

/// Asserts that importing a fixture fails with every one of `expected` in
/// its message (which also names the file), having written nothing.
#[track_caller]
fn check(name: &str, encoding: Option<Encoding>, expected: &[&str]) {
    let path = fixture(name);
    match import(&path, encoding) {
        Ok(report) => panic!("{name}: imported ({report})"),
        Err(message) => {
            assert!(
                message.contains(name),
                "{name}: the message names no file:\n{message}"
            );
            for part in expected {
                assert!(
                    message.contains(part),
                    "{name}: `{part}` is not in\n{message}"
                );
            }
        }
    }
}

#[test]
fn empty_files_have_no_header() {
    check(
        "empty.csv",
        None,
        &[".csv row 1:", "the file is empty: it has no header row"],
    );
    check(
        "bom-only.csv",
        None,
        &[".csv row 1:", "the file is empty: it has no header row"],
    );
}

/// A sheet with a header and no rows is what an empty register exports: it
/// imports as a change of nothing, and writes nothing.
#[test]
fn a_header_without_rows_changes_nothing() {
    let report = import(&fixture("header-only.csv"), None).expect("imports");
    assert!(
        report.contains("created: 0, updated: 0, unchanged: 0"),
        "{report}"
    );
}

#[test]
fn binary_and_wrongly_encoded_files_name_the_offset() {
    check(
        "binary-garbage.csv",
        None,
        &["the bytes at offset", "are not valid cp932"],
    );
    check(
        "latin1.csv",
        None,
        &["the bytes at offset 66 are not valid cp932"],
    );
    check(
        "latin1.csv",
        Some(Encoding::Cp932),
        &["the bytes at offset 66 are not valid cp932"],
    );
    check(
        "latin1.csv",
        Some(Encoding::Utf8),
        &[
            "the bytes at offset 66 are not valid utf-8",
            "「CSV UTF-8」",
        ],
    );
}

#[test]
fn nul_bytes_are_refused_in_names() {
    check(
        "nul-bytes.csv",
        None,
        &[
            ".csv row 2 (`住民\0記録`), column `name`",
            "without control characters",
        ],
    );
}

#[test]
fn an_unclosed_quote_is_named() {
    check(
        "unbalanced-quote.csv",
        None,
        &[
            ".csv row 2:",
            "1 error",
            "a quote (`\"`) opened in this row is never closed",
        ],
    );
}

#[test]
fn rows_with_the_wrong_number_of_cells() {
    check(
        "too-many-cells.csv",
        None,
        &[
            ".csv row 2 (`住民記録データ`):",
            "the row has 7 cells but the header only 6",
        ],
    );
    check(
        "too-few-cells.csv",
        None,
        &[
            ".csv row 2 (`住民記録データ`), column `confidentiality`",
            "`confidentiality` is required",
        ],
    );
}

#[test]
fn duplicate_headers_and_ids() {
    check(
        "duplicate-headers.csv",
        None,
        &[
            ".csv row 1, column `name`",
            "two columns are `name`: column 1 (`name`) and column 7",
        ],
    );
    check(
        "duplicate-ids.csv",
        None,
        &[".csv row 3", "column `id`", "the same id is on row 2"],
    );
}

/// Excel's 「Unicode テキスト」 is UTF-16 with tabs: a clear error says so.
#[test]
fn excel_unicode_text_is_a_clear_error() {
    check(
        "utf16-unicode-text.txt",
        None,
        &[
            ".txt row 1:",
            "the header is separated by tabs",
            "「CSV UTF-8 (コンマ区切り)」",
        ],
    );
}

/// A 10 MB cell (made here, not committed) makes a row larger than one may
/// be (1 MiB), and a 40,000-character cell is longer than any spreadsheet
/// cell: both refused, with the place and a short preview at most, never
/// the whole value.
#[test]
fn a_ten_megabyte_cell_and_an_overlong_cell_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (chars, expected) in [
        (
            10 * 1024 * 1024,
            "big-cell.csv row 2: the row is larger than 1 MiB, the most one row may hold",
        ),
        (
            40_000,
            "big-cell.csv row 2, column `notes`, value `xxxxxxxxxxxxxxxxxxxx…`: the cell holds 40000 \
             characters; a spreadsheet cell holds at most 32767",
        ),
    ] {
        let big = dir.path().join("big-cell.csv");
        let mut text = String::from(
            "name,kind,organization,confidentiality,integrity,availability,notes\r\n\
             大きいセル,イ,市長部局,3B,2,2,",
        );
        text.push_str(&"x".repeat(chars));
        text.push_str("\r\n");
        std::fs::write(&big, text).unwrap();
        let message = import(&big, None).expect_err("refused");
        assert!(
            message.contains(expected),
            "{}",
            &message[..message.len().min(500)]
        );
        assert!(message.len() < 1_000, "the message repeats the cell");
    }
}

/// Policy files with an unknown or a missing field: `daicho init` names the
/// field and its line, and creates no register.
#[test]
fn bad_policy_files_create_nothing() {
    let ws = daicho_tests::Workspace::new();
    for (name, expected) in [
        (
            "policy-unknown-field.toml",
            ["line 3, column 1", "unknown field `review_days`"],
        ),
        (
            "policy-missing-fields.toml",
            ["line 1, column 1", "missing field `review_interval_days`"],
        ),
    ] {
        let path = fixture(name);
        let run = ws
            .daicho(["init".as_ref(), "--policy".as_ref(), path.as_os_str()])
            .expect_code(1);
        assert!(run.stderr.contains(name), "{}", run.stderr);
        for part in expected {
            assert!(
                run.stderr.contains(part),
                "{name}: `{part}` is not in\n{}",
                run.stderr
            );
        }
        assert!(!ws.db().exists(), "{name}: a register was created");
    }
}

/// The same fixtures through `daicho import`: exit status 1 (the user's to
/// fix) with the errors on stderr, or 0 for the empty sheet; never a panic,
/// never a change to the register.
#[test]
fn the_cli_reports_every_fixture_and_writes_nothing() {
    let ws = daicho_tests::Workspace::new();
    ws.daicho(["init"]).success();
    ws.daicho([
        "add",
        "--kind",
        "ア",
        "--name",
        "既存の資産",
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
    let before = ws.daicho(["--format", "json", "verify"]).success().json();
    let mut names: Vec<String> = std::fs::read_dir(repo_root().join("tests/fixtures/bad_input"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "toml"))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 12);
    for name in names {
        let path = fixture(&name);
        let run = ws.daicho(["import".as_ref(), path.as_os_str()]);
        assert!(!run.stderr.contains("panicked"), "{name}: {}", run.stderr);
        if name == "header-only.csv" {
            run.success();
        } else {
            let run = run.expect_code(1);
            assert!(run.stderr.contains(&name), "{name}: {}", run.stderr);
        }
        let after = ws.daicho(["--format", "json", "verify"]).success().json();
        assert_eq!(after, before, "{name} changed the register");
    }
}
