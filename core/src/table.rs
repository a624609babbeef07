//! The asset-column table: the one place that says which columns an asset
//! has, in which order, under which English and Japanese headers and
//! aliases, how each is stored, and how its value is read off an [`Asset`].
//!
//! Everything else derives from it: the sheet columns and their header
//! matching, the SQL column lists and named reads of `store/`, the flat
//! [`AssetRecord`] (the JSON of `--format json`, the audit log and Python's
//! `to_records()`), the audit log's compact stored form, and the export
//! order. Adding a field means: the model, a migration, one row here (and
//! its arm in `cells.rs`, which reads a row's cells back into fields), and
//! each door's flag.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::{Asset, AssetId, Extra, Retention};
use crate::policy::{ControlCode, Level};

pub(crate) mod cells;
pub(crate) mod headers;
mod labels;
pub(crate) mod vocabulary;

pub use labels::display_value;
pub(crate) use labels::{has_sheet_value_ja, sheet_value_ja};

/// What kind of value a column holds, which decides how every door writes
/// and reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CellKind {
    /// The asset's id.
    Id,
    /// Text that must not be empty.
    Text,
    /// Text that may be missing.
    OptionalText,
    /// A code of a closed set (kind, segment, medium, hosting, retention).
    Code,
    /// A code of the register's policy (organization, exclusion reason).
    PolicyCode,
    /// A classification level.
    Level,
    /// A yes/no flag.
    Flag,
    /// A whole number that may be missing.
    Count,
    /// A set of control codes.
    Controls,
    /// A calendar date.
    Date,
    /// The version, a whole number from 1.
    Version,
    /// City-specific attributes (not a sheet column: each is a column of its own).
    Extra,
    /// A point in time, kept by the register.
    Timestamp,
}

/// One column's value of an asset, borrowed from it where it can be.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Cell<'a> {
    /// No value.
    Null,
    /// The id.
    Id(AssetId),
    /// Text or a code.
    Text(&'a str),
    /// A classification level (its code, and its rank for comparisons).
    Level(&'a Level),
    /// A flag.
    Flag(bool),
    /// A whole number.
    Count(u64),
    /// Control codes, sorted.
    Controls(&'a std::collections::BTreeSet<ControlCode>),
    /// A retention period.
    Retention(Retention),
    /// A date.
    Date(Date),
    /// City-specific attributes.
    Extra(&'a Extra),
    /// A point in time.
    Timestamp(Timestamp),
}

impl Cell<'_> {
    /// True for a value the audit log leaves out: null, false, empty.
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Cell::Null | Cell::Flag(false) => true,
            Cell::Controls(set) => set.is_empty(),
            Cell::Extra(extra) => extra.is_empty(),
            _ => false,
        }
    }

    /// The value as a sheet writes it in canonical form (codes, ISO dates,
    /// `true`/`false`, controls joined by `;`); `None` when null.
    pub fn canonical_text(&self) -> Option<String> {
        Some(match self {
            Cell::Null => return None,
            Cell::Id(id) => id.to_string(),
            Cell::Text(text) => (*text).to_owned(),
            Cell::Level(level) => level.code().to_owned(),
            Cell::Flag(flag) => if *flag { "true" } else { "false" }.to_owned(),
            Cell::Count(n) => n.to_string(),
            Cell::Controls(set) => join_controls(set),
            Cell::Retention(retention) => retention.code(),
            Cell::Date(date) => date.to_string(),
            Cell::Extra(extra) => {
                let pairs: Vec<(&str, &str)> = extra.iter().collect();
                serde_json::to_string(&pairs).unwrap_or_default()
            }
            Cell::Timestamp(at) => at.to_string(),
        })
    }
}

/// Control codes joined by `;`, as a sheet cell and the store hold them.
pub(crate) fn join_controls(set: &std::collections::BTreeSet<ControlCode>) -> String {
    let mut joined = String::new();
    for control in set {
        if !joined.is_empty() {
            joined.push(';');
        }
        joined.push_str(control.as_str());
    }
    joined
}

