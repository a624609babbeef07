//! The one connection the store speaks SQL through, whichever database holds
//! the register: SQLite (always built) or PostgreSQL (the `postgres` feature).
//!
//! Its shape follows rusqlite's (prepare, bind, step through rows, get
//! typed values), so that every method of [`Db`](super::Db) is written once,
//! in SQL both databases run. Statements are written with SQLite's `?N`
//! parameters; [`translate`] turns them into PostgreSQL's `$N`, and
//! `INSERT OR IGNORE` into `ON CONFLICT DO NOTHING`. What cannot be written
//! once (pragmas, bulk loading, the online backup) asks [`Conn::dialect`].

use std::fmt;

use rusqlite::types::{ToSqlOutput, ValueRef};

use super::rows::Value;
use crate::model::AssetId;

#[cfg(feature = "postgres")]
pub(crate) mod pg;

/// Which database a connection speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    Postgres,
}

/// An error of the database, before the store names what it was doing.
#[derive(Debug)]
pub(crate) enum SqlError {
    Sqlite(rusqlite::Error),
    #[cfg(feature = "postgres")]
    Postgres(postgres::Error),
    /// A query that must return a row returned none.
    NoRows,
    /// A transaction was begun inside another.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    Nested,
    /// A value of a column is not of the type asked for.
    Conversion {
        column: usize,
        expected: &'static str,
        found: &'static str,
    },
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlError::Sqlite(e) => e.fmt(f),
            #[cfg(feature = "postgres")]
            SqlError::Postgres(e) => match e.as_db_error() {
                Some(db) => write!(f, "{}: {}", db.severity(), db.message()),
                None => e.fmt(f),
            },
            SqlError::NoRows => f.write_str("the query returned no rows"),
            SqlError::Nested => f.write_str("a transaction is open already"),
            SqlError::Conversion {
                column,
                expected,
                found,
            } => write!(f, "column {column} holds {found}, not {expected}"),
        }
    }
}

impl std::error::Error for SqlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SqlError::Sqlite(e) => Some(e),
            #[cfg(feature = "postgres")]
            SqlError::Postgres(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for SqlError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => SqlError::NoRows,
            other => SqlError::Sqlite(other),
        }
    }
}

#[cfg(feature = "postgres")]
impl From<postgres::Error> for SqlError {
    fn from(e: postgres::Error) -> Self {
        SqlError::Postgres(e)
    }
}

/// What the kind of an error means to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// Another writer holds the lock, or the database asked to retry.
    Busy,
    /// The file is not a database.
    NotADatabase,
    /// A unique key would be held twice.
    UniqueViolation,
    /// Another constraint (a check, a foreign key, not null).
    ConstraintViolation,
    /// The server's role may not do this (a reader writing, a writer
    /// changing the schema).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    PermissionDenied,
    Other,
}

impl SqlError {
    pub(crate) fn kind(&self) -> ErrorKind {
        match self {
            SqlError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => match f.code {
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                    ErrorKind::Busy
                }
                rusqlite::ErrorCode::NotADatabase => ErrorKind::NotADatabase,
                rusqlite::ErrorCode::ConstraintViolation
                    if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                        || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
                {
                    ErrorKind::UniqueViolation
                }
                rusqlite::ErrorCode::ConstraintViolation => ErrorKind::ConstraintViolation,
                _ => ErrorKind::Other,
            },
            #[cfg(feature = "postgres")]
            SqlError::Postgres(e) => pg::error_kind(e),
            _ => ErrorKind::Other,
        }
    }
}

pub(crate) type Result<T, E = SqlError> = std::result::Result<T, E>;

/// `Result::optional`: a missing row as `None`.
pub(crate) trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(SqlError::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A value that binds to a parameter.
pub(crate) trait ToSql {
    fn to_value(&self) -> Value<'_>;
}

/// A value that a column reads into.
pub(crate) trait FromSql: Sized {
    fn from_value(value: Value<'_>) -> Result<Self, &'static str>;
}

fn type_name(value: Value<'_>) -> &'static str {
    match value {
        Value::Null => "NULL",
        Value::Integer(_) => "an integer",
        Value::Real(_) => "a real number",
        Value::Text(_) => "text",
        Value::Blob(_) => "a blob",
    }
}

impl ToSql for Value<'_> {
    fn to_value(&self) -> Value<'_> {
        *self
    }
}

impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_value(&self) -> Value<'_> {
        (**self).to_value()
    }
}

