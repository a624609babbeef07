//! Assets as plain dicts, the rows of `Register.to_records()`.
//!
//! The keys are those of the library's `AssetRecord` (the JSON wire format), in its
//! order. The values are plain Python values: codes and the id as `str`, flags as
//! `bool`, counts as `int`, dates as `datetime.date`, times as aware `datetime.datetime`
//! in UTC, controls as a `tuple` of codes, and the extra (city-specific) attributes as a
//! `dict`, or None when the asset has none.
//!
//! Listing many assets is dominated by making Python objects, so the keys are interned
//! once, each row starts as a copy of a template dict that has every key already (no
//! resizing while it fills), and every value that repeats across rows (codes,
//! departments, control sets, dates, times) is made once per call and shared.
//!
//! A row holds no list or dict unless the asset has extra attributes, so that Python's
//! cycle collector can leave the rows alone (as it does the rows of `sqlite3`): walking
//! 100,000 tracked dicts again and again would cost more than building them.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::sync::{Mutex, PoisonError};

use daicho::{Asset, Cell, CellKind, Column};
use jiff::Timestamp;
use jiff::civil::Date;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyList, PyString, PyTuple};

use crate::values::{date_to_py, timestamp_to_py};

/// The cache's keys are short and come from the register: a fast hash beats a
/// DoS-proof one.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Python objects made once per call and shared by every row.
#[derive(Default)]
pub(crate) struct Cache<'py> {
    template: Option<Bound<'py, PyDict>>,
    /// The keys, interned, in [`Column::ALL`]'s order.
    keys: Vec<Bound<'py, PyString>>,
    texts: FastMap<Box<str>, Bound<'py, PyAny>>,
    codes: FastMap<(usize, usize), Bound<'py, PyAny>>,
    controls: FastMap<Box<str>, Bound<'py, PyAny>>,
    scratch: String,
    dates: FastMap<Date, Bound<'py, PyAny>>,
    last_time: Option<(Timestamp, Bound<'py, PyAny>)>,
    retention: FastMap<daicho::Retention, Bound<'py, PyAny>>,
}

impl<'py> Cache<'py> {
    /// A new row: a copy of a dict that holds every key, with None values.
    fn row(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        if self.template.is_none() {
            let template = PyDict::new(py);
            for column in Column::ALL {
                let key = PyString::intern(py, column.key());
                template.set_item(&key, py.None())?;
                self.keys.push(key);
            }
            self.template = Some(template);
        }
        match &self.template {
            Some(template) => template.copy(),
            None => Ok(PyDict::new(py)),
        }
    }