/// Turns a cell into the type of an [`AssetRecord`] field.
trait FromCell {
    fn from_cell(cell: Cell<'_>) -> Self;
}

impl FromCell for String {
    fn from_cell(cell: Cell<'_>) -> Self {
        cell.canonical_text().unwrap_or_default()
    }
}

impl FromCell for Option<String> {
    fn from_cell(cell: Cell<'_>) -> Self {
        cell.canonical_text()
    }
}

impl FromCell for bool {
    fn from_cell(cell: Cell<'_>) -> Self {
        matches!(cell, Cell::Flag(true))
    }
}

impl FromCell for u64 {
    fn from_cell(cell: Cell<'_>) -> Self {
        match cell {
            Cell::Count(n) => n,
            _ => 0,
        }
    }
}

impl FromCell for Option<u64> {
    fn from_cell(cell: Cell<'_>) -> Self {
        match cell {
            Cell::Count(n) => Some(n),
            _ => None,
        }
    }
}

impl FromCell for Vec<String> {
    fn from_cell(cell: Cell<'_>) -> Self {
        match cell {
            Cell::Controls(set) => set.iter().map(|c| c.as_str().to_owned()).collect(),
            _ => Vec::new(),
        }
    }
}

impl FromCell for Vec<(String, String)> {
    fn from_cell(cell: Cell<'_>) -> Self {
        match cell {
            Cell::Extra(extra) => extra
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Declares the columns: the [`Column`] enum with its headers, store names
/// and kinds, how each is read off an asset, and the [`AssetRecord`] fields.
macro_rules! asset_columns {
    ($(
        $(#[doc = $doc:literal])*
        $variant:ident $field:ident: $record:ty {
            ja: $ja:literal,
            en: $en:literal,
            aliases: [$($alias:literal),* $(,)?],
            store: $store:literal,
            kind: $kind:ident,
            sheet: $sheet:literal,
            required: $required:literal,
            get: |$asset:ident| $get:expr $(,)?
        }
    )*) => {
        /// A column of an asset: of the sheet, the store and the flat record.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Column {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Column {
            /// Every column, in record order.
            pub const ALL: &'static [Column] = &[$(Column::$variant,)*];

            /// The English header, the record key and the library's field name.
            pub const fn key(self) -> &'static str {
                match self { $(Column::$variant => stringify!($field),)* }
            }

            /// The Japanese header.
            pub const fn ja(self) -> &'static str {
                match self { $(Column::$variant => $ja,)* }
            }

            /// What a person reads in English (`approved by` for
            /// `disposal_approver`).
            pub const fn en(self) -> &'static str {
                match self { $(Column::$variant => $en,)* }
            }

            /// Further spellings accepted on import.
            pub fn aliases(self) -> &'static [&'static str] {
                match self { $(Column::$variant => &[$($alias),*],)* }
            }

            /// The column's name in the store.
            pub(crate) fn store_name(self) -> &'static str {
                match self { $(Column::$variant => $store,)* }
            }

            /// What the column holds.
            pub fn kind(self) -> CellKind {
                match self { $(Column::$variant => CellKind::$kind,)* }
            }

            /// True for a column of the asset sheet.
            pub const fn in_sheet(self) -> bool {
                match self { $(Column::$variant => $sheet,)* }
            }

            /// True for a column every asset sheet must have.
            pub const fn is_required(self) -> bool {
                match self { $(Column::$variant => $required,)* }
            }

            /// The column's value of an asset.
            pub fn cell(self, asset: &Asset) -> Cell<'_> {
                match self { $(Column::$variant => { let $asset = asset; $get })* }
            }
        }

        /// An asset as a flat record of codes and text, one field per
        /// [`Column`], in its order. Fields that may be null, false or empty
        /// may also be missing when it is read.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(default)]
        pub struct AssetRecord {
            $($(#[doc = $doc])* pub $field: $record,)*
        }

        impl From<&Asset> for AssetRecord {
            fn from(asset: &Asset) -> Self {
                AssetRecord {
                    $($field: FromCell::from_cell(Column::$variant.cell(asset)),)*
                }
            }
        }
    };
}

