use std::fmt::Write as _;
use std::path::PathBuf;

use super::*;
use crate::model::AssetId;
use crate::policy::Policy;
use crate::query::{Disposed, Filter};
use crate::register::Register;

fn register() -> Register {
    let mut register = crate::test_backend::register(&Policy::niigata()).unwrap();
    register.set_actor("tester").unwrap();
    register
}

fn example(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/inventory")
        .join(file)
}

fn fixture(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src/sheet/fixtures")
        .join(file)
}

fn options() -> ImportOptions {
    ImportOptions::default()
}

/// The audit entries of changes: all of them less the register's first,
/// `init`, entry.
fn audit_entries(register: &Register) -> u64 {
    register.verify().unwrap().chain.entries - 1
}

fn all() -> Filter {
    Filter {
        disposed: Disposed::Include,
        ..Filter::default()
    }
}

fn export(register: &Register, headers: Headers) -> Vec<u8> {
    let mut out = Vec::new();
    let mut options = ExportOptions::default();
    options.headers(headers);
    register.export_assets(&mut out, &all(), &options).unwrap();
    out
}

/// A minimal sheet: the required columns, then `extra_header`, then rows.
fn sheet(extra_header: &str, rows: &[&str]) -> String {
    let mut text =
        format!("name,kind,organization,confidentiality,integrity,availability{extra_header}\r\n");
    for row in rows {
        text.push_str(row);
        text.push_str("\r\n");
    }
    text
}

fn import_err(register: &mut Register, text: &str) -> (Vec<RowError>, usize) {
    match register.import_assets(text.as_bytes(), &options()) {
        Err(Error::Import { errors, total, .. }) => (errors, total),
        other => panic!("expected an import error, got {other:?}"),
    }
}

#[test]
fn the_example_sheet_imports_and_reimporting_it_changes_nothing() {
    let mut r = register();
    let report = r
        .import_paths(
            Some(&example("assets.csv")),
            Some(&example("links.csv")),
            &options(),
        )
        .unwrap();
    assert_eq!(report.assets.created, 71, "{report:?}");
    assert_eq!(report.links.created, 63);
    assert_eq!(report.encoding, Some(Encoding::Utf8Bom));
    assert_eq!(audit_entries(&r), 71 + 63);
    assert!(r.verify().unwrap().is_ok());

    let again = r
        .import_paths(
            Some(&example("assets.csv")),
            Some(&example("links.csv")),
            &options(),
        )
        .unwrap();
    assert_eq!(again.assets.unchanged, 71);
    assert_eq!(again.links.unchanged, 63);
    assert_eq!(audit_entries(&r), 71 + 63);

    let water = r.resolve("水道料金システム").unwrap();
    assert_eq!(water.fields.organization.as_str(), "waterworks");
    let notes = r
        .resolve("住民基本台帳システム")
        .unwrap()
        .fields
        .notes
        .unwrap();
    assert!(notes.contains("\"MINATO-JUKI v5\""), "{notes}");
}

#[test]
fn export_import_export_gives_the_same_bytes() {
    let mut r = register();
    r.import_paths(Some(&example("assets.csv")), None, &options())
        .unwrap();
    for headers in [Headers::En, Headers::Ja] {
        let first = export(&r, headers);
        assert!(first.starts_with(b"\xEF\xBB\xBF"));
        let report = r.import_assets(first.as_slice(), &options()).unwrap();
        assert_eq!(report.assets.unchanged, 71);
        assert_eq!(export(&r, headers), first);

        // Into a fresh register: the same bytes again.
        let mut fresh = register();
        let report = fresh.import_assets(first.as_slice(), &options()).unwrap();
        assert_eq!(report.assets.created, 71);
        assert_eq!(export(&fresh, headers), first);
    }
    let text = String::from_utf8(export(&r, Headers::Ja)).unwrap();
    let header = text.lines().next().unwrap().trim_start_matches('\u{feff}');
    assert_eq!(header, ASSET_HEADERS_JA.join(","));
    assert!(text.contains("\r\n"));
}

#[test]
fn every_encoding_fixture_imports_the_same_assets() {
    let mut expected = None;
    for (file, encoding) in [
        ("assets-cp932.csv", Encoding::Cp932),
        ("assets-utf8-bom.csv", Encoding::Utf8Bom),
        ("assets-utf8.csv", Encoding::Utf8),
        ("assets-utf16le.csv", Encoding::Utf16Le),
    ] {
        let mut r = register();
        let report = r.import_assets_path(fixture(file), &options()).unwrap();
        assert_eq!(report.encoding, Some(encoding), "{file}");
        assert_eq!(report.assets.created, 3, "{file}");
        assert_eq!(report.extra_columns, ["調達年度"]);
        let exported = export(&r, Headers::En);
        // Ids of new rows differ; compare the rest of each row.
        let rows: Vec<String> = String::from_utf8(exported)
            .unwrap()
            .split("\r\n")
            .map(|row| row.split_once(',').map_or(row, |(_, rest)| rest).to_owned())
            .collect();
        match &expected {
            None => expected = Some(rows),
            Some(expected) => assert_eq!(&rows, expected, "{file}"),
        }
    }
    let mut r = register();
    r.import_assets_path(fixture("assets-cp932.csv"), &options())
        .unwrap();
    let juki = r.resolve("住民基本台帳システム").unwrap();
    let f = &juki.fields;
    assert_eq!(f.record_count, Some(312_540));
    assert_eq!(f.manager.as_deref(), Some("高橋　由美子"));
    assert_eq!(
        f.location.as_deref(),
        Some("本庁舎５階 電算室"),
        "free text is not NFKC'd"
    );
    assert_eq!(
        f.hosting.as_ref().and_then(|h| h.provider.as_deref()),
        Some("㈱みなと情報サービス")
    );
    assert_eq!(
        f.notes.as_deref(),
        Some("保守は①平日②休日で別契約\n障害時は4時間以内に復旧")
    );
    assert_eq!(
        f.reviewed_on.map(|d| d.to_string()).as_deref(),
        Some("2025-04-08")
    );
    assert!(f.personal_data.personal && f.personal_data.my_number && !f.personal_data.sensitive);
    assert_eq!(f.extra.get("調達年度"), Some("令和5年度"));
}

#[test]
fn forcing_the_wrong_encoding_reports_the_line() {
    let mut r = register();
    let mut options = options();
    options.encoding(Encoding::Utf8);
    let err = r
        .import_assets_path(fixture("assets-cp932.csv"), &options)
        .unwrap_err();
    let Error::Import { errors, .. } = err else {
        panic!("{err}")
    };
    assert!(
        errors[0].reason.en.contains("not valid utf-8"),
        "{:?}",
        errors[0]
    );
}

