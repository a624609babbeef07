//! Text made safe for a terminal. A leaf: the error printing and the
//! rendering both use it.

use std::borrow::Cow;

/// Text made safe for a terminal: line feeds stay (a CRLF becomes one),
/// every other control character is shown instead of obeyed: C0 characters
/// and DEL as their Unicode pictures (ESC `␛`, CR `␍`, tab `␉`), C1
/// characters as escapes (`\u{9b}`).
pub(crate) fn terminal_text(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n') {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => shown.push('\n'),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\u{0}'..='\u{1f}' => {
                shown.push(char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'));
            }
            '\u{7f}' => shown.push('\u{2421}'),
            c if c.is_control() => shown.extend(c.escape_unicode()),
            c => shown.push(c),
        }
    }
    Cow::Owned(shown)
}