asset_columns! {
    /// The id (hyphenated UUID).
    Id id: String {
        ja: "資産ID", en: "id", aliases: ["asset_id", "uuid", "id(uuid)"], store: "id",
        kind: Id, sheet: true, required: false, get: |a| Cell::Id(a.id),
    }
    /// 管理番号: the city's own number for the asset.
    AssetNumber asset_number: Option<String> {
        ja: "管理番号", en: "asset number", aliases: ["資産番号", "管理no", "asset_no"],
        store: "asset_number", kind: OptionalText, sheet: true, required: false,
        get: |a| text(a.fields.asset_number.as_deref()),
    }
    /// `network_system`, `information` or `system_document` (ア, イ, ウ).
    Kind kind: String {
        ja: "種別", en: "kind", aliases: ["資産種別", "種類", "区分(ア/イ/ウ)", "asset_kind"], store: "kind",
        kind: Code, sheet: true, required: true, get: |a| Cell::Text(a.fields.kind.code()),
    }
    /// The name.
    Name name: String {
        ja: "資産名", en: "name", aliases: ["情報資産名", "名称", "資産名称", "asset_name"], store: "name",
        kind: Text, sheet: true, required: true, get: |a| Cell::Text(a.fields.name.as_str()),
    }
    /// The organization's code (§4(1)).
    Organization organization: String {
        ja: "所管", en: "organization", aliases: ["組織", "所管組織", "所管部局", "部局", "org"], store: "organization",
        kind: PolicyCode, sheet: true, required: true,
        get: |a| Cell::Text(a.fields.organization.as_str()),
    }
    /// The section (課/係).
    Department department: String {
        ja: "所属", en: "department", aliases: ["所属課", "担当課", "課", "課名", "所管課", "dept", "section"],
        store: "department", kind: OptionalText, sheet: true, required: false,
        get: |a| Cell::Text(&a.fields.department),
    }
    /// The 情報セキュリティ管理者.
    Manager manager: Option<String> {
        ja: "情報セキュリティ管理者", en: "manager",
        aliases: ["管理者", "セキュリティ管理者", "情報セキュリティ責任者", "責任者"],
        store: "manager", kind: OptionalText, sheet: true, required: false,
        get: |a| text(a.fields.manager.as_deref()),
    }
    /// The confidentiality level's code.
    Confidentiality confidentiality: String {
        ja: "機密性", en: "confidentiality", aliases: ["自治体機密性", "c"], store: "confidentiality",
        kind: Level, sheet: true, required: true,
        get: |a| Cell::Level(&a.fields.classification.confidentiality),
    }
    /// The integrity level's code.
    Integrity integrity: String {
        ja: "完全性", en: "integrity", aliases: ["i"], store: "integrity",
        kind: Level, sheet: true, required: true,
        get: |a| Cell::Level(&a.fields.classification.integrity),
    }
    /// The availability level's code.
    Availability availability: String {
        ja: "可用性", en: "availability", aliases: ["a"], store: "availability",
        kind: Level, sheet: true, required: true,
        get: |a| Cell::Level(&a.fields.classification.availability),
    }
    /// The segment's code.
    Segment segment: Option<String> {
        ja: "ネットワーク区分", en: "segment",
        aliases: ["ネットワーク", "セグメント", "系統", "network", "network_segment"],
        store: "segment", kind: Code, sheet: true, required: false,
        get: |a| text(a.fields.segment.map(crate::model::Segment::code)),
    }
    /// The medium's code.
    Medium medium: Option<String> {
        ja: "媒体", en: "medium", aliases: ["媒体種別", "形態", "記録媒体"], store: "medium",
        kind: Code, sheet: true, required: false,
        get: |a| text(a.fields.medium.map(crate::model::Medium::code)),
    }
    /// Where it is stored.
    Location location: Option<String> {
        ja: "保管場所", en: "location", aliases: ["保存場所", "設置場所", "所在"], store: "location",
        kind: OptionalText, sheet: true, required: false,
        get: |a| text(a.fields.location.as_deref()),
    }
    /// 個人情報.
    Personal personal: bool {
        ja: "個人情報", en: "personal", aliases: ["個人情報の有無", "personal_data"], store: "personal",
        kind: Flag, sheet: true, required: false,
        get: |a| Cell::Flag(a.fields.personal_data.personal),
    }
    /// 要配慮個人情報.
    Sensitive sensitive: bool {
        ja: "要配慮個人情報", en: "sensitive", aliases: ["要配慮個人情報の有無"], store: "sensitive",
        kind: Flag, sheet: true, required: false,
        get: |a| Cell::Flag(a.fields.personal_data.sensitive),
    }
    /// 特定個人情報.
    MyNumber my_number: bool {
        ja: "特定個人情報", en: "my number", aliases: ["特定個人情報の有無", "マイナンバー", "mynumber"],
        store: "my_number", kind: Flag, sheet: true, required: false,
        get: |a| Cell::Flag(a.fields.personal_data.my_number),
    }
    /// 件数.
    RecordCount record_count: Option<u64> {
        ja: "件数", en: "records", aliases: ["記録件数", "データ件数", "人数", "count", "records"],
        store: "record_count", kind: Count, sheet: true, required: false,
        get: |a| a.fields.record_count.map_or(Cell::Null, Cell::Count),
    }
    /// The control codes, sorted.
    Controls controls: Vec<String> {
        ja: "管理策", en: "controls", aliases: ["対策", "管理策(対策)", "セキュリティ対策"], store: "controls",
        kind: Controls, sheet: true, required: false,
        get: |a| Cell::Controls(&a.fields.controls),
    }
    /// `on_premises`, `outsourced` or `cloud`.
    Hosting hosting: Option<String> {
        ja: "運用形態", en: "hosting", aliases: ["運用", "運用区分", "hosting_kind"], store: "hosting",
        kind: Code, sheet: true, required: false,
        get: |a| text(a.fields.hosting.as_ref().map(|h| h.kind.code())),
    }
    /// The provider (委託先).
    Provider provider: Option<String> {
        ja: "委託先", en: "provider", aliases: ["委託事業者", "事業者", "事業者名"], store: "provider",
        kind: OptionalText, sheet: true, required: false,
        get: |a| text(a.fields.hosting.as_ref().and_then(|h| h.provider.as_deref())),
    }
    /// The contract reference.
    Contract contract: Option<String> {
        ja: "契約番号", en: "contract", aliases: ["契約", "契約番号等"], store: "contract",
        kind: OptionalText, sheet: true, required: false,
        get: |a| text(a.fields.hosting.as_ref().and_then(|h| h.contract.as_deref())),
    }
    /// The retention code (`5`, `under_one_year`, `permanent`).
    Retention retention: Option<String> {
        ja: "保存期間", en: "retention", aliases: ["保存年限", "保存年数"], store: "retention",
        kind: Code, sheet: true, required: false,
        get: |a| a.fields.retention.map_or(Cell::Null, Cell::Retention),
    }
    /// The exclusion reason's code (§4(2)); none when in scope.
    ExclusionReason exclusion_reason: Option<String> {
        ja: "適用除外", en: "excluded", aliases: ["適用除外理由", "除外理由", "exclusion"], store: "exclusion",
        kind: PolicyCode, sheet: true, required: false,
        get: |a| text(a.fields.scope.exclusion().map(crate::policy::ExclusionCode::as_str)),
    }
    /// The last review date (ISO).
    ReviewedOn reviewed_on: Option<String> {
        ja: "点検日", en: "reviewed on", aliases: ["最終点検日", "棚卸日", "確認日", "reviewed", "last_reviewed"],
        store: "reviewed_on", kind: Date, sheet: true, required: false,
        get: |a| a.fields.reviewed_on.map_or(Cell::Null, Cell::Date),
    }
    /// The disposal date (ISO).
    DisposedOn disposed_on: Option<String> {
        ja: "廃棄日", en: "disposed on", aliases: ["廃棄年月日"], store: "disposed_on",
        kind: Date, sheet: true, required: false,
        get: |a| a.fields.disposal.as_ref().map_or(Cell::Null, |d| Cell::Date(d.date)),
    }
    /// Who disposed of it.
    DisposedBy disposed_by: Option<String> {
        ja: "廃棄担当者", en: "disposed by", aliases: ["廃棄者", "廃棄実施者"], store: "disposed_by",
        kind: OptionalText, sheet: true, required: false,
        get: |a| text(a.fields.disposal.as_ref().map(|d| d.person.as_str())),
    }
    /// How it was disposed of.
    DisposalMethod disposal_method: Option<String> {
        ja: "廃棄方法", en: "disposal method", aliases: [], store: "disposal_method",
        kind: OptionalText, sheet: true, required: false,
        get: |a| text(a.fields.disposal.as_ref().and_then(|d| d.method.as_deref())),
    }
    /// Who approved the disposal.
    DisposalApprover disposal_approver: Option<String> {
        ja: "廃棄承認者", en: "approved by", aliases: ["廃棄承認"], store: "disposal_approver",
        kind: OptionalText, sheet: true, required: false,
        get: |a| text(a.fields.disposal.as_ref().and_then(|d| d.approver.as_deref())),
    }
    /// The disposal certificate's reference.
    DisposalCertificate disposal_certificate: Option<String> {
        ja: "廃棄証明書", en: "certificate", aliases: ["廃棄証明書番号", "廃棄証明"], store: "disposal_certificate",
        kind: OptionalText, sheet: true, required: false,
        get: |a| text(a.fields.disposal.as_ref().and_then(|d| d.certificate.as_deref())),
    }
    /// Notes (備考).
    Notes notes: Option<String> {
        ja: "備考", en: "notes", aliases: ["メモ", "摘要", "note", "remarks", "comment"], store: "notes",
        kind: OptionalText, sheet: true, required: false,
        get: |a| text(a.fields.notes.as_deref()),
    }
    /// City-specific attributes, in order.
    Extra extra: Vec<(String, String)> {
        ja: "追加属性", en: "extra attributes", aliases: [], store: "extra",
        kind: Extra, sheet: false, required: false,
        get: |a| Cell::Extra(&a.fields.extra),
    }
    /// The version.
    Version version: u64 {
        ja: "版", en: "version", aliases: ["バージョン", "ver"], store: "version",
        kind: Version, sheet: true, required: false, get: |a| Cell::Count(a.version),
    }
    /// When it was added (RFC 3339, UTC).
    CreatedAt created_at: String {
        ja: "登録日時", en: "created", aliases: [], store: "created_at",
        kind: Timestamp, sheet: false, required: false, get: |a| Cell::Timestamp(a.created_at),
    }
    /// When it last changed (RFC 3339, UTC).
    UpdatedAt updated_at: String {
        ja: "更新日時", en: "updated", aliases: [], store: "updated_at",
        kind: Timestamp, sheet: false, required: false, get: |a| Cell::Timestamp(a.updated_at),
    }
}