#[track_caller]
fn check_date(cell: &str, expected: &str) {
    let mut r = register();
    let text = sheet(",reviewed_on", &[&format!("資産,ア,mayor,2,1,1,{cell}")]);
    match r.import_assets(text.as_bytes(), &options()) {
        Ok(report) => {
            let asset = r.resolve("資産").unwrap();
            let mut got = asset.fields.reviewed_on.unwrap().to_string();
            if let Some(warning) = report.warnings.first() {
                got.push_str(" warning: ");
                got.push_str(&warning.reason.en);
            }
            assert_eq!(got, expected, "cell {cell:?}");
        }
        Err(Error::Import { errors, .. }) => {
            assert_eq!(
                format!("error: {}", errors[0].reason),
                expected,
                "cell {cell:?}"
            );
            assert_eq!(errors[0].column.as_deref(), Some("reviewed_on"));
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn dates_in_every_form() {
    check_date("2025-04-08", "2025-04-08");
    check_date("2025/4/8", "2025-04-08");
    check_date("令和7年4月8日", "2025-04-08");
    check_date("令和元年5月1日", "2019-05-01");
    check_date("R7.4.8", "2025-04-08");
    check_date("R07.04.08", "2025-04-08");
    check_date("H31/4/30", "2019-04-30");
    check_date("令7.4.8", "2025-04-08");
    check_date("令和７年４月８日", "2025-04-08");
    check_date("Ｒ７．４．８", "2025-04-08");
    check_date("㋿7年4月8日", "2025-04-08");
    check_date("㍻31年4月30日", "2019-04-30");
    check_date("㍼64年1月7日", "1989-01-07");
    check_date("平成元年1月8日", "1989-01-08");
    check_date("昭和64年1月7日", "1989-01-07");
    check_date("㍽15年1月1日", "1926-01-01");
    check_date("㍾45年7月29日", "1912-07-29");
    check_date(
        "平成1年1月7日",
        "error: `平成1年1月7日` is before the 平成 era began on 1989-01-08; 1989-01-07 is 昭和64年1月7日",
    );
    check_date(
        "平成32年1月1日",
        "2020-01-01 warning: 平成32年 is after the 平成 era ended on 2019-04-30; read as the year 2020",
    );
    check_date(
        "令和元年4月30日",
        "error: `令和元年4月30日` is before the 令和 era began on 2019-05-01; 2019-04-30 is 平成31年4月30日",
    );
}

#[test]
fn headers_are_matched_by_alias_after_nfkc() {
    let mut r = register();
    let text = "情報資産名,種別,組織,機密性,完全性,可用性,管理者,ＩＤ,件数（人）,備考\r\n\
                住民記録,イ,市長部局,自治体機密性3B,完全性2,可用性2,山田,,１，２３４,メモ\r\n";
    let report = r.import_assets(text.as_bytes(), &options()).unwrap();
    assert_eq!(report.assets.created, 1);
    assert!(
        report.extra_columns.is_empty(),
        "{:?}",
        report.extra_columns
    );
    let asset = r.resolve("住民記録").unwrap();
    assert_eq!(asset.fields.manager.as_deref(), Some("山田"));
    assert_eq!(asset.fields.record_count, Some(1234));
}

#[test]
fn a_missing_required_column_is_one_clear_error() {
    let mut r = register();
    let (errors, total) = import_err(&mut r, "資産名,種別\r\n住民記録,イ\r\n");
    assert_eq!(total, 1);
    assert_eq!(errors[0].line, 1);
    assert_eq!(
        errors[0].reason.en,
        "the header lacks the required columns organization (所管), confidentiality (機密性), \
         integrity (完全性), availability (可用性)"
    );
    assert_eq!(
        errors[0].reason.ja,
        "見出しに必須の列 所管（organization）、機密性（confidentiality）、\
         完全性（integrity）、可用性（availability）がありません"
    );
}

#[test]
fn strict_refuses_unknown_columns() {
    let mut r = register();
    let text = sheet(",調達年度", &["資産,ア,mayor,2,1,1,R5"]);
    let mut strict = options();
    strict.strict(true);
    let err = r.import_assets(text.as_bytes(), &strict).unwrap_err();
    assert!(err.to_string().contains("調達年度"), "{err}");
    let report = r.import_assets(text.as_bytes(), &options()).unwrap();
    assert_eq!(report.extra_columns, ["調達年度"]);
}

#[test]
fn quoted_line_breaks_commas_and_quotes_survive() {
    let mut r = register();
    let text = sheet(
        ",notes",
        &["資産,ア,mayor,2,1,1,\"一行目\n二行目, \"\"引用\"\"\r\n三行目\""],
    );
    r.import_assets(text.as_bytes(), &options()).unwrap();
    let notes = r.resolve("資産").unwrap().fields.notes.unwrap();
    assert_eq!(notes, "一行目\n二行目, \"引用\"\r\n三行目");
    let first = export(&r, Headers::En);
    r.import_assets(first.as_slice(), &options()).unwrap();
    assert_eq!(export(&r, Headers::En), first);
}

#[test]
fn formulas_are_neutralized_on_export_and_restored_on_import() {
    let cases = [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+81-25-000", "'+81-25-000"),
        ("-5 件", "'-5 件"),
        ("@cmd", "'@cmd"),
        ("\tタブ", "'\tタブ"),
        ("'=x", "''=x"),
        ("''@y", "'''@y"),
        ("'quoted'", "'quoted'"),
        ("a=b", "a=b"),
    ];
    let mut r = register();
    let mut text = sheet(",notes", &[]);
    for (i, (notes, _)) in cases.iter().enumerate() {
        // An exported sheet has each value neutralized; import that.
        let quoted = if crate::sheet::reader::needs_neutralizing(notes) {
            format!("'{notes}")
        } else {
            (*notes).to_owned()
        };
        let _ = write!(text, "資産{i},ア,mayor,2,1,1,{quoted}\r\n");
    }
    r.import_assets(text.as_bytes(), &options()).unwrap();
    for (i, (notes, _)) in cases.iter().enumerate() {
        let asset = r.resolve(&format!("資産{i}")).unwrap();
        assert_eq!(asset.fields.notes.as_deref(), Some(*notes));
    }
    let exported = String::from_utf8(export(&r, Headers::En)).unwrap();
    for (notes, cell) in cases {
        assert!(
            exported.contains(&format!(",{cell},")),
            "{notes:?} → {cell:?} in {exported}"
        );
    }
    // A name starting with `=` is neutralized too.
    let text = sheet("", &["'=HYPERLINK(1),ア,mayor,2,1,1"]);
    r.import_assets(text.as_bytes(), &options()).unwrap();
    assert!(r.resolve("=HYPERLINK(1)").is_ok());
}

#[test]
fn ten_thousand_rows_with_one_bad_row_write_nothing() {
    let mut r = register();
    let mut text = sheet(",reviewed_on", &[]);
    for i in 0..10_000 {
        let date = if i == 6_789 {
            "令和7年2月30日"
        } else {
            "R7.4.1"
        };
        let _ = write!(text, "資産{i},イ,市長部局,3B,2,2,{date}\r\n");
    }
    let (errors, total) = import_err(&mut r, &text);
    assert_eq!(total, 1);
    assert_eq!(errors[0].line, 6_789 + 2);
    assert_eq!(errors[0].column.as_deref(), Some("reviewed_on"));
    assert_eq!(errors[0].value, "令和7年2月30日");
    assert_eq!(r.assets(&all()).unwrap().len(), 0);
    assert_eq!(audit_entries(&r), 0);
}

#[test]
fn every_error_is_reported_and_the_count_is_never_capped() {
    let mut r = register();
    let mut text = sheet(",record_count", &[]);
    for i in 0..1_500 {
        let _ = write!(text, "資産{i},エ,市長部局,3B,2,2,約{i}件\r\n");
    }
    let err = r.import_assets(text.as_bytes(), &options()).unwrap_err();
    let Error::Import { errors, total, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*total, 3_000);
    assert_eq!(errors.len(), MAX_STORED_ISSUES);
    assert_eq!(errors[0].column.as_deref(), Some("kind"));
    assert_eq!(errors[1].column.as_deref(), Some("record_count"));
    let message = err.to_string();
    assert!(
        message.starts_with("failed to import `assets`: 3000 errors, nothing was written\n  assets row 2 (`資産0`), column `kind`, value `エ`: not a known kind"),
        "{message}"
    );
    assert!(message.ends_with("... and 2997 more"), "{message}");
}

#[test]
fn dry_run_classifies_rows_and_writes_nothing() {
    let mut r = register();
    let text = sheet(
        ",id,manager",
        &["資産A,ア,mayor,2,1,1,,山田", "資産B,ア,mayor,2,1,1,,山田"],
    );
    r.import_assets(text.as_bytes(), &options()).unwrap();
    let before = export(&r, Headers::En);
    let ids: Vec<AssetId> = r.assets(&all()).unwrap().iter().map(|a| a.id).collect();
    let exported = String::from_utf8(before.clone()).unwrap();
    assert!(exported.contains(",資産B,mayor,,山田,"), "{exported}");
    let changed = format!(
        "{}\r\n,,network_system,資産C,mayor,,佐藤,2,1,1\r\n",
        exported
            .trim_end()
            .replacen(",資産B,mayor,,山田,", ",資産B,mayor,,佐藤,", 1)
    );
    let mut dry = options();
    dry.dry_run(true).row_outcomes(true);
    // The exported sheet has more columns; the id column drives the upsert.
    let report = r.import_assets(changed.as_bytes(), &dry).unwrap();
    assert!(report.dry_run);
    assert_eq!(
        report.assets,
        Counts {
            created: 1,
            updated: 1,
            unchanged: 1
        }
    );
    assert_eq!(report.rows.len(), 3);
    assert_eq!(report.rows[1].id, ids[1]);
    assert_eq!(report.rows[1].outcome, Outcome::Updated);
    assert_eq!(export(&r, Headers::En), before);
    assert_eq!(audit_entries(&r), 2);
}

#[test]
fn upsert_writes_an_audit_entry_only_for_changed_rows() {
    let mut r = register();
    r.import_paths(Some(&example("assets.csv")), None, &options())
        .unwrap();
    let entries = audit_entries(&r);
    let text = std::fs::read_to_string(example("assets.csv")).unwrap();
    let edited = text.replacen("佐藤 健一", "佐藤 健二", 1);
    let report = r.import_assets(edited.as_bytes(), &options()).unwrap();
    assert_eq!(
        report.assets,
        Counts {
            created: 0,
            updated: 1,
            unchanged: 70
        }
    );
    assert_eq!(audit_entries(&r), entries + 1);
    let net = r.resolve("マイナンバー利用事務系ネットワーク").unwrap();
    assert_eq!(net.version, 2);
    assert_eq!(net.fields.manager.as_deref(), Some("佐藤 健二"));
    let history = r.history(net.id).unwrap();
    assert_eq!(
        history.last().map(|e| e.action),
        Some(crate::Action::Update)
    );
}

#[test]
fn a_sheet_without_some_columns_keeps_the_other_fields() {
    let mut r = register();
    r.import_paths(Some(&example("assets.csv")), None, &options())
        .unwrap();
    let juki = r.resolve("住民基本台帳システム").unwrap();
    let text = format!(
        "資産ID,資産名,種別,所管,機密性,完全性,可用性\r\n{},住民基本台帳システム,ア,市長部局,3B,2,2\r\n",
        juki.id
    );
    let report = r.import_assets(text.as_bytes(), &options()).unwrap();
    assert_eq!(report.assets.unchanged, 1);
    assert_eq!(r.get(juki.id).unwrap(), juki);
}

#[test]
fn the_same_id_twice_names_both_lines() {
    let mut r = register();
    let id = AssetId::generate();
    let text = sheet(
        ",id",
        &[
            &format!("A,ア,mayor,2,1,1,{id}"),
            "B,ア,mayor,2,1,1,",
            &format!("C,ア,mayor,2,1,1,{id}"),
        ],
    );
    let (errors, _) = import_err(&mut r, &text);
    assert_eq!(errors[0].line, 4);
    assert!(
        errors[0].reason.en.contains("row 2"),
        "{}",
        errors[0].reason
    );
}

#[test]
fn a_stale_version_is_a_conflict() {
    let mut r = register();
    r.import_assets(sheet("", &["A,ア,mayor,2,1,1"]).as_bytes(), &options())
        .unwrap();
    let sheet_v1 = export(&r, Headers::En);
    let edited = String::from_utf8(sheet_v1.clone())
        .unwrap()
        .replace(",mayor,,", ",mayor,情報政策課,");
    r.import_assets(edited.as_bytes(), &options()).unwrap();
    // The v1 sheet, edited elsewhere, comes back: refused.
    let other = String::from_utf8(sheet_v1)
        .unwrap()
        .replace(",mayor,,", ",mayor,総務課,");
    let (errors, _) = import_err(&mut r, &other);
    assert_eq!(errors[0].column.as_deref(), Some("version"));
    assert!(
        errors[0].reason.en.contains("version 1, the register 2"),
        "{}",
        errors[0].reason
    );
}

#[test]
fn cp932_export_reports_or_replaces_unencodable_characters() {
    let mut r = register();
    r.import_assets(
        sheet(",notes", &["𠮷野家の帳簿,イ,mayor,2,1,1,①㈱ 〜"]).as_bytes(),
        &options(),
    )
    .unwrap();
    let mut cp932 = ExportOptions::default();
    cp932.encoding(Encoding::Cp932);
    let err = r.export_assets(Vec::new(), &all(), &cp932).unwrap_err();
    assert_eq!(
        err.to_string(),
        "row 1, column `name`: `𠮷` (U+20BB7) cannot be written in cp932; choose UTF-8 or replace it"
    );
    cp932.replace_unencodable(true);
    let mut out = Vec::new();
    let report = r.export_assets(&mut out, &all(), &cp932).unwrap();
    // 𠮷 becomes `?`; the wave dash becomes the fullwidth tilde Windows uses.
    assert_eq!(report.replaced, 2);
    let (text, _, malformed) = encoding_rs::SHIFT_JIS.decode(&out);
    assert!(!malformed);
    assert!(text.contains("?野家の帳簿"), "{text}");
    assert!(text.contains("①㈱ ～"), "{text}");
    // And a CP932 export imports again without flags.
    let mut fresh = register();
    let report = fresh.import_assets(out.as_slice(), &options()).unwrap();
    assert_eq!(report.encoding, Some(Encoding::Cp932));
}

#[test]
fn links_resolve_names_and_report_bad_rows() {
    let mut r = register();
    r.import_paths(Some(&example("assets.csv")), None, &options())
        .unwrap();
    let links = "from,relation,to,sanitization\r\n\
                 住民記録データ,stored_on,住民基本台帳システム,\r\n\
                 住民記録データ,stored_on,存在しないシステム,\r\n\
                 住民基本台帳システム,describes,住民記録データ,\r\n\
                 住民記録データ,保存先,住民基本台帳システム,\r\n";
    let err = r.import_links(links.as_bytes(), &options()).unwrap_err();
    let Error::Import { errors, total, .. } = err else {
        panic!()
    };
    assert_eq!(total, 3, "{errors:#?}");
    assert_eq!(
        (errors[0].line, errors[0].column.as_deref()),
        (3, Some("to"))
    );
    assert_eq!(
        (errors[1].line, errors[1].column.as_deref()),
        (4, Some("relation"))
    );
    assert!(errors[2].reason.en.contains("row 2"), "{:?}", errors[2]);
    assert_eq!(r.links().unwrap().len(), 0);

    let mut out = Vec::new();
    r.import_links_path(example("links.csv"), &options())
        .unwrap();
    r.export_links(&mut out, &ExportOptions::default()).unwrap();
    let report = r.import_links(out.as_slice(), &options()).unwrap();
    assert_eq!(report.links.unchanged, 63);
}

#[test]
fn progress_is_reported() {
    use std::sync::{Arc, Mutex};
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&events);
    let mut options = options();
    options.progress(move |event| seen.lock().unwrap().push(event));
    let mut r = register();
    r.import_assets_path(example("assets.csv"), &options)
        .unwrap();
    let events = events.lock().unwrap();
    let size = std::fs::metadata(example("assets.csv")).unwrap().len();
    assert_eq!(
        events.first(),
        Some(&Progress::Start {
            total_bytes: Some(size),
            total_rows: None
        })
    );
    assert_eq!(events.last(), Some(&Progress::Finish));
    assert!(events.contains(&Progress::Advance {
        rows: 71,
        bytes: size
    }));
}

#[test]
fn garbage_never_panics() {
    let inputs: [&[u8]; 8] = [
        b"",
        b"\xEF\xBB\xBF",
        b"\xFF\xFE",
        b"\xFF\xFE\x00",
        b"name\n\"unterminated",
        b"\x82\xa0\x82\xa2,\xff\xff\n\x80",
        b"name,kind,organization,confidentiality,integrity,availability\n,,,,,\n\x00,\x01,,,,,,,,\n",
        b"id,id\n1,2\n",
    ];
    for input in inputs {
        let mut r = register();
        let _ = r.import_assets(input, &options());
        let _ = r.import_links(input, &options());
        assert_eq!(r.assets(&all()).unwrap().len(), 0);
    }
}

#[test]
fn line_numbers_are_the_same_for_lf_crlf_blank_lines_and_line_breaks_in_cells() {
    for ending in ["\n", "\r\n"] {
        let text = [
            "name,kind,organization,confidentiality,integrity,availability,notes",
            "A,ア,mayor,2,1,1,\"two",
            "lines\"",
            "",
            "B,エ,mayor,2,1,1,",
            "C,ア,mayor,2,1,1,\"last\"",
            "D,ウ,mayor,9,1,1,",
        ]
        .join(ending);
        for text in [text.clone(), format!("{text}{ending}")] {
            let mut r = register();
            let (errors, total) = import_err(&mut r, &text);
            assert_eq!(total, 2, "{errors:?}");
            assert_eq!(
                (errors[0].line, errors[1].line),
                (5, 7),
                "{ending:?} {text:?}"
            );
        }
    }
}

#[test]
fn a_bulk_import_into_an_empty_register_file_returns_to_wal_and_rolls_back_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let mut r = Register::create(&path, &Policy::niigata()).unwrap();
    let journal = |r: &Register| -> String { r.db().journal_mode().unwrap() };
    // A bad row: the bulk import rolls back, and the file is in WAL mode again.
    let mut text = sheet("", &[]);
    for i in 0..2_000 {
        let kind = if i == 1_999 { "エ" } else { "ア" };
        let _ = write!(text, "資産{i},{kind},mayor,2,1,1\r\n");
    }
    let (errors, _) = import_err(&mut r, &text);
    assert_eq!(errors[0].line, 2_001);
    assert_eq!(journal(&r), "wal");
    assert_eq!(r.assets(&all()).unwrap().len(), 0);
    assert!(r.verify().unwrap().is_ok());

    let good = text.replace(",エ,", ",ア,");
    r.import_assets(good.as_bytes(), &options()).unwrap();
    assert_eq!(journal(&r), "wal");
    drop(r);
    let r = Register::open(&path).unwrap();
    assert_eq!(r.assets(&all()).unwrap().len(), 2_000);
    assert_eq!(audit_entries(&r), 2_000);
    assert!(r.verify().unwrap().is_ok());

    // With a second connection open, the import stays in WAL mode and works.
    let mut fresh = Register::create(dir.path().join("s.db"), &Policy::niigata()).unwrap();
    let other = Register::open(dir.path().join("s.db")).unwrap();
    fresh.import_assets(good.as_bytes(), &options()).unwrap();
    assert_eq!(other.assets(&all()).unwrap().len(), 2_000);
    assert_eq!(journal(&fresh), "wal");
}

#[test]
fn extra_columns_are_exported_in_first_seen_order_and_filters_apply() {
    let mut r = register();
    r.import_assets(
        sheet(",調達年度", &["A,ア,mayor,2,1,1,R5"]).as_bytes(),
        &options(),
    )
    .unwrap();
    r.import_assets(
        sheet(
            ",係,調達年度,端末台数",
            &["B,イ,fire,2,1,1,情報係,,12", "C,ア,fire,2,1,1,,R6,"],
        )
        .as_bytes(),
        &options(),
    )
    .unwrap();
    let text = String::from_utf8(export(&r, Headers::En)).unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.ends_with(",version,調達年度,係,端末台数"),
        "{header}"
    );
    assert!(text.contains(",1,R5,,\r\n"), "{text}");
    assert!(text.contains(",1,,情報係,12\r\n"), "{text}");

    let fire = Filter {
        organization: Some(r.policy().organization("消防局").unwrap().code.clone()),
        ..all()
    };
    let mut out = Vec::new();
    let report = r
        .export_assets(&mut out, &fire, &ExportOptions::default())
        .unwrap();
    assert_eq!(report.rows, 2);
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with(",version,係,端末台数,調達年度"),
        "{text}"
    );
}

