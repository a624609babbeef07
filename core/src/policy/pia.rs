//! The threshold judgment (しきい値判断) of 特定個人情報保護評価 (番号法
//! 第27条・第28条; 特定個人情報保護評価に関する規則): which evaluation a 事務
//! needs from its 対象人数, 取扱者数 and whether a 重大事故 occurred in the
//! last year. The figures are the policy's optional `[pia]` section;
//! without it, the national rule's.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::text::fold;

/// An evaluation of 特定個人情報保護評価, least thorough first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PiaKind {
    /// 基礎項目評価.
    Basic,
    /// 重点項目評価 (with 基礎項目評価).
    Focused,
    /// 全項目評価 (with 基礎項目評価).
    Full,
}

impl PiaKind {
    /// Every kind, least thorough first.
    pub const ALL: [PiaKind; 3] = [PiaKind::Basic, PiaKind::Focused, PiaKind::Full];

    /// The code: `basic`, `focused` or `full`.
    pub fn code(self) -> &'static str {
        match self {
            PiaKind::Basic => "basic",
            PiaKind::Focused => "focused",
            PiaKind::Full => "full",
        }
    }

    /// The Japanese label: 基礎項目評価, 重点項目評価 or 全項目評価.
    pub fn label_ja(self) -> &'static str {
        match self {
            PiaKind::Basic => "基礎項目評価",
            PiaKind::Focused => "重点項目評価",
            PiaKind::Full => "全項目評価",
        }
    }

    /// The English label.
    pub fn label_en(self) -> &'static str {
        match self {
            PiaKind::Basic => "basic assessment",
            PiaKind::Focused => "focused assessment",
            PiaKind::Full => "full assessment",
        }
    }
}

impl fmt::Display for PiaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for PiaKind {
    type Err = Error;

    /// Its code, its Japanese label, or the label without 評価 (基礎項目).
    fn from_str(s: &str) -> Result<Self> {
        let wanted = fold(s);
        PiaKind::ALL
            .into_iter()
            .find(|kind| {
                let ja = kind.label_ja();
                wanted == kind.code()
                    || wanted == fold(ja)
                    || wanted == fold(ja.trim_end_matches("評価"))
            })
            .ok_or_else(|| Error::unknown("evaluation", s, PiaKind::ALL.iter().map(|k| k.code())))
    }
}

/// The thresholds of the judgment, as the policy's `[pia]` section holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PiaThresholds {
    /// From this many persons on, 基礎項目評価 is required (1,000).
    pub basic_from: u64,
    /// From this many, 重点項目評価 too when many handle the files or a
    /// 重大事故 occurred (10,000).
    pub focused_from: u64,
    /// From this many, 重点項目評価 always, and 全項目評価 instead under those
    /// conditions (100,000).
    pub focused_always_from: u64,
    /// From this many, 全項目評価 always (300,000).
    pub full_always_from: u64,
    /// This many handlers (取扱者) or more count as many (500).
    pub many_handlers: u64,
    /// An evaluation published longer ago than this many years is to be
    /// done again (5).
    pub valid_years: u8,
}

impl Default for PiaThresholds {
    /// The national rule's figures.
    fn default() -> Self {
        PiaThresholds {
            basic_from: 1_000,
            focused_from: 10_000,
            focused_always_from: 100_000,
            full_always_from: 300_000,
            many_handlers: 500,
            valid_years: 5,
        }
    }
}

impl PiaThresholds {
    /// The most thorough evaluation a 事務 needs (基礎項目評価 always comes
    /// with the others); none below `basic_from` persons.
    pub fn required(self, persons: u64, handlers: u64, serious_incident: bool) -> Option<PiaKind> {
        let heavy = handlers >= self.many_handlers || serious_incident;
        if persons < self.basic_from {
            None
        } else if persons < self.focused_from {
            Some(PiaKind::Basic)
        } else if persons < self.focused_always_from {
            Some(if heavy {
                PiaKind::Focused
            } else {
                PiaKind::Basic
            })
        } else if persons < self.full_always_from {
            Some(if heavy {
                PiaKind::Full
            } else {
                PiaKind::Focused
            })
        } else {
            Some(PiaKind::Full)
        }
    }

    /// A 事務's need on `today`: a 重大事故 counts when it occurred within
    /// the year up to that day.
    pub fn need(
        self,
        persons: Option<u64>,
        handlers: u64,
        incident_on: Option<Date>,
        today: Date,
    ) -> PiaNeed {
        let year_before = today
            .checked_sub(jiff::Span::new().years(1))
            .unwrap_or(today);
        let serious_incident = incident_on.is_some_and(|d| d > year_before && d <= today);
        PiaNeed {
            persons,
            handlers,
            serious_incident,
            required: persons.and_then(|p| self.required(p, handlers, serious_incident)),
        }
    }

    /// True when an evaluation published on `published` is older than
    /// `valid_years` on `today`.
    pub fn is_stale(self, published: Date, today: Date) -> bool {
        published
            .checked_add(jiff::Span::new().years(self.valid_years))
            .is_ok_and(|until| until < today)
    }

