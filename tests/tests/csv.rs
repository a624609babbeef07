//! `daicho import` and `daicho export` as a black box (issue 3): encodings,
//! atomic imports with every error reported, dry runs, upserts, the
//! byte-identical round trip and CP932 export.

use std::fmt::Write as _;
use std::path::PathBuf;

use daicho_tests::{Workspace, repo_root};

fn example(file: &str) -> PathBuf {
    repo_root().join("examples/inventory").join(file)
}

fn fixture(file: &str) -> PathBuf {
    repo_root().join("core/src/sheet/fixtures").join(file)
}

fn initialized() -> Workspace {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    ws
}

fn asset_count(ws: &Workspace) -> usize {
    let run = ws
        .daicho(["--format", "json", "list", "--include-disposed"])
        .success();
    run.json().as_array().map_or(0, Vec::len)
}

#[test]
fn the_example_imports_and_a_second_import_changes_nothing() {
    let ws = initialized();
    let assets = example("assets.csv");
    let links = example("links.csv");
    let run = ws
        .daicho_en([
            "import".as_ref(),
            assets.as_os_str(),
            "--links".as_ref(),
            links.as_os_str(),
        ])
        .success();
    assert!(
        run.stdout
            .contains("71 assets created, 0 updated, 0 unchanged"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("63 links created"), "{}", run.stdout);
    // Not a terminal: no progress bar.
    assert!(run.stderr.is_empty(), "{}", run.stderr);

    let again = ws
        .daicho([
            "--format".as_ref(),
            "json".as_ref(),
            "import".as_ref(),
            assets.as_os_str(),
            "--links".as_ref(),
            links.as_os_str(),
        ])
        .success()
        .json();
    assert_eq!(again["assets"]["unchanged"], 71);
    assert_eq!(again["links"]["unchanged"], 63);
    assert_eq!(again["encoding"], "utf-8-sig");
    let verify = ws.daicho(["--format", "json", "verify"]).success();
    // The register's `init` entry, then one entry per asset and link.
    assert_eq!(
        verify.json()["audit_entries"],
        1 + 71 + 63,
        "{}",
        verify.stdout
    );
}

#[test]
fn a_cp932_sheet_as_excel_saves_it_imports_without_flags() {
    for (file, encoding) in [
        ("assets-cp932.csv", "cp932"),
        ("assets-utf8.csv", "utf-8"),
        ("assets-utf8-bom.csv", "utf-8-sig"),
        ("assets-utf16le.csv", "utf-16le"),
    ] {
        let ws = initialized();
        let path = fixture(file);
        let report = ws
            .daicho([
                "--format".as_ref(),
                "json".as_ref(),
                "import".as_ref(),
                path.as_os_str(),
            ])
            .success()
            .json();
        assert_eq!(report["encoding"], encoding, "{file}");
        assert_eq!(report["assets"]["created"], 3, "{file}");
        let shown = ws
            .daicho(["--format", "json", "show", "住民基本台帳システム"])
            .success()
            .json();
        assert_eq!(shown["asset"]["record_count"], 312_540, "{file}: {shown}");
    }
}

#[test]
fn ten_thousand_rows_with_one_bad_row_write_nothing_and_exit_1() {
    let ws = initialized();
    let mut sheet = String::from("資産名,種別,所管,機密性,完全性,可用性,点検日,件数\r\n");
    for i in 0..10_000 {
        let count = if i == 4_321 { "約3万件" } else { "1,200" };
        let _ = write!(sheet, "資産{i},イ,市長部局,3B,2,2,R7.4.1,\"{count}\"\r\n");
    }
    std::fs::write(ws.path().join("big.csv"), sheet).unwrap();
    let run = ws.daicho_en(["import", "big.csv"]).expect_code(1);
    assert!(
        run.stderr
            .contains("failed to import `big.csv`: 1 error, nothing was written"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("big.csv row 4323")
            && run
                .stderr
                .contains("column `件数`, value `約3万件`: `約3万件` is approximate"),
        "{}",
        run.stderr
    );
    assert_eq!(asset_count(&ws), 0);

    let json = ws
        .daicho(["--format", "json", "import", "big.csv"])
        .expect_code(1)
        .json();
    assert_eq!(json["total"], 1);
    assert_eq!(json["errors"][0]["line"], 4323);
    assert_eq!(json["errors"][0]["column"], "件数");
}

#[test]
fn every_error_is_counted_and_the_printed_list_is_capped() {
    let ws = initialized();
    let mut sheet = String::from("name,kind,organization,confidentiality,integrity,availability\n");
    for i in 0..80 {
        let _ = writeln!(sheet, "資産{i},エ,mayor,2,1,1");
    }
    std::fs::write(ws.path().join("bad.csv"), sheet).unwrap();
    let run = ws
        .daicho_en(["import", "bad.csv", "--max-errors", "5"])
        .expect_code(1);
    assert!(run.stderr.contains("80 errors"), "{}", run.stderr);
    assert!(
        run.stderr.contains("bad.csv row 2") && run.stderr.contains("column `kind`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("... and 75 more"), "{}", run.stderr);
}

#[test]
fn dry_run_reports_what_would_change_and_writes_nothing() {
    let ws = initialized();
    let assets = example("assets.csv");
    let run = ws
        .daicho_en([
            "import".as_ref(),
            assets.as_os_str(),
            "--dry-run".as_ref(),
            "--rows".as_ref(),
        ])
        .success();
    assert!(
        run.stdout.contains("71 assets would be created"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(" row 2 created"), "{}", run.stdout);
    assert!(
        run.stderr.contains("dry run: nothing was written"),
        "{}",
        run.stderr
    );
    assert_eq!(asset_count(&ws), 0);
}

#[test]
fn export_import_export_gives_identical_bytes() {
    let ws = initialized();
    let assets = example("assets.csv");
    ws.daicho(["import".as_ref(), assets.as_os_str()]).success();
    // In codes, the reference the other forms are compared with.
    ws.daicho(["export", "--headers", "en", "-o", "codes.csv"])
        .success();
    let codes = std::fs::read(ws.path().join("codes.csv")).unwrap();
    // `--headers` either way, and the default of each `--lang`: Japanese
    // headers and labels, or English headers and codes.
    for form in [
        &["--headers", "en"][..],
        &["--headers", "ja"],
        &[],
        &["--lang", "en"],
    ] {
        let export = |ws: &Workspace, file: &str| {
            let mut args = vec!["export", "-o", file, "--force"];
            args.extend(form);
            ws.daicho(args).success();
            std::fs::read(ws.path().join(file)).unwrap()
        };
        // The second round replaces the first one's files.
        let first = export(&ws, "first.csv");
        let run = ws.daicho_en(["import", "first.csv"]).success();
        assert!(
            run.stdout.contains("71 unchanged"),
            "{form:?}: {}",
            run.stdout
        );
        let second = export(&ws, "second.csv");
        assert!(first.starts_with(b"\xEF\xBB\xBF"));
        assert!(first == second, "{form:?}: the second export differs");

        // Into a fresh register: the same bytes again, and the same data.
        let fresh = initialized();
        std::fs::copy(ws.path().join("first.csv"), fresh.path().join("first.csv")).unwrap();
        fresh.daicho(["import", "first.csv"]).success();
        let third = export(&fresh, "third.csv");
        assert!(
            first == third,
            "{form:?}: the export of a fresh register differs"
        );
        fresh
            .daicho(["export", "--headers", "en", "-o", "codes.csv"])
            .success();
        let fresh_codes = std::fs::read(fresh.path().join("codes.csv")).unwrap();
        assert!(
            codes == fresh_codes,
            "{form:?}: the fresh register holds other data"
        );
    }
    // To stdout as well, with the BOM: Japanese by default, English with
    // `--lang en`.
    let run = ws.daicho(["export"]).success();
    assert!(
        run.stdout
            .starts_with("\u{feff}資産ID,管理番号,種別,資産名,"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(",ア,"),
        "labels, not codes: {}",
        run.stdout
    );
    assert!(!run.stdout.contains(",network_system,"), "{}", run.stdout);
    let run = ws.daicho(["export", "--lang", "en"]).success();
    assert!(
        run.stdout.starts_with("\u{feff}id,asset_number,kind,name,"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\r\n"));
}

#[test]
fn reimporting_an_edited_export_updates_only_the_changed_row() {
    let ws = initialized();
    let assets = example("assets.csv");
    ws.daicho(["import".as_ref(), assets.as_os_str()]).success();
    ws.daicho(["export", "-o", "sheet.csv"]).success();
    let text = std::fs::read_to_string(ws.path().join("sheet.csv")).unwrap();
    let edited = text.replacen("高橋 由美子", "高橋 由美", 1);
    assert_ne!(text, edited);
    std::fs::write(ws.path().join("sheet.csv"), edited).unwrap();
    let report = ws
        .daicho(["--format", "json", "import", "sheet.csv"])
        .success()
        .json();
    assert_eq!(report["assets"]["updated"], 1);
    assert_eq!(report["assets"]["unchanged"], 70);
    // The same sheet again is now stale for that row: its version is old.
    let run = ws.daicho_en(["import", "sheet.csv"]).expect_code(1);
    assert!(run.stderr.contains("column `版`"), "{}", run.stderr);
}

#[test]
fn cp932_export_names_the_unencodable_cell_or_replaces_it() {
    let ws = initialized();
    std::fs::write(
        ws.path().join("names.csv"),
        "name,kind,organization,confidentiality,integrity,availability\n𠮷田家文書,イ,mayor,2,1,1\n",
    )
    .unwrap();
    ws.daicho(["import", "names.csv"]).success();
    let run = ws
        .daicho_en(["export", "--encoding", "cp932", "-o", "out.csv"])
        .expect_code(1);
    assert!(
        run.stderr
            .contains("row 1, column `name`: `𠮷` (U+20BB7) cannot be written in cp932"),
        "{}",
        run.stderr
    );
    ws.daicho([
        "export",
        "--encoding",
        "cp932",
        "--replace",
        "-o",
        "out.csv",
    ])
    .success();
    let bytes = std::fs::read(ws.path().join("out.csv")).unwrap();
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"));
    let fresh = initialized();
    std::fs::write(fresh.path().join("out.csv"), bytes).unwrap();
    let report = fresh
        .daicho(["--format", "json", "import", "out.csv"])
        .success()
        .json();
    assert_eq!(report["encoding"], "cp932");
}

#[test]
fn formulas_are_neutralized_in_the_exported_file() {
    let ws = initialized();
    std::fs::write(
        ws.path().join("f.csv"),
        "name,kind,organization,confidentiality,integrity,availability,notes\n\
         =cmd|' /C calc'!A0,ア,mayor,2,1,1,@SUM(1+1)\n",
    )
    .unwrap();
    ws.daicho(["import", "f.csv"]).success();
    ws.daicho(["export", "-o", "out.csv"]).success();
    let text = std::fs::read_to_string(ws.path().join("out.csv")).unwrap();
    assert!(text.contains(",'=cmd|' /C calc'!A0,"), "{text}");
    assert!(text.contains(",'@SUM(1+1),"), "{text}");
    let run = ws.daicho_en(["import", "out.csv"]).success();
    assert!(run.stdout.contains("1 unchanged"), "{}", run.stdout);
}

/// Issue 12: what goes back to sections opens in Excel as it is.
#[test]
fn list_check_summary_and_history_write_excel_ready_files() {
    let ws = initialized();
    std::fs::write(
        ws.path().join("f.csv"),
        "name,kind,organization,confidentiality,integrity,availability,department\n\
         =HYPERLINK(1),ア,mayor,2,1,1,+市民課\n",
    )
    .unwrap();
    ws.daicho(["import", "f.csv"]).success();
    for (command, file) in [
        (vec!["list", "--format", "csv"], "list.csv"),
        (
            vec!["check", "--format", "csv", "--today", "2026-11-25"],
            "check.csv",
        ),
        (vec!["summary", "--format", "csv"], "summary.csv"),
        (
            vec!["history", "=HYPERLINK(1)", "--format", "csv"],
            "history.csv",
        ),
    ] {
        let mut args = command.clone();
        args.extend(["-o", file]);
        ws.daicho(args).success();
        let bytes = std::fs::read(ws.path().join(file)).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{file} has no BOM");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(&bytes[3..]);
        for record in reader.records() {
            for cell in &record.unwrap() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{file}: `{cell}`"
                );
            }
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(ws.path().join(file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
        // A file is replaced only when asked.
        let mut again = command;
        again.extend(["-o", file]);
        let run = ws.daicho_en(again).expect_code(1);
        assert!(run.stderr.contains("--force replaces it"), "{}", run.stderr);
    }
    // Issue 14: only `export` writes a workbook; the others point to it.
    let run = ws
        .daicho_en(["summary", "-o", "summary.xlsx"])
        .expect_code(1);
    assert!(
        run.stderr.contains("`daicho export -o 台帳.xlsx`"),
        "{}",
        run.stderr
    );
    assert!(!ws.path().join("summary.xlsx").exists());
    ws.daicho(["export", "-o", "台帳.xlsx"]).success();
    assert!(ws.path().join("台帳.xlsx").exists());
}

/// Issue 12: `import --undo last` puts the register back as it was before the
/// import, to the byte of its export and the count of its summary, and the
/// audit chain stays intact; a second undo finds nothing left to undo.
#[test]
fn undoing_the_last_import_restores_the_previous_state_exactly() {
    let ws = initialized();
    let (assets, links) = (example("assets.csv"), example("links.csv"));
    ws.daicho([
        "import".as_ref(),
        assets.as_os_str(),
        "--links".as_ref(),
        links.as_os_str(),
    ])
    .success();
    let seen = |ws: &Workspace| {
        let export = ws.daicho_en(["export"]).success().stdout;
        let links = ws.path().join("links-now.csv");
        ws.daicho([
            "export".as_ref(),
            "-o".as_ref(),
            ws.path().join("assets-now.csv").as_os_str(),
            "--links".as_ref(),
            links.as_os_str(),
            "--force".as_ref(),
        ])
        .success();
        let links = std::fs::read(&links).unwrap();
        let summary = ws.daicho(["--format", "json", "summary"]).success().json();
        (export, links, summary)
    };
    let before = seen(&ws);

    // A section's sheet: one existing asset changed (by id, its version
    // given), two new ones, and links between old and new.
    let export = ws.daicho_en(["export"]).success().stdout;
    let mut rows = export.lines();
    let header = rows.next().unwrap().trim_start_matches('\u{feff}');
    let row = rows
        .find(|line| line.contains(",住民記録データ,"))
        .unwrap()
        .replace(",3B,", ",3A,");
    let mut sheet = format!("{header}\r\n{row}\r\n");
    let width = header.split(',').count();
    for (name, kind) in [
        ("窓口予約システム", "network_system"),
        ("窓口予約データ", "information"),
    ] {
        let mut cells = vec![String::new(); width];
        for (column, value) in [
            ("kind", kind),
            ("name", name),
            ("organization", "市長事務部局"),
            ("department", "市民生活部 市民課"),
            ("confidentiality", "2"),
            ("integrity", "1"),
            ("availability", "1"),
        ] {
            let index = header.split(',').position(|h| h == column).unwrap();
            cells[index] = value.to_owned();
        }
        let _ = write!(sheet, "{}\r\n", cells.join(","));
    }
    let section = ws.path().join("section.csv");
    std::fs::write(&section, sheet).unwrap();
    let section_links = ws.path().join("section-links.csv");
    std::fs::write(
        &section_links,
        "from,relation,to\r\n窓口予約データ,stored_on,窓口予約システム\r\n\
         窓口予約システム,connects_to,LGWAN接続系ネットワーク\r\n",
    )
    .unwrap();
    let report = ws
        .daicho([
            "--format".as_ref(),
            "json".as_ref(),
            "import".as_ref(),
            section.as_os_str(),
            "--links".as_ref(),
            section_links.as_os_str(),
        ])
        .success()
        .json();
    assert_eq!(report["assets"]["created"], 2);
    assert_eq!(report["assets"]["updated"], 1);
    assert_eq!(report["links"]["created"], 2);
    assert_eq!(report["import_id"], 2);
    assert_ne!(seen(&ws), before);

    let undo = ws
        .daicho(["--format", "json", "import", "--undo", "last"])
        .success()
        .json();
    assert_eq!(undo["import"]["id"], 2);
    assert_eq!(undo["assets_deleted"], 2);
    assert_eq!(undo["assets_restored"], 1);
    assert_eq!(undo["links_removed"], 2);
    assert_eq!(seen(&ws), before);
    let verify = ws.daicho(["--format", "json", "verify"]).success().json();
    assert_eq!(verify["ok"], true);
    let again = ws.daicho_en(["import", "--undo", "last"]).expect_code(1);
    assert!(again.stderr.contains("undone already"), "{}", again.stderr);
}
