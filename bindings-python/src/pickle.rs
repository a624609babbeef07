//! Pickling an `Asset` (for `multiprocessing`, `joblib`, caches).
//!
//! An asset's codes (organization, levels, controls, exclusion) are values only a policy
//! makes, so a pickled asset carries its register's policy (as TOML; pickle stores one
//! string object once per stream, and every asset of a policy shares it) and its record,
//! and is rebuilt through the same parsing as `Register.add`. The policy of an asset is
//! found among those of the registers this process opened: the asset's organization
//! code is the policy's own text, shared, so it is found by address.

use std::sync::{Mutex, PoisonError};

use daicho::{AssetId, Disposal, Policy};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::asset::Asset;
use crate::convert::{date_from_py, field_change, new_fields, required_fields, timestamp_from_py};
use crate::errors::IntoPyResult;
use crate::records::{Cache, asset_record};

/// The policies of the registers this process opened, and of the assets it unpickled,
/// each with its TOML as one shared Python string.
static POLICIES: Mutex<Vec<(Policy, Py<PyString>)>> = Mutex::new(Vec::new());

/// The function pickle calls to rebuild an asset, `daicho._native._restore_asset`.
static RESTORE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The fields a record gives beyond the required ones, as `Register.add` takes them.
const OPTIONAL_FIELDS: [&str; 19] = [
    "asset_number",
    "department",
    "manager",
    "segment",
    "medium",
    "location",
    "personal",
    "sensitive",
    "my_number",
    "record_count",
    "controls",
    "hosting",
    "provider",
    "contract",
    "retention",
    "exclusion_reason",
    "reviewed_on",
    "notes",
    "extra",
];

/// Remembers a register's policy, so that its assets can be pickled; once per policy.
pub(crate) fn remember(py: Python<'_>, policy: &Policy) {
    let mut policies = POLICIES.lock().unwrap_or_else(PoisonError::into_inner);
    if policies
        .iter()
        .any(|(known, _)| known.sha256() == policy.sha256())
    {
        return;
    }
    let toml = PyString::new(py, policy.to_toml()).unbind();
    policies.push((policy.clone(), toml));
}

/// True when `policy` made the asset's codes: its organization code is the policy's
/// own text; or, for a policy of the same text loaded again, the asset's codes are
/// the policy's, levels at the same ranks.
fn made_by(policy: &Policy, asset: &daicho::Asset, by_address: bool) -> bool {
    let organization = asset.fields.organization.as_str();
    if by_address {
        return policy
            .organizations()
            .iter()
            .any(|o| o.code.as_str().as_ptr() == organization.as_ptr());
    }
    let levels = &asset.fields.classification;
    policy.organization(organization).is_ok()
        && [
            &levels.confidentiality,
            &levels.integrity,
            &levels.availability,
        ]
        .iter()
        .all(|level| {
            policy
                .level(level.axis(), level.code())
                .is_ok_and(|found| found.rank() == level.rank())
        })
}

/// `(restore, (policy TOML, record))` for pickle's `__reduce__`.
pub(crate) fn reduce<'py>(py: Python<'py>, asset: &daicho::Asset) -> PyResult<Bound<'py, PyTuple>> {
    let policies = POLICIES.lock().unwrap_or_else(PoisonError::into_inner);
    let toml = [true, false]
        .into_iter()
        .find_map(|by_address| {
            policies
                .iter()
                .find(|(policy, _)| made_by(policy, asset, by_address))
        })
        .map(|(_, toml)| toml.clone_ref(py))
        .ok_or_else(|| {
            PyTypeError::new_err("cannot pickle this Asset: its register's policy is not known")
        })?;
    drop(policies);
    let restore = RESTORE.get_or_try_init(py, || {
        py.import("daicho._native")?
            .getattr("_restore_asset")
            .map(Bound::unbind)
    })?;
    let record = asset_record(py, asset, &mut Cache::default())?;
    PyTuple::new(
        py,
        [
            restore.bind(py).clone(),
            PyTuple::new(py, [toml.into_bound(py).into_any(), record.into_any()])?.into_any(),
        ],
    )
}

/// The policy a pickled asset names, parsed once per process.
fn policy_of(py: Python<'_>, toml: &Bound<'_, PyString>) -> PyResult<Policy> {
    let text = toml.to_cow()?;
    {
        let policies = POLICIES.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((policy, _)) = policies.iter().find(|(p, _)| p.to_toml() == text) {
            return Ok(policy.clone());
        }
    }
    let policy = Policy::from_toml(&text, "a pickled asset").py_err(py)?;
    POLICIES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((policy.clone(), toml.clone().unbind()));
    Ok(policy)
}

/// Rebuilds a pickled asset from its policy's TOML and its record.
#[pyfunction]
pub(crate) fn _restore_asset(
    py: Python<'_>,
    policy: &Bound<'_, PyString>,
    record: &Bound<'_, PyDict>,
) -> PyResult<Asset> {
    let policy = policy_of(py, policy)?;
    let item = |key: &str| -> PyResult<Bound<'_, PyAny>> {
        record
            .get_item(key)?
            .ok_or_else(|| PyTypeError::new_err(format!("a pickled asset lacks `{key}`")))
    };
    let (kind, name, organization, levels) = required_fields(
        &policy,
        &item("kind")?,
        &item("name")?,
        &item("organization")?,
        [
            &item("confidentiality")?,
            &item("integrity")?,
            &item("availability")?,
        ],
    )?;
    let changes = OPTIONAL_FIELDS
        .iter()
        .map(|key| {
            let value = item(key)?;
            field_change(&policy, "pickle", key, &value)
        })
        .collect::<PyResult<Vec<_>>>()?;
    let mut fields = new_fields(kind, name, organization, levels, changes).py_err(py)?;
    let disposed_on = item("disposed_on")?;
    if !disposed_on.is_none() {
        let text = |key: &str| -> PyResult<Option<String>> { item(key)?.extract() };
        fields.disposal = Some(Disposal {
            date: date_from_py("disposed_on", &disposed_on)?,
            person: text("disposed_by")?.unwrap_or_default(),
            method: text("disposal_method")?,
            approver: text("disposal_approver")?,
            certificate: text("disposal_certificate")?,
        });
    }
    let id: String = item("id")?.extract()?;
    Ok(Asset {
        inner: daicho::Asset {
            id: id.parse::<AssetId>().py_err(py)?,
            fields,
            version: item("version")?.extract()?,
            created_at: timestamp_from_py("created_at", &item("created_at")?)?,
            updated_at: timestamp_from_py("updated_at", &item("updated_at")?)?,
        },
    })
}
