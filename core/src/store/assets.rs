//! Asset rows: the SQL of the `assets` table, written from the column table
//! ([`Column`]): its column lists, the values of a row and the reading of one.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::LazyLock;

use super::sql::{ErrorKind, Row as SqlRow, Statement};
use jiff::Timestamp;

use super::{Db, Value, failed};
use crate::error::{Error, Result};
use crate::model::{Asset, AssetId, Extra};
use crate::policy::Policy;
use crate::query::{Disposed, Filter};
use crate::table::cells::{Issues, Resolver, parse_fields};
use crate::table::{Cell, CellKind, Column, join_controls};
use crate::text::{fold_name, fold_name_into};

/// The stored columns of an asset, in [`Column::ALL`]'s order, for reading.
pub(super) static SELECT_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    Column::ALL
        .iter()
        .map(|c| c.store_name())
        .collect::<Vec<_>>()
        .join(", ")
});

/// The columns an insert or update writes, in [`asset_values`]'s order: each
/// column, and after a level its rank.
pub(super) static WRITE_COLUMNS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut columns = Vec::new();
    for column in Column::ALL {
        columns.push(column.store_name().to_owned());
        if column.kind() == CellKind::Level {
            columns.push(format!("{}_rank", column.store_name()));
        }
    }
    columns
});

/// The number of values of an asset row ([`asset_values`]).
pub(crate) const ASSET_VALUES: usize = Column::ALL.len() + 3;

static INSERT: LazyLock<String> = LazyLock::new(|| {
    let names = WRITE_COLUMNS.join(", ");
    let params: Vec<String> = (1..=WRITE_COLUMNS.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO assets ({names}) VALUES ({})",
        params.join(", ")
    )
});

static UPDATE: LazyLock<String> = LazyLock::new(|| {
    let sets: Vec<String> = WRITE_COLUMNS
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, name)| format!("{name} = ?{}", i + 1))
        .collect();
    format!(
        "UPDATE assets SET {} WHERE id = ?1 AND version = ?{}",
        sets.join(", "),
        WRITE_COLUMNS.len() + 1
    )
});

/// Gives each value of an asset's row to `value`, in [`WRITE_COLUMNS`]'s
/// order; `created_at` and `updated_at` as already formatted.
pub(crate) fn asset_values(
    asset: &Asset,
    created_at: &str,
    updated_at: &str,
    mut value: impl FnMut(Value<'_>),
) {
    each_value(asset, created_at, updated_at, |_, v| value(v));
}

/// [`asset_values`] with each value's column, and `None` for a level's rank
/// (which follows the level's code).
pub(super) fn each_value(
    asset: &Asset,
    created_at: &str,
    updated_at: &str,
    mut value: impl FnMut(Option<Column>, Value<'_>),
) {
    let mut scratch = String::new();
    for &column in Column::ALL {
        match column.cell(asset) {
            Cell::Null => value(Some(column), Value::Null),
            Cell::Id(id) => value(Some(column), Value::Blob(id.as_bytes())),
            Cell::Text(text) => value(Some(column), Value::Text(text.as_bytes())),
            Cell::Level(level) => {
                value(Some(column), Value::Text(level.code().as_bytes()));
                value(None, Value::Integer(i64::from(level.rank())));
            }
            Cell::Flag(flag) => value(Some(column), Value::Integer(i64::from(flag))),
            Cell::Count(n) => value(Some(column), Value::Integer(n as i64)),
            Cell::Controls(set) => {
                scratch = join_controls(set);
                value(Some(column), Value::Text(scratch.as_bytes()));
            }
            Cell::Retention(retention) => {
                scratch = retention.code();
                value(Some(column), Value::Text(scratch.as_bytes()));
            }
            Cell::Date(date) => {
                scratch.clear();
                let _ = write!(scratch, "{date}");
                value(Some(column), Value::Text(scratch.as_bytes()));
            }
            Cell::Extra(extra) if extra.is_empty() => value(Some(column), Value::Null),
            Cell::Extra(extra) => {
                let pairs: Vec<(&str, &str)> = extra.iter().collect();
                scratch = serde_json::to_string(&pairs).unwrap_or_default();
                value(Some(column), Value::Text(scratch.as_bytes()));
            }
            Cell::Timestamp(_) => {
                let time = if column == Column::CreatedAt {
                    created_at
                } else {
                    updated_at
                };
                value(Some(column), Value::Text(time.as_bytes()));
            }
        }
    }
}

/// Binds an asset's values to a statement's parameters 1, 2, ...
fn bind_asset(stmt: &mut Statement<'_>, asset: &Asset) -> super::sql::Result<usize> {
    let created_at = asset.created_at.to_string();
    let updated_at = asset.updated_at.to_string();
    let mut index = 0;
    let mut result = Ok(());
    asset_values(asset, &created_at, &updated_at, |value| {
        index += 1;
        if result.is_ok() {
            result = stmt.raw_bind_parameter(index, value);
        }
    });
    result.map(|()| index)
}

/// Binds `values` to a statement's parameters 1, 2, ...
pub(super) fn bind(stmt: &mut Statement<'_>, values: &[Value<'_>]) -> super::sql::Result<()> {
    values
        .iter()
        .enumerate()
        .try_for_each(|(index, value)| stmt.raw_bind_parameter(index + 1, *value))
}

/// The error of an insert that found the id taken.
pub(super) fn insert_failed(id: &str) -> impl FnOnce(super::sql::SqlError) -> Error + '_ {
    move |source| match source.kind() {
        ErrorKind::UniqueViolation | ErrorKind::ConstraintViolation
            if names_asset_number(&source) =>
        {
            Error::invalid(
                "asset_number",
                "",
                "この管理番号は別の資産が使っています",
                "another asset has this 管理番号 (asset number)",
            )
        }
        ErrorKind::UniqueViolation | ErrorKind::ConstraintViolation => Error::invalid(
            "id",
            id,
            "この ID の資産はすでにあります",
            "an asset with this id exists already",
        ),
        _ => failed("adding an asset")(source),
    }
}