impl<T: ToSql> ToSql for Option<T> {
    fn to_value(&self) -> Value<'_> {
        self.as_ref().map_or(Value::Null, ToSql::to_value)
    }
}

macro_rules! integer_to_sql {
    ($($t:ty),*) => {$(
        impl ToSql for $t {
            #[allow(clippy::cast_lossless, reason = "one macro for the types From does and does not cover")]
            fn to_value(&self) -> Value<'_> {
                Value::Integer(*self as i64)
            }
        }
        impl FromSql for $t {
            fn from_value(value: Value<'_>) -> Result<Self, &'static str> {
                match value {
                    Value::Integer(n) => <$t>::try_from(n).map_err(|_| "an integer out of range"),
                    other => Err(type_name(other)),
                }
            }
        }
    )*};
}
integer_to_sql!(i64, i32, u8, u16, u32, u64, usize);

impl ToSql for bool {
    fn to_value(&self) -> Value<'_> {
        Value::Integer(i64::from(*self))
    }
}

impl FromSql for bool {
    fn from_value(value: Value<'_>) -> Result<Self, &'static str> {
        match value {
            Value::Integer(n) => Ok(n != 0),
            other => Err(type_name(other)),
        }
    }
}

impl ToSql for f64 {
    fn to_value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl FromSql for f64 {
    fn from_value(value: Value<'_>) -> Result<Self, &'static str> {
        match value {
            Value::Real(x) => Ok(x),
            Value::Integer(n) => Ok(n as f64),
            other => Err(type_name(other)),
        }
    }
}

impl ToSql for str {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self.as_bytes())
    }
}

impl ToSql for String {
    fn to_value(&self) -> Value<'_> {
        Value::Text(self.as_bytes())
    }
}

