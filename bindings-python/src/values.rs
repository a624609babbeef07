//! Conversions of the library's plain values into Python objects: ids,
//! dates, times and str reprs. A leaf: it uses no other module of the crate,
//! so every other module may use it.

use daicho::AssetId;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDate, PyDateTime, PyType, PyTzInfo};

static UUID_TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The `uuid.UUID` class.
pub(crate) fn uuid_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    UUID_TYPE.import(py, "uuid", "UUID")
}

/// An asset id as a `uuid.UUID`.
pub(crate) fn id_to_py(py: Python<'_>, id: AssetId) -> PyResult<Bound<'_, PyAny>> {
    UUID_TYPE
        .import(py, "uuid", "UUID")?
        .call1((id.to_string(),))
}

/// A date as a `datetime.date`.
pub(crate) fn date_to_py(py: Python<'_>, date: Date) -> PyResult<Bound<'_, PyDate>> {
    PyDate::new(py, date.year().into(), date.month() as u8, date.day() as u8)
}

static UTC: PyOnceLock<Py<PyTzInfo>> = PyOnceLock::new();

/// A timestamp as an aware `datetime.datetime` in UTC.
pub(crate) fn timestamp_to_py(py: Python<'_>, at: Timestamp) -> PyResult<Bound<'_, PyDateTime>> {
    let utc = UTC.get_or_try_init(py, || PyTzInfo::utc(py).map(|utc| utc.to_owned().unbind()))?;
    let t = TimeZone::UTC.to_datetime(at);
    PyDateTime::new(
        py,
        t.year().into(),
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
        (t.subsec_nanosecond() / 1000) as u32,
        Some(utc.bind(py)),
    )
}

/// A str literal as Python's `repr` writes it (enough for names: quotes and backslashes).
pub(crate) fn python_str_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}