/// Optional text as a cell.
fn text(value: Option<&str>) -> Cell<'_> {
    value.map_or(Cell::Null, Cell::Text)
}

impl Column {
    /// The columns of the asset sheet, in export order.
    pub fn sheet() -> impl Iterator<Item = Column> {
        Column::ALL.iter().copied().filter(|c| c.in_sheet())
    }

    /// The column's position in [`Column::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The column a library field name (as in [`crate::Error::Invalid`]) belongs to.
    pub(crate) fn from_field(field: &str) -> Option<Column> {
        match field {
            "exclusion" => Some(Column::ExclusionReason),
            "hosting_kind" => Some(Column::Hosting),
            _ => Column::ALL.iter().copied().find(|c| c.key() == field),
        }
    }
}

/// The columns of free text, which hold whatever a person typed: the text
/// and optional-text columns of the table, and the extra attributes. `daicho
/// check` scans them for numbers shaped like a 個人番号.
pub(crate) const FREE_TEXT: [Column; 13] = [
    Column::AssetNumber,
    Column::Name,
    Column::Department,
    Column::Manager,
    Column::Location,
    Column::Provider,
    Column::Contract,
    Column::DisposedBy,
    Column::DisposalMethod,
    Column::DisposalApprover,
    Column::DisposalCertificate,
    Column::Notes,
    Column::Extra,
];