impl FromSql for String {
    fn from_value(value: Value<'_>) -> Result<Self, &'static str> {
        match value {
            Value::Text(text) => String::from_utf8(text.to_vec()).map_err(|_| "text not UTF-8"),
            other => Err(type_name(other)),
        }
    }
}

impl ToSql for [u8] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl ToSql for Vec<u8> {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl<const N: usize> ToSql for [u8; N] {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl FromSql for Vec<u8> {
    fn from_value(value: Value<'_>) -> Result<Self, &'static str> {
        match value {
            Value::Blob(blob) => Ok(blob.to_vec()),
            other => Err(type_name(other)),
        }
    }
}

impl<const N: usize> FromSql for [u8; N] {
    fn from_value(value: Value<'_>) -> Result<Self, &'static str> {
        match value {
            Value::Blob(blob) => blob.try_into().map_err(|_| "a blob of another size"),
            other => Err(type_name(other)),
        }
    }
}

impl<T: FromSql> FromSql for Option<T> {
    fn from_value(value: Value<'_>) -> Result<Self, &'static str> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl ToSql for AssetId {
    fn to_value(&self) -> Value<'_> {
        Value::Blob(self.as_bytes())
    }
}

impl FromSql for AssetId {
    fn from_value(value: Value<'_>) -> Result<Self, &'static str> {
        match value {
            Value::Blob(bytes) => AssetId::from_bytes(bytes).ok_or("a blob of another size"),
            other => Err(type_name(other)),
        }
    }
}

/// A value owned: parameters built up at run time, values carried from one
/// database to another, and what `verify` compares. Text keeps its bytes as
/// stored, even those that are not UTF-8.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OwnedValue {
    Null,
    Integer(i64),
    Real(f64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl OwnedValue {
    pub(crate) fn text(text: impl Into<String>) -> OwnedValue {
        OwnedValue::Text(text.into().into_bytes())
    }

    /// The value borrowed.
    pub(crate) fn as_value(&self) -> Value<'_> {
        match self {
            OwnedValue::Null => Value::Null,
            OwnedValue::Integer(n) => Value::Integer(*n),
            OwnedValue::Real(x) => Value::Real(*x),
            OwnedValue::Text(text) => Value::Text(text),
            OwnedValue::Blob(blob) => Value::Blob(blob),
        }
    }
}

impl ToSql for OwnedValue {
    fn to_value(&self) -> Value<'_> {
        self.as_value()
    }
}

impl FromSql for OwnedValue {
    fn from_value(value: Value<'_>) -> Result<Self, &'static str> {
        Ok(OwnedValue::from(value))
    }
}

impl From<Value<'_>> for OwnedValue {
    fn from(value: Value<'_>) -> Self {
        match value {
            Value::Null => OwnedValue::Null,
            Value::Integer(n) => OwnedValue::Integer(n),
            Value::Real(x) => OwnedValue::Real(x),
            Value::Text(text) => OwnedValue::Text(text.to_vec()),
            Value::Blob(blob) => OwnedValue::Blob(blob.to_vec()),
        }
    }
}

/// The parameters of one statement.
pub(crate) trait Params {
    /// Calls `each` with each value, in order.
    fn each_value(&self, each: &mut dyn FnMut(Value<'_>));
}

impl Params for [&dyn ToSql; 0] {
    fn each_value(&self, _: &mut dyn FnMut(Value<'_>)) {}
}

impl Params for &[&dyn ToSql] {
    fn each_value(&self, each: &mut dyn FnMut(Value<'_>)) {
        for value in *self {
            each(value.to_value());
        }
    }
}

macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn each_value(&self, each: &mut dyn FnMut(Value<'_>)) {
                for value in self {
                    each(value.to_value());
                }
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8);

/// Parameters from an iterator of values (cloned, as it is walked once per use).
#[derive(Debug, Clone)]
pub(crate) struct ParamsFromIter<I>(I);

impl<I> Params for ParamsFromIter<I>
where
    I: IntoIterator + Clone,
    I::Item: ToSql,
{
    fn each_value(&self, each: &mut dyn FnMut(Value<'_>)) {
        for value in self.0.clone() {
            each(value.to_value());
        }
    }
}

pub(crate) fn params_from_iter<I>(values: I) -> ParamsFromIter<I>
where
    I: IntoIterator + Clone,
    I::Item: ToSql,
{
    ParamsFromIter(values)
}

/// `params![a, b]`: values of several types as parameters.
macro_rules! params {
    () => { [] as [&dyn $crate::store::sql::ToSql; 0] };
    ($($value:expr),+ $(,)?) => {
        &[$(&$value as &dyn $crate::store::sql::ToSql),+] as &[&dyn $crate::store::sql::ToSql]
    };
}
pub(crate) use params;

fn value_ref(value: Value<'_>) -> ValueRef<'_> {
    value.into()
}

/// A connection to the register's database.
pub(crate) enum Conn {
    Sqlite(rusqlite::Connection),
    #[cfg(feature = "postgres")]
    Postgres(Box<pg::PgConn>),
}

impl fmt::Debug for Conn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conn::Sqlite(conn) => conn.fmt(f),
            #[cfg(feature = "postgres")]
            Conn::Postgres(conn) => conn.fmt(f),
        }
    }
}

impl Conn {
    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            Conn::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, the online
    /// backup); `None` on PostgreSQL.
    #[cfg_attr(not(feature = "postgres"), allow(clippy::unnecessary_wraps))]
    pub(crate) fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Conn::Sqlite(conn) => Some(conn),
            #[cfg(feature = "postgres")]
            Conn::Postgres(_) => None,
        }
    }

    #[cfg(feature = "postgres")]
    pub(crate) fn postgres(&self) -> Option<&pg::PgConn> {
        match self {
            Conn::Sqlite(_) => None,
            Conn::Postgres(conn) => Some(conn),
        }
    }

    /// Prepares a statement (on PostgreSQL, prepared once per connection).
    pub(crate) fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        self.prepare_cached(sql)
    }

    /// Prepares a statement, or takes it from the connection's cache.
    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Conn::Sqlite(conn) => Ok(Statement::Sqlite(conn.prepare_cached(sql)?)),
            #[cfg(feature = "postgres")]
            Conn::Postgres(conn) => Ok(Statement::Postgres(conn.prepare(sql)?)),
        }
    }

