//! 個人番号 (My Number) hygiene, on the bottom floor: the check digit of
//! 総務省令第85号 第5条, a detector for numbers shaped like a 個人番号 in
//! text, and the mask every message puts on runs of twelve digits.
//!
//! The register must never hold a 個人番号 (GUIDELINE-NOTES §6): the write
//! path and the importer refuse text holding one ([`find`]), and `daicho
//! check` finds those stored before they did. Messages go further: every run
//! of twelve digits is masked whatever its check digit ([`mask`]), since a
//! message may quote a cell that was refused for another reason.
//!
//! A number is read in three forms: twelve digits in a row (`123456789012`),
//! or three groups of four joined by a space or a hyphen (`1234 5678 9012`,
//! `1234-5678-9012`); ASCII or full-width digits (`１２３４…`), and the
//! full-width and Japanese spaces and hyphens (`　`, `－`, `‐`, `−`, `ー`).
//! A run of digits is never cut out of a longer one: thirteen digits in a row
//! are not a 個人番号 (the detector) but are masked (the mask). UUIDs (asset
//! ids: `8-4-4-4-12` hexadecimal digits) are left alone: their last group
//! may be twelve decimal digits by chance, and they are the register's own
//! ids, not numbers people carry.
//!
//! ```
//! use daicho::mynumber;
//!
//! // Build a number from eleven digits and its check digit, as the tests do:
//! // no file holds a whole one.
//! let first = "31415926535";
//! let number = format!("{first}{}", mynumber::check_digit(first).unwrap());
//! let found = mynumber::find(&format!("備考: {number}")).unwrap();
//! assert_eq!(found.masked, "3141********");
//! assert_eq!(mynumber::mask(&format!("番号 {number}")), "番号 3141********");
//! assert!(mynumber::find("1234-5678-9012").is_none()); // wrong check digit
//! assert_eq!(mynumber::mask("1234-5678-9012"), "1234********"); // masked all the same
//! ```

use std::borrow::Cow;
use std::fmt;

/// The weights Q1..Q11 of the check digit, for P1 (the digit left of the
/// check digit) to P11 (the first digit).
const WEIGHTS: [u32; 11] = [2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6];

/// How many digits of a masked number stay readable.
const SHOWN: usize = 4;

/// The check digit of a 個人番号 from its first eleven digits (ASCII or
/// full-width): 11 − (Σ Pn × Qn mod 11), or 0 when the remainder is 0 or 1,
/// with Pn counted from the digit left of the check digit and Qn = n + 1 for
/// n ≤ 6, n − 5 for n ≥ 7. `None` when `first_eleven` is not eleven digits.
pub fn check_digit(first_eleven: &str) -> Option<u8> {
    let mut digits = [0u8; 11];
    let mut count = 0;
    for c in first_eleven.chars() {
        let value = digit(c)?;
        *digits.get_mut(count)? = value;
        count += 1;
    }
    (count == 11).then(|| check_of(&digits))
}

/// The check digit of eleven digit values.
fn check_of(first: &[u8; 11]) -> u8 {
    let sum: u32 = first
        .iter()
        .rev()
        .zip(WEIGHTS)
        .map(|(&p, q)| u32::from(p) * q)
        .sum();
    match sum % 11 {
        0 | 1 => 0,
        remainder => (11 - remainder) as u8,
    }
}

/// True when twelve digit values end with the check digit of the first eleven.
fn is_valid(digits: &[u8; 12]) -> bool {
    let mut first = [0u8; 11];
    first.copy_from_slice(&digits[..11]);
    check_of(&first) == digits[11]
}

/// A number shaped like a 個人番号 found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Where it starts in the text, in bytes.
    pub start: usize,
    /// Where it ends in the text, in bytes (exclusive).
    pub end: usize,
    /// The number masked: its first four digits as written, then `********`.
    pub masked: String,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked)
    }
}

/// The first number in `text` shaped like a 個人番号: twelve digits, alone or
/// in 4-4-4 groups, whose last is the check digit of the others.
pub fn find(text: &str) -> Option<Found> {
    if !may_hold_one(text) {
        return None;
    }
    Scanner::new(text).find_map(|run| {
        let digits = run.twelve()?;
        let isolated = match run.shape {
            Shape::Plain { digits } => digits == 12,
            Shape::Grouped { chained } => !chained,
        };
        (isolated && is_valid(&digits)).then(|| Found {
            start: run.start,
            end: run.end,
            masked: masked(&text[run.start..run.end]),
        })
    })
}

