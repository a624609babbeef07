//! Issue 14: workbooks in and out — the cells a workbook types (dates,
//! numbers, booleans, formulas, error values), the errors placed at their
//! cells, and a section's edits in an exported workbook coming back as
//! updates with history.

use rust_xlsxwriter::{ExcelDateTime, Formula, Workbook};

use super::*;
use crate::policy::Policy;
use crate::query::{Disposed, Filter};
use crate::register::Register;
use crate::table::Column;
use crate::text::Lang;

fn register() -> Register {
    let mut register = Register::in_memory(&Policy::niigata()).unwrap();
    register.set_actor("tester").unwrap();
    register
}

fn all() -> Filter {
    Filter {
        disposed: Disposed::Include,
        ..Filter::default()
    }
}

const HEADER: [&str; 8] = [
    "管理番号",
    "資産名",
    "種別",
    "所管",
    "機密性",
    "完全性",
    "可用性",
    "点検日",
];

/// A workbook with sheet 台帳: the header on row 1, then one row per call
/// of `row` (from row 2).
fn workbook(rows: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("台帳").unwrap();
    for (col, header) in HEADER.iter().enumerate() {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    rows(sheet);
    book.save_to_buffer().unwrap()
}

fn import(register: &mut Register, bytes: &[u8], options: &ImportOptions) -> ImportReport {
    register
        .import_assets(bytes, options)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn import_err(register: &mut Register, bytes: &[u8], options: &ImportOptions) -> Vec<RowError> {
    match register.import_assets(bytes, options) {
        Err(Error::Import { errors, .. }) => errors,
        other => panic!("expected an import error, got {other:?}"),
    }
}

#[test]
fn typed_cells_read_as_a_person_sees_them() {
    let bytes = workbook(|sheet| {
        sheet.write_number(1, 0, 1024.0).unwrap();
        sheet.write_string(1, 1, "住民記録データ").unwrap();
        sheet.write_string(1, 2, "イ").unwrap();
        sheet.write_string(1, 3, "市長部局").unwrap();
        sheet.write_string(1, 4, "3B").unwrap();
        sheet.write_number(1, 5, 2.0).unwrap();
        // A formula with the result Excel saved beside it.
        sheet
            .write_formula(1, 6, Formula::new("=1+1").set_result("2"))
            .unwrap();
        let date = ExcelDateTime::from_ymd(2026, 4, 8).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("ggge年m月d日");
        sheet
            .write_datetime_with_format(1, 7, &date, &format)
            .unwrap();
    });
    let mut r = register();
    let report = import(&mut r, &bytes, &ImportOptions::default());
    assert_eq!(report.assets.created, 1);
    assert_eq!(report.sheet.as_deref(), Some("台帳"));
    assert_eq!(report.formula_cells, 1);
    assert_eq!(report.encoding, None);
    let asset = &r.assets(&all()).unwrap()[0];
    assert_eq!(
        asset.fields.asset_number.as_deref(),
        Some("1024"),
        "no `.0`"
    );
    assert_eq!(asset.fields.classification.availability.code(), "2");
    assert_eq!(
        Column::ReviewedOn.cell(asset).canonical_text().as_deref(),
        Some("2026-04-08")
    );
}

/// A formula whose saved result is missing is covered by the CLI test on
/// `tests/fixtures/xlsx/bad-values.xlsx` (openpyxl saves none; `rust_xlsxwriter`
/// always saves one).
#[test]
fn an_error_value_is_refused_at_its_cell_in_either_language() {
    let bytes = workbook(|sheet| {
        sheet.write_string(1, 1, "住民記録データ").unwrap();
        sheet.write_string(1, 2, "イ").unwrap();
        sheet.write_string(1, 3, "市長部局").unwrap();
        sheet.write_string(1, 4, "3B").unwrap();
        sheet.write_string(1, 5, "2").unwrap();
        sheet
            .write_formula(1, 6, Formula::new("=1/0").set_result("#DIV/0!"))
            .unwrap();
    });
    let mut r = register();
    for (lang, reason) in [
        (Lang::Ja, "セルがエラー値 #DIV/0! です"),
        (Lang::En, "the cell holds the error value #DIV/0!"),
    ] {
        let mut options = ImportOptions::default();
        options.lang(lang);
        let errors = import_err(&mut r, &bytes, &options);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].cell.as_deref(), Some("台帳!G2"));
        assert_eq!(errors[0].column.as_deref(), Some("可用性"));
        assert_eq!(errors[0].asset.as_deref(), Some("住民記録データ"));
        assert!(
            errors[0].reason.get(lang).contains(reason),
            "{}",
            errors[0].reason
        );
        assert!(
            errors[0]
                .to_string()
                .starts_with("assets 台帳!G2 (`住民記録データ`)"),
            "{}",
            errors[0]
        );
    }
    assert!(r.assets(&all()).unwrap().is_empty(), "nothing written");
}

