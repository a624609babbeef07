//! CSV import of bytes in any encoding: never a panic, never a half-written
//! register; a file that imports survives export → import → export unchanged
//! (checked on a quarter of the accepted inputs, to keep the runs fast).

#![no_main]

use std::cell::RefCell;
use std::sync::LazyLock;

use daicho::sheet::{ExportOptions, ImportOptions};
use daicho::{Disposed, Filter, Policy, Register};
use libfuzzer_sys::fuzz_target;

/// Parsed once: loading the policy costs more than most runs.
static POLICY: LazyLock<Policy> = LazyLock::new(Policy::niigata);

thread_local! {
    /// One register for every run: a dry run rolls back, so it stays empty.
    static DRY: RefCell<Register> = RefCell::new(Register::in_memory(&POLICY).unwrap());
}

fn export(register: &Register) -> Vec<u8> {
    let filter = Filter {
        disposed: Disposed::Include,
        ..Filter::default()
    };
    let mut out = Vec::new();
    register
        .export_assets(&mut out, &filter, &ExportOptions::default())
        .expect("export");
    out
}

fuzz_target!(|data: &[u8]| {
    let mut dry = ImportOptions::default();
    dry.dry_run(true);
    let accepted = DRY.with_borrow_mut(|register| {
        let result = register.import_assets(data, &dry);
        let everything = Filter {
            disposed: Disposed::Include,
            ..Filter::default()
        };
        assert!(register.assets(&everything).unwrap().is_empty(), "a dry run wrote");
        result.is_ok()
    });
    // The round trip costs two fresh registers: check it on a quarter of the
    // accepted inputs (by length, so that a failure reproduces).
    if !accepted || data.len() % 4 != 0 {
        return;
    }
    // The file imports: for real into a fresh register, then round trip.
    let mut first = Register::in_memory(&POLICY).unwrap();
    first
        .import_assets(data, &ImportOptions::default())
        .expect("a file that passed the dry run imports");
    let exported = export(&first);
    let mut second = Register::in_memory(&POLICY).unwrap();
    second
        .import_assets(exported.as_slice(), &ImportOptions::default())
        .expect("an export imports");
    assert_eq!(export(&second), exported, "export → import → export changed");
});