/// The error of an update of `asset`.
pub(super) fn update_failed(asset: &Asset, source: super::sql::SqlError) -> Error {
    if names_asset_number(&source) {
        Error::invalid(
            "asset_number",
            asset.fields.asset_number.as_deref().unwrap_or_default(),
            "この管理番号は別の資産が使っています",
            "another asset has this 管理番号 (asset number)",
        )
    } else {
        failed("updating an asset")(source)
    }
}

/// True when a constraint that failed is the 管理番号's uniqueness.
fn names_asset_number(error: &super::sql::SqlError) -> bool {
    error.to_string().contains(Column::AssetNumber.store_name())
}

impl Db {
    /// Inserts a new asset row.
    pub(crate) fn insert_asset(&self, asset: &Asset) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached(&INSERT)
            .map_err(failed("adding an asset"))?;
        bind_asset(&mut stmt, asset)
            .and_then(|_| stmt.raw_execute())
            .map_err(insert_failed(&asset.id.to_string()))?;
        Ok(())
    }

    /// Prepares the insert of asset rows, for a writer of many.
    pub(super) fn prepare_insert_asset(&self) -> Result<Statement<'_>> {
        self.conn
            .prepare(&INSERT)
            .map_err(failed("adding an asset"))
    }

    /// Overwrites an asset row whose version is `expected` with `asset` as it
    /// is, its version and times included; returns false when no row had
    /// that version.
    pub(crate) fn update_asset(&self, asset: &Asset, expected: u64) -> Result<bool> {
        let mut stmt = self
            .conn
            .prepare_cached(&UPDATE)
            .map_err(failed("updating an asset"))?;
        let changed = bind_asset(&mut stmt, asset)
            .and_then(|bound| stmt.raw_bind_parameter(bound + 1, expected as i64))
            .and_then(|()| stmt.raw_execute())
            .map_err(|source| update_failed(asset, source))?;
        Ok(changed == 1)
    }

    /// One asset by id.
    pub(crate) fn asset(&self, policy: &Policy, id: AssetId) -> Result<Option<Asset>> {
        self.asset_with(&mut Resolver::new(policy), id)
    }

    /// One asset by id, read with a resolver that remembers the codes it
    /// parsed (an import reads many).
    pub(crate) fn asset_with(
        &self,
        resolver: &mut Resolver<'_>,
        id: AssetId,
    ) -> Result<Option<Asset>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM assets WHERE id = ?1",
                *SELECT_COLUMNS
            ))
            .map_err(failed("reading an asset"))?;
        let mut rows = stmt.query([id]).map_err(failed("reading an asset"))?;
        match rows.next().map_err(failed("reading an asset"))? {
            Some(row) => read_asset(resolver, &row).map(Some),
            None => Ok(None),
        }
    }

    /// Up to `limit` assets of this exact name.
    pub(crate) fn assets_named(
        &self,
        policy: &Policy,
        name: &str,
        limit: usize,
    ) -> Result<Vec<Asset>> {
        if !storable(name) {
            return Ok(Vec::new());
        }
        self.assets_where(
            &mut Resolver::new(policy),
            "name = ?1",
            super::sql::params![name],
            limit,
        )
    }

    /// How many assets have this exact name, counted up to `limit`; nothing
    /// is decoded (an import's hints ask this of many rows).
    pub(crate) fn count_named(&self, name: &str, limit: usize) -> Result<usize> {
        if !storable(name) {
            return Ok(0);
        }
        let failed = || failed("finding assets");
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM assets WHERE name = ?1")
            .map_err(failed())?;
        let mut rows = stmt.query([name]).map_err(failed())?;
        let mut count = 0;
        while count < limit && rows.next().map_err(failed())?.is_some() {
            count += 1;
        }
        Ok(count)
    }

    /// Up to `limit` assets of an organization with this exact name.
    pub(crate) fn assets_named_in(
        &self,
        resolver: &mut Resolver<'_>,
        organization: &str,
        name: &str,
        limit: usize,
    ) -> Result<Vec<Asset>> {
        if !storable(name) || !storable(organization) {
            return Ok(Vec::new());
        }
        self.assets_where(
            resolver,
            "name = ?1 AND organization = ?2",
            super::sql::params![name, organization],
            limit,
        )
    }

    /// The asset with this 管理番号, if any.
    pub(crate) fn asset_by_number(
        &self,
        resolver: &mut Resolver<'_>,
        number: &str,
    ) -> Result<Option<Asset>> {
        let number = crate::text::asset_number(number);
        if !storable(&number) {
            return Ok(None);
        }
        let mut found = self.assets_where(
            resolver,
            "asset_number = ?1",
            super::sql::params![number],
            1,
        )?;
        Ok(found.pop())
    }

    /// The first `limit` assets a constant `WHERE` clause selects with its
    /// parameters. The limit is kept here rather than in a bound `LIMIT ?`:
    /// SQLite prepares a statement again each time such a limit is bound,
    /// which cost an import that asks for every row most of its time.
    fn assets_where(
        &self,
        resolver: &mut Resolver<'_>,
        clause: &'static str,
        params: impl super::sql::Params,
        limit: usize,
    ) -> Result<Vec<Asset>> {
        let failed = || failed("finding assets");
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {} FROM assets WHERE {clause}",
                *SELECT_COLUMNS
            ))
            .map_err(failed())?;
        let mut rows = stmt.query(params).map_err(failed())?;
        let mut found = Vec::new();
        while found.len() < limit
            && let Some(row) = rows.next().map_err(failed())?
        {
            found.push(read_asset(resolver, &row)?);
        }
        Ok(found)
    }

    /// Calls `visit` with each asset a filter selects, in storage order.
    pub(crate) fn for_each_asset(
        &self,
        policy: &Policy,
        filter: &Filter,
        mut visit: impl FnMut(Asset) -> Result<()>,
    ) -> Result<()> {
        let (clauses, values) = filter_clauses(filter);
        let sql = format!("SELECT {} FROM assets{clauses}", *SELECT_COLUMNS);
        let mut stmt = self.conn.prepare(&sql).map_err(failed("listing assets"))?;
        let mut rows = stmt
            .query(super::sql::params_from_iter(values))
            .map_err(failed("listing assets"))?;
        let mut resolver = Resolver::new(policy);
        while let Some(row) = rows.next().map_err(failed("listing assets"))? {
            visit(read_asset(&mut resolver, &row)?)?;
        }
        Ok(())
    }

    /// Calls `visit` with each asset a filter selects, ordered by
    /// organization (in the order of `organizations`, others last), then
    /// name, then id: the order of `Register::assets`, sorted by SQLite
    /// (which spills to a temporary file past its cache) so that no more
    /// than one asset is held here at a time. Names compare as bytes and ids
    /// as their 16 bytes, as Rust compares `String`s and `AssetId`s.
    pub(crate) fn for_each_asset_in_order<E: From<Error>>(
        &self,
        policy: &Policy,
        filter: &Filter,
        organizations: &[&str],
        mut visit: impl FnMut(Asset) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let (clauses, mut values) = filter_clauses(filter);
        let mut rank = format!("CASE {}", Column::Organization.store_name());
        for (i, code) in organizations.iter().enumerate() {
            values.push(super::sql::OwnedValue::text(*code));
            let _ = write!(rank, " WHEN ?{} THEN {i}", values.len());
        }
        let _ = write!(rank, " ELSE {} END", organizations.len());
        let sql = format!(
            "SELECT {} FROM assets{clauses} ORDER BY {rank}, {}, {}",
            *SELECT_COLUMNS,
            Column::Name.store_name(),
            Column::Id.store_name()
        );
        let mut stmt = self.conn.prepare(&sql).map_err(failed("listing assets"))?;
        let mut rows = stmt
            .query(super::sql::params_from_iter(values))
            .map_err(failed("listing assets"))?;
        let mut resolver = Resolver::new(policy);
        while let Some(row) = rows.next().map_err(failed("listing assets"))? {
            visit(read_asset(&mut resolver, &row)?)?;
        }
        Ok(())
    }

    /// Up to `limit` assets a filter selects whose ids follow `after`, in id order
    /// (the order version 7 UUIDs are made in): one page of a listing read page by page.
    pub(crate) fn assets_page(
        &self,
        policy: &Policy,
        filter: &Filter,
        after: Option<AssetId>,
        limit: usize,
    ) -> Result<Vec<Asset>> {
        let (clauses, mut values) = filter_clauses(filter);
        let joiner = if clauses.is_empty() { " WHERE" } else { " AND" };
        let after_id = values.len() + 1;
        let sql = format!(
            "SELECT {} FROM assets{clauses}{joiner} id > ?{after_id} ORDER BY id LIMIT ?{}",
            *SELECT_COLUMNS,
            after_id + 1
        );
        // Before any id: the empty blob sorts before every 16-byte one.
        values.push(super::sql::OwnedValue::Blob(
            after.map_or_else(Vec::new, |id| id.as_bytes().to_vec()),
        ));
        values.push(super::sql::OwnedValue::Integer(
            i64::try_from(limit).unwrap_or(i64::MAX),
        ));
        let mut stmt = self.conn.prepare(&sql).map_err(failed("listing assets"))?;
        let mut rows = stmt
            .query(super::sql::params_from_iter(values))
            .map_err(failed("listing assets"))?;
        let mut resolver = Resolver::new(policy);
        let mut page = Vec::with_capacity(limit.min(4096));
        while let Some(row) = rows.next().map_err(failed("listing assets"))? {
            page.push(read_asset(&mut resolver, &row)?);
        }
        Ok(page)
    }

    /// Deletes an asset's row; its links and risk assessments must be gone
    /// (the foreign keys refuse otherwise). Returns false when there was none.
    pub(crate) fn delete_asset(&self, id: AssetId) -> Result<bool> {
        let deleted = self
            .conn
            .prepare_cached("DELETE FROM assets WHERE id = ?1")
            .and_then(|mut stmt| stmt.execute([id]))
            .map_err(failed("deleting an asset"))?;
        Ok(deleted == 1)
    }

    /// True when the register holds no asset.
    pub(crate) fn has_no_assets(&self) -> Result<bool> {
        self.conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM assets)", [], |row| {
                row.get(0)
            })
            .map_err(failed("counting assets"))
    }
}

