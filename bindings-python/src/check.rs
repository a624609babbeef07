//! The results of the self-inspection (自己点検): the report and its findings.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::values::{date_to_py, id_to_py, python_str_repr, timestamp_to_py};

/// An asset named in a finding, as `(id, name, kind)`.
fn asset_tuple<'py>(py: Python<'py>, asset: &daicho::AssetRef) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(
        py,
        [
            id_to_py(py, asset.id)?,
            asset.name.clone().into_pyobject(py)?.into_any(),
            asset.kind.code().into_pyobject(py)?.into_any(),
        ],
    )
}

/// One problem the self-inspection found.
#[pyclass(frozen, module = "daicho", name = "Finding")]
#[derive(Debug)]
pub(crate) struct Finding {
    pub(crate) inner: daicho::Finding,
}

#[pymethods]
impl Finding {
    /// The rule's stable id, e.g. `segment.my_number_outside`.
    #[getter]
    fn rule(&self) -> &'static str {
        self.inner.rule.code()
    }

    /// `error` (a rule of the policy is broken), `warning` (a gap) or `info`.
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.code()
    }

    /// The policy section the rule enforces, e.g. `§6(3)ア`.
    #[getter]
    fn section(&self) -> &'static str {
        self.inner.section
    }

    /// The rule's title in Japanese.
    #[getter]
    fn title_ja(&self) -> &'static str {
        self.inner.rule.title_ja()
    }

    /// The rule's title in English.
    #[getter]
    fn title_en(&self) -> &'static str {
        self.inner.rule.title_en()
    }

    /// The organization of the first asset.
    #[getter]
    fn organization(&self) -> &str {
        self.inner.organization.as_str()
    }

    /// The assets involved as `(id, name, kind)`; the first is the one to fix.
    #[getter]
    fn assets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .assets
            .iter()
            .map(|asset| asset_tuple(py, asset))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The number of the exception (例外措置) that covers the finding, if any;
    /// its severity is then `info`.
    #[getter]
    fn exception(&self) -> Option<i64> {
        self.inner.exception
    }

    /// What is wrong, in Japanese.
    #[getter]
    fn message_ja(&self) -> &str {
        &self.inner.message_ja
    }

    /// What is wrong, in English.
    #[getter]
    fn message_en(&self) -> &str {
        &self.inner.message_en
    }

    fn __str__(&self) -> String {
        format!(
            "{} {} ({}): {}",
            self.inner.severity.code(),
            self.inner.rule.code(),
            self.inner.section,
            self.inner.message_ja
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "Finding(rule='{}', severity='{}', asset={})",
            self.inner.rule.code(),
            self.inner.severity.code(),
            self.inner
                .assets
                .first()
                .map_or_else(|| "None".to_owned(), |a| python_str_repr(&a.name)),
        )
    }
}

/// The result of `Register.check()`: the findings of the self-inspection (自己点検).
#[pyclass(frozen, module = "daicho", name = "CheckReport")]
#[derive(Debug)]
pub(crate) struct CheckReport {
    pub(crate) inner: daicho::Report,
}

fn parse_severity(py: Python<'_>, code: &str) -> PyResult<daicho::Severity> {
    use crate::errors::IntoPyResult;
    code.parse::<daicho::Severity>().py_err(py)
}

#[pymethods]
impl CheckReport {
    /// The date the review-age rule counted from.
    #[getter]
    fn today<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDate>> {
        date_to_py(py, self.inner.today)
    }

