//! Cell parsers for CSV import of Japanese office sheets.
//!
//! Sections send their registers as Excel sheets typed by hand, so a cell may
//! hold full-width digits, an era date (`令和7年4月8日`, `R7.4.8`, `㋿7年4月8日`),
//! a `○`/`×` flag or a count with a unit (`１，２３４件`). These functions turn
//! such cells into typed values, or say in an error what was wrong. They never
//! guess: approximate counts and kanji numerals are reported, not read.
//!
//! Only code-like cells (codes, numbers, dates) go through [`normalize_code`];
//! names and notes keep their text, because NFKC also rewrites `㈱` and `①`.

use std::borrow::Cow;
use std::fmt;

use jiff::civil::{Date, Weekday};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// NFKC-normalizes and trims a code-like cell (codes, numbers, dates); never used on names or notes.
///
/// Full-width digits, letters and punctuation become ASCII, the ideographic
/// space (U+3000) is trimmed like any other whitespace, and era ligatures such
/// as `㋿` become `令和`. A cell that is already in NFKC (every ASCII cell is)
/// is returned borrowed, so the common case does not allocate.
#[must_use]
pub fn normalize_code(cell: &str) -> Cow<'_, str> {
    let trimmed = cell.trim();
    if trimmed.is_ascii() || matches!(is_nfkc_quick(trimmed.chars()), IsNormalized::Yes) {
        return Cow::Borrowed(trimmed);
    }
    let normalized: String = trimmed.nfkc().collect();
    // NFKC maps a few characters (no-break spaces, U+00A8, ...) to a space.
    if normalized.trim().len() == normalized.len() {
        Cow::Owned(normalized)
    } else {
        Cow::Owned(normalized.trim().to_owned())
    }
}

// ---------------------------------------------------------------------------
// Eras

/// A Japanese era (元号) of the modern calendar, with its JIS X 0301 boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Era {
    /// 明治 (`M`, `明`), 1868-01-25 to 1912-07-29.
    Meiji,
    /// 大正 (`T`, `大`), 1912-07-30 to 1926-12-24.
    Taisho,
    /// 昭和 (`S`, `昭`), 1926-12-25 to 1989-01-07.
    Showa,
    /// 平成 (`H`, `平`), 1989-01-08 to 2019-04-30.
    Heisei,
    /// 令和 (`R`, `令`), from 2019-05-01.
    Reiwa,
}

/// The day Japan adopted the Gregorian calendar: 明治6年1月1日.
///
/// Earlier 明治 dates are lunisolar and cannot be read as Gregorian dates.
pub const GREGORIAN_ADOPTION: Date = Date::constant(1873, 1, 1);

/// The first era year written in the Gregorian calendar (明治6年).
const MEIJI_FIRST_GREGORIAN_YEAR: u16 = 6;

impl Era {
    /// Every era, oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    /// The era's name in Japanese, e.g. `令和`.
    #[must_use]
    pub const fn name_ja(self) -> &'static str {
        match self {
            Era::Meiji => "明治",
            Era::Taisho => "大正",
            Era::Showa => "昭和",
            Era::Heisei => "平成",
            Era::Reiwa => "令和",
        }
    }

    /// The one-kanji abbreviation of JIS X 0301, e.g. `令`.
    #[must_use]
    pub const fn abbr_ja(self) -> char {
        match self {
            Era::Meiji => '明',
            Era::Taisho => '大',
            Era::Showa => '昭',
            Era::Heisei => '平',
            Era::Reiwa => '令',
        }
    }

    /// The upper-case letter of JIS X 0301, e.g. `R`.
    #[must_use]
    pub const fn letter(self) -> char {
        match self {
            Era::Meiji => 'M',
            Era::Taisho => 'T',
            Era::Showa => 'S',
            Era::Heisei => 'H',
            Era::Reiwa => 'R',
        }
    }

    /// The era's first day (its 元年 starts here).
    ///
    /// For 明治 this is 1868-01-25, the JIS X 0301 convention; dates are only
    /// read from [`GREGORIAN_ADOPTION`] on.
    #[must_use]
    pub const fn first_day(self) -> Date {
        match self {
            Era::Meiji => Date::constant(1868, 1, 25),
            Era::Taisho => Date::constant(1912, 7, 30),
            Era::Showa => Date::constant(1926, 12, 25),
            Era::Heisei => Date::constant(1989, 1, 8),
            Era::Reiwa => Date::constant(2019, 5, 1),
        }
    }

    /// The era's last day, or `None` for the current era.
    #[must_use]
    pub const fn last_day(self) -> Option<Date> {
        match self {
            Era::Meiji => Some(Date::constant(1912, 7, 29)),
            Era::Taisho => Some(Date::constant(1926, 12, 24)),
            Era::Showa => Some(Date::constant(1989, 1, 7)),
            Era::Heisei => Some(Date::constant(2019, 4, 30)),
            Era::Reiwa => None,
        }
    }

    /// The era that contains `date`, or `None` before 明治 began.
    #[must_use]
    pub fn of(date: Date) -> Option<Era> {
        Era::ALL
            .into_iter()
            .rev()
            .find(|era| era.first_day() <= date)
    }

    /// The era for a JIS X 0301 letter, in either case.
    #[must_use]
    pub fn from_letter(letter: char) -> Option<Era> {
        Era::ALL
            .into_iter()
            .find(|era| era.letter().eq_ignore_ascii_case(&letter))
    }

    /// The Gregorian year of the era's 元年.
    fn first_year(self) -> i16 {
        self.first_day().year()
    }

    /// The Gregorian year of era year `year` (1 is 元年), if it fits a date.
    fn gregorian_year(self, year: u16) -> Option<i16> {
        let year = i16::try_from(year).ok()?;
        self.first_year().checked_add(year)?.checked_sub(1)
    }
}

impl fmt::Display for Era {
    /// Writes the Japanese name, e.g. `令和`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name_ja())
    }
}

// ---------------------------------------------------------------------------
// Dates

/// A date parsed from a cell, with a warning when it was accepted but suspicious.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDate {
    /// The Gregorian date.
    pub date: Date,
    /// Set when the cell was read but should be checked by a person.
    pub warning: Option<DateWarning>,
}

/// Why an accepted date is suspicious.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateWarning {
    /// Era year past the era's last year, e.g. 平成32年 (= 2020).
    ///
    /// Such years are real (documents written before an era change, retention
    /// deadlines like 平成61年), so the date is read as the Gregorian year the
    /// era year gives, and the warning asks for a look.
    EraYearOverflow {
        /// The era as written.
        era: Era,
        /// The era year as written.
        year: u16,
    },
}

