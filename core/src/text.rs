//! Text folding for matching what staff write: the bottom floor, with the errors.

use unicode_normalization::UnicodeNormalization;

/// Folds a cell for matching: NFKC, trimmed, lowercase, spaces removed.
pub(crate) fn fold(input: &str) -> String {
    input
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}