    /// The findings, by organization (in the policy's order), severity, rule, then asset.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        self.inner
            .findings
            .iter()
            .map(|f| Finding { inner: f.clone() })
            .collect()
    }

    /// The assets outside the policy's scope, as dicts of `id`, `name`, `kind`,
    /// `organization`, `reason` and `disposed`.
    #[getter]
    fn excluded<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .excluded
            .iter()
            .map(|e| {
                let dict = PyDict::new(py);
                dict.set_item("id", e.asset.id.to_string())?;
                dict.set_item("name", &e.asset.name)?;
                dict.set_item("kind", e.asset.kind.code())?;
                dict.set_item("organization", e.organization.as_str())?;
                dict.set_item("reason", e.reason.as_str())?;
                dict.set_item("disposed", e.disposed)?;
                Ok(dict)
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// How many in-scope assets in use were checked.
    #[getter]
    fn checked(&self) -> usize {
        self.inner.checked
    }

    /// How many assets are disposed of.
    #[getter]
    fn disposed(&self) -> usize {
        self.inner.disposed
    }

    /// How many links there are.
    #[getter]
    fn links(&self) -> usize {
        self.inner.links
    }

    /// The most serious severity found (`error`, `warning`, `info`), or None.
    #[getter]
    fn worst(&self) -> Option<&'static str> {
        self.inner.worst().map(daicho::Severity::code)
    }

    /// How many findings have this severity (`error`, `warning`, `info`, or 違反 ...).
    fn count(&self, py: Python<'_>, severity: &str) -> PyResult<usize> {
        Ok(self.inner.count(parse_severity(py, severity)?))
    }

    /// True when some finding is at least as serious as `threshold`.
    #[pyo3(signature = (threshold = "error"))]
    fn fails(&self, py: Python<'_>, threshold: &str) -> PyResult<bool> {
        Ok(self.inner.fails(parse_severity(py, threshold)?))
    }

    /// The findings as plain dicts for `pandas.DataFrame(...)`: `rule`, `severity`,
    /// `section`, `organization`, `asset_id` and `asset_name` (the asset to fix),
    /// `assets` (every name involved, as a tuple), `message_ja` and `message_en`.
    fn to_records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .findings
            .iter()
            .map(|f| {
                let dict = PyDict::new(py);
                dict.set_item("rule", f.rule.code())?;
                dict.set_item("severity", f.severity.code())?;
                dict.set_item("section", f.section)?;
                dict.set_item("organization", f.organization.as_str())?;
                let first = f.assets.first();
                dict.set_item("asset_id", first.map(|a| a.id.to_string()))?;
                dict.set_item("asset_name", first.map(|a| a.name.as_str()))?;
                dict.set_item(
                    "assets",
                    PyTuple::new(py, f.assets.iter().map(|a| a.name.as_str()))?,
                )?;
                dict.set_item("message_ja", &f.message_ja)?;
                dict.set_item("message_en", &f.message_en)?;
                Ok(dict)
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    fn __len__(&self) -> usize {
        self.inner.findings.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "CheckReport(checked={}, errors={}, warnings={}, today='{}')",
            self.inner.checked,
            self.inner.count(daicho::Severity::Error),
            self.inner.count(daicho::Severity::Warning),
            self.inner.today,
        )
    }
}

/// An exception (例外措置) to one rule for an asset or a link.
#[pyclass(frozen, module = "daicho", name = "RuleException")]
#[derive(Debug)]
pub(crate) struct RuleException {
    pub(crate) inner: daicho::Exception,
}

#[pymethods]
impl RuleException {
    /// Its number, from 1.
    #[getter]
    fn id(&self) -> i64 {
        self.inner.id
    }

    /// The rule it covers, e.g. `segment.my_number_connection`.
    #[getter]
    fn rule(&self) -> &'static str {
        self.inner.rule.code()
    }

    /// The asset (a link's source).
    #[getter]
    fn asset<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        id_to_py(py, self.inner.asset)
    }

    /// The link's other end, for an exception on a link.
    #[getter]
    fn related<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner.related.map(|id| id_to_py(py, id)).transpose()
    }

    /// Why the rule cannot be followed.
    #[getter]
    fn reason(&self) -> &str {
        &self.inner.reason
    }

    /// Who approved it.
    #[getter]
    fn approver(&self) -> &str {
        &self.inner.approver
    }

    /// When it was approved.
    #[getter]
    fn approved_on<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(date_to_py(py, self.inner.approved_on)?.into_any())
    }

    /// The last day it is valid; None for no expiry.
    #[getter]
    fn expires_on<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .expires_on
            .map(|d| date_to_py(py, d).map(Bound::into_any))
            .transpose()
    }

    /// The conditions attached.
    #[getter]
    fn conditions(&self) -> Option<&str> {
        self.inner.conditions.as_deref()
    }

    /// Who recorded it.
    #[getter]
    fn created_by(&self) -> &str {
        &self.inner.created_by
    }

    /// When it was ended, if it was.
    #[getter]
    fn ended_at<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .ended_at
            .map(|t| timestamp_to_py(py, t).map(Bound::into_any))
            .transpose()
    }

    fn __repr__(&self) -> String {
        format!(
            "RuleException(id={}, rule='{}', approver={})",
            self.inner.id,
            self.inner.rule.code(),
            python_str_repr(&self.inner.approver)
        )
    }
}