/// The number of asset sheet columns.
pub(crate) const SHEET_COLUMN_COUNT: usize = {
    let mut count = 0;
    let mut i = 0;
    while i < Column::ALL.len() {
        if Column::ALL[i].in_sheet() {
            count += 1;
        }
        i += 1;
    }
    count
};

/// The sheet columns' headers, in export order, in English (`ja` false) or Japanese.
const fn sheet_headers(ja: bool) -> [&'static str; SHEET_COLUMN_COUNT] {
    let mut headers = [""; SHEET_COLUMN_COUNT];
    let (mut i, mut j) = (0, 0);
    while i < Column::ALL.len() {
        let column = Column::ALL[i];
        if column.in_sheet() {
            headers[j] = if ja { column.ja() } else { column.key() };
            j += 1;
        }
        i += 1;
    }
    headers
}

/// The asset sheet's English headers, in export order.
pub const ASSET_HEADERS_EN: [&str; SHEET_COLUMN_COUNT] = sheet_headers(false);

/// The asset sheet's Japanese headers, in export order.
pub const ASSET_HEADERS_JA: [&str; SHEET_COLUMN_COUNT] = sheet_headers(true);

/// An asset's record as the audit log stores it in an entry made at
/// `entry_at` (the entry's `at`, as stored): [`AssetRecord`]'s fields in
/// its order, less those that are null, false or empty, or that the entry
/// says itself (the id, version 1, a time equal to the entry's).
pub(crate) struct StoredRecord<'a> {
    pub(crate) asset: &'a Asset,
    /// The asset's `created_at` and `updated_at`, formatted.
    pub(crate) times: [&'a str; 2],
    pub(crate) entry_at: &'a str,
}