/// Collects the first problem of a stored row.
struct FirstProblem(Option<(Column, String)>);

impl Issues for FirstProblem {
    fn error(&mut self, column: Column, value: &str, _reason: crate::text::Localized) {
        if self.0.is_none() {
            self.0 = Some((column, value.to_owned()));
        }
    }

    fn warn(&mut self, _column: Column, _value: &str, _reason: crate::text::Localized) {}
}

/// Reads one asset row selected with [`SELECT_COLUMNS`].
pub(super) fn read_asset(resolver: &mut Resolver<'_>, row: &SqlRow<'_>) -> Result<Asset> {
    let storage = || failed("reading an asset");
    let id: AssetId = row.get(Column::Id.index()).map_err(storage())?;
    let corrupt = |column: Column, value: &str| Error::Corrupt {
        what: format!("asset `{id}` has {} `{value}`", column.key()),
    };
    // The texts are borrowed from SQLite's row; only numbers are written out
    // (flags as `0`/`1` without allocating).
    let mut texts: Vec<Cow<'_, str>> = Vec::with_capacity(Column::ALL.len());
    for &column in Column::ALL {
        let text = match row.get_ref(column.index()).map_err(storage())? {
            Value::Integer(0) => Cow::Borrowed("0"),
            Value::Integer(1) => Cow::Borrowed("1"),
            Value::Integer(n) => Cow::Owned(n.to_string()),
            Value::Text(bytes) => String::from_utf8_lossy(bytes),
            Value::Null | Value::Real(_) | Value::Blob(_) => Cow::Borrowed(""),
        };
        texts.push(text);
    }
    let text = |column: Column| texts[column.index()].as_ref();
    let extra = match text(Column::Extra) {
        "" => Extra::new(),
        json => serde_json::from_str::<Vec<(String, String)>>(json)
            .map_err(|_| corrupt(Column::Extra, json))?
            .into_iter()
            .collect(),
    };
    let mut problem = FirstProblem(None);
    let fields = parse_fields(resolver, text, extra, &mut problem);
    let fields = match (fields, problem.0) {
        (Some(fields), None) => fields,
        (_, Some((column, value))) => return Err(corrupt(column, &value)),
        (None, None) => return Err(corrupt(Column::Id, &id.to_string())),
    };
    let version = text(Column::Version);
    let timestamp = |column: Column| -> Result<Timestamp> {
        text(column)
            .parse()
            .map_err(|_| corrupt(column, text(column)))
    };
    Ok(Asset {
        id,
        fields,
        version: version
            .parse::<u64>()
            .ok()
            .filter(|v| *v >= 1)
            .ok_or_else(|| corrupt(Column::Version, version))?,
        created_at: timestamp(Column::CreatedAt)?,
        updated_at: timestamp(Column::UpdatedAt)?,
    })
}

