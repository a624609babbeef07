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
