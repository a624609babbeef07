//! Read-only results: audit entries, the verification of a register, its policy and
//! its summary counts.

use daicho::Axis;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDateTime, PyDict, PyList, PyTuple};

use crate::values::{id_to_py, python_str_repr, timestamp_to_py};

/// One entry of the audit log (監査ログ): who changed what, when, from what to what.
#[pyclass(frozen, module = "daicho", name = "AuditEntry")]
#[derive(Debug)]
pub(crate) struct AuditEntry {
    pub(crate) inner: daicho::AuditEntry,
}

static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn json_to_py<'py>(py: Python<'py>, json: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
    match json {
        None => Ok(py.None().into_bound(py)),
        Some(json) => {
            let value = JSON_LOADS.import(py, "json", "loads")?.call1((json,))?;
            if let Ok(record) = value.cast::<PyDict>() {
                crate::records::record_values(py, record)?;
            }
            Ok(value)
        }
    }
}

#[pymethods]
impl AuditEntry {
    /// The entry's position in the log, from 1.
    #[getter]
    fn seq(&self) -> u64 {
        self.inner.seq
    }

    /// When the change was made (aware, UTC).
    #[getter]
    fn at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDateTime>> {
        timestamp_to_py(py, self.inner.at)
    }

    /// Who made it.
    #[getter]
    fn actor(&self) -> &str {
        &self.inner.actor
    }

    /// `create`, `update`, `dispose`, `link` or `unlink`.
    #[getter]
    fn action(&self) -> &'static str {
        self.inner.action.code()
    }

    /// The asset changed (the source of a link).
    #[getter]
    fn asset_id<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.asset_id.map(|id| id_to_py(py, id)).transpose()
    }

    /// The other asset, for links.
    #[getter]
    fn related_id<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.related_id.map(|id| id_to_py(py, id)).transpose()
    }

    /// The state before the change, as a dict of the record's fields; None for a creation.
    #[getter]
    fn before<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, self.inner.before.as_deref())
    }

    /// The state after the change; None for an unlink.
    #[getter]
    fn after<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, self.inner.after.as_deref())
    }

    /// The entry as a plain dict (`daicho.types.HistoryRecord`): ids as `str`, `before`
    /// and `after` as the getters give them.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("seq", self.inner.seq)?;
        dict.set_item("at", self.at(py)?)?;
        dict.set_item("actor", &self.inner.actor)?;
        dict.set_item("action", self.action())?;
        dict.set_item("asset_id", self.inner.asset_id.map(|id| id.to_string()))?;
        dict.set_item("related_id", self.inner.related_id.map(|id| id.to_string()))?;
        dict.set_item("before", self.before(py)?)?;
        dict.set_item("after", self.after(py)?)?;
        dict.set_item("hash", self.hash())?;
        Ok(dict)
    }

    /// The entry's SHA-256 chain hash, hex encoded.
    #[getter]
    fn hash(&self) -> String {
        use std::fmt::Write as _;
        self.inner.hash.iter().fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "AuditEntry(seq={}, at='{}', actor={}, action='{}')",
            self.inner.seq,
            self.inner.at,
            python_str_repr(&self.inner.actor),
            self.inner.action.code()
        )
    }
}

/// The result of `Register.verify()`: the database's integrity and the audit chain.
///
/// True in a boolean context when everything is sound.
#[pyclass(frozen, module = "daicho", name = "Verification")]
#[derive(Debug)]
pub(crate) struct Verification {
    pub(crate) inner: daicho::Verification,
}

#[pymethods]
impl Verification {
    /// True when the database, the links and the audit chain are all sound.
    #[getter]
    fn ok(&self) -> bool {
        self.inner.is_ok()
    }

    /// How many audit entries were checked.
    #[getter]
    fn entries(&self) -> u64 {
        self.inner.chain.entries
    }

    /// The sequence number of the first audit entry that does not match; None when intact.
    #[getter]
    fn first_broken(&self) -> Option<u64> {
        self.inner.chain.first_broken.as_ref().map(|b| b.seq)
    }

    /// What is wrong with the first broken entry; None when intact.
    #[getter]
    fn broken_reason(&self) -> Option<&str> {
        self.inner
            .chain
            .first_broken
            .as_ref()
            .map(|b| b.reason.as_str())
    }

    /// What SQLite's integrity check reported; empty when the file is sound.
    #[getter]
    fn database(&self) -> Vec<String> {
        self.inner.database.clone()
    }

