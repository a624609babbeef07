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
    let mut register = crate::test_backend::register(&Policy::niigata()).unwrap();
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

    // A workbook saved with a password is in the same kind of container:
    // told by its stream EncryptionInfo, or by its name.
    let mut encrypted = crate::sheet::xlsx::CFB_MAGIC.to_vec();
    encrypted.extend_from_slice(&[0; 504]);
    let name: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    encrypted.extend_from_slice(&name);
    encrypted.extend_from_slice(&[0; 64]);
    let mut options = ImportOptions::default();
    for (lang, reason) in [(Lang::Ja, "パスワード"), (Lang::En, "password-protected")] {
        options.lang(lang);
        let errors = import_err(&mut r, &encrypted, &options);
        assert!(
            errors[0].reason.get(lang).contains(reason),
            "{}",
            errors[0].reason
        );
        assert!(
            !errors[0].reason.get(lang).contains(".xls)"),
            "{}",
            errors[0].reason
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("保護.xlsx");
    std::fs::write(&path, &xls).unwrap();
    let err = r
        .import_paths(Some(&path), None, &ImportOptions::default())
        .unwrap_err();
    let Error::Import { errors, .. } = err else {
        panic!("{err}");
    };
    assert!(
        errors[0].reason.ja.contains("パスワード"),
        "{}",
        errors[0].reason
    );

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
    // Excel keeps the workbook's defined names, daicho's mark among them.
    for (name, formula) in calamine::Reader::defined_names(&book) {
        if name == DERIVED_COLUMNS_NAME {
            edited.define_name(name, &format!("={formula}")).unwrap();
        }
    }
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

/// A workbook written by hand, for what `rust_xlsxwriter` cannot express:
/// sheet 台帳 with `rows` (its `<row>` elements) after the header row of
/// [`HEADER`], and the shared strings, styles and `<workbookPr>` given.
fn hand_workbook(
    rows: &str,
    shared: Option<&str>,
    styles: Option<&str>,
    date1904: bool,
) -> Vec<u8> {
    use std::io::Write as _;
    let header: String = HEADER
        .iter()
        .enumerate()
        .map(|(col, name)| inline(&crate::sheet::xlsx::address(0, col as u32), name))
        .collect();
    let mut files = vec![
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#.to_owned(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr{}/><sheets><sheet name="台帳" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
                if date1904 { r#" date1904="1""# } else { "" }
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.to_owned(),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">{header}</row>{rows}</sheetData></worksheet>"#
            ),
        ),
        (
            "xl/sharedStrings.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}</sst>"#,
                shared.unwrap_or("")
            ),
        ),
        (
            "xl/styles.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{}</styleSheet>"#,
                styles.unwrap_or(
                    r#"<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellXfs>"#
                )
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in files.drain(..) {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// An inline string cell.
fn inline(at: &str, text: &str) -> String {
    format!(r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

/// Row `row` (from 1) of sheet 台帳: an asset with a name, kind, body and
/// levels, then `more` cells.
fn asset_row(row: u32, name: &str, more: &str) -> String {
    let cells: String = [name, "イ", "市長部局", "3B", "2", "2"]
        .iter()
        .enumerate()
        .map(|(col, text)| inline(&crate::sheet::xlsx::address(row - 1, col as u32 + 1), text))
        .collect();
    format!(r#"<row r="{row}">{cells}{more}</row>"#)
}

#[test]
fn a_value_far_outside_the_data_is_refused_by_its_cell_without_reading_the_rectangle() {
    let far = workbook(|sheet| {
        for (col, value) in ["", "住民記録データ", "イ", "市長部局", "3B", "2", "2"]
            .iter()
            .enumerate()
        {
            sheet.write_string(1, col as u16, *value).unwrap();
        }
        sheet.write_string(1_048_575, 16_383, "x").unwrap();
    });
    assert!(far.len() < 10_000, "a small file: {}", far.len());
    let mut r = register();
    for (lang, reason) in [
        (Lang::Ja, "台帳!XFD1048576 に値があります"),
        (
            Lang::En,
            "台帳!XFD1048576 holds a value far outside the data",
        ),
    ] {
        let mut options = ImportOptions::default();
        options.lang(lang);
        let errors = import_err(&mut r, &far, &options);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].reason.get(lang).contains(reason),
            "{}",
            errors[0].reason
        );
    }
    // Far below the data, in a column of the header.
    let below = workbook(|sheet| {
        sheet.write_string(1, 1, "住民記録データ").unwrap();
        sheet.write_string(1_048_575, 1, "x").unwrap();
    });
    let errors = import_err(&mut r, &below, &ImportOptions::default());
    assert!(
        errors[0].reason.en.contains("台帳!B1048576"),
        "{}",
        errors[0].reason
    );
    // A city's own columns to the right, and blank rows between, are read.
    let wide = workbook(|sheet| {
        for (col, value) in ["", "住民記録データ", "イ", "市長部局", "3B", "2", "2"]
            .iter()
            .enumerate()
        {
            sheet.write_string(1, col as u16, *value).unwrap();
        }
        sheet.write_string(0, 40, "独自の列").unwrap();
        sheet.write_string(1, 40, "値").unwrap();
        for (col, value) in ["", "庁内LAN", "ア", "市長部局", "2", "2", "2"]
            .iter()
            .enumerate()
        {
            sheet.write_string(500, col as u16, *value).unwrap();
        }
    });
    let report = import(&mut r, &wide, &ImportOptions::default());
    assert_eq!(report.assets.created, 2, "{report:?}");
    assert_eq!(report.extra_columns, ["独自の列"]);
}

#[test]
fn a_formula_whose_result_is_the_empty_text_reads_as_an_empty_cell() {
    let rows = asset_row(
        2,
        "住民記録データ",
        r#"<c r="H2" t="str"><f>IF(1=1,"","x")</f><v></v></c>"#,
    );
    let mut r = register();
    let report = import(
        &mut r,
        &hand_workbook(&rows, None, None, false),
        &ImportOptions::default(),
    );
    assert_eq!(report.assets.created, 1, "{report:?}");
    assert_eq!(report.formula_cells, 1);
    let asset = r.resolve("住民記録データ").unwrap();
    assert_eq!(Column::ReviewedOn.cell(&asset).canonical_text(), None);
    // Without a `<v>`, the file holds no result.
    let rows = asset_row(3, "庁内LAN", r#"<c r="H3"><f>TODAY()</f></c>"#);
    let errors = import_err(
        &mut r,
        &hand_workbook(&rows, None, None, false),
        &ImportOptions::default(),
    );
    assert_eq!(errors[0].cell.as_deref(), Some("台帳!H3"));
    assert!(
        errors[0].reason.ja.contains("保存されていません"),
        "{}",
        errors[0].reason
    );
}

#[test]
fn a_merged_value_over_spare_blank_rows_leaves_them_blank() {
    let bytes = workbook(|sheet| {
        for (col, value) in ["", "住民記録データ", "イ", "", "3B", "2", "2"]
            .iter()
            .enumerate()
        {
            sheet.write_string(1, col as u16, *value).unwrap();
        }
        let format = rust_xlsxwriter::Format::new();
        sheet.merge_range(1, 3, 5, 3, "市長部局", &format).unwrap();
        // A row under the merged region with a value of its own is read,
        // with the merged value.
        for (col, value) in ["", "庁内LAN", "ア", "", "2", "2", "2"].iter().enumerate() {
            sheet.write_string(3, col as u16, *value).unwrap();
        }
    });
    let mut r = register();
    let report = import(&mut r, &bytes, &ImportOptions::default());
    assert_eq!(report.assets.created, 2, "{report:?}");
    assert_eq!(report.merged_cells, ["台帳!D2:D6"]);
    let lan = r.resolve("庁内LAN").unwrap();
    assert_eq!(lan.fields.organization.as_str(), "mayor");
}

#[test]
fn a_time_alone_is_not_a_date_in_1899() {
    let bytes = workbook(|sheet| {
        for (col, value) in ["", "住民記録データ", "イ", "市長部局", "3B", "2", "2"]
            .iter()
            .enumerate()
        {
            sheet.write_string(1, col as u16, *value).unwrap();
        }
        let time = ExcelDateTime::from_hms(9, 30, 0).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("h:mm");
        sheet
            .write_datetime_with_format(1, 7, &time, &format)
            .unwrap();
    });
    let mut r = register();
    let errors = import_err(&mut r, &bytes, &ImportOptions::default());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].cell.as_deref(), Some("台帳!H2"));
    assert_eq!(errors[0].value, "09:30:00");
}

#[test]
fn number_cells_read_as_excel_shows_them() {
    let bytes = workbook(|sheet| {
        let padded = rust_xlsxwriter::Format::new().set_num_format("00000");
        sheet
            .write_number_with_format(1, 0, 123.0, &padded)
            .unwrap();
        for (col, value) in ["住民記録データ", "イ", "市長部局", "3B", "2", "2"]
            .iter()
            .enumerate()
        {
            sheet.write_string(1, col as u16 + 1, *value).unwrap();
        }
        sheet.write_string(0, 8, "件数").unwrap();
        sheet
            .write_formula(
                1,
                8,
                Formula::new("=1000*1.2").set_result("1200.0000000000002"),
            )
            .unwrap();
        // Negative and very large numbers in a city's own columns.
        sheet.write_string(0, 9, "差分").unwrap();
        sheet.write_number(1, 9, -42.0).unwrap();
        sheet.write_string(0, 10, "容量").unwrap();
        sheet.write_number(1, 10, 1e20).unwrap();
        sheet.write_string(0, 11, "比率").unwrap();
        sheet.write_number(1, 11, -0.25).unwrap();
    });
    let mut r = register();
    let report = import(&mut r, &bytes, &ImportOptions::default());
    assert_eq!(report.assets.created, 1, "{report:?}");
    let asset = r.resolve("住民記録データ").unwrap();
    assert_eq!(asset.fields.asset_number.as_deref(), Some("00123"));
    assert_eq!(
        Column::RecordCount.cell(&asset).canonical_text().as_deref(),
        Some("1200")
    );
    let extra = |key: &str| asset.fields.extra.get(key).map(ToString::to_string);
    assert_eq!(extra("差分").as_deref(), Some("-42"));
    assert_eq!(extra("容量").as_deref(), Some("100000000000000000000"));
    assert_eq!(extra("比率").as_deref(), Some("-0.25"));
}

#[test]
fn a_1904_workbooks_dates_read_as_the_same_days() {
    // 2025-04-08 is serial 44293 in the 1904 system (45755 in the 1900 one).
    let styles = r#"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>"#;
    let rows = asset_row(2, "住民記録データ", r#"<c r="H2" s="1"><v>44293</v></c>"#);
    let mut r = register();
    let bytes = hand_workbook(&rows, None, Some(styles), true);
    let report = import(&mut r, &bytes, &ImportOptions::default());
    assert_eq!(report.assets.created, 1, "{report:?}");
    let asset = r.resolve("住民記録データ").unwrap();
    assert_eq!(
        Column::ReviewedOn.cell(&asset).canonical_text().as_deref(),
        Some("2025-04-08")
    );
    // The same serial in a 1900 workbook is another day.
    let mut r = register();
    import(
        &mut r,
        &hand_workbook(&rows, None, Some(styles), false),
        &ImportOptions::default(),
    );
    let asset = r.resolve("住民記録データ").unwrap();
    assert_eq!(
        Column::ReviewedOn.cell(&asset).canonical_text().as_deref(),
        Some("2021-04-07")
    );
}

#[test]
fn rich_text_and_furigana_read_as_the_text_shown() {
    // Runs of differently formatted text, and the phonetic guide (ふりがな)
    // Excel keeps beside a Japanese entry, which a cell does not show.
    let shared = r#"<si><r><t>住民</t></r><r><rPr><b/></rPr><t>記録データ</t></r><rPh sb="0" eb="2"><t>ジュウミン</t></rPh><phoneticPr fontId="0"/></si><si><t>市長部局</t><rPh sb="0" eb="2"><t>シチョウ</t></rPh><phoneticPr fontId="0"/></si>"#;
    let cells = [
        r#"<c r="B2" t="s"><v>0</v></c>"#,
        &inline("C2", "イ"),
        r#"<c r="D2" t="s"><v>1</v></c>"#,
        &inline("E2", "3B"),
        &inline("F2", "2"),
        &inline("G2", "2"),
    ]
    .concat();
    let rows = format!(r#"<row r="2">{cells}</row>"#);
    let mut r = register();
    let bytes = hand_workbook(&rows, Some(shared), None, false);
    let report = import(&mut r, &bytes, &ImportOptions::default());
    assert_eq!(report.assets.created, 1, "{report:?}");
    let asset = &r.assets(&all()).unwrap()[0];
    assert_eq!(asset.fields.name.as_str(), "住民記録データ");
    assert_eq!(asset.fields.organization.as_str(), "mayor");
}

#[test]
fn a_count_beyond_two_to_the_53_comes_back_exact() {
    let mut r = register();
    let sheet = "資産名,種別,所管,機密性,完全性,可用性,件数\r\n\
        大きな台帳,イ,市長部局,2,1,1,9007199254740993\r\n\
        ちょうど,イ,市長部局,2,1,1,9007199254740992\r\n\
        最大,イ,市長部局,2,1,1,9223372036854775807\r\n";
    r.import_assets(sheet.as_bytes(), &ImportOptions::default())
        .unwrap();
    let mut exported = Vec::new();
    r.export_workbook(&mut exported, &Filter::default())
        .unwrap();
    let again = import(&mut r, &exported, &ImportOptions::default());
    assert_eq!(again.assets.unchanged, 3, "{again:?}");
    for (name, count) in [
        ("大きな台帳", 9_007_199_254_740_993),
        ("ちょうど", 9_007_199_254_740_992),
        ("最大", i64::MAX as u64),
    ] {
        assert_eq!(r.resolve(name).unwrap().fields.record_count, Some(count));
    }
}

#[test]
fn a_citys_own_columns_named_like_the_derived_ones_are_kept() {
    // A city CSV with its own 取扱制限, and a workbook another tool wrote
    // with its own 分類表示: extra attributes, not dropped.
    let mut r = register();
    let sheet = "資産名,種別,所管,機密性,完全性,可用性,取扱制限\r\n\
        住民記録データ,イ,市長部局,3B,2,2,持出禁止\r\n";
    let report = import(&mut r, sheet.as_bytes(), &ImportOptions::default());
    assert_eq!(report.extra_columns, ["取扱制限"]);
    let bytes = workbook(|sheet| {
        sheet.write_string(0, 8, "分類表示").unwrap();
        for (col, value) in ["", "庁内LAN", "ア", "市長部局", "2", "2", "2", "", "機密"]
            .iter()
            .enumerate()
        {
            sheet.write_string(1, col as u16, *value).unwrap();
        }
    });
    let report = import(&mut r, &bytes, &ImportOptions::default());
    assert_eq!(report.extra_columns, ["分類表示"]);
    let extra = |r: &Register, name: &str, key: &str| {
        r.resolve(name)
            .unwrap()
            .fields
            .extra
            .get(key)
            .map(ToString::to_string)
    };
    assert_eq!(
        extra(&r, "住民記録データ", "取扱制限").as_deref(),
        Some("持出禁止")
    );
    assert_eq!(extra(&r, "庁内LAN", "分類表示").as_deref(), Some("機密"));

    // daicho's own workbook: its derived columns are passed over, and the
    // city's own 取扱制限 before them comes back unchanged.
    let mut exported = Vec::new();
    r.export_workbook(&mut exported, &Filter::default())
        .unwrap();
    let again = import(&mut r, &exported, &ImportOptions::default());
    assert_eq!(again.assets.unchanged, 2, "{again:?}");
    assert_eq!(
        extra(&r, "住民記録データ", "取扱制限").as_deref(),
        Some("持出禁止")
    );
}

#[test]
fn daichos_own_workbook_brings_its_links_without_being_told_the_sheet() {
    let mut r = sample();
    let mut exported = Vec::new();
    r.export_workbook(&mut exported, &Filter::default())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("台帳.xlsx");
    std::fs::write(&path, &exported).unwrap();
    let report = r
        .import_paths(Some(&path), None, &ImportOptions::default())
        .unwrap();
    assert_eq!(report.links_sheet.as_deref(), Some(LINKS_SHEET));
    assert_eq!((report.assets.unchanged, report.links.unchanged), (3, 1));
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);

    // A sheet 関連 of the city's own, without a link header: passed over,
    // with a warning.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name(ASSETS_SHEET).unwrap();
    for (row, cells) in [
        ["資産名", "種別", "所管", "機密性", "完全性", "可用性"],
        ["庁内LAN", "ア", "市長部局", "2", "2", "2"],
    ]
    .iter()
    .enumerate()
    {
        for (col, cell) in cells.iter().enumerate() {
            sheet.write_string(row as u32, col as u16, *cell).unwrap();
        }
    }
    let own = book.add_worksheet().set_name(LINKS_SHEET).unwrap();
    own.write_string(0, 0, "関係部署の連絡先").unwrap();
    std::fs::write(&path, book.save_to_buffer().unwrap()).unwrap();
    let mut options = ImportOptions::default();
    options.lang(Lang::En);
    let report = r.import_paths(Some(&path), None, &options).unwrap();
    assert_eq!(report.assets.created, 1, "{report:?}");
    assert_eq!(report.links_sheet, None);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(
        report.warnings[0]
            .reason
            .en
            .contains("sheet 関連 has no link header row"),
        "{}",
        report.warnings[0].reason
    );
    assert_eq!(report.warnings[0].cell.as_deref(), Some("関連!1:1"));
}
