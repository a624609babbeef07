//! The columns of the link sheet, its headers and aliases. The asset
//! sheet's columns are the column table's ([`crate::table::Column`]).

use crate::table::headers::fold_header;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_link_header_finds_its_column() {
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
