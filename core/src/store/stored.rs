//! An asset's row as stored, compared with the values a write would store,
//! and an update of only the values that differ: what a re-import does with
//! each row of a sheet that has ids, decoding a stored row only when it
//! differs from the sheet's.

use std::sync::LazyLock;

use super::sql::{Row as SqlRow, Statement};
use jiff::Timestamp;

use super::assets::{
    SELECT_COLUMNS, WRITE_COLUMNS, asset_values, each_value, read_asset, update_failed,
};
use super::{Db, Value, failed};
use crate::error::Result;
use crate::model::{Asset, AssetId, Extra};
use crate::table::cells::Resolver;
use crate::table::{CellKind, Column};

/// [`SELECT_COLUMNS`] and after them the levels' ranks, of one asset: what
/// [`StoredAssetReader`] reads.
static SELECT_STORED: LazyLock<String> = LazyLock::new(|| {
    let ranks: Vec<String> = Column::ALL
        .iter()
        .filter(|c| c.kind() == CellKind::Level)
        .map(|c| format!(", {}_rank", c.store_name()))
        .collect();
    format!(
        "SELECT {}{} FROM assets WHERE id = ?1",
        *SELECT_COLUMNS,
        ranks.concat()
    )
});

/// The places among [`WRITE_COLUMNS`] of the version and the times, which
/// every update writes.
static TIMES_AND_VERSION: LazyLock<Vec<usize>> = LazyLock::new(|| {
    WRITE_COLUMNS
        .iter()
        .enumerate()
        .filter(|(_, name)| {
            [Column::Version, Column::CreatedAt, Column::UpdatedAt]
                .iter()
                .any(|c| c.store_name() == name.as_str())
        })
        .map(|(place, _)| place)
        .collect()
});

impl Db {
    /// The look-up of assets' rows as stored, its statement prepared once
    /// for the many rows of an import ([`StoredAssetReader::with`]).
    pub(crate) fn stored_rows(&self) -> Result<StoredAssetReader<'_>> {
        let stmt = self
            .conn
            .prepare(&SELECT_STORED)
            .map_err(failed("reading an asset"))?;
        Ok(StoredAssetReader { stmt })
    }

    /// [`Db::update_asset`], writing only the values at `places` among
    /// [`WRITE_COLUMNS`] (those that differ from the stored row, from
    /// [`StoredAsset::differing`]) and the version and times: the row ends
    /// the same, and SQLite leaves alone the indexes of the columns not
    /// written.
    pub(crate) fn update_asset_columns(
        &self,
        asset: &Asset,
        expected: u64,
        places: &[usize],
    ) -> Result<bool> {
        let written: Vec<usize> = (0..WRITE_COLUMNS.len())
            .filter(|place| places.contains(place) || TIMES_AND_VERSION.contains(place))
            .collect();
        let sets: Vec<String> = written
            .iter()
            .enumerate()
            .map(|(i, place)| format!("{} = ?{}", WRITE_COLUMNS[*place], i + 2))
            .collect();
        let sql = format!(
            "UPDATE assets SET {} WHERE id = ?1 AND version = ?{}",
            sets.join(", "),
            written.len() + 2
        );
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(failed("updating an asset"))?;
        let created_at = asset.created_at.to_string();
        let updated_at = asset.updated_at.to_string();
        let mut result = stmt.raw_bind_parameter(1, asset.id);
        let (mut place, mut index) = (0, 2);
        asset_values(asset, &created_at, &updated_at, |value| {
            if written.contains(&place) && result.is_ok() {
                result = stmt.raw_bind_parameter(index, value);
                index += 1;
            }
            place += 1;
        });
        let changed = result
            .and_then(|()| stmt.raw_bind_parameter(index, expected as i64))
            .and_then(|()| stmt.raw_execute())
            .map_err(|source| update_failed(asset, source))?;
        Ok(changed == 1)
    }
}

/// Assets' rows as stored, looked up by id with one prepared statement.
pub(crate) struct StoredAssetReader<'db> {
    stmt: Statement<'db>,
}

impl StoredAssetReader<'_> {
    /// Calls `look` with asset `id`'s row as stored, not decoded (`None`
    /// when there is none): an import compares a sheet's row with it, and
    /// decodes it only when they differ.
    pub(crate) fn with<T>(
        &mut self,
        id: AssetId,
        look: impl FnOnce(&StoredAsset<'_, '_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let mut rows = self.stmt.query([id]).map_err(failed("reading an asset"))?;
        match rows.next().map_err(failed("reading an asset"))? {
            Some(row) => look(&StoredAsset { row: &row }).map(Some),
            None => Ok(None),
        }
    }
}

/// An asset's row as stored (selected with [`SELECT_COLUMNS`]), not decoded.
pub(crate) struct StoredAsset<'s, 'r> {
    row: &'r SqlRow<'s>,
}

impl StoredAsset<'_, '_> {
    /// The whole asset, decoded and checked as every read is.
    pub(crate) fn decode(&self, resolver: &mut Resolver<'_>) -> Result<Asset> {
        read_asset(resolver, self.row)
    }

    /// The stored extra attributes; where they are not a list of pairs as
    /// the store writes them, the row is decoded, for its error or its
    /// attributes.
    pub(crate) fn extra(&self, resolver: &mut Resolver<'_>) -> Result<Extra> {
        match self.row.get_ref(Column::Extra.index()) {
            Ok(Value::Null) => return Ok(Extra::new()),
            Ok(Value::Text(json)) if std::str::from_utf8(json).is_ok() => {
                if let Ok(pairs) = serde_json::from_slice::<Vec<(String, String)>>(json) {
                    return Ok(pairs.into_iter().collect());
                }
            }
            _ => {}
        }
        self.decode(resolver).map(|asset| asset.fields.extra)
    }

