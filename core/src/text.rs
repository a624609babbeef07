//! Text folding for matching what staff write: the bottom floor, with the errors.

use unicode_normalization::UnicodeNormalization;

/// The most characters a text field or a sheet cell may hold: Excel's limit
/// on one cell, so that whatever the register holds its own export can carry
/// and import again (a longer cell would be cut when the sheet is opened).
pub(crate) const MAX_TEXT_CHARS: usize = 32_767;

/// Folds a cell for matching: NFKC, trimmed, lowercase, spaces removed.
pub(crate) fn fold(input: &str) -> String {
    input
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The language a person reads: of labels and messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Lang {
    /// Japanese, the default: staff read Japanese.
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// The Japanese or the English text.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}
