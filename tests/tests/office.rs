//! Issue 12: a section's sheet as Excel saves it (CP932, title rows,
//! Alt+Enter headers, 〜事務局 names, 管理番号, full-width digits, era dates,
//! ○/レ/－), committed in `tests/fixtures/office/`, imported through the CLI
//! without losing a column, and imported again without a duplicate.

use daicho_tests::{Workspace, repo_root};

const SHEET: &str = "section-sheet.csv";

/// A register with the fixture sheet beside it.
fn workspace() -> Workspace {
    let ws = Workspace::new();
    std::fs::copy(
        repo_root().join("tests/fixtures/office").join(SHEET),
        ws.path().join(SHEET),
    )
    .expect("the fixture is readable");
    ws.daicho(["init"]).success();
    ws
}

#[test]
fn the_committed_sheet_is_cp932_as_excel_saves_it() {
    let bytes = std::fs::read(repo_root().join("tests/fixtures/office").join(SHEET)).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
    let (text, _, malformed) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!malformed);
    assert!(text.starts_with("令和8年度 情報資産管理台帳"));
    assert!(
        text.contains("\"ネットワーク\n区分\""),
        "an Alt+Enter header"
    );
}

#[test]
fn a_sections_sheet_imports_whole_and_again_without_a_duplicate() {
    let ws = workspace();
    let first = ws
        .daicho(["--format", "json", "import", SHEET])
        .success()
        .json();
    assert_eq!(first["encoding"], "cp932");
    assert_eq!(first["header_row"], 4, "found below the title rows");
    assert_eq!(first["assets"]["created"], 4);
    assert_eq!(
        first["extra_columns"],
        serde_json::json!([]),
        "no column lost"
    );
    let warnings: Vec<&str> = first["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        warnings,
        ["holds row numbers: ignored"],
        "only the No. column"
    );

    let assets = ws.daicho(["--format", "json", "list"]).success().json();
    let by_number = |number: &str| {
        assets
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["asset_number"] == number)
            .unwrap_or_else(|| panic!("no asset numbered {number}: {assets}"))
            .clone()
    };
    // Every column of the sheet arrived, in each asset.
    let roll = by_number("SE-001");
    assert_eq!(roll["name"], "選挙人名簿システム");
    assert_eq!(roll["organization"], "election", "選挙管理委員会事務局");
    assert_eq!(roll["department"], "選挙課");
    assert_eq!(roll["confidentiality"], "3B");
    assert_eq!(
        roll["segment"], "lgwan",
        "the Alt+Enter header ネットワーク⏎区分"
    );
    assert_eq!(roll["personal"], true, "○");
    assert_eq!(roll["record_count"], 312_540, "full-width digits and comma");
    assert_eq!(roll["reviewed_on"], "2026-04-08", "令和8年4月8日");
    assert_eq!(
        roll["notes"],
        "期日前投票所の端末を含む\n（Alt+Enterの改行）"
    );
    let data = by_number("SE-002");
    assert_eq!(data["personal"], true, "レ");
    assert_eq!(data["reviewed_on"], "2026-04-08", "R8.4.8");
    assert_eq!(
        by_number("SU-001")["organization"],
        "waterworks",
        "水道局事務局"
    );
    assert_eq!(by_number("SU-001")["record_count"], 12_000);
    let draft = by_number("SU-002");
    assert_eq!(draft["personal"], false, "－");
    assert_eq!(draft["notes"], "原稿は\"公開前\"の扱い");

    // The same sheet again, still without ids: matched by 管理番号.
    let again = ws
        .daicho(["--format", "json", "import", SHEET])
        .success()
        .json();
    assert_eq!(
        again["assets"],
        serde_json::json!({"created": 0, "unchanged": 4, "updated": 0})
    );
    let listed = ws.daicho(["--format", "json", "list"]).success().json();
    assert_eq!(listed.as_array().unwrap().len(), 4, "no duplicate");
}

#[test]
fn a_bad_cell_is_named_with_the_row_excel_shows_and_the_asset() {
    let ws = workspace();
    let bytes = std::fs::read(ws.path().join(SHEET)).unwrap();
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
    // 水道料金システム's 完全性 9, on Excel's row 7 (the header is row 4,
    // and rows 5 and 6 above it hold line breaks in their cells).
    let broken = text.replace(
        "水道料金システム,ア,水道局事務局,営業課,3C,2,",
        "水道料金システム,ア,水道局事務局,営業課,3C,9,",
    );
    assert_ne!(broken, text);
    let (encoded, _, _) = encoding_rs::SHIFT_JIS.encode(&broken);
    std::fs::write(ws.path().join(SHEET), &encoded).unwrap();
    let run = ws.daicho(["--lang", "en", "import", SHEET]).expect_code(1);
    assert!(run.stderr.contains("row 7"), "{}", run.stderr);
    assert!(run.stderr.contains("水道料金システム"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    let listed = ws.daicho(["--format", "json", "list"]).success().json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        0,
        "no half-written register"
    );
}
