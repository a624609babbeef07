//! Unpickling an `Asset` (`Asset.__reduce__` names `_restore_asset`): its record is
//! parsed against its policy (`policies.rs`) through the same conversions as
//! `Register.add`.

use daicho::{AssetId, Disposal};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::asset::Asset;
use crate::convert::{date_from_py, field_change, new_fields, required_fields, timestamp_from_py};
use crate::errors::IntoPyResult;
use crate::policies::policy_of;

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
