//! Text folding for matching what staff write: the bottom floor, with the errors.

use unicode_normalization::UnicodeNormalization;

/// The most characters a text field or a sheet cell may hold: Excel's limit
/// on one cell, so that whatever the register holds its own export can carry
/// and import again (a longer cell would be cut when the sheet is opened).
pub(crate) const MAX_TEXT_CHARS: usize = 32_767;

/// A 管理番号 as stored and looked up: NFKC (so that `ＳＥ－００１`, typed
/// full-width in one sheet, is the `SE-001` of another) and trimmed.
pub(crate) fn asset_number(input: &str) -> String {
    input.nfkc().collect::<String>().trim().to_owned()
}

/// Folds a cell for matching: NFKC, trimmed, lowercase, spaces removed.
pub(crate) fn fold(input: &str) -> String {
    input
        .nfkc()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Folds a name for searching: [`fold`], and katakana as hiragana, so that
/// `ｼｽﾃﾑ`, `システム` and `しすてむ` fold alike (NFKC makes half-width katakana
/// full-width and full-width letters and digits ASCII first).
pub(crate) fn fold_name(input: &str) -> String {
    let mut folded = String::with_capacity(input.len());
    fold_name_into(input, &mut folded);
    folded
}

/// [`fold_name`] into a buffer that is cleared first, for a caller that
/// folds many names.
pub(crate) fn fold_name_into(input: &str, out: &mut String) {
    out.clear();
    let fold = |c: char| (!c.is_whitespace()).then(|| c.to_lowercase().map(hiragana));
    // Most names (kanji, full-width kana) are in NFKC already: the quick
    // check saves normalizing them, which a search does for every name.
    if unicode_normalization::is_nfkc_quick(input.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        out.extend(input.chars().filter_map(fold).flatten());
    } else {
        out.extend(input.nfkc().filter_map(fold).flatten());
    }
}

/// A katakana letter as its hiragana (`シ` → `し`, `ヴ` → `ゔ`, `ヽ` → `ゝ`);
/// anything else as it is.
fn hiragana(c: char) -> char {
    match c {
        '\u{30A1}'..='\u{30F6}' | '\u{30FD}'..='\u{30FE}' => {
            char::from_u32(u32::from(c) - 0x60).unwrap_or(c)
        }
        _ => c,
    }
}

/// How many suggestions a "did you mean" offers at most.
const SUGGESTIONS: usize = 3;

/// The keys of the candidate spellings closest to `value`, best first, for a
/// "did you mean": a spelling that contains the value or is contained in it
/// (two characters or more), else one within an edit distance of under half
/// its length; only those as close as the closest are kept. Spellings and
/// the value are compared folded ([`fold_name`]); a key with several
/// spellings counts its best; ties keep the keys' order.
pub(crate) fn closest<'a, K: Copy + Ord>(
    value: &str,
    candidates: impl IntoIterator<Item = (K, &'a str)>,
) -> Vec<K> {
    let value = fold_name(value);
    let value_len = value.chars().count();
    if value_len == 0 {
        return Vec::new();
    }
    let mut best: Vec<((u8, usize), K)> = Vec::new();
    let mut spelling = String::new();
    for (key, candidate) in candidates {
        fold_name_into(candidate, &mut spelling);
        let len = spelling.chars().count();
        let score = if spelling == value {
            Some((0, 0))
        } else if (value_len >= 2 && spelling.contains(value.as_str()))
            || (len >= 2 && value.contains(spelling.as_str()))
        {
            Some((1, len.abs_diff(value_len)))
        } else {
            edit_distance(&value, &spelling, value_len.max(len).div_ceil(2))
                .filter(|d| 2 * d < value_len.max(len))
                .map(|d| (2, d))
        };
        if let Some(score) = score {
            match best.iter_mut().find(|(_, k)| *k == key) {
                Some(entry) => entry.0 = entry.0.min(score),
                None => best.push((score, key)),
            }
        }
    }
    best.sort();
    // Only the closest: one near miss says more than three far ones.
    let closest = best.first().map(|(score, _)| *score);
    best.into_iter()
        .take_while(|(score, _)| Some(*score) == closest)
        .take(SUGGESTIONS)
        .map(|(_, k)| k)
        .collect()
}

/// The Levenshtein distance between two texts, in characters; `None` when it
/// is over `limit` (or the texts are too long to be worth comparing).
pub(crate) fn edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    const LONGEST: usize = 100;
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > LONGEST || b.len() > LONGEST || a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|d| *d <= limit)
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

