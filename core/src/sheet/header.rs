//! The header rows: which file column holds which field.

use super::Sink;
use super::columns::{LINK_HEADERS_EN, LinkCol};
use super::sink::At;
use crate::table::headers::{HeaderMatch, fold_header, match_header};
use crate::table::{Column, SHEET_COLUMN_COUNT};
use crate::text::Localized;
use crate::write::MayHoldNumbers;

/// How an asset sheet's header row maps onto the columns.
pub(super) struct AssetHeader {
    /// The file's column for each column of [`Column::ALL`].
    field: Vec<Option<usize>>,
    /// Each file column's header as written.
    pub(super) names: Vec<String>,
    /// Extra columns: (file column, header as written).
    pub(super) extra: Vec<(usize, String)>,
}

impl AssetHeader {
    /// The file column holding a column, if the sheet has it.
    pub(super) fn position(&self, col: Column) -> Option<usize> {
        self.field[col.index()]
    }

    /// A column's header as the file writes it, or its key when it has none.
    pub(super) fn name(&self, col: Column) -> &str {
        self.position(col)
            .and_then(|i| self.names.get(i))
            .map_or(col.key(), String::as_str)
    }

    /// The asset columns and extra attributes of this sheet that the
    /// columns `given` name ([`same_column`]).
    pub(super) fn allowed(&self, given: &[String]) -> MayHoldNumbers {
        let mut numbers = MayHoldNumbers::default();
        for (index, name) in self.names.iter().enumerate() {
            if !given.iter().any(|given| same_column(given, name)) {
                continue;
            }
            if let Some(&column) = Column::ALL
                .iter()
                .find(|c| self.position(**c) == Some(index))
            {
                numbers.columns.push(column);
            } else if let Some((_, key)) = self.extra.iter().find(|(i, _)| *i == index) {
                numbers.extra.push(key.clone());
            }
        }
        numbers
    }

    /// True when the sheet has every asset column.
    pub(super) fn is_complete(&self) -> bool {
        Column::sheet().all(|col| self.position(col).is_some())
    }

