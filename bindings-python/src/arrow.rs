//! `Register.to_arrow()` and the frames built on it: the assets a filter selects as Arrow
//! record batches, handed to pyarrow, polars or any other Arrow library through the Arrow
//! C stream interface (`__arrow_c_stream__`, a `PyCapsule` named `arrow_array_stream`).
//!
//! The columns are `to_records()`'s, with its keys, in its order, from the library's column
//! table: the id and free text as `utf8`; codes of closed sets (kind, organization, the
//! levels, segment, medium, hosting, retention, exclusion reason) as dictionary-encoded
//! `utf8` (`int32` keys); flags as `bool`; counts and the version as `int64`; dates as
//! `date32`; times as `timestamp[us, tz=UTC]`; controls as `list<utf8>`; the extra
//! attributes as one `utf8` column of JSON text (an object, keys in the asset's order;
//! null when the asset has none).
//!
//! The register's stored values are read in one read transaction
//! (`Register::for_each_stored_rows`, in `assets()`' order, no `Asset` built), on the
//! calling thread with the GIL released, while a second thread builds the batches; the
//! reader holds one batch of rows at a time. Codes become dictionary keys as they come,
//! each distinct code of a batch looked up (and labelled) once. No Python object is made
//! per row.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::mpsc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Int32Builder, Int64Builder, ListBuilder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, RecordBatch, RecordBatchIterator};
use arrow_schema::ffi::FFI_ArrowSchema;
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use daicho::{CellKind, Column, StoredRow, StoredRows, StoredValue};
use jiff::civil::Date;
use pyo3::exceptions::{PyImportError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

/// The most rows a batch builder reserves room for at once (`arrow_stream`'s default
/// `batch_size`).
const BATCH_ROWS: usize = 65_536;

/// Rows the reading thread hands over at a time: with the two the channel holds, the
/// one being filled and the one being built from, at most four such batches are in flight
/// (about 1 MiB each for the benchmark's inventory; the library ends a batch early past
/// 4 MiB of text).
const CHUNK: usize = 1024;

/// The day Arrow's `date32` counts from.
const EPOCH: Date = Date::constant(1970, 1, 1);

/// How a column is stored in Arrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Text,
    Code,
    Flag,
    Int,
    Date,
    Time,
    List,
    Json,
}

fn shape(kind: CellKind) -> Shape {
    match kind {
        CellKind::Code | CellKind::PolicyCode | CellKind::Level => Shape::Code,
        CellKind::Flag => Shape::Flag,
        CellKind::Count | CellKind::Version => Shape::Int,
        CellKind::Date => Shape::Date,
        CellKind::Timestamp => Shape::Time,
        CellKind::Controls => Shape::List,
        CellKind::Extra => Shape::Json,
        // The id, free text, and any kind a later library adds: text.
        _ => Shape::Text,
    }
}

fn data_type(shape: Shape) -> DataType {
    match shape {
        Shape::Text | Shape::Json => DataType::Utf8,
        Shape::Code => DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        Shape::Flag => DataType::Boolean,
        Shape::Int => DataType::Int64,
        Shape::Date => DataType::Date32,
        Shape::Time => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        Shape::List => DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
    }
}

/// The schema of `to_arrow()`: a field per column of the column table, named by its key.
pub(crate) fn schema() -> SchemaRef {
    Arc::new(Schema::new(
        Column::ALL
            .iter()
            .map(|column| Field::new(column.key(), data_type(shape(column.kind())), true))
            .collect::<Vec<_>>(),
    ))
}

/// One column's builder.
enum Builder {
    Text(StringBuilder),
    Code(CodeBuilder),
    Flag(BooleanBuilder),
    Int(Int64Builder),
    Date(Date32Builder),
    Time(TimestampMicrosecondBuilder),
    List(ListBuilder<StringBuilder>),
}

impl Builder {
    fn new(shape: Shape, rows: usize) -> Self {
        match shape {
            Shape::Text | Shape::Json => {
                Builder::Text(StringBuilder::with_capacity(rows, rows * 8))
            }
            Shape::Code => Builder::Code(CodeBuilder::new(rows)),
            Shape::Flag => Builder::Flag(BooleanBuilder::with_capacity(rows)),
            Shape::Int => Builder::Int(Int64Builder::with_capacity(rows)),
            Shape::Date => Builder::Date(Date32Builder::with_capacity(rows)),
            Shape::Time => {
                Builder::Time(TimestampMicrosecondBuilder::with_capacity(rows).with_timezone("UTC"))
            }
            Shape::List => Builder::List(ListBuilder::new(StringBuilder::new())),
        }
    }