impl fmt::Display for DateWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DateWarning::EraYearOverflow { era, year } => {
                write!(f, "{era}{year}年 is after the {era} era ended")?;
                if let Some(last) = era.last_day() {
                    write!(f, " on {last}")?;
                }
                if let Some(gregorian) = era.gregorian_year(year) {
                    write!(f, "; read as the year {gregorian}")?;
                }
                Ok(())
            }
        }
    }
}

/// Why a cell is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// The cell is empty or only whitespace.
    #[error("date is empty")]
    Empty,
    /// The cell is in no accepted form; this includes Excel serial numbers
    /// (ambiguous with counts) and two-digit years.
    #[error("`{cell}` is not a date{}", unrecognized_hint(.cell))]
    Unrecognized {
        /// The cell, trimmed.
        cell: String,
    },
    /// A Gregorian date with year 0.
    #[error("`{cell}` has year 0; years run from 1 to 9999")]
    YearZero {
        /// The cell, trimmed.
        cell: String,
    },
    /// An era date with era year 0.
    #[error("`{cell}` has year 0 of {era}; the first year of an era is 1 (元年)")]
    EraYearZero {
        /// The cell, trimmed.
        cell: String,
        /// The era as written.
        era: Era,
    },
    /// A month outside 1 to 12.
    #[error("`{cell}` has month {month}; months run from 1 to 12")]
    InvalidMonth {
        /// The cell, trimmed.
        cell: String,
        /// The month as written.
        month: i8,
    },
    /// A day that its month does not have, e.g. 2025-02-30.
    #[error(
        "`{cell}` is not a real day: {year:04}-{month:02} has {} days",
        days_in_month(*.year, *.month)
    )]
    InvalidDay {
        /// The cell, trimmed.
        cell: String,
        /// The Gregorian year (converted from the era year for era dates).
        year: i16,
        /// The month.
        month: i8,
        /// The day as written.
        day: i8,
    },
    /// An era date before the era began, e.g. 平成1年1月7日 (that day is 昭和64年).
    #[error("`{cell}` is before the {era} era began on {starts}{}", era_note(*.date))]
    BeforeEraStart {
        /// The cell, trimmed.
        cell: String,
        /// The era as written.
        era: Era,
        /// The era year as written.
        era_year: u16,
        /// The month.
        month: i8,
        /// The day.
        day: i8,
        /// The Gregorian date the cell would name.
        date: Date,
        /// The era's first day.
        starts: Date,
    },
    /// A 明治 date before 明治6年1月1日 (1873-01-01), which was on the lunisolar calendar.
    #[error(
        "`{cell}` is before {GREGORIAN_ADOPTION} (明治6年1月1日), when Japan adopted the \
         Gregorian calendar; earlier dates are lunisolar, so enter the Gregorian date instead"
    )]
    LunarCalendar {
        /// The cell, trimmed.
        cell: String,
        /// The 明治 year as written.
        era_year: u16,
        /// The (lunisolar) month.
        month: i8,
        /// The (lunisolar) day.
        day: i8,
    },
    /// The cell names a weekday that its date does not fall on.
    #[error(
        "`{cell}` says {}曜日 but {date} is a {}曜日",
        weekday_ja(*.written),
        weekday_ja(.date.weekday())
    )]
    WeekdayMismatch {
        /// The cell, trimmed.
        cell: String,
        /// The date without the weekday.
        date: Date,
        /// The weekday as written.
        written: Weekday,
    },
}

/// Parses a date cell into a Gregorian date.
///
/// The cell is normalized with [`normalize_code`] first, so full-width digits
/// and punctuation, ideographic spaces and the ligatures `㋿ ㍻ ㍼ ㍽ ㍾` work.
/// Accepted forms:
///
/// - Gregorian with a four-digit year: `2025-04-08`, `2025-4-8`, `2025/4/8`,
///   `2025.4.8`, `2025年4月8日`;
/// - era dates: an era as full name (`令和`), kanji (`令`) or letter in either
///   case (`R`, `r`), then a year of up to three digits or `元`, then the same
///   separators: `令和7年4月8日`, `令和元年5月1日`, `R7.4.8`, `R07.04.08`,
///   `r7/4/1`, `H31-4-30`, `令7.4.8`, `R7年4月8日`;
/// - spaces between the parts (`令和 7年 4月 8日`, `R 7.04.08`);
/// - a weekday as Excel writes it, checked against the date: `2025/4/8(火)`,
///   `2025年4月8日(火曜日)`, `2025年4月8日 火曜日`;
/// - a time of day after a space or `T`, which is ignored: `2025/4/8 0:00`,
///   `2025-04-08 00:00:00`, `2025-04-08T00:00:00.000`.
///
/// A date after its era ended (平成32年1月1日) is read as the Gregorian date
/// the era year gives, with [`DateWarning::EraYearOverflow`].
///
/// # Errors
///
/// [`DateError::Empty`] for an empty cell; [`DateError::Unrecognized`] for any
/// other form, including Excel serial numbers and two-digit years; the other
/// variants for a well-formed cell that names no real day: year or month out
/// of range, a day the month lacks, a date before its era began, a lunisolar
/// 明治 date, or a weekday that does not match.
pub fn parse_date(cell: &str) -> Result<ParsedDate, DateError> {
    // Export writes plain ISO, so re-imports skip normalization entirely.
    if let Some(written) = scan_iso(cell.as_bytes()) {
        return resolve(cell, written);
    }
    let text = normalize_code(cell);
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    match scan_date(&text) {
        Some(written) => resolve(cell, written),
        None => Err(DateError::Unrecognized {
            cell: cell.trim().to_owned(),
        }),
    }
}

/// Today's date in Japan Standard Time (UTC+9, no daylight saving), the
/// calendar a Japanese city's records are kept in, whatever the machine's zone.
pub fn today_in_japan() -> Date {
    jiff::tz::Offset::constant(9)
        .to_datetime(jiff::Timestamp::now())
        .date()
}

/// Canonical text form of a date for export: ISO `YYYY-MM-DD`.
#[must_use]
pub fn format_date(date: Date) -> String {
    date.to_string()
}

/// Japanese era form of a date for display, e.g. `令和7年4月8日` or `令和元年5月1日`.
///
/// Returns `None` before [`GREGORIAN_ADOPTION`], when Japan still used the
/// lunisolar calendar, and after 令和999年 (3017), past the three-digit era
/// years that [`parse_date`] reads. [`parse_date`] reads every string this returns.
#[must_use]
pub fn format_date_ja(date: Date) -> Option<String> {
    if date < GREGORIAN_ADOPTION {
        return None;
    }
    let era = Era::of(date)?;
    let (month, day) = (date.month(), date.day());
    let year = date.year() - era.first_year() + 1;
    if year > 999 {
        return None;
    }
    Some(if year == 1 {
        format!("{era}元年{month}月{day}日")
    } else {
        format!("{era}{year}年{month}月{day}日")
    })
}