    /// Runs one statement, returning how many rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// Runs statements separated by `;`, without parameters.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Conn::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            #[cfg(feature = "postgres")]
            Conn::Postgres(conn) => conn.batch(sql),
        }
    }

    /// The one row of a query, read by `read`; [`SqlError::NoRows`] when
    /// there is none.
    pub(crate) fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        read: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, read)
    }
}

/// A prepared statement.
pub(crate) enum Statement<'c> {
    Sqlite(rusqlite::CachedStatement<'c>),
    #[cfg(feature = "postgres")]
    Postgres(pg::PgStatement<'c>),
}

impl fmt::Debug for Statement<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Statement")
    }
}

impl Statement<'_> {
    fn bind(&mut self, params: &impl Params) -> Result<()> {
        match self {
            Statement::Sqlite(stmt) => {
                let mut index = 0;
                let mut result = Ok(());
                params.each_value(&mut |value| {
                    index += 1;
                    if result.is_ok() {
                        result =
                            stmt.raw_bind_parameter(index, ToSqlOutput::Borrowed(value_ref(value)));
                    }
                });
                result?;
                if index != stmt.parameter_count() {
                    return Err(SqlError::Sqlite(rusqlite::Error::InvalidParameterCount(
                        index,
                        stmt.parameter_count(),
                    )));
                }
                Ok(())
            }
            #[cfg(feature = "postgres")]
            Statement::Postgres(stmt) => {
                stmt.clear();
                params.each_value(&mut |value| stmt.push(value));
                Ok(())
            }
        }
    }

    /// Binds `value` to parameter `index` (1-based), for
    /// [`Statement::raw_execute`] and [`Statement::raw_query`].
    pub(crate) fn raw_bind_parameter(&mut self, index: usize, value: impl ToSql) -> Result<()> {
        match self {
            Statement::Sqlite(stmt) => Ok(
                stmt.raw_bind_parameter(index, ToSqlOutput::Borrowed(value_ref(value.to_value())))?
            ),
            #[cfg(feature = "postgres")]
            Statement::Postgres(stmt) => {
                stmt.set(index, value.to_value());
                Ok(())
            }
        }
    }

    /// Runs the statement with the parameters bound one by one.
    pub(crate) fn raw_execute(&mut self) -> Result<usize> {
        match self {
            Statement::Sqlite(stmt) => Ok(stmt.raw_execute()?),
            #[cfg(feature = "postgres")]
            Statement::Postgres(stmt) => stmt.execute(),
        }
    }

    /// Runs the query with the parameters bound one by one.
    pub(crate) fn raw_query(&mut self) -> Rows<'_> {
        match self {
            Statement::Sqlite(stmt) => Rows::Sqlite(stmt.raw_query()),
            #[cfg(feature = "postgres")]
            Statement::Postgres(stmt) => Rows::Postgres(stmt.query()),
        }
    }

    /// Runs the statement, returning how many rows it changed.
    #[allow(
        clippy::needless_pass_by_value,
        reason = "as rusqlite's: `[id]` and `params![…]` read best"
    )]
    pub(crate) fn execute(&mut self, params: impl Params) -> Result<usize> {
        self.bind(&params)?;
        self.raw_execute()
    }

    /// Runs the query; its rows are read with [`Rows::next`].
    #[allow(
        clippy::needless_pass_by_value,
        reason = "as rusqlite's: `[id]` and `params![…]` read best"
    )]
    pub(crate) fn query(&mut self, params: impl Params) -> Result<Rows<'_>> {
        self.bind(&params)?;
        Ok(self.raw_query())
    }

    /// Runs the query, reading each row with `read`.
    pub(crate) fn query_map<T, F>(
        &mut self,
        params: impl Params,
        read: F,
    ) -> Result<MappedRows<'_, F>>
    where
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        Ok(MappedRows {
            rows: self.query(params)?,
            read,
        })
    }

    /// The first row of the query, read by `read`; [`SqlError::NoRows`]
    /// when there is none.
    pub(crate) fn query_row<T>(
        &mut self,
        params: impl Params,
        read: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => read(&row),
            None => Err(SqlError::NoRows),
        }
    }

    pub(crate) fn column_count(&self) -> usize {
        match self {
            Statement::Sqlite(stmt) => stmt.column_count(),
            #[cfg(feature = "postgres")]
            Statement::Postgres(stmt) => stmt.column_count(),
        }
    }
}