    /// The control codes as a tuple, shared by every asset with the same set.
    fn controls<'a>(
        &mut self,
        py: Python<'py>,
        codes: impl Iterator<Item = &'a str> + Clone,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.scratch.clear();
        for code in codes.clone() {
            self.scratch.push_str(code);
            self.scratch.push(';');
        }
        if let Some(value) = self.controls.get(self.scratch.as_str()) {
            return Ok(value.clone());
        }
        let items = codes.map(|code| self.code(py, code)).collect::<Vec<_>>();
        let value = PyTuple::new(py, items)?.into_any();
        self.controls
            .insert(self.scratch.as_str().into(), value.clone());
        Ok(value)
    }

    fn text(&mut self, py: Python<'py>, text: &str) -> Bound<'py, PyAny> {
        if let Some(value) = self.texts.get(text) {
            return value.clone();
        }
        let value = PyString::new(py, text).into_any();
        self.texts.insert(text.into(), value.clone());
        value
    }

    /// A code that lives as long as the call: a `&'static str` of the library's enums,
    /// or the policy's own text for organizations, levels, controls and exclusions (the
    /// assets share it). Such a code is found by its address, without hashing its text.
    fn code(&mut self, py: Python<'py>, code: &str) -> Bound<'py, PyAny> {
        let key = (code.as_ptr() as usize, code.len());
        if let Some(value) = self.codes.get(&key) {
            return value.clone();
        }
        let value = self.text(py, code);
        self.codes.insert(key, value.clone());
        value
    }

    fn opt_code(&mut self, py: Python<'py>, code: Option<&str>) -> Bound<'py, PyAny> {
        match code {
            Some(code) => self.code(py, code),
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

    /// A time, shared with the previous one when equal: an asset's `updated_at` is often
    /// its `created_at`, and the assets of one import share both.
    fn time(&mut self, py: Python<'py>, at: Timestamp) -> PyResult<Bound<'py, PyAny>> {
        if let Some((last, value)) = &self.last_time
            && *last == at
        {
            return Ok(value.clone());
        }
        let value = timestamp_to_py(py, at)?.into_any();
        self.last_time = Some((at, value.clone()));
        Ok(value)
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
    map: &mut FastMap<K, Bound<'py, PyAny>>,
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

/// One asset as a dict, a key for each column of the library's column
/// table; `cache` is shared by the rows of one call.
pub(crate) fn asset_record<'py>(
    py: Python<'py>,
    asset: &Asset,
    cache: &mut Cache<'py>,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = cache.row(py)?;
    for (index, &column) in Column::ALL.iter().enumerate() {
        let value = match column.cell(asset) {
            Cell::Extra(extra) if extra.is_empty() => continue,
            Cell::Id(id) => PyString::new(py, &id.to_string()).into_any(),
            // Names differ from asset to asset: not worth remembering.
            Cell::Text(text) if column == Column::Name => PyString::new(py, text).into_any(),
            Cell::Text(text) => match column.kind() {
                CellKind::Code | CellKind::PolicyCode => cache.code(py, text),
                _ => cache.text(py, text),
            },
            Cell::Level(level) => cache.code(py, level.code()),
            Cell::Flag(flag) => PyBool::new(py, flag).to_owned().into_any(),
            Cell::Count(n) => n.into_pyobject(py)?.into_any(),
            Cell::Controls(set) => {
                cache.controls(py, set.iter().map(daicho::ControlCode::as_str))?
            }
            Cell::Retention(retention) => cache.retention(py, Some(retention)),
            Cell::Date(date) => cache.date(py, Some(date))?,
            Cell::Extra(extra) => {
                let dict = PyDict::new(py);
                for (key, value) in extra.iter() {
                    dict.set_item(cache.text(py, key), value)?;
                }
                dict.into_any()
            }
            Cell::Timestamp(at) => cache.time(py, at)?,
            // The template holds None already: for no value, and for a
            // cell kind this build does not know.
            _ => continue,
        };
        dict.set_item(&cache.keys[index], value)?;
    }
    Ok(dict)
}

/// An asset record read from JSON (an audit entry's `before` or `after`) given the
/// value types of `to_records()`: dates as `datetime.date`, times as aware
/// `datetime.datetime`, controls as a tuple, extra attributes as a dict (None for none).
/// A dict that is not an asset record (a link, a deletion's reason) is left as it is.
pub(crate) fn record_values(py: Python<'_>, record: &Bound<'_, PyDict>) -> PyResult<()> {
    if !(record.contains("kind")? && record.contains("version")?) {
        return Ok(());
    }
    for column in Column::ALL {
        let key = column.key();
        let Some(value) = record.get_item(key)? else {
            continue;
        };
        if value.is_none() {
            continue;
        }
        let converted = match column.kind() {
            CellKind::Date => {
                let text: String = value.extract()?;
                match text.parse::<Date>() {
                    Ok(date) => date_to_py(py, date)?.into_any(),
                    Err(_) => continue,
                }
            }
            CellKind::Timestamp => {
                let text: String = value.extract()?;
                match text.parse::<Timestamp>() {
                    Ok(at) => timestamp_to_py(py, at)?.into_any(),
                    Err(_) => continue,
                }
            }
            CellKind::Controls => {
                PyTuple::new(py, value.try_iter()?.collect::<PyResult<Vec<_>>>()?)?.into_any()
            }
            CellKind::Extra => {
                // Pairs in order, as JSON arrays.
                let pairs: Vec<Vec<String>> = value.extract()?;
                if pairs.is_empty() {
                    py.None().into_bound(py)
                } else {
                    let dict = PyDict::new(py);
                    for pair in pairs {
                        if let [key, value] = pair.as_slice() {
                            dict.set_item(key, value)?;
                        }
                    }
                    dict.into_any()
                }
            }
            _ => continue,
        };
        record.set_item(key, converted)?;
    }
    Ok(())
}

/// Replaces a record's codes by their labels in `lang` (`to_records(labels=…)`): kind,
/// organization, levels, segment, medium, hosting, exclusion reason and retention as
/// `display_value` shows them, and each control by its label (still a tuple).
fn relabel(
    py: Python<'_>,
    record: &Bound<'_, PyDict>,
    asset: &Asset,
    policy: &daicho::Policy,
    lang: daicho::Lang,
) -> PyResult<()> {
    for &column in Column::ALL {
        match column.kind() {
            CellKind::Controls => {
                let labels = asset.fields.controls.iter().map(|code| {
                    policy.control(code.as_str()).map_or_else(
                        |_| code.as_str().to_owned(),
                        |control| lang.pick(&control.ja, &control.en).to_owned(),
                    )
                });
                record.set_item(column.key(), PyTuple::new(py, labels)?)?;
            }
            CellKind::Code | CellKind::PolicyCode | CellKind::Level => {
                if matches!(column.cell(asset), Cell::Null) {
                    continue;
                }
                let label = daicho::display_value(policy, asset, column, lang);
                record.set_item(column.key(), label)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// How many assets the reading thread hands over at a time.
const BATCH: usize = 1024;

/// Where an asset goes in the listing: organization in the policy's order, name, id.
type SortKey = (usize, String, daicho::AssetId);

/// Assets read by the reading thread, with their sort keys.
#[derive(Debug)]
pub(crate) struct Batch {
    assets: Vec<Asset>,
    keys: Vec<SortKey>,
}

impl Batch {
    fn new() -> Self {
        Batch {
            assets: Vec::with_capacity(BATCH),
            keys: Vec::with_capacity(BATCH),
        }
    }
}

/// The reading thread's part of `to_records()`: reads the assets a filter selects and
/// sends them in batches, with their sort keys. It also frees the batches the building
/// thread is done with (`done`), so that the thread holding the GIL never spends its time
/// freeing Rust memory.
///
/// Returns an error when reading fails, or when the building thread stopped (then its
/// own error is the one raised).
pub(crate) fn read_batches(
    register: &daicho::Register,
    filter: &daicho::Filter,
    batches: &SyncSender<Batch>,
    done: &Receiver<Vec<Asset>>,
) -> daicho::Result<()> {
    let rank: FastMap<&str, usize> = register
        .policy()
        .organizations()
        .iter()
        .enumerate()
        .map(|(i, o)| (o.code.as_str(), i))
        .collect();
    let stopped = |_| daicho::Error::Corrupt {
        what: "the listing was stopped".to_owned(),
    };
    let mut batch = Batch::new();
    register.for_each_asset(filter, |asset| {
        let rank = rank
            .get(asset.fields.organization.as_str())
            .copied()
            .unwrap_or(usize::MAX);
        batch.keys.push((rank, asset.name().to_owned(), asset.id));
        batch.assets.push(asset);
        if batch.assets.len() == BATCH {
            batches
                .send(std::mem::replace(&mut batch, Batch::new()))
                .map_err(stopped)?;
            while let Ok(used) = done.try_recv() {
                drop(used);
            }
        }
        Ok(())
    })?;
    batches.send(batch).map_err(stopped)
}

/// The building thread's part of `to_records()`: turns batches into dicts as they
/// arrive (releasing the GIL while it waits for one), sends each batch back to be
/// freed, then lists the dicts in the order of `Register::assets`. Sorting the small
/// keys is much cheaper than sorting the assets themselves.
pub(crate) fn records_from_batches<'py>(
    py: Python<'py>,
    batches: &Mutex<Receiver<Batch>>,
    done: Sender<Vec<Asset>>,
    labels: Option<(&daicho::Policy, daicho::Lang)>,
) -> PyResult<Bound<'py, PyList>> {
    let mut cache = Cache::default();
    let mut dicts = Vec::new();
    let mut keys: Vec<(SortKey, usize)> = Vec::new();
    while let Ok(batch) = py.detach(|| {
        batches
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv()
    }) {
        for (asset, key) in batch.assets.iter().zip(batch.keys) {
            keys.push((key, dicts.len()));
            let record = asset_record(py, asset, &mut cache)?;
            if let Some((policy, lang)) = labels {
                relabel(py, &record, asset, policy, lang)?;
            }
            dicts.push(record);
        }
        // When the reading thread is gone, the batch is freed here instead.
        let _ = done.send(batch.assets);
    }
    drop(done);
    keys.sort_unstable();
    PyList::new(py, keys.iter().map(|(_, index)| &dicts[*index]))
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
                cache.code(py, link.relation.code()),
            )?;
            dict.set_item(intern!(py, "to"), link.to.to_string())?;
            dict.set_item(
                intern!(py, "sanitization"),
                cache.opt_code(py, link.sanitization.map(daicho::Sanitization::code)),
            )?;
            Ok(dict)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, rows)
}
