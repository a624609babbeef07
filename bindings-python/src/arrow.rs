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
//! The register is read in one read transaction (`Register::for_each_asset_ordered`, in
//! `assets()`' order), on the calling thread with the GIL released, while a second thread
//! builds the batches; neither holds more than a batch of assets. No Python object is
//! made per row.

use std::fmt::Write as _;
use std::sync::Arc;
use std::sync::mpsc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Int64Builder, ListBuilder, StringBuilder,
    StringDictionaryBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, RecordBatch, RecordBatchIterator};
use arrow_schema::ffi::FFI_ArrowSchema;
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef, TimeUnit};
use daicho::{Asset, Cell, CellKind, Column};
use jiff::civil::Date;
use pyo3::exceptions::{PyImportError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

/// The most rows a batch builder reserves room for at once (`arrow_stream`'s default
/// `batch_size`).
const BATCH_ROWS: usize = 65_536;

/// Assets the reading thread hands over at a time.
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
    Code(StringDictionaryBuilder<Int32Type>),
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
            Shape::Code => Builder::Code(StringDictionaryBuilder::new()),
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
            Builder::Code(b) => b.append_null(),
            Builder::Flag(b) => b.append_null(),
            Builder::Int(b) => b.append_null(),
            Builder::Date(b) => b.append_null(),
            Builder::Time(b) => b.append_null(),
            Builder::List(b) => b.append_null(),
        }
    }

    fn append_text(&mut self, text: &str) -> Result<(), ArrowError> {
        match self {
            Builder::Text(b) => b.append_value(text),
            Builder::Code(b) => {
                b.append(text)?;
            }
            _ => self.append_null(),
        }
        Ok(())
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Code(b) => Arc::new(b.finish()),
            Builder::Flag(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Time(b) => Arc::new(b.finish()),
            Builder::List(b) => Arc::new(b.finish()),
        }
    }
}

/// Labels in place of codes (`labels="ja"` or `"en"`), as `to_records(labels=…)` gives.
pub(crate) type Labels<'p> = Option<(&'p daicho::Policy, daicho::Lang)>;

/// Builds record batches from assets, a row at a time.
struct BatchBuilder<'p> {
    schema: SchemaRef,
    builders: Vec<Builder>,
    rows: usize,
    capacity: usize,
    labels: Labels<'p>,
    scratch: String,
}

impl<'p> BatchBuilder<'p> {
    fn new(schema: SchemaRef, capacity: usize, labels: Labels<'p>) -> Self {
        BatchBuilder {
            builders: Self::builders(capacity),
            schema,
            rows: 0,
            capacity,
            labels,
            scratch: String::new(),
        }
    }

    fn builders(capacity: usize) -> Vec<Builder> {
        Column::ALL
            .iter()
            .map(|column| Builder::new(shape(column.kind()), capacity))
            .collect()
    }

    fn push(&mut self, asset: &Asset) -> Result<(), ArrowError> {
        for (builder, &column) in self.builders.iter_mut().zip(Column::ALL) {
            let cell = column.cell(asset);
            if let (Some((policy, lang)), Shape::Code) = (self.labels, shape(column.kind()))
                && !matches!(cell, Cell::Null)
            {
                builder.append_text(&daicho::display_value(policy, asset, column, lang))?;
                continue;
            }
            match (builder, cell) {
                (builder, Cell::Id(id)) => {
                    self.scratch.clear();
                    let _ = write!(self.scratch, "{id}");
                    builder.append_text(&self.scratch)?;
                }
                (builder, Cell::Text(text)) => builder.append_text(text)?,
                (builder, Cell::Level(level)) => builder.append_text(level.code())?,
                (builder, Cell::Retention(retention)) => builder.append_text(&retention.code())?,
                (Builder::Flag(b), Cell::Flag(flag)) => b.append_value(flag),
                // The register stores no count past `i64::MAX` (SQLite's integers).
                (Builder::Int(b), Cell::Count(n)) => b.append_option(i64::try_from(n).ok()),
                (Builder::Date(b), Cell::Date(date)) => {
                    b.append_value((date - EPOCH).get_days());
                }
                (Builder::Time(b), Cell::Timestamp(at)) => b.append_value(at.as_microsecond()),
                (Builder::List(b), Cell::Controls(set)) => {
                    for code in set {
                        let text = match self.labels {
                            Some((policy, lang)) => policy
                                .control(code.as_str())
                                .map_or(code.as_str(), |c| lang.pick(&c.ja, &c.en)),
                            None => code.as_str(),
                        };
                        b.values().append_value(text);
                    }
                    b.append(true);
                }
                (builder, Cell::Extra(extra)) if !extra.is_empty() => {
                    self.scratch.clear();
                    self.scratch.push('{');
                    for (i, (key, value)) in extra.iter().enumerate() {
                        if i > 0 {
                            self.scratch.push(',');
                        }
                        json_string(&mut self.scratch, key);
                        self.scratch.push(':');
                        json_string(&mut self.scratch, value);
                    }
                    self.scratch.push('}');
                    builder.append_text(&self.scratch)?;
                }
                // No value, or a cell kind this build does not know.
                (builder, _) => builder.append_null(),
            }
        }
        self.rows += 1;
        Ok(())
    }

    fn finish(&mut self) -> Result<RecordBatch, ArrowError> {
        let columns = self.builders.iter_mut().map(Builder::finish).collect();
        // Fresh builders with their full capacity (a finished builder keeps none).
        self.builders = Self::builders(self.capacity);
        self.rows = 0;
        RecordBatch::try_new(self.schema.clone(), columns)
    }
}

/// `text` as a JSON string.
fn json_string(out: &mut String, text: &str) {
    // A `&str` always serializes.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

/// Reads the assets `filter` selects, in `assets()`' order, into record batches of up to
/// `batch_rows` rows. The register is read on this thread (one read transaction) while a
/// second builds the batches. The outer error is the register's, the inner Arrow's.
pub(crate) fn read_batches(
    register: &daicho::Register,
    filter: &daicho::Filter,
    labels: Labels<'_>,
    batch_rows: usize,
) -> daicho::Result<Result<Vec<RecordBatch>, ArrowError>> {
    let schema = schema();
    let (chunks, received) = mpsc::sync_channel::<Vec<Asset>>(8);
    std::thread::scope(|scope| {
        let schema = schema.clone();
        let building = scope.spawn(move || {
            let mut builder = BatchBuilder::new(schema, batch_rows.min(BATCH_ROWS), labels);
            let mut batches = Vec::new();
            for chunk in received {
                for asset in &chunk {
                    builder.push(asset)?;
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
        let mut chunk = Vec::with_capacity(CHUNK);
        let read = register.for_each_asset_ordered(filter, |asset| {
            chunk.push(asset);
            if chunk.len() == CHUNK {
                // When the builder stopped (an Arrow error), its error is the one raised.
                if chunks.send(std::mem::take(&mut chunk)).is_err() {
                    return Err(daicho::Error::Corrupt {
                        what: "the Arrow batches were not built".to_owned(),
                    });
                }
            }
            Ok(())
        });
        let _ = chunks.send(chunk);
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
