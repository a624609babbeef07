//! Exporting the register as an Excel workbook a section can edit and send
//! back: sheet 台帳 (the assets, in the Japanese the sheet importer reads,
//! with a drop-down on every closed column), 関連 (the links), 点検結果 (the
//! current findings) and 凡例 (the choices and the level definitions).
//!
//! Importing the workbook changes nothing; a section's edits come back as
//! updates through the one write path. The 資産ID and 版 columns, which
//! tell the importer which asset a row is and which version it was
//! exported at, are locked (the sheet is protected without a password,
//! every other column left editable) and shaded; the derived columns
//! 分類表示 and 取扱制限 are shaded too, and the importer passes over them
//! ([`DERIVED_ASSET_HEADERS`]) in a workbook daicho wrote, which a defined
//! name marks ([`DERIVED_COLUMNS_NAME`]).

use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{
    Color, DataValidation, ExcelDateTime, Format, FormatBorder, Formula, Note, ProtectionOptions,
    Workbook, Worksheet, XlsxError,
};

use super::{LINK_HEADERS_JA, xlsx};
use crate::audit::Head;
use crate::error::{Error, Result};
use crate::model::{Asset, AssetId, HostingKind, Kind, Link, Medium, Segment};
use crate::policy::{Axis, Policy};
use crate::query::Filter;
use crate::register::Register;
use crate::rules::CheckOptions;
use crate::table::{Cell, CellKind, Column, sheet_value_ja};

/// The sheets' names.
pub const ASSETS_SHEET: &str = "台帳";
/// The links' sheet.
pub const LINKS_SHEET: &str = "関連";
/// The findings' sheet.
pub const FINDINGS_SHEET: &str = "点検結果";
/// The legend's sheet.
pub const LEGEND_SHEET: &str = "凡例";

/// The headers of the asset sheet's derived columns, which the importer
/// passes over: the classification as the policy writes it, and the
/// handling restrictions the asset's levels require.
pub const DERIVED_ASSET_HEADERS: [&str; 2] = ["分類表示", "取扱制限"];

/// The workbook-level defined name daicho writes over the derived columns'
/// headers: the mark of a workbook daicho wrote, the only kind of sheet
/// whose columns named [`DERIVED_ASSET_HEADERS`] the importer passes over
/// (in any other sheet, a city's own 取扱制限 is an extra attribute).
pub const DERIVED_COLUMNS_NAME: &str = "daicho_derived_columns";

/// The headers of the link sheet's derived columns: the ends' names.
pub const DERIVED_LINK_HEADERS: [&str; 2] = ["関連元の資産名", "関連先の資産名"];

/// The last row a worksheet has (from 0): drop-downs reach it, so that rows
/// a section adds have them too.
const LAST_ROW: u32 = 1_048_575;

/// What a workbook export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkbookReport {
    /// Asset rows on sheet 台帳.
    pub assets: u64,
    /// Link rows on sheet 関連.
    pub links: u64,
    /// Finding rows on sheet 点検結果.
    pub findings: u64,
    /// The audit chain's head when the assets were read.
    pub head: Head,
}

impl Register {
    /// Writes the assets a filter selects as an Excel workbook (see the
    /// [module docs](self)) to `writer`; the links are those with an end
    /// among them, the findings those naming one of them.
    pub fn export_workbook<W: Write>(
        &self,
        mut writer: W,
        filter: &Filter,
    ) -> Result<WorkbookReport> {
        let (bytes, report) = self.workbook_bytes(filter, Path::new("<output>"))?;
        writer.write_all(&bytes).map_err(|source| Error::Io {
            action: "write",
            path: "<output>".into(),
            source,
        })?;
        Ok(report)
    }

