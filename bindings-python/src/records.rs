//! Assets as plain dicts, the rows of `Register.to_records()`.
//!
//! The keys are those of the library's `AssetRecord` (the JSON wire format), in its
//! order. The values are plain Python values: codes and the id as `str`, flags as
//! `bool`, counts as `int`, dates as `datetime.date`, times as aware `datetime.datetime`
//! in UTC, controls as a `list` of codes and the extra attributes as a `dict`.
//!
//! Listing many assets is dominated by making Python objects, so the keys are interned
//! once and every value that repeats across rows (codes, departments, dates, times)
//! is made once per call and shared.

use std::collections::HashMap;
use std::hash::Hash;

use daicho::Asset;
use jiff::Timestamp;
use jiff::civil::Date;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString};

use crate::convert::{date_to_py, timestamp_to_py};

/// Python objects made once per call and shared by every row.
#[derive(Default)]
pub(crate) struct Cache<'a, 'py> {
    texts: HashMap<&'a str, Bound<'py, PyAny>>,
    dates: HashMap<Date, Bound<'py, PyAny>>,
    times: HashMap<Timestamp, Bound<'py, PyAny>>,
    retention: HashMap<daicho::Retention, Bound<'py, PyAny>>,
}

impl<'a, 'py> Cache<'a, 'py> {
    fn text(&mut self, py: Python<'py>, text: &'a str) -> Bound<'py, PyAny> {
        shared(&mut self.texts, text, || {
            Ok(PyString::new(py, text).into_any())
        })
        .unwrap_or_else(|_| PyString::new(py, text).into_any())
    }

    fn opt_text(&mut self, py: Python<'py>, text: Option<&'a str>) -> Bound<'py, PyAny> {
        match text {
            Some(text) => self.text(py, text),
            None => py.None().into_bound(py),
        }
    }

    fn date(&mut self, py: Python<'py>, date: Option<Date>) -> PyResult<Bound<'py, PyAny>> {
        match date {
            Some(date) => shared(&mut self.dates, date, || {
                date_to_py(py, date).map(Bound::into_any)
            }),
            None => Ok(py.None().into_bound(py)),
        }
    }

    fn time(&mut self, py: Python<'py>, at: Timestamp) -> PyResult<Bound<'py, PyAny>> {
        shared(&mut self.times, at, || {
            timestamp_to_py(py, at).map(Bound::into_any)
        })
    }

    fn retention(
        &mut self,
        py: Python<'py>,
        retention: Option<daicho::Retention>,
    ) -> Bound<'py, PyAny> {
        match retention {
            Some(retention) => shared(&mut self.retention, retention, || {
                Ok(PyString::new(py, &retention.code()).into_any())
            })
            .unwrap_or_else(|_| py.None().into_bound(py)),
            None => py.None().into_bound(py),
        }
    }
}

fn shared<'py, K: Hash + Eq>(
    map: &mut HashMap<K, Bound<'py, PyAny>>,
    key: K,
    make: impl FnOnce() -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    if let Some(value) = map.get(&key) {
        return Ok(value.clone());
    }
    let value = make()?;
    map.insert(key, value.clone());
    Ok(value)
}