    fn append_null(&mut self) {
        match self {
            Builder::Text(b) => b.append_null(),
            Builder::Code(b) => b.keys.append_null(),
            Builder::Flag(b) => b.append_null(),
            Builder::Int(b) => b.append_null(),
            Builder::Date(b) => b.append_null(),
            Builder::Time(b) => b.append_null(),
            Builder::List(b) => b.append_null(),
        }
    }

    fn finish(&mut self) -> Result<ArrayRef, ArrowError> {
        Ok(match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Code(b) => b.finish()?,
            Builder::Flag(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Time(b) => Arc::new(b.finish()),
            Builder::List(b) => Arc::new(b.finish()),
        })
    }
}

/// A dictionary-encoded column of codes (or their labels), built from each code's index
/// in the batch's dictionary: a code is looked up among the few the batch has seen, and
/// only a code not seen yet is labelled and added.
struct CodeBuilder {
    keys: Int32Builder,
    values: StringBuilder,
    /// The codes seen in this batch and their keys (a column holds a few distinct codes,
    /// which a scan finds faster than a hash).
    codes: Vec<(Box<str>, i32)>,
    /// The dictionary's texts and their keys (two codes with one label share a key).
    texts: HashMap<String, i32>,
}

impl CodeBuilder {
    fn new(rows: usize) -> Self {
        CodeBuilder {
            keys: Int32Builder::with_capacity(rows),
            values: StringBuilder::new(),
            codes: Vec::new(),
            texts: HashMap::new(),
        }
    }

    fn append(&mut self, code: &str, label: impl FnOnce(&str) -> String) -> Result<(), ArrowError> {
        if let Some((_, key)) = self.codes.iter().find(|(seen, _)| seen.as_ref() == code) {
            self.keys.append_value(*key);
            return Ok(());
        }
        let text = label(code);
        let next =
            i32::try_from(self.texts.len()).map_err(|_| ArrowError::DictionaryKeyOverflowError)?;
        let key = *self.texts.entry(text).or_insert_with_key(|text| {
            self.values.append_value(text);
            next
        });
        self.codes.push((code.into(), key));
        self.keys.append_value(key);
        Ok(())
    }

    fn finish(&mut self) -> Result<ArrayRef, ArrowError> {
        self.codes.clear();
        self.texts.clear();
        let array = DictionaryArray::<Int32Type>::try_new(
            self.keys.finish(),
            Arc::new(self.values.finish()),
        )?;
        Ok(Arc::new(array))
    }
}

/// Labels in place of codes (`labels="ja"` or `"en"`), as `to_records(labels=…)` gives.
pub(crate) type Labels<'p> = Option<(&'p daicho::Policy, daicho::Lang)>;

/// The labels of the codes met so far, each looked up once.
struct LabelCache<'p> {
    labels: Labels<'p>,
    known: HashMap<(Column, String), String>,
}

impl LabelCache<'_> {
    fn get(&mut self, column: Column, code: &str) -> String {
        let Some((policy, lang)) = self.labels else {
            return code.to_owned();
        };
        self.known
            .entry((column, code.to_owned()))
            .or_insert_with(|| daicho::code_label(policy, column, code, lang))
            .clone()
    }

    /// A control's label, borrowed from the cache (a row may name several); `None`
    /// without labels.
    fn control(&mut self, code: &str) -> Option<&str> {
        let (policy, lang) = self.labels?;
        let label = self
            .known
            .entry((Column::Controls, code.to_owned()))
            .or_insert_with(|| daicho::code_label(policy, Column::Controls, code, lang));
        Some(label.as_str())
    }
}

/// Builds record batches from the register's stored values, a row at a time.
struct BatchBuilder<'p> {
    schema: SchemaRef,
    shapes: Vec<Shape>,
    builders: Vec<Builder>,
    rows: usize,
    capacity: usize,
    labels: LabelCache<'p>,
    scratch: String,
}

impl<'p> BatchBuilder<'p> {
    fn new(schema: SchemaRef, capacity: usize, labels: Labels<'p>) -> Self {
        BatchBuilder {
            builders: Self::builders(capacity),
            shapes: Column::ALL
                .iter()
                .map(|column| shape(column.kind()))
                .collect(),
            schema,
            rows: 0,
            capacity,
            labels: LabelCache {
                labels,
                known: HashMap::new(),
            },
            scratch: String::new(),
        }
    }

    fn builders(capacity: usize) -> Vec<Builder> {
        Column::ALL
            .iter()
            .map(|column| Builder::new(shape(column.kind()), capacity))
            .collect()
    }

