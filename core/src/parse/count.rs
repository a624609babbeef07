//! Counts of people or records, with their units.

use super::normalize_code;

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
    /// More than [`MAX_COUNT`], the largest count the register stores.
    #[error("`{cell}` is too large for a count (at most 9,223,372,036,854,775,807)")]
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

/// The largest count the register stores (SQLite's largest integer).
pub const MAX_COUNT: u64 = i64::MAX as u64;

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
/// `人` or `名`. A fraction of zeros only (`71405.0`) is whole.
///
/// # Errors
///
/// [`CountError::Empty`] for an empty cell; [`CountError::Approximate`] and
/// [`CountError::KanjiNumeral`] for forms the user must rewrite as an exact
/// number; [`CountError::BadGrouping`] for commas in the wrong places;
/// [`CountError::TooLarge`] past [`MAX_COUNT`]; the other variants for negative,
/// fractional or non-numeric cells.
pub fn parse_count(cell: &str) -> Result<u64, CountError> {
    let text = normalize_code(cell);
    if text.is_empty() {
        return Err(CountError::Empty);
    }
    let number = text.strip_suffix(COUNT_UNITS).map_or(&*text, str::trim_end);
    // A whole number as a float (`71405.0`): what pandas writes of a count column with gaps.
    let number = number
        .split_once('.')
        .filter(|(_, zeros)| !zeros.is_empty() && zeros.bytes().all(|b| b == b'0'))
        .map_or(number, |(whole, _)| whole);
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
        .filter(|&count| count <= MAX_COUNT)
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
