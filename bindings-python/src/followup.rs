//! Tracked findings (是正) and the 特定個人情報保護評価 list as plain dicts,
//! with dates as `datetime.date` and ids as text (`str`), as in every dict.

use daicho::{PiaEntry, PiaReport, ProcessFile, TrackedFinding};
use jiff::civil::Date;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::date_from_py;
use crate::errors::{IntoPyResult, invalid};
use crate::values::date_to_py;

/// The evaluation `evaluation`, `document` and `published_on` give: all
/// three or none.
pub(crate) fn evaluation_from_py(
    py: Python<'_>,
    kind: Option<&str>,
    document: Option<String>,
    published_on: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<daicho::Evaluation>> {
    match (kind, document, published_on) {
        (None, None, None) => Ok(None),
        (Some(kind), Some(document), Some(published_on)) => Ok(Some(daicho::Evaluation {
            kind: kind.parse().py_err(py)?,
            document,
            published_on: date_from_py("published_on", published_on)?,
        })),
        (kind, document, published_on) => {
            // The first argument missing is the one named.
            let missing = [
                ("evaluation", kind.is_none()),
                ("document", document.is_none()),
                ("published_on", published_on.is_none()),
            ]
            .into_iter()
            .find_map(|(name, missing)| missing.then_some(name))
            .unwrap_or("evaluation");
            Err(invalid(
                missing,
                "",
                "評価には evaluation、document、published_on をそろえて指定してください",
                "an evaluation needs evaluation, document and published_on together",
            ))
            .py_err(py)
        }
    }
}

fn date_or_none(py: Python<'_>, date: Option<Date>) -> PyResult<Bound<'_, PyAny>> {
    match date {
        Some(date) => Ok(date_to_py(py, date)?.into_any()),
        None => Ok(py.None().into_bound(py)),
    }
}

/// A tracked finding: `id`, `key`, `rule`, `assets` (ids as text, the one to fix
/// first), `status`, `first_seen`, `last_seen`, `resolved_on`, `owner`,
/// `due_on`, `overdue` (on `today`), `message_ja`, `message_en`.
pub(crate) fn finding_dict<'py>(
    py: Python<'py>,
    f: &TrackedFinding,
    today: Date,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("id", f.id)?;
    dict.set_item("key", &f.key)?;
    dict.set_item("rule", f.rule.code())?;
    let assets: Vec<String> = f.assets.iter().map(ToString::to_string).collect();
    dict.set_item("assets", assets)?;
    dict.set_item("status", f.status.code())?;
    dict.set_item("first_seen", date_to_py(py, f.first_seen)?)?;
    dict.set_item("last_seen", date_to_py(py, f.last_seen)?)?;
    dict.set_item("resolved_on", date_or_none(py, f.resolved_on)?)?;
    dict.set_item("owner", f.owner.as_deref())?;
    dict.set_item("due_on", date_or_none(py, f.due_on)?)?;
    dict.set_item("overdue", f.is_overdue(today))?;
    dict.set_item("message_ja", &f.message_ja)?;
    dict.set_item("message_en", &f.message_en)?;
    Ok(dict)
}

fn file_dict<'py>(py: Python<'py>, f: &ProcessFile) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("id", f.id.to_string())?;
    dict.set_item("name", &f.name)?;
    dict.set_item("record_count", f.record_count)?;
    dict.set_item("my_number", f.my_number)?;
    Ok(dict)
}

/// A 事務 with its figures, the evaluation they require and the one done.
pub(crate) fn process_dict<'py>(py: Python<'py>, e: &PiaEntry) -> PyResult<Bound<'py, PyDict>> {
    let p = &e.process;
    let dict = PyDict::new(py);
    dict.set_item("id", p.id)?;
    dict.set_item("name", &p.name)?;
    dict.set_item("persons", e.need.persons)?;
    dict.set_item("persons_stated", p.stated_persons.is_some())?;
    dict.set_item("handlers", p.handlers)?;
    dict.set_item("incident_on", date_or_none(py, p.incident_on)?)?;
    dict.set_item("serious_incident", e.need.serious_incident)?;
    dict.set_item("required", e.need.required.map(daicho::PiaKind::code))?;
    let done = p.evaluation.as_ref();
    dict.set_item("evaluation", done.map(|v| v.kind.code()))?;
    dict.set_item("document", done.map(|v| v.document.as_str()))?;
    dict.set_item(
        "published_on",
        date_or_none(py, done.map(|v| v.published_on))?,
    )?;
    dict.set_item("verdict", e.verdict.code())?;
    let files = PyList::empty(py);
    for f in &e.files {
        files.append(file_dict(py, f)?)?;
    }
    dict.set_item("files", files)?;
    Ok(dict)
}

/// The list: `today`, `processes`, `unassigned` (files of 特定個人情報 naming no
/// 事務) and `unknown` (files naming an unregistered one, with `named`).
pub(crate) fn pia_dict<'py>(py: Python<'py>, report: &PiaReport) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("today", date_to_py(py, report.today)?)?;
    let processes = PyList::empty(py);
    for e in &report.entries {
        processes.append(process_dict(py, e)?)?;
    }
    dict.set_item("processes", processes)?;
    let unassigned = PyList::empty(py);
    for f in &report.unassigned {
        unassigned.append(file_dict(py, f)?)?;
    }
    dict.set_item("unassigned", unassigned)?;
    let unknown = PyList::empty(py);
    for u in &report.unknown {
        let file = file_dict(py, &u.file)?;
        file.set_item("named", &u.named)?;
        unknown.append(file)?;
    }
    dict.set_item("unknown", unknown)?;
    Ok(dict)
}
