//! Issue 14: Excel workbooks in and out, through the CLI.
//!
//! - A workbook another tool wrote (openpyxl: `tests/fixtures/xlsx/`, with
//!   the script that makes it) imports as its CSV twin does.
//! - export → import → export keeps the data of every sheet, and every
//!   closed column of sheet 台帳 has its drop-down.
//! - A workbook's errors name the sheet, the cell and the asset, in Japanese
//!   and in English.

use std::io::Read;
use std::path::Path;

use calamine::Reader;
use daicho_tests::{Workspace, repo_root};

/// Copies a fixture of `tests/fixtures/xlsx` into the workspace.
fn fixture(ws: &Workspace, name: &str) {
    std::fs::copy(
        repo_root().join("tests/fixtures/xlsx").join(name),
        ws.path().join(name),
    )
    .expect("the fixture is readable");
}

/// The register's assets as a CSV sheet with Japanese headers, without the
/// ids (new ones each import), row by row.
fn assets_without_ids(ws: &Workspace) -> Vec<Vec<String>> {
    let run = ws.daicho(["export", "--headers", "ja"]).success();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(run.stdout.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|record| record.unwrap().iter().skip(1).map(str::to_owned).collect())
        .collect()
}

#[test]
fn a_workbook_another_tool_wrote_imports_as_its_csv_twin_does() {
    let book = Workspace::new();
    fixture(&book, "section-sheet.xlsx");
    book.daicho(["init"]).success();
    let report = book
        .daicho(["--format", "json", "import", "section-sheet.xlsx"])
        .success()
        .json();
    assert_eq!(report["sheet"], "台帳", "the cover sheet has no header");
    assert_eq!(report["header_row"], 4, "below the title rows");
    assert_eq!(report["encoding"], serde_json::Value::Null);
    assert_eq!(report["assets"]["created"], 4);
    assert_eq!(report["formula_cells"], 1);
    assert_eq!(
        report["merged_cells"],
        serde_json::json!(["台帳!A1:O1", "台帳!E5:E6"])
    );
    assert_eq!(report["extra_columns"], serde_json::json!([]));

    let twin = Workspace::new();
    fixture(&twin, "section-sheet.csv");
    twin.daicho(["init"]).success();
    twin.daicho(["import", "section-sheet.csv"]).success();

    let from_book = assets_without_ids(&book);
    assert_eq!(from_book, assets_without_ids(&twin));
    let row = |name: &str| {
        from_book
            .iter()
            .find(|cells| cells[2] == name)
            .unwrap_or_else(|| panic!("{name}: {from_book:?}"))
            .clone()
    };
    let header = &from_book[0];
    let at = |column: &str| header.iter().position(|h| h == column).unwrap();
    let elections = row("選挙人名簿データ");
    assert_eq!(elections[at("管理番号")], "1025", "a number, without .0");
    assert_eq!(elections[at("所管")], "選挙管理委員会", "the merged cell");
    assert_eq!(elections[at("個人情報")], "○", "a boolean cell");
    assert_eq!(elections[at("点検日")], "2026-04-08", "a date cell");
    let water = row("水道料金システム");
    assert_eq!(water[at("件数")], "12000", "the formula's saved result");
    assert_eq!(water[at("保管場所")], "水道局サーバ室", "the hidden column");
    assert_eq!(
        row("水道局ホームページ原稿")[at("管理番号")],
        "2001",
        "the hidden row"
    );

    // Imported again, the workbook matches the assets it made.
    let again = book
        .daicho(["--format", "json", "import", "section-sheet.xlsx"])
        .success()
        .json();
    assert_eq!(again["assets"]["unchanged"], 4, "{again}");
}

/// Every sheet of a workbook, as the text of each cell, row by row.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|cells| cells.iter().map(ToString::to_string).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

