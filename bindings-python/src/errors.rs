//! The one place where library errors become Python exceptions.
//!
//! Every exception of the package derives from `daicho.DaichoError`, one subclass per
//! meaning, so that scripts catch what they can act on. The structured context of the
//! library's error (field, value, id, versions) is set as attributes on the exception.
//! File problems are Python's own `OSError` subclasses (`FileNotFoundError`,
//! `FileExistsError`, `PermissionError`), with `filename` set.

use pyo3::PyTypeInfo;
use pyo3::exceptions::PyOSError;
use pyo3::import_exception;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};

use crate::values::python_str_repr;
use daicho::mynumber::mask;

// The classes are Python's (`python/daicho/_errors.py`): a class made here could not
// derive from both `DaichoError` and `ValueError`.
import_exception!(daicho._errors, DaichoError);
import_exception!(daicho._errors, ValidationError);
import_exception!(daicho._errors, NotFoundError);
import_exception!(daicho._errors, ConflictError);
import_exception!(daicho._errors, CsvImportError);
import_exception!(daicho._errors, PolicyError);
import_exception!(daicho._errors, ServerError);

/// Converts a library error into the Python exception of its meaning: its
/// message is English, and attribute `message_ja` holds the Japanese one.
pub(crate) fn to_pyerr(py: Python<'_>, err: daicho::Error) -> PyErr {
    let message_ja = err.message(daicho::Lang::Ja);
    let built = build(py, err).unwrap_or_else(|failed| failed);
    match built.value(py).setattr("message_ja", message_ja) {
        Ok(()) => built,
        Err(failed) => failed,
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one arm per error variant: the whole mapping in one place"
)]
fn build(py: Python<'_>, err: daicho::Error) -> PyResult<PyErr> {
    use daicho::Error;

    let message = err.to_string();
    let none = || py.None().into_bound(py);
    let text = |s: &str| PyString::new(py, s).into_any();
    let uuid = |id: daicho::AssetId| crate::values::id_to_py(py, id);
    Ok(match err {
        Error::Invalid {
            field,
            value,
            reason,
        } => with_attrs::<ValidationError, _>(
            py,
            message,
            [
                ("field", text(field)),
                ("value", text(&value)),
                ("reason", text(&reason.en)),
                ("allowed", none()),
                ("suggestions", none()),
            ],
        )?,
        Error::UnknownValue {
            field,
            value,
            allowed,
            suggestions,
            ..
        } => with_attrs::<ValidationError, _>(
            py,
            message,
            [
                ("field", text(field)),
                ("value", text(&value)),
                (
                    "reason",
                    text(&format!("not one of {}", allowed.join(", "))),
                ),
                ("allowed", PyList::new(py, allowed)?.into_any()),
                ("suggestions", PyList::new(py, suggestions)?.into_any()),
            ],
        )?,
        Error::NotFound { id } => {
            // An asset's id as a `uuid.UUID`, as on every object; an exception's number
            // as its text.
            let id = match id.parse::<daicho::AssetId>() {
                Ok(asset) => uuid(asset)?,
                Err(_) => text(&id),
            };
            with_attrs::<NotFoundError, _>(py, message, [("id", id), ("name", none())])?
        }
        Error::AmbiguousName { name, matches: 0 } => {
            with_attrs::<NotFoundError, _>(py, message, [("id", none()), ("name", text(&name))])?
        }
        Error::AmbiguousName { name, .. } => with_attrs::<ValidationError, _>(
            py,
            message,
            [
                ("field", text("name")),
                ("value", text(&name)),
                (
                    "reason",
                    text("more than one asset has this name; use the id"),
                ),
                ("allowed", none()),
                ("suggestions", none()),
            ],
        )?,
        Error::Conflict {
            id,
            expected,
            actual,
        } => with_attrs::<ConflictError, _>(
            py,
            message,
            [
                ("id", uuid(id)?),
                ("expected", expected.into_pyobject(py)?.into_any()),
                ("actual", actual.into_pyobject(py)?.into_any()),
            ],
        )?,
        // A change to a disposed asset, a link that exists already, or a deletion of an
        // asset still linked: a conflict with the register's state rather than with a
        // version.
        Error::Disposed { id, .. }
        | Error::Link {
            from: id,
            exists: true,
            ..
        }
        | Error::Linked { id, .. } => with_attrs::<ConflictError, _>(
            py,
            message,
            [("id", uuid(id)?), ("expected", none()), ("actual", none())],
        )?,
        // An import whose assets changed since: no one asset is at fault.
        Error::ChangedSince { .. } => with_attrs::<ConflictError, _>(
            py,
            message,
            [("id", none()), ("expected", none()), ("actual", none())],
        )?,
        Error::PolicyRefused { name, .. } => {
            with_attrs::<PolicyError, _>(py, message, [("origin", text(&name))])?
        }
        Error::Link {
            from,
            exists: false,
            ..
        } => with_attrs::<NotFoundError, _>(py, message, [("id", uuid(from)?), ("name", none())])?,
        Error::AlreadyExists { path } => {
            os_error(py, std::io::ErrorKind::AlreadyExists, None, &message, &path)
        }
        Error::RefusedOutput { path, .. } => os_error(
            py,
            std::io::ErrorKind::PermissionDenied,
            None,
            &message,
            &path,
        ),
        Error::RegisterMissing { path } => {
            os_error(py, std::io::ErrorKind::NotFound, None, &message, &path)
        }
        Error::Io { path, source, .. } => os_error(
            py,
            source.kind(),
            source.raw_os_error(),
            &format!("{message}: {}", mask(&source.to_string())),
            &path,
        ),
        // The TOML parser's message quotes the file's line: masked like the library's own.
        Error::PolicyParse { origin, source } => with_attrs::<PolicyError, _>(
            py,
            format!("{message}: {}", mask(&source.to_string())),
            [("origin", text(&origin))],
        )?,
        Error::PolicyInvalid { origin, .. }
        | Error::PolicyTooLarge { origin, .. }
        | Error::UnknownPolicy { name: origin, .. } => {
            with_attrs::<PolicyError, _>(py, message, [("origin", text(&origin))])?
        }
        Error::Import { errors, total, .. } => {
            let issues = errors
                .iter()
                .map(|error| Bound::new(py, RowIssue::from(error)))
                .collect::<PyResult<Vec<_>>>()?;
            with_attrs::<CsvImportError, _>(
                py,
                message,
                [
                    ("errors", PyList::new(py, issues)?.into_any()),
                    ("total", total.into_pyobject(py)?.into_any()),
                ],
            )?
        }
        Error::Unencodable {
            column, character, ..
        } => with_attrs::<ValidationError, _>(
            py,
            message,
            [
                ("field", text(&column)),
                ("value", text(&character.to_string())),
                ("reason", text("the encoding cannot hold this character")),
                ("allowed", none()),
                ("suggestions", none()),
            ],
        )?,
        // The server's reach, or a file-only call: what a script can act on (retry, use a
        // file), unlike an unexpected database failure.
        Error::Server { .. } => ServerError::new_err(message),
        Error::Storage { source, .. } => DaichoError::new_err(format!("{message}: {source}")),
        // Not a register, a newer schema, a busy or corrupt file, and whatever the library
        // adds later: the base class, with the library's message.
        _ => DaichoError::new_err(message),
    })
}

