//! The rows the self-inspection reads: only the columns its rules need, as
//! plain values borrowed from SQLite's row buffer.
//!
//! The rows are handed to a visitor one at a time instead of collected, so a
//! million assets cost no string allocation here; `rules::snapshot` turns
//! each into its compact form.

use std::sync::LazyLock;

use super::{Db, Value, failed};
use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::table::{Column, FREE_TEXT};

/// What the rules read of one asset. Texts are `None` when NULL; the flags
/// say whether a text is present and not blank.
#[derive(Debug, Clone, Copy)]
#[allow(
    clippy::struct_excessive_bools,
    reason = "a row of columns, seven of them yes-or-no"
)]
pub(crate) struct AssetRow<'r> {
    pub(crate) id: AssetId,
    pub(crate) kind: Option<&'r str>,
    pub(crate) name: Option<&'r str>,
    pub(crate) organization: Option<&'r str>,
    pub(crate) has_manager: bool,
    /// Ranks on C, I, A, as stored.
    pub(crate) ranks: [i64; 3],
    pub(crate) segment: Option<&'r str>,
    pub(crate) medium: Option<&'r str>,
    pub(crate) my_number: bool,
    /// `;`-joined control codes.
    pub(crate) controls: Option<&'r str>,
    pub(crate) hosting: Option<&'r str>,
    /// Read only for an asset with hosting (false otherwise).
    pub(crate) has_provider: bool,
    /// Read only for an asset with hosting (false otherwise).
    pub(crate) has_contract: bool,
    pub(crate) exclusion: Option<&'r str>,
    pub(crate) reviewed_on: Option<&'r str>,
    pub(crate) disposed: bool,
    pub(crate) has_disposal_method: bool,
    pub(crate) disposal_approved: bool,
    /// The free-text columns, in the order of [`FREE_TEXT`] (the extra
    /// attributes as stored: a JSON array of pairs).
    pub(crate) texts: [Option<&'r str>; FREE_TEXT.len()],
    pub(crate) personal: bool,
    pub(crate) sensitive: bool,
    /// 件数, when recorded and not negative.
    pub(crate) record_count: Option<u64>,
    pub(crate) disposal_method: Option<&'r str>,
    pub(crate) has_certificate: bool,
    /// The disposal's approver is the person who disposed of it.
    pub(crate) self_approved: bool,
}

/// What the rules read of one link. `relation` is `None` when the stored
/// value is not text; a text that is not UTF-8 reads as empty.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkRow<'r> {
    pub(crate) from: AssetId,
    pub(crate) relation: Option<&'r str>,
    pub(crate) to: AssetId,
    pub(crate) sanitization: Option<&'r str>,
}

/// The columns [`Db::snapshot_assets`] reads, in the order of [`AssetRow`],
/// named by the column table.
static ASSET_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    let name = |column: Column| column.store_name();
    // Written with CASE, not SQLite's 0/1 comparisons, so that PostgreSQL runs it too.
    let present =
        |column: Column| format!("CASE WHEN trim({}) <> '' THEN 1 ELSE 0 END", name(column));
    [
        name(Column::Id).to_owned(),
        name(Column::Kind).to_owned(),
        name(Column::Name).to_owned(),
        name(Column::Organization).to_owned(),
        format!("{}_rank", name(Column::Confidentiality)),
        format!("{}_rank", name(Column::Integrity)),
        format!("{}_rank", name(Column::Availability)),
        name(Column::Segment).to_owned(),
        name(Column::Medium).to_owned(),
        // The yes-or-no facts packed in one integer (a column costs more to
        // step through than a bit), those of hosting and disposal worked out
        // only for the assets that have one; the bits are `PACKED_*`.
        format!(
            "{my} + 2 * {personal} + 4 * {sensitive} + 8 * CASE WHEN {manager} IS NOT NULL THEN 1 ELSE 0 END \
             + CASE WHEN {hosting} IS NOT NULL THEN 16 * {provider} + 32 * {contract} ELSE 0 END \
             + CASE WHEN {disposed} IS NOT NULL THEN 64 + 128 * {method} + 256 * {approved} \
             + 512 * {certificate} \
             + CASE WHEN trim({approver}) = trim({by}) THEN 1024 ELSE 0 END ELSE 0 END",
            my = name(Column::MyNumber),
            personal = name(Column::Personal),
            sensitive = name(Column::Sensitive),
            manager = name(Column::Manager),
            hosting = name(Column::Hosting),
            provider = present(Column::Provider),
            contract = present(Column::Contract),
            disposed = name(Column::DisposedOn),
            method = present(Column::DisposalMethod),
            approved = present(Column::DisposalApprover),
            certificate = present(Column::DisposalCertificate),
            approver = name(Column::DisposalApprover),
            by = name(Column::DisposedBy),
        ),
        name(Column::Controls).to_owned(),
        name(Column::Hosting).to_owned(),
        name(Column::ExclusionReason).to_owned(),
        name(Column::ReviewedOn).to_owned(),
        // Only where a floor may depend on it.
        format!(
            "CASE WHEN {} <> 0 OR {} <> 0 OR {} <> 0 THEN {} END",
            name(Column::Personal),
            name(Column::Sensitive),
            name(Column::MyNumber),
            name(Column::RecordCount)
        ),
        // The disposal's method, read only for the disposed assets (about
        // one in a hundred).
        format!(
            "CASE WHEN {} IS NOT NULL THEN {} END",
            name(Column::DisposedOn),
            name(Column::DisposalMethod)
        ),
    ]
    .into_iter()
    .chain(FREE_TEXT.iter().map(|c| c.store_name().to_owned()))
    .collect::<Vec<_>>()
    .join(", ")
});

