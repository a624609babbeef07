//! The register's columns in bulk: stored values a batch of rows at a time,
//! for the doors that hand whole tables on (Python's Arrow tables), and the
//! label of a stored code, to be looked up once per distinct code.

use super::Register;
use crate::error::Error;
use crate::model::{HostingKind, Kind, Medium, Retention, Segment};
use crate::policy::{Axis, Policy};
use crate::query::Filter;
use crate::store::StoredRows;
use crate::table::Column;
use crate::text::Lang;

impl Register {
    /// Gives `visit` the stored values of the assets a filter selects, in the
    /// order of [`Register::assets`], in batches of up to `batch_rows` rows
    /// (fewer when their text passes a few MiB), all of one read
    /// transaction, holding one batch at a time.
    ///
    /// No [`crate::Asset`] is built and the policy is not consulted: the
    /// values are those the write path stored after validating them (see
    /// [`crate::StoredValue`] for their forms), and read as an `Asset` would
    /// give them for every row it wrote. Whether the stored rows are still
    /// what was written is [`Register::verify`]'s question, not this read's;
    /// a value of the wrong stored type is [`Error::Corrupt`]. `visit`'s
    /// error, or any error of the register's, stops the read.
    pub fn for_each_stored_rows<E: From<Error>>(
        &self,
        filter: &Filter,
        batch_rows: usize,
        visit: impl FnMut(StoredRows) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let organizations: Vec<&str> = self
            .policy
            .organizations()
            .iter()
            .map(|o| o.code.as_str())
            .collect();
        self.db
            .for_each_stored_rows(filter, &organizations, batch_rows, visit)
    }
}