/// The parts of a date cell as written, before any calendar check.
#[derive(Debug, Clone, Copy)]
struct Written {
    era: Option<Era>,
    /// Gregorian year, or era year when `era` is set.
    year: u16,
    month: i8,
    day: i8,
    weekday: Option<Weekday>,
}

/// Reads exactly `YYYY-MM-DD` in ASCII, without normalizing.
fn scan_iso(bytes: &[u8]) -> Option<Written> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = bytes else {
        return None;
    };
    let year = [y0, y1, y2, y3]
        .into_iter()
        .try_fold(0, |acc, b| Some(acc * 10 + digit(b)?))?;
    Some(Written {
        era: None,
        year,
        month: i8::try_from(digit(m0)? * 10 + digit(m1)?).ok()?,
        day: i8::try_from(digit(d0)? * 10 + digit(d1)?).ok()?,
        weekday: None,
    })
}

fn digit(b: u8) -> Option<u16> {
    b.is_ascii_digit().then(|| u16::from(b - b'0'))
}

/// Reads any accepted form from a normalized, trimmed, non-empty cell.
fn scan_date(text: &str) -> Option<Written> {
    let mut s = Scanner { rest: text };
    let era = s.era();
    s.spaces();
    let year = match era {
        Some(_) if s.eat('元') => 1,
        Some(_) => s.number(1, 3)?,
        // Two-digit years are ambiguous (which century?), so four digits only.
        None => s.number(4, 4)?,
    };
    s.spaces();
    let sep = s.separator()?;
    s.spaces();
    let month = i8::try_from(s.number(1, 2)?).ok()?;
    s.spaces();
    let same_style = if sep == Sep::Kanji {
        s.eat('月')
    } else {
        s.separator() == Some(sep)
    };
    if !same_style {
        return None;
    }
    s.spaces();
    let day = i8::try_from(s.number(1, 2)?).ok()?;
    if sep == Sep::Kanji {
        s.spaces();
        s.eat('日');
    }
    let weekday = s.weekday();
    if !s.time() || !s.rest.is_empty() {
        return None;
    }
    Some(Written {
        era,
        year,
        month,
        day,
        weekday,
    })
}

/// How the year, month and day are separated; month and day must match the year's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// `年`, then `月`, then an optional `日`.
    Kanji,
    Dash,
    Slash,
    Dot,
}

/// A cursor over a normalized cell; it only ever splits at char boundaries.
#[derive(Debug)]
struct Scanner<'a> {
    rest: &'a str,
}

impl Scanner<'_> {
    fn eat(&mut self, c: char) -> bool {
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn eat_str(&mut self, token: &str) -> bool {
        match self.rest.strip_prefix(token) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// Skips spaces and tabs; tells whether there were any.
    fn spaces(&mut self) -> bool {
        let rest = self.rest.trim_start_matches([' ', '\t']);
        let skipped = rest.len() != self.rest.len();
        self.rest = rest;
        skipped
    }

    fn digit_count(&self) -> usize {
        self.rest.bytes().take_while(u8::is_ascii_digit).count()
    }

    /// Reads a run of `min..=max` ASCII digits (`max` at most 4, so it fits).
    fn number(&mut self, min: usize, max: usize) -> Option<u16> {
        let count = self.digit_count();
        if count < min || count > max.min(4) {
            return None;
        }
        let (digits, rest) = self.rest.split_at_checked(count)?;
        self.rest = rest;
        Some(
            digits
                .bytes()
                .fold(0, |acc, b| acc * 10 + u16::from(b - b'0')),
        )
    }

    /// Skips a run of `min..=max` ASCII digits.
    fn skip_digits(&mut self, min: usize, max: usize) -> bool {
        let count = self.digit_count();
        match self.rest.get(count..) {
            Some(rest) if (min..=max).contains(&count) => {
                self.rest = rest;
                true
            }
            _ => false,
        }
    }

    fn era(&mut self) -> Option<Era> {
        if self.rest.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        // Full names first: `大正` must not be read as `大` + garbage.
        if let Some(era) = Era::ALL.into_iter().find(|era| self.eat_str(era.name_ja())) {
            return Some(era);
        }
        if let Some(era) = Era::ALL.into_iter().find(|era| self.eat(era.abbr_ja())) {
            return Some(era);
        }
        let mut chars = self.rest.chars();
        let era = chars.next().and_then(Era::from_letter)?;
        // A letter is an era only before a year, so words like `Tue` are not dates.
        if !chars
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == ' ' || c == '元')
        {
            return None;
        }
        self.rest = self.rest.get(1..)?;
        Some(era)
    }

    fn separator(&mut self) -> Option<Sep> {
        let c = self.rest.chars().next()?;
        let sep = match c {
            '年' => Sep::Kanji,
            '/' => Sep::Slash,
            '.' => Sep::Dot,
            // Dashes NFKC leaves alone but people (and CP932 round trips) use.
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | 'ー' => Sep::Dash,
            _ => return None,
        };
        self.rest = self.rest.strip_prefix(c)?;
        Some(sep)
    }

    /// Reads a weekday the way Excel's `aaa`/`aaaa` formats write it.
    fn weekday(&mut self) -> Option<Weekday> {
        let mut s = Scanner { rest: self.rest };
        s.spaces();
        let weekday = if s.eat('(') {
            s.spaces();
            let weekday = s.weekday_kanji()?;
            if s.eat('曜') {
                s.eat('日');
            }
            s.spaces();
            if !s.eat(')') {
                return None;
            }
            weekday
        } else {
            let weekday = s.weekday_kanji()?;
            if !s.eat_str("曜日") {
                return None;
            }
            weekday
        };
        self.rest = s.rest;
        Some(weekday)
    }

    fn weekday_kanji(&mut self) -> Option<Weekday> {
        let c = self.rest.chars().next()?;
        let weekday = weekday_from_ja(c)?;
        self.rest = self.rest.strip_prefix(c)?;
        Some(weekday)
    }

    /// Skips a time of day after the date (Excel writes `2025/4/8 0:00`);
    /// the register keeps dates only. False when something else follows.
    fn time(&mut self) -> bool {
        let spaced = self.spaces();
        if self.rest.is_empty() {
            return true;
        }
        if !spaced && !self.eat('T') {
            return false;
        }
        let Some(hour) = self.number(1, 2) else {
            return false;
        };
        if !self.eat(':') {
            return false;
        }
        let Some(minute) = self.number(2, 2) else {
            return false;
        };
        let mut second = 0;
        if self.eat(':') {
            let Some(s) = self.number(2, 2) else {
                return false;
            };
            second = s;
            if self.eat('.') && !self.skip_digits(1, 9) {
                return false;
            }
        }
        self.spaces();
        hour <= 23 && minute <= 59 && second <= 59
    }
}

