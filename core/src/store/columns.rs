//! The bulk read of asset columns: the stored values of the rows a filter
//! selects, in `Register::assets`' order, a batch of rows at a time, with no
//! `Asset` built and no policy consulted per row (for the doors that hand
//! whole tables on, such as Python's Arrow tables).
//!
//! SQLite sorts the rows (spilling to temporary files past its cache, so
//! that memory stays flat): measured at 200,000 rows, sorting only each row's
//! key and rowid and then fetching the rows by rowid in that order, in Rust or
//! in one statement, or reading one organization at a time, cost more than
//! the sort of whole rows it saves (a random page read per row); see
//! BENCHMARKS.md. What this read saves is the decoding of each row into an
//! `Asset`.

use std::fmt::Write as _;
use std::sync::LazyLock;

use super::assets::filter_clauses;
use super::{Db, Value, failed};
use crate::error::{Error, Result};
use crate::model::AssetId;
use crate::query::Filter;
use crate::table::{CellKind, Column};

/// The stored columns of an asset, in [`Column::ALL`]'s order.
static COLUMNS: LazyLock<String> = LazyLock::new(|| {
    Column::ALL
        .iter()
        .map(|c| c.store_name())
        .collect::<Vec<_>>()
        .join(", ")
});

/// Bytes of text a batch holds before it counts as full, besides the row
/// that crosses the limit: rows with long notes make smaller batches.
const MAX_TEXT_BYTES: usize = 4 << 20;

/// One stored value of an asset's column, as [`StoredRows`] gives it: codes as
/// their stored code, dates as ISO text (`2025-04-01`), times as RFC 3339
/// text in UTC, flags as 0 or 1, counts and the version as integers, controls
/// as their codes joined by `;` (empty for none), the extra attributes as the
/// stored JSON array of `[key, value]` pairs. Optional text that is blank, and
/// a blank code, date or extra, read as [`StoredValue::Null`], as they read
/// as `None` in an [`crate::Asset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoredValue<'a> {
    /// No value.
    Null,
    /// An integer: a flag, a count, the version.
    Integer(i64),
    /// Text: free text, a code, a date, a time, controls, the extras' JSON.
    Text(&'a str),
    /// The asset's id.
    Id(AssetId),
}

/// A value of a batch, its text in the batch's buffer.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Null,
    Integer(i64),
    Text(u32, u32),
    Id(u32),
}

/// Rows of stored values, every column of [`Column::ALL`] in its order: one
/// batch of [`crate::Register::for_each_stored_rows`].
#[derive(Debug, Default)]
pub struct StoredRows {
    slots: Vec<Slot>,
    text: String,
    ids: Vec<AssetId>,
}

/// One row of [`StoredRows`].
#[derive(Debug, Clone, Copy)]
pub struct StoredRow<'a> {
    slots: &'a [Slot],
    rows: &'a StoredRows,
}

impl StoredRows {
    /// The number of rows.
    pub fn len(&self) -> usize {
        self.slots.len() / Column::ALL.len()
    }

    /// True when there is no row.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The rows, in order.
    pub fn rows(&self) -> impl Iterator<Item = StoredRow<'_>> {
        self.slots
            .chunks_exact(Column::ALL.len())
            .map(|slots| StoredRow { slots, rows: self })
    }

    fn is_full(&self, rows: usize) -> bool {
        self.len() >= rows || self.text.len() >= MAX_TEXT_BYTES
    }

    /// Adds one row's values, read from a row selected with [`COLUMNS`].
    fn push_row(&mut self, row: &super::sql::Row<'_>) -> Result<()> {
        for &column in Column::ALL {
            let value = row
                .get_ref(column.index())
                .map_err(failed("reading assets"))?;
            let slot = match value {
                Value::Null => Slot::Null,
                Value::Integer(n) => Slot::Integer(n),
                Value::Text(bytes) => {
                    let text = std::str::from_utf8(bytes).map_err(|_| corrupt(column))?;
                    if text.trim().is_empty() && blank_is_null(column) {
                        Slot::Null
                    } else {
                        let start = self.text.len();
                        self.text.push_str(text);
                        match (u32::try_from(start), u32::try_from(self.text.len())) {
                            (Ok(start), Ok(end)) => Slot::Text(start, end),
                            _ => return Err(corrupt(column)),
                        }
                    }
                }
                Value::Blob(bytes) if column == Column::Id => {
                    let id = AssetId::from_bytes(bytes).ok_or_else(|| corrupt(column))?;
                    let index = u32::try_from(self.ids.len()).map_err(|_| corrupt(column))?;
                    self.ids.push(id);
                    Slot::Id(index)
                }
                Value::Blob(_) | Value::Real(_) => return Err(corrupt(column)),
            };
            self.slots.push(slot);
        }
        Ok(())
    }
}

