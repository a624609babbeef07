use super::*;
use crate::Filter;
use crate::query::Disposed;
use crate::sheet::{ExportOptions, ImportOptions};

fn register() -> Register {
    let mut register = crate::test_backend::register(&Policy::niigata()).unwrap();
    register.set_actor("情報政策課").unwrap();
    register
}

const FIRST: &str = "資産名,種別,所管,所属,機密性,完全性,可用性\r\n\
                     住民基本台帳システム,ア,市長部局,市民課,3B,2,2\r\n\
                     住民記録データ,イ,市長部局,市民課,3B,2,2\r\n";

/// Everything a person sees of the register: the export (every asset, its
/// version included), the links and the counts.
fn state(register: &Register) -> (String, String, crate::Summary) {
    let all = Filter {
        disposed: Disposed::Include,
        ..Filter::default()
    };
    let mut assets = Vec::new();
    register
        .export_assets(&mut assets, &all, &ExportOptions::default())
        .unwrap();
    let mut links = Vec::new();
    register
        .export_links(&mut links, &ExportOptions::default())
        .unwrap();
    (
        String::from_utf8(assets).unwrap(),
        String::from_utf8(links).unwrap(),
        register.summary().unwrap(),
    )
}

fn id_of(register: &Register, name: &str) -> AssetId {
    register.resolve(name).unwrap().id
}

/// Issue 12: an import that creates, updates and links is undone exactly.
#[test]
fn undoing_the_last_import_restores_the_state_before_it() -> Result<()> {
    let mut r = register();
    r.import_assets(FIRST.as_bytes(), &ImportOptions::default())?;
    let system = id_of(&r, "住民基本台帳システム");
    let data = id_of(&r, "住民記録データ");
    let before = state(&r);

    // The second sheet changes one asset, creates two and links them.
    let sheet = format!(
        "資産ID,資産名,種別,所管,所属,機密性,完全性,可用性,管理者\r\n\
         {system},住民基本台帳システム,ア,市長部局,市民課,3A,2,2,山田\r\n\
         {data},住民記録データ,イ,市長部局,市民課,3B,2,2,\r\n\
         ,戸籍システム,ア,市長部局,戸籍課,3B,2,2,\r\n\
         ,戸籍データ,イ,市長部局,戸籍課,3B,2,2,\r\n"
    );
    let links = "from,relation,to\r\n戸籍データ,stored_on,戸籍システム\r\n\
                 住民記録データ,stored_on,住民基本台帳システム\r\n";
    let report = r.import_assets_and_links(
        sheet.as_bytes(),
        links.as_bytes(),
        &ImportOptions::default(),
    )?;
    assert_eq!((report.assets.created, report.assets.updated), (2, 1));
    let import_id = report.import_id.expect("the import is recorded");
    assert_eq!(r.get(system)?.version, 2);

    let undo = r.undo_import(ImportRef::Last)?;
    assert_eq!(undo.import.id, import_id);
    assert_eq!(
        (
            undo.deleted,
            undo.restored,
            undo.links_removed,
            undo.links_restored
        ),
        (2, 1, 2, 0)
    );
    assert_eq!(state(&r), before);
    assert_eq!(r.get(system)?.version, 1);
    assert!(r.verify()?.is_ok());
    // The reversal is in the log: the system's history ends with its restore.
    let history = r.history(system)?;
    assert_eq!(
        history.iter().map(|e| e.action).collect::<Vec<_>>(),
        [
            Action::Create,
            Action::Update,
            Action::Link,
            Action::Unlink,
            Action::Update
        ]
    );
    // The import is marked undone, and cannot be undone twice.
    let imports = r.imports()?;
    assert_eq!(imports.len(), 2);
    assert_eq!(imports[1].undone.as_ref().unwrap().1, "情報政策課");
    assert_eq!(imports[1].entries, 5);
    let err = r.undo_import(ImportRef::Id(import_id)).unwrap_err();
    assert!(err.to_string().contains("undone already"), "{err}");
    Ok(())
}

#[test]
fn a_first_import_into_an_empty_register_is_undone_to_nothing() -> Result<()> {
    let mut r = register();
    let empty = state(&r);
    let report = r.import_assets(FIRST.as_bytes(), &ImportOptions::default())?;
    assert_eq!(report.import_id, Some(1));
    let undo = r.undo_import(ImportRef::Id(1))?;
    assert_eq!(undo.deleted, 2);
    assert_eq!(state(&r), empty);
    assert!(r.verify()?.is_ok());
    // The deleted assets' histories are kept, their deletion last.
    let entries = r.imports()?;
    assert_eq!(entries[0].entries, 2);
    Ok(())
}

