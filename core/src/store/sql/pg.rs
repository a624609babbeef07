//! PostgreSQL under [`Conn`](super::Conn): one client, its statements
//! prepared once, values converted by the types the server infers, and large
//! reads fetched through a cursor a chunk at a time.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;

use bytes::BufMut;
use postgres::error::SqlState;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, Row};

use super::{ErrorKind, OwnedValue, Result, SqlError, translate};
use crate::store::rows::Value;

/// How many prepared statements a connection keeps.
const MAX_STATEMENTS: usize = 512;

/// How many rows a cursor fetches at a time.
const FETCH_ROWS: usize = 2048;

/// The first key of the advisory lock every write transaction takes first:
/// the lock on the audit chain's head, which makes a register's writers take
/// turns as SQLite's `BEGIN IMMEDIATE` does. The second key is the schema's,
/// so that registers in other schemas of the database do not wait.
const WRITE_LOCK: i32 = 0x6461_6963; // "daic"

/// A client and what it keeps between statements.
pub(crate) struct PgConn {
    client: RefCell<Client>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
    in_transaction: Cell<bool>,
    /// Cursors open now: the next one's name.
    open_cursors: Cell<usize>,
}

impl fmt::Debug for PgConn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgConn")
            .field("in_transaction", &self.in_transaction.get())
            .finish_non_exhaustive()
    }
}

impl PgConn {
    pub(crate) fn new(client: Client) -> PgConn {
        PgConn {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            in_transaction: Cell::new(false),
            open_cursors: Cell::new(0),
        }
    }

    pub(crate) fn in_transaction(&self) -> bool {
        self.in_transaction.get()
    }

    /// Begins a transaction: a write takes the chain head's lock first, a
    /// read sees one snapshot.
    pub(crate) fn begin(&self, write: bool) -> Result<()> {
        // As SQLite refuses a nested BEGIN: PostgreSQL would only warn, and
        // the inner COMMIT would end the outer transaction early.
        if self.in_transaction.get() {
            return Err(SqlError::Nested);
        }
        let sql = if write {
            format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK}, hashtext(current_schema()))")
        } else {
            "BEGIN ISOLATION LEVEL REPEATABLE READ".to_owned()
        };
        self.batch(&sql)?;
        self.in_transaction.set(true);
        Ok(())
    }

    pub(crate) fn end(&self, commit: bool) -> Result<()> {
        self.in_transaction.set(false);
        self.batch(if commit { "COMMIT" } else { "ROLLBACK" })
    }

    pub(crate) fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }

    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        // Statements built at run time (a filter's, an update of the columns
        // that differ) vary: the server's memory of them is kept bounded.
        if self.statements.borrow().len() >= MAX_STATEMENTS {
            self.statements.borrow_mut().clear();
        }
        let stmt = self.client.borrow_mut().prepare(sql)?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    /// Forgets the prepared statements (after the schema changed under them).
    pub(crate) fn forget_statements(&self) {
        self.statements.borrow_mut().clear();
    }

    pub(crate) fn prepare(&self, sql: &str) -> Result<PgStatement<'_>> {
        let sql = translate(sql);
        let stmt = self.statement(&sql)?;
        Ok(PgStatement {
            conn: self,
            sql,
            stmt,
            params: Vec::new(),
        })
    }
}

/// A statement and its parameters' values.
pub(crate) struct PgStatement<'c> {
    conn: &'c PgConn,
    sql: String,
    stmt: postgres::Statement,
    params: Vec<OwnedValue>,
}

