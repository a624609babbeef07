//! The policies of the registers this process opened, for pickling assets: an asset's
//! codes are values only a policy makes, so a pickled asset carries its policy's TOML
//! (one shared Python string per policy, which pickle stores once per stream). It uses
//! only `errors` of the crate.
//!
//! The policy of an asset is found by address (its organization code is the policy's own
//! text, shared), else by its codes (the same policy's text loaded again).

use std::sync::{Mutex, PoisonError};

use daicho::Policy;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::errors::IntoPyResult;

/// The policies of the registers this process opened, and of the assets it unpickled,
/// each with its TOML as one shared Python string.
static POLICIES: Mutex<Vec<(Policy, Py<PyString>)>> = Mutex::new(Vec::new());

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

/// The TOML of the policy that made an asset's codes.
pub(crate) fn toml_of(py: Python<'_>, asset: &daicho::Asset) -> PyResult<Py<PyString>> {
    let policies = POLICIES.lock().unwrap_or_else(PoisonError::into_inner);
    [true, false]
        .into_iter()
        .find_map(|by_address| {
            policies
                .iter()
                .find(|(policy, _)| made_by(policy, asset, by_address))
        })
        .map(|(_, toml)| toml.clone_ref(py))
        .ok_or_else(|| {
            PyTypeError::new_err("cannot pickle this Asset: its register's policy is not known")
        })
}

/// The policy a pickled asset names, parsed once per process.
pub(crate) fn policy_of(py: Python<'_>, toml: &Bound<'_, PyString>) -> PyResult<Policy> {
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
