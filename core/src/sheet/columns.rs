//! The columns of the asset and link sheets, their headers and aliases.

use unicode_normalization::UnicodeNormalization;

/// One column of the asset sheet, in export order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Col {
    Id,
    Kind,
    Name,
    Organization,
    Department,
    Manager,
    Confidentiality,
    Integrity,
    Availability,
    Segment,
    Medium,
    Location,
    Personal,
    Sensitive,
    MyNumber,
    RecordCount,
    Controls,
    Hosting,
    Provider,
    Contract,
    Retention,
    ExclusionReason,
    ReviewedOn,
    DisposedOn,
    DisposedBy,
    DisposalMethod,
    DisposalApprover,
    DisposalCertificate,
    Notes,
    Version,
}

/// The number of asset columns.
pub(crate) const COLUMN_COUNT: usize = 30;

impl Col {
    /// Every column, in export order.
    pub(crate) const ALL: [Col; COLUMN_COUNT] = [
        Col::Id,
        Col::Kind,
        Col::Name,
        Col::Organization,
        Col::Department,
        Col::Manager,
        Col::Confidentiality,
        Col::Integrity,
        Col::Availability,
        Col::Segment,
        Col::Medium,
        Col::Location,
        Col::Personal,
        Col::Sensitive,
        Col::MyNumber,
        Col::RecordCount,
        Col::Controls,
        Col::Hosting,
        Col::Provider,
        Col::Contract,
        Col::Retention,
        Col::ExclusionReason,
        Col::ReviewedOn,
        Col::DisposedOn,
        Col::DisposedBy,
        Col::DisposalMethod,
        Col::DisposalApprover,
        Col::DisposalCertificate,
        Col::Notes,
        Col::Version,
    ];

    /// Columns every asset sheet must have.
    pub(crate) const REQUIRED: [Col; 6] = [
        Col::Kind,
        Col::Name,
        Col::Organization,
        Col::Confidentiality,
        Col::Integrity,
        Col::Availability,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn en(self) -> &'static str {
        ASSET_HEADERS_EN[self.index()]
    }

    pub(crate) fn ja(self) -> &'static str {
        ASSET_HEADERS_JA[self.index()]
    }

    /// The column a library field name (as in [`crate::Error::Invalid`]) belongs to.
    pub(crate) fn from_field(field: &str) -> Option<Col> {
        match field {
            "exclusion" => Some(Col::ExclusionReason),
            "hosting_kind" => Some(Col::Hosting),
            _ => Col::ALL.into_iter().find(|c| c.en() == field),
        }
    }

    /// Further spellings accepted on import, besides the English and Japanese headers.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Col::Id => &["asset_id", "uuid", "id(uuid)"],
            Col::Kind => &["資産種別", "種類", "区分(ア/イ/ウ)", "asset_kind"],
            Col::Name => &["情報資産名", "名称", "資産名称", "asset_name"],
            Col::Organization => &["組織", "所管組織", "所管部局", "部局", "org"],
            Col::Department => &[
                "所属課",
                "担当課",
                "課",
                "課名",
                "所管課",
                "dept",
                "section",
            ],
            Col::Manager => &[
                "管理者",
                "セキュリティ管理者",
                "情報セキュリティ責任者",
                "責任者",
            ],
            Col::Confidentiality => &["自治体機密性", "c"],
            Col::Integrity => &["i"],
            Col::Availability => &["a"],
            Col::Segment => &[
                "ネットワーク",
                "セグメント",
                "系統",
                "network",
                "network_segment",
            ],
            Col::Medium => &["媒体種別", "形態", "記録媒体"],
            Col::Location => &["保存場所", "設置場所", "所在"],
            Col::Personal => &["個人情報の有無", "personal_data"],
            Col::Sensitive => &["要配慮個人情報の有無"],
            Col::MyNumber => &["特定個人情報の有無", "マイナンバー", "mynumber"],
            Col::RecordCount => &["記録件数", "データ件数", "人数", "count", "records"],
            Col::Controls => &["対策", "管理策(対策)", "セキュリティ対策"],
            Col::Hosting => &["運用", "運用区分", "hosting_kind"],
            Col::Provider => &["委託事業者", "事業者", "事業者名"],
            Col::Contract => &["契約", "契約番号等"],
            Col::Retention => &["保存年限", "保存年数"],
            Col::ExclusionReason => &["適用除外理由", "除外理由", "exclusion"],
            Col::ReviewedOn => &[
                "最終点検日",
                "棚卸日",
                "確認日",
                "reviewed",
                "last_reviewed",
            ],
            Col::DisposedOn => &["廃棄年月日"],
            Col::DisposedBy => &["廃棄者", "廃棄実施者"],
            Col::DisposalMethod => &[],
            Col::DisposalApprover => &["廃棄承認"],
            Col::DisposalCertificate => &["廃棄証明書番号", "廃棄証明"],
            Col::Notes => &["メモ", "摘要", "note", "remarks", "comment"],
            Col::Version => &["バージョン", "ver"],
        }
    }

    /// Finds the column a header names, after NFKC, trimming and case folding.
    pub(crate) fn from_header(header: &str) -> Option<Col> {
        let folded = fold_header(header);
        let find = |key: &str| {
            Col::ALL.into_iter().find(|col| {
                fold_header(col.en()) == key
                    || fold_header(col.ja()) == key
                    || col.aliases().iter().any(|a| fold_header(a) == key)
            })
        };
        if let Some(col) = find(&folded) {
            return Some(col);
        }
        // Sheets often mark headers: `資産名(必須)`, `※備考`, `件数*`.
        let stripped = strip_marks(&folded);
        (stripped != folded).then(|| find(&stripped)).flatten()
    }
}