/// `text` with every run of twelve or more digits, and every 4-4-4 group,
/// masked as `1234********` (the first four digits as written, a `*` for each
/// further digit), whatever the check digit; UUIDs are left whole.
pub fn mask(text: &str) -> Cow<'_, str> {
    if !may_hold_one(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::new();
    let mut copied = 0;
    for run in Scanner::new(text) {
        let hide = match run.shape {
            Shape::Plain { digits } => digits >= 12,
            Shape::Grouped { .. } => true,
        };
        if hide {
            out.push_str(&text[copied..run.start]);
            out.push_str(&masked(&text[run.start..run.end]));
            copied = run.end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// A value that displays masked ([`mask`]): for messages that quote what
/// they were given.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Masked<T>(pub(crate) T);

impl<T: fmt::Display> fmt::Display for Masked<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.to_string();
        f.write_str(&mask(&text))
    }
}

/// `number`'s first four digits as written, then a `*` per further digit.
fn masked(number: &str) -> String {
    number
        .chars()
        .filter(|&c| digit(c).is_some())
        .enumerate()
        .map(|(seen, c)| if seen < SHOWN { c } else { '*' })
        .collect()
}

/// The value of an ASCII or full-width digit.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((u32::from(c) - u32::from('０')) as u8),
        _ => None,
    }
}

/// A character that may join two groups of four digits.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}'
            | '-'
            | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2212}'
            | '\u{30FC}'
            | '\u{FF0D}'
            | '\u{FF70}'
    )
}

/// True when `text` may hold a number of either form: somewhere twelve
/// digits stand in one stretch of digits joined by single spaces or
/// hyphens. A cheap test on bytes (a date, a count or a phone number fails
/// it) that [`find`] and [`mask`] make first; every run they report passes it.
pub(crate) fn may_hold_one(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut digits = 0;
    let mut after_digit = false;
    let mut i = 0;
    while i < bytes.len() {
        if digits == 0 {
            // Most text holds no digit: skip to the next byte that may start one.
            match bytes[i..]
                .iter()
                .position(|&b| b.is_ascii_digit() || b == 0xEF)
            {
                Some(at) => i += at,
                None => return false,
            }
        }
        let (width, kind) = byte_kind(bytes, i);
        i += width;
        match kind {
            Kind::Digit => {
                digits += 1;
                after_digit = true;
                if digits == 12 {
                    return true;
                }
            }
            Kind::Separator if after_digit => after_digit = false,
            Kind::Separator | Kind::Other => {
                digits = 0;
                after_digit = false;
            }
        }
    }
    false
}

/// What a character is to [`may_hold_one`].
#[derive(Clone, Copy)]
enum Kind {
    Digit,
    Separator,
    Other,
}

/// The width in bytes and the kind of the character at `i` (a character
/// boundary): ASCII and full-width digits (`EF BC 90`–`99`), and the
/// separators of [`is_separator`]; anything else is other.
fn byte_kind(bytes: &[u8], i: usize) -> (usize, Kind) {
    let three = |i: usize| match bytes.get(i..i + 3) {
        Some([0xEF, 0xBC, 0x90..=0x99]) => Kind::Digit,
        Some(
            [0xE3, 0x80, 0x80] // ideographic space
            | [0xE2, 0x80, 0x90..=0x94] // ‐ ‑ ‒ – —
            | [0xE2, 0x88, 0x92] // −
            | [0xE3, 0x83, 0xBC] // ー
            | [0xEF, 0xBC, 0x8D] // －
            | [0xEF, 0xBD, 0xB0], // ｰ
        ) => Kind::Separator,
        _ => Kind::Other,
    };
    match bytes[i] {
        b'0'..=b'9' => (1, Kind::Digit),
        b' ' | b'-' => (1, Kind::Separator),
        0x00..=0x7F => (1, Kind::Other),
        0xE2 | 0xE3 | 0xEF => (3, three(i)),
        0xC0..=0xDF => (2, Kind::Other),
        0xE0..=0xEF => (3, Kind::Other),
        _ => (4, Kind::Other),
    }
}

/// A candidate the scanner met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A run of digits in a row, of this length.
    Plain { digits: usize },
    /// Three runs of four digits joined by single separators; `chained` when
    /// another such group of digits is joined before or after.
    Grouped { chained: bool },
}