/// The SQL function `daicho_name_has(name, folded)`: true when the name,
/// folded as [`fold_name`] folds, contains `folded` (a text folded already).
const NAME_HAS: &str = "daicho_name_has";

/// Gives a connection the functions the listing filter calls.
pub(super) fn register_functions(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use std::cell::RefCell;

    use rusqlite::functions::FunctionFlags;
    thread_local! {
        /// The folded name, its buffer kept from one row to the next.
        static FOLDED: RefCell<String> = const { RefCell::new(String::new()) };
    }
    conn.create_scalar_function(
        NAME_HAS,
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let (rusqlite::types::ValueRef::Text(name), rusqlite::types::ValueRef::Text(needle)) =
                (ctx.get_raw(0), ctx.get_raw(1))
            else {
                return Ok(false);
            };
            let (name, needle) = (
                String::from_utf8_lossy(name),
                String::from_utf8_lossy(needle),
            );
            Ok(FOLDED.with_borrow_mut(|folded| {
                fold_name_into(&name, folded);
                folded.contains(needle.as_ref())
            }))
        },
    )
}

/// The listing filter as ` WHERE …` (or nothing) and its values; every
/// value is a bound parameter.
pub(super) fn filter_clauses(filter: &Filter) -> (String, Vec<super::sql::OwnedValue>) {
    use super::sql::OwnedValue as SqlValue;
    let mut clauses: Vec<String> = Vec::new();
    let mut values = Vec::new();
    // `template` holds one `?`, numbered here so that every value is bound.
    let mut bind = |template: String, value: SqlValue| {
        values.push(value);
        clauses.push(template.replace('?', &format!("?{}", values.len())));
    };
    let name = |column: Column| column.store_name();
    if let Some(org) = &filter.organization {
        bind(
            format!("{} = ?", name(Column::Organization)),
            SqlValue::text(org.as_str().to_owned()),
        );
    }
    if let Some(kind) = filter.kind {
        bind(
            format!("{} = ?", name(Column::Kind)),
            SqlValue::text(kind.code().to_owned()),
        );
    }
    if let Some(segment) = filter.segment {
        bind(
            format!("{} = ?", name(Column::Segment)),
            SqlValue::text(segment.code().to_owned()),
        );
    }
    for (level, column) in [
        (&filter.min_confidentiality, Column::Confidentiality),
        (&filter.min_integrity, Column::Integrity),
        (&filter.min_availability, Column::Availability),
    ] {
        if let Some(level) = level {
            bind(
                format!("{}_rank >= ?", name(column)),
                SqlValue::Integer(level.rank().into()),
            );
        }
    }
    for (flag, column) in [
        (filter.personal, Column::Personal),
        (filter.sensitive, Column::Sensitive),
    ] {
        if let Some(flag) = flag {
            bind(
                format!("{} = ?", name(column)),
                SqlValue::Integer(flag.into()),
            );
        }
    }
    written_by_staff(filter, &mut bind);
    if let Some(text) = &filter.name_contains {
        // A substring can use no index, folded or not: the names are read
        // (after the clauses above) and folded by the function Rust gives
        // SQLite, so the count, the listing and the export share the clause.
        bind(
            format!("{NAME_HAS}({}, ?)", name(Column::Name)),
            SqlValue::text(fold_name(text)),
        );
    }
    if let Some(flag) = filter.my_number {
        // An asset holds 特定個人情報 when it says so, or when information that
        // holds it is stored on it (`stored_on`) or it is a copy of such an
        // asset (`copy_of`), over any number of links. Qualified: an export
        // joins `json_each`, which has an `id` column of its own.
        let holders = format!(
            "assets.{id} IN (WITH RECURSIVE holders(id) AS (\
             SELECT assets.{id} FROM assets WHERE assets.{my_number} = 1 \
             UNION SELECT CASE WHEN links.relation = 'stored_on' THEN links.to_id \
             ELSE links.from_id END FROM links JOIN holders \
             ON (links.relation = 'stored_on' AND links.from_id = holders.id) \
             OR (links.relation = 'copy_of' AND links.to_id = holders.id)) \
             SELECT id FROM holders)",
            id = name(Column::Id),
            my_number = name(Column::MyNumber),
        );
        clauses.push(if flag {
            holders
        } else {
            format!("NOT {holders}")
        });
    }
    let exclusion = name(Column::ExclusionReason);
    match filter.in_scope {
        Some(true) => clauses.push(format!("{exclusion} IS NULL")),
        Some(false) => clauses.push(format!("{exclusion} IS NOT NULL")),
        None => {}
    }
    let disposed_on = name(Column::DisposedOn);
    match filter.disposed {
        Disposed::Exclude => clauses.push(format!("{disposed_on} IS NULL")),
        Disposed::Include => {}
        Disposed::Only => clauses.push(format!("{disposed_on} IS NOT NULL")),
    }
    if clauses.is_empty() {
        (String::new(), values)
    } else {
        (format!(" WHERE {}", clauses.join(" AND ")), values)
    }
}

