//! `Register.import_records`: rows of dicts (or a pandas or polars `DataFrame`) imported
//! through the library's sheet import, so that records may do exactly what a sheet may,
//! atomically, with the same checks and messages.
//!
//! The rows become a CSV sheet in memory: one column per key (the column table's English
//! keys are sheet headers), and one per extra attribute of the `extra` dicts. Values are
//! written as a sheet cell holds them: sequences joined with `;`, whole floats (`71405.0`,
//! what a `DataFrame` makes of a count column with gaps) as integers, None, `NaN`, `NaT` and `NA`
//! as empty cells, dates and times in ISO form. The importer's errors name the sheet row,
//! which is the row's index plus 2 (the header is row 1): `RowIssue.index` gives it back.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

/// The sheet the rows make, as CSV bytes.
pub(crate) fn sheet_from_records(rows: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    let rows = as_dicts(rows)?;
    let mut header: Vec<String> = Vec::new();
    let mut cells: Vec<Vec<(usize, String)>> = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let mut row_cells = Vec::new();
        for (key, value) in row.iter() {
            let key = key_text(index, &key)?;
            if key == "extra" {
                for (name, value) in extra_items(index, &value)? {
                    row_cells.push((column(&mut header, &name), value));
                }
                continue;
            }
            let text = cell_text(index, &key, &value)?;
            row_cells.push((column(&mut header, &key), text));
        }
        cells.push(row_cells);
    }
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let failed = |e: csv::Error| PyTypeError::new_err(format!("could not write the rows: {e}"));
    out.write_record(&header).map_err(failed)?;
    let mut line = vec![String::new(); header.len()];
    for row in cells {
        line.iter_mut().for_each(String::clear);
        for (position, text) in row {
            line[position] = text;
        }
        out.write_record(&line).map_err(failed)?;
    }
    out.into_inner()
        .map_err(|e| PyTypeError::new_err(format!("could not write the rows: {e}")))
}

/// The rows as dicts: a list (or any iterable) of mappings, or a pandas or polars
/// `DataFrame`.
fn as_dicts<'py>(rows: &Bound<'py, PyAny>) -> PyResult<Vec<Bound<'py, PyDict>>> {
    // polars: `to_dicts()`; pandas: `to_dict("records")`, with native Python values.
    let rows = if rows.hasattr("to_dicts")? && rows.hasattr("schema")? {
        rows.call_method0("to_dicts")?
    } else if rows.hasattr("to_dict")? && rows.hasattr("columns")? {
        rows.call_method1("to_dict", ("records",))?
    } else {
        rows.clone()
    };
    if rows.is_instance_of::<PyDict>() || rows.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "`rows` takes a list of dicts or a DataFrame, not one dict",
        ));
    }
    let items = rows.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "`rows` takes a list of dicts or a DataFrame, not `{}`",
            type_name(&rows)
        ))
    })?;
    let mut dicts = Vec::new();
    for (index, item) in items.enumerate() {
        let item = item?;
        let dict = match item.cast::<PyDict>() {
            Ok(dict) => dict.clone(),
            // Any other mapping (a row of another library) as a dict.
            Err(_) => PyDict::from_sequence(&item.call_method0("items").map_err(|_| {
                PyTypeError::new_err(format!(
                    "`rows[{index}]` is a `{}`, not a dict",
                    type_name(&item)
                ))
            })?)?,
        };
        dicts.push(dict);
    }
    Ok(dicts)
}

/// The position of a header, added at the end when new.
fn column(header: &mut Vec<String>, name: &str) -> usize {
    if let Some(position) = header.iter().position(|h| h == name) {
        return position;
    }
    header.push(name.to_owned());
    header.len() - 1
}

fn key_text(index: usize, key: &Bound<'_, PyAny>) -> PyResult<String> {
    key.extract::<String>().map_err(|_| {
        PyTypeError::new_err(format!(
            "`rows[{index}]` has a key that is a `{}`, not a str",
            type_name(key)
        ))
    })
}

/// A row's extra attributes (`extra`: a dict, or None for none) as (name, text) pairs.
fn extra_items(index: usize, value: &Bound<'_, PyAny>) -> PyResult<Vec<(String, String)>> {
    if is_missing(value)? {
        return Ok(Vec::new());
    }
    let Ok(dict) = value.cast::<PyDict>() else {
        return Err(PyTypeError::new_err(format!(
            "`rows[{index}][\"extra\"]` takes a dict of the extra attributes, not `{}`",
            type_name(value)
        )));
    };
    dict.iter()
        .map(|(name, value)| {
            let name = key_text(index, &name)?;
            let text = cell_text(index, &name, &value)?;
            Ok((name, text))
        })
        .collect()
}

/// True for a value that stands for no value: None, `NaN`, and pandas' `NaT` and `NA`.
fn is_missing(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    if value.is_none() {
        return Ok(true);
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        return Ok(float.value().is_nan());
    }
    let name = value.get_type().name()?;
    Ok(matches!(name.to_cow()?.as_ref(), "NaTType" | "NAType"))
}

/// A value as a sheet cell holds it.
fn cell_text(index: usize, key: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    if is_missing(value)? {
        return Ok(String::new());
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(text.to_cow()?.into_owned());
    }
    if value.is_instance_of::<PyBool>() {
        return Ok(if value.is_truthy()? { "true" } else { "false" }.to_owned());
    }
    if value.is_instance_of::<PyInt>() {
        return Ok(value.str()?.to_cow()?.into_owned());
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        let number = float.value();
        // A whole float is a count a DataFrame widened; any other stays as written,
        // for the importer to refuse with its reason.
        return Ok(
            if number.is_finite() && number.fract() == 0.0 && number.abs() < 1e18 {
                format!("{number:.0}")
            } else {
                value.str()?.to_cow()?.into_owned()
            },
        );
    }
    if value.hasattr("isoformat")? {
        return value.call_method0("isoformat")?.extract();
    }
    if value.is_instance(crate::values::uuid_type(value.py())?)? {
        return Ok(value.str()?.to_cow()?.into_owned());
    }
    if value.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(format!(
            "`rows[{index}][{key:?}]` is a dict; only `extra` holds one"
        )));
    }
    // A sequence (a list, a tuple, a numpy array, a polars Series): its items as one
    // multi-valued cell.
    if let Ok(items) = value.try_iter() {
        let mut parts = Vec::new();
        for item in items {
            let item = item?;
            let part = item.extract::<String>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "`rows[{index}][{key:?}]` holds a `{}`; a sequence holds str codes",
                    type_name(&item)
                ))
            })?;
            parts.push(part);
        }
        return Ok(parts.join(";"));
    }
    Ok(value.str()?.to_cow()?.into_owned())
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |name| name.to_string())
}