    /// Maps a header row found at `at`; `None` when it cannot be used (the
    /// errors are in `sink`). `declared_extra` are headers the user declared
    /// a city's own attributes although they look like a column.
    /// `by_daicho` says the sheet is of a workbook daicho wrote, whose
    /// derived columns are passed over; anywhere else a column so named is
    /// the city's own.
    #[expect(
        clippy::too_many_lines,
        reason = "one pass over the header cells, each case with its message in two languages"
    )]
    pub(super) fn map(
        file: &str,
        at: At<'_>,
        names: Vec<String>,
        strict: bool,
        declared_extra: &[String],
        by_daicho: bool,
        sink: &mut Sink,
    ) -> Option<AssetHeader> {
        let mut header = AssetHeader {
            field: vec![None; Column::ALL.len()],
            names: Vec::new(),
            extra: Vec::new(),
        };
        let mut ok = true;
        // The derived columns of a workbook daicho wrote are its last ones
        // so named (an extra attribute of the same name stands before).
        let derived: Vec<usize> = if by_daicho {
            super::DERIVED_ASSET_HEADERS
                .iter()
                .filter_map(|header| names.iter().rposition(|name| is_derived(name, &[header])))
                .collect()
        } else {
            Vec::new()
        };
        for (index, name) in names.iter().enumerate() {
            if name.is_empty() || derived.contains(&index) {
                continue;
            }
            let declared = declared_extra.iter().any(|d| d.trim() == name);
            match match_header(name) {
                HeaderMatch::Column(col) if !declared => {
                    if let Some(first) = header.field[col.index()] {
                        let reason = Localized::new(
                            format!(
                                "`{}` の列が 2 つあります: {} 列目（`{}`）と {} 列目",
                                col.ja(),
                                first + 1,
                                names[first],
                                index + 1
                            ),
                            format!(
                                "two columns are `{}`: column {} (`{}`) and column {}",
                                col.key(),
                                first + 1,
                                names[first],
                                index + 1
                            ),
                        );
                        sink.error(file, at, Some(name), "", reason);
                        ok = false;
                    } else {
                        header.field[col.index()] = Some(index);
                    }
                }
                HeaderMatch::RowNumber if !declared => {
                    let reason = Localized::from((
                        "行番号の列です。読み飛ばしました",
                        "holds row numbers: ignored",
                    ));
                    sink.warn(file, at, name, "", reason);
                }
                HeaderMatch::LooksLike(col) if !declared => {
                    let reason = Localized::new(
                        format!(
                            "列 `{}`（{}）に似ていますがそれではないため、セルの内容が失われます。\
                             列名を `{}` にするか、市独自の属性として宣言してください（--extra-column）",
                            col.ja(),
                            col.key(),
                            col.ja()
                        ),
                        format!(
                            "looks like the column `{}` ({}) but is not it, so its cells would \
                             be lost: name the column `{}`, or declare it a city's own attribute \
                             (--extra-column)",
                            col.ja(),
                            col.key(),
                            col.ja()
                        ),
                    );
                    sink.error(file, at, Some(name), "", reason);
                    ok = false;
                }
                _ if strict && !declared => {
                    let reason = Localized::from((
                        "資産シートの列ではありません（--strict は追加の列を受け付けません）",
                        "not a column of the asset sheet (--strict refuses extra columns)",
                    ));
                    sink.error(file, at, Some(name), "", reason);
                    ok = false;
                }
                _ => {
                    if header.extra.iter().any(|(_, n)| n == name) {
                        let reason = Localized::from((
                            "この見出しの列が 2 つあります",
                            "two columns have this header",
                        ));
                        sink.error(file, at, Some(name), "", reason);
                        ok = false;
                    }
                    header.extra.push((index, name.clone()));
                }
            }
        }
        let missing = missing_required(&[&names]);
        if !missing.en.is_empty() {
            let hint = tab_hint(&names);
            let reason = Localized::new(
                format!("見出しに{}がありません{}", missing.ja, hint.0),
                format!("the header lacks {}{}", missing.en, hint.1),
            );
            sink.error(file, at, None, "", reason);
            ok = false;
        }
        header.names = names;
        debug_assert!(Column::sheet().count() == SHEET_COLUMN_COUNT);
        ok.then_some(header)
    }

    /// Whether a row is an asset sheet's header: 2 when it names at least
    /// three of the required columns, 1 when it names some column, else 0.
    pub(super) fn is_header(cells: &[String]) -> u8 {
        let mut named = 0;
        let mut required = 0;
        for cell in cells {
            if let HeaderMatch::Column(col) = match_header(cell) {
                named += 1;
                required += u8::from(col.is_required());
            }
        }
        match (required, named) {
            (3.., _) => 2,
            (_, 1..) => 1,
            _ => 0,
        }
    }

    /// What the rows searched for a header lack: the required columns none
    /// of them names.
    pub(super) fn missing(rows: &[Vec<String>]) -> Localized {
        let hint = rows
            .iter()
            .find(|cells| cells.iter().any(|c| !c.is_empty()))
            .map_or(("", ""), |cells| tab_hint(cells));
        let rows: Vec<&Vec<String>> = rows.iter().collect();
        let missing = missing_required(&rows);
        if missing.en.is_empty() {
            Localized::new(
                format!("必須の列を名指す行がありません{}", hint.0),
                format!("no row names the required columns{}", hint.1),
            )
        } else {
            Localized::new(
                format!("どの行にも{}がありません{}", missing.ja, hint.0),
                format!("none names {}{}", missing.en, hint.1),
            )
        }
    }
}

/// The required columns no row names, as `the required columns kind (種別), …`.
fn missing_required(rows: &[&Vec<String>]) -> Localized {
    let missing: Vec<Column> = Column::sheet()
        .filter(|col| col.is_required())
        .filter(|col| {
            !rows.iter().any(|cells| {
                cells
                    .iter()
                    .any(|cell| match_header(cell) == HeaderMatch::Column(*col))
            })
        })
        .collect();
    let en: Vec<String> = missing
        .iter()
        .map(|col| format!("{} ({})", col.key(), col.ja()))
        .collect();
    let ja: Vec<String> = missing
        .iter()
        .map(|col| format!("{}（{}）", col.ja(), col.key()))
        .collect();
    match missing.len() {
        0 => Localized::default(),
        1 => Localized::new(
            format!("必須の列 {}", ja[0]),
            format!("the required column {}", en[0]),
        ),
        _ => Localized::new(
            format!("必須の列 {}", ja.join("、")),
            format!("the required columns {}", en.join(", ")),
        ),
    }
}

/// How a link sheet's header row maps onto its columns.
pub(super) struct LinkHeader {
    field: [Option<usize>; 4],
    names: Vec<String>,
}

impl LinkHeader {
    /// The file column holding a column.
    pub(super) fn position(&self, col: LinkCol) -> Option<usize> {
        self.field[col.index()]
    }

    /// A column's header as the file writes it.
    pub(super) fn name(&self, col: LinkCol) -> &str {
        self.position(col)
            .and_then(|i| self.names.get(i))
            .map_or(LINK_HEADERS_EN[col.index()], String::as_str)
    }