impl PgStatement<'_> {
    pub(crate) fn clear(&mut self) {
        self.params.clear();
    }

    pub(crate) fn push(&mut self, value: Value<'_>) {
        self.params.push(value.into());
    }

    /// Sets parameter `index` (1-based).
    pub(crate) fn set(&mut self, index: usize, value: Value<'_>) {
        if self.params.len() < index {
            self.params.resize(index, OwnedValue::Null);
        }
        self.params[index - 1] = value.into();
    }

    pub(crate) fn column_count(&self) -> usize {
        self.stmt.columns().len()
    }

    fn bound(&self) -> Vec<Param<'_>> {
        self.params.iter().map(Param).collect()
    }

    pub(crate) fn execute(&mut self) -> Result<usize> {
        let params = self.bound();
        let changed = self.conn.client.borrow_mut().execute(
            &self.stmt,
            &params
                .iter()
                .map(|p| p as &(dyn ToSql + Sync))
                .collect::<Vec<_>>(),
        )?;
        self.params.clear();
        Ok(changed as usize)
    }

    /// Runs the query: inside a transaction through a cursor, so that a large
    /// read is held a chunk at a time; otherwise all at once.
    pub(crate) fn query(&mut self) -> PgRows<'_> {
        let params = std::mem::take(&mut self.params);
        let is_read = {
            let head = self.sql.trim_start();
            head.get(..6)
                .is_some_and(|w| w.eq_ignore_ascii_case("SELECT"))
                || head
                    .get(..4)
                    .is_some_and(|w| w.eq_ignore_ascii_case("WITH"))
        };
        let conn = self.conn;
        let result = if is_read && conn.in_transaction() {
            let depth = conn.open_cursors.get();
            let name = format!("daicho_cursor_{depth}");
            conn.statement(&format!("DECLARE {name} NO SCROLL CURSOR FOR {}", self.sql))
                .and_then(|declare| {
                    let bound: Vec<Param<'_>> = params.iter().map(Param).collect();
                    conn.client.borrow_mut().execute(
                        &declare,
                        &bound
                            .iter()
                            .map(|p| p as &(dyn ToSql + Sync))
                            .collect::<Vec<_>>(),
                    )?;
                    conn.open_cursors.set(depth + 1);
                    Ok(Fetch::Cursor {
                        fetch: format!("FETCH {FETCH_ROWS} FROM {name}"),
                        close: format!("CLOSE {name}"),
                        done: false,
                    })
                })
        } else {
            let bound: Vec<Param<'_>> = params.iter().map(Param).collect();
            conn.client
                .borrow_mut()
                .query(
                    &self.stmt,
                    &bound
                        .iter()
                        .map(|p| p as &(dyn ToSql + Sync))
                        .collect::<Vec<_>>(),
                )
                .map_err(SqlError::from)
                .map(|rows| {
                    let mut rows = rows;
                    rows.reverse();
                    Fetch::All(rows)
                })
        };
        PgRows {
            conn,
            fetch: result.map_err(Some).unwrap_or_else(Fetch::Failed),
            chunk: Vec::new(),
            current: None,
        }
    }
}

enum Fetch {
    /// Every row, last first (taken from the end).
    All(Vec<Row>),
    Cursor {
        fetch: String,
        close: String,
        done: bool,
    },
    Failed(Option<SqlError>),
}

/// The rows of a query.
pub(crate) struct PgRows<'c> {
    conn: &'c PgConn,
    fetch: Fetch,
    /// The cursor's current chunk, last first.
    chunk: Vec<Row>,
    current: Option<Row>,
}

impl PgRows<'_> {
    pub(crate) fn next(&mut self) -> Result<Option<&Row>> {
        self.current = match &mut self.fetch {
            Fetch::All(rows) => rows.pop(),
            Fetch::Failed(error) => match error.take() {
                Some(e) => return Err(e),
                None => None,
            },
            Fetch::Cursor { fetch, done, .. } => {
                if self.chunk.is_empty() && !*done {
                    let mut rows = self.conn.client.borrow_mut().query(fetch.as_str(), &[])?;
                    *done = rows.len() < FETCH_ROWS;
                    rows.reverse();
                    self.chunk = rows;
                }
                self.chunk.pop()
            }
        };
        Ok(self.current.as_ref())
    }
}

impl Drop for PgRows<'_> {
    fn drop(&mut self) {
        if let Fetch::Cursor { close, .. } = &self.fetch {
            // A failed transaction has closed it already.
            let _ = self.conn.client.borrow_mut().batch_execute(close);
            self.conn
                .open_cursors
                .set(self.conn.open_cursors.get().saturating_sub(1));
        }
    }
}

/// The value at `index` of a row.
pub(crate) fn value_at(row: &Row, index: usize) -> Result<Value<'_>> {
    Ok(row.try_get::<_, Value<'_>>(index)?)
}

/// A parameter's value, written as the type the server inferred for it.
#[derive(Debug)]
struct Param<'a>(&'a OwnedValue);