#[test]
fn a_sheet_can_dispose_of_an_asset_and_then_not_change_it() {
    let mut r = register();
    r.import_assets(
        sheet(
            ",id,disposed_on,disposed_by,disposal_method",
            &["HDD,ア,mayor,2,1,1,,,,"],
        )
        .as_bytes(),
        &options(),
    )
    .unwrap();
    let hdd = r.resolve("HDD").unwrap();
    let disposing = sheet(
        ",id,disposed_on,disposed_by,disposal_method",
        &[&format!(
            "HDD,ア,mayor,2,1,1,{},令和8年3月31日,岡田 亮,物理破壊",
            hdd.id
        )],
    );
    let report = r.import_assets(disposing.as_bytes(), &options()).unwrap();
    assert_eq!(report.assets.updated, 1);
    let history = r.history(hdd.id).unwrap();
    assert_eq!(
        history.last().map(|e| e.action),
        Some(crate::Action::Dispose)
    );
    assert_eq!(
        r.get(hdd.id)
            .unwrap()
            .fields
            .disposal
            .map(|d| d.date.to_string()),
        Some("2026-03-31".to_owned())
    );
    // The same sheet again changes nothing; a changed disposed asset is refused.
    assert_eq!(
        r.import_assets(disposing.as_bytes(), &options())
            .unwrap()
            .assets
            .unchanged,
        1
    );
    let renamed = disposing.replace("HDD,", "旧HDD,");
    let (errors, _) = import_err(&mut r, &renamed);
    assert!(
        errors[0]
            .reason
            .en
            .contains("was disposed of on 2026-03-31"),
        "{errors:?}"
    );
    // A disposal detail without its date is an error.
    let (errors, _) = import_err(
        &mut r,
        &sheet(",disposed_by", &["新HDD,ア,mayor,2,1,1,岡田 亮"]),
    );
    assert_eq!(errors[0].column.as_deref(), Some("disposed_on"));
}