/// The position of the first free-text column in [`ASSET_COLUMNS`].
const FIRST_TEXT: usize = 16;

/// The bits of the packed column of [`ASSET_COLUMNS`].
const PACKED_MY_NUMBER: i64 = 1;
const PACKED_PERSONAL: i64 = 2;
const PACKED_SENSITIVE: i64 = 4;
const PACKED_MANAGER: i64 = 8;
const PACKED_PROVIDER: i64 = 16;
const PACKED_CONTRACT: i64 = 32;
const PACKED_DISPOSED: i64 = 64;
const PACKED_METHOD: i64 = 128;
const PACKED_APPROVED: i64 = 256;
const PACKED_CERTIFICATE: i64 = 512;
const PACKED_SELF_APPROVED: i64 = 1024;

impl Db {
    /// How many assets the register holds (to size the snapshot).
    pub(crate) fn count_assets(&self) -> Result<usize> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM assets", [], |row| row.get(0))
            .map_err(failed("reading assets for the self-inspection"))?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// Calls `each` with every asset, in storage order; stops at its first error.
    pub(crate) fn snapshot_assets(
        &self,
        mut each: impl FnMut(&AssetRow<'_>) -> Result<()>,
    ) -> Result<()> {
        let failed = || failed("reading assets for the self-inspection");
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {} FROM assets ORDER BY rowid",
                *ASSET_COLUMNS
            ))
            .map_err(failed())?;
        let mut query = stmt.query([]).map_err(failed())?;
        while let Some(row) = query.next().map_err(failed())? {
            let id: AssetId = row.get(0).map_err(failed())?;
            let column = |index: usize| row.get_ref(index).map_err(failed());
            let text = |index: usize| text_value(id, column(index)?);
            let int = |index: usize| int_value(id, column(index)?);
            let mut texts = [None; FREE_TEXT.len()];
            for (i, slot) in texts.iter_mut().enumerate() {
                *slot = text(FIRST_TEXT + i)?;
            }
            let packed = int(9)?;
            let bit = |flag: i64| packed & flag != 0;
            each(&AssetRow {
                id,
                kind: text(1)?,
                name: text(2)?,
                organization: text(3)?,
                has_manager: bit(PACKED_MANAGER),
                ranks: [int(4)?, int(5)?, int(6)?],
                segment: text(7)?,
                medium: text(8)?,
                my_number: bit(PACKED_MY_NUMBER),
                controls: text(10)?,
                hosting: text(11)?,
                has_provider: bit(PACKED_PROVIDER),
                has_contract: bit(PACKED_CONTRACT),
                exclusion: text(12)?,
                reviewed_on: text(13)?,
                disposed: bit(PACKED_DISPOSED),
                has_disposal_method: bit(PACKED_METHOD),
                disposal_approved: bit(PACKED_APPROVED),
                personal: bit(PACKED_PERSONAL),
                sensitive: bit(PACKED_SENSITIVE),
                record_count: match column(14)? {
                    Value::Null => None,
                    _ => u64::try_from(int(14)?).ok(),
                },
                disposal_method: text(15)?,
                has_certificate: bit(PACKED_CERTIFICATE),
                self_approved: bit(PACKED_SELF_APPROVED),
                texts,
            })?;
        }
        Ok(())
    }

    /// Calls `each` with every link, in storage order; stops at its first error.
    pub(crate) fn snapshot_links(
        &self,
        mut each: impl FnMut(&LinkRow<'_>) -> Result<()>,
    ) -> Result<()> {
        let failed = || failed("reading links for the self-inspection");
        let mut stmt = self
            .conn
            .prepare("SELECT from_id, relation, to_id, sanitization FROM links")
            .map_err(failed())?;
        let mut query = stmt.query([]).map_err(failed())?;
        while let Some(row) = query.next().map_err(failed())? {
            let from: AssetId = row.get(0).map_err(failed())?;
            let to: AssetId = row.get(2).map_err(failed())?;
            let relation = lenient_text(row.get_ref(1).map_err(failed())?);
            let sanitization = lenient_text(row.get_ref(3).map_err(failed())?);
            each(&LinkRow {
                from,
                relation,
                to,
                sanitization,
            })?;
        }
        Ok(())
    }
}