#[test]
fn an_import_is_not_undone_when_an_asset_it_touched_changed_since() -> Result<()> {
    let mut r = register();
    r.import_assets(FIRST.as_bytes(), &ImportOptions::default())?;
    let sheet = "資産名,種別,所管,機密性,完全性,可用性\r\n戸籍データ,イ,市長部局,3B,2,2\r\n";
    r.import_assets(sheet.as_bytes(), &ImportOptions::default())?;
    let data = id_of(&r, "戸籍データ");
    r.edit(
        data,
        None,
        [crate::FieldChange::Manager(Some("佐藤".to_owned()))],
    )?;
    let before = state(&r);

    let err = r.undo_import(ImportRef::Last).unwrap_err();
    assert_eq!(
        err.to_string(),
        "import 2 cannot be undone: 1 asset it touched changed since (`戸籍データ`); nothing was reverted"
    );
    assert!(matches!(&err, Error::ChangedSince { import: 2, assets } if assets[0].0 == data));
    assert_eq!(state(&r), before);
    assert!(r.imports()?[1].undone.is_none());
    // A link to an asset the first import made counts as a change of it.
    r.link(Link::new(
        data,
        Relation::StoredOn,
        id_of(&r, "住民基本台帳システム"),
    ))?;
    let err = r.undo_import(ImportRef::Id(1)).unwrap_err();
    assert!(
        matches!(err, Error::ChangedSince { import: 1, .. }),
        "{err}"
    );
    Ok(())
}

#[test]
fn imports_that_wrote_nothing_and_unknown_imports() -> Result<()> {
    let mut r = register();
    let err = r.undo_import(ImportRef::Last).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid import `last`: no import has been recorded"
    );
    r.import_assets(FIRST.as_bytes(), &ImportOptions::default())?;
    let mut out = Vec::new();
    r.export_assets(&mut out, &Filter::default(), &ExportOptions::default())?;
    // Importing the export again changes nothing, and is recorded all the same.
    let again = r.import_assets(out.as_slice(), &ImportOptions::default())?;
    assert_eq!(again.import_id, Some(2));
    assert_eq!(r.imports()?[1].entries, 0);
    let undo = r.undo_import(ImportRef::Last)?;
    assert_eq!((undo.deleted, undo.restored), (0, 0));
    // A dry run is not recorded.
    let mut dry = ImportOptions::default();
    dry.dry_run(true);
    assert_eq!(r.import_assets(FIRST.as_bytes(), &dry)?.import_id, None);
    assert_eq!(r.imports()?.len(), 2);
    let err = r.undo_import(ImportRef::Id(9)).unwrap_err();
    assert_eq!(err.to_string(), "invalid import `9`: no import has this id");
    assert_eq!("last".parse::<ImportRef>()?, ImportRef::Last);
    assert_eq!(" 3 ".parse::<ImportRef>()?, ImportRef::Id(3));
    assert!("0".parse::<ImportRef>().is_err());
    assert!("前回".parse::<ImportRef>().is_err());
    Ok(())
}

/// A disposal recorded by a sheet is undone with the rest of the import.
#[test]
fn an_imported_disposal_is_undone() -> Result<()> {
    let mut r = register();
    r.import_assets(FIRST.as_bytes(), &ImportOptions::default())?;
    let system = id_of(&r, "住民基本台帳システム");
    let before = state(&r);
    let sheet = format!(
        "資産ID,資産名,種別,所管,所属,機密性,完全性,可用性,廃棄日,廃棄担当者\r\n\
         {system},住民基本台帳システム,ア,市長部局,市民課,3B,2,2,2026-03-31,鈴木\r\n"
    );
    r.import_assets(sheet.as_bytes(), &ImportOptions::default())?;
    assert!(r.get(system)?.is_disposed());
    r.undo_import(ImportRef::Last)?;
    assert!(!r.get(system)?.is_disposed());
    assert_eq!(state(&r), before);
    Ok(())
}

/// An undone import and its undo net out: the import before it can be
/// undone next, as in an editor, though they touched the same assets.
#[test]
fn imports_are_undone_last_first() -> Result<()> {
    let mut r = register();
    let empty = state(&r);
    r.import_assets(FIRST.as_bytes(), &ImportOptions::default())?;
    let system = id_of(&r, "住民基本台帳システム");
    let sheet = format!(
        "資産ID,資産名,種別,所管,所属,機密性,完全性,可用性\r\n\
         {system},住民基本台帳システム,ア,市長部局,市民課,3A,2,2\r\n"
    );
    r.import_assets(sheet.as_bytes(), &ImportOptions::default())?;
    // Not the first while the second stands.
    let err = r.undo_import(ImportRef::Id(1)).unwrap_err();
    assert!(
        matches!(err, Error::ChangedSince { import: 1, .. }),
        "{err}"
    );
    r.undo_import(ImportRef::Last)?;
    r.undo_import(ImportRef::Id(1))?;
    assert_eq!(state(&r), empty);
    assert!(r.verify()?.is_ok());
    Ok(())
}