#[test]
fn a_link_sheet_may_change_a_sanitization() {
    let mut r = register();
    let assets = sheet(
        ",segment",
        &[
            "メール中継,ア,mayor,2,1,1,internet",
            "LGWANメール,ア,mayor,2,1,1,lgwan",
        ],
    );
    let links = "from,relation,to,sanitization\r\nメール中継,transfers_to,LGWANメール,none\r\n";
    let report = r
        .import_assets_and_links(assets.as_bytes(), links.as_bytes(), &options())
        .unwrap();
    assert_eq!((report.assets.created, report.links.created), (2, 1));
    let fixed = links.replace(",none", ",テキスト化");
    let report = r.import_links(fixed.as_bytes(), &options()).unwrap();
    assert_eq!(report.links.updated, 1);
    assert_eq!(
        r.links().unwrap()[0].sanitization,
        Some(crate::model::Sanitization::TextConversion)
    );
    assert_eq!(audit_entries(&r), 4);
    // A sanitization on a relation that carries none is refused.
    let wrong = "from,relation,to,sanitization\r\nメール中継,connects_to,LGWANメール,画面転送\r\n";
    let (errors, _) = match r.import_links(wrong.as_bytes(), &options()) {
        Err(Error::Import { errors, total, .. }) => (errors, total),
        other => panic!("{other:?}"),
    };
    assert_eq!(errors[0].column.as_deref(), Some("sanitization"));
}

