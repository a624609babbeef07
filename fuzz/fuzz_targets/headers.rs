//! Header matching: any header row (English and Japanese aliases, full-width
//! forms, BOMs, duplicates, blanks) over one valid row gives a report or an
//! error naming line 1, never a panic.

#![no_main]

use std::cell::RefCell;
use std::sync::LazyLock;

use daicho::sheet::ImportOptions;
use daicho::{Error, Policy, Register};
use libfuzzer_sys::fuzz_target;

/// Parsed once: loading the policy costs more than most runs.
static POLICY: LazyLock<Policy> = LazyLock::new(Policy::niigata);

thread_local! {
    static DRY: RefCell<Register> = RefCell::new(Register::in_memory(&POLICY).unwrap());
}

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else {
        return;
    };
    if header.contains(['\n', '\r', '"']) {
        return;
    }
    let cells = header.split(',').count();
    // One row that fills every column with a value valid for the required ones.
    let row = ["住民記録データ", "イ", "市長部局", "3B", "2", "2"]
        .iter()
        .copied()
        .chain(std::iter::repeat(""))
        .take(cells.max(6))
        .collect::<Vec<_>>()
        .join(",");
    let sheet = format!("{header}\r\n{row}\r\n");
    let mut dry = ImportOptions::default();
    dry.dry_run(true);
    DRY.with_borrow_mut(|register| match register.import_assets(sheet.as_bytes(), &dry) {
        Ok(_) => {}
        Err(Error::Import { errors, .. }) => assert!(!errors.is_empty()),
        Err(other) => panic!("not an import error: {other}"),
    });
});