    /// Writes the workbook to a new file at `path`, through an
    /// [`OutputFile`](crate::OutputFile): it appears only when complete, and
    /// replaces an existing file only when `overwrite` says so.
    pub fn export_workbook_path<P: AsRef<Path>>(
        &self,
        path: P,
        filter: &Filter,
        overwrite: bool,
    ) -> Result<WorkbookReport> {
        let mut out = self.output_file(path, overwrite)?;
        let path = out.path().to_owned();
        let (bytes, report) = self.workbook_bytes(filter, &path)?;
        out.write_all(&bytes).map_err(|source| Error::Io {
            action: "write",
            path,
            source,
        })?;
        out.commit()?;
        Ok(report)
    }

    /// The workbook's bytes; `path` names the output in errors.
    fn workbook_bytes(&self, filter: &Filter, path: &Path) -> Result<(Vec<u8>, WorkbookReport)> {
        let policy = self.policy();
        let (assets, links, head) = self.db().read(|_| {
            let assets = self.assets(filter)?;
            let selected: std::collections::HashSet<AssetId> =
                assets.iter().map(|a| a.id).collect();
            let links: Vec<Link> = self
                .links()?
                .into_iter()
                .filter(|l| selected.contains(&l.from) || selected.contains(&l.to))
                .collect();
            Ok((assets, links, self.head()?))
        })?;
        if assets.len() as u64 >= u64::from(LAST_ROW) {
            return Err(Error::invalid(
                "output",
                assets.len().to_string(),
                "ワークシートに入るのは 1,048,575 行までです。所管か所属ごとに分けて書き出してください",
                "a worksheet holds at most 1,048,575 rows; export fewer assets at a time \
                 (by organization or department)",
            ));
        }
        let findings = self.check_where(&CheckOptions::default(), filter)?.findings;
        let names = self.link_end_names(&links)?;
        let mut book = Workbook::new();
        let styles = Styles::new();
        let extra_keys = extra_keys(&assets);
        let legend = Legend::new(policy);
        let written = (|| -> std::result::Result<(), XlsxError> {
            write_assets(
                book.add_worksheet(),
                policy,
                &assets,
                &extra_keys,
                &styles,
                &legend,
            )?;
            // The mark of a workbook daicho wrote: a name over the derived
            // columns' headers, which the importer then passes over.
            let derived_at = (Column::sheet().count() + extra_keys.len()) as u32;
            book.define_name(
                DERIVED_COLUMNS_NAME,
                &format!(
                    "={}!${}$1:${}$1",
                    xlsx::sheet_reference(ASSETS_SHEET),
                    xlsx::column_letters(derived_at),
                    xlsx::column_letters(derived_at + DERIVED_ASSET_HEADERS.len() as u32 - 1)
                ),
            )?;
            write_links(book.add_worksheet(), &links, &names, &styles)?;
            write_findings(book.add_worksheet(), policy, &findings, &styles)?;
            legend.write(book.add_worksheet(), policy, &styles)?;
            Ok(())
        })();
        let bytes = written
            .and_then(|()| book.save_to_buffer())
            .map_err(|e| Error::Io {
                action: "write",
                path: path.to_owned(),
                source: std::io::Error::other(e),
            })?;
        Ok((
            bytes,
            WorkbookReport {
                assets: assets.len() as u64,
                links: links.len() as u64,
                findings: findings.len() as u64,
                head,
            },
        ))
    }

    /// The names of the links' ends, by id.
    fn link_end_names(&self, links: &[Link]) -> Result<std::collections::HashMap<AssetId, String>> {
        let mut names = std::collections::HashMap::new();
        for id in links.iter().flat_map(|l| [l.from, l.to]) {
            if let std::collections::hash_map::Entry::Vacant(entry) = names.entry(id) {
                entry.insert(self.get(id)?.name().to_owned());
            }
        }
        Ok(names)
    }
}

/// The formats the sheets share.
struct Styles {
    header: Format,
    locked_header: Format,
    editable: Format,
    editable_wrap: Format,
    editable_date: Format,
    locked: Format,
    locked_wrap: Format,
    plain_wrap: Format,
}