/// Checks the written parts against the calendar and the era table.
fn resolve(cell: &str, written: Written) -> Result<ParsedDate, DateError> {
    let cell_text = || cell.trim().to_owned();
    let Written {
        era,
        year: written_year,
        month,
        day,
        weekday,
    } = written;
    if written_year == 0 {
        return Err(match era {
            Some(era) => DateError::EraYearZero {
                cell: cell_text(),
                era,
            },
            None => DateError::YearZero { cell: cell_text() },
        });
    }
    if era == Some(Era::Meiji) && written_year < MEIJI_FIRST_GREGORIAN_YEAR {
        return Err(DateError::LunarCalendar {
            cell: cell_text(),
            era_year: written_year,
            month,
            day,
        });
    }
    if !(1..=12).contains(&month) {
        return Err(DateError::InvalidMonth {
            cell: cell_text(),
            month,
        });
    }
    let year = match era {
        Some(era) => era.gregorian_year(written_year),
        None => i16::try_from(written_year).ok(),
    };
    // The scanner reads at most 4 digits (3 for era years), so this always fits.
    let Some(year) = year else {
        return Err(DateError::Unrecognized { cell: cell_text() });
    };
    let Ok(date) = Date::new(year, month, day) else {
        return Err(DateError::InvalidDay {
            cell: cell_text(),
            year,
            month,
            day,
        });
    };
    let mut warning = None;
    if let Some(era) = era {
        let starts = era.first_day();
        if date < starts {
            return Err(DateError::BeforeEraStart {
                cell: cell_text(),
                era,
                era_year: written_year,
                month,
                day,
                date,
                starts,
            });
        }
        if era.last_day().is_some_and(|last| date > last) {
            warning = Some(DateWarning::EraYearOverflow {
                era,
                year: written_year,
            });
        }
    }
    if let Some(written) = weekday
        && written != date.weekday()
    {
        return Err(DateError::WeekdayMismatch {
            cell: cell_text(),
            date,
            written,
        });
    }
    Ok(ParsedDate { date, warning })
}

fn days_in_month(year: i16, month: i8) -> i8 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn weekday_ja(weekday: Weekday) -> char {
    match weekday {
        Weekday::Monday => '月',
        Weekday::Tuesday => '火',
        Weekday::Wednesday => '水',
        Weekday::Thursday => '木',
        Weekday::Friday => '金',
        Weekday::Saturday => '土',
        Weekday::Sunday => '日',
    }
}

fn weekday_from_ja(c: char) -> Option<Weekday> {
    Some(match c {
        '月' => Weekday::Monday,
        '火' => Weekday::Tuesday,
        '水' => Weekday::Wednesday,
        '木' => Weekday::Thursday,
        '金' => Weekday::Friday,
        '土' => Weekday::Saturday,
        '日' => Weekday::Sunday,
        _ => return None,
    })
}

/// Names the era a date really belongs to, for [`DateError::BeforeEraStart`].
fn era_note(date: Date) -> String {
    format_date_ja(date).map_or_else(String::new, |ja| format!("; {date} is {ja}"))
}

/// The advice appended to [`DateError::Unrecognized`], chosen by the cell's shape.
fn unrecognized_hint(cell: &str) -> &'static str {
    let text = normalize_code(cell);
    let bytes = text.as_bytes();
    if bytes.len() == 8 && bytes.iter().all(u8::is_ascii_digit) {
        return "; write the year, month and day apart, e.g. `2025-04-08`";
    }
    let dots = text.matches('.').count();
    if dots <= 1
        && bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.iter().all(|&b| b.is_ascii_digit() || b == b'.')
    {
        return "; a bare number may be an Excel serial date: format the column as a date \
                (yyyy-mm-dd) in Excel and save the CSV again";
    }
    let lead = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let short_year = matches!(bytes.get(lead), Some(b'/' | b'.' | b'-'));
    if (1..=2).contains(&lead) && short_year {
        return "; write the year with four digits (`2025/4/8`) or with its era (`R7.4.8`)";
    }
    "; write it like `2025-04-08`, `2025/4/8`, `令和7年4月8日` or `R7.4.8`"
}

// ---------------------------------------------------------------------------
// Yes/no flags

/// Why a cell is not a yes/no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BoolError {
    /// The cell is empty; callers usually treat that as "not set" before parsing.
    #[error("yes/no value is empty")]
    Empty,
    /// The cell is none of the accepted words or marks.
    #[error(
        "`{cell}` is not a yes/no value; write ○ or ×, はい or いいえ, true or false, or 1 or 0"
    )]
    Unrecognized {
        /// The cell, trimmed.
        cell: String,
    },
}

/// Words and marks read as true (compared after NFKC, ASCII case ignored).
const TRUE_WORDS: [&str; 12] = [
    "true", "yes", "y", "1", "○", "〇", "◯", "●", "有", "あり", "はい", "要",
];

/// Words and marks read as false. `x`, `✗` and `-` are left out on purpose:
/// in office sheets they also mean "not applicable" or "unknown".
const FALSE_WORDS: [&str; 10] = [
    "false",
    "no",
    "n",
    "0",
    "×",
    "✕",
    "無",
    "なし",
    "いいえ",
    "不要",
];

/// Parses a yes/no cell.
///
/// After [`normalize_code`], ASCII case ignored: `true`/`false`, `yes`/`no`,
/// `y`/`n`, `1`/`0`; true also `○ 〇 ◯ ● 有 あり はい 要`, false also
/// `× ✕ 無 なし いいえ 不要`.
///
/// # Errors
///
/// [`BoolError::Empty`] for an empty cell (callers treat it as "not set"
/// before calling), [`BoolError::Unrecognized`] for anything else.
pub fn parse_bool(cell: &str) -> Result<bool, BoolError> {
    let text = normalize_code(cell);
    if text.is_empty() {
        return Err(BoolError::Empty);
    }
    if TRUE_WORDS
        .iter()
        .any(|word| word.eq_ignore_ascii_case(&text))
    {
        Ok(true)
    } else if FALSE_WORDS
        .iter()
        .any(|word| word.eq_ignore_ascii_case(&text))
    {
        Ok(false)
    } else {
        Err(BoolError::Unrecognized {
            cell: cell.trim().to_owned(),
        })
    }
}

// ---------------------------------------------------------------------------
// Counts