/// A message in both languages: what a person reads is chosen by [`Lang`]
/// when it is shown, never when it is made. `Display` is the English one, so
/// logs, `to_string()` and Python's exception text stay English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Localized {
    /// The Japanese text.
    pub ja: String,
    /// The English text.
    pub en: String,
}

impl Localized {
    /// The Japanese and the English text.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Localized {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }

    /// Both texts changed alike, e.g. masked.
    #[must_use]
    pub fn map(self, mut change: impl FnMut(String) -> String) -> Self {
        Localized {
            ja: change(self.ja),
            en: change(self.en),
        }
    }
}

impl From<(&str, &str)> for Localized {
    fn from((ja, en): (&str, &str)) -> Self {
        Localized::new(ja, en)
    }
}

impl std::fmt::Display for Localized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_typed_full_width_is_the_same_number() {
        assert_eq!(asset_number(" ＳＥ－００１ "), "SE-001");
        assert_eq!(asset_number("SE-001"), "SE-001");
    }

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

    #[test]
    fn names_fold_width_case_and_kana() {
        for (a, b) in [
            ("ｼｽﾃﾑ", "システム"),
            ("しすてむ", "システム"),
            ("ＡＢＣ管理", "abc管理"),
            ("住民 基本", "住民基本"),
            ("ヴァ", "ゔぁ"),
            ("ｶﾞｰﾄﾞ", "がーど"),
        ] {
            assert_eq!(fold_name(a), fold_name(b), "{a} ~ {b}");
        }
        assert_ne!(fold_name("システム"), fold_name("シスタム"));
    }

    #[test]
    fn edit_distance_counts_characters() {
        for (a, b, limit, expected) in [
            ("", "", 3, Some(0)),
            ("mayer", "mayor", 3, Some(1)),
            ("市長事務部局", "市長部局", 3, Some(2)),
            ("消防本部", "消防局", 3, Some(2)),
            ("kitten", "sitting", 3, Some(3)),
            ("kitten", "sitting", 2, None),
            ("a", "abcdef", 3, None),
        ] {
            assert_eq!(edit_distance(a, b, limit), expected, "{a} → {b}");
        }
    }

    #[track_caller]
    fn check_closest(value: &str, expected: &[&str]) {
        let candidates = [
            ("mayor", "市長部局"),
            ("mayor", "mayor"),
            ("fire", "消防局"),
            ("fire", "fire"),
            ("waterworks", "水道局"),
            ("waterworks", "waterworks"),
            ("education", "教育委員会"),
            ("election", "選挙管理委員会"),
            ("personnel", "人事委員会"),
        ];
        let found = closest(value, candidates.iter().map(|(k, s)| (*k, *s)));
        assert_eq!(found, expected, "{value}");
    }

    #[test]
    fn closest_suggests_by_containment_then_edit_distance() {
        check_closest("市長事務部局", &["mayor"]);
        check_closest("消防署", &["fire"]);
        check_closest("新潟市水道局", &["waterworks"]);
        check_closest("水道", &["waterworks"]);
        check_closest("mayer", &["mayor"]);
        check_closest("ｗａｔｅｒｗｏｒｋ", &["waterworks"]);
        // 委員会 is in three names: those closest in length, in order.
        check_closest("委員会", &["education", "personnel"]);
        // Nothing near: no suggestion rather than a wrong one.
        check_closest("警察本部", &[]);
        check_closest("局", &[]);
        check_closest("", &[]);
    }
}
