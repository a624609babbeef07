//! Yes/no flags as sheets write them.

use super::normalize_code;

/// Why a cell is not a yes/no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BoolError {
    /// The cell is empty; callers usually treat that as "not set" before parsing.
    #[error("yes/no value is empty")]
    Empty,
    /// The cell is `?`: the mark Excel writes for a character CP932 cannot
    /// hold, such as ✓, when it saves a sheet as CSV.
    #[error(
        "`?` is not a yes/no value: Excel probably replaced a mark CP932 cannot hold (such as ✓) when it saved the sheet; write ○ for yes and × for no"
    )]
    LostMark,
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
const TRUE_WORDS: [&str; 16] = [
    "true", "yes", "y", "1", "○", "〇", "◯", "●", "✓", "✔", "レ", "有", "あり", "はい", "要",
    "該当",
];

/// Words and marks read as false. `x` and `✗` are left out on purpose: in
/// office sheets they also mark a selection. `-` (and `－`) is the dash a
/// section writes for "none".
const FALSE_WORDS: [&str; 12] = [
    "false",
    "no",
    "n",
    "0",
    "×",
    "✕",
    "-",
    "無",
    "なし",
    "いいえ",
    "不要",
    "非該当",
];

/// Parses a yes/no cell.
///
/// After [`normalize_code`], ASCII case ignored: `true`/`false`, `yes`/`no`,
/// `y`/`n`, `1`/`0`; true also `○ 〇 ◯ ● ✓ ✔ レ 有 あり はい 要 該当`,
/// false also `× ✕ － 無 なし いいえ 不要 非該当`.
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
    } else if text == "?" {
        Err(BoolError::LostMark)
    } else {
        Err(BoolError::Unrecognized {
            cell: cell.trim().to_owned(),
        })
    }
}

/// Every word and mark [`parse_bool`] reads as yes, and as no.
pub fn bool_words() -> (&'static [&'static str], &'static [&'static str]) {
    (&TRUE_WORDS, &FALSE_WORDS)
}