/// True for the columns whose blank text an [`crate::Asset`] reads as no value.
fn blank_is_null(column: Column) -> bool {
    match column.kind() {
        CellKind::OptionalText => column != Column::Department,
        CellKind::Code | CellKind::PolicyCode | CellKind::Date | CellKind::Extra => true,
        _ => false,
    }
}

fn corrupt(column: Column) -> Error {
    Error::Corrupt {
        what: format!("an asset row's {} is not of its stored type", column.key()),
    }
}

impl<'a> StoredRow<'a> {
    /// The row's value of one column.
    pub fn get(&self, column: Column) -> StoredValue<'a> {
        match self.slots.get(column.index()) {
            Some(Slot::Integer(n)) => StoredValue::Integer(*n),
            Some(Slot::Text(start, end)) => self
                .rows
                .text
                .get(*start as usize..*end as usize)
                .map_or(StoredValue::Null, StoredValue::Text),
            Some(Slot::Id(index)) => self
                .rows
                .ids
                .get(*index as usize)
                .map_or(StoredValue::Null, |id| StoredValue::Id(*id)),
            Some(Slot::Null) | None => StoredValue::Null,
        }
    }
}

impl Db {
    /// Gives `visit` the stored values of the assets a filter selects, in
    /// batches of up to `batch_rows` rows (fewer when their text passes a
    /// few MiB), ordered by organization (in the order of `organizations`,
    /// others last), then name, then id, as [`Db::for_each_asset_in_order`]
    /// orders them (names compare as bytes, ids as their 16 bytes), all of
    /// one read transaction. Only one batch is held here at a time (and
    /// SQLite's sorter, which spills to temporary files past its cache).
    pub(crate) fn for_each_stored_rows<E: From<Error>>(
        &self,
        filter: &Filter,
        organizations: &[&str],
        batch_rows: usize,
        mut visit: impl FnMut(StoredRows) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let batch_rows = batch_rows.max(1);
        let mut outcome: std::result::Result<(), E> = Ok(());
        self.read(|db| {
            let failed = || failed("reading assets");
            let (clauses, mut values) = filter_clauses(filter);
            let mut rank = format!("CASE {}", Column::Organization.store_name());
            for (i, code) in organizations.iter().enumerate() {
                values.push(super::sql::OwnedValue::text(*code));
                let _ = write!(rank, " WHEN ?{} THEN {i}", values.len());
            }
            let _ = write!(rank, " ELSE {} END", organizations.len());
            let sql = format!(
                "SELECT {} FROM assets{clauses} ORDER BY {rank}, {}, {}",
                *COLUMNS,
                Column::Name.store_name(),
                Column::Id.store_name()
            );
            let mut stmt = db.conn.prepare(&sql).map_err(failed())?;
            let mut rows = stmt
                .query(super::sql::params_from_iter(values))
                .map_err(failed())?;
            let mut batch = StoredRows::default();
            while let Some(row) = rows.next().map_err(failed())? {
                batch.push_row(&row)?;
                if batch.is_full(batch_rows) {
                    let full = std::mem::take(&mut batch);
                    if let Err(err) = visit(full) {
                        outcome = Err(err);
                        return Ok(());
                    }
                }
            }
            if !batch.is_empty()
                && let Err(err) = visit(batch)
            {
                outcome = Err(err);
            }
            Ok(())
        })?;
        outcome
    }
}