    /// Links whose assets are missing.
    #[getter]
    fn dangling_links(&self) -> u64 {
        self.inner.dangling_links
    }

    fn __bool__(&self) -> bool {
        self.inner.is_ok()
    }

    fn __repr__(&self) -> String {
        format!(
            "Verification(ok={}, entries={}, first_broken={})",
            if self.inner.is_ok() { "True" } else { "False" },
            self.inner.chain.entries,
            self.inner
                .chain
                .first_broken
                .as_ref()
                .map_or_else(|| "None".to_owned(), |b| b.seq.to_string()),
        )
    }
}

/// The policy a register was created with: organizations, levels, controls, exclusions.
#[pyclass(frozen, module = "daicho", name = "Policy")]
#[derive(Debug)]
pub(crate) struct Policy {
    pub(crate) inner: daicho::Policy,
}

#[pymethods]
impl Policy {
    /// The profile's name, e.g. `niigata`.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The Japanese title.
    #[getter]
    fn title_ja(&self) -> &str {
        self.inner.title_ja()
    }

    /// The English title.
    #[getter]
    fn title_en(&self) -> &str {
        self.inner.title_en()
    }

    /// The profile's version.
    #[getter]
    fn version(&self) -> &str {
        self.inner.version()
    }

    /// The SHA-256 of the policy's TOML text, hex encoded.
    #[getter]
    fn sha256(&self) -> &str {
        self.inner.sha256()
    }

    /// Days after which an asset's last review is overdue.
    #[getter]
    fn review_interval_days(&self) -> u32 {
        self.inner.review_interval_days()
    }

    /// The organizations as `(code, Japanese name, English name)`, in the policy's order.
    #[getter]
    fn organizations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .organizations()
            .iter()
            .map(|o| PyTuple::new(py, [o.code.as_str(), o.ja.as_str(), o.en.as_str()]))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The level codes of each axis, highest first:
    /// `{"confidentiality": [...], "integrity": [...], "availability": [...]}`.
    #[getter]
    fn levels<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for axis in Axis::ALL {
            let codes: Vec<&str> = self
                .inner
                .scale(axis)
                .levels
                .iter()
                .map(|def| def.level.code())
                .collect();
            dict.set_item(axis.code(), codes)?;
        }
        Ok(dict)
    }

    /// The controls as `(code, Japanese label, English label)`.
    #[getter]
    fn controls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .controls()
            .iter()
            .map(|c| PyTuple::new(py, [c.code.as_str(), c.ja.as_str(), c.en.as_str()]))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The exclusion reasons as `(code, Japanese label, English label)`.
    #[getter]
    fn exclusions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .exclusions()
            .iter()
            .map(|e| PyTuple::new(py, [e.code.as_str(), e.ja.as_str(), e.en.as_str()]))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The resolved policy as TOML, as the register stores it.
    fn to_toml(&self) -> &str {
        self.inner.to_toml()
    }

    fn __repr__(&self) -> String {
        format!(
            "Policy(name='{}', version='{}')",
            self.inner.name(),
            self.inner.version()
        )
    }
}

/// The register's counts as a dict (see `Register.summary`).
pub(crate) fn summary_dict<'py>(
    py: Python<'py>,
    summary: &daicho::Summary,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("total", summary.total)?;
    dict.set_item("in_scope", summary.in_scope)?;
    dict.set_item("excluded", summary.excluded)?;
    dict.set_item("disposed", summary.disposed)?;
    dict.set_item("links", summary.links)?;
    let by_organization = PyDict::new(py);
    for (org, levels) in &summary.by_organization {
        let counts = PyDict::new(py);
        for (level, n) in levels {
            counts.set_item(level.code(), n)?;
        }
        by_organization.set_item(org.as_str(), counts)?;
    }
    dict.set_item("by_organization", by_organization)?;
    let by_kind = PyDict::new(py);
    for (kind, n) in &summary.by_kind {
        by_kind.set_item(kind.code(), n)?;
    }
    dict.set_item("by_kind", by_kind)?;
    let by_segment = PyDict::new(py);
    for (segment, n) in &summary.by_segment {
        by_segment.set_item(segment.map(daicho::Segment::code), n)?;
    }
    dict.set_item("by_segment", by_segment)?;
    let by_scope = PyDict::new(py);
    for (exclusion, n) in &summary.by_scope {
        by_scope.set_item(exclusion.as_ref().map(daicho::ExclusionCode::as_str), n)?;
    }
    dict.set_item("by_scope", by_scope)?;
    Ok(dict)
}