/// One asset as a dict; `cache` is shared by the rows of one call.
pub(crate) fn asset_record<'a, 'py>(
    py: Python<'py>,
    asset: &'a Asset,
    cache: &mut Cache<'a, 'py>,
) -> PyResult<Bound<'py, PyDict>> {
    let f = &asset.fields;
    let hosting = f.hosting.as_ref();
    let disposal = f.disposal.as_ref();
    let flag = |value: bool| PyBool::new(py, value).to_owned().into_any();
    let dict = PyDict::new(py);
    dict.set_item(intern!(py, "id"), asset.id.to_string())?;
    dict.set_item(intern!(py, "kind"), cache.text(py, f.kind.code()))?;
    dict.set_item(intern!(py, "name"), f.name.as_str())?;
    dict.set_item(
        intern!(py, "organization"),
        cache.text(py, f.organization.as_str()),
    )?;
    dict.set_item(intern!(py, "department"), cache.text(py, &f.department))?;
    dict.set_item(
        intern!(py, "manager"),
        cache.opt_text(py, f.manager.as_deref()),
    )?;
    dict.set_item(
        intern!(py, "confidentiality"),
        cache.text(py, f.classification.confidentiality.code()),
    )?;
    dict.set_item(
        intern!(py, "integrity"),
        cache.text(py, f.classification.integrity.code()),
    )?;
    dict.set_item(
        intern!(py, "availability"),
        cache.text(py, f.classification.availability.code()),
    )?;
    dict.set_item(
        intern!(py, "segment"),
        cache.opt_text(py, f.segment.map(daicho::Segment::code)),
    )?;
    dict.set_item(
        intern!(py, "medium"),
        cache.opt_text(py, f.medium.map(daicho::Medium::code)),
    )?;
    dict.set_item(
        intern!(py, "location"),
        cache.opt_text(py, f.location.as_deref()),
    )?;
    dict.set_item(intern!(py, "personal"), flag(f.personal_data.personal))?;
    dict.set_item(intern!(py, "sensitive"), flag(f.personal_data.sensitive))?;
    dict.set_item(intern!(py, "my_number"), flag(f.personal_data.my_number))?;
    dict.set_item(intern!(py, "record_count"), f.record_count)?;
    let controls = PyList::empty(py);
    for control in &f.controls {
        controls.append(cache.text(py, control.as_str()))?;
    }
    dict.set_item(intern!(py, "controls"), controls)?;
    dict.set_item(
        intern!(py, "hosting"),
        cache.opt_text(py, hosting.map(|h| h.kind.code())),
    )?;
    dict.set_item(
        intern!(py, "provider"),
        cache.opt_text(py, hosting.and_then(|h| h.provider.as_deref())),
    )?;
    dict.set_item(
        intern!(py, "contract"),
        cache.opt_text(py, hosting.and_then(|h| h.contract.as_deref())),
    )?;
    dict.set_item(intern!(py, "retention"), cache.retention(py, f.retention))?;
    dict.set_item(
        intern!(py, "exclusion_reason"),
        cache.opt_text(py, f.scope.exclusion().map(daicho::ExclusionCode::as_str)),
    )?;
    dict.set_item(intern!(py, "reviewed_on"), cache.date(py, f.reviewed_on)?)?;
    dict.set_item(
        intern!(py, "disposed_on"),
        cache.date(py, disposal.map(|d| d.date))?,
    )?;
    dict.set_item(
        intern!(py, "disposed_by"),
        cache.opt_text(py, disposal.map(|d| d.person.as_str())),
    )?;
    dict.set_item(
        intern!(py, "disposal_method"),
        cache.opt_text(py, disposal.and_then(|d| d.method.as_deref())),
    )?;
    dict.set_item(
        intern!(py, "disposal_approver"),
        cache.opt_text(py, disposal.and_then(|d| d.approver.as_deref())),
    )?;
    dict.set_item(
        intern!(py, "disposal_certificate"),
        disposal.and_then(|d| d.certificate.as_deref()),
    )?;
    dict.set_item(intern!(py, "notes"), f.notes.as_deref())?;
    let extra = PyDict::new(py);
    for (key, value) in f.extra.iter() {
        extra.set_item(cache.text(py, key), value)?;
    }
    dict.set_item(intern!(py, "extra"), extra)?;
    dict.set_item(intern!(py, "version"), asset.version)?;
    dict.set_item(intern!(py, "created_at"), cache.time(py, asset.created_at)?)?;
    dict.set_item(intern!(py, "updated_at"), cache.time(py, asset.updated_at)?)?;
    Ok(dict)
}

/// Every asset as a dict, in the order given.
pub(crate) fn asset_records<'py>(
    py: Python<'py>,
    assets: &[Asset],
) -> PyResult<Bound<'py, PyList>> {
    let mut cache = Cache::default();
    let rows = assets
        .iter()
        .map(|asset| asset_record(py, asset, &mut cache))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, rows)
}

/// Every link as a dict of `from`, `relation`, `to` and `sanitization`.
pub(crate) fn link_records<'py>(
    py: Python<'py>,
    links: &[daicho::Link],
) -> PyResult<Bound<'py, PyList>> {
    let mut cache = Cache::default();
    let rows = links
        .iter()
        .map(|link| {
            let dict = PyDict::new(py);
            dict.set_item(intern!(py, "from"), link.from.to_string())?;
            dict.set_item(
                intern!(py, "relation"),
                cache.text(py, link.relation.code()),
            )?;
            dict.set_item(intern!(py, "to"), link.to.to_string())?;
            dict.set_item(
                intern!(py, "sanitization"),
                cache.opt_text(py, link.sanitization.map(daicho::Sanitization::code)),
            )?;
            Ok(dict)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, rows)
}