/// Why a cell is not an exact count.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CountError {
    /// The cell is empty.
    #[error("count is empty")]
    Empty,
    /// An approximate amount such as `約1万件`, `1000以上` or `100~200`.
    #[error("`{cell}` is approximate; write the exact number, e.g. `12345`")]
    Approximate {
        /// The cell, trimmed.
        cell: String,
    },
    /// Kanji numerals such as `1万2千` or `三百`.
    #[error("`{cell}` uses kanji numerals; write the exact number in digits, e.g. `12000`")]
    KanjiNumeral {
        /// The cell, trimmed.
        cell: String,
    },
    /// A negative number.
    #[error("`{cell}` is negative; a count is 0 or more")]
    Negative {
        /// The cell, trimmed.
        cell: String,
    },
    /// A number with a fraction, such as `12.5`.
    #[error("`{cell}` is not a whole number")]
    Fraction {
        /// The cell, trimmed.
        cell: String,
    },
    /// Commas not every three digits, such as `1,23`.
    #[error(
        "`{cell}` has misplaced thousands separators; put a comma every three digits \
         (`1,234`) or none (`1234`)"
    )]
    BadGrouping {
        /// The cell, trimmed.
        cell: String,
    },
    /// More than `u64::MAX`.
    #[error("`{cell}` is too large for a count")]
    TooLarge {
        /// The cell, trimmed.
        cell: String,
    },
    /// Anything else.
    #[error(
        "`{cell}` is not a count; write a whole number such as `1234` or `1,234`, \
         optionally followed by 件, 人 or 名"
    )]
    NotANumber {
        /// The cell, trimmed.
        cell: String,
    },
}

/// Units a count may end with.
const COUNT_UNITS: [char; 3] = ['件', '人', '名'];

/// Words and marks of an approximate amount, checked after NFKC (`～` is `~` then).
const APPROXIMATE: [&str; 21] = [
    "約",
    "およそ",
    "凡そ",
    "概ね",
    "概算",
    "程度",
    "ほど",
    "くらい",
    "ぐらい",
    "前後",
    "以上",
    "以下",
    "未満",
    "超",
    "余",
    "強",
    "弱",
    "~",
    "〜",
    "+",
    "±",
];

/// Kanji digits and units; their presence means the number is not in digits.
const KANJI_NUMERALS: [char; 16] = [
    '〇', '零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万', '億',
];

/// Parses an exact count, such as a number of people recorded (件数).
///
/// After [`normalize_code`]: ASCII digits, with commas either absent or every
/// three digits (`1234`, `1,234`, `１，２３４`), then optionally a unit `件`,
/// `人` or `名`.
///
/// # Errors
///
/// [`CountError::Empty`] for an empty cell; [`CountError::Approximate`] and
/// [`CountError::KanjiNumeral`] for forms the user must rewrite as an exact
/// number; [`CountError::BadGrouping`] for commas in the wrong places;
/// [`CountError::TooLarge`] past `u64::MAX`; the other variants for negative,
/// fractional or non-numeric cells.
pub fn parse_count(cell: &str) -> Result<u64, CountError> {
    let text = normalize_code(cell);
    if text.is_empty() {
        return Err(CountError::Empty);
    }
    let number = text.strip_suffix(COUNT_UNITS).map_or(&*text, str::trim_end);
    let make = match strict_count(number) {
        Ok(count) => return Ok(count),
        Err(Strict::BadGrouping) => |cell| CountError::BadGrouping { cell },
        Err(Strict::Overflow) => |cell| CountError::TooLarge { cell },
        // Only a failed cell pays for working out why.
        Err(Strict::NotDigits) => count_failure(&text, number),
    };
    Err(make(cell.trim().to_owned()))
}

/// Why a unit-less count did not parse strictly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strict {
    NotDigits,
    BadGrouping,
    Overflow,
}

fn strict_count(number: &str) -> Result<u64, Strict> {
    let bytes = number.as_bytes();
    if !bytes.iter().any(u8::is_ascii_digit)
        || !bytes.iter().all(|&b| b.is_ascii_digit() || b == b',')
    {
        return Err(Strict::NotDigits);
    }
    if bytes.contains(&b',') {
        let mut groups = number.split(',');
        let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
        if !first_ok || !groups.all(|g| g.len() == 3) {
            return Err(Strict::BadGrouping);
        }
    }
    bytes
        .iter()
        .filter(|b| b.is_ascii_digit())
        .try_fold(0_u64, |acc, &b| {
            acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        })
        .ok_or(Strict::Overflow)
}

/// Picks the error for a count that is not digits and commas.
fn count_failure(text: &str, number: &str) -> fn(String) -> CountError {
    if APPROXIMATE.iter().any(|marker| text.contains(marker)) {
        |cell| CountError::Approximate { cell }
    } else if text.contains(KANJI_NUMERALS) {
        |cell| CountError::KanjiNumeral { cell }
    } else if number
        .strip_prefix('-')
        .is_some_and(|n| strict_count(n).is_ok())
    {
        |cell| CountError::Negative { cell }
    } else if number.split_once('.').is_some_and(|(whole, fraction)| {
        strict_count(whole).is_ok()
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b.is_ascii_digit())
    }) {
        |cell| CountError::Fraction { cell }
    } else {
        |cell| CountError::NotANumber { cell }
    }
}

// ---------------------------------------------------------------------------
// Multi-valued cells

/// Splits a multi-valued cell (controls) on `;`, `、`, `,`, `，`, `；` and returns trimmed, non-empty parts.
///
/// Also splits on the half-width `､` and on line breaks, which Excel users
/// type with Alt+Enter. The parts are not normalized.
pub fn split_multi(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(is_multi_separator)
        .map(str::trim)
        .filter(|part| !part.is_empty())
}