#[test]
fn duplicate_ids_are_found_past_the_in_memory_limit() {
    let mut r = register();
    let ids: Vec<AssetId> = (0..300).map(|_| AssetId::generate()).collect();
    let mut text = sheet(",id", &[]);
    for (i, id) in ids.iter().enumerate() {
        let id = match i {
            120 => ids[10],
            250 => ids[150],
            _ => *id,
        };
        let _ = write!(text, "資産{i},ア,mayor,2,1,1,{id}\r\n");
    }
    let (errors, total) = import_err(&mut r, &text);
    assert_eq!(total, 2, "{errors:?}");
    assert_eq!(errors[0].line, 122);
    assert!(errors[0].reason.en.contains("row 12;"), "{:?}", errors[0]);
    assert_eq!(errors[1].line, 252);
    assert!(errors[1].reason.en.contains("row 152;"), "{:?}", errors[1]);

    // Without duplicates, all 300 import, and again all are unchanged.
    let text = text
        .replacen(&ids[10].to_string(), &ids[120].to_string(), 2)
        .replace(
            &format!("資産10,ア,mayor,2,1,1,{}", ids[120]),
            &format!("資産10,ア,mayor,2,1,1,{}", ids[10]),
        )
        .replace(
            &format!("資産250,ア,mayor,2,1,1,{}", ids[150]),
            &format!("資産250,ア,mayor,2,1,1,{}", ids[250]),
        );
    let report = r.import_assets(text.as_bytes(), &options()).unwrap();
    assert_eq!(report.assets.created, 300);
    let report = r.import_assets(text.as_bytes(), &options()).unwrap();
    assert_eq!(report.assets.unchanged, 300);
}

/// A writer that takes `room` bytes, then fails.
struct FullDisk {
    room: usize,
}