/// An exception of type `E` with the message and the given attributes.
fn with_attrs<'py, E: PyTypeInfo, const N: usize>(
    py: Python<'py>,
    message: String,
    attributes: [(&str, Bound<'py, PyAny>); N],
) -> PyResult<PyErr> {
    let err = PyErr::new::<E, _>(message);
    let value = err.value(py);
    for (name, attribute) in attributes {
        value.setattr(name, attribute)?;
    }
    Ok(err)
}

/// An `OSError` whose subclass Python picks from the error number, with `filename` set.
fn os_error(
    py: Python<'_>,
    kind: std::io::ErrorKind,
    errno: Option<i32>,
    message: &str,
    path: &std::path::Path,
) -> PyErr {
    use pyo3::exceptions::{PyFileExistsError, PyFileNotFoundError, PyPermissionError};
    use std::io::ErrorKind;

    let filename = path.to_string_lossy().into_owned();
    // `OSError(errno, strerror, filename)` returns the subclass for the number.
    let errno = errno.unwrap_or(match kind {
        ErrorKind::NotFound => 2,
        ErrorKind::PermissionDenied => 13,
        ErrorKind::AlreadyExists => 17,
        _ => 0,
    });
    let args = (errno, message.to_owned(), filename);
    let err = match kind {
        ErrorKind::NotFound => PyFileNotFoundError::new_err(args),
        ErrorKind::AlreadyExists => PyFileExistsError::new_err(args),
        ErrorKind::PermissionDenied => PyPermissionError::new_err(args),
        _ => PyOSError::new_err(args),
    };
    // Normalize now, so that the exception is built while the message is at hand.
    let _ = err.value(py);
    err
}

/// The error for a call on a register after `close()` or the end of its `with` block.
pub(crate) fn closed() -> PyErr {
    DaichoError::new_err("the register is closed")
}

/// The error for a call on a register from the thread of a call still running on it
/// (a finalizer or `__eq__` run by Python during `to_records()`): waiting for the lock
/// would wait forever.
pub(crate) fn reentered() -> PyErr {
    DaichoError::new_err(
        "the register is in use by a call on this thread (a finalizer or `__eq__` called it \
         during `to_records()`); call it again once that call returns",
    )
}

/// A `ValidationError` for a value the bindings refuse before the library sees it.
pub(crate) fn invalid(
    field: &'static str,
    value: impl Into<String>,
    ja: &str,
    en: &str,
) -> daicho::Error {
    daicho::Error::Invalid {
        field,
        value: value.into(),
        reason: daicho::Localized::new(ja, en),
    }
}

/// Extension for library results: `.py(py)?` raises the matching exception.
pub(crate) trait IntoPyResult<T> {
    /// Maps the library's error to its Python exception.
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for daicho::Result<T> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|err| to_pyerr(py, err))
    }
}