/// A member of a zip archive, as text.
fn zip_member(path: &Path, member: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(member)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Each drop-down of a worksheet's XML: its range (`C2:C1048576`) and its
/// list.
fn drop_downs(xml: &str) -> Vec<(String, String)> {
    xml.split("<dataValidation ")
        .skip(1)
        .map(|part| {
            assert!(part.starts_with("type=\"list\""), "{part}");
            let sqref = part.split("sqref=\"").nth(1).unwrap();
            let sqref = sqref[..sqref.find('"').unwrap()].to_owned();
            let formula = part.split("<formula1>").nth(1).unwrap();
            let formula = formula[..formula.find("</formula1>").unwrap()].to_owned();
            (sqref, formula)
        })
        .collect()
}

/// A column's letters, from 0.
fn letters(index: usize) -> String {
    let mut letters = Vec::new();
    let mut rest = index + 1;
    while rest > 0 {
        letters.push(char::from(b'A' + ((rest - 1) % 26) as u8));
        rest = (rest - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[test]
fn export_import_export_keeps_every_sheet_and_every_closed_column_has_a_drop_down() {
    let ws = Workspace::new();
    let inventory = repo_root().join("examples/inventory");
    ws.daicho(["init"]).success();
    ws.daicho([
        "import".as_ref(),
        inventory.join("assets.csv").as_os_str(),
        "--links".as_ref(),
        inventory.join("links.csv").as_os_str(),
    ])
    .success();
    ws.daicho(["export", "-o", "first.xlsx"]).success();
    let first = ws.path().join("first.xlsx");
    let report = ws
        .daicho([
            "--format",
            "json",
            "import",
            "first.xlsx",
            "--links-sheet",
            "関連",
        ])
        .success()
        .json();
    assert_eq!(report["assets"]["created"], 0, "{report}");
    assert_eq!(report["assets"]["updated"], 0, "{report}");
    assert_eq!(report["links"]["created"], 0, "{report}");
    assert_eq!(report["links"]["updated"], 0, "{report}");
    assert!(report["links"]["unchanged"].as_u64().unwrap() > 0);
    ws.daicho(["export", "-o", "second.xlsx"]).success();
    let second = ws.path().join("second.xlsx");

    let before = sheets(&first);
    let names: Vec<&str> = before.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["台帳", "関連", "点検結果", "凡例"]);
    assert!(
        before.iter().all(|(_, rows)| rows.len() > 1),
        "no sheet is empty"
    );
    assert_eq!(before, sheets(&second));

    // Every closed column of sheet 台帳 has a drop-down over all its rows,
    // whose list is the column's choices on sheet 凡例.
    let header = &before[0].1[0];
    let legend = &before[3].1;
    let found = drop_downs(&zip_member(&first, "xl/worksheets/sheet1.xml"));
    let closed = [
        "種別",
        "所管",
        "機密性",
        "完全性",
        "可用性",
        "ネットワーク区分",
        "媒体",
        "運用形態",
        "個人情報",
        "要配慮個人情報",
        "特定個人情報",
        "適用除外",
    ];
    assert_eq!(found.len(), closed.len(), "{found:?}");
    for column in closed {
        let index = header.iter().position(|h| h == column).unwrap();
        let range = format!("{0}2:{0}1048576", letters(index));
        let (_, list) = found
            .iter()
            .find(|(sqref, _)| *sqref == range)
            .unwrap_or_else(|| panic!("no drop-down on {column} ({range}): {found:?}"));
        let legend_column = legend[0].iter().position(|h| h == column).unwrap();
        let choices = legend
            .iter()
            .skip(1)
            .take_while(|row| !row[legend_column].is_empty())
            .count();
        let expected = format!("凡例!${0}$2:${0}${1}", letters(legend_column), choices + 1);
        assert_eq!(list, &expected, "{column}");
    }
    // Every value of a closed column is one of its choices.
    for column in closed {
        let index = header.iter().position(|h| h == column).unwrap();
        let legend_column = legend[0].iter().position(|h| h == column).unwrap();
        let choices: Vec<&String> = legend
            .iter()
            .skip(1)
            .map(|row| &row[legend_column])
            .collect();
        for row in before[0].1.iter().skip(1) {
            let value = &row[index];
            assert!(
                value.is_empty() || choices.contains(&value),
                "{column}: `{value}` is not among {choices:?}"
            );
        }
    }
    let protection = zip_member(&first, "xl/worksheets/sheet1.xml");
    assert!(
        protection.contains("<sheetProtection"),
        "資産ID and 版 locked"
    );
}

#[test]
fn the_filters_apply_to_a_workbook() {
    let ws = Workspace::new();
    let inventory = repo_root().join("examples/inventory");
    ws.daicho(["init"]).success();
    ws.daicho(["import".as_ref(), inventory.join("assets.csv").as_os_str()])
        .success();
    let report = ws
        .daicho([
            "--format",
            "json",
            "export",
            "--org",
            "水道局",
            "-o",
            "水道局.xlsx",
        ])
        .success()
        .json();
    let exported = report["assets"].as_u64().unwrap();
    assert!(exported > 0, "{report}");
    let book = sheets(&ws.path().join("水道局.xlsx"));
    let assets = &book[0].1;
    assert_eq!(assets.len() as u64, exported + 1);
    let org = assets[0].iter().position(|h| h == "所管").unwrap();
    assert!(assets.iter().skip(1).all(|row| row[org] == "水道局"));
}

/// What a failed import prints, as a transcript.
fn failed_import(ws: &Workspace, lang: &str, file: &str) -> String {
    let run = ws.daicho(["--lang", lang, "import", file]).expect_code(1);
    format!("--- stdout\n{}--- stderr\n{}", run.stdout, run.stderr)
}

#[test]
fn a_workbooks_errors_name_the_sheet_the_cell_and_the_asset_in_both_languages() {
    let ws = Workspace::new();
    fixture(&ws, "bad-values.xlsx");
    ws.daicho(["init"]).success();
    insta::assert_snapshot!("bad_values_ja", failed_import(&ws, "ja", "bad-values.xlsx"));
    insta::assert_snapshot!("bad_values_en", failed_import(&ws, "en", "bad-values.xlsx"));
    let json = ws
        .daicho(["--format", "json", "import", "bad-values.xlsx"])
        .expect_code(1)
        .json();
    let cells: Vec<&str> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["cell"].as_str().unwrap())
        .collect();
    assert_eq!(cells, ["台帳!D4", "台帳!G5", "台帳!H5"]);
    let listed = ws.daicho(["list"]).success();
    assert!(!listed.stdout.contains("住民記録データ"), "nothing written");

    // An old binary workbook, and a sheet the workbook lacks.
    std::fs::write(
        ws.path().join("古い台帳.xls"),
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0],
    )
    .unwrap();
    insta::assert_snapshot!("old_xls_ja", failed_import(&ws, "ja", "古い台帳.xls"));
    let run = ws
        .daicho([
            "--lang",
            "en",
            "import",
            "bad-values.xlsx",
            "--sheet",
            "Sheet9",
        ])
        .expect_code(1);
    assert!(
        run.stderr
            .contains("the workbook has no sheet of this name; its sheets are: 台帳"),
        "{}",
        run.stderr
    );
}

#[test]
fn csv_is_never_written_under_an_excel_workbooks_name() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    for (args, said) in [
        (
            &["export", "-o", "a.csv", "--links", "l.xlsx"][..],
            "--links writes CSV; name a .csv file",
        ),
        (&["export", "--links", "l.XLSM"][..], "--links writes CSV"),
        (
            &["export", "-o", "a.csv", "--links", "l.xls"][..],
            "--links writes CSV",
        ),
        (
            &["export", "-o", "x.xlsm"][..],
            "macro-enabled workbooks (.xlsm)",
        ),
    ] {
        let run = ws
            .daicho(["--lang", "en"].iter().chain(args))
            .expect_code(1);
        assert!(run.stderr.contains(said), "{args:?}: {}", run.stderr);
        for written in ["a.csv", "l.xlsx", "l.XLSM", "l.xls", "x.xlsm"] {
            assert!(
                !ws.path().join(written).exists(),
                "{args:?} wrote {written}"
            );
        }
    }
    let run = ws
        .daicho(["--lang", "ja", "export", "-o", "a.csv", "--links", "l.xlsx"])
        .expect_code(1);
    assert!(
        run.stderr.contains("--links には CSV を書きます"),
        "{}",
        run.stderr
    );
    ws.daicho(["export", "-o", "a.csv", "--links", "l.csv"])
        .success();
}