impl Serialize for StoredRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for &column in Column::ALL {
            let cell = column.cell(self.asset);
            match (column, &cell) {
                (Column::Id, _) => {}
                (_, cell) if cell.is_blank() => {}
                (Column::Version, Cell::Count(1)) => {}
                (Column::CreatedAt | Column::UpdatedAt, _) => {
                    let time = self.times[usize::from(column == Column::UpdatedAt)];
                    if time != self.entry_at {
                        map.serialize_entry(column.key(), time)?;
                    }
                }
                (_, Cell::Text(text)) => map.serialize_entry(column.key(), text)?,
                (_, Cell::Level(level)) => map.serialize_entry(column.key(), level.code())?,
                (_, Cell::Flag(flag)) => map.serialize_entry(column.key(), flag)?,
                (_, Cell::Count(n)) => map.serialize_entry(column.key(), n)?,
                (_, Cell::Controls(set)) => {
                    let codes: Vec<&str> = set.iter().map(ControlCode::as_str).collect();
                    map.serialize_entry(column.key(), &codes)?;
                }
                (_, Cell::Extra(extra)) => {
                    let pairs: Vec<(&str, &str)> = extra.iter().collect();
                    map.serialize_entry(column.key(), &pairs)?;
                }
                (_, other) => {
                    map.serialize_entry(column.key(), &other.canonical_text())?;
                }
            }
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_headers_and_aliases_are_unambiguous() {
        let mut seen = std::collections::HashMap::new();
        for &column in Column::ALL {
            for spelling in [column.key(), column.ja()]
                .into_iter()
                .chain(column.aliases().iter().copied())
            {
                let previous = seen.insert(headers::fold_header(spelling), column);
                assert!(
                    previous.is_none() || previous == Some(column),
                    "{spelling} names two columns"
                );
            }
        }
    }

    #[test]
    fn the_free_text_columns_are_the_text_columns_and_extra() {
        let table: Vec<Column> = Column::ALL
            .iter()
            .copied()
            .filter(|c| {
                matches!(
                    c.kind(),
                    CellKind::Text | CellKind::OptionalText | CellKind::Extra
                )
            })
            .collect();
        assert_eq!(table, FREE_TEXT);
    }

    #[test]
    fn the_sheet_is_the_record_less_extra_and_times() {
        let sheet: Vec<&str> = Column::sheet().map(Column::key).collect();
        assert_eq!(sheet.len(), SHEET_COLUMN_COUNT);
        assert_eq!(sheet.first(), Some(&"id"));
        assert_eq!(sheet.last(), Some(&"version"));
        assert_eq!(
            Column::ALL.iter().map(|c| c.index()).collect::<Vec<_>>(),
            (0..Column::ALL.len()).collect::<Vec<_>>()
        );
    }
}
