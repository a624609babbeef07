//! Issue 12: a section's Excel sheet as it is — title rows, Alt+Enter
//! headers, check marks, no ids — imported without losing a column, and
//! imported again without a duplicate.

use super::*;
use crate::policy::Policy;
use crate::query::{Disposed, Filter};
use crate::register::Register;
use crate::table::Column;

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

fn import(register: &mut Register, text: &str) -> ImportReport {
    register
        .import_assets(text.as_bytes(), &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn import_err(register: &mut Register, text: &str) -> Vec<RowError> {
    match register.import_assets(text.as_bytes(), &ImportOptions::default()) {
        Err(Error::Import { errors, .. }) => errors,
        other => panic!("expected an import error, got {other:?}"),
    }
}

/// A section's sheet: a title, a subtitle, a blank row, then a header whose
/// cells were typed with Alt+Enter and bracketed modifiers.
const TITLED: &str = "情報資産管理台帳（令和8年度）,,,,,,,,\r\n\
    所属：情報政策課,,,,,,,,\r\n\
    ,,,,,,,,\r\n\
    No.,資産名,種別,所管,\"機密性\n（自治体機密性）\",完全性,可用性,\"個人情報\n（有無）\",\"件数\n（人）\"\r\n\
    1,住民記録データ,イ,市長部局,3B,2,2,✓,\"1,200\"\r\n\
    2,庁内LAN,ア,市長部局,2,2,2,－,\r\n";

#[test]
fn the_header_is_found_below_title_rows_and_every_column_is_read() {
    let mut r = register();
    let report = import(&mut r, TITLED);
    assert_eq!(report.header_row, Some(4));
    assert_eq!(report.assets.created, 2);
    assert!(
        report.extra_columns.is_empty(),
        "{:?}",
        report.extra_columns
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.column == "No." && w.reason.en.contains("row numbers")),
        "{:?}",
        report.warnings
    );
    let assets = r.assets(&all()).unwrap();
    let data = assets
        .iter()
        .find(|a| a.name() == "住民記録データ")
        .unwrap();
    assert!(data.fields.personal_data.personal, "✓ reads as yes");
    assert_eq!(data.fields.record_count, Some(1_200));
    let lan = assets.iter().find(|a| a.name() == "庁内LAN").unwrap();
    assert!(!lan.fields.personal_data.personal, "－ reads as no");
}

#[test]
fn errors_name_the_row_excel_shows_and_the_asset() {
    let mut r = register();
    let text = TITLED.replace(",2,2,✓,", ",9,2,✓,");
    let errors = import_err(&mut r, &text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    // The header's cells hold line breaks: the row is 5, its line 8.
    assert_eq!((errors[0].row, errors[0].line), (5, 8));
    assert_eq!(errors[0].asset.as_deref(), Some("住民記録データ"));
    assert!(
        errors[0]
            .to_string()
            .starts_with("assets row 5 (`住民記録データ`), column `完全性`"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_header_that_looks_like_a_column_is_never_kept_silently() {
    let mut r = register();
    let text = "資産名,種別,所管,機密性,完全性,可用性,個人情報の取扱い\r\n\
                住民記録,イ,市長部局,3B,2,2,あり\r\n";
    let errors = import_err(&mut r, text);
    assert_eq!(errors[0].column.as_deref(), Some("個人情報の取扱い"));
    assert!(errors[0].reason.en.contains("`個人情報`"), "{}", errors[0]);
    // Declared, it is the city's own attribute.
    let mut options = ImportOptions::default();
    options.extra_column("個人情報の取扱い");
    let report = r.import_assets(text.as_bytes(), &options).unwrap();
    assert_eq!(report.extra_columns, ["個人情報の取扱い"]);
}

#[test]
fn no_header_names_what_is_missing_and_shows_the_first_rows() {
    let mut r = register();
    let errors = import_err(&mut r, "台帳,,\r\n氏名,住所,電話\r\n山田,新潟,025\r\n");
    assert!(
        errors[0]
            .reason
            .en
            .starts_with("no header row in the first 3 rows"),
        "{}",
        errors[0]
    );
    assert!(errors[0].reason.en.contains("kind (種別)"), "{}", errors[0]);
    assert!(errors[0].reason.en.contains("row 1: 台帳"), "{}", errors[0]);
}

#[test]
fn a_lost_check_mark_says_what_excel_did() {
    let mut r = register();
    let text =
        "資産名,種別,所管,機密性,完全性,可用性,個人情報\r\n住民記録,イ,市長部局,3B,2,2,?\r\n";
    let errors = import_err(&mut r, text);
    assert!(
        errors[0].reason.en.contains("CP932 cannot hold"),
        "{}",
        errors[0]
    );
    assert!(errors[0].reason.en.contains("○"), "{}", errors[0]);
}

#[test]
fn labels_the_tool_prints_and_joined_controls_are_read() {
    let mut r = register();
    let text = "資産名,種別,所管,機密性,完全性,可用性,ネットワーク区分,管理策,特定個人情報\r\n\
                端末,ア ネットワーク・情報システム,市長部局,2,2,2,独立系（スタンドアロン）,\
                アクセス制御・アクセスログ,非該当\r\n\
                保守PC,ア（システム）,市長部局,2,2,2,独立系,,該当\r\n";
    import(&mut r, text);
    let assets = r.assets(&all()).unwrap();
    let terminal = assets.iter().find(|a| a.name() == "端末").unwrap();
    assert_eq!(terminal.fields.kind, crate::Kind::NetworkSystem);
    assert_eq!(terminal.fields.segment, Some(crate::Segment::Standalone));
    assert_eq!(terminal.fields.controls.len(), 2);
    let pc = assets.iter().find(|a| a.name() == "保守PC").unwrap();
    assert!(pc.fields.personal_data.my_number, "該当 reads as yes");
}

/// Issue 12: a second import of the same id-less sheet doubled the register.
#[test]
fn an_id_less_sheet_imported_twice_updates_and_never_duplicates() {
    for in_file in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let mut r = if in_file {
            // A first import into an empty file takes the bulk path.
            Register::create(dir.path().join("r.db"), &Policy::niigata()).unwrap()
        } else {
            register()
        };
        let first = import(&mut r, TITLED);
        assert_eq!(first.assets.created, 2);
        let again = import(&mut r, TITLED);
        assert_eq!(
            (again.assets.created, again.assets.unchanged),
            (0, 2),
            "in a file: {in_file}"
        );
        let edited = import(&mut r, &TITLED.replace(",2,2,2,－,", ",2,2,2,✓,"));
        assert_eq!((edited.assets.created, edited.assets.updated), (0, 1));
        assert_eq!(r.assets(&all()).unwrap().len(), 2);
    }
}

#[test]
fn a_number_matches_before_the_name() {
    let mut r = register();
    let text =
        "管理番号,資産名,種別,所管,機密性,完全性,可用性\r\nJ-001,住民記録,イ,市長部局,3B,2,2\r\n";
    import(&mut r, text);
    // Renamed in the sheet: the number still says which asset it is.
    let renamed = import(&mut r, &text.replace("住民記録,", "住民基本台帳データ,"));
    assert_eq!((renamed.assets.created, renamed.assets.updated), (0, 1));
    let asset = r.resolve("J-001").unwrap();
    assert_eq!(asset.name(), "住民基本台帳データ");
    assert_eq!(asset.fields.asset_number.as_deref(), Some("J-001"));
    // Another asset may not take the number.
    let mut other = asset.fields.clone();
    other.name = crate::AssetName::new("別の資産").unwrap();
    let err = r.add(other).unwrap_err();
    assert!(err.to_string().contains("管理番号"), "{err}");
}

#[test]
fn rows_that_could_be_several_assets_are_refused() {
    let mut r = register();
    let policy = r.policy().clone();
    let class = crate::Classification::parse(&policy, "2", "2", "2").unwrap();
    let org = policy.organization("市長部局").unwrap().code.clone();
    for _ in 0..2 {
        let fields = crate::AssetFields::new(
            crate::Kind::NetworkSystem,
            crate::AssetName::new("ノートPC").unwrap(),
            org.clone(),
            class.clone(),
        );
        r.add(fields).unwrap();
    }
    let errors = import_err(
        &mut r,
        "資産名,種別,所管,機密性,完全性,可用性\r\nノートPC,ア,市長部局,2,2,2\r\n",
    );
    assert_eq!(errors[0].column.as_deref(), Some("資産名"));
    assert!(
        errors[0]
            .reason
            .en
            .starts_with("2 assets of this organization have this name"),
        "{}",
        errors[0]
    );
    assert_eq!(r.assets(&all()).unwrap().len(), 2);
}

#[test]
fn two_rows_of_one_asset_are_refused_in_either_path() {
    let text = "資産名,種別,所管,機密性,完全性,可用性\r\n\
                ノートPC,ア,市長部局,2,2,2\r\n\
                ノートPC,ア,市長部局,2,2,2\r\n";
    for in_file in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let mut r = if in_file {
            Register::create(dir.path().join("r.db"), &Policy::niigata()).unwrap()
        } else {
            register()
        };
        let errors = import_err(&mut r, text);
        assert_eq!(errors.len(), 1, "in a file: {in_file}: {errors:?}");
        assert_eq!(errors[0].row, 3);
        assert!(
            errors[0]
                .reason
                .en
                .starts_with("row 2 describes the same asset"),
            "{}",
            errors[0]
        );
        assert!(r.assets(&all()).unwrap().is_empty());
    }
}

#[test]
fn the_number_is_a_column_of_the_table() {
    assert_eq!(Column::from_header("管理番号"), Some(Column::AssetNumber));
    assert_eq!(
        Column::from_header("管理番号\n（課の番号）"),
        Some(Column::AssetNumber)
    );
}

#[test]
fn a_dry_run_names_each_changed_column_of_each_updated_asset() {
    let mut r = register();
    import(&mut r, TITLED);
    let edited = TITLED.replace(",2,2,2,－,", ",2,2,1,✓,");
    let mut options = ImportOptions::default();
    options.dry_run(true);
    let report = r.import_assets(edited.as_bytes(), &options).unwrap();
    assert_eq!(report.changes.len(), 1, "{:?}", report.changes);
    let change = &report.changes[0];
    assert_eq!((change.row, change.name.as_str()), (6, "庁内LAN"));
    let columns: Vec<(&str, Option<&str>, Option<&str>)> = change
        .columns
        .iter()
        .map(|c| (c.column.key(), c.old.as_deref(), c.new.as_deref()))
        .collect();
    assert_eq!(
        columns,
        [
            ("availability", Some("2"), Some("1")),
            ("personal", Some("false"), Some("true")),
        ]
    );
    // Nothing was written.
    let lan = r.resolve("庁内LAN").unwrap();
    assert!(!lan.fields.personal_data.personal);
}

#[test]
fn rows_suggest_links_and_exclusions_without_making_them() {
    let mut r = register();
    import(
        &mut r,
        "資産名,種別,所管,機密性,完全性,可用性\r\n住民記録システム,ア,市長部局,3B,2,2\r\n",
    );
    let report = import(
        &mut r,
        "資産名,種別,所管,機密性,完全性,可用性,保管場所,備考\r\n\
         住民記録データ,イ,市長部局,3B,2,2,住民記録システム内,\r\n\
         成績データ,イ,教育委員会,2,2,2,,学校教育情報として管理\r\n",
    );
    let hints: Vec<String> = report.hints.iter().map(ToString::to_string).collect();
    assert_eq!(hints.len(), 2, "{hints:?}");
    assert!(
        hints[0].contains("daicho link 住民記録データ stored_on 住民記録システム"),
        "{hints:?}"
    );
    assert!(hints[1].contains("適用除外"), "{hints:?}");
    assert!(r.links().unwrap().is_empty());
}