/// A run of digits, or three groups of four, with its byte range.
#[derive(Debug, Clone, Copy)]
struct Run<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    shape: Shape,
}

impl Run<'_> {
    /// The twelve digit values, when the run holds exactly twelve.
    fn twelve(&self) -> Option<[u8; 12]> {
        let mut digits = [0u8; 12];
        let mut count = 0;
        for value in self.text[self.start..self.end].chars().filter_map(digit) {
            *digits.get_mut(count)? = value;
            count += 1;
        }
        (count == 12).then_some(digits)
    }
}

/// The maximal runs of digits of a text, in order, with 4-4-4 groups joined
/// into one run and UUIDs skipped.
struct Scanner<'t> {
    text: &'t str,
    /// The runs of digits in a row: (start, end, digits).
    runs: Vec<(usize, usize, usize)>,
    next: usize,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Self {
        let mut runs = Vec::new();
        let mut chars = text.char_indices().peekable();
        let mut previous: Option<char> = None;
        while let Some((at, c)) = chars.next() {
            if c.is_ascii_hexdigit()
                && !previous.is_some_and(|p| p.is_ascii_alphanumeric() || p == '-')
                && let Some(length) = uuid_at(&text[at..])
            {
                // Skip the UUID: advance to its last character.
                while chars.peek().is_some_and(|&(next, _)| next < at + length) {
                    previous = chars.next().map(|(_, c)| c);
                }
                continue;
            }
            previous = Some(c);
            if digit(c).is_none() {
                continue;
            }
            let mut end = at + c.len_utf8();
            let mut count = 1;
            while let Some(&(next, d)) = chars.peek() {
                if digit(d).is_none() {
                    break;
                }
                end = next + d.len_utf8();
                count += 1;
                previous = Some(d);
                chars.next();
            }
            runs.push((at, end, count));
        }
        Scanner {
            text,
            runs,
            next: 0,
        }
    }

    /// True when runs `a` and `b` (the next) are joined by one separator.
    fn joined(&self, a: usize, b: usize) -> bool {
        let (Some(&(_, end, _)), Some(&(start, _, _))) = (self.runs.get(a), self.runs.get(b))
        else {
            return false;
        };
        let between = &self.text[end..start];
        let mut chars = between.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if is_separator(c))
    }

    /// True when run `i` holds four digits.
    fn four(&self, i: usize) -> bool {
        self.runs.get(i).is_some_and(|&(_, _, n)| n == 4)
    }
}

impl<'t> Iterator for Scanner<'t> {
    type Item = Run<'t>;

    fn next(&mut self) -> Option<Run<'t>> {
        let i = self.next;
        let &(start, end, digits) = self.runs.get(i)?;
        if self.four(i)
            && self.four(i + 1)
            && self.four(i + 2)
            && self.joined(i, i + 1)
            && self.joined(i + 1, i + 2)
        {
            let chained = (i > 0 && self.joined(i - 1, i)) || self.joined(i + 2, i + 3);
            self.next = i + 3;
            return Some(Run {
                text: self.text,
                start,
                end: self.runs[i + 2].1,
                shape: Shape::Grouped { chained },
            });
        }
        self.next = i + 1;
        Some(Run {
            text: self.text,
            start,
            end,
            shape: Shape::Plain { digits },
        })
    }
}

