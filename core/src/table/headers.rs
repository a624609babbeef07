//! Header cells of an asset sheet as staff type them: `個人情報⏎（有無）`
//! (Alt+Enter and a bracketed modifier), `件数（人）`, `主な保管場所`,
//! `資産名※`. A header that is none of the columns but contains one's name
//! is reported as such, so that a column is never dropped silently.

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use super::Column;

/// What a header cell names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderMatch {
    /// One of the asset columns.
    Column(Column),
    /// A row-number column (`No.`, `連番`): ignored.
    RowNumber,
    /// Not a column, but it contains this column's name (`個人情報の取扱い`).
    LooksLike(Column),
    /// Nothing the table knows: a city's own attribute.
    Unknown,
}

/// Folds a header for matching: NFKC, lowercase, every run of spaces, line
/// breaks and hyphens as one underscore, none at the ends.
pub(crate) fn fold_header(header: &str) -> String {
    let normalized: String = header.nfkc().collect();
    let mut folded = String::with_capacity(normalized.len());
    let mut gap = false;
    for c in normalized.trim_start_matches('\u{feff}').chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            gap = true;
            continue;
        }
        if gap && !folded.is_empty() {
            folded.push('_');
        }
        gap = false;
        folded.extend(c.to_lowercase());
    }
    folded
}

/// Brackets whose contents modify a header: `（有無）`, `【必須】`.
const BRACKETS: [(char, char); 5] = [
    ('(', ')'),
    ('[', ']'),
    ('【', '】'),
    ('「', '」'),
    ('〔', '〕'),
];

/// Words sheets put before a column's name: `主な保管場所`, `最終点検日`.
const PREFIXES: [&str; 4] = ["主な", "主たる", "最終", "現在の"];

/// Headers of row-number columns, folded.
const ROW_NUMBERS: [&str; 8] = ["no", "no.", "#", "番号", "連番", "通番", "項番", "行番号"];

/// Removes the marks sheets put on headers (`*`, `※`, `◎`), every bracketed
/// part, and the underscores left at the ends.
fn strip_marks(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    let mut depth: Option<char> = None;
    for c in folded.chars() {
        match depth {
            Some(close) if c == close => depth = None,
            Some(_) => {}
            None => match BRACKETS.iter().find(|(open, _)| *open == c) {
                Some((_, close)) => depth = Some(*close),
                None if matches!(c, '*' | '※' | '◎' | '○' | '●') => {}
                None => out.push(c),
            },
        }
    }
    out.trim_matches('_').to_owned()
}

/// A folded header without the gaps between two Japanese (non-ASCII)
/// characters: Japanese writes no space between words, so a line break
/// there was typed to wrap the cell.
fn join_japanese(folded: &str) -> String {
    let chars: Vec<char> = folded.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            let between_japanese = c == '_'
                && i > 0
                && chars.get(i + 1).is_some_and(|next| !next.is_ascii())
                && !chars[i - 1].is_ascii();
            !between_japanese
        })
        .map(|(_, &c)| c)
        .collect()
}

/// Columns a sheet may carry but never sets: a record's times, as `to_records()` and
/// `--format json` give them. Known, so that they never become extra attributes.
pub(crate) const READ_ONLY: [Column; 2] = [Column::CreatedAt, Column::UpdatedAt];

/// Every spelling of every sheet column and read-only column, folded, longest first.
static SPELLINGS: LazyLock<Vec<(String, Column)>> = LazyLock::new(|| {
    let mut spellings: Vec<(String, Column)> = Column::sheet()
        .chain(READ_ONLY)
        .flat_map(|col| {
            [col.key(), col.ja()]
                .into_iter()
                .chain(col.aliases().iter().copied())
                .map(move |spelling| (fold_header(spelling), col))
        })
        .collect();
    spellings.sort_by_key(|(spelling, _)| std::cmp::Reverse(spelling.chars().count()));
    spellings
});

fn exact(folded: &str) -> Option<Column> {
    SPELLINGS
        .iter()
        .find(|(spelling, _)| spelling == folded)
        .map(|(_, col)| *col)
}