impl Styles {
    fn new() -> Styles {
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_border(FormatBorder::Thin)
            .set_background_color(Color::RGB(0x00DD_EBF7));
        let shade = Color::RGB(0x00E7_E6E6);
        Styles {
            locked_header: header.clone().set_background_color(Color::RGB(0x00BF_BFBF)),
            header,
            editable: Format::new().set_unlocked(),
            editable_wrap: Format::new().set_unlocked().set_text_wrap(),
            editable_date: Format::new().set_unlocked().set_num_format("yyyy-mm-dd"),
            locked: Format::new()
                .set_background_color(shade)
                .set_font_color(Color::RGB(0x0059_5959)),
            locked_wrap: Format::new()
                .set_background_color(shade)
                .set_font_color(Color::RGB(0x0059_5959))
                .set_text_wrap(),
            plain_wrap: Format::new().set_text_wrap(),
        }
    }
}

/// The extra attributes' keys in the order they are first met.
fn extra_keys(assets: &[Asset]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for asset in assets {
        for (key, _) in asset.fields.extra.iter() {
            if !keys.iter().any(|k| k == key) {
                keys.push(key.to_owned());
            }
        }
    }
    keys
}

/// A column's width in characters.
fn width(column: Column) -> f64 {
    match column {
        Column::Id => 38.0,
        Column::Name | Column::Location | Column::Controls => 28.0,
        Column::Notes => 40.0,
        Column::Kind | Column::Version => 6.0,
        Column::Confidentiality
        | Column::Integrity
        | Column::Availability
        | Column::Personal
        | Column::Sensitive
        | Column::MyNumber => 9.0,
        _ => 16.0,
    }
}

fn write_assets(
    sheet: &mut Worksheet,
    policy: &Policy,
    assets: &[Asset],
    extra_keys: &[String],
    styles: &Styles,
    legend: &Legend,
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(ASSETS_SHEET)?;
    let columns: Vec<Column> = Column::sheet().collect();
    let extra_at = columns.len() as u16;
    let derived_at = extra_at + extra_keys.len() as u16;
    let locked = |column: Column| matches!(column, Column::Id | Column::Version);
    for (index, column) in columns.iter().enumerate() {
        let col = index as u16;
        let format = if locked(*column) {
            &styles.locked_header
        } else {
            &styles.header
        };
        sheet.write_string_with_format(0, col, column.ja(), format)?;
        sheet.set_column_width(col, width(*column))?;
        if !locked(*column) {
            sheet.set_column_format(col, &styles.editable)?;
        }
    }
    let do_not_edit = Note::new(
        "編集しないでください。台帳が資産を見分けるための列です。\
         新しい資産の行では空けておきます。\n\
         Do not edit: the register tells the assets apart by this column; \
         leave it empty in a new asset's row.",
    )
    .add_author_prefix(false);
    for (index, column) in columns.iter().enumerate() {
        if locked(*column) {
            sheet.insert_note(0, index as u16, &do_not_edit)?;
        }
    }
    for (offset, key) in extra_keys.iter().enumerate() {
        let col = extra_at + offset as u16;
        sheet.write_string_with_format(0, col, key, &styles.header)?;
        sheet.set_column_width(col, 16.0)?;
        sheet.set_column_format(col, &styles.editable)?;
    }
    let derived_note = Note::new(
        "台帳の値から作る列です。取り込みでは読みません。\n\
         Derived from the row; the import passes over this column.",
    )
    .add_author_prefix(false);
    for (offset, header) in DERIVED_ASSET_HEADERS.iter().enumerate() {
        let col = derived_at + offset as u16;
        sheet.write_string_with_format(0, col, *header, &styles.locked_header)?;
        sheet.insert_note(0, col, &derived_note)?;
        sheet.set_column_width(col, if offset == 0 { 36.0 } else { 60.0 })?;
    }
    for (number, asset) in assets.iter().enumerate() {
        let row = number as u32 + 1;
        for (index, column) in columns.iter().enumerate() {
            write_asset_cell(sheet, policy, asset, *column, row, index as u16, styles)?;
        }
        for (offset, key) in extra_keys.iter().enumerate() {
            if let Some(value) = asset.fields.extra.get(key) {
                let col = extra_at + offset as u16;
                sheet.write_string_with_format(row, col, value, &styles.editable_wrap)?;
            }
        }
        sheet.write_string_with_format(
            row,
            derived_at,
            classification_label(policy, asset),
            &styles.locked,
        )?;
        sheet.write_string_with_format(
            row,
            derived_at + 1,
            required_restrictions(policy, asset).join("\n"),
            &styles.locked_wrap,
        )?;
    }
    let last_col = derived_at + DERIVED_ASSET_HEADERS.len() as u16 - 1;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, assets.len() as u32, last_col)?;
    for (index, column) in columns.iter().enumerate() {
        if let Some(list) = legend.list(*column) {
            let validation = DataValidation::new()
                .allow_list_formula(Formula::new(list))
                .set_error_title("台帳")?
                .set_error_message(
                    "凡例シートの選択肢から選んでください。\nChoose one of the values on sheet 凡例.",
                )?;
            let col = index as u16;
            sheet.add_data_validation(1, col, LAST_ROW, col, &validation)?;
        }
    }
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        delete_rows: true,
        sort: true,
        use_autofilter: true,
        ..ProtectionOptions::default()
    });
    Ok(())
}