/// The asset sheet's English headers, in export order.
pub const ASSET_HEADERS_EN: [&str; COLUMN_COUNT] = [
    "id",
    "kind",
    "name",
    "organization",
    "department",
    "manager",
    "confidentiality",
    "integrity",
    "availability",
    "segment",
    "medium",
    "location",
    "personal",
    "sensitive",
    "my_number",
    "record_count",
    "controls",
    "hosting",
    "provider",
    "contract",
    "retention",
    "exclusion_reason",
    "reviewed_on",
    "disposed_on",
    "disposed_by",
    "disposal_method",
    "disposal_approver",
    "disposal_certificate",
    "notes",
    "version",
];

/// The asset sheet's Japanese headers, in export order.
pub const ASSET_HEADERS_JA: [&str; COLUMN_COUNT] = [
    "資産ID",
    "種別",
    "資産名",
    "所管",
    "所属",
    "情報セキュリティ管理者",
    "機密性",
    "完全性",
    "可用性",
    "ネットワーク区分",
    "媒体",
    "保管場所",
    "個人情報",
    "要配慮個人情報",
    "特定個人情報",
    "件数",
    "管理策",
    "運用形態",
    "委託先",
    "契約番号",
    "保存期間",
    "適用除外",
    "点検日",
    "廃棄日",
    "廃棄担当者",
    "廃棄方法",
    "廃棄承認者",
    "廃棄証明書",
    "備考",
    "版",
];

/// One column of the link sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum LinkCol {
    From,
    Relation,
    To,
    Sanitization,
}

impl LinkCol {
    pub(crate) const ALL: [LinkCol; 4] = [
        LinkCol::From,
        LinkCol::Relation,
        LinkCol::To,
        LinkCol::Sanitization,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            LinkCol::From => &["元", "関連元資産", "source", "from_id", "資産"],
            LinkCol::Relation => &["関係", "関連", "関連種別", "relation_type"],
            LinkCol::To => &["先", "関連先資産", "target", "to_id"],
            LinkCol::Sanitization => &["無害化", "無害化方法", "無害化通信"],
        }
    }

    pub(crate) fn from_header(header: &str) -> Option<LinkCol> {
        let folded = fold_header(header);
        LinkCol::ALL.into_iter().find(|col| {
            fold_header(LINK_HEADERS_EN[col.index()]) == folded
                || fold_header(LINK_HEADERS_JA[col.index()]) == folded
                || col.aliases().iter().any(|a| fold_header(a) == folded)
        })
    }
}

/// The link sheet's English headers.
pub const LINK_HEADERS_EN: [&str; 4] = ["from", "relation", "to", "sanitization"];

/// The link sheet's Japanese headers.
pub const LINK_HEADERS_JA: [&str; 4] = ["関連元", "関係", "関連先", "無害化方式"];

/// Folds a header for matching: NFKC, trimmed, lowercase, inner spaces and
/// hyphens as underscores.
pub(crate) fn fold_header(header: &str) -> String {
    let normalized: String = header.nfkc().collect();
    normalized
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// Removes marks sheets put on headers: a trailing `(…)`, `*` and `※`.
fn strip_marks(folded: &str) -> String {
    let mut text = folded.trim_matches(|c| c == '*' || c == '※' || c == '_');
    if text.ends_with(')')
        && let Some(open) = text.rfind('(')
        && open > 0
    {
        text = &text[..open];
    }
    text.trim_matches(|c| c == '*' || c == '※' || c == '_')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(header: &str, expected: Option<Col>) {
        assert_eq!(Col::from_header(header), expected, "header {header:?}");
    }

    #[test]
    fn headers_match_after_folding() {
        check("id", Some(Col::Id));
        check(" 資産ID ", Some(Col::Id));
        check("資産ＩＤ", Some(Col::Id));
        check("Record Count", Some(Col::RecordCount));
        check("RECORD-COUNT", Some(Col::RecordCount));
        check("情報資産名", Some(Col::Name));
        check("資産名（必須）", Some(Col::Name));
        check("※備考", Some(Col::Notes));
        check("組織", Some(Col::Organization));
        check("所管", Some(Col::Organization));
        check("管理者", Some(Col::Manager));
        check("バージョン", Some(Col::Version));
        check("版", Some(Col::Version));
        check("ｹﾝｽｳ", None);
        check("調達年度", None);
    }

    #[test]
    fn every_header_and_alias_is_unambiguous() {
        let mut seen = std::collections::HashMap::new();
        for col in Col::ALL {
            for spelling in [col.en(), col.ja()]
                .into_iter()
                .chain(col.aliases().iter().copied())
            {
                let previous = seen.insert(fold_header(spelling), col);
                assert!(
                    previous.is_none() || previous == Some(col),
                    "{spelling} names two columns"
                );
                assert_eq!(Col::from_header(spelling), Some(col), "{spelling}");
            }
        }
        for col in LinkCol::ALL {
            assert_eq!(
                LinkCol::from_header(LINK_HEADERS_JA[col.index()]),
                Some(col)
            );
            assert_eq!(
                LinkCol::from_header(LINK_HEADERS_EN[col.index()]),
                Some(col)
            );
        }
    }
}
