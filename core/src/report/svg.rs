//! Charts as inline SVG: horizontal bars, grouped columns and a heat map.
//!
//! Sizes are in the SVG's own units (its `viewBox`); the page scales the
//! chart to the column it sits in. Every label is escaped; the numbers a
//! chart draws are also printed in a table beside it (`html.rs`).

use std::fmt::Write as _;

use super::markup::escape;

/// The font size of labels, in SVG units.
const FONT: f64 = 12.0;
/// The height of one bar and the gap below it.
const BAR: f64 = 18.0;
const GAP: f64 = 6.0;
/// The length of the longest bar.
const FULL_BAR: f64 = 220.0;

/// The width `text` takes at `size`: a full-width character (kana, kanji)
/// takes the font size, others a little over half of it.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f64>()
        * size
}

/// The length of a bar of `value` when `max` takes `full`; zero when
/// nothing is counted.
pub(super) fn scaled(value: u64, max: u64, full: f64) -> f64 {
    if max == 0 {
        0.0
    } else {
        value as f64 / max as f64 * full
    }
}

/// The opening tag of a chart, with its title for screen readers.
fn open(out: &mut String, id: &str, width: f64, height: f64, title: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" id="{id}" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" aria-label="{title}"><title>{title}</title>"#,
        id = escape(id),
        title = escape(title),
    );
}

/// A horizontal bar chart: one bar per label, its value at its end.
pub(super) fn bars(id: &str, title: &str, items: &[(String, u64)], color: &str) -> String {
    let max = items.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let label_width = items
        .iter()
        .map(|(label, _)| text_width(label, FONT))
        .fold(0.0, f64::max)
        + 8.0;
    let number_width = text_width(&max.to_string(), FONT) + 8.0;
    let full = FULL_BAR;
    let width = label_width + full + number_width;
    let height = items.len() as f64 * (BAR + GAP) + GAP;
    let mut out = String::new();
    open(&mut out, id, width, height, title);
    for (i, (label, value)) in items.iter().enumerate() {
        let y = GAP + i as f64 * (BAR + GAP);
        let length = scaled(*value, max, full);
        let middle = y + BAR / 2.0 + FONT * 0.35;
        let _ = write!(
            out,
            r##"<text x="{lx:.1}" y="{middle:.1}" font-size="{FONT}" text-anchor="end" fill="#1b2430">{label}</text><rect x="{label_width:.1}" y="{y:.1}" width="{length:.1}" height="{BAR}" fill="{color}"/><text x="{nx:.1}" y="{middle:.1}" font-size="{FONT}" fill="#1b2430">{value}</text>"##,
            lx = label_width - 6.0,
            label = escape(label),
            nx = label_width + length + 4.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// One series of a column chart: its name, color and a value per category.
pub(super) struct Series<'a> {
    pub(super) name: &'a str,
    pub(super) color: &'a str,
    pub(super) values: Vec<u64>,
}

/// Grouped columns: per category one column of each series, with a legend.
pub(super) fn columns(
    id: &str,
    title: &str,
    categories: &[String],
    series: &[Series<'_>],
) -> String {
    let (width, plot_height, left, top, bottom) = (620.0, 170.0, 34.0, 30.0, 34.0);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0);
    let height = top + plot_height + bottom;
    let group = (width - left - 8.0) / categories.len().max(1) as f64;
    let column = (group * 0.8) / series.len().max(1) as f64;
    let mut out = String::new();
    open(&mut out, id, width, height, title);
    // The legend, then the axis with its top value.
    let mut x = left;
    for s in series {
        let _ = write!(
            out,
            r##"<rect x="{x:.1}" y="6" width="12" height="12" fill="{color}"/><text x="{tx:.1}" y="16.5" font-size="{FONT}" fill="#1b2430">{name}</text>"##,
            color = s.color,
            tx = x + 16.0,
            name = escape(s.name),
        );
        x += 16.0 + text_width(s.name, FONT) + 18.0;
    }
    let base = top + plot_height;
    let _ = write!(
        out,
        r##"<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="#5b6675"/><text x="{tx}" y="{base}" font-size="10" text-anchor="end" fill="#5b6675">0</text>"##,
        right = width - 8.0,
        tx = left - 4.0,
    );
    // The top value's line, when something is counted.
    if max > 0 {
        let _ = write!(
            out,
            r##"<line x1="{left}" y1="{top}" x2="{right}" y2="{top}" stroke="#c9d1db" stroke-dasharray="3 3"/><text x="{tx}" y="{ty:.1}" font-size="10" text-anchor="end" fill="#5b6675">{max}</text>"##,
            right = width - 8.0,
            tx = left - 4.0,
            ty = top + 4.0,
        );
    }
    for (c, category) in categories.iter().enumerate() {
        let gx = left + c as f64 * group + group * 0.1;
        for (k, s) in series.iter().enumerate() {
            let value = s.values.get(c).copied().unwrap_or(0);
            let h = scaled(value, max, plot_height);
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{color}"><title>{label}: {value}</title></rect>"#,
                x = gx + k as f64 * column,
                y = base - h,
                w = (column - 1.0).max(1.0),
                color = s.color,
                label = escape(&format!("{category} {}", s.name)),
            );
        }
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{y:.1}" font-size="10" text-anchor="middle" fill="#1b2430">{category}</text>"##,
            x = left + c as f64 * group + group / 2.0,
            y = base + 16.0,
            category = escape(category),
        );
    }
    out.push_str("</svg>");
    out
}

