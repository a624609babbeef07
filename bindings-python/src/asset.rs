//! `daicho.Asset`: an asset as the register holds it, read-only, with typed attributes.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDate, PyDateTime, PyDict, PyTuple};

use crate::records::{Cache, asset_record};
use crate::values::{date_to_py, id_to_py, python_str_repr, timestamp_to_py};

/// The function pickle calls to rebuild an asset, `daicho._native._restore_asset`.
static RESTORE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// An information asset. Read-only: change it with `Register.update`.
#[pyclass(frozen, module = "daicho", name = "Asset")]
#[derive(Debug)]
pub(crate) struct Asset {
    pub(crate) inner: daicho::Asset,
}

impl Asset {
    fn fields(&self) -> &daicho::AssetFields {
        &self.inner.fields
    }

    fn disposal(&self) -> Option<&daicho::Disposal> {
        self.inner.fields.disposal.as_ref()
    }

    fn hosting_ref(&self) -> Option<&daicho::Hosting> {
        self.inner.fields.hosting.as_ref()
    }
}

#[pymethods]
impl Asset {
    /// The id.
    #[getter]
    fn id<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        id_to_py(py, self.inner.id)
    }

    /// `network_system` (ア), `information` (イ) or `system_document` (ウ).
    #[getter]
    fn kind(&self) -> &'static str {
        self.fields().kind.code()
    }

    /// The name.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// The organization's code, e.g. `mayor` or `waterworks`.
    #[getter]
    fn organization(&self) -> &str {
        self.fields().organization.as_str()
    }

    /// The section (課/係); empty when not given.
    #[getter]
    fn department(&self) -> &str {
        &self.fields().department
    }

    /// The 情報セキュリティ管理者 accountable for the asset.
    #[getter]
    fn manager(&self) -> Option<&str> {
        self.fields().manager.as_deref()
    }

    /// 管理番号: the city's own number for the asset, e.g. `J-001`.
    #[getter]
    fn asset_number(&self) -> Option<&str> {
        self.fields().asset_number.as_deref()
    }

    /// The confidentiality level's code, e.g. `3B`.
    #[getter]
    fn confidentiality(&self) -> &str {
        self.fields().classification.confidentiality.code()
    }

    /// The integrity level's code.
    #[getter]
    fn integrity(&self) -> &str {
        self.fields().classification.integrity.code()
    }

    /// The availability level's code.
    #[getter]
    fn availability(&self) -> &str {
        self.fields().classification.availability.code()
    }

    /// The compact marking of the three levels, e.g. `C3B-I2-A2`.
    #[getter]
    fn classification(&self) -> String {
        self.fields().classification.to_string()
    }

    /// `mynumber`, `lgwan`, `internet` or `standalone`; None for paper.
    #[getter]
    fn segment(&self) -> Option<&'static str> {
        self.fields().segment.map(daicho::Segment::code)
    }

    /// The medium's code, e.g. `server` or `paper`.
    #[getter]
    fn medium(&self) -> Option<&'static str> {
        self.fields().medium.map(daicho::Medium::code)
    }

    /// Where it is stored.
    #[getter]
    fn location(&self) -> Option<&str> {
        self.fields().location.as_deref()
    }

    /// Holds 個人情報 (personal information).
    #[getter]
    fn personal(&self) -> bool {
        self.fields().personal_data.personal
    }

    /// Holds 要配慮個人情報 (sensitive personal information).
    #[getter]
    fn sensitive(&self) -> bool {
        self.fields().personal_data.sensitive
    }

    /// Holds 特定個人情報 (personal information with a My Number).
    #[getter]
    fn my_number(&self) -> bool {
        self.fields().personal_data.my_number
    }

    /// 件数: how many people are recorded.
    #[getter]
    fn record_count(&self) -> Option<u64> {
        self.fields().record_count
    }

    /// The codes of the controls in place, sorted.
    #[getter]
    fn controls<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            self.fields()
                .controls
                .iter()
                .map(daicho::ControlCode::as_str),
        )
    }

    /// `on_premises`, `outsourced` or `cloud`.
    #[getter]
    fn hosting(&self) -> Option<&'static str> {
        self.hosting_ref().map(|h| h.kind.code())
    }

    /// The contractor or cloud provider.
    #[getter]
    fn provider(&self) -> Option<&str> {
        self.hosting_ref().and_then(|h| h.provider.as_deref())
    }

    /// The contract's reference.
    #[getter]
    fn contract(&self) -> Option<&str> {
        self.hosting_ref().and_then(|h| h.contract.as_deref())
    }

    /// The retention code: a number of years as text, `under_one_year` or `permanent`.
    #[getter]
    fn retention(&self) -> Option<String> {
        self.fields().retention.map(daicho::Retention::code)
    }

    /// True unless the asset is excluded from the policy (§4(2)).
    #[getter]
    fn in_scope(&self) -> bool {
        self.fields().scope.is_in_scope()
    }

    /// The exclusion reason's code; None when in scope.
    #[getter]
    fn exclusion_reason(&self) -> Option<&str> {
        self.fields()
            .scope
            .exclusion()
            .map(daicho::ExclusionCode::as_str)
    }

    /// The date of the last inventory or self-inspection.
    #[getter]
    fn reviewed_on<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDate>>> {
        self.fields()
            .reviewed_on
            .map(|d| date_to_py(py, d))
            .transpose()
    }

    /// True once disposed of.
    #[getter]
    fn disposed(&self) -> bool {
        self.inner.is_disposed()
    }

    /// The disposal date.
    #[getter]
    fn disposed_on<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDate>>> {
        self.disposal().map(|d| date_to_py(py, d.date)).transpose()
    }

    /// Who disposed of it.
    #[getter]
    fn disposed_by(&self) -> Option<&str> {
        self.disposal().map(|d| d.person.as_str())
    }

    /// How it was disposed of.
    #[getter]
    fn disposal_method(&self) -> Option<&str> {
        self.disposal().and_then(|d| d.method.as_deref())
    }

    /// Who approved the disposal.
    #[getter]
    fn disposal_approver(&self) -> Option<&str> {
        self.disposal().and_then(|d| d.approver.as_deref())
    }

    /// The disposal certificate's reference.
    #[getter]
    fn disposal_certificate(&self) -> Option<&str> {
        self.disposal().and_then(|d| d.certificate.as_deref())
    }

    /// 備考: free notes.
    #[getter]
    fn notes(&self) -> Option<&str> {
        self.fields().notes.as_deref()
    }

    /// City-specific attributes, in their order (a new dict on each access).
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (key, value) in self.fields().extra.iter() {
            dict.set_item(key, value)?;
        }
        Ok(dict)
    }

    /// Starts at 1 and grows by one with each change; `update` names the version it is based on.
    #[getter]
    fn version(&self) -> u64 {
        self.inner.version
    }

    /// When it was added (aware, UTC).
    #[getter]
    fn created_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDateTime>> {
        timestamp_to_py(py, self.inner.created_at)
    }

    /// When it last changed (aware, UTC).
    #[getter]
    fn updated_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDateTime>> {
        timestamp_to_py(py, self.inner.updated_at)
    }

    /// The asset as a plain dict, as one row of `Register.to_records()`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        asset_record(py, &self.inner, &mut Cache::default())
    }

    fn __repr__(&self) -> String {
        format!(
            "Asset(id='{}', name={}, kind='{}', organization='{}', classification='{}', version={}{})",
            self.inner.id,
            python_str_repr(self.inner.name()),
            self.kind(),
            self.organization(),
            self.classification(),
            self.inner.version,
            if self.inner.is_disposed() {
                ", disposed=True"
            } else {
                ""
            },
        )
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.inner == other.inner
    }

    /// Pickles the asset as its policy's TOML and its record, which
    /// `daicho._native._restore_asset` (`pickle.rs`) rebuilds it from.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let toml = crate::policies::toml_of(py, &self.inner)?;
        let restore = RESTORE.get_or_try_init(py, || {
            py.import("daicho._native")?
                .getattr("_restore_asset")
                .map(Bound::unbind)
        })?;
        let record = asset_record(py, &self.inner, &mut Cache::default())?;
        let arguments = PyTuple::new(py, [toml.into_bound(py).into_any(), record.into_any()])?;
        PyTuple::new(py, [restore.bind(py).clone(), arguments.into_any()])
    }

    fn __hash__(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.inner.id.hash(&mut hasher);
        self.inner.version.hash(&mut hasher);
        hasher.finish()
    }
}
