//! Dates: ISO, Japanese era forms and what Excel makes of them.

use jiff::civil::{Date, Weekday};
use std::fmt;

use super::normalize_code;

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
    pub(super) fn gregorian_year(self, year: u16) -> Option<i16> {
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

pub(super) fn days_in_month(year: i16, month: i8) -> i8 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

pub(super) fn weekday_ja(weekday: Weekday) -> char {
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
    unrecognized_hints(cell).1
}

/// The advice appended to [`DateError::Unrecognized`], in Japanese and English.
pub(super) fn unrecognized_hints(cell: &str) -> (&'static str, &'static str) {
    let text = normalize_code(cell);
    let bytes = text.as_bytes();
    if bytes.len() == 8 && bytes.iter().all(u8::is_ascii_digit) {
        return (
            "。年・月・日を区切って書いてください（例: `2025-04-08`）",
            "; write the year, month and day apart, e.g. `2025-04-08`",
        );
    }
    let dots = text.matches('.').count();
    if dots <= 1
        && bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.iter().all(|&b| b.is_ascii_digit() || b == b'.')
    {
        return (
            "。数字だけの値は Excel の日付のシリアル値かもしれません。Excel で列の書式を日付\
             （yyyy-mm-dd）にして CSV を保存し直してください",
            "; a bare number may be an Excel serial date: format the column as a date \
             (yyyy-mm-dd) in Excel and save the CSV again",
        );
    }
    let lead = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let short_year = matches!(bytes.get(lead), Some(b'/' | b'.' | b'-'));
    if (1..=2).contains(&lead) && short_year {
        return (
            "。年は 4 桁（`2025/4/8`）か元号付き（`R7.4.8`）で書いてください",
            "; write the year with four digits (`2025/4/8`) or with its era (`R7.4.8`)",
        );
    }
    (
        "。`2025-04-08`、`2025/4/8`、`令和7年4月8日`、`R7.4.8` のように書いてください",
        "; write it like `2025-04-08`, `2025/4/8`, `令和7年4月8日` or `R7.4.8`",
    )
}
