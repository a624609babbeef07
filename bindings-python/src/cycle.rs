//! The yearly cycle's results as Python dicts: the register's changes, and
//! attestation campaigns (棚卸). Conversions only.

use daicho::{Attestation, Campaign, CampaignStatus, ChangeLine};
use jiff::civil::Date;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::values::{date_to_py, timestamp_to_py};

/// The register as it stood at the end of `day` (local time), rebuilt from
/// its audit log, for `work`; the register itself without a day.
pub(crate) fn at_day<T>(
    register: &mut daicho::Register,
    day: Option<Date>,
    work: impl FnOnce(&mut daicho::Register) -> daicho::Result<T>,
) -> daicho::Result<T> {
    match day {
        Some(day) => work(&mut register.as_of_date(day, &daicho::local_time_zone())?),
        None => work(register),
    }
}

fn date_or_none(py: Python<'_>, date: Option<Date>) -> PyResult<Option<Bound<'_, PyAny>>> {
    date.map(|d| date_to_py(py, d).map(Bound::into_any))
        .transpose()
}

/// One change: `seq`, `at` (aware, UTC), `actor`, `action`, `asset_id`
/// (text, or None), `asset_name`, `field` (a column's key, `link`,
/// `risk:THREAT` or None), `old`, `new`.
pub(crate) fn change_dict<'py>(py: Python<'py>, line: &ChangeLine) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("seq", line.seq)?;
    dict.set_item("at", timestamp_to_py(py, line.at)?)?;
    dict.set_item("actor", &line.actor)?;
    dict.set_item("action", line.action.code())?;
    dict.set_item("asset_id", line.asset_id.map(|id| id.to_string()))?;
    dict.set_item("asset_name", &line.asset_name)?;
    dict.set_item("field", line.field.code())?;
    dict.set_item("old", &line.old)?;
    dict.set_item("new", &line.new)?;
    Ok(dict)
}

/// A campaign: `name`, `organization`, `due_on`, `started_at`, `started_by`,
/// `closed_at`, `closed_by`.
pub(crate) fn campaign_dict<'py>(py: Python<'py>, c: &Campaign) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("name", &c.name)?;
    dict.set_item("organization", &c.organization)?;
    dict.set_item("due_on", date_or_none(py, c.due_on)?)?;
    dict.set_item("started_at", timestamp_to_py(py, c.started_at)?)?;
    dict.set_item("started_by", &c.started_by)?;
    dict.set_item(
        "closed_at",
        c.closed_at.map(|t| timestamp_to_py(py, t)).transpose()?,
    )?;
    dict.set_item("closed_by", &c.closed_by)?;
    Ok(dict)
}

/// A campaign's status: `campaign`, `today`, and `sections`, each with
/// `organization`, `department`, `state` (`attested`, `open`, `overdue`),
/// `attested_on`, `attested_by`, `confirmed`, `digest`, `assets_now` and
/// `unconfirmed` (a list of `(id, name)`, the id as text).
pub(crate) fn status_dict<'py>(
    py: Python<'py>,
    status: &CampaignStatus,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("campaign", campaign_dict(py, &status.campaign)?)?;
    dict.set_item("today", date_to_py(py, status.today)?)?;
    let sections = PyList::empty(py);
    for s in &status.sections {
        let section = PyDict::new(py);
        section.set_item("organization", &s.organization)?;
        section.set_item("department", &s.department)?;
        section.set_item("state", s.state.code())?;
        section.set_item("attested_on", date_or_none(py, s.attested_on)?)?;
        section.set_item("attested_by", &s.attested_by)?;
        section.set_item("confirmed", s.confirmed)?;
        section.set_item("digest", &s.digest)?;
        section.set_item("assets_now", s.assets_now)?;
        let unconfirmed = PyList::empty(py);
        for (id, name) in &s.unconfirmed {
            unconfirmed.append((id.to_string(), name))?;
        }
        section.set_item("unconfirmed", unconfirmed)?;
        sections.append(section)?;
    }
    dict.set_item("sections", sections)?;
    Ok(dict)
}

/// An attestation: `campaign`, `organization`, `department`, `attested_on`,
/// `attested_by`, `confirmed`, `marked`, `digest`, and `imported` (the
/// returned sheet's counts: `created`, `updated`, `unchanged`; None without one).
pub(crate) fn attestation_dict<'py>(
    py: Python<'py>,
    a: &Attestation,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("campaign", &a.campaign)?;
    dict.set_item("organization", &a.organization)?;
    dict.set_item("department", &a.department)?;
    dict.set_item("attested_on", date_to_py(py, a.attested_on)?)?;
    dict.set_item("attested_by", &a.attested_by)?;
    dict.set_item("confirmed", a.confirmed)?;
    dict.set_item("marked", a.marked)?;
    dict.set_item("digest", &a.digest)?;
    let imported = match &a.import {
        Some(report) => {
            let counts = PyDict::new(py);
            counts.set_item("created", report.assets.created)?;
            counts.set_item("updated", report.assets.updated)?;
            counts.set_item("unchanged", report.assets.unchanged)?;
            Some(counts)
        }
        None => None,
    };
    dict.set_item("imported", imported)?;
    Ok(dict)
}