    /// Why the figures cannot be used, if they cannot.
    pub(super) fn problem(self) -> Option<(String, String)> {
        let ordered = [
            self.basic_from,
            self.focused_from,
            self.focused_always_from,
            self.full_always_from,
        ];
        if ordered.windows(2).any(|w| w[0] > w[1]) {
            return Some((
                "pia: basic_from、focused_from、focused_always_from、full_always_from は\
                 この順に減ってはいけません"
                    .to_owned(),
                "pia: basic_from, focused_from, focused_always_from and full_always_from \
                 must not decrease"
                    .to_owned(),
            ));
        }
        if self.many_handlers == 0 || self.valid_years == 0 {
            return Some((
                "pia: many_handlers と valid_years は 1 以上にしてください".to_owned(),
                "pia: many_handlers and valid_years must be at least 1".to_owned(),
            ));
        }
        None
    }
}

/// A 事務's figures and the evaluation they require.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PiaNeed {
    /// 対象人数: the stated figure, else the largest 件数 among its files;
    /// none when neither is known.
    pub persons: Option<u64>,
    /// 取扱者数.
    pub handlers: u64,
    /// A 重大事故 occurred in the year before the day judged.
    pub serious_incident: bool,
    /// What the thresholds require (none when not required, or when the
    /// number of persons is unknown).
    pub required: Option<PiaKind>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(persons: u64, handlers: u64, incident: bool, expected: Option<PiaKind>) {
        assert_eq!(
            PiaThresholds::default().required(persons, handlers, incident),
            expected,
            "{persons} persons, {handlers} handlers, incident {incident}"
        );
    }

    #[test]
    fn each_boundary_of_the_threshold_judgment() {
        use PiaKind::{Basic, Focused, Full};
        check(0, 0, false, None);
        check(999, 10_000, true, None);
        check(1_000, 0, false, Some(Basic));
        check(9_999, 500, true, Some(Basic));
        check(10_000, 499, false, Some(Basic));
        check(10_000, 500, false, Some(Focused));
        check(10_000, 0, true, Some(Focused));
        check(99_999, 499, false, Some(Basic));
        check(99_999, 500, false, Some(Focused));
        check(100_000, 499, false, Some(Focused));
        check(100_000, 500, false, Some(Full));
        check(100_000, 0, true, Some(Full));
        check(299_999, 499, false, Some(Focused));
        check(299_999, 500, false, Some(Full));
        check(300_000, 0, false, Some(Full));
    }

    #[test]
    fn an_incident_counts_for_a_year_and_an_evaluation_for_five() {
        let t = PiaThresholds::default();
        let today: Date = "2026-12-01".parse().unwrap();
        let need = |incident: &str| t.need(Some(10_000), 0, Some(incident.parse().unwrap()), today);
        assert!(need("2025-12-02").serious_incident);
        assert!(!need("2025-12-01").serious_incident);
        assert!(!need("2026-12-02").serious_incident, "not yet occurred");
        assert_eq!(need("2026-06-01").required, Some(PiaKind::Focused));
        assert_eq!(t.need(None, 900, None, today).required, None);
        assert!(!t.is_stale("2021-12-01".parse().unwrap(), today));
        assert!(t.is_stale("2021-11-30".parse().unwrap(), today));
    }

    #[test]
    fn kinds_parse_from_codes_and_japanese_labels() {
        for kind in PiaKind::ALL {
            assert_eq!(kind.code().parse::<PiaKind>().unwrap(), kind);
            assert_eq!(kind.label_ja().parse::<PiaKind>().unwrap(), kind);
        }
        assert_eq!("重点項目".parse::<PiaKind>().unwrap(), PiaKind::Focused);
        assert!("detailed".parse::<PiaKind>().is_err());
    }

    #[test]
    fn a_policy_without_the_section_has_the_national_figures_and_a_city_may_state_its_own() {
        let base = "name = \"city\"\nextends = \"niigata\"\n";
        let plain = crate::policy::Policy::from_toml(base, "city.toml").unwrap();
        assert_eq!(plain.pia(), PiaThresholds::default());
        let own = format!("{base}[pia]\nmany_handlers = 300\n");
        let own = crate::policy::Policy::from_toml(&own, "city.toml").unwrap();
        assert_eq!(own.pia().many_handlers, 300);
        assert_eq!(
            own.pia().basic_from,
            1_000,
            "a figure left out is the national one"
        );
        let mistyped = format!("{base}[pia]\nmany_handler = 300\n");
        assert!(crate::policy::Policy::from_toml(&mistyped, "city.toml").is_err());
        let disordered = format!("{base}[pia]\nfocused_from = 500\n");
        let err = crate::policy::Policy::from_toml(&disordered, "city.toml").unwrap_err();
        assert!(err.to_string().contains("must not decrease"), "{err}");
        // A stored policy of an older register, without the section, loads
        // and is written back as it was, so its SHA-256 holds.
        let current = crate::policy::Policy::niigata().to_toml().to_owned();
        let older = &current[..current.find("[pia]").unwrap()];
        let stored = crate::policy::Policy::from_toml(older, "stored").unwrap();
        assert_eq!(stored.pia(), PiaThresholds::default());
        assert_eq!(stored.to_toml().trim_end(), older.trim_end());
    }

    #[test]
    fn thresholds_out_of_order_are_a_problem() {
        let swapped = PiaThresholds {
            focused_from: 500,
            ..PiaThresholds::default()
        };
        assert!(swapped.problem().is_some());
        assert!(PiaThresholds::default().problem().is_none());
    }
}