/// A workbook of one sheet 台帳 written by hand, its `<sheetData>` given.
fn hand_workbook(path: &Path, sheet_data: &str) {
    use std::io::Write;
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="台帳" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>{sheet_data}</sheetData></worksheet>"#
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, text) in files {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn a_small_workbook_with_a_stray_value_at_the_last_cell_is_refused_by_its_cell() {
    let ws = Workspace::new();
    ws.daicho(["init"]).success();
    let cell =
        |at: &str, text: &str| format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#);
    let header: String = ["資産名", "種別", "所管", "機密性", "完全性", "可用性"]
        .iter()
        .zip(["A1", "B1", "C1", "D1", "E1", "F1"])
        .map(|(text, at)| cell(at, text))
        .collect();
    let row: String = ["庁内LAN", "ア", "市長部局", "2", "2", "2"]
        .iter()
        .zip(["A2", "B2", "C2", "D2", "E2", "F2"])
        .map(|(text, at)| cell(at, text))
        .collect();
    let data = format!(
        r#"<row r="1">{header}</row><row r="2">{row}</row><row r="1048576">{}</row>"#,
        cell("XFD1048576", "x")
    );
    let path = ws.path().join("stray.xlsx");
    hand_workbook(&path, &data);
    assert!(std::fs::metadata(&path).unwrap().len() < 8_000);
    let run = ws
        .daicho(["--lang", "ja", "import", "stray.xlsx"])
        .expect_code(1);
    assert!(
        run.stderr.contains("台帳!XFD1048576 に値があります"),
        "{}",
        run.stderr
    );
    let run = ws
        .daicho(["--lang", "en", "import", "stray.xlsx"])
        .expect_code(1);
    assert!(
        run.stderr
            .contains("台帳!XFD1048576 holds a value far outside the data"),
        "{}",
        run.stderr
    );
    // Without the stray value, the same workbook imports.
    let data = format!(r#"<row r="1">{header}</row><row r="2">{row}</row>"#);
    hand_workbook(&path, &data);
    ws.daicho(["import", "stray.xlsx"]).success();

    // A workbook saved with a password is an OLE container like an .xls:
    // said to be password-protected, not an old workbook.
    let mut protected = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    protected.extend_from_slice(&[0; 504]);
    std::fs::write(ws.path().join("保護.xlsx"), &protected).unwrap();
    let run = ws
        .daicho(["--lang", "en", "import", "保護.xlsx"])
        .expect_code(1);
    assert!(run.stderr.contains("password-protected"), "{}", run.stderr);
    assert!(!run.stderr.contains("97-2003"), "{}", run.stderr);
}

#[test]
fn daichos_own_workbook_imports_with_its_links_by_default() {
    let ws = Workspace::new();
    let inventory = repo_root().join("examples/inventory");
    ws.daicho(["init"]).success();
    ws.daicho([
        "import".as_ref(),
        inventory.join("assets.csv").as_os_str(),
        "--links".as_ref(),
        inventory.join("links.csv").as_os_str(),
    ])
    .success();
    ws.daicho(["export", "-o", "台帳.xlsx"]).success();
    let report = ws
        .daicho(["--format", "json", "import", "台帳.xlsx"])
        .success()
        .json();
    assert_eq!(report["links_sheet"], "関連", "{report}");
    assert!(
        report["links"]["unchanged"].as_u64().unwrap() > 0,
        "{report}"
    );
    assert_eq!(report["extra_columns"], serde_json::json!([]), "{report}");
}
