//! Values as a person reads them: labels instead of codes, in Japanese or
//! English, for the doors that show an asset (`show`, reports).

use super::{Cell, Column};
use crate::model::Asset;
use crate::policy::Policy;
use crate::text::Lang;

impl Column {
    /// The column's name as a person reads it.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.pick(self.ja(), self.en())
    }
}

/// An asset's value in one column, as a person reads it: codes as their
/// labels in the register's policy, levels as their names, flags as `○`
/// (or `yes`) and nothing, controls joined by `、`. Empty when there is none.
pub fn display_value(policy: &Policy, asset: &Asset, column: Column, lang: Lang) -> String {
    let f = &asset.fields;
    let cell = column.cell(asset);
    match (column, &cell) {
        (_, Cell::Null) => String::new(),
        (Column::Kind, _) => format!(
            "{} {}",
            f.kind.letter(),
            lang.pick(f.kind.label_ja(), f.kind.label_en())
        ),
        (Column::Organization, _) => lang
            .pick(
                policy.organization_ja(&f.organization),
                policy.organization_en(&f.organization),
            )
            .to_owned(),
        (Column::Segment, _) => f
            .segment
            .map(|s| lang.pick(s.label_ja(), s.label_en()).to_owned())
            .unwrap_or_default(),
        (Column::Medium, _) => f
            .medium
            .map(|m| lang.pick(m.label_ja(), m.label_en()).to_owned())
            .unwrap_or_default(),
        (Column::Hosting, _) => f
            .hosting
            .as_ref()
            .map(|h| lang.pick(h.kind.label_ja(), h.kind.label_en()).to_owned())
            .unwrap_or_default(),
        (Column::ExclusionReason, _) => f
            .scope
            .exclusion()
            .map(|code| {
                policy
                    .exclusions()
                    .iter()
                    .find(|e| &e.code == code)
                    .map_or(code.as_str(), |e| lang.pick(&e.ja, &e.en))
                    .to_owned()
            })
            .unwrap_or_default(),
        (_, Cell::Level(level)) => policy.definition(level).map_or_else(
            || level.code().to_owned(),
            |def| lang.pick(&def.ja, &def.en).to_owned(),
        ),
        (_, Cell::Flag(flag)) => match (flag, lang) {
            (false, _) => String::new(),
            (true, Lang::Ja) => "○".to_owned(),
            (true, Lang::En) => "yes".to_owned(),
        },
        (_, Cell::Controls(set)) => set
            .iter()
            .map(|code| {
                policy
                    .controls()
                    .iter()
                    .find(|c| &c.code == code)
                    .map_or(code.as_str(), |c| lang.pick(&c.ja, &c.en))
                    .to_owned()
            })
            .collect::<Vec<_>>()
            .join("、"),
        (_, Cell::Retention(retention)) => match lang {
            Lang::Ja => retention.label_ja(),
            Lang::En => retention.code(),
        },
        (_, Cell::Extra(extra)) => extra
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("\n"),
        (_, other) => other.canonical_text().unwrap_or_default(),
    }
}

/// The Japanese value a sheet with Japanese headers writes for a stored
/// code: ア for `network_system`, 水道局 for `waterworks`, LGWAN接続系 for
/// `lgwan`, controls' labels joined by `、`; every one reads back as the code.
/// `None` for a column whose stored text is what a sheet writes (levels,
/// names, dates) or for a code the policy does not know.
/// True for the columns [`sheet_value_ja`] writes as a Japanese value (the
/// coded ones); every other column's text is written as stored.
pub(crate) fn has_sheet_value_ja(column: Column) -> bool {
    matches!(
        column,
        Column::Kind
            | Column::Organization
            | Column::Segment
            | Column::Medium
            | Column::Hosting
            | Column::Retention
            | Column::ExclusionReason
            | Column::Controls
    )
}

pub(crate) fn sheet_value_ja(policy: &Policy, column: Column, code: &str) -> Option<String> {
    use crate::model::{HostingKind, Kind, Medium, Retention, Segment};
    Some(match column {
        Column::Kind => Kind::parse(code).ok()?.letter().to_owned(),
        Column::Organization => policy.organization(code).ok()?.ja.clone(),
        Column::Segment => Segment::parse(code).ok()?.label_ja().to_owned(),
        Column::Medium => Medium::parse(code).ok()?.label_ja().to_owned(),
        Column::Hosting => HostingKind::parse(code).ok()?.label_ja().to_owned(),
        Column::Retention => Retention::parse(code).ok()?.label_ja(),
        Column::ExclusionReason => policy.exclusion(code).ok()?.ja.clone(),
        Column::Controls => code
            .split(';')
            .filter(|part| !part.is_empty())
            .map(|part| policy.control(part).map(|c| c.ja.clone()).ok())
            .collect::<Option<Vec<_>>>()?
            .join("、"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AssetFields, AssetName, Classification, Kind};

    #[test]
    fn only_the_coded_columns_have_japanese_values() {
        let policy = Policy::niigata();
        // Texts that are codes of some coded column.
        let codes = ["mayor", "information", "lgwan", "server", "mfa", "related"];
        for &column in Column::ALL {
            let any = codes
                .iter()
                .any(|code| sheet_value_ja(&policy, column, code).is_some());
            if !has_sheet_value_ja(column) {
                assert!(!any, "{column:?} has Japanese values but is not listed");
            }
        }
        assert!(has_sheet_value_ja(Column::Organization));
        assert_eq!(
            sheet_value_ja(&policy, Column::Organization, "mayor").as_deref(),
            Some("市長部局")
        );
    }

    #[test]
    fn codes_read_as_their_labels() {
        let policy = Policy::niigata();
        let mut register = crate::test_backend::register(&policy).unwrap();
        let class = Classification::parse(&policy, "3B", "2", "2").unwrap();
        let org = policy.organization("水道局").unwrap().code.clone();
        let mut fields = AssetFields::new(
            Kind::Information,
            AssetName::new("料金").unwrap(),
            org,
            class,
        );
        fields.personal_data.personal = true;
        let asset = register.add(fields).unwrap();
        let show = |column, lang| display_value(&policy, &asset, column, lang);
        assert_eq!(show(Column::Kind, Lang::Ja), "イ 情報");
        assert_eq!(show(Column::Organization, Lang::Ja), "水道局");
        assert_eq!(show(Column::Personal, Lang::Ja), "○");
        assert_eq!(show(Column::Personal, Lang::En), "yes");
        assert_eq!(show(Column::Sensitive, Lang::Ja), "");
        assert_eq!(show(Column::Manager, Lang::Ja), "");
        assert!(show(Column::Confidentiality, Lang::Ja).contains("3B"));
        assert_eq!(Column::DisposalApprover.label(Lang::En), "approved by");
        let ja = |column, code| sheet_value_ja(&policy, column, code);
        assert_eq!(ja(Column::Kind, "information").as_deref(), Some("イ"));
        assert_eq!(
            ja(Column::Organization, "waterworks").as_deref(),
            Some("水道局")
        );
        assert_eq!(ja(Column::Segment, "lgwan").as_deref(), Some("LGWAN接続系"));
        assert_eq!(ja(Column::Retention, "5").as_deref(), Some("5年"));
        assert_eq!(ja(Column::Confidentiality, "3B"), None);
    }
}