/// What a header cell of an asset sheet names.
pub(crate) fn match_header(header: &str) -> HeaderMatch {
    let folded = fold_header(header);
    if let Some(col) = exact(&folded) {
        return HeaderMatch::Column(col);
    }
    let stripped = strip_marks(&folded);
    if let Some(col) = exact(&stripped) {
        return HeaderMatch::Column(col);
    }
    // Alt+Enter inside a Japanese word (`ネットワーク⏎区分`) splits no word.
    let joined = join_japanese(&stripped);
    for candidate in [&stripped, &joined] {
        if let Some(col) = exact(candidate) {
            return HeaderMatch::Column(col);
        }
        for prefix in PREFIXES {
            if let Some(col) = candidate.strip_prefix(prefix).and_then(exact) {
                return HeaderMatch::Column(col);
            }
        }
    }
    if ROW_NUMBERS.contains(&stripped.as_str()) {
        return HeaderMatch::RowNumber;
    }
    // A name of two characters or more, or an English one of four: short
    // aliases such as `c` or `ver` are found in too many words.
    let telling = |spelling: &str| {
        let chars = spelling.chars().count();
        if spelling.is_ascii() {
            chars >= 4
        } else {
            chars >= 2
        }
    };
    SPELLINGS
        .iter()
        .find(|(spelling, _)| telling(spelling) && stripped.contains(spelling.as_str()))
        .map_or(HeaderMatch::Unknown, |(_, col)| {
            HeaderMatch::LooksLike(*col)
        })
}

impl Column {
    /// Finds the column a header names, after folding, marks, brackets and
    /// prefixes; `None` for anything else.
    pub fn from_header(header: &str) -> Option<Column> {
        match match_header(header) {
            HeaderMatch::Column(col) => Some(col),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(header: &str, expected: HeaderMatch) {
        assert_eq!(match_header(header), expected, "header {header:?}");
    }

    #[test]
    fn headers_match_after_folding() {
        use HeaderMatch::Column as C;
        check("id", C(Column::Id));
        check(" 資産ID ", C(Column::Id));
        check("資産ＩＤ", C(Column::Id));
        check("Record Count", C(Column::RecordCount));
        check("RECORD-COUNT", C(Column::RecordCount));
        check("情報資産名", C(Column::Name));
        check("資産名（必須）", C(Column::Name));
        check("※備考", C(Column::Notes));
        check("組織", C(Column::Organization));
        check("所管", C(Column::Organization));
        check("管理者", C(Column::Manager));
        check("バージョン", C(Column::Version));
        check("版", C(Column::Version));
        check("ｹﾝｽｳ", HeaderMatch::Unknown);
        check("調達年度", HeaderMatch::Unknown);
        // Not sheet columns: an `extra` header is a city's own attribute.
        check("extra", HeaderMatch::Unknown);
        // Read-only: known, so that a record's times never become extra attributes.
        check("created_at", C(Column::CreatedAt));
        check("更新日時", C(Column::UpdatedAt));
    }

    /// Issue 12: headers typed with Alt+Enter and bracketed modifiers were
    /// kept as extra attributes, and a column's data was lost silently.
    #[test]
    fn line_breaks_brackets_and_prefixes_are_folded() {
        use HeaderMatch::Column as C;
        check("個人情報\n（有無）", C(Column::Personal));
        check("個人情報\r\n（有無）", C(Column::Personal));
        // A line break inside a word, to wrap the cell.
        check("ネットワーク\n区分", C(Column::Segment));
        check("管理\n番号", C(Column::AssetNumber));
        check("最終\n点検日", C(Column::ReviewedOn));
        check("特定個人情報\n（マイナンバー）", C(Column::MyNumber));
        check("情報セキュリティ管理者\n（所属長）", C(Column::Manager));
        check("件数（人）", C(Column::RecordCount));
        check("所属（課・係）", C(Column::Department));
        check("【必須】資産名", C(Column::Name));
        check("主な保管場所", C(Column::Location));
        check("最終点検日", C(Column::ReviewedOn));
    }

    #[test]
    fn row_numbers_and_look_alikes_are_told_apart() {
        check("No.", HeaderMatch::RowNumber);
        check("№", HeaderMatch::RowNumber);
        check("連番", HeaderMatch::RowNumber);
        check("個人情報の取扱い", HeaderMatch::LooksLike(Column::Personal));
        check(
            "要配慮個人情報有無等",
            HeaderMatch::LooksLike(Column::Sensitive),
        );
        check("保存期間満了日", HeaderMatch::LooksLike(Column::Retention));
        check("調達年度", HeaderMatch::Unknown);
        check("category", HeaderMatch::Unknown);
    }

    #[test]
    fn every_sheet_header_and_alias_finds_its_column() {
        for col in Column::sheet() {
            for spelling in [col.key(), col.ja()]
                .into_iter()
                .chain(col.aliases().iter().copied())
            {
                assert_eq!(Column::from_header(spelling), Some(col), "{spelling}");
            }
        }
    }
}