/// The largest count a number cell holds exactly (2^53): an `f64` has 53
/// bits of mantissa, and Excel's cells are `f64`s.
const MAX_EXACT_COUNT: u64 = 1 << 53;

/// Writes one asset's cell: codes as the Japanese a section writes, flags
/// as ○ and ×, counts and the version as numbers, dates as date cells.
fn write_asset_cell(
    sheet: &mut Worksheet,
    policy: &Policy,
    asset: &Asset,
    column: Column,
    row: u32,
    col: u16,
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    let locked = matches!(column, Column::Id | Column::Version);
    let text_format = if locked {
        &styles.locked
    } else if column == Column::Notes {
        &styles.editable_wrap
    } else {
        &styles.editable
    };
    match column.cell(asset) {
        Cell::Null => {}
        Cell::Flag(yes) => {
            sheet.write_string_with_format(row, col, if yes { "○" } else { "×" }, text_format)?;
        }
        // A count beyond 2^53 has no exact number cell: it is written as
        // its digits, which the importer reads back exactly.
        Cell::Count(n) if n > MAX_EXACT_COUNT => {
            sheet.write_string_with_format(row, col, n.to_string(), text_format)?;
        }
        Cell::Count(n) => {
            #[allow(clippy::cast_precision_loss, reason = "at most 2^53, exact")]
            sheet.write_number_with_format(row, col, n as f64, text_format)?;
        }
        Cell::Date(date) => {
            // Excel's dates start in 1900: an earlier one is written as its
            // ISO text, which the importer reads the same.
            match ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)
            {
                Ok(cell) => {
                    sheet.write_datetime_with_format(row, col, &cell, &styles.editable_date)?;
                }
                Err(_) => {
                    sheet.write_string_with_format(row, col, date.to_string(), text_format)?;
                }
            }
        }
        cell => {
            let text = cell.canonical_text().unwrap_or_default();
            let shown = match column.kind() {
                CellKind::Code | CellKind::PolicyCode | CellKind::Controls => {
                    sheet_value_ja(policy, column, &text).unwrap_or(text)
                }
                _ => text,
            };
            sheet.write_string_with_format(row, col, shown, text_format)?;
        }
    }
    Ok(())
}

/// The classification as the policy writes it: 【自治体機密性3B／完全性2／可用性2】.
pub(crate) fn classification_label(policy: &Policy, asset: &Asset) -> String {
    let class = &asset.fields.classification;
    let label = |level: &crate::policy::Level| {
        policy
            .definition(level)
            .map_or_else(|| level.code().to_owned(), |def| def.ja.clone())
    };
    format!(
        "【{}／{}／{}】",
        label(&class.confidentiality),
        label(&class.integrity),
        label(&class.availability)
    )
}