type BoxError = Box<dyn StdError + Sync + Send>;

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        encode(super::ToSql::to_value(self.0), ty, out)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// Writes `value` in the binary form of `ty` (a parameter's or a COPY
/// field's: the same form).
fn encode(value: Value<'_>, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
    match value {
        Value::Null => Ok(IsNull::Yes),
        Value::Integer(n) => match *ty {
            Type::INT8 => n.to_sql(ty, out),
            Type::INT4 => i32::try_from(n)?.to_sql(ty, out),
            Type::INT2 => i16::try_from(n)?.to_sql(ty, out),
            Type::BOOL => (n != 0).to_sql(ty, out),
            Type::FLOAT8 => (n as f64).to_sql(ty, out),
            Type::NUMERIC => {
                numeric(n, out);
                Ok(IsNull::No)
            }
            _ => n.to_string().as_str().to_sql(ty, out),
        },
        Value::Real(x) => match *ty {
            Type::FLOAT4 => (x as f32).to_sql(ty, out),
            _ => x.to_sql(ty, out),
        },
        Value::Text(text) => match *ty {
            Type::JSONB => {
                out.put_u8(1);
                out.put_slice(text);
                Ok(IsNull::No)
            }
            Type::BYTEA => text.to_sql(ty, out),
            Type::INT8 | Type::INT4 | Type::INT2 | Type::BOOL | Type::FLOAT8 => {
                Err(format!("text given for a parameter of type {ty}").into())
            }
            _ => {
                out.put_slice(text);
                Ok(IsNull::No)
            }
        },
        Value::Blob(blob) => match *ty {
            Type::BYTEA => blob.to_sql(ty, out),
            _ => Err(format!("bytes given for a parameter of type {ty}").into()),
        },
    }
}

/// Bytes of rows a [`CopyIn`] holds before it is sent.
const COPY_BYTES: usize = 1 << 20;

/// How much of a [`CopyIn`] goes in one message: the server reads a message
/// whole before it parses the rows in it.
const COPY_PIECE: usize = 64 * 1024;

/// The header of binary COPY data: signature, flags, extension length.
const COPY_HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

/// Rows of one table in `COPY … FROM STDIN (FORMAT binary)`'s form, held
/// until [`PgConn::copy_in`] sends them in one `COPY`.
pub(crate) struct CopyIn {
    sql: String,
    types: Vec<Type>,
    data: bytes::BytesMut,
}

impl fmt::Debug for CopyIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CopyIn")
            .field("sql", &self.sql)
            .field("bytes", &self.data.len())
            .finish_non_exhaustive()
    }
}