impl std::io::Write for FullDisk {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.room {
            return Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left on device",
            ));
        }
        self.room -= buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn many_rows(rows: usize, last_name: &str) -> String {
    let mut text = sheet(",notes", &[]);
    for i in 0..rows - 1 {
        let _ = write!(text, "資産{i},イ,市長部局,3B,2,2,備考 {i}\r\n");
    }
    let _ = write!(text, "{last_name},イ,市長部局,3B,2,2,\r\n");
    text
}

#[test]
fn an_export_that_cannot_write_stops_with_the_write_error() {
    let mut r = register();
    r.import_assets(many_rows(20_000, "最後").as_bytes(), &options())
        .unwrap();
    for room in [0, 100, 70_000, 500_000] {
        let err = r
            .export_assets(FullDisk { room }, &all(), &ExportOptions::default())
            .unwrap_err();
        assert!(
            matches!(&err, Error::Io { action: "write", source, .. }
                if source.kind() == std::io::ErrorKind::StorageFull),
            "{err:?}"
        );
    }
    // The register is still usable, and a full export still works.
    let text = String::from_utf8(export(&r, Headers::En)).unwrap();
    assert_eq!(text.lines().count(), 20_001);
}

#[test]
fn an_unencodable_cell_deep_in_a_large_export_names_its_row() {
    let mut r = register();
    r.import_assets(many_rows(20_000, "𠮷野家").as_bytes(), &options())
        .unwrap();
    let mut cp932 = ExportOptions::default();
    cp932.encoding(Encoding::Cp932);
    let err = r.export_assets(Vec::new(), &all(), &cp932).unwrap_err();
    assert!(
        matches!(&err, Error::Unencodable { row: 20_000, column, .. } if column == "name"),
        "{err:?}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn an_export_to_a_full_disk_reports_the_disk_error() {
    let mut r = register();
    r.import_assets(many_rows(5_000, "最後").as_bytes(), &options())
        .unwrap();
    // An output file is never a device, so the file-writing thread is
    // handed `/dev/full` itself.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let err = super::export::export_assets_threaded(
        &r,
        full,
        &all(),
        &ExportOptions::default(),
        std::path::Path::new("/dev/full"),
    )
    .unwrap_err();
    assert!(
        matches!(&err, Error::Io { action: "write", source, .. }
            if source.kind() == std::io::ErrorKind::StorageFull),
        "{err:?}"
    );
}

/// Issue 10: the importer once refused what the API allows, completing a
/// disposed asset's disposal record; both now share one write path.
#[test]
fn a_sheet_may_complete_a_disposed_assets_disposal_record_as_the_api_may() {
    let mut r = register();
    let text = "資産名,種別,所管,機密性,完全性,可用性,廃棄日,廃棄担当者\r\n\
                旧サーバ,ア,mayor,3B,2,2,2025-05-01,山田\r\n";
    r.import_assets(text.as_bytes(), &ImportOptions::default())
        .unwrap();
    let disposed = &r
        .assets(&Filter {
            disposed: Disposed::Only,
            ..Filter::default()
        })
        .unwrap()[0];
    let completed = format!(
        "資産ID,資産名,種別,所管,機密性,完全性,可用性,廃棄日,廃棄担当者,廃棄方法,廃棄承認者,廃棄証明書\r\n\
         {},旧サーバ,ア,mayor,3B,2,2,2025-05-01,山田,物理破壊,情報政策課長,第12号\r\n",
        disposed.id
    );
    let report = r
        .import_assets(completed.as_bytes(), &ImportOptions::default())
        .unwrap();
    assert_eq!(report.assets.updated, 1);
    let after = r.get(disposed.id).unwrap();
    let disposal = after.fields.disposal.unwrap();
    assert_eq!(disposal.method.as_deref(), Some("物理破壊"));
    assert_eq!(disposal.approver.as_deref(), Some("情報政策課長"));
    assert_eq!(disposal.certificate.as_deref(), Some("第12号"));

    // Anything else about a disposed asset stays refused, as through the API.
    let renamed = completed.replace(",旧サーバ,", ",新サーバ,");
    let (errors, _) = import_err(&mut r, &renamed);
    assert!(
        errors[0]
            .reason
            .en
            .contains("was disposed of on 2025-05-01"),
        "{errors:?}"
    );
}

/// Issue 11: a sheet cannot bring a terminal escape sequence into the
/// register; the error quotes the cell with the character escaped.
#[test]
fn a_cell_with_a_control_character_is_refused_and_quoted_escaped() {
    let mut r = register();
    let text = sheet(
        ",department,notes",
        &[
            "資産1,ア,mayor,2,1,1,市民課\u{1b}[2J,",
            "資産2,ア,mayor,2,1,1,,\"一行目\n二行目\u{9b}\"",
            "資産3,ア,mayor,2,1,1,市民課,\"一行目\r\n二行目\"",
        ],
    );
    let (errors, total) = import_err(&mut r, &text);
    assert_eq!(total, 2, "{errors:?}");
    assert_eq!(
        errors[0].to_string(),
        "assets row 2 (`資産1`), column `department`, value `市民課\\u{1b}[2J`: control character U+001B is not allowed"
    );
    assert_eq!(errors[1].column.as_deref(), Some("notes"));
    assert!(errors[1].reason.en.contains("U+009B"), "{:?}", errors[1]);
    assert!(!errors[1].value.contains('\u{9b}'), "{:?}", errors[1]);
}

/// A number with a valid 個人番号 check digit, built at run time from eleven
/// digits: no committed file holds one whole.
fn my_number(first: &str) -> String {
    format!("{first}{}", crate::mynumber::check_digit(first).unwrap())
}

/// True when a text holds twelve ASCII digits in a row.
fn holds_twelve_digits(text: &str) -> bool {
    text.as_bytes()
        .windows(12)
        .any(|w| w.iter().all(u8::is_ascii_digit))
}

#[test]
fn my_numbers_are_refused_in_every_cell_with_line_column_and_a_masked_value() {
    let (a, b, c) = (
        my_number("12345678901"),
        my_number("31415926535"),
        my_number("27182818284"),
    );
    let grouped = format!("{}-{}-{}", &c[..4], &c[4..8], &c[8..]);
    let text = sheet(
        ",notes,件数,管理番号",
        &[
            &format!("データ{a},イ,mayor,2,1,1,,,"),
            &format!("B,イ,mayor,2,1,1,備考 {b},,"),
            &format!("C,イ,mayor,2,1,1,,個人番号{c},"),
            &format!("D,イ,mayor,2,1,1,,,{grouped}"),
            "E,イ,mayor,2,1,1,ok,1,ok",
        ],
    );
    let mut r = register();
    let (errors, total) = import_err(&mut r, &text);
    let seen: Vec<(u64, Option<&str>, &str)> = errors
        .iter()
        .map(|e| (e.line, e.column.as_deref(), e.value.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (2, Some("name"), "1234********"),
            (3, Some("notes"), "3141********"),
            (4, Some("件数"), "2718********"),
            (5, Some("管理番号"), "2718********"),
        ]
    );
    assert_eq!(total, 4);
    assert!(
        errors[0].reason.en.contains("個人番号"),
        "{}",
        errors[0].reason
    );
    let message = r
        .import_assets(text.as_bytes(), &options())
        .unwrap_err()
        .to_string();
    assert!(!holds_twelve_digits(&message), "{message}");
    assert!(!message.contains(&grouped), "{message}");
    assert_eq!(audit_entries(&r), 0);
}