/// The handling restrictions (取扱制限) the asset's own levels require of
/// it, each once, as the controls rule reads them: `electronic_only` not of
/// paper, `paper_only` only of paper, `network_only` only with a segment,
/// integrity and availability only of electronic assets.
pub(crate) fn required_restrictions<'p>(policy: &'p Policy, asset: &Asset) -> Vec<&'p str> {
    let f = &asset.fields;
    let electronic = f.medium.is_none_or(Medium::is_electronic);
    let networked = electronic && f.segment.is_some();
    let class = &f.classification;
    let mut controls = Vec::new();
    let mut lines = Vec::new();
    for (axis, level) in Axis::ALL.into_iter().zip([
        &class.confidentiality,
        &class.integrity,
        &class.availability,
    ]) {
        let Some(def) = policy.definition(level) else {
            continue;
        };
        for r in &def.restrictions {
            let applies = if r.network_only {
                networked
            } else if r.paper_only {
                axis == Axis::Confidentiality && !electronic
            } else if r.electronic_only || axis != Axis::Confidentiality {
                electronic
            } else {
                true
            };
            if applies && !controls.contains(&&r.control) {
                controls.push(&r.control);
                lines.push(r.ja.as_str());
            }
        }
    }
    lines
}

fn write_links(
    sheet: &mut Worksheet,
    links: &[Link],
    names: &std::collections::HashMap<AssetId, String>,
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(LINKS_SHEET)?;
    for (col, header) in LINK_HEADERS_JA.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &styles.header)?;
    }
    for (offset, header) in DERIVED_LINK_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, 4 + offset as u16, *header, &styles.locked_header)?;
    }
    for (number, link) in links.iter().enumerate() {
        let row = number as u32 + 1;
        sheet.write_string(row, 0, link.from.to_string())?;
        sheet.write_string(row, 1, link.relation.label_ja())?;
        sheet.write_string(row, 2, link.to.to_string())?;
        if let Some(sanitization) = link.sanitization {
            sheet.write_string(row, 3, sanitization.label_ja())?;
        }
        let name = |id: &AssetId| names.get(id).map_or("", String::as_str);
        sheet.write_string_with_format(row, 4, name(&link.from), &styles.locked)?;
        sheet.write_string_with_format(row, 5, name(&link.to), &styles.locked)?;
    }
    for (col, width) in [38.0, 12.0, 38.0, 16.0, 28.0, 28.0].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, links.len() as u32, 5)?;
    Ok(())
}

fn write_findings(
    sheet: &mut Worksheet,
    policy: &Policy,
    findings: &[crate::rules::Finding],
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(FINDINGS_SHEET)?;
    let headers = ["所管", "重大度", "ルール", "条項", "資産", "資産ID", "内容"];
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &styles.header)?;
    }
    for (number, f) in findings.iter().enumerate() {
        let row = number as u32 + 1;
        sheet.write_string(row, 0, policy.organization_ja(&f.organization))?;
        sheet.write_string(row, 1, f.severity.label_ja())?;
        sheet.write_string(row, 2, f.rule.code())?;
        sheet.write_string(row, 3, f.section)?;
        let names: Vec<&str> = f.assets.iter().map(|a| a.name.as_str()).collect();
        sheet.write_string(row, 4, names.join("／"))?;
        if let Some(first) = f.assets.first() {
            sheet.write_string(row, 5, first.id.to_string())?;
        }
        sheet.write_string_with_format(row, 6, &f.message_ja, &styles.plain_wrap)?;
    }
    for (col, width) in [16.0, 8.0, 28.0, 10.0, 28.0, 38.0, 80.0]
        .into_iter()
        .enumerate()
    {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, findings.len() as u32, 6)?;
    Ok(())
}