impl CopyIn {
    /// Adds a row, its values in the columns' order.
    pub(crate) fn push(&mut self, values: &[Value<'_>]) -> Result<()> {
        if self.data.is_empty() {
            self.data.put_slice(COPY_HEADER);
        }
        let start = self.data.len();
        self.data.put_i16(values.len() as i16);
        for (column, (value, ty)) in values.iter().zip(&self.types).enumerate() {
            let at = self.data.len();
            self.data.put_i32(0);
            match encode(*value, ty, &mut self.data) {
                Ok(IsNull::Yes) => {
                    self.data.truncate(at);
                    self.data.put_i32(-1);
                }
                Ok(IsNull::No) => {
                    let length = i32::try_from(self.data.len() - at - 4).unwrap_or(i32::MAX);
                    self.data[at..at + 4].copy_from_slice(&length.to_be_bytes());
                }
                Err(_) => {
                    self.data.truncate(start);
                    return Err(SqlError::Conversion {
                        column,
                        expected: "a value of the column's type",
                        found: value.data_type(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Whether it holds enough to be sent.
    pub(crate) fn is_full(&self) -> bool {
        self.data.len() >= COPY_BYTES
    }
}

impl PgStatement<'_> {
    /// The `COPY` that does what this `INSERT INTO t (columns) VALUES ($1,
    /// …, $n)` does, for many rows, its fields of the types the server
    /// inferred for the parameters; `None` for any other statement.
    pub(crate) fn copy_in(&self) -> Option<CopyIn> {
        let rest = self.sql.strip_prefix("INSERT INTO ")?;
        let (target, values) = rest.split_once(" VALUES ")?;
        let types = self.stmt.params().to_vec();
        let params: Vec<String> = (1..=types.len()).map(|i| format!("${i}")).collect();
        if values.trim() != format!("({})", params.join(", ")) {
            return None;
        }
        Some(CopyIn {
            sql: format!("COPY {target} FROM STDIN (FORMAT binary)"),
            types,
            data: bytes::BytesMut::with_capacity(COPY_BYTES + COPY_BYTES / 4),
        })
    }
}

impl PgConn {
    /// Sends the rows `copy` holds in one `COPY`, and empties it.
    pub(crate) fn copy_in(&self, copy: &mut CopyIn) -> Result<()> {
        use std::io::Write as _;
        if copy.data.is_empty() {
            return Ok(());
        }
        copy.data.put_i16(-1);
        // Prepared once: a `COPY` by its text would be parsed and closed
        // again each time, two more round trips.
        let statement = self.statement(&copy.sql)?;
        let mut client = self.client.borrow_mut();
        let mut writer = client.copy_in(&statement)?;
        // In pieces, so that the server parses the first while the rest go.
        let sent = copy
            .data
            .chunks(COPY_PIECE)
            .try_for_each(|piece| writer.write_all(piece));
        copy.data.clear();
        match sent {
            Ok(()) => writer.finish().map(drop).map_err(SqlError::from),
            // The writer fails only with the connection's error, wrapped
            // (`io::Error::other`); dropping it aborts the COPY.
            Err(e) => Err(SqlError::from(
                *e.into_inner()
                    .and_then(|e| e.downcast::<postgres::Error>().ok())
                    .expect("CopyInWriter fails with a postgres::Error"),
            )),
        }
    }
}

/// A whole number in NUMERIC's binary form.
fn numeric(n: i64, out: &mut bytes::BytesMut) {
    let negative = n < 0;
    let mut magnitude = n.unsigned_abs();
    let mut digits = Vec::new();
    while magnitude > 0 {
        digits.push((magnitude % 10_000) as i16);
        magnitude /= 10_000;
    }
    digits.reverse();
    out.put_i16(digits.len() as i16);
    out.put_i16(digits.len().saturating_sub(1) as i16);
    out.put_u16(if negative { 0x4000 } else { 0 });
    out.put_u16(0);
    for digit in digits {
        out.put_i16(digit);
    }
}

impl<'a> FromSql<'a> for Value<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Value::Integer(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Integer(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT2 => Value::Integer(i64::from(i16::from_sql(ty, raw)?)),
            Type::OID => Value::Integer(i64::from(u32::from_sql(ty, raw)?)),
            Type::BOOL => Value::Integer(i64::from(bool::from_sql(ty, raw)?)),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f64::from(f32::from_sql(ty, raw)?)),
            Type::NUMERIC => whole_numeric(raw)?,
            Type::BYTEA => Value::Blob(raw),
            Type::JSONB => Value::Text(raw.get(1..).unwrap_or_default()),
            _ => Value::Text(raw),
        })
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Value::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A NUMERIC (what `sum` of BIGINT gives) as an integer when it is whole,
/// else as a real number.
fn whole_numeric(raw: &[u8]) -> Result<Value<'static>, BoxError> {
    let word = |at: usize| -> Result<i16, BoxError> {
        raw.get(at..at + 2)
            .map(|b| i16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "a truncated NUMERIC".into())
    };
    let (count, weight, sign) = (word(0)?, word(2)?, word(4)? as u16);
    if sign == 0xC000 {
        return Ok(Value::Real(f64::NAN));
    }
    let mut value: f64 = 0.0;
    let mut whole = true;
    for i in 0..count.max(0) as usize {
        let digit = f64::from(word(8 + 2 * i)?);
        let power = i32::from(weight) - i as i32;
        if power < 0 && digit != 0.0 {
            whole = false;
        }
        value += digit * 10_000f64.powi(power);
    }
    if sign == 0x4000 {
        value = -value;
    }
    Ok(if whole && value.abs() < 9.0e15 {
        Value::Integer(value as i64)
    } else {
        Value::Real(value)
    })
}

/// What a PostgreSQL error means to the store.
pub(crate) fn error_kind(e: &postgres::Error) -> ErrorKind {
    match e.code() {
        Some(code) if *code == SqlState::UNIQUE_VIOLATION => ErrorKind::UniqueViolation,
        Some(code)
            if *code == SqlState::INSUFFICIENT_PRIVILEGE
                || *code == SqlState::READ_ONLY_SQL_TRANSACTION =>
        {
            ErrorKind::PermissionDenied
        }
        Some(code)
            if *code == SqlState::CHECK_VIOLATION
                || *code == SqlState::FOREIGN_KEY_VIOLATION
                || *code == SqlState::NOT_NULL_VIOLATION =>
        {
            ErrorKind::ConstraintViolation
        }
        Some(code)
            if *code == SqlState::T_R_SERIALIZATION_FAILURE
                || *code == SqlState::T_R_DEADLOCK_DETECTED
                || *code == SqlState::LOCK_NOT_AVAILABLE =>
        {
            ErrorKind::Busy
        }
        _ => ErrorKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerics_round_trip() {
        for n in [0, 1, -1, 9_999, 10_000, 123_456_789, -987_654_321_012] {
            let mut out = bytes::BytesMut::new();
            numeric(n, &mut out);
            assert_eq!(whole_numeric(&out).unwrap(), Value::Integer(n), "{n}");
        }
    }
}