    fn push(&mut self, row: &StoredRow<'_>) -> Result<(), ArrowError> {
        for ((builder, &column), &shape) in
            self.builders.iter_mut().zip(Column::ALL).zip(&self.shapes)
        {
            match (builder, row.get(column)) {
                (Builder::List(b), value) => {
                    // Controls: codes joined by `;`; none is an empty list, never null.
                    if let StoredValue::Text(codes) = value {
                        for code in codes.split(';').filter(|code| !code.is_empty()) {
                            let text = self.labels.control(code).unwrap_or(code);
                            b.values().append_value(text);
                        }
                    }
                    b.append(true);
                }
                (Builder::Text(b), StoredValue::Id(id)) => {
                    self.scratch.clear();
                    let _ = write!(self.scratch, "{id}");
                    b.append_value(&self.scratch);
                }
                (Builder::Text(b), StoredValue::Text(text)) if shape == Shape::Json => {
                    append_extra(b, &mut self.scratch, column, text)?;
                }
                (Builder::Text(b), StoredValue::Text(text)) => b.append_value(text),
                (Builder::Code(b), StoredValue::Text(code)) => {
                    let labels = &mut self.labels;
                    b.append(code, |code| labels.get(column, code))?;
                }
                (Builder::Flag(b), StoredValue::Integer(n)) => b.append_value(n != 0),
                (Builder::Int(b), StoredValue::Integer(n)) => b.append_value(n),
                (Builder::Date(b), StoredValue::Text(text)) => {
                    b.append_value(date32(text).ok_or_else(|| not_stored(column, text))?);
                }
                (Builder::Time(b), StoredValue::Text(text)) => {
                    let at: jiff::Timestamp = text.parse().map_err(|_| not_stored(column, text))?;
                    b.append_value(at.as_microsecond());
                }
                // No value, a value of a kind this column does not store, or one a later
                // library adds.
                (builder, _) => builder.append_null(),
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn finish(&mut self) -> Result<RecordBatch, ArrowError> {
        let columns = self
            .builders
            .iter_mut()
            .map(Builder::finish)
            .collect::<Result<Vec<_>, _>>()?;
        // Fresh builders with their full capacity (a finished builder keeps none).
        self.builders = Self::builders(self.capacity);
        self.rows = 0;
        RecordBatch::try_new(self.schema.clone(), columns)
    }
}

/// A stored value the column cannot hold (a row `verify` would find changed).
fn not_stored(column: Column, text: &str) -> ArrowError {
    ArrowError::ParseError(format!("{}: `{text}` is not a stored value", column.key()))
}

/// A stored ISO date (`2025-04-01`) as days since 1970-01-01.
fn date32(text: &str) -> Option<i32> {
    let date: Date = match text.as_bytes() {
        [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1]
            if [y0, y1, y2, y3, m0, m1, d0, d1]
                .iter()
                .all(|b| b.is_ascii_digit()) =>
        {
            let digit = |b: &u8| i16::from(b - b'0');
            let year = digit(y0) * 1000 + digit(y1) * 100 + digit(y2) * 10 + digit(y3);
            let month = i8::try_from(digit(m0) * 10 + digit(m1)).ok()?;
            let day = i8::try_from(digit(d0) * 10 + digit(d1)).ok()?;
            Date::new(year, month, day).ok()?
        }
        _ => text.parse().ok()?,
    };
    Some((date - EPOCH).get_days())
}

/// The stored extra attributes (a JSON array of `[key, value]` pairs) as the JSON object
/// `to_arrow()` gives (keys in the asset's order; null when there is none).
fn append_extra(
    b: &mut StringBuilder,
    scratch: &mut String,
    column: Column,
    stored: &str,
) -> Result<(), ArrowError> {
    let extra: daicho::Extra = serde_json::from_str::<Vec<(String, String)>>(stored)
        .map_err(|_| not_stored(column, stored))?
        .into_iter()
        .collect();
    if extra.is_empty() {
        b.append_null();
        return Ok(());
    }
    scratch.clear();
    scratch.push('{');
    for (i, (key, value)) in extra.iter().enumerate() {
        if i > 0 {
            scratch.push(',');
        }
        json_string(scratch, key);
        scratch.push(':');
        json_string(scratch, value);
    }
    scratch.push('}');
    b.append_value(scratch.as_str());
    Ok(())
}

/// `text` as a JSON string.
fn json_string(out: &mut String, text: &str) {
    // A `&str` always serializes.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

/// Reads the assets `filter` selects, in `assets()`' order, into record batches of up to
/// `batch_rows` rows. The register's stored values are read on this thread (one read
/// transaction, `Register::for_each_stored_rows`) while a second builds the batches. The
/// outer error is the register's, the inner Arrow's.
pub(crate) fn read_batches(
    register: &daicho::Register,
    filter: &daicho::Filter,
    labels: Labels<'_>,
    batch_rows: usize,
) -> daicho::Result<Result<Vec<RecordBatch>, ArrowError>> {
    let schema = schema();
    let (chunks, received) = mpsc::sync_channel::<StoredRows>(2);
    std::thread::scope(|scope| {
        let schema = schema.clone();
        let building = scope.spawn(move || {
            let mut builder = BatchBuilder::new(schema, batch_rows.min(BATCH_ROWS), labels);
            let mut batches = Vec::new();
            for chunk in received {
                for row in chunk.rows() {
                    builder.push(&row)?;
                    if builder.rows == batch_rows {
                        batches.push(builder.finish()?);
                    }
                }
            }
            if builder.rows > 0 {
                batches.push(builder.finish()?);
            }
            Ok(batches)
        });
        let read = register.for_each_stored_rows(filter, CHUNK, |chunk| {
            // When the builder stopped (an Arrow error), its error is the one raised.
            chunks.send(chunk).map_err(|_| daicho::Error::Corrupt {
                what: "the Arrow batches were not built".to_owned(),
            })
        });
        drop(chunks);
        let built = building
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match (read, built) {
            (_, Err(err)) => Ok(Err(err)),
            (Err(err), Ok(_)) => Err(err),
            (Ok(()), Ok(batches)) => Ok(Ok(batches)),
        }
    })
}

/// An Arrow error as a Python exception (building arrays of valid assets does not fail).
pub(crate) fn arrow_err(err: &ArrowError) -> PyErr {
    PyValueError::new_err(format!(
        "Arrow の表を作れませんでした (the Arrow table could not be built): {err}"
    ))
}

/// The assets of one `Register.arrow_stream()` call as Arrow record batches, for any
/// library that reads the Arrow `PyCapsule` interface: `pyarrow.table(stream)`,
/// `polars.DataFrame(stream)`, `duckdb`, `nanoarrow`…
#[pyclass(frozen, module = "daicho", name = "ArrowStream")]
pub(crate) struct ArrowStream {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl ArrowStream {
    pub(crate) fn new(batches: Vec<RecordBatch>) -> Self {
        ArrowStream {
            schema: schema(),
            batches,
        }
    }
}

#[pymethods]
impl ArrowStream {
    /// The batches as an `ArrowArrayStream` in a `PyCapsule` (the Arrow `PyCapsule`
    /// interface); each call streams them from the first. `requested_schema` is not
    /// applied: the stream always has the schema of `__arrow_c_schema__`.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let reader = RecordBatchIterator::new(
            self.batches.clone().into_iter().map(Ok),
            self.schema.clone(),
        );
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }

    /// The schema as an `ArrowSchema` in a `PyCapsule`.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyCapsule>> {
        let schema = FFI_ArrowSchema::try_from(self.schema.as_ref()).map_err(|e| arrow_err(&e))?;
        PyCapsule::new_with_value(py, schema, c"arrow_schema")
    }

    /// The number of rows.
    fn __len__(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// The number of record batches.
    #[getter]
    fn num_batches(&self) -> usize {
        self.batches.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowStream(rows={}, batches={})",
            self.__len__(),
            self.batches.len()
        )
    }
}

/// Imports an optional dependency, or raises an `ImportError` naming the extra that
/// installs it.
pub(crate) fn import_extra<'py>(
    py: Python<'py>,
    module: &str,
    method: &str,
    extra: &str,
) -> PyResult<Bound<'py, PyModule>> {
    py.import(module).map_err(|cause| {
        let err = PyImportError::new_err(format!(
            "{method}() には {module} が必要です。pip install 'daicho[{extra}]' で入れてください \
             ({method}() needs {module}: install it with pip install 'daicho[{extra}]')"
        ));
        err.set_cause(py, Some(cause));
        err
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_dates_read_as_jiff_reads_them() {
        let mut day = Date::constant(1899, 12, 25);
        while day < Date::constant(2101, 1, 10) {
            let text = day.to_string();
            assert_eq!(date32(&text), Some((day - EPOCH).get_days()), "{text}");
            day = day.tomorrow().unwrap();
        }
        for bad in ["2025-02-29", "2025-13-01", "2025-1-01", "令和7年4月1日", ""] {
            assert_eq!(date32(bad), None, "{bad}");
        }
    }
}