/// The length of a UUID (`8-4-4-4-12` hexadecimal digits) at the start of
/// `text`, when one stands there and no letter, digit or hyphen follows it.
fn uuid_at(text: &str) -> Option<usize> {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    let bytes = text.as_bytes();
    let mut at = 0;
    for (index, length) in GROUPS.into_iter().enumerate() {
        if index > 0 {
            if bytes.get(at) != Some(&b'-') {
                return None;
            }
            at += 1;
        }
        let group = bytes.get(at..at + length)?;
        if !group.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        at += length;
    }
    match bytes.get(at) {
        Some(b) if b.is_ascii_alphanumeric() || *b == b'-' => None,
        _ => Some(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check digit exactly as the 省令 words it: P1 is the digit left of
    /// the check digit, Qn = n + 1 for 1 ≤ n ≤ 6, n − 5 for 7 ≤ n ≤ 11.
    fn check_as_worded(first: &str) -> u8 {
        let digits: Vec<u32> = first.chars().map(|c| c.to_digit(10).unwrap()).collect();
        let p = |n: usize| digits[11 - n];
        let q = |n: usize| if n <= 6 { n as u32 + 1 } else { n as u32 - 5 };
        let remainder = (1..=11).map(|n| p(n) * q(n)).sum::<u32>() % 11;
        if remainder <= 1 {
            0
        } else {
            (11 - remainder) as u8
        }
    }

    /// A number with a valid check digit, built here: no file holds one.
    fn valid(first: &str) -> String {
        format!("{first}{}", check_digit(first).unwrap())
    }

    /// The same number with a wrong check digit.
    fn invalid(first: &str) -> String {
        format!("{first}{}", (check_digit(first).unwrap() + 1) % 10)
    }

    fn full_width(text: &str) -> String {
        text.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(u32::from('０') + d).unwrap(),
                None => c,
            })
            .collect()
    }

    fn grouped(number: &str, separator: &str) -> String {
        let chars: Vec<char> = number.chars().collect();
        chars
            .chunks(4)
            .map(|chunk| chunk.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(separator)
    }

    const PREFIXES: [&str; 6] = [
        "12345678901",
        "31415926535",
        "27182818284",
        "00000000001",
        "98765432109",
        "55555555555",
    ];

    #[test]
    fn the_check_digit_is_the_decrees_formula() {
        // 1·2 + 0·3 + 9·4 + 8·5 + 7·6 + 6·7 + 5·2 + 4·3 + 3·4 + 2·5 + 1·6 = 212,
        // 212 mod 11 = 3, 11 − 3 = 8.
        assert_eq!(check_digit("12345678901"), Some(8));
        // Remainders 0 and 1 give 0: 0·… + 1·2 = 2 → 9; all zeros → 0.
        assert_eq!(check_digit("00000000001"), Some(9));
        assert_eq!(check_digit("00000000000"), Some(0));
        assert_eq!(check_digit("１２３４５６７８９０１"), Some(8));
        assert_eq!(check_digit("1234567890"), None);
        assert_eq!(check_digit("123456789012"), None);
        assert_eq!(check_digit("1234567890a"), None);
        // Against the decree's own wording, over many prefixes.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let first = format!("{:011}", state % 100_000_000_000);
            assert_eq!(
                check_digit(&first),
                Some(check_as_worded(&first)),
                "{first}"
            );
        }
    }

    #[test]
    fn exactly_one_check_digit_fits_each_prefix() {
        for first in PREFIXES {
            let fitting: Vec<u8> = (0..10)
                .filter(|d| find(&format!("{first}{d}")).is_some())
                .collect();
            assert_eq!(fitting, [check_digit(first).unwrap()], "{first}");
        }
    }

    #[track_caller]
    fn found(text: &str, masked: &str) {
        let hit = find(text).unwrap_or_else(|| panic!("nothing found in {text:?}"));
        assert_eq!(hit.masked, masked, "{text:?}");
        assert!(text.is_char_boundary(hit.start) && text.is_char_boundary(hit.end));
    }

    #[track_caller]
    fn not_found(text: &str) {
        assert_eq!(find(text), None, "{text:?}");
    }

    #[test]
    fn the_detector_reads_each_form() {
        for first in PREFIXES {
            let number = valid(first);
            let shown = format!("{}********", &number[..4]);
            found(&number, &shown);
            found(&format!("個人番号{number}です"), &shown);
            found(&format!("件数=個人番号{number}"), &shown);
            found(&format!("No.{number}"), &shown);
            found(&format!("{number}.5"), &shown);
            for separator in [" ", "-", "\u{3000}", "－", "‐", "−", "ー"] {
                found(&grouped(&number, separator), &shown);
                found(&format!("番号：{}。", grouped(&number, separator)), &shown);
            }
            let wide = full_width(&number);
            found(&wide, &format!("{}********", full_width(&number[..4])));
            found(
                &grouped(&wide, "－"),
                &format!("{}********", full_width(&number[..4])),
            );
            // Mixed widths are still one number.
            found(
                &format!("{}{}", &number[..6], full_width(&number[6..])),
                &shown,
            );
            // A line break inside a cell does not hide it.
            found(&format!("備考\n{number}\n以上"), &shown);
        }
    }

    #[test]
    fn the_detector_leaves_what_is_not_a_my_number() {
        for first in PREFIXES {
            let number = valid(first);
            not_found(&invalid(first));
            not_found(&grouped(&invalid(first), "-"));
            // Part of a longer run of digits.
            not_found(&format!("{number}0"));
            not_found(&format!("9{number}"));
            not_found(&format!("{}{number}", full_width("1")));
            // Groups that are not 4-4-4, or joined by two separators or other marks.
            not_found(&format!("{}-{}", &number[..6], &number[6..]));
            not_found(&grouped(&number, "  "));
            not_found(&grouped(&number, "/"));
            not_found(&grouped(&number, ","));
            // Four groups of four (a card number) are not a 個人番号.
            not_found(&format!("{}-1234", grouped(&number, "-")));
            not_found(&format!("1234-{}", grouped(&number, "-")));
            // Eleven digits.
            not_found(first);
        }
        not_found("");
        not_found("令和7年4月8日 2025-04-08 12:30");
        not_found("1,234,567,890,123");
    }

    #[test]
    fn the_quick_test_passes_every_number_and_fails_most_else() {
        let number = valid("12345678901");
        for text in [
            number.clone(),
            grouped(&number, "\u{3000}"),
            grouped(&full_width(&number), "ー"),
            format!("a{}b", grouped(&number, "‐")),
            format!("{number}9"),
        ] {
            assert!(may_hold_one(&text), "{text:?}");
        }
        for text in [
            "2025-04-08",
            "2025-04-08 12:30",
            "025-123-4567",
            "1,234,567,890,123",
            "12345678901",
            "1234  5678 9012",
            "令和7年4月8日",
        ] {
            assert!(!may_hold_one(text), "{text:?}");
        }
        // Every separator the scanner joins groups with, the quick test joins too.
        for c in [
            ' ', '\u{3000}', '-', '‐', '‑', '‒', '–', '—', '−', 'ー', '－', 'ｰ',
        ] {
            assert!(is_separator(c));
            assert!(may_hold_one(&grouped(&number, &c.to_string())), "{c:?}");
        }
    }

    #[test]
    fn uuids_are_left_alone() {
        // The example inventory's ids and the fixtures' have 4-4-4 groups and
        // twelve-digit groups of valid check digits.
        let last = valid("00000000001");
        let id = format!("00000000-0000-4000-8000-{last}");
        not_found(&id);
        not_found(&format!("id `{id}`"));
        not_found(&format!("{{{id}}}"));
        assert_eq!(mask(&id), id);
        let grouped_inside = format!("623e1208-{}-bc69-4f5a432cbba5", grouped("12345678", "-"));
        assert_eq!(mask(&grouped_inside), grouped_inside);
        // Not a UUID when more follows: its digits are read, and its 4-4-4
        // groups masked like any others.
        found(&format!("x{last}"), &format!("{}********", &last[..4]));
        assert_eq!(
            mask(&format!("{id}0")),
            format!("00000000-0000********-{}*********", &last[..4])
        );
    }

    #[test]
    fn the_mask_hides_every_run_of_twelve_digits() {
        let number = valid("12345678901");
        let bad = invalid("12345678901");
        for (text, expected) in [
            (bad.clone(), "1234********".to_owned()),
            (number.clone(), "1234********".to_owned()),
            (
                format!("件数=個人番号{bad}"),
                "件数=個人番号1234********".to_owned(),
            ),
            (grouped(&bad, " "), "1234********".to_owned()),
            (grouped(&bad, "-"), "1234********".to_owned()),
            (full_width(&bad), format!("{}********", full_width("1234"))),
            (format!("{bad}9"), "1234*********".to_owned()),
            (
                format!("a {bad} b {number}"),
                "a 1234******** b 1234********".to_owned(),
            ),
            (
                format!("{}-5555", grouped(&bad, "-")),
                "1234********-5555".to_owned(),
            ),
            ("12345678901".to_owned(), "12345678901".to_owned()),
            ("2025-04-08 12:30".to_owned(), "2025-04-08 12:30".to_owned()),
            ("no digits".to_owned(), "no digits".to_owned()),
        ] {
            assert_eq!(mask(&text), expected, "{text:?}");
        }
        assert!(matches!(mask("line 12"), Cow::Borrowed(_)));
        assert_eq!(Masked(format!("`{bad}`")).to_string(), "`1234********`");
    }
}