#[test]
fn bad_values_are_placed_at_their_cells_with_the_asset() {
    let bytes = workbook(|sheet| {
        sheet.write_string(1, 1, "住民記録データ").unwrap();
        sheet.write_string(1, 2, "イ").unwrap();
        sheet.write_string(1, 3, "市長部局").unwrap();
        sheet.write_string(1, 4, "4Z").unwrap();
        sheet.write_string(1, 5, "2").unwrap();
        sheet.write_string(1, 6, "2").unwrap();
        sheet.write_string(1, 7, "昨日").unwrap();
    });
    let mut r = register();
    let errors = import_err(&mut r, &bytes, &ImportOptions::default());
    let cells: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.cell.as_deref().unwrap(), e.asset.as_deref().unwrap()))
        .collect();
    assert_eq!(
        cells,
        [("台帳!E2", "住民記録データ"), ("台帳!H2", "住民記録データ")]
    );
}

#[test]
fn a_sheet_is_chosen_by_name_or_as_the_first_with_a_header() {
    let mut book = Workbook::new();
    book.add_worksheet()
        .set_name("表紙")
        .unwrap()
        .write_string(0, 0, "情報資産管理台帳")
        .unwrap();
    let sheet = book.add_worksheet().set_name("台帳 (2)").unwrap();
    for (col, header) in ["資産名", "種別", "所管", "機密性", "完全性", "可用性"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    for (col, value) in ["庁内LAN", "ア", "市長部局", "2", "2", "2"]
        .iter()
        .enumerate()
    {
        sheet.write_string(1, col as u16, *value).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let mut r = register();
    let mut options = ImportOptions::default();
    options.dry_run(true);
    assert_eq!(
        import(&mut r, &bytes, &options).sheet.as_deref(),
        Some("台帳 (2)")
    );
    options.sheet("台帳（２）");
    let report = import(&mut r, &bytes, &options);
    assert_eq!(report.sheet.as_deref(), Some("台帳 (2)"), "width folded");
    options.sheet("関連");
    let errors = import_err(&mut r, &bytes, &options);
    assert!(
        errors[0].reason.en.contains("表紙, 台帳 (2)"),
        "{}",
        errors[0].reason
    );
    options.sheet("表紙");
    let errors = import_err(&mut r, &bytes, &options);
    assert!(
        errors[0].reason.en.contains("no header row"),
        "{}",
        errors[0].reason
    );
    assert_eq!(errors[0].cell.as_deref(), Some("表紙!1:1"));
}

#[test]
fn an_old_binary_workbook_and_a_misnamed_csv_get_clear_messages() {
    let mut r = register();
    let mut xls = crate::sheet::xlsx::CFB_MAGIC.to_vec();
    xls.extend_from_slice(&[0; 504]);
    let errors = import_err(&mut r, &xls, &ImportOptions::default());
    assert!(errors[0].reason.en.contains(".xls"), "{}", errors[0].reason);
    assert!(
        errors[0].reason.en.contains(".xlsx"),
        "{}",
        errors[0].reason
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台帳.xlsx");
    std::fs::write(&path, "資産名,種別\r\n").unwrap();
    let err = r
        .import_paths(Some(&path), None, &ImportOptions::default())
        .unwrap_err();
    let Error::Import { errors, .. } = err else {
        panic!("{err}");
    };
    assert!(errors[0].reason.en.contains("zip"), "{}", errors[0].reason);
    let mut options = ImportOptions::default();
    options.sheet("台帳");
    let errors = import_err(&mut r, "資産名\r\n".as_bytes(), &options);
    assert!(errors[0].reason.en.contains("CSV"), "{}", errors[0].reason);
}

/// A register of three assets, one with an extra attribute, and a link.
fn sample() -> Register {
    let mut r = register();
    let sheet = "資産名,種別,所管,機密性,完全性,可用性,ネットワーク区分,個人情報,件数,点検日,備考,システム番号\r\n\
        住民基本台帳システム,ア,市長部局,3A,2,2,マイナンバー利用事務系,○,120000,2026-04-01,,S-01\r\n\
        住民記録データ,イ,市長部局,3A,2,2,マイナンバー利用事務系,○,120000,2026-04-01,\"=本番\n二行目\",\r\n\
        水道局ホームページ,ア,水道局,2,1,1,インターネット接続系,,,2026-04-02,,\r\n";
    r.import_assets(sheet.as_bytes(), &ImportOptions::default())
        .unwrap();
    let data = r.resolve("住民記録データ").unwrap();
    let system = r.resolve("住民基本台帳システム").unwrap();
    r.link(crate::model::Link {
        from: data.id,
        relation: crate::model::Relation::StoredOn,
        to: system.id,
        sanitization: None,
    })
    .unwrap();
    r
}

#[test]
fn an_exported_workbook_imports_unchanged_and_a_sections_edits_come_back_with_history() {
    let mut r = sample();
    let mut exported = Vec::new();
    let report = r
        .export_workbook(&mut exported, &Filter::default())
        .unwrap();
    assert_eq!((report.assets, report.links), (3, 1));
    let mut options = ImportOptions::default();
    options.links_sheet(LINKS_SHEET);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台帳.xlsx");
    std::fs::write(&path, &exported).unwrap();
    let again = r.import_paths(Some(&path), None, &options).unwrap();
    assert_eq!(again.assets.unchanged, 3, "{again:?}");
    assert_eq!(again.links.unchanged, 1);
    assert!(again.extra_columns.iter().all(|c| c == "システム番号"));

    // A section changes a level and a note in the workbook, as Excel would
    // save it: every cell as it reads, the derived columns left as they are.
    let mut book: calamine::Xlsx<_> =
        calamine::Reader::new(std::io::Cursor::new(exported.clone())).unwrap();
    let range = calamine::Reader::worksheet_range(&mut book, ASSETS_SHEET).unwrap();
    let headers: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut edited = Workbook::new();
    let sheet = edited.add_worksheet().set_name(ASSETS_SHEET).unwrap();
    for (row, cells) in range.rows().enumerate() {
        for (col, cell) in cells.iter().enumerate() {
            let text = match cell {
                calamine::Data::DateTime(d) => {
                    let days = d.as_f64() as i64;
                    jiff::civil::date(1899, 12, 30)
                        .checked_add(jiff::Span::new().days(days))
                        .unwrap()
                        .to_string()
                }
                other => other.to_string(),
            };
            sheet.write_string(row as u32, col as u16, text).unwrap();
        }
    }
    let water = range
        .rows()
        .position(|cells| cells[at("資産名")] == "水道局ホームページ")
        .unwrap() as u32;
    sheet
        .write_string(water, at("機密性") as u16, "3C")
        .unwrap();
    sheet
        .write_string(water, at("備考") as u16, "公開前の原稿を含む")
        .unwrap();
    let bytes = edited.save_to_buffer().unwrap();
    let report = import(&mut r, &bytes, &ImportOptions::default());
    assert_eq!((report.assets.updated, report.assets.unchanged), (1, 2));
    let changed: Vec<Column> = report.changes[0].columns.iter().map(|c| c.column).collect();
    assert_eq!(changed, [Column::Confidentiality, Column::Notes]);
    let asset = r.resolve("水道局ホームページ").unwrap();
    assert_eq!(asset.version, 2);
    assert_eq!(
        r.history(asset.id).unwrap().len(),
        2,
        "created, then updated"
    );

    // The same workbook again: the version it carries is now stale.
    let errors = import_err(&mut r, &bytes, &ImportOptions::default());
    assert_eq!(errors[0].column.as_deref(), Some("版"));
    assert!(errors[0].cell.as_deref().unwrap().starts_with("台帳!"));
}

#[test]
fn the_derived_columns_say_the_classification_and_its_restrictions() {
    let r = sample();
    let policy = r.policy();
    let system = r.resolve("住民基本台帳システム").unwrap();
    assert_eq!(
        super::workbook::classification_label(policy, &system),
        "【自治体機密性3A／完全性2／可用性2】"
    );
    let restrictions = super::workbook::required_restrictions(policy, &system);
    assert!(
        restrictions.contains(&"信頼のできるネットワーク回線の選択"),
        "networked"
    );
    assert!(
        !restrictions.iter().any(|r| r.contains("鍵付きケース")),
        "paper only: {restrictions:?}"
    );
}

#[test]
fn a_date_before_excels_first_is_written_as_text_and_reads_back() {
    let mut r = register();
    let sheet = "資産名,種別,所管,機密性,完全性,可用性,点検日\r\n\
        明治の公文書,ウ,市長部局,2,1,1,明治30年4月1日\r\n";
    r.import_assets(sheet.as_bytes(), &ImportOptions::default())
        .unwrap();
    let mut exported = Vec::new();
    r.export_workbook(&mut exported, &Filter::default())
        .unwrap();
    let again = import(&mut r, &exported, &ImportOptions::default());
    assert_eq!(again.assets.unchanged, 1, "{again:?}");
    let asset = r.resolve("明治の公文書").unwrap();
    assert_eq!(
        Column::ReviewedOn.cell(&asset).canonical_text().as_deref(),
        Some("1897-04-01")
    );
}