/// The clauses of the criteria staff scripts use: department, manager, due review and
/// recent change.
fn written_by_staff(filter: &Filter, bind: &mut impl FnMut(String, super::sql::OwnedValue)) {
    use super::sql::OwnedValue as SqlValue;
    let name = |column: Column| column.store_name();
    if let Some(department) = &filter.department {
        bind(
            format!("{} = ?", name(Column::Department)),
            SqlValue::text(department.trim().to_owned()),
        );
    }
    if let Some(manager) = &filter.manager {
        bind(
            format!("{} = ?", name(Column::Manager)),
            SqlValue::text(manager.trim().to_owned()),
        );
    }
    if let Some(day) = filter.reviewed_before {
        // ISO dates compare as text.
        let reviewed = name(Column::ReviewedOn);
        bind(
            format!("({reviewed} IS NULL OR {reviewed} < ?)"),
            SqlValue::text(day.to_string()),
        );
    }
    if let Some(since) = filter.updated_since {
        // Times are stored as jiff writes them, UTC with as many fraction digits as
        // needed (`…:05Z`, `…:05.25Z`): without the `Z` they compare as text.
        bind(
            format!("rtrim({}, 'Z') >= ?", name(Column::UpdatedAt)),
            SqlValue::text(since.to_string().trim_end_matches('Z').to_owned()),
        );
    }
}

/// Whether text can be stored, and so match a stored value: PostgreSQL's
/// text holds no NUL, and rejects a query that binds one, where a lookup
/// (say, an import's row whose name a later check refuses) simply finds
/// nothing. Stored values never hold one: they are checked first.
fn storable(text: &str) -> bool {
    !text.contains('\0')
}