/// A text of a link: `None` when not text, empty when not UTF-8.
fn lenient_text(value: Value<'_>) -> Option<&str> {
    match value {
        Value::Text(bytes) => Some(std::str::from_utf8(bytes).unwrap_or_default()),
        _ => None,
    }
}

/// A nullable text column of an asset.
fn text_value(id: AssetId, value: Value<'_>) -> Result<Option<&str>> {
    match value {
        Value::Null => Ok(None),
        Value::Text(bytes) => std::str::from_utf8(bytes)
            .map(Some)
            .map_err(|_| corrupt(id, "text", "not UTF-8")),
        other => Err(corrupt(id, "a value of type", other.data_type())),
    }
}

/// An integer column of an asset.
fn int_value(id: AssetId, value: Value<'_>) -> Result<i64> {
    match value {
        Value::Integer(n) => Ok(n),
        other => Err(corrupt(id, "a value of type", other.data_type())),
    }
}

fn corrupt(id: AssetId, what: &str, value: &str) -> Error {
    Error::Corrupt {
        what: format!("asset `{id}` has {what} `{value}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssetFields, AssetName, Classification, Hosting, HostingKind, Kind, Link};
    use crate::model::{Relation, Segment};
    use crate::policy::Policy;

    fn fields(policy: &Policy, name: &str, kind: Kind) -> AssetFields {
        // 3B is rank 4 of niigata's confidentiality scale.
        let class = Classification::parse(policy, "3B", "2", "1").unwrap();
        let org = policy.organizations()[0].code.clone();
        AssetFields::new(kind, AssetName::new(name).unwrap(), org, class)
    }

    #[test]
    fn rows_carry_what_the_rules_read() -> Result<()> {
        let policy = Policy::niigata();
        let mut register = crate::test_backend::register(&policy)?;
        let mut system = fields(&policy, "system", Kind::NetworkSystem);
        system.manager = Some("m".to_owned());
        system.segment = Some(Segment::Lgwan);
        system.hosting = Some(Hosting {
            kind: HostingKind::Cloud,
            provider: Some("  ".to_owned()),
            contract: Some("c-1".to_owned()),
        });
        let system = register.add(system)?;
        let data = register.add(fields(&policy, "data", Kind::Information))?;
        register.link(Link::new(data.id, Relation::StoredOn, system.id))?;

        let mut assets = Vec::new();
        register.db().snapshot_assets(|row| {
            assets.push(format!(
                "{} {:?} {:?} {:?} manager={} provider={} contract={} disposed={}",
                row.name.unwrap_or_default(),
                row.ranks,
                row.segment,
                row.hosting,
                row.has_manager,
                row.has_provider,
                row.has_contract,
                row.disposed,
            ));
            Ok(())
        })?;
        assets.sort();
        assert_eq!(
            assets,
            [
                "data [4, 2, 1] None None manager=false provider=false contract=false disposed=false",
                "system [4, 2, 1] Some(\"lgwan\") Some(\"cloud\") manager=true provider=false contract=true disposed=false",
            ]
        );
        assert_eq!(register.db().count_assets()?, 2);
        let mut links = Vec::new();
        register.db().snapshot_links(|row| {
            links.push((row.from, row.relation.map(str::to_owned), row.to));
            Ok(())
        })?;
        assert_eq!(links, [(data.id, Some("stored_on".to_owned()), system.id)]);
        Ok(())
    }
}
