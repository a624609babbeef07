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
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

mod count;
mod date;
mod flag;
mod ja;

pub use count::{CountError, MAX_COUNT, parse_count};
pub use date::{
    DateError, DateWarning, Era, GREGORIAN_ADOPTION, ParsedDate, format_date, format_date_ja,
    parse_date, today_in_japan,
};
pub use flag::{BoolError, bool_words, parse_bool};

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

/// Splits a multi-valued cell (controls) on `;`, `、`, `,`, `，`, `；` and returns trimmed, non-empty parts.
///
/// Also splits on the half-width `､` and on line breaks, which Excel users
/// type with Alt+Enter. The parts are not normalized.
///
/// A cell written as Python writes a sequence (`('AC-1', 'AC-2')`, `['AC-1']`:
/// what pandas' `to_csv` makes of a record's tuple) is read as its items.
pub fn split_multi(cell: &str) -> impl Iterator<Item = &str> {
    let trimmed = cell.trim();
    let cell = [('(', ')'), ('[', ']')]
        .iter()
        .find_map(|&(open, close)| trimmed.strip_prefix(open)?.strip_suffix(close))
        .unwrap_or(cell);
    cell.split(is_multi_separator)
        .map(|part| unquote(part.trim()).trim())
        .filter(|part| !part.is_empty())
}

/// A part without the quotes of a Python string literal around it.
fn unquote(part: &str) -> &str {
    ['\'', '"']
        .iter()
        .find_map(|&quote| part.strip_prefix(quote)?.strip_suffix(quote))
        .unwrap_or(part)
}

/// Whether a multi-valued cell is split at `c`.
pub(crate) fn is_multi_separator(c: char) -> bool {
    matches!(c, ';' | '；' | ',' | '，' | '、' | '､' | '\n' | '\r')
}

#[cfg(test)]
mod tests;