    /// The version and times; `None` when they would not decode. With no
    /// value [`StoredAsset::differing`], the decoded asset is the one
    /// compared: what the store writes, it reads back the same.
    pub(crate) fn keys(&self) -> Option<(u64, Timestamp, Timestamp)> {
        let text = |column: Column| match self.row.get_ref(column.index()) {
            Ok(Value::Text(bytes)) => std::str::from_utf8(bytes).ok(),
            _ => None,
        };
        let version = match self.row.get_ref(Column::Version.index()) {
            Ok(Value::Integer(n)) => u64::try_from(n).ok().filter(|v| *v >= 1)?,
            _ => text(Column::Version)?
                .parse::<u64>()
                .ok()
                .filter(|v| *v >= 1)?,
        };
        let created_at = text(Column::CreatedAt)?.parse().ok()?;
        let updated_at = text(Column::UpdatedAt)?.parse().ok()?;
        Some((version, created_at, updated_at))
    }
}

impl StoredAsset<'_, '_> {
    /// Compares each value a write of `asset` would store but its id,
    /// version and times (the levels' ranks included) with the stored one:
    /// `seen` gets its place among [`WRITE_COLUMNS`] and whether they are
    /// equal, and returns whether to go on.
    fn compare(&self, asset: &Asset, mut seen: impl FnMut(usize, bool) -> bool) {
        let mut place = 0;
        let mut rank = Column::ALL.len();
        let mut going = true;
        each_value(asset, "", "", |column, value| {
            let at = place;
            place += 1;
            if !going {
                return;
            }
            let index = match column {
                Some(Column::Id | Column::Version | Column::CreatedAt | Column::UpdatedAt) => {
                    return;
                }
                Some(column) => column.index(),
                None => {
                    rank += 1;
                    rank - 1
                }
            };
            let equal = self.row.get_ref(index).is_ok_and(|stored| stored == value);
            going = seen(at, equal);
        });
    }

    /// The places among [`WRITE_COLUMNS`] of the values a write of `asset`
    /// would change, besides its version and times (which every update
    /// writes): for [`Db::update_asset_columns`].
    pub(crate) fn differing(&self, asset: &Asset) -> Vec<usize> {
        let mut places = Vec::new();
        self.compare(asset, |at, equal| {
            if !equal {
                places.push(at);
            }
            true
        });
        places
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssetFields, AssetName, Classification, Kind};
    use crate::policy::Policy;

    fn asset(policy: &Policy) -> Asset {
        let mut fields = AssetFields::new(
            Kind::NetworkSystem,
            AssetName::new("水道料金システム").unwrap(),
            policy.organization("水道局").unwrap().code.clone(),
            Classification::parse(policy, "3C", "2", "2").unwrap(),
        );
        fields.department = "料金課".to_owned();
        fields.notes = Some("備考".to_owned());
        fields.extra.insert("系統", "A");
        Asset {
            id: AssetId::generate(),
            fields,
            version: 1,
            created_at: Timestamp::from_second(1_700_000_000).unwrap(),
            updated_at: Timestamp::from_second(1_700_000_000).unwrap(),
        }
    }

    /// Every stored value of an asset's row, ranks included.
    fn row(db: &Db, id: AssetId) -> Vec<crate::store::sql::OwnedValue> {
        let sql = format!(
            "SELECT {} FROM assets WHERE id = ?1",
            WRITE_COLUMNS.join(", ")
        );
        db.conn
            .query_row(&sql, [id], |row| {
                (0..WRITE_COLUMNS.len()).map(|i| row.get(i)).collect()
            })
            .unwrap()
    }

    #[test]
    fn a_stored_row_is_compared_value_by_value_and_updated_in_the_values_that_differ() -> Result<()>
    {
        let policy = Policy::niigata();
        let db = super::super::create_in_memory(&policy)?;
        let stored = asset(&policy);
        db.insert_asset(&stored)?;
        let same = db
            .stored_rows()?
            .with(stored.id, |s| Ok((s.differing(&stored), s.keys())))?
            .unwrap();
        assert_eq!(
            same,
            (vec![], Some((1, stored.created_at, stored.updated_at)))
        );
        assert!(
            db.stored_rows()?
                .with(AssetId::generate(), |_| Ok(()))?
                .is_none(),
            "no such asset"
        );

        let mut next = stored.clone();
        next.fields.department = "給水課".to_owned();
        next.fields.classification = Classification::parse(&policy, "2", "2", "2").unwrap();
        next.version = 2;
        next.updated_at = Timestamp::from_second(1_800_000_000).unwrap();
        let places = db
            .stored_rows()?
            .with(stored.id, |s| Ok(s.differing(&next)))?
            .unwrap();
        let names: Vec<&str> = places.iter().map(|p| WRITE_COLUMNS[*p].as_str()).collect();
        assert_eq!(
            names,
            ["department", "confidentiality", "confidentiality_rank"]
        );

        // Written column by column, the row is what a whole update writes.
        let whole = super::super::create_in_memory(&policy)?;
        whole.insert_asset(&stored)?;
        assert!(whole.update_asset(&next, 1)?);
        assert!(db.update_asset_columns(&next, 1, &places)?);
        assert_eq!(row(&db, next.id), row(&whole, next.id));
        // A stale version writes nothing.
        assert!(!db.update_asset_columns(&next, 1, &places)?);
        Ok(())
    }
}
