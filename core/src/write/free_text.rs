//! The checks of free text on the write path: a field holds at most what a
//! spreadsheet cell holds, so that the register's own export always imports
//! again, and never a number shaped like a 個人番号 (issue 13 item 8), unless
//! an import allows it in a column that holds other 12-digit codes. The
//! actor, written into every audit entry, never holds one either.

use crate::error::{Error, Result};
use crate::model::AssetFields;
use crate::mynumber;
use crate::table::Column;
use crate::text::MAX_TEXT_CHARS;

/// Why a number shaped like a 個人番号 is refused.
const MY_NUMBER_JA: &str =
    "個人番号の形の数字（検査用数字の合う 12 桁）があります。台帳には決して入れません";
const MY_NUMBER: &str = "a number shaped like a 個人番号 (12 digits with a valid check digit), which the register \
     must never hold";

/// The asset columns and extra attributes that may hold numbers shaped like
/// a 個人番号: an import's `allow_my_number_like` columns. None for any
/// other write ([`MayHoldNumbers::NONE`]).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct MayHoldNumbers {
    pub(crate) columns: Vec<Column>,
    /// Extra attributes, by key.
    pub(crate) extra: Vec<String>,
}

impl MayHoldNumbers {
    /// No column may.
    pub(crate) const NONE: &'static MayHoldNumbers = &MayHoldNumbers {
        columns: Vec::new(),
        extra: Vec::new(),
    };
}

/// The free-text fields of an asset, as [`Column`]s: every column of kind
/// text or optional text in the column table (a test keeps the two alike);
/// the extra attributes are checked apart.
fn texts(f: &AssetFields) -> [(Column, Option<&str>); 12] {
    let hosting = f.hosting.as_ref();
    let disposal = f.disposal.as_ref();
    [
        (Column::AssetNumber, f.asset_number.as_deref()),
        (Column::Name, Some(f.name.as_str())),
        (Column::Department, Some(f.department.as_str())),
        (Column::Manager, f.manager.as_deref()),
        (Column::Location, f.location.as_deref()),
        (
            Column::Provider,
            hosting.and_then(|h| h.provider.as_deref()),
        ),
        (
            Column::Contract,
            hosting.and_then(|h| h.contract.as_deref()),
        ),
        (Column::DisposedBy, disposal.map(|d| d.person.as_str())),
        (
            Column::DisposalMethod,
            disposal.and_then(|d| d.method.as_deref()),
        ),
        (
            Column::DisposalApprover,
            disposal.and_then(|d| d.approver.as_deref()),
        ),
        (
            Column::DisposalCertificate,
            disposal.and_then(|d| d.certificate.as_deref()),
        ),
        (Column::Notes, f.notes.as_deref()),
    ]
}

/// Checks every text field that `fields` sets anew (a value equal to the
/// one `previous` holds was checked when it was written, or predates these
/// checks): at most [`MAX_TEXT_CHARS`] characters, and no number shaped like
/// a 個人番号 outside the columns `numbers` allows.
pub(crate) fn validate_text(
    fields: &AssetFields,
    previous: Option<&AssetFields>,
    numbers: &MayHoldNumbers,
) -> Result<()> {
    let before = previous.map(texts);
    for (index, (column, value)) in texts(fields).into_iter().enumerate() {
        let Some(value) = value else {
            continue;
        };
        if before.as_ref().is_some_and(|b| b[index].1 == Some(value)) {
            continue;
        }
        check(column.key(), None, value, numbers.columns.contains(&column))?;
    }
    for (key, value) in fields.extra.iter() {
        let old = previous.and_then(|p| p.extra.get(key));
        if old.is_none() {
            check("extra", Some(key), key, false)?;
        }
        if old != Some(value) {
            let allowed = numbers.extra.iter().any(|k| k == key);
            check("extra", Some(key), value, allowed)?;
        }
    }
    Ok(())
}

/// Checks the actor an audit entry will record.
pub(crate) fn validate_actor(actor: &str) -> Result<()> {
    check("actor", None, actor, false)
}