#[test]
fn my_numbers_are_refused_in_link_sheets_and_headers() {
    let number = my_number("98765432109");
    let mut r = register();
    r.import_assets(sheet("", &["A,ア,mayor,2,1,1"]).as_bytes(), &options())
        .unwrap();
    let links = format!("from,relation,to\r\nA,stored_on,{number}\r\n");
    let Err(Error::Import { errors, .. }) = r.import_links(links.as_bytes(), &options()) else {
        panic!("a link sheet with a 個人番号 imported");
    };
    assert_eq!(
        (
            errors[0].line,
            errors[0].column.as_deref(),
            errors[0].value.as_str()
        ),
        (2, Some("to"), "9876********")
    );
    let header = sheet(&format!(",{number}"), &["B,ア,mayor,2,1,1,x"]);
    let (errors, total) = import_err(&mut r, &header);
    assert_eq!(total, 1, "{errors:?}");
    assert_eq!(
        (errors[0].line, errors[0].value.as_str()),
        (1, "9876********")
    );
    assert_eq!(r.assets(&all()).unwrap().len(), 1);
}

#[test]
fn a_column_may_be_allowed_to_hold_other_twelve_digit_codes() {
    let (a, b) = (my_number("12345678901"), my_number("00000000001"));
    let text = format!(
        "資産名,種別,所管,機密性,完全性,可用性,備考,台帳番号\r\n\
         A,ア,mayor,2,1,1,{a},{b}\r\n"
    );
    let mut r = register();
    // Named as written, or by another name of the same column.
    for allowed in [&["備考", "台帳番号"][..], &["notes", " 台帳番号 "]] {
        let mut options = options();
        for column in allowed {
            options.allow_my_number_like(*column);
        }
        options.dry_run(true);
        r.import_assets(text.as_bytes(), &options).unwrap();
    }
    // One column allowed, the other still refused.
    let mut only_notes = options();
    only_notes.allow_my_number_like("notes");
    let Err(Error::Import { errors, .. }) = r.import_assets(text.as_bytes(), &only_notes) else {
        panic!("台帳番号 was not allowed");
    };
    assert_eq!(errors[0].column.as_deref(), Some("台帳番号"));
    only_notes.allow_my_number_like("台帳番号");
    r.import_assets(text.as_bytes(), &only_notes).unwrap();
    let asset = r.resolve("A").unwrap();
    assert_eq!(asset.fields.notes.as_deref(), Some(a.as_str()));
    assert_eq!(asset.fields.extra.get("台帳番号"), Some(b.as_str()));
    // Values already held are not checked again when other fields change.
    let edited = r
        .edit(
            asset.id,
            None,
            [crate::model::FieldChange::Manager(Some("山田".to_owned()))],
        )
        .unwrap();
    assert_eq!(edited.version, 2);
    // Outside an allowed import, a new value is refused, and nothing is logged.
    let entries = audit_entries(&r);
    let other = my_number("55555555555");
    let refused = r.edit(
        asset.id,
        None,
        [crate::model::FieldChange::Notes(Some(other))],
    );
    let Err(Error::Invalid { field, value, .. }) = refused else {
        panic!("a 個人番号 in notes was written: {refused:?}");
    };
    assert_eq!((field, value.as_str()), ("notes", "5555********"));
    assert_eq!(audit_entries(&r), entries);
}

#[test]
fn a_row_larger_than_the_limit_is_refused_without_holding_it() {
    // One endless line (no line break): the file is read no further.
    let mut r = register();
    let mut text = sheet(",notes", &[]);
    text.push_str("A,ア,mayor,2,1,1,");
    text.push_str(&"x".repeat(3 << 20));
    let (errors, total) = import_err(&mut r, &text);
    assert_eq!(total, 1, "{errors:?}");
    assert_eq!(errors[0].line, 2);
    assert!(
        errors[0]
            .reason
            .en
            .starts_with("the row is larger than 1 MiB"),
        "{errors:?}"
    );
    // An endless quoted cell, line breaks and all.
    let mut text = sheet(",notes", &[]);
    text.push_str("A,ア,mayor,2,1,1,\"");
    text.push_str(&"line\n".repeat(600_000));
    let (errors, _) = import_err(&mut r, &text);
    assert!(
        errors[0]
            .reason
            .en
            .starts_with("the row is larger than 1 MiB")
    );
    // A row a little over a set limit is refused, and the rows after it read.
    let mut options = options();
    options.max_record_bytes(100);
    let long = format!("B,ア,mayor,2,1,1,{}", "y".repeat(100));
    let text = sheet(",notes", &["A,ア,mayor,2,1,1,", &long, "C,ア,mayor,9,1,1,"]);
    let Err(Error::Import { errors, total, .. }) = r.import_assets(text.as_bytes(), &options)
    else {
        panic!("a row over the limit imported");
    };
    assert_eq!(total, 2, "{errors:?}");
    assert_eq!((errors[0].line, errors[1].line), (3, 4));
    assert!(
        errors[0]
            .reason
            .en
            .starts_with("the row is larger than 100 bytes")
    );
    // The header counts as a row.
    let mut options = ImportOptions::default();
    options.max_record_bytes(10);
    let Err(Error::Import { errors, .. }) = r.import_assets(text.as_bytes(), &options) else {
        panic!("a header over the limit imported");
    };
    assert_eq!(errors[0].line, 1);
    assert_eq!(audit_entries(&r), 0);
}