/// Sheet 凡例: one column of choices per closed column of the asset sheet
/// (the drop-downs read them), and below them the levels' definitions.
struct Legend {
    /// Each closed column with its choices, in the asset sheet's order.
    choices: Vec<(Column, Vec<String>)>,
}

impl Legend {
    fn new(policy: &Policy) -> Legend {
        let labels = |codes: &mut dyn Iterator<Item = &str>, column: Column| -> Vec<String> {
            codes
                .map(|code| sheet_value_ja(policy, column, code).unwrap_or_else(|| code.to_owned()))
                .collect()
        };
        let levels = |axis: Axis| -> Vec<String> {
            policy
                .scale(axis)
                .levels
                .iter()
                .map(|def| def.level.code().to_owned())
                .collect()
        };
        let flags = || vec!["○".to_owned(), "×".to_owned()];
        let choices = Column::sheet()
            .filter_map(|column| {
                let values = match column {
                    Column::Kind => Kind::ALL.iter().map(|k| k.letter().to_owned()).collect(),
                    Column::Organization => policy
                        .organizations()
                        .iter()
                        .map(|o| o.ja.clone())
                        .collect(),
                    Column::Confidentiality => levels(Axis::Confidentiality),
                    Column::Integrity => levels(Axis::Integrity),
                    Column::Availability => levels(Axis::Availability),
                    Column::Segment => labels(&mut Segment::ALL.iter().map(|s| s.code()), column),
                    Column::Medium => labels(&mut Medium::ALL.iter().map(|m| m.code()), column),
                    Column::Hosting => {
                        labels(&mut HostingKind::ALL.iter().map(|h| h.code()), column)
                    }
                    Column::ExclusionReason => {
                        policy.exclusions().iter().map(|e| e.ja.clone()).collect()
                    }
                    _ if column.kind() == CellKind::Flag => flags(),
                    _ => return None,
                };
                Some((column, values))
            })
            .collect();
        Legend { choices }
    }

    /// The drop-down's list of a closed column: a range of sheet 凡例.
    fn list(&self, column: Column) -> Option<String> {
        let index = self.choices.iter().position(|(c, _)| *c == column)?;
        let (_, values) = &self.choices[index];
        let letters = xlsx::column_letters(index as u32);
        Some(format!(
            "={}!${letters}$2:${letters}${}",
            xlsx::sheet_reference(LEGEND_SHEET),
            values.len().max(1) + 1
        ))
    }

    fn write(
        &self,
        sheet: &mut Worksheet,
        policy: &Policy,
        styles: &Styles,
    ) -> std::result::Result<(), XlsxError> {
        sheet.set_name(LEGEND_SHEET)?;
        for (col, (column, values)) in self.choices.iter().enumerate() {
            let col = col as u16;
            sheet.write_string_with_format(0, col, column.ja(), &styles.header)?;
            sheet.set_column_width(col, 18.0)?;
            for (row, value) in values.iter().enumerate() {
                sheet.write_string(row as u32 + 1, col, value)?;
            }
        }
        let longest = self.choices.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
        let mut row = longest as u32 + 3;
        let headers = ["軸", "区分", "名称", "定義", "取扱制限"];
        for (col, header) in headers.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, *header, &styles.header)?;
        }
        for axis in Axis::ALL {
            let scale = policy.scale(axis);
            for def in &scale.levels {
                row += 1;
                sheet.write_string(row, 0, &scale.ja)?;
                sheet.write_string(row, 1, def.level.code())?;
                sheet.write_string(row, 2, &def.ja)?;
                sheet.write_string_with_format(row, 3, &def.definition_ja, &styles.plain_wrap)?;
                let restrictions: Vec<&str> =
                    def.restrictions.iter().map(|r| r.ja.as_str()).collect();
                sheet.write_string_with_format(
                    row,
                    4,
                    restrictions.join("\n"),
                    &styles.plain_wrap,
                )?;
            }
        }
        Ok(())
    }
}