fn is_multi_separator(c: char) -> bool {
    matches!(c, ';' | '；' | ',' | '，' | '、' | '､' | '\n' | '\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    mod date {
        use super::*;

        /// `expected` is the ISO date, the date and ` (warning)`, or `error: message`.
        #[track_caller]
        fn check(input: &str, expected: &str) {
            let got = match parse_date(input) {
                Ok(ParsedDate {
                    date,
                    warning: None,
                }) => date.to_string(),
                Ok(ParsedDate {
                    date,
                    warning: Some(warning),
                }) => format!("{date} ({warning})"),
                Err(error) => format!("error: {error}"),
            };
            assert_eq!(got, expected, "input: {input:?}");
        }

        #[test]
        fn gregorian() {
            check("2025-04-08", "2025-04-08");
            check("  2025-04-08 ", "2025-04-08");
            check("2025-4-8", "2025-04-08");
            check("2025/4/8", "2025-04-08");
            check("2025/04/08", "2025-04-08");
            check("2025.4.8", "2025-04-08");
            check("2025年4月8日", "2025-04-08");
            check("2025年4月8", "2025-04-08");
            check("2025年 4月 8日", "2025-04-08");
            check("2025 / 4 / 8", "2025-04-08");
            check("2024-02-29", "2024-02-29");
            check("2000-02-29", "2000-02-29");
            check("1800-01-01", "1800-01-01");
            check("0001-01-01", "0001-01-01");
            check("9999-12-31", "9999-12-31");
        }

        #[test]
        fn excel_time_and_weekday() {
            check("2025/4/8 0:00", "2025-04-08");
            check("2025/4/8 0:00:00", "2025-04-08");
            check("2025-04-08 00:00:00", "2025-04-08");
            check("2025-04-08T00:00:00", "2025-04-08");
            check("2025-04-08T23:59:59.999", "2025-04-08");
            check("2025/4/8(火)", "2025-04-08");
            check("2025/4/8 (火)", "2025-04-08");
            check("2025/4/8(火) 9:30", "2025-04-08");
            check("2025年4月8日(火曜日)", "2025-04-08");
            check("2025年4月8日（火）", "2025-04-08");
            check("2025年4月8日 火曜日", "2025-04-08");
            check("令和7年4月8日(火)", "2025-04-08");
            check(
                "2025/4/8(水)",
                "error: `2025/4/8(水)` says 水曜日 but 2025-04-08 is a 火曜日",
            );
        }

        #[test]
        fn full_width() {
            check("２０２５－０４－０８", "2025-04-08");
            check("２０２５／４／８", "2025-04-08");
            check("２０２５年４月８日", "2025-04-08");
            check("Ｒ７．４．８", "2025-04-08");
            check("令和７年４月８日", "2025-04-08");
            check("令和７年　４月　８日", "2025-04-08");
            check("　2025-04-08　", "2025-04-08");
            check("ｈ３１／４／３０", "2019-04-30");
        }

        #[test]
        fn odd_dashes() {
            check("2025−04−08", "2025-04-08");
            check("2025‐04‐08", "2025-04-08");
            check("2025ー04ー08", "2025-04-08");
            check("2025ｰ04ｰ08", "2025-04-08");
        }

        #[test]
        fn era_forms() {
            check("令和7年4月8日", "2025-04-08");
            check("令和元年5月1日", "2019-05-01");
            check("令和 7年 4月 8日", "2025-04-08");
            check("R7.4.8", "2025-04-08");
            check("R07.04.08", "2025-04-08");
            check("R 7.04.08", "2025-04-08");
            check("r7/4/1", "2025-04-01");
            check("R7年4月8日", "2025-04-08");
            check("R元.5.1", "2019-05-01");
            check("H31/4/30", "2019-04-30");
            check("H31-4-30", "2019-04-30");
            check("令7.4.8", "2025-04-08");
            check("平31.4.30", "2019-04-30");
            check("S64.1.7", "1989-01-07");
            check("s64.1.7", "1989-01-07");
            check("昭和元年12月25日", "1926-12-25");
            check("大正元年7月30日", "1912-07-30");
            check("T15.12.24", "1926-12-24");
            check("大15.12.24", "1926-12-24");
            check("明治45年7月29日", "1912-07-29");
            check("明治6年1月1日", "1873-01-01");
            check("M6.1.1", "1873-01-01");
            check("明6.1.1", "1873-01-01");
        }

        #[test]
        fn ligatures() {
            check("㋿7年4月8日", "2025-04-08");
            check("㋿元年5月1日", "2019-05-01");
            check("㍻31年4月30日", "2019-04-30");
            check("㍼64年1月7日", "1989-01-07");
            check("㍽15年12月24日", "1926-12-24");
            check("㍾45年7月29日", "1912-07-29");
        }

        #[test]
        fn era_boundaries() {
            check("昭和64年1月7日", "1989-01-07");
            check(
                "平成1年1月7日",
                "error: `平成1年1月7日` is before the 平成 era began on 1989-01-08; \
                 1989-01-07 is 昭和64年1月7日",
            );
            check("平成元年1月8日", "1989-01-08");
            check("平成1年1月8日", "1989-01-08");
            check("平成31年4月30日", "2019-04-30");
            check("令和元年5月1日", "2019-05-01");
            check(
                "令和元年4月30日",
                "error: `令和元年4月30日` is before the 令和 era began on 2019-05-01; \
                 2019-04-30 is 平成31年4月30日",
            );
            check(
                "大正元年7月29日",
                "error: `大正元年7月29日` is before the 大正 era began on 1912-07-30; \
                 1912-07-29 is 明治45年7月29日",
            );
            check(
                "昭和元年12月24日",
                "error: `昭和元年12月24日` is before the 昭和 era began on 1926-12-25; \
                 1926-12-24 is 大正15年12月24日",
            );
        }

        #[test]
        fn era_overflow() {
            check(
                "平成31年5月1日",
                "2019-05-01 (平成31年 is after the 平成 era ended on 2019-04-30; \
                 read as the year 2019)",
            );
            check(
                "平成32年1月1日",
                "2020-01-01 (平成32年 is after the 平成 era ended on 2019-04-30; \
                 read as the year 2020)",
            );
            check(
                "H61.3.31",
                "2049-03-31 (平成61年 is after the 平成 era ended on 2019-04-30; \
                 read as the year 2049)",
            );
            check(
                "昭和64年1月8日",
                "1989-01-08 (昭和64年 is after the 昭和 era ended on 1989-01-07; \
                 read as the year 1989)",
            );
            check(
                "昭和100年1月1日",
                "2025-01-01 (昭和100年 is after the 昭和 era ended on 1989-01-07; \
                 read as the year 2025)",
            );
            check(
                "明治46年1月1日",
                "1913-01-01 (明治46年 is after the 明治 era ended on 1912-07-29; \
                 read as the year 1913)",
            );
            assert_eq!(
                parse_date("平成32年1月1日"),
                Ok(ParsedDate {
                    date: Date::constant(2020, 1, 1),
                    warning: Some(DateWarning::EraYearOverflow {
                        era: Era::Heisei,
                        year: 32
                    }),
                })
            );
        }

        #[test]
        fn structured_errors() {
            assert_eq!(
                parse_date("平成1年1月7日"),
                Err(DateError::BeforeEraStart {
                    cell: "平成1年1月7日".to_owned(),
                    era: Era::Heisei,
                    era_year: 1,
                    month: 1,
                    day: 7,
                    date: Date::constant(1989, 1, 7),
                    starts: Date::constant(1989, 1, 8),
                })
            );
            assert_eq!(
                parse_date(" 令和7年2月29日 "),
                Err(DateError::InvalidDay {
                    cell: "令和7年2月29日".to_owned(),
                    year: 2025,
                    month: 2,
                    day: 29,
                })
            );
            assert_eq!(parse_date(""), Err(DateError::Empty));
        }

        #[test]
        fn lunisolar_meiji() {
            let message = "is before 1873-01-01 (明治6年1月1日), when Japan adopted the \
                           Gregorian calendar; earlier dates are lunisolar, so enter the \
                           Gregorian date instead";
            check(
                "明治5年12月2日",
                &format!("error: `明治5年12月2日` {message}"),
            );
            check(
                "明治元年1月25日",
                &format!("error: `明治元年1月25日` {message}"),
            );
            check("M5.12.31", &format!("error: `M5.12.31` {message}"));
        }

        #[test]
        fn invalid_days() {
            check(
                "2025-02-30",
                "error: `2025-02-30` is not a real day: 2025-02 has 28 days",
            );
            check(
                "2025-02-29",
                "error: `2025-02-29` is not a real day: 2025-02 has 28 days",
            );
            check(
                "1900-02-29",
                "error: `1900-02-29` is not a real day: 1900-02 has 28 days",
            );
            check(
                "令和7年2月29日",
                "error: `令和7年2月29日` is not a real day: 2025-02 has 28 days",
            );
            check(
                "2025/4/31",
                "error: `2025/4/31` is not a real day: 2025-04 has 30 days",
            );
            check(
                "2025-04-00",
                "error: `2025-04-00` is not a real day: 2025-04 has 30 days",
            );
            check(
                "2025-01-32",
                "error: `2025-01-32` is not a real day: 2025-01 has 31 days",
            );
            check(
                "2025-13-01",
                "error: `2025-13-01` has month 13; months run from 1 to 12",
            );
            check(
                "R7.0.1",
                "error: `R7.0.1` has month 0; months run from 1 to 12",
            );
            check(
                "0000-01-01",
                "error: `0000-01-01` has year 0; years run from 1 to 9999",
            );
            check(
                "令和0年1月1日",
                "error: `令和0年1月1日` has year 0 of 令和; the first year of an era is 1 (元年)",
            );
        }

        #[test]
        fn unrecognized() {
            let forms = "write it like `2025-04-08`, `2025/4/8`, `令和7年4月8日` or `R7.4.8`";
            let serial = "a bare number may be an Excel serial date: format the column as a \
                          date (yyyy-mm-dd) in Excel and save the CSV again";
            let short = "write the year with four digits (`2025/4/8`) or with its era (`R7.4.8`)";
            check("", "error: date is empty");
            check("   ", "error: date is empty");
            check("\u{3000}", "error: date is empty");
            check(
                "garbage",
                &format!("error: `garbage` is not a date; {forms}"),
            );
            check("45755", &format!("error: `45755` is not a date; {serial}"));
            check(
                "45755.5",
                &format!("error: `45755.5` is not a date; {serial}"),
            );
            check(
                "４５７５５",
                &format!("error: `４５７５５` is not a date; {serial}"),
            );
            check(
                "20250408",
                "error: `20250408` is not a date; write the year, month and day apart, \
                 e.g. `2025-04-08`",
            );
            check("25/4/8", &format!("error: `25/4/8` is not a date; {short}"));
            check("7.4.8", &format!("error: `7.4.8` is not a date; {short}"));
            for cell in [
                "2025/4-8",
                "2025-04-08x",
                "2025-04-08 25:00",
                "2025-04-08 12:60",
                "2025-04-08 12",
                "2025-04-08T",
                "2025-04-08 00:00:00.",
                "2025/4",
                "2025/4/",
                "2025年4月",
                "2025年4/8",
                "2025/4/8日",
                "2025/4/8(火",
                "2025/4/8(x)",
                "令和七年四月八日",
                "令和7年4月",
                "令和",
                "R",
                "R.7.4.8",
                "Tue",
                "X7.4.8",
                "R2025.4.8",
                "R1000.1.1",
                "02025-04-08",
                "2025-004-08",
                "2025-04-008",
                "-2025-04-08",
            ] {
                check(cell, &format!("error: `{cell}` is not a date; {forms}"));
            }
        }

        /// Every day of the eras' Gregorian span, in era form, proves the era table.
        #[test]
        fn every_day_round_trips() {
            let mut date = GREGORIAN_ADOPTION;
            let last = Date::constant(2030, 12, 31);
            let mut days = 0;
            while date <= last {
                let ok = Ok(ParsedDate {
                    date,
                    warning: None,
                });
                let ja = format_date_ja(date).unwrap();
                assert_eq!(parse_date(&ja), ok, "{ja}");
                assert_eq!(parse_date(&format_date(date)), ok, "{date}");
                let era = Era::of(date).unwrap();
                let letter = format!(
                    "{}{:02}.{:02}.{:02}",
                    era.letter(),
                    date.year() - era.first_day().year() + 1,
                    date.month(),
                    date.day()
                );
                assert_eq!(parse_date(&letter), ok, "{letter}");
                date = date.tomorrow().unwrap();
                days += 1;
            }
            assert_eq!(days, 57_708);
        }
    }

    mod era {
        use super::*;

        #[test]
        fn eras_are_contiguous() {
            for pair in Era::ALL.windows(2) {
                let [earlier, later] = pair else { panic!() };
                let last = earlier.last_day().unwrap();
                assert_eq!(last.tomorrow().unwrap(), later.first_day(), "{earlier}");
                assert_eq!(Era::of(last), Some(*earlier));
                assert_eq!(Era::of(later.first_day()), Some(*later));
            }
            assert_eq!(Era::Reiwa.last_day(), None);
            assert_eq!(Era::of(Date::constant(1868, 1, 24)), None);
        }

        #[test]
        fn names() {
            let names: Vec<String> = Era::ALL
                .iter()
                .map(|era| format!("{era} {} {}", era.abbr_ja(), era.letter()))
                .collect();
            assert_eq!(
                names,
                [
                    "明治 明 M",
                    "大正 大 T",
                    "昭和 昭 S",
                    "平成 平 H",
                    "令和 令 R"
                ]
            );
            assert_eq!(Era::from_letter('r'), Some(Era::Reiwa));
            assert_eq!(Era::from_letter('X'), None);
        }

        #[test]
        fn japanese_form() {
            let ja = |y, m, d| format_date_ja(Date::constant(y, m, d));
            assert_eq!(ja(2025, 4, 8).as_deref(), Some("令和7年4月8日"));
            assert_eq!(ja(2019, 5, 1).as_deref(), Some("令和元年5月1日"));
            assert_eq!(ja(1989, 1, 7).as_deref(), Some("昭和64年1月7日"));
            assert_eq!(ja(1873, 1, 1).as_deref(), Some("明治6年1月1日"));
            assert_eq!(ja(1872, 12, 31), None);
            assert_eq!(format_date(Date::constant(987, 6, 5)), "0987-06-05");
            // Issue 6: the property test found 令和1000年, which parse_date does not read.
            assert_eq!(ja(3017, 12, 31).as_deref(), Some("令和999年12月31日"));
            assert_eq!(ja(3018, 1, 1), None);
        }
    }

    mod boolean {
        use super::*;

        /// `expected` is `true`, `false` or `error: message`.
        #[track_caller]
        fn check(input: &str, expected: &str) {
            let got = match parse_bool(input) {
                Ok(value) => value.to_string(),
                Err(error) => format!("error: {error}"),
            };
            assert_eq!(got, expected, "input: {input:?}");
        }

        #[test]
        fn accepted() {
            for cell in [
                "true",
                "TRUE",
                "True",
                "yes",
                "Yes",
                "y",
                "Y",
                "1",
                "○",
                "〇",
                "◯",
                "●",
                "有",
                "あり",
                "はい",
                "要",
                "ＴＲＵＥ",
                "１",
                " yes ",
                "　○　",
            ] {
                check(cell, "true");
            }
            for cell in [
                "false",
                "FALSE",
                "no",
                "No",
                "n",
                "N",
                "0",
                "×",
                "✕",
                "無",
                "なし",
                "いいえ",
                "不要",
                "ｎｏ",
                "０",
            ] {
                check(cell, "false");
            }
        }

        #[test]
        fn rejected() {
            check("", "error: yes/no value is empty");
            check("　", "error: yes/no value is empty");
            for cell in [
                "x", "X", "✗", "-", "maybe", "2", "有り", "yess", "t", "on", "△",
            ] {
                check(
                    cell,
                    &format!(
                        "error: `{cell}` is not a yes/no value; write ○ or ×, はい or いいえ, \
                         true or false, or 1 or 0"
                    ),
                );
            }
        }
    }

    mod count {
        use super::*;

        /// `expected` is the number or `error: message`.
        #[track_caller]
        fn check(input: &str, expected: &str) {
            let got = match parse_count(input) {
                Ok(value) => value.to_string(),
                Err(error) => format!("error: {error}"),
            };
            assert_eq!(got, expected, "input: {input:?}");
        }

        #[test]
        fn accepted() {
            check("0", "0");
            check("1234", "1234");
            check("1,234", "1234");
            check("１，２３４", "1234");
            check("１，２３４件", "1234");
            check("1,234,567", "1234567");
            check("123", "123");
            check("12件", "12");
            check("12 人", "12");
            check("3名", "3");
            check("  42  ", "42");
            check("007", "7");
            check("18446744073709551615", "18446744073709551615");
            check("18,446,744,073,709,551,615", "18446744073709551615");
        }

        #[test]
        fn rejected() {
            let approximate = "is approximate; write the exact number, e.g. `12345`";
            let kanji = "uses kanji numerals; write the exact number in digits, e.g. `12000`";
            let grouping = "has misplaced thousands separators; put a comma every three \
                            digits (`1,234`) or none (`1234`)";
            let nan = "is not a count; write a whole number such as `1234` or `1,234`, \
                       optionally followed by 件, 人 or 名";
            check("", "error: count is empty");
            check("　", "error: count is empty");
            for cell in [
                "約1万件",
                "約1000件",
                "1000以上",
                "100~200",
                "100〜200",
                "100～200",
                "100程度",
                "1000+",
                "1000人強",
            ] {
                check(cell, &format!("error: `{cell}` {approximate}"));
            }
            for cell in ["1万2千", "1万", "三百", "2千件", "1億"] {
                check(cell, &format!("error: `{cell}` {kanji}"));
            }
            for cell in [
                "1,23", "12,3456", ",123", "1,234,", "1,,234", "1234,567", "1,2345",
            ] {
                check(cell, &format!("error: `{cell}` {grouping}"));
            }
            for cell in ["abc", "件", "1 234", "1件件", "12a", "一", ","] {
                let expected = if cell == "一" {
                    format!("error: `{cell}` {kanji}")
                } else {
                    format!("error: `{cell}` {nan}")
                };
                check(cell, &expected);
            }
            check("-5", "error: `-5` is negative; a count is 0 or more");
            check("12.5", "error: `12.5` is not a whole number");
            check("1,234.0件", "error: `1,234.0件` is not a whole number");
            check(
                "18446744073709551616",
                "error: `18446744073709551616` is too large for a count",
            );
            check(
                "99999999999999999999999999",
                "error: `99999999999999999999999999` is too large for a count",
            );
        }
    }

    mod split {
        use super::*;

        #[track_caller]
        fn check(input: &str, expected: &[&str]) {
            let got: Vec<&str> = split_multi(input).collect();
            assert_eq!(got, expected, "input: {input:?}");
        }

        #[test]
        fn parts() {
            check("mfa", &["mfa"]);
            check("mfa; encryption、backup", &["mfa", "encryption", "backup"]);
            check("a,b，c；d;e、f､g", &["a", "b", "c", "d", "e", "f", "g"]);
            check("a,,b", &["a", "b"]);
            check(" ; ；、 ", &[]);
            check("", &[]);
            check("　mfa　；　backup　", &["mfa", "backup"]);
            check("mfa\r\nbackup\n", &["mfa", "backup"]);
            check("locked storage; backup", &["locked storage", "backup"]);
        }
    }

    mod normalize {
        use super::*;

        #[track_caller]
        fn check(input: &str, expected: &str) {
            assert_eq!(normalize_code(input), expected, "input: {input:?}");
        }

        #[track_caller]
        fn check_borrowed(input: &str, expected: &str) {
            let got = normalize_code(input);
            assert!(matches!(got, Cow::Borrowed(_)), "input: {input:?}");
            assert_eq!(got, expected, "input: {input:?}");
        }

        #[test]
        fn normalizes() {
            check("ＡＢＣ１２３", "ABC123");
            check("　R7　", "R7");
            check("\u{3000}", "");
            check("㍻", "平成");
            check("㋿", "令和");
            check("ｱｲｳ", "アイウ");
            check("１，２３４", "1,234");
            check("\u{a0}12\u{a0}", "12");
            check("機密性３Ｂ", "機密性3B");
        }

        #[test]
        fn borrows_when_already_normal() {
            check_borrowed("abc", "abc");
            check_borrowed("  abc\t", "abc");
            check_borrowed("", "");
            check_borrowed("令和7年4月8日", "令和7年4月8日");
            check_borrowed("　令和　", "令和");
        }
    }
}