/// The rows of a query, read one at a time.
pub(crate) enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    #[cfg(feature = "postgres")]
    Postgres(pg::PgRows<'s>),
}

impl fmt::Debug for Rows<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Rows")
    }
}

impl Rows<'_> {
    /// The next row, or `None` after the last.
    #[allow(clippy::should_implement_trait)] // a lending iterator: the row borrows `self`
    pub(crate) fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            #[cfg(feature = "postgres")]
            Rows::Postgres(rows) => Ok(rows.next()?.map(Row::Postgres)),
        }
    }
}

/// Rows read into values by a closure, as an iterator.
pub(crate) struct MappedRows<'s, F> {
    rows: Rows<'s>,
    read: F,
}

impl<F> fmt::Debug for MappedRows<'_, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MappedRows")
    }
}

impl<T, F> Iterator for MappedRows<'_, F>
where
    F: FnMut(&Row<'_>) -> Result<T>,
{
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.read)(&row)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// One row of a query.
pub(crate) enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    #[cfg(feature = "postgres")]
    Postgres(&'r postgres::Row),
}

impl fmt::Debug for Row<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Row")
    }
}

impl<'r> Row<'r> {
    /// The value at `index` (0-based), as stored.
    pub(crate) fn get_ref(&self, index: usize) -> Result<Value<'r>> {
        match *self {
            Row::Sqlite(row) => Ok(row.get_ref(index)?.into()),
            #[cfg(feature = "postgres")]
            Row::Postgres(row) => pg::value_at(row, index),
        }
    }

    /// The value at `index` (0-based), read as a `T`.
    pub(crate) fn get<T: FromSql>(&self, index: usize) -> Result<T> {
        let value = self.get_ref(index)?;
        T::from_value(value).map_err(|expected| SqlError::Conversion {
            column: index,
            expected,
            found: type_name(value),
        })
    }
}

/// The statement as PostgreSQL takes it: `?N` as `$N`, a bare `?` numbered
/// in order, and `INSERT OR IGNORE` as `ON CONFLICT DO NOTHING`. Text in
/// quotes is left alone.
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) fn translate(sql: &str) -> String {
    const OR_IGNORE: &str = "INSERT OR IGNORE INTO";
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next = 0;
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    digits.push(d);
                    chars.next();
                }
                if digits.is_empty() {
                    next += 1;
                    digits = next.to_string();
                }
                out.push('$');
                out.push_str(&digits);
            }
            None => out.push(c),
        }
    }
    if let Some(at) = out.find(OR_IGNORE) {
        out.replace_range(at..at + OR_IGNORE.len(), "INSERT INTO");
        out.push_str(" ON CONFLICT DO NOTHING");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_translated_for_postgres() {
        assert_eq!(
            translate("SELECT a FROM t WHERE b = ?1 AND c = ?12 AND d = '?'"),
            "SELECT a FROM t WHERE b = $1 AND c = $12 AND d = '?'"
        );
        assert_eq!(
            translate("UPDATE t SET a = ?, b = ?"),
            "UPDATE t SET a = $1, b = $2"
        );
        assert_eq!(
            translate("INSERT OR IGNORE INTO links (a) VALUES (?1)"),
            "INSERT INTO links (a) VALUES ($1) ON CONFLICT DO NOTHING"
        );
    }

    #[test]
    fn values_convert_both_ways() {
        let id = AssetId::generate();
        assert_eq!(AssetId::from_value(id.to_value()), Ok(id));
        assert_eq!(
            u8::from_value(Value::Integer(300)),
            Err("an integer out of range")
        );
        assert_eq!(Option::<String>::from_value(Value::Null), Ok(None));
        assert_eq!(bool::from_value(Value::Text(b"x")), Err("text"));
        // A text that is not UTF-8 moves between databases as it is stored.
        let stored = Value::Text(b"\xff\xfe");
        assert_eq!(OwnedValue::from(stored).as_value(), stored);
    }
}