#[test]
fn the_longest_texts_export_and_import_again() {
    let mut r = register();
    let most = "長".repeat(crate::text::MAX_TEXT_CHARS);
    // A value starting like a formula gets a `'` on export, past the limit.
    let formula = format!("={}", "x".repeat(crate::text::MAX_TEXT_CHARS - 1));
    let text = sheet(
        ",notes,extra",
        &[
            &format!("A,ア,mayor,2,1,1,{most},{formula}"),
            &format!("B,ア,mayor,2,1,1,{formula},{most}"),
        ],
    );
    r.import_assets(text.as_bytes(), &options()).unwrap();
    let out = export(&r, Headers::Ja);
    let mut fresh = register();
    let report = fresh.import_assets(out.as_slice(), &options()).unwrap();
    assert_eq!(report.assets.created, 2);
    assert_eq!(export(&fresh, Headers::Ja), out);
    let b = fresh.resolve("B").unwrap();
    assert_eq!(b.fields.notes.as_deref(), Some(formula.as_str()));
    assert_eq!(b.fields.extra.get("extra"), Some(most.as_str()));
    // One more character is refused, on a sheet and by the API alike.
    let mut fields = b.fields.clone();
    fields.notes = Some(format!("{most}長"));
    let refused = fresh.update(b.id, b.version, fields);
    assert!(
        matches!(&refused, Err(Error::Invalid { field: "notes", .. })),
        "{refused:?}"
    );
}

/// Issue 15: a record's times are read-only columns: repeated, they change nothing and
/// become no extra attribute; changed, they are an error naming the cell.
#[test]
fn created_and_updated_times_are_read_only_columns() {
    let mut r = register();
    let first = sheet("", &["資産,ア,mayor,2,1,1", "台帳,イ,mayor,2,1,1"]);
    r.import_assets(first.as_bytes(), &options()).unwrap();
    let assets = r.assets(&all()).unwrap();
    let rows: Vec<String> = assets
        .iter()
        .map(|a| {
            format!(
                "{},{},ア,mayor,2,1,1,{},{},{}",
                a.id,
                a.name(),
                a.created_at,
                a.updated_at,
                a.version
            )
        })
        .collect();
    let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
    let header = "id,name,kind,organization,confidentiality,integrity,availability,\
                  created_at,updated_at,version\r\n";
    let same = format!("{header}{}\r\n", rows.join("\r\n"));
    let entries = audit_entries(&r);
    // 台帳's kind changes from イ to ア; 資産 is as it was.
    let report = r.import_assets(same.as_bytes(), &options()).unwrap();
    assert_eq!((report.assets.updated, report.assets.unchanged), (1, 1));
    assert!(
        report.extra_columns.is_empty(),
        "{:?}",
        report.extra_columns
    );
    assert_eq!(audit_entries(&r), entries + 1);
    for asset in r.assets(&all()).unwrap() {
        assert!(asset.fields.extra.is_empty(), "{:?}", asset.fields.extra);
    }

    let asset = r.resolve("資産").unwrap();
    let changed = format!(
        "{header}{},資産,ア,mayor,2,1,1,2020-01-01T00:00:00Z,,{}\r\n",
        asset.id, asset.version
    );
    let (errors, total) = import_err(&mut r, &changed);
    assert_eq!(total, 1);
    assert_eq!(errors[0].column.as_deref(), Some("created_at"));
    assert_eq!(errors[0].value, "2020-01-01T00:00:00Z");
    assert!(
        errors[0].reason.en.contains("cannot be changed"),
        "{}",
        errors[0].reason
    );
    assert_eq!(r.get(asset.id).unwrap(), asset);
}

/// Issue 15: pandas' `to_csv` of `to_records()` writes `extra` as a dict; it is refused
/// rather than kept as one attribute named `extra`, and an empty `extra` cell is nothing.
#[test]
fn an_extra_column_holding_a_dict_is_refused() {
    let mut r = register();
    let text = sheet(
        ",extra",
        &[
            "資産,ア,mayor,2,1,1,{'調達年度': 'R5'}",
            "台帳,イ,mayor,2,1,1,",
        ],
    );
    let (errors, total) = import_err(&mut r, &text);
    assert_eq!(total, 1);
    assert_eq!(errors[0].column.as_deref(), Some("extra"));
    assert!(
        errors[0].reason.en.contains("own column"),
        "{}",
        errors[0].reason
    );
    assert!(r.assets(&all()).unwrap().is_empty());
    // A city's own attribute named `extra` still holds text.
    let text = sheet(",extra", &["資産,ア,mayor,2,1,1,R5"]);
    r.import_assets(text.as_bytes(), &options()).unwrap();
    let asset = r.resolve("資産").unwrap();
    assert_eq!(asset.fields.extra.get("extra"), Some("R5"));
}

#[test]
fn a_reimport_compares_each_row_with_the_stored_one_and_writes_what_differs() {
    let mut r = register();
    r.import_assets(
        sheet(
            ",department,予算コード,設置階",
            &["A,ア,mayor,2,1,1,総務課,X,1", "B,イ,mayor,2,1,1,総務課,Y,2"],
        )
        .as_bytes(),
        &options(),
    )
    .unwrap();
    let a = r.resolve("A").unwrap();
    let entries = audit_entries(&r);
    let exported = String::from_utf8(export(&r, Headers::En)).unwrap();
    let report = r.import_assets(exported.as_bytes(), &options()).unwrap();
    assert_eq!((report.assets.unchanged, report.assets.updated), (2, 0));
    assert_eq!(audit_entries(&r), entries);

    // A sheet without the column 設置階 keeps the attribute, as it keeps any
    // attribute it does not name.
    let header: Vec<&str> = exported.lines().next().unwrap().split(',').collect();
    let floor = header.iter().position(|h| *h == "設置階").unwrap();
    let without_floor: String = exported
        .lines()
        .map(|line| {
            let mut cells: Vec<&str> = line.split(',').collect();
            cells.remove(floor);
            cells.join(",") + "\r\n"
        })
        .collect();
    let report = r
        .import_assets(without_floor.as_bytes(), &options())
        .unwrap();
    assert_eq!((report.assets.unchanged, report.assets.updated), (2, 0));
    assert_eq!(r.get(a.id).unwrap(), a);

    // A changed department and attribute: that asset alone is written, and
    // the register is what its audit log says.
    let edited = without_floor
        .replacen(",総務課,", ",情報政策課,", 1)
        .replacen(",1,X\r\n", ",1,Z\r\n", 1);
    let report = r.import_assets(edited.as_bytes(), &options()).unwrap();
    assert_eq!((report.assets.unchanged, report.assets.updated), (1, 1));
    let changed = r.get(a.id).unwrap();
    assert_eq!(changed.fields.department, "情報政策課");
    assert_eq!(changed.fields.extra.get("予算コード"), Some("Z"));
    assert_eq!(changed.fields.extra.get("設置階"), Some("1"));
    assert_eq!(changed.version, 2);
    assert_eq!(audit_entries(&r), entries + 1);
    let verification = r.verify().unwrap();
    assert!(verification.is_ok(), "{verification:?}");
}