/// Checks a free text the register stores outside an asset (a finding's
/// owner, a 事務's name, a campaign's name, who attested) as it checks the
/// actor: its length, and no number shaped like a 個人番号.
pub(crate) fn validate_free_text(field: &'static str, value: &str) -> Result<()> {
    check(field, None, value, false)
}

/// Checks one text: of `field`, or of the extra attribute `key`.
fn check(field: &'static str, key: Option<&str>, value: &str, numbers: bool) -> Result<()> {
    let within = |ja: &str, en: &str| match key {
        Some(key) => (
            format!("追加の属性 `{key}` に{ja}"),
            format!("the extra attribute `{key}` holds {en}"),
        ),
        None => (ja.to_owned(), en.to_owned()),
    };
    if value.len() > MAX_TEXT_CHARS {
        let chars = value.chars().count();
        if chars > MAX_TEXT_CHARS {
            let preview: String = value.chars().take(20).collect();
            let (ja, en) = within(
                &format!(
                    "{chars} 文字あります。書き出した台帳を取り込み直せるよう、1 つの文字列は\
                     表計算のセルに入る {MAX_TEXT_CHARS} 文字までです"
                ),
                &format!(
                    "{chars} characters; a text holds at most {MAX_TEXT_CHARS}, what a \
                     spreadsheet cell holds, so that the register's export imports again"
                ),
            );
            return Err(Error::invalid(field, format!("{preview}…"), ja, en));
        }
    }
    if !numbers && let Some(found) = mynumber::find(value) {
        let (ja, en) = within(MY_NUMBER_JA, MY_NUMBER);
        return Err(Error::invalid(field, found.masked, ja, en));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, AssetName, Classification, Disposal, Hosting, HostingKind, Kind};
    use crate::policy::Policy;
    use crate::table::CellKind;

    fn number() -> String {
        let first = "27182818284";
        format!("{first}{}", mynumber::check_digit(first).unwrap())
    }

    fn asset() -> Asset {
        let policy = Policy::niigata();
        let class = Classification::parse(&policy, "3B", "2", "2").unwrap();
        let org = policy.organizations()[0].code.clone();
        let mut fields = AssetFields::new(
            Kind::Information,
            AssetName::new("name").unwrap(),
            org,
            class,
        );
        fields.department = "department".to_owned();
        for (i, slot) in [&mut fields.manager, &mut fields.location, &mut fields.notes]
            .into_iter()
            .enumerate()
        {
            *slot = Some(format!("text {i}"));
        }
        fields.hosting = Some(Hosting {
            kind: HostingKind::Cloud,
            provider: Some("provider".to_owned()),
            contract: Some("contract".to_owned()),
        });
        fields.disposal = Some(Disposal {
            date: jiff::civil::date(2025, 4, 1),
            person: "person".to_owned(),
            method: Some("method".to_owned()),
            approver: Some("approver".to_owned()),
            certificate: Some("certificate".to_owned()),
        });
        fields.extra.insert("key", "value");
        let now = jiff::Timestamp::UNIX_EPOCH;
        Asset {
            id: crate::model::AssetId::generate(),
            fields,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn the_texts_are_the_tables_text_columns() {
        let asset = asset();
        let listed: Vec<(Column, Option<String>)> = texts(&asset.fields)
            .into_iter()
            .map(|(c, v)| (c, v.map(str::to_owned)))
            .collect();
        let table: Vec<(Column, Option<String>)> = Column::ALL
            .iter()
            .filter(|c| matches!(c.kind(), CellKind::Text | CellKind::OptionalText))
            .map(|&c| (c, c.cell(&asset).canonical_text()))
            .collect();
        assert_eq!(listed, table);
    }

    #[track_caller]
    fn refused(fields: &AssetFields, previous: Option<&AssetFields>, field: &str, value: &str) {
        match validate_text(fields, previous, MayHoldNumbers::NONE) {
            Err(Error::Invalid {
                field: f, value: v, ..
            }) => assert_eq!((f, v.as_str()), (field, value)),
            other => panic!("expected {field} refused, got {other:?}"),
        }
    }

    #[test]
    fn every_text_field_refuses_a_my_number() {
        let number = number();
        let masked = format!("{}********", &number[..4]);
        let base = asset().fields;
        assert!(validate_text(&base, None, MayHoldNumbers::NONE).is_ok());
        let with = |f: &dyn Fn(&mut AssetFields)| {
            let mut fields = base.clone();
            f(&mut fields);
            fields
        };
        let text = format!("メモ {number}");
        let cases: Vec<(&str, AssetFields)> = vec![
            ("name", with(&|f| f.name = AssetName::new(&text).unwrap())),
            ("department", with(&|f| f.department.clone_from(&text))),
            ("manager", with(&|f| f.manager = Some(text.clone()))),
            ("location", with(&|f| f.location = Some(text.clone()))),
            ("notes", with(&|f| f.notes = Some(text.clone()))),
            (
                "provider",
                with(&|f| f.hosting.as_mut().unwrap().provider = Some(text.clone())),
            ),
            (
                "contract",
                with(&|f| f.hosting.as_mut().unwrap().contract = Some(text.clone())),
            ),
            (
                "disposed_by",
                with(&|f| f.disposal.as_mut().unwrap().person.clone_from(&text)),
            ),
            (
                "disposal_method",
                with(&|f| f.disposal.as_mut().unwrap().method = Some(text.clone())),
            ),
            (
                "disposal_approver",
                with(&|f| f.disposal.as_mut().unwrap().approver = Some(text.clone())),
            ),
            (
                "disposal_certificate",
                with(&|f| f.disposal.as_mut().unwrap().certificate = Some(text.clone())),
            ),
            ("extra", with(&|f| f.extra.insert("番号", text.clone()))),
            ("extra", with(&|f| f.extra.insert(text.clone(), "x"))),
        ];
        for (field, fields) in &cases {
            refused(fields, None, field, &masked);
            refused(fields, Some(&base), field, &masked);
            // A value already held is not checked again: it predates the check.
            assert!(validate_text(fields, Some(fields), MayHoldNumbers::NONE).is_ok());
        }
        // An import may let a column hold other 12-digit codes.
        let notes = &cases[4].1;
        let allowed = MayHoldNumbers {
            columns: vec![Column::Notes],
            extra: vec!["番号".to_owned()],
        };
        assert!(validate_text(notes, None, &allowed).is_ok());
        assert!(validate_text(&cases[11].1, None, &allowed).is_ok());
        assert!(validate_text(&cases[3].1, None, &allowed).is_err());
        assert!(validate_actor("山田").is_ok());
        assert!(matches!(
            validate_actor(&format!("山田 {number}")),
            Err(Error::Invalid { field: "actor", value, .. }) if value == masked
        ));
    }

    #[test]
    fn a_text_holds_what_a_spreadsheet_cell_holds() {
        let base = asset().fields;
        let most = "あ".repeat(MAX_TEXT_CHARS);
        let over = format!("{most}あ");
        let mut fields = base.clone();
        fields.notes = Some(most.clone());
        fields.extra.insert("長文", most.clone());
        assert!(validate_text(&fields, None, MayHoldNumbers::NONE).is_ok());
        fields.notes = Some(over.clone());
        let error = validate_text(&fields, None, MayHoldNumbers::NONE).unwrap_err();
        assert!(
            error.to_string().starts_with(&format!(
                "invalid notes `{}…`: 32768 characters; a text holds at most 32767",
                "あ".repeat(20)
            )),
            "{error}"
        );
        let mut fields = base.clone();
        fields.extra.insert("長文", over);
        let error = validate_text(&fields, None, MayHoldNumbers::NONE).unwrap_err();
        assert!(
            error
                .to_string()
                .contains(": the extra attribute `長文` holds 32768 characters"),
            "{error}"
        );
    }
}