    /// Maps a header row; `None` when it cannot be used (the errors are in `sink`).
    pub(super) fn map(
        file: &str,
        at: At<'_>,
        names: &[String],
        sink: &mut Sink,
    ) -> Option<LinkHeader> {
        let mut field = [None; 4];
        let mut ok = true;
        for (index, name) in names.iter().enumerate() {
            if name.is_empty() || is_derived(name, &super::DERIVED_LINK_HEADERS) {
                continue;
            }
            match LinkCol::from_header(name) {
                Some(col) if field[col.index()].is_none() => field[col.index()] = Some(index),
                Some(_) => {
                    let reason = Localized::from((
                        "この項目を名指す列が 2 つあります",
                        "two columns name this field",
                    ));
                    sink.error(file, at, Some(name), "", reason);
                    ok = false;
                }
                None => {
                    let reason = Localized::from((
                        "関連シートの列ではありません（from、relation、to、sanitization）",
                        "not a column of the link sheet (from, relation, to, sanitization)",
                    ));
                    sink.error(file, at, Some(name), "", reason);
                    ok = false;
                }
            }
        }
        for col in [LinkCol::From, LinkCol::Relation, LinkCol::To] {
            if field[col.index()].is_none() {
                let header = LINK_HEADERS_EN[col.index()];
                let reason = Localized::new(
                    format!("見出しに必須の列 `{header}` がありません"),
                    format!("the header lacks the required column `{header}`"),
                );
                sink.error(file, at, None, "", reason);
                ok = false;
            }
        }
        ok.then(|| LinkHeader {
            field,
            names: names.to_vec(),
        })
    }

    /// Whether a row is a link sheet's header: 2 when it names the source,
    /// the relation and the target, 1 when it names some of them, else 0.
    pub(super) fn is_header(cells: &[String]) -> u8 {
        let named = [LinkCol::From, LinkCol::Relation, LinkCol::To]
            .iter()
            .filter(|col| {
                cells
                    .iter()
                    .any(|cell| LinkCol::from_header(cell) == Some(**col))
            })
            .count();
        match named {
            3 => 2,
            1.. => 1,
            0 => 0,
        }
    }

    /// What the rows searched for a link header lack.
    pub(super) fn missing(rows: &[Vec<String>]) -> Localized {
        let missing: Vec<&str> = [LinkCol::From, LinkCol::Relation, LinkCol::To]
            .into_iter()
            .filter(|col| {
                !rows.iter().any(|cells| {
                    cells
                        .iter()
                        .any(|cell| LinkCol::from_header(cell) == Some(*col))
                })
            })
            .map(|col| LINK_HEADERS_EN[col.index()])
            .collect();
        if missing.is_empty() {
            Localized::from((
                "`from`、`relation`、`to` をそろえて名指す行がありません",
                "no row names `from`, `relation` and `to` together",
            ))
        } else {
            Localized::new(
                format!("どの行にも必須の列 `{}` がありません", missing.join("`、`")),
                format!("none names the required column `{}`", missing.join("`, `")),
            )
        }
    }
}

/// True when a header is one of the derived columns daicho's workbook
/// writes beside the data (分類表示, 取扱制限), which an import passes over.
fn is_derived(name: &str, derived: &[&str]) -> bool {
    let folded = fold_header(name);
    derived.iter().any(|d| fold_header(d) == folded)
}

/// True when a column named by a person (`備考`, `notes`, an extra column's
/// header) is the column a header cell names: the same header once folded,
/// or the same asset or link column by any of its names.
pub(super) fn same_column(given: &str, header: &str) -> bool {
    if fold_header(given) == fold_header(header) {
        return true;
    }
    if let Some(column) = Column::from_header(given) {
        return Column::from_header(header) == Some(column);
    }
    LinkCol::from_header(given).is_some_and(|column| LinkCol::from_header(header) == Some(column))
}

/// A hint for a header that is one cell with tabs in it: the sheet was saved
/// as tab-separated text, as Excel's 「Unicode テキスト」 (UTF-16) does.
fn tab_hint(names: &[String]) -> (&'static str, &'static str) {
    let mut cells = names.iter().filter(|n| !n.is_empty());
    match (cells.next(), cells.next()) {
        (Some(only), None) if only.contains('\t') => (
            "。見出しがタブで区切られています（Excel の「Unicode テキスト」の保存形式）。\
             「CSV UTF-8 (コンマ区切り)」で保存し直してください",
            "; the header is separated by tabs, as Excel's 「Unicode テキスト」 saves a sheet: \
             save it as 「CSV UTF-8 (コンマ区切り)」 instead",
        ),
        _ => ("", ""),
    }
}
