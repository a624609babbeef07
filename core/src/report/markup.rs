//! Escaping for HTML and SVG text, and the page's style sheet.

/// The style sheet, inlined into the page: system fonts only (Noto CJK
/// where installed, the platforms' Japanese fonts, then the generic
/// families), A4 pages with a page break before each section, table headers
/// repeated on every page, and tables that wrap long text instead of
/// growing past the page.
pub(super) const STYLE: &str = include_str!("style.css");

/// Text as HTML or SVG content or a quoted attribute value: `&`, `<`, `>`,
/// `"` and `'` become references, so user text (an asset's name) is only
/// ever text.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_user_text_stays_text() {
        for (text, escaped) in [
            ("住民記録", "住民記録"),
            (
                "<script>alert('x')</script>",
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
            ),
            ("A&B \"課\"", "A&amp;B &quot;課&quot;"),
            ("&amp;", "&amp;amp;"),
        ] {
            assert_eq!(escape(text), escaped, "{text}");
        }
    }

    #[test]
    fn the_style_sheet_loads_nothing_and_names_generic_fonts() {
        let style = super::STYLE;
        assert!(!style.contains("url("), "the page must load nothing");
        assert!(!style.contains("@import"));
        assert!(style.contains("sans-serif") && style.contains("serif"));
        assert!(style.contains("size: A4"));
        assert!(style.contains("table-header-group"));
    }
}
