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

/// The first control character (C0, DEL or C1) in `text` that a value may
/// not hold; with `line_breaks`, a line feed and a carriage return right
/// before one are allowed.
pub(crate) fn forbidden_control(text: &str, line_breaks: bool) -> Option<char> {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let allowed = line_breaks && (c == '\n' || (c == '\r' && chars.peek() == Some(&'\n')));
        if c.is_control() && !allowed {
            return Some(c);
        }
    }
    None
}

/// `text` with every control character written as a Rust escape
/// (`\u{1b}`, `\n`), fit to be quoted in a message on a terminal.
pub(crate) fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_and_escaped() {
        for (text, line_breaks, found) in [
            ("市民課", false, None),
            ("a\nb", false, Some('\n')),
            ("a\nb", true, None),
            ("a\r\nb", true, None),
            ("a\rb", true, Some('\r')),
            ("a\r", true, Some('\r')),
            ("a\tb", true, Some('\t')),
            ("\u{1b}[2J", true, Some('\u{1b}')),
            ("x\u{7f}", false, Some('\u{7f}')),
            ("x\u{9b}31m", false, Some('\u{9b}')),
            ("名前\u{202e}逆", false, None),
        ] {
            assert_eq!(forbidden_control(text, line_breaks), found, "{text:?}");
        }
        assert_eq!(escape_controls("a\u{1b}]52;c\u{7}"), "a\\u{1b}]52;c\\u{7}");
        assert_eq!(escape_controls("行1\r\n行2"), "行1\\r\\n行2");
        assert_eq!(escape_controls("そのまま"), "そのまま");
    }
}