/// One problem or warning in an imported CSV file: where it is and why.
#[pyclass(frozen, module = "daicho", name = "RowIssue")]
#[derive(Debug, Clone)]
pub(crate) struct RowIssue {
    /// The file (its path).
    #[pyo3(get)]
    file: String,
    /// The row as Excel numbers it, from 1 (title rows count; a cell with line
    /// breaks is one row).
    #[pyo3(get)]
    row: u64,
    /// The line of the file the row starts on, from 1.
    #[pyo3(get)]
    line: u64,
    /// The name of the asset the row describes, when it has one.
    #[pyo3(get)]
    asset: Option<String>,
    /// The column as its header is written in the file; None for the whole row.
    #[pyo3(get)]
    column: Option<String>,
    /// The cell as written (empty for a whole-row problem).
    #[pyo3(get)]
    value: String,
    /// What is wrong, or what deserves a look.
    #[pyo3(get)]
    reason: String,
    /// The row's index in the rows given to `import_records` (None for a file, and for
    /// the header).
    #[pyo3(get)]
    index: Option<u64>,
    /// The same in Japanese.
    #[pyo3(get)]
    reason_ja: String,
    /// The library's one-line description.
    text: String,
}

/// The file name `import_records` gives its sheet, which no path has: its rows are
/// reported by index.
pub(crate) const RECORDS_FILE: &str = "<records>";

/// A row's index among records (the sheet's row less the header's), and the
/// description starting with it instead of the sheet's row.
fn record_index(file: &str, row: u64, text: String) -> (Option<u64>, String) {
    if file != RECORDS_FILE || row < 2 {
        return (None, text);
    }
    let index = row - 2;
    let sheet_prefix = format!("{file} row {row}");
    let text = match text.strip_prefix(&sheet_prefix) {
        Some(rest) => format!("row index {index}{rest}"),
        None => text,
    };
    (Some(index), text)
}

impl From<&daicho::sheet::RowError> for RowIssue {
    fn from(error: &daicho::sheet::RowError) -> Self {
        let (index, text) = record_index(&error.file, error.row, error.to_string());
        RowIssue {
            index,
            text,
            file: error.file.clone(),
            row: error.row,
            line: error.line,
            asset: error.asset.clone(),
            column: error.column.clone(),
            value: error.value.clone(),
            reason: error.reason.en.clone(),
            reason_ja: error.reason.ja.clone(),
        }
    }
}

impl From<&daicho::sheet::RowWarning> for RowIssue {
    fn from(warning: &daicho::sheet::RowWarning) -> Self {
        let (index, text) = record_index(&warning.file, warning.row, warning.to_string());
        RowIssue {
            index,
            text,
            file: warning.file.clone(),
            row: warning.row,
            line: warning.line,
            asset: warning.asset.clone(),
            column: Some(warning.column.clone()),
            value: warning.value.clone(),
            reason: warning.reason.en.clone(),
            reason_ja: warning.reason.ja.clone(),
        }
    }
}

#[pymethods]
impl RowIssue {
    fn __str__(&self) -> &str {
        &self.text
    }

    fn __repr__(&self) -> String {
        format!(
            "RowIssue(row={}, column={}, value={}, reason={})",
            self.row,
            self.column
                .as_deref()
                .map_or_else(|| "None".to_owned(), python_str_repr),
            python_str_repr(&self.value),
            python_str_repr(&self.reason),
        )
    }
}