/// A stored code of a coded column (kind, organization, a level, segment,
/// medium, hosting, retention, exclusion reason, or one control of
/// `controls`) as a person reads it in the policy: what
/// [`crate::display_value`] shows for an asset holding it. A code the policy
/// or the library does not know is shown as it is. Meant to be called once
/// per distinct code of a table, not once per row.
pub fn code_label(policy: &Policy, column: Column, code: &str, lang: Lang) -> String {
    let pick = |ja: &str, en: &str| lang.pick(ja, en).to_owned();
    let level = |axis: Axis| {
        policy
            .level(axis, code)
            .ok()
            .and_then(|level| policy.definition(&level).map(|def| pick(&def.ja, &def.en)))
    };
    let label = match column {
        Column::Kind => Kind::parse(code)
            .ok()
            .map(|k| format!("{} {}", k.letter(), lang.pick(k.label_ja(), k.label_en()))),
        Column::Organization => policy
            .organizations()
            .iter()
            .find(|o| o.code.as_str() == code)
            .map(|o| pick(&o.ja, &o.en)),
        Column::Confidentiality => level(Axis::Confidentiality),
        Column::Integrity => level(Axis::Integrity),
        Column::Availability => level(Axis::Availability),
        Column::Segment => Segment::parse(code)
            .ok()
            .map(|s| pick(s.label_ja(), s.label_en())),
        Column::Medium => Medium::parse(code)
            .ok()
            .map(|m| pick(m.label_ja(), m.label_en())),
        Column::Hosting => HostingKind::parse(code)
            .ok()
            .map(|h| pick(h.label_ja(), h.label_en())),
        Column::Retention => Retention::parse(code).ok().map(|r| match lang {
            Lang::Ja => r.label_ja(),
            Lang::En => r.code(),
        }),
        Column::ExclusionReason => policy
            .exclusions()
            .iter()
            .find(|e| e.code.as_str() == code)
            .map(|e| pick(&e.ja, &e.en)),
        Column::Controls => policy.control(code).ok().map(|c| pick(&c.ja, &c.en)),
        _ => None,
    };
    label.unwrap_or_else(|| code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Result;
    use crate::store::StoredValue;
    use crate::table::Cell;
    use crate::{Asset, AssetFields, AssetName, Classification, Disposed};

    /// A register of assets with every column set somewhere, in an order
    /// that is not the listing's.
    fn register() -> Register {
        let policy = Policy::niigata();
        let mut register = crate::test_backend::register(&policy).unwrap();
        let orgs: Vec<_> = policy
            .organizations()
            .iter()
            .map(|o| o.code.clone())
            .collect();
        for i in 0..50u32 {
            let class =
                Classification::parse(&policy, ["3A", "3B", "2", "1"][i as usize % 4], "2", "1")
                    .unwrap();
            let name = AssetName::new(format!("資産 {}", 50 - i % 7)).unwrap();
            let org = orgs[(i as usize * 3) % orgs.len()].clone();
            let kind =
                [Kind::Information, Kind::NetworkSystem, Kind::SystemDocument][i as usize % 3];
            let mut fields = AssetFields::new(kind, name, org, class);
            fields.personal_data.personal = i % 2 == 0;
            fields.record_count = (i % 3 == 0).then_some(u64::from(i) * 1000);
            if i % 4 == 0 {
                fields.segment = Some(Segment::Lgwan);
                fields.notes = Some(format!("備考 \"{i}\"\n二行目"));
                fields.extra.insert("事務", format!("事務 {i}"));
                fields.extra.insert("key \"q\"", "値");
                fields.manager = Some("課長".to_owned());
            }
            if i % 5 == 0 {
                fields.controls = ["mfa", "encryption"]
                    .iter()
                    .filter_map(|c| policy.control(c).ok().map(|c| c.code.clone()))
                    .collect();
                fields.retention = Some(Retention::parse("5").unwrap());
                fields.reviewed_on = Some(jiff::civil::date(2025, 4, 1 + (i % 20) as i8));
            }
            register.add(fields).unwrap();
        }
        register
    }

    /// The stored value as the text a record holds (`Cell::canonical_text`).
    fn as_text(value: StoredValue<'_>, column: Column) -> Option<String> {
        match value {
            StoredValue::Null => None,
            StoredValue::Id(id) => Some(id.to_string()),
            StoredValue::Integer(n) if column.kind() == crate::CellKind::Flag => {
                Some((n != 0).to_string())
            }
            StoredValue::Integer(n) => Some(n.to_string()),
            StoredValue::Text(text) => Some(text.to_owned()),
        }
    }

    fn expected(asset: &Asset, column: Column) -> Option<String> {
        match column.cell(asset) {
            Cell::Controls(set) if set.is_empty() => Some(String::new()),
            Cell::Extra(extra) if extra.is_empty() => None,
            cell => cell.canonical_text(),
        }
    }

    #[test]
    fn stored_rows_are_the_assets_in_their_order_in_batches() -> Result<()> {
        let register = register();
        let filter = Filter {
            disposed: Disposed::Include,
            ..Filter::default()
        };
        let assets = register.assets(&filter)?;
        let mut sizes = Vec::new();
        let mut seen = 0;
        register.for_each_stored_rows(&filter, 7, |batch| -> Result<()> {
            sizes.push(batch.len());
            for row in batch.rows() {
                let asset = &assets[seen];
                for &column in Column::ALL {
                    assert_eq!(
                        as_text(row.get(column), column),
                        expected(asset, column),
                        "{column:?} of row {seen}"
                    );
                }
                seen += 1;
            }
            Ok(())
        })?;
        assert_eq!(seen, assets.len());
        assert_eq!(sizes, [7, 7, 7, 7, 7, 7, 7, 1]);
        Ok(())
    }

    #[test]
    fn stored_rows_follow_the_filter_and_stop_at_the_visitors_error() -> Result<()> {
        let register = register();
        let filter = Filter {
            personal: Some(true),
            ..Filter::default()
        };
        let ids: Vec<String> = register
            .assets(&filter)?
            .iter()
            .map(|a| a.id.to_string())
            .collect();
        let mut read = Vec::new();
        register.for_each_stored_rows(&filter, 1000, |batch| -> Result<()> {
            read.extend(
                batch
                    .rows()
                    .filter_map(|row| as_text(row.get(Column::Id), Column::Id)),
            );
            Ok(())
        })?;
        assert_eq!(read, ids);
        let mut calls = 0;
        let stopped = register.for_each_stored_rows(&filter, 2, |_| {
            calls += 1;
            Err(Error::Busy)
        });
        assert!(matches!(stopped, Err(Error::Busy)));
        assert_eq!(calls, 1);
        Ok(())
    }

    #[test]
    fn a_codes_label_is_what_display_value_shows() -> Result<()> {
        let register = register();
        let policy = Policy::niigata();
        for asset in register.assets(&Filter::default())? {
            for &column in Column::ALL {
                let coded = matches!(
                    column.kind(),
                    crate::CellKind::Code | crate::CellKind::PolicyCode | crate::CellKind::Level
                );
                let Some(code) = expected(&asset, column).filter(|_| coded) else {
                    continue;
                };
                for lang in [Lang::Ja, Lang::En] {
                    assert_eq!(
                        code_label(&policy, column, &code, lang),
                        crate::display_value(&policy, &asset, column, lang),
                        "{column:?} {code}"
                    );
                }
            }
        }
        assert_eq!(
            code_label(&policy, Column::Organization, "nowhere", Lang::Ja),
            "nowhere"
        );
        Ok(())
    }
}