/// The fill and the text color of a heat cell: from near white for zero to
/// the accent's navy for `max`, with white text on the dark half.
pub(super) fn heat_color(value: u64, max: u64) -> (String, &'static str) {
    let t = scaled(value, max, 1.0);
    let (from, to) = ([0xf3_u8, 0xf5, 0xf8], [0x1f_u8, 0x3a, 0x5f]);
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    let fill = format!(
        "#{:02x}{:02x}{:02x}",
        mix(from[0], to[0]),
        mix(from[1], to[1]),
        mix(from[2], to[2])
    );
    (fill, if t > 0.5 { "#ffffff" } else { "#1b2430" })
}

/// A heat map: one row per row label, one cell per column label, the count
/// written in each cell. Cells deepen with their count, or take the fills
/// given (a risk matrix colors its cells by band, whatever they count).
pub(super) fn heat_map(
    id: &str,
    title: &str,
    rows: &[String],
    columns: &[String],
    values: &[Vec<u64>],
    fills: Option<&[Vec<&str>]>,
) -> String {
    let max = values.iter().flatten().copied().max().unwrap_or(0);
    let label_width = rows
        .iter()
        .map(|label| text_width(label, FONT))
        .fold(0.0, f64::max)
        + 10.0;
    let (cell_w, cell_h, head) = (52.0, 22.0, 22.0);
    let width = label_width + cell_w * columns.len() as f64 + 2.0;
    let height = head + cell_h * rows.len() as f64 + 2.0;
    let mut out = String::new();
    open(&mut out, id, width, height, title);
    for (c, column) in columns.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="15" font-size="{FONT}" text-anchor="middle" fill="#5b6675">{column}</text>"##,
            x = label_width + cell_w * (c as f64 + 0.5),
            column = escape(column),
        );
    }
    for (r, row) in rows.iter().enumerate() {
        let y = head + cell_h * r as f64;
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{ty:.1}" font-size="{FONT}" text-anchor="end" fill="#1b2430">{row}</text>"##,
            x = label_width - 6.0,
            ty = y + cell_h / 2.0 + FONT * 0.35,
            row = escape(row),
        );
        for c in 0..columns.len() {
            let value = values.get(r).and_then(|v| v.get(c)).copied().unwrap_or(0);
            let given = fills.and_then(|f| f.get(r)).and_then(|row| row.get(c));
            let (fill, ink) = match given {
                Some(fill) => ((*fill).to_owned(), "#1b2430"),
                None => heat_color(value, max),
            };
            let x = label_width + cell_w * c as f64;
            let _ = write!(
                out,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{cell_w}" height="{cell_h}" fill="{fill}" stroke="#ffffff"/><text x="{tx:.1}" y="{ty:.1}" font-size="11" text-anchor="middle" fill="{ink}">{value}</text>"##,
                tx = x + cell_w / 2.0,
                ty = y + cell_h / 2.0 + 4.0,
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers of one attribute, in order, from a chart's markup.
    fn attribute(svg: &str, tag: &str, name: &str) -> Vec<f64> {
        svg.split(&format!("<{tag} "))
            .skip(1)
            .filter_map(|element| {
                let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
                let rest = &element[start..];
                rest[..rest.find('"')?].parse().ok()
            })
            .collect()
    }

    #[test]
    fn bars_are_as_long_as_their_values() {
        let svg = bars(
            "b",
            "t",
            &[("ア".into(), 30), ("イ".into(), 15), ("ウ".into(), 0)],
            "#000",
        );
        let widths = attribute(&svg, "rect", "width");
        assert_eq!(widths.len(), 3);
        assert!(widths[0] > 0.0);
        assert!((widths[1] - widths[0] / 2.0).abs() < 0.2, "{widths:?}");
        assert!(widths[2].abs() < f64::EPSILON);
        assert!(svg.contains(">30</text>") && svg.contains(">0</text>"));
    }

    #[test]
    fn nothing_counted_draws_empty_bars_not_nan() {
        let svg = bars("b", "t", &[("a".into(), 0), ("b".into(), 0)], "#000");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        let empty = columns("c", "t", &[], &[]);
        assert!(!empty.contains("NaN") && empty.starts_with("<svg"));
        let heat = heat_map("h", "t", &["a".into()], &["x".into()], &[vec![0]], None);
        assert!(!heat.contains("NaN"));
    }

    #[test]
    fn labels_are_escaped() {
        let svg = bars("b", "<t>", &[("<script>&".into(), 1)], "#000");
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;&amp;"));
        assert!(svg.contains("aria-label=\"&lt;t&gt;\""));
    }

    #[test]
    fn columns_rise_with_their_values() {
        let svg = columns(
            "c",
            "t",
            &["1月".into(), "2月".into()],
            &[
                Series {
                    name: "新規",
                    color: "#111",
                    values: vec![4, 2],
                },
                Series {
                    name: "変更",
                    color: "#222",
                    values: vec![1, 0],
                },
            ],
        );
        // Two legend swatches, then a column per month and series.
        let heights = attribute(&svg, "rect", "height");
        assert_eq!(heights.len(), 6, "{svg}");
        let columns = &heights[2..];
        assert!((columns[0] - 170.0).abs() < 0.1);
        assert!((columns[2] - 85.0).abs() < 0.1);
        assert!((columns[1] - 42.5).abs() < 0.1);
        assert!(columns[3].abs() < f64::EPSILON);
    }

    #[test]
    fn heat_deepens_with_the_count() {
        let (zero, dark) = heat_color(0, 10);
        assert_eq!(zero, "#f3f5f8");
        assert_eq!(dark, "#1b2430");
        let (full, ink) = heat_color(10, 10);
        assert_eq!(full, "#1f3a5f");
        assert_eq!(ink, "#ffffff");
        let svg = heat_map(
            "h",
            "t",
            &["市長部局".into(), "消防局".into()],
            &["3A".into(), "2".into()],
            &[vec![5, 0], vec![1, 10]],
            None,
        );
        assert_eq!(attribute(&svg, "rect", "width").len(), 4);
        assert!(svg.contains(">10</text>") && svg.contains("市長部局"));
        assert!(svg.contains("fill=\"#1f3a5f\"") && svg.contains("fill=\"#f3f5f8\""));
        let banded = heat_map(
            "r",
            "t",
            &["3".into()],
            &["1".into(), "2".into()],
            &[vec![0, 7]],
            Some(&[vec!["#aaaaaa", "#bbbbbb"]]),
        );
        assert!(banded.contains("fill=\"#aaaaaa\"") && banded.contains("fill=\"#bbbbbb\""));
        assert!(!banded.contains("#1f3a5f"));
    }

    #[test]
    fn wide_characters_count_wider() {
        assert!(text_width("市長部局", 10.0) > text_width("mayor", 10.0) * 1.2);
    }
}
