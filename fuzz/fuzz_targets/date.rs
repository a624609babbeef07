//! The cell parsers: dates in ISO and era forms, booleans, counts. None may
//! panic, and a date they read must read back from both of its display forms.

#![no_main]

use daicho::parse::{format_date, format_date_ja, parse_bool, parse_count, parse_date};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(cell) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = parse_date(cell) {
        let iso = parse_date(&format_date(parsed.date)).expect("an ISO date reads back");
        assert_eq!(iso.date, parsed.date);
        if let Some(ja) = format_date_ja(parsed.date) {
            let again = parse_date(&ja).expect("an era date reads back");
            assert_eq!(again.date, parsed.date, "{ja}");
        }
    }
    let _ = parse_bool(cell);
    let _ = parse_count(cell);
});
