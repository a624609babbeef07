//! Round-trip laws, as property tests: what daicho displays, it reads back
//! as the same value; and reading, displaying and reading again is stable.

use daicho::parse::{GREGORIAN_ADOPTION, format_date, format_date_ja, parse_date};
use daicho::policy::BUILT_IN;
use daicho::{AssetId, Axis, Policy};
use jiff::civil::Date;
use proptest::prelude::*;

/// Bounded so that the battery stays fast in debug builds.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        // Failures are turned into plain regression tests instead (issue 6).
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn policies() -> Vec<Policy> {
    BUILT_IN
        .iter()
        .map(|name| Policy::built_in(name).expect("built-in policy"))
        .collect()
}

/// Text that mixes the forms a level is written in with noise.
fn level_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("自治体機密性".to_owned()),
        Just("機密性".to_owned()),
        Just("完全性".to_owned()),
        Just("可用性".to_owned()),
        Just("C".to_owned()),
        Just("I".to_owned()),
        Just("A".to_owned()),
        "[123ABCabc１２３ＡＢＣ]{1,2}",
        "[ \u{3000}\t]{0,2}",
        "\\PC{0,3}",
    ];
    prop::collection::vec(piece, 1..4).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn ids_parse_what_they_display(raw in any::<u128>().prop_filter("not nil", |n| *n != 0)) {
        let uuid = uuid::Uuid::from_u128(raw);
        let id = AssetId::from_uuid(uuid).unwrap();
        let text = id.to_string();
        prop_assert_eq!(text.parse::<AssetId>().unwrap(), id);
        // The other forms a spreadsheet may hold name the same id.
        prop_assert_eq!(text.to_uppercase().parse::<AssetId>().unwrap(), id);
        prop_assert_eq!(format!(" {} ", uuid.simple()).parse::<AssetId>().unwrap(), id);
        prop_assert_eq!(format!("{{{text}}}").parse::<AssetId>().unwrap(), id);
    }

    #[test]
    fn id_parsing_never_panics_and_is_stable(text in "\\PC{0,40}|[0-9a-fA-F-]{30,40}") {
        if let Ok(id) = text.parse::<AssetId>() {
            prop_assert_eq!(id.to_string().parse::<AssetId>().unwrap(), id);
        }
    }

    #[test]
    fn levels_parse_what_they_display(text in level_text()) {
        for policy in policies() {
            for axis in Axis::ALL {
                if let Ok(level) = policy.level(axis, &text) {
                    prop_assert_eq!(&policy.level(axis, &level.to_string()).unwrap(), &level);
                    prop_assert_eq!(&policy.level(axis, level.code()).unwrap(), &level);
                }
            }
        }
    }

    #[test]
    fn dates_parse_what_they_display(
        // Half the cases fall in the span of the era forms (to 令和999年).
        year in prop_oneof![1873_i16..=3017, 1873_i16..=9999],
        month in 1_i8..=12,
        day in 1_i8..=31,
    ) {
        let date = Date::new(year, month, day);
        prop_assume!(date.is_ok());
        let date = date.unwrap();
        prop_assume!(date >= GREGORIAN_ADOPTION);
        let iso = parse_date(&format_date(date)).unwrap();
        prop_assert_eq!(iso.date, date);
        prop_assert_eq!(iso.warning, None);
        // The era form stops at 令和999年, the last era year the parser reads.
        let Some(ja) = format_date_ja(date) else {
            prop_assert!(date.year() > 3017, "no era form for {}", date);
            return Ok(());
        };
        let parsed = parse_date(&ja).unwrap();
        prop_assert_eq!(parsed.date, date, "{}", ja);
        prop_assert_eq!(parsed.warning, None);
    }

    #[test]
    fn date_parsing_never_panics_and_is_stable(
        text in "\\PC{0,24}|[0-9０-９RHSTMrhstm令平昭大明和成治正元年月日./ -]{1,16}",
    ) {
        if let Ok(parsed) = parse_date(&text) {
            prop_assert_eq!(parse_date(&format_date(parsed.date)).unwrap().date, parsed.date);
        }
    }
}

/// Every level of every built-in policy, by code and by both labels.
#[test]
fn every_level_reads_back_from_its_code_and_labels() {
    for policy in policies() {
        for axis in Axis::ALL {
            for def in &policy.scale(axis).levels {
                for text in [def.level.code(), &def.ja, &def.en, &def.level.to_string()] {
                    let level = policy.level(axis, text);
                    assert_eq!(
                        level.as_ref().ok(),
                        Some(&def.level),
                        "{} {axis:?}: `{text}`",
                        policy.name()
                    );
                }
            }
        }
    }
}
