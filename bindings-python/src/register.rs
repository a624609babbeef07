//! `daicho.Register`: one register file, opened from Python.
//!
//! The library's register holds an SQLite connection, which may move between threads but
//! not be shared by them, so it lives in a `Mutex`. Every call releases the GIL before it
//! takes the lock and does its work, so a long call never blocks other Python threads and
//! two threads can never wait on each other; Python values are converted before and after.
//!
//! The lock is lent to a thread: the caller's, also while `to_records()` reads on a second
//! thread for it. Python may run code on the caller's thread meanwhile (a finalizer, an
//! `__eq__`); if that code calls the same register, it would wait for a lock its own thread
//! holds, forever. Such a call raises `DaichoError` instead; calls from other threads wait.

use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::thread::ThreadId;

use daicho::sheet::{Encoding, ExportOptions, Headers, ImportOptions};
use daicho::{CheckOptions, Disposal, FieldChange, Link, Relation, Sanitization};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::arrow::{ArrowStream, arrow_err, import_extra, read_batches as read_arrow};
use crate::asset::Asset;
use crate::check::{CheckReport, RuleException};
use crate::convert::{
    AssetRef, FilterArgs, date_from_py, field_change, flag, new_fields, required_fields,
};
use crate::cycle::{at_day, attestation_dict, campaign_dict, change_dict, status_dict};
use crate::errors::{IntoPyResult, RECORDS_FILE, closed, invalid, reentered};
use crate::followup::{evaluation_from_py, finding_dict, pia_dict};
use crate::iterate::{AssetIterator, ReadPage};
use crate::records::{Batch, link_records, read_batches, records_from_batches};
use crate::records_import::sheet_from_records;
use crate::report::{AuditEntry, Policy, Verification, summary_dict};
use crate::sheet::{ImportReport, UndoReport};

/// An information asset register (情報資産管理台帳): one SQLite file, or a schema on a
/// PostgreSQL server when the path is a `postgres://` URL.
///
/// Make one with `Register.create(path)` or open one with `Register.open(path)`; use it
/// in a `with` block, or call `close()`, to release the file (or the connection).
#[pyclass(frozen, module = "daicho", name = "Register")]
#[derive(Debug)]
pub(crate) struct Register {
    inner: Mutex<Option<daicho::Register>>,
    /// The thread the register is lent to, if it is: the one whose call holds `inner`.
    lent_to: Mutex<Option<ThreadId>>,
    /// Told when the register is given back.
    returned: Condvar,
    /// A copy of the register's policy, to parse codes without taking the lock.
    pub(crate) policy: daicho::Policy,
    /// The register's file; None in memory or on a server.
    path: Option<PathBuf>,
    /// The server's URL as given, for a register on a database server.
    url: Option<String>,
}

/// The outcome of a call on a register that may have been closed.
enum Call<T> {
    Done(daicho::Result<T>),
    Closed,
    /// Called again from the thread of a call still running on it.
    Reentered,
}

/// The register lent to one thread's call; given back when dropped.
struct Lent<'r> {
    register: &'r Register,
    guard: MutexGuard<'r, Option<daicho::Register>>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        *self
            .register
            .lent_to
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
        self.register.returned.notify_all();
    }
}

impl Register {
    fn new(py: Python<'_>, mut register: daicho::Register) -> Self {
        // An OS user name no actor may hold (a control character) is not recorded.
        if register.set_actor(default_actor(py)).is_err() {
            let _ = register.set_actor("unknown");
        }
        crate::policies::remember(py, register.policy());
        // The library keeps a server's URL as its path; as a `pathlib.Path` it would lose
        // a slash of `//` and no longer name the server.
        let (path, url) = match register.path() {
            Some(location) if is_server_url(location) => {
                (None, Some(location.to_string_lossy().into_owned()))
            }
            location => (location.map(ToOwned::to_owned), None),
        };
        Register {
            policy: register.policy().clone(),
            path,
            url,
            inner: Mutex::new(Some(register)),
            lent_to: Mutex::new(None),
            returned: Condvar::new(),
        }
    }

    /// Lends the register to a call of thread `caller`: waits while another thread's
    /// call holds it, and is `None` when `caller`'s own call does (re-entry).
    fn lend(&self, caller: ThreadId) -> Option<Lent<'_>> {
        let mut lent_to = self.lent_to.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            match *lent_to {
                None => break,
                Some(holder) if holder == caller => return None,
                Some(_) => {
                    lent_to = self
                        .returned
                        .wait(lent_to)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            }
        }
        *lent_to = Some(caller);
        drop(lent_to);
        // Only the thread the register is lent to takes the lock, so this never waits
        // long; a `Lent` made now gives the register back even if taking it panics.
        let guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        Some(Lent {
            register: self,
            guard,
        })
    }

    /// Runs `work` on the library's register for a call of thread `caller`; the caller
    /// must not hold the GIL.
    fn with_register<T>(
        &self,
        caller: ThreadId,
        work: impl FnOnce(&mut daicho::Register) -> daicho::Result<T>,
    ) -> Call<T> {
        let Some(mut lent) = self.lend(caller) else {
            return Call::Reentered;
        };
        match lent.guard.as_mut() {
            Some(register) => Call::Done(work(register)),
            None => Call::Closed,
        }
    }

    /// Runs `work` on the library's register with the GIL released.
    pub(crate) fn call<T: Send>(
        &self,
        py: Python<'_>,
        work: impl FnOnce(&mut daicho::Register) -> daicho::Result<T> + Send,
    ) -> PyResult<T> {
        let caller = std::thread::current().id();
        let outcome = py.detach(|| self.with_register(caller, work));
        match outcome {
            Call::Done(result) => result.py_err(py),
            Call::Closed => Err(closed()),
            Call::Reentered => Err(reentered()),
        }
    }
}

/// The language of `labels=` (`"ja"` or `"en"`), or None for codes.
fn labels_lang(labels: Option<&str>) -> daicho::Result<Option<daicho::Lang>> {
    match labels {
        None => Ok(None),
        Some("ja") => Ok(Some(daicho::Lang::Ja)),
        Some("en") => Ok(Some(daicho::Lang::En)),
        Some(other) => Err(daicho::Error::UnknownValue {
            field: "labels",
            value: other.to_owned(),
            allowed: vec!["ja".to_owned(), "en".to_owned()],
            suggestions: Vec::new(),
            allowed_ja: Vec::new(),
        }),
    }
}

/// A wire record as JSON text (a record of plain fields always serializes).
fn wire_json(record: &impl serde::Serialize) -> String {
    serde_json::to_string(record).unwrap_or_else(|_| "null".to_owned())
}

/// JSON text as Python values, through `json.loads`.
fn json_to_py<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (json,))
}

/// Whether a register's location names a database server rather than a file (as the
/// library decides, `store::is_server_url`).
fn is_server_url(location: &std::path::Path) -> bool {
    location
        .to_str()
        .is_some_and(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// The OS user, as `getpass.getuser()` finds it; `unknown` when it finds none.
fn default_actor(py: Python<'_>) -> String {
    py.import("getpass")
        .and_then(|getpass| getpass.call_method0("getuser"))
        .and_then(|user| user.extract::<String>())
        .unwrap_or_else(|_| "unknown".to_owned())
}

/// A policy argument: a built-in profile's name or a path to a TOML file.
fn load_policy(py: Python<'_>, policy: Option<&Bound<'_, PyAny>>) -> PyResult<daicho::Policy> {
    let Some(policy) = policy else {
        return Ok(daicho::Policy::niigata());
    };
    if let Ok(text) = policy.cast::<PyString>() {
        let text = text.to_cow()?.into_owned();
        return py.detach(|| daicho::Policy::load(&text)).py_err(py);
    }
    let path: PathBuf = policy.extract().map_err(|_| {
        PyTypeError::new_err("`policy` takes a built-in profile's name or a path to a TOML file")
    })?;
    py.detach(|| daicho::Policy::from_path(&path)).py_err(py)
}

#[pymethods]
impl Register {
    /// Creates a new register file with a policy: a built-in profile's name (`niigata`,
    /// `mic-r5`) or a path to a TOML profile. Refuses to overwrite a file
    /// (`FileExistsError`); on a server, the schema must hold no tables (`ServerError`).
    #[staticmethod]
    #[pyo3(signature = (path, policy = None), text_signature = "(path, policy='niigata')")]
    fn create(py: Python<'_>, path: PathBuf, policy: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let policy = load_policy(py, policy)?;
        let register = py
            .detach(move || daicho::Register::create(&path, &policy))
            .py_err(py)?;
        Ok(Register::new(py, register))
    }

    /// Opens an existing register; a missing file is a `FileNotFoundError`, a server that
    /// cannot be reached or a schema without a register a `ServerError`.
    ///
    /// `read_only=True` opens it for reading only: no migration, no change of its journal
    /// mode, not a byte written, so that it works on a read-only file or in a read-only
    /// folder; changes raise `DaichoError`.
    #[staticmethod]
    #[pyo3(signature = (path, *, read_only = false))]
    fn open(py: Python<'_>, path: PathBuf, read_only: bool) -> PyResult<Self> {
        let register = py
            .detach(move || {
                if read_only {
                    daicho::Register::open_read_only(&path)
                } else {
                    daicho::Register::open(&path)
                }
            })
            .py_err(py)?;
        Ok(Register::new(py, register))
    }

    /// Closes the register; later calls raise `DaichoError`. Closing twice is harmless.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let caller = std::thread::current().id();
        let register = py.detach(|| self.lend(caller).map(|mut lent| lent.guard.take()));
        let Some(register) = register else {
            return Err(reentered());
        };
        py.detach(move || drop(register));
        Ok(())
    }

    /// True once `close()` was called or the `with` block ended.
    #[getter]
    fn closed(&self, py: Python<'_>) -> PyResult<bool> {
        let caller = std::thread::current().id();
        py.detach(|| self.lend(caller).map(|lent| lent.guard.is_none()))
            .ok_or_else(reentered)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Closes the register; exceptions from the block propagate.
    fn __exit__(
        &self,
        py: Python<'_>,
        exc_type: Option<&Bound<'_, PyAny>>,
        exc_value: Option<&Bound<'_, PyAny>>,
        traceback: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let _ = (exc_type, exc_value, traceback);
        self.close(py)
    }

    /// The register's file; None for a register in memory or on a database server.
    #[getter]
    fn path(&self) -> Option<PathBuf> {
        self.path.clone()
    }

    /// The URL a register on a database server was opened with; None for a file.
    #[getter]
    fn url(&self) -> Option<String> {
        self.url.clone()
    }

    /// The policy the register was created with.
    #[getter]
    fn policy(&self) -> Policy {
        Policy {
            inner: self.policy.clone(),
        }
    }

    /// Who is making the changes, recorded in every audit entry; the OS user at first.
    #[getter]
    fn actor(&self, py: Python<'_>) -> PyResult<String> {
        self.call(py, |register| Ok(register.actor().to_owned()))
    }

    #[setter]
    fn set_actor(&self, py: Python<'_>, actor: String) -> PyResult<()> {
        self.call(py, move |register| register.set_actor(actor))
    }

    /// Adds an asset and returns it. Codes may be given in any form the library reads:
    /// `kind="ア"`, `organization="水道局"`, `confidentiality="自治体機密性3B"`,
    /// `segment="LGWAN接続系"`; dates as `datetime.date` or text (`令和7年4月8日`).
    #[pyo3(signature = (
        *, kind, name, organization, confidentiality, integrity, availability,
        department = "", asset_number = None, manager = None, segment = None, medium = None,
        location = None,
        personal = false, sensitive = false, my_number = false, record_count = None,
        controls = None, hosting = None, provider = None, contract = None, retention = None,
        exclusion_reason = None, reviewed_on = None, notes = None, extra = None, id = None
    ))]
    #[allow(clippy::too_many_arguments)] // One keyword argument per field, as Python callers expect.
    fn add(
        &self,
        py: Python<'_>,
        kind: &Bound<'_, PyAny>,
        name: &Bound<'_, PyAny>,
        organization: &Bound<'_, PyAny>,
        confidentiality: &Bound<'_, PyAny>,
        integrity: &Bound<'_, PyAny>,
        availability: &Bound<'_, PyAny>,
        department: &str,
        asset_number: Option<&Bound<'_, PyAny>>,
        manager: Option<&Bound<'_, PyAny>>,
        segment: Option<&Bound<'_, PyAny>>,
        medium: Option<&Bound<'_, PyAny>>,
        location: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = flag::personal)] personal: bool,
        #[pyo3(from_py_with = flag::sensitive)] sensitive: bool,
        #[pyo3(from_py_with = flag::my_number)] my_number: bool,
        record_count: Option<&Bound<'_, PyAny>>,
        controls: Option<&Bound<'_, PyAny>>,
        hosting: Option<&Bound<'_, PyAny>>,
        provider: Option<&Bound<'_, PyAny>>,
        contract: Option<&Bound<'_, PyAny>>,
        retention: Option<&Bound<'_, PyAny>>,
        exclusion_reason: Option<&Bound<'_, PyAny>>,
        reviewed_on: Option<&Bound<'_, PyAny>>,
        notes: Option<&Bound<'_, PyAny>>,
        extra: Option<&Bound<'_, PyAny>>,
        id: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Asset> {
        let policy = &self.policy;
        let parse = |name: &str, value: &Bound<'_, PyAny>| field_change(policy, "add", name, value);
        let (kind, name, organization, levels) = required_fields(
            policy,
            kind,
            name,
            organization,
            [confidentiality, integrity, availability],
        )?;
        let mut changes = vec![
            FieldChange::Department(department.trim().to_owned()),
            FieldChange::Personal(personal),
            FieldChange::Sensitive(sensitive),
            FieldChange::MyNumber(my_number),
        ];
        for (field, value) in [
            ("asset_number", asset_number),
            ("manager", manager),
            ("segment", segment),
            ("medium", medium),
            ("location", location),
            ("record_count", record_count),
            ("controls", controls),
            ("hosting", hosting),
            ("provider", provider),
            ("contract", contract),
            ("retention", retention),
            ("exclusion_reason", exclusion_reason),
            ("reviewed_on", reviewed_on),
            ("notes", notes),
            ("extra", extra),
        ] {
            if let Some(value) = value {
                changes.push(parse(field, value)?);
            }
        }
        let id = id.map(crate::convert::id_from_py).transpose()?;
        let fields = new_fields(kind, name, organization, levels, changes).py_err(py)?;
        let asset = self.call(py, move |register| match id {
            Some(id) => register.add_with_id(id, fields),
            None => register.add(fields),
        })?;
        Ok(Asset { inner: asset })
    }

    /// One asset by id (a `uuid.UUID` or its text), or by its unique name.
    fn get(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<Asset> {
        let target = AssetRef::from_py(id)?;
        let asset = self.call(py, move |register| match target {
            AssetRef::Id(id) => register.get(id),
            AssetRef::Text(text) => register.resolve(&text),
        })?;
        Ok(Asset { inner: asset })
    }

    /// Changes the fields given as keyword arguments (the names `add` takes), if the
    /// asset is still at `expected_version`; else raises `ConflictError`. `None` clears an
    /// optional field. Returns the asset as it is now (unchanged when nothing differs).
    #[pyo3(signature = (id, *, expected_version, **changes))]
    fn update(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        expected_version: u64,
        changes: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Asset> {
        let target = AssetRef::from_py(id)?;
        let mut parsed = Vec::new();
        if let Some(changes) = changes {
            for (name, value) in changes.iter() {
                let name: String = name.extract()?;
                parsed.push(field_change(&self.policy, "update", &name, &value)?);
            }
        }
        let asset = self.call(py, move |register| {
            let id = target.resolve(register)?;
            let mut fields = register.get(id)?.fields;
            fields.apply(parsed)?;
            register.update(id, expected_version, fields)
        })?;
        Ok(Asset { inner: asset })
    }

    /// Records the asset's disposal (廃棄) on `date` by `person`, if it is still at
    /// `expected_version`. A disposed asset can no longer be changed.
    #[pyo3(signature = (
        id, *, expected_version, date, person, method = None, approver = None, certificate = None
    ))]
    #[allow(clippy::too_many_arguments)] // One keyword argument per part of the disposal record.
    fn dispose(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        expected_version: u64,
        date: &Bound<'_, PyAny>,
        person: &str,
        method: Option<String>,
        approver: Option<String>,
        certificate: Option<String>,
    ) -> PyResult<Asset> {
        let target = AssetRef::from_py(id)?;
        let text =
            |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let disposal = Disposal {
            date: date_from_py("disposed_on", date)?,
            person: person.trim().to_owned(),
            method: text(method),
            approver: text(approver),
            certificate: text(certificate),
        };
        let asset = self.call(py, move |register| {
            let id = target.resolve(register)?;
            register.dispose(id, expected_version, disposal)
        })?;
        Ok(Asset { inner: asset })
    }

    /// Links two assets: `from_` and `to` are ids, `Asset`s or unique names; `relation`
    /// is `stored_on`, `describes`, `connects_to`, `transfers_to` or `copy_of` (or a
    /// Japanese label). A transfer may name its `sanitization`.
    #[pyo3(signature = (from_, relation, to, *, sanitization = None))]
    fn link(
        &self,
        py: Python<'_>,
        from_: &Bound<'_, PyAny>,
        relation: &str,
        to: &Bound<'_, PyAny>,
        sanitization: Option<&str>,
    ) -> PyResult<()> {
        let from = AssetRef::from_py(from_)?;
        let to = AssetRef::from_py(to)?;
        let relation = Relation::parse(relation).py_err(py)?;
        let sanitization = sanitization
            .map(Sanitization::parse)
            .transpose()
            .py_err(py)?;
        self.call(py, move |register| {
            let link = Link {
                from: from.resolve(register)?,
                relation,
                to: to.resolve(register)?,
                sanitization,
            };
            register.link(link)
        })
    }

    /// Removes a link; `NotFoundError` when there is none.
    fn unlink(
        &self,
        py: Python<'_>,
        from_: &Bound<'_, PyAny>,
        relation: &str,
        to: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let from = AssetRef::from_py(from_)?;
        let to = AssetRef::from_py(to)?;
        let relation = Relation::parse(relation).py_err(py)?;
        self.call(py, move |register| {
            let from = from.resolve(register)?;
            let to = to.resolve(register)?;
            register.unlink(from, relation, to)
        })
    }

    /// Deletes an asset registered by mistake, saying why; the audit log keeps its last
    /// state and the reason. While links join it to other assets it raises
    /// `ConflictError`, unless `with_links=True` removes them too (each with an audit
    /// entry). Returns the asset as it was.
    #[pyo3(signature = (id, *, reason, with_links = false))]
    fn delete(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        reason: String,
        with_links: bool,
    ) -> PyResult<Asset> {
        let target = AssetRef::from_py(id)?;
        let deletion = self.call(py, move |register| {
            let id = target.resolve(register)?;
            if with_links {
                register.delete_with_links(id, &reason)
            } else {
                register.delete(id, &reason)
            }
        })?;
        Ok(Asset {
            inner: deletion.asset,
        })
    }

    /// Reverts an import (`"last"`, or its id from `ImportReport.import_id`) in one
    /// transaction: assets it created are deleted, assets it changed get their earlier
    /// state back, links it added are removed. When an asset it touched changed since, it
    /// raises `ConflictError` and reverts nothing.
    #[pyo3(signature = (import_id = None), text_signature = "($self, import_id='last')")]
    fn undo_import(
        &self,
        py: Python<'_>,
        import_id: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<UndoReport> {
        let which = match import_id {
            None => daicho::ImportRef::Last,
            Some(value) => {
                if let Ok(id) = value.extract::<u64>() {
                    daicho::ImportRef::Id(id)
                } else if let Ok(text) = value.extract::<String>() {
                    text.parse().py_err(py)?
                } else {
                    return Err(PyTypeError::new_err(
                        "`import_id` takes \"last\" or an import's id (an int)",
                    ));
                }
            }
        };
        let inner = self.call(py, move |register| register.undo_import(which))?;
        Ok(UndoReport { inner })
    }

    /// The links as plain dicts `{"from": id, "relation": code, "to": id, "sanitization":
    /// code or None}`, ids as text; all of them, or those from or to one asset.
    #[pyo3(signature = (of = None))]
    fn links<'py>(
        &self,
        py: Python<'py>,
        of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let target = of.map(AssetRef::from_py).transpose()?;
        let links = self.call(py, move |register| match target {
            Some(target) => {
                let id = target.resolve(register)?;
                register.links_of(id)
            }
            None => register.links(),
        })?;
        link_records(py, &links)
    }

    /// The assets every given criterion selects, ordered by organization (in the
    /// policy's order), then name. Disposed assets are left out unless
    /// `disposed="include"` or `"only"`. `department` is matched as written (所属);
    /// `name_contains` ignores width, case and katakana/hiragana (`ｼｽﾃﾑ` finds システム).
    #[pyo3(signature = (
        *, organization = None, kind = None, segment = None, min_confidentiality = None,
        min_integrity = None, min_availability = None, in_scope = None, personal = None,
        sensitive = None, my_number = None, name_contains = None, disposed = "exclude",
        department = None, manager = None, reviewed_before = None, updated_since = None,
        as_of = None
    ))]
    #[allow(clippy::too_many_arguments)] // One keyword argument per filter criterion.
    fn assets(
        &self,
        py: Python<'_>,
        organization: Option<&str>,
        kind: Option<&str>,
        segment: Option<&str>,
        min_confidentiality: Option<&Bound<'_, PyAny>>,
        min_integrity: Option<&Bound<'_, PyAny>>,
        min_availability: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = flag::filter::in_scope)] in_scope: Option<bool>,
        #[pyo3(from_py_with = flag::filter::personal)] personal: Option<bool>,
        #[pyo3(from_py_with = flag::filter::sensitive)] sensitive: Option<bool>,
        #[pyo3(from_py_with = flag::filter::my_number)] my_number: Option<bool>,
        name_contains: Option<&str>,
        disposed: &str,
        department: Option<&str>,
        manager: Option<&str>,
        reviewed_before: Option<&Bound<'_, PyAny>>,
        updated_since: Option<&Bound<'_, PyAny>>,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Asset>> {
        let filter = FilterArgs {
            organization,
            department,
            kind,
            segment,
            min_confidentiality,
            min_integrity,
            min_availability,
            in_scope,
            personal,
            sensitive,
            my_number,
            name_contains,
            disposed,
            manager,
            reviewed_before,
            updated_since,
        }
        .to_filter(py, &self.policy)?;
        let as_of = as_of.map(|d| date_from_py("as_of", d)).transpose()?;
        let assets = self.call(py, move |register| {
            at_day(register, as_of, |register| register.assets(&filter))
        })?;
        Ok(assets.into_iter().map(|inner| Asset { inner }).collect())
    }

    /// The same selection as `assets()`, as a list of plain dicts ready for
    /// `pandas.DataFrame(...)`: codes and the id as `str`, dates as `datetime.date`,
    /// `controls` as a tuple of codes, `extra` as a dict, or None when there are none.
    ///
    /// A second thread reads the register while this one builds the dicts; the GIL is
    /// released while it waits for the reader.
    #[pyo3(signature = (
        *, organization = None, kind = None, segment = None, min_confidentiality = None,
        min_integrity = None, min_availability = None, in_scope = None, personal = None,
        sensitive = None, my_number = None, name_contains = None, disposed = "exclude",
        department = None, manager = None, reviewed_before = None, updated_since = None,
        labels = None, as_of = None
    ))]
    #[allow(clippy::too_many_arguments)] // One keyword argument per filter criterion.
    fn to_records<'py>(
        &self,
        py: Python<'py>,
        organization: Option<&str>,
        kind: Option<&str>,
        segment: Option<&str>,
        min_confidentiality: Option<&Bound<'py, PyAny>>,
        min_integrity: Option<&Bound<'py, PyAny>>,
        min_availability: Option<&Bound<'py, PyAny>>,
        #[pyo3(from_py_with = flag::filter::in_scope)] in_scope: Option<bool>,
        #[pyo3(from_py_with = flag::filter::personal)] personal: Option<bool>,
        #[pyo3(from_py_with = flag::filter::sensitive)] sensitive: Option<bool>,
        #[pyo3(from_py_with = flag::filter::my_number)] my_number: Option<bool>,
        name_contains: Option<&str>,
        disposed: &str,
        department: Option<&str>,
        manager: Option<&str>,
        reviewed_before: Option<&Bound<'py, PyAny>>,
        updated_since: Option<&Bound<'py, PyAny>>,
        labels: Option<&str>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let filter = FilterArgs {
            organization,
            department,
            kind,
            segment,
            min_confidentiality,
            min_integrity,
            min_availability,
            in_scope,
            personal,
            sensitive,
            my_number,
            name_contains,
            disposed,
            manager,
            reviewed_before,
            updated_since,
        }
        .to_filter(py, &self.policy)?;
        let labels = labels_lang(labels)
            .py_err(py)?
            .map(|lang| (&self.policy, lang));
        let as_of = as_of.map(|d| date_from_py("as_of", d)).transpose()?;
        // A second thread reads the register in batches while this one builds the dicts,
        // and frees each batch when this one sends it back.
        let (batches, received) = mpsc::sync_channel::<Batch>(4);
        let received = Mutex::new(received);
        let (done, used) = mpsc::channel::<Vec<daicho::Asset>>();
        // The reader holds the register for this thread: a call from this thread while it
        // reads (a finalizer run while the dicts are built) raises instead of waiting.
        let caller = std::thread::current().id();
        std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                let read = self.with_register(caller, |register| {
                    at_day(register, as_of, |register| {
                        read_batches(register, &filter, &batches, &used)
                    })
                });
                drop(batches);
                for batch in used {
                    drop(batch);
                }
                read
            });
            let records = records_from_batches(py, &received, done, labels);
            drop(received);
            let read = py
                .detach(|| reader.join())
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let records = records?;
            match read {
                Call::Done(result) => result.py_err(py).map(|()| records),
                Call::Closed => Err(closed()),
                Call::Reentered => Err(reentered()),
            }
        })
    }

    /// The same selection and columns as `to_records()`, as Arrow record batches of up to
    /// `batch_size` rows behind the Arrow `PyCapsule` interface (`__arrow_c_stream__`), for
    /// `pyarrow.table(...)`, `polars.DataFrame(...)` or any Arrow library; see `to_arrow()`
    /// for the column types. The register is read in one read transaction, with the GIL
    /// released, while a second thread builds the batches.
    #[pyo3(signature = (
        *, organization = None, kind = None, segment = None, min_confidentiality = None,
        min_integrity = None, min_availability = None, in_scope = None, personal = None,
        sensitive = None, my_number = None, name_contains = None, disposed = "exclude",
        department = None, manager = None, reviewed_before = None, updated_since = None,
        labels = None, as_of = None, batch_size = 65536
    ))]
    #[allow(clippy::too_many_arguments)] // One keyword argument per filter criterion.
    fn arrow_stream(
        &self,
        py: Python<'_>,
        organization: Option<&str>,
        kind: Option<&str>,
        segment: Option<&str>,
        min_confidentiality: Option<&Bound<'_, PyAny>>,
        min_integrity: Option<&Bound<'_, PyAny>>,
        min_availability: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = flag::filter::in_scope)] in_scope: Option<bool>,
        #[pyo3(from_py_with = flag::filter::personal)] personal: Option<bool>,
        #[pyo3(from_py_with = flag::filter::sensitive)] sensitive: Option<bool>,
        #[pyo3(from_py_with = flag::filter::my_number)] my_number: Option<bool>,
        name_contains: Option<&str>,
        disposed: &str,
        department: Option<&str>,
        manager: Option<&str>,
        reviewed_before: Option<&Bound<'_, PyAny>>,
        updated_since: Option<&Bound<'_, PyAny>>,
        labels: Option<&str>,
        as_of: Option<&Bound<'_, PyAny>>,
        batch_size: usize,
    ) -> PyResult<ArrowStream> {
        let filter = FilterArgs {
            organization,
            department,
            kind,
            segment,
            min_confidentiality,
            min_integrity,
            min_availability,
            in_scope,
            personal,
            sensitive,
            my_number,
            name_contains,
            disposed,
            manager,
            reviewed_before,
            updated_since,
        }
        .to_filter(py, &self.policy)?;
        let lang = labels_lang(labels).py_err(py)?;
        if batch_size == 0 {
            return Err(invalid(
                "batch_size",
                "0",
                "1 つのバッチには少なくとも 1 行が入ります",
                "a batch holds at least one row",
            ))
            .py_err(py);
        }
        let as_of = as_of.map(|d| date_from_py("as_of", d)).transpose()?;
        let policy = &self.policy;
        let batches = self.call(py, move |register| {
            at_day(register, as_of, |register| {
                read_arrow(
                    register,
                    &filter,
                    lang.map(|lang| (policy, lang)),
                    batch_size,
                )
            })
        })?;
        Ok(ArrowStream::new(batches.map_err(|e| arrow_err(&e))?))
    }

    /// The same selection and columns as `to_records()` as a `pyarrow.Table` (pyarrow
    /// must be installed: `pip install 'daicho[arrow]'`); takes `arrow_stream()`'s
    /// keywords. The id and free text are `string`; codes `dictionary<int32, string>`;
    /// flags `bool`; counts and the version `int64`; dates `date32`; times
    /// `timestamp[us, tz=UTC]`; controls `list<string>`; `extra` JSON text (null for none).
    #[pyo3(signature = (**filters))]
    fn to_arrow<'py>(
        slf: &Bound<'py, Self>,
        filters: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let pyarrow = import_extra(slf.py(), "pyarrow", "to_arrow", "arrow")?;
        let stream = slf.call_method("arrow_stream", (), filters)?;
        pyarrow.call_method1("table", (stream,))
    }

    /// `to_arrow()` as a `pandas.DataFrame` (`pip install 'daicho[pandas]'`): codes are
    /// `category`, dates `datetime.date` objects, times `datetime64[us, UTC]`.
    #[pyo3(signature = (**filters))]
    fn to_pandas<'py>(
        slf: &Bound<'py, Self>,
        filters: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        import_extra(py, "pandas", "to_pandas", "pandas")?;
        import_extra(py, "pyarrow", "to_pandas", "pandas")?;
        Register::to_arrow(slf, filters)?.call_method0("to_pandas")
    }

    /// `arrow_stream()` as a `polars.DataFrame` (`pip install 'daicho[polars]'`; pyarrow is
    /// not needed): codes are `Categorical`, dates `Date`, times `Datetime(us, UTC)`.
    #[pyo3(signature = (**filters))]
    fn to_polars<'py>(
        slf: &Bound<'py, Self>,
        filters: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let polars = import_extra(slf.py(), "polars", "to_polars", "polars")?;
        let stream = slf.call_method("arrow_stream", (), filters)?;
        polars.call_method1("DataFrame", (stream,))
    }

    /// Imports an asset sheet (CSV, as Excel writes it: UTF-8 with or without a BOM,
    /// CP932 or UTF-16, English or Japanese headers), and a link sheet if `links` names
    /// one, in one transaction. Rows with an id update that asset; rows without one
    /// create assets. Any error raises `CsvImportError` with every row error, and nothing
    /// is written. `dry_run=True` reports what would change and writes nothing.
    ///
    /// A cell holding a number shaped like a 個人番号 (12 digits with a valid check digit)
    /// is refused unless its column is in `allow_my_number_like` (headers as written, or
    /// any name of the column), for columns that hold other 12-digit codes. A row larger
    /// than `max_record_bytes` (1 MiB by default) is refused.
    #[allow(clippy::too_many_arguments)] // The file, then one keyword per import option.
    #[pyo3(signature = (
        path, *, links = None, dry_run = false, encoding = None, strict = false,
        allow_my_number_like = None, max_record_bytes = None
    ))]
    fn import_csv(
        &self,
        py: Python<'_>,
        path: PathBuf,
        links: Option<PathBuf>,
        dry_run: bool,
        encoding: Option<&str>,
        strict: bool,
        allow_my_number_like: Option<Vec<String>>,
        max_record_bytes: Option<u64>,
    ) -> PyResult<ImportReport> {
        let mut options = ImportOptions::default();
        if let Some(encoding) = encoding {
            options.encoding(Encoding::parse(encoding).py_err(py)?);
        }
        options.dry_run(dry_run).strict(strict);
        for column in allow_my_number_like.unwrap_or_default() {
            options.allow_my_number_like(column);
        }
        if let Some(bytes) = max_record_bytes {
            options.max_record_bytes(bytes);
        }
        let inner = self.call(py, move |register| {
            register.import_paths(Some(&path), links.as_deref(), &options)
        })?;
        Ok(ImportReport { inner })
    }

    /// Imports rows of records (a list of dicts with `to_records()`'s keys, or a pandas
    /// or polars `DataFrame`) through the same atomic import as `import_csv`: rows with an
    /// id update that asset, rows without one create assets; any error raises
    /// `CsvImportError` whose issues give the row's `index`, and nothing is written.
    /// Sequences are multi-valued fields, whole floats counts, None/NaN/NaT empty cells;
    /// `extra` is a dict of the extra attributes; `created_at` and `updated_at` must be
    /// as the register has them (or empty), and `version` is the one the row was read at.
    #[pyo3(signature = (rows, *, dry_run = false, strict = false, allow_my_number_like = None))]
    fn import_records(
        &self,
        py: Python<'_>,
        rows: &Bound<'_, PyAny>,
        dry_run: bool,
        strict: bool,
        allow_my_number_like: Option<Vec<String>>,
    ) -> PyResult<ImportReport> {
        let sheet = sheet_from_records(rows)?;
        let mut options = ImportOptions::default();
        options
            .dry_run(dry_run)
            .strict(strict)
            .encoding(Encoding::Utf8);
        for column in allow_my_number_like.unwrap_or_default() {
            options.allow_my_number_like(column);
        }
        let mut imported = py.detach(|| {
            self.with_register(std::thread::current().id(), |register| {
                register.import_assets(sheet.as_slice(), &options)
            })
        });
        // The issues name the records, so that each gives its row's index.
        if let Call::Done(result) = &mut imported {
            match result {
                Ok(report) => {
                    for warning in &mut report.warnings {
                        RECORDS_FILE.clone_into(&mut warning.file);
                    }
                }
                Err(daicho::Error::Import {
                    source_name,
                    errors,
                    ..
                }) => {
                    "the records".clone_into(source_name);
                    for error in errors {
                        RECORDS_FILE.clone_into(&mut error.file);
                    }
                }
                Err(_) => {}
            }
        }
        let inner = match imported {
            Call::Done(result) => result.py_err(py)?,
            Call::Closed => return Err(closed()),
            Call::Reentered => return Err(reentered()),
        };
        Ok(ImportReport { inner })
    }

    /// The assets the filters select (the keywords of `assets()`), read `batch_size` at a
    /// time in id order (the order they were added in), so that a long listing is never
    /// held whole. The register is free between pages: the loop may change assets.
    #[pyo3(signature = (
        *, organization = None, kind = None, segment = None, min_confidentiality = None,
        min_integrity = None, min_availability = None, in_scope = None, personal = None,
        sensitive = None, my_number = None, name_contains = None, disposed = "exclude",
        department = None, manager = None, reviewed_before = None, updated_since = None,
        batch_size = 1000
    ))]
    #[allow(clippy::too_many_arguments)] // One keyword argument per filter criterion.
    fn iter_assets(
        slf: &Bound<'_, Self>,
        organization: Option<&str>,
        kind: Option<&str>,
        segment: Option<&str>,
        min_confidentiality: Option<&Bound<'_, PyAny>>,
        min_integrity: Option<&Bound<'_, PyAny>>,
        min_availability: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = flag::filter::in_scope)] in_scope: Option<bool>,
        #[pyo3(from_py_with = flag::filter::personal)] personal: Option<bool>,
        #[pyo3(from_py_with = flag::filter::sensitive)] sensitive: Option<bool>,
        #[pyo3(from_py_with = flag::filter::my_number)] my_number: Option<bool>,
        name_contains: Option<&str>,
        disposed: &str,
        department: Option<&str>,
        manager: Option<&str>,
        reviewed_before: Option<&Bound<'_, PyAny>>,
        updated_since: Option<&Bound<'_, PyAny>>,
        batch_size: usize,
    ) -> PyResult<AssetIterator> {
        let py = slf.py();
        let filter = FilterArgs {
            organization,
            department,
            kind,
            segment,
            min_confidentiality,
            min_integrity,
            min_availability,
            in_scope,
            personal,
            sensitive,
            my_number,
            name_contains,
            disposed,
            manager,
            reviewed_before,
            updated_since,
        }
        .to_filter(py, &slf.get().policy)?;
        let register = slf.clone().unbind();
        let read_page: ReadPage = Box::new(move |py, filter, after, limit| {
            register.get().call(py, move |register| {
                register.assets_page(filter, after, limit)
            })
        });
        AssetIterator::new(py, read_page, filter, batch_size, false)
    }

    /// `iter_assets()` as `to_records()` rows (plain dicts), `batch_size` at a time.
    #[pyo3(signature = (
        *, organization = None, kind = None, segment = None, min_confidentiality = None,
        min_integrity = None, min_availability = None, in_scope = None, personal = None,
        sensitive = None, my_number = None, name_contains = None, disposed = "exclude",
        department = None, manager = None, reviewed_before = None, updated_since = None,
        batch_size = 1000
    ))]
    #[allow(clippy::too_many_arguments)] // One keyword argument per filter criterion.
    fn iter_records(
        slf: &Bound<'_, Self>,
        organization: Option<&str>,
        kind: Option<&str>,
        segment: Option<&str>,
        min_confidentiality: Option<&Bound<'_, PyAny>>,
        min_integrity: Option<&Bound<'_, PyAny>>,
        min_availability: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = flag::filter::in_scope)] in_scope: Option<bool>,
        #[pyo3(from_py_with = flag::filter::personal)] personal: Option<bool>,
        #[pyo3(from_py_with = flag::filter::sensitive)] sensitive: Option<bool>,
        #[pyo3(from_py_with = flag::filter::my_number)] my_number: Option<bool>,
        name_contains: Option<&str>,
        disposed: &str,
        department: Option<&str>,
        manager: Option<&str>,
        reviewed_before: Option<&Bound<'_, PyAny>>,
        updated_since: Option<&Bound<'_, PyAny>>,
        batch_size: usize,
    ) -> PyResult<AssetIterator> {
        let mut iterator = Register::iter_assets(
            slf,
            organization,
            kind,
            segment,
            min_confidentiality,
            min_integrity,
            min_availability,
            in_scope,
            personal,
            sensitive,
            my_number,
            name_contains,
            disposed,
            department,
            manager,
            reviewed_before,
            updated_since,
            batch_size,
        )?;
        iterator.records = true;
        Ok(iterator)
    }

    /// Copies the register into a new file `dest` (owner-only, never over an existing
    /// file), as one consistent snapshot, and verifies the copy: the result says whether
    /// it is sound.
    fn backup(&self, py: Python<'_>, dest: PathBuf) -> PyResult<Verification> {
        let inner = self.call(py, move |register| register.backup(&dest))?;
        Ok(Verification { inner })
    }

    /// Restores a backup made by `backup()` into the register file `dest` and opens it.
    /// The backup must verify, else nothing is written; an existing `dest` is replaced
    /// only with `overwrite=True`. The restore is recorded in the audit log.
    #[staticmethod]
    #[pyo3(signature = (backup, dest, *, overwrite = false))]
    fn restore(py: Python<'_>, backup: PathBuf, dest: PathBuf, overwrite: bool) -> PyResult<Self> {
        let actor = default_actor(py);
        let register = py
            .detach(move || daicho::Register::restore_as(&backup, &dest, overwrite, &actor))
            .py_err(py)?;
        Ok(Register::new(py, register))
    }

    /// Why an asset has its effective classification: each axis's own and effective
    /// level with the path it is raised along, where 特定個人情報 arrives from, and the
    /// findings that name it; as a dict (the CLI's `explain --format json`).
    fn explain<'py>(&self, py: Python<'py>, id: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let target = AssetRef::from_py(id)?;
        let json = self.call(py, move |register| {
            let id = target.resolve(register)?;
            let explanation = register.explain(id)?;
            Ok(wire_json(&daicho::ExplanationRecord::from(&explanation)))
        })?;
        json_to_py(py, &json)
    }

    /// Records (or changes) the assessment of one threat group for an asset
    /// (`likelihood` and `vulnerability` each 1, 2 or 3), with an audit entry.
    #[pyo3(signature = (id, threat, *, likelihood, vulnerability))]
    fn assess(
        &self,
        py: Python<'_>,
        id: &Bound<'_, PyAny>,
        threat: String,
        likelihood: u8,
        vulnerability: u8,
    ) -> PyResult<()> {
        let target = AssetRef::from_py(id)?;
        self.call(py, move |register| {
            let id = target.resolve(register)?;
            register
                .assess(id, &threat, likelihood, vulnerability)
                .map(drop)
        })
    }

    /// The risk list (the CLI's `risk --format json`): `entries`, the assessed risks
    /// highest first, and `not_assessed`, the in-scope assets with no assessment.
    fn risks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = self.call(py, |register| {
            let report = register.risks()?;
            Ok(wire_json(&daicho::RiskReportRecord::from(&report)))
        })?;
        json_to_py(py, &json)
    }

    /// Writes the assets the filters select as CSV, and every link to `links` if given.
    /// By default every asset is written, disposed ones included, so that importing the
    /// files again changes nothing. `headers` is `"en"` or `"ja"`; `encoding` is
    /// `"utf-8-sig"` (what Excel opens right), `"utf-8"` or `"cp932"`. Returns the number
    /// of asset rows written.
    ///
    /// Each file is written owner-only (0600) under a temporary name and renamed into
    /// place when complete. An existing file raises `FileExistsError` unless
    /// `overwrite=True`; the register's own files, symbolic links and anything but a
    /// regular file raise `PermissionError` always.
    #[pyo3(signature = (
        path, *, overwrite = false, headers = "en", encoding = "utf-8-sig", links = None, organization = None,
        kind = None, segment = None, min_confidentiality = None, min_integrity = None,
        min_availability = None, in_scope = None, personal = None, sensitive = None,
        my_number = None, name_contains = None, disposed = "include", department = None,
        manager = None, reviewed_before = None, updated_since = None
    ))]
    #[allow(clippy::too_many_arguments)] // The file options, then one keyword per filter criterion.
    fn export_csv(
        &self,
        py: Python<'_>,
        path: PathBuf,
        overwrite: bool,
        headers: &str,
        encoding: &str,
        links: Option<PathBuf>,
        organization: Option<&str>,
        kind: Option<&str>,
        segment: Option<&str>,
        min_confidentiality: Option<&Bound<'_, PyAny>>,
        min_integrity: Option<&Bound<'_, PyAny>>,
        min_availability: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = flag::filter::in_scope)] in_scope: Option<bool>,
        #[pyo3(from_py_with = flag::filter::personal)] personal: Option<bool>,
        #[pyo3(from_py_with = flag::filter::sensitive)] sensitive: Option<bool>,
        #[pyo3(from_py_with = flag::filter::my_number)] my_number: Option<bool>,
        name_contains: Option<&str>,
        disposed: &str,
        department: Option<&str>,
        manager: Option<&str>,
        reviewed_before: Option<&Bound<'_, PyAny>>,
        updated_since: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<u64> {
        let filter = FilterArgs {
            organization,
            department,
            kind,
            segment,
            min_confidentiality,
            min_integrity,
            min_availability,
            in_scope,
            personal,
            sensitive,
            my_number,
            name_contains,
            disposed,
            manager,
            reviewed_before,
            updated_since,
        }
        .to_filter(py, &self.policy)?;
        let mut options = ExportOptions::default();
        options
            .headers(match headers {
                "en" => Headers::En,
                "ja" => Headers::Ja,
                other => {
                    return Err(daicho::Error::UnknownValue {
                        field: "headers",
                        value: other.to_owned(),
                        allowed: vec!["en".to_owned(), "ja".to_owned()],
                        suggestions: Vec::new(),
                        allowed_ja: Vec::new(),
                    })
                    .py_err(py);
                }
            })
            .encoding(Encoding::parse(encoding).py_err(py)?);
        let report = self.call(py, move |register| {
            // Both files are checked and written before either gets its name.
            let mut assets = register.output_file(&path, overwrite)?;
            let mut links = links
                .map(|links| register.output_file(links, overwrite))
                .transpose()?;
            let report = register.export_assets_file(&mut assets, &filter, &options)?;
            if let Some(out) = &mut links {
                register.export_links(std::io::BufWriter::new(out), &options)?;
            }
            assets.commit()?;
            links.map(daicho::OutputFile::commit).transpose()?;
            Ok(report)
        })?;
        Ok(report.rows)
    }

    /// Runs the self-inspection (自己点検) against the register's policy: effective
    /// classification through links, segment separation, required controls, managers,
    /// reviews (counted to `today`, by default today in Japan), hosting and disposal, and
    /// numbers shaped like a 個人番号 in its texts (but in the `allow_my_number_like` columns).
    /// With `record=True` the run is recorded and its findings tracked (see `findings()`).
    /// With `as_of` (a date), the register as it stood at the end of that day (local time),
    /// rebuilt from the audit log; reviews are then counted to that day unless `today` is given.
    /// A past register cannot be recorded: `record` and `as_of` raise `ValueError` together.
    #[pyo3(signature = (*, today = None, allow_my_number_like = None, record = false, as_of = None))]
    fn check(
        &self,
        py: Python<'_>,
        today: Option<&Bound<'_, PyAny>>,
        allow_my_number_like: Option<Vec<String>>,
        record: bool,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<CheckReport> {
        let mut options = CheckOptions::default();
        for column in allow_my_number_like.unwrap_or_default() {
            options = options.allow_my_number_like(column);
        }
        let as_of = as_of.map(|d| date_from_py("as_of", d)).transpose()?;
        if record && as_of.is_some() {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "record and as_of exclude each other: a run is recorded on the register as it \
                 stands, not as it stood",
            ));
        }
        if let Some(today) = today {
            options = options.with_today(date_from_py("today", today)?);
        } else if let Some(day) = as_of {
            options = options.with_today(day);
        }
        let inner = self.call(py, move |register| {
            if record {
                register.record_check(&options).map(|(report, _)| report)
            } else {
                at_day(register, as_of, |register| register.check(&options))
            }
        })?;
        Ok(CheckReport { inner })
    }

    /// Records an exception (例外措置) to `rule` for an asset, or for the link to `to`:
    /// while valid, the findings it covers are reported as `info` naming it.
    #[pyo3(signature = (
        rule, asset, *, reason, approver, approved_on, to = None, expires_on = None,
        conditions = None
    ))]
    #[allow(clippy::too_many_arguments)] // One keyword argument per part of the exception.
    fn add_exception(
        &self,
        py: Python<'_>,
        rule: &str,
        asset: &Bound<'_, PyAny>,
        reason: String,
        approver: String,
        approved_on: &Bound<'_, PyAny>,
        to: Option<&Bound<'_, PyAny>>,
        expires_on: Option<&Bound<'_, PyAny>>,
        conditions: Option<String>,
    ) -> PyResult<RuleException> {
        let rule: daicho::RuleId = rule.parse().py_err(py)?;
        let target = AssetRef::from_py(asset)?;
        let related = to.map(AssetRef::from_py).transpose()?;
        let approved_on = date_from_py("approved_on", approved_on)?;
        let expires_on = expires_on
            .map(|d| date_from_py("expires_on", d))
            .transpose()?;
        let inner = self.call(py, move |register| {
            let new = daicho::NewException {
                rule,
                asset: target.resolve(register)?,
                related: related.map(|r| r.resolve(register)).transpose()?,
                reason,
                approver,
                approved_on,
                expires_on,
                conditions,
            };
            register.add_exception(new)
        })?;
        Ok(RuleException { inner })
    }

    /// Every exception (例外措置), ended ones included, by number.
    fn exceptions(&self, py: Python<'_>) -> PyResult<Vec<RuleException>> {
        let found = self.call(py, |register| register.exceptions())?;
        Ok(found
            .into_iter()
            .map(|inner| RuleException { inner })
            .collect())
    }

    /// Ends an exception: the findings it covered are reported again.
    fn end_exception(&self, py: Python<'_>, id: i64) -> PyResult<RuleException> {
        let inner = self.call(py, move |register| register.end_exception(id))?;
        Ok(RuleException { inner })
    }

    /// The audit entries about one asset (its changes and its links), oldest first.
    fn history(&self, py: Python<'_>, id: &Bound<'_, PyAny>) -> PyResult<Vec<AuditEntry>> {
        let target = AssetRef::from_py(id)?;
        let entries = self.call(py, move |register| {
            let id = target.resolve(register)?;
            register.history(id)
        })?;
        Ok(entries
            .into_iter()
            .map(|inner| AuditEntry { inner })
            .collect())
    }

    /// Checks the database's integrity and recomputes the audit log's hash chain.
    fn verify(&self, py: Python<'_>) -> PyResult<Verification> {
        let inner = self.call(py, |register| register.verify())?;
        Ok(Verification { inner })
    }

    /// Counts as a dict: `total`, `in_scope`, `excluded`, `disposed`, `links`, and
    /// `by_organization` (code → confidentiality code → count), `by_kind`, `by_segment`
    /// (None for no segment) and `by_scope` (None for in scope, else the exclusion reason).
    /// With `as_of` (a date), the register as it stood at the end of that day (local time).
    #[pyo3(signature = (*, as_of = None))]
    fn summary<'py>(
        &self,
        py: Python<'py>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let as_of = as_of.map(|d| date_from_py("as_of", d)).transpose()?;
        let summary = self.call(py, move |register| {
            at_day(register, as_of, |register| register.summary())
        })?;
        summary_dict(py, &summary)
    }

    /// The findings tracked to correction (是正) by `check(record=True)`, as dicts, by
    /// number; only those with `status` (`open`, `in_progress` or 是正中, `resolved`,
    /// `excepted`) when given.
    #[pyo3(signature = (*, status = None))]
    fn findings<'py>(
        &self,
        py: Python<'py>,
        status: Option<&str>,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let wanted: Option<daicho::FindingStatus> =
            status.map(str::parse).transpose().py_err(py)?;
        let found = self.call(py, |register| register.findings())?;
        let today = daicho::parse::today_in_japan();
        found
            .iter()
            .filter(|f| wanted.is_none_or(|w| f.status == w))
            .map(|f| finding_dict(py, f, today))
            .collect()
    }

    /// Sets a tracked finding's status (`open` or `in_progress`), owner (an empty text
    /// clears it) or due date (`clear_due=True` removes it), by number or key; recorded in
    /// the audit log.
    #[pyo3(signature = (key, *, status = None, owner = None, due = None, clear_due = false))]
    fn set_finding<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'_, PyAny>,
        status: Option<&str>,
        owner: Option<String>,
        due: Option<&Bound<'_, PyAny>>,
        clear_due: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let key: String = match key.extract::<i64>() {
            Ok(number) => number.to_string(),
            Err(_) => key.extract()?,
        };
        let update = daicho::FindingUpdate {
            status: status.map(str::parse).transpose().py_err(py)?,
            owner,
            due_on: if clear_due {
                Some(None)
            } else {
                due.map(|d| date_from_py("due", d).map(Some)).transpose()?
            },
        };
        let found = self.call(py, move |register| register.set_finding(&key, &update))?;
        finding_dict(py, &found, daicho::parse::today_in_japan())
    }

    /// A tracked finding's status history: its audit entries, oldest first.
    fn finding_history(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<Vec<AuditEntry>> {
        let key: String = match key.extract::<i64>() {
            Ok(number) => number.to_string(),
            Err(_) => key.extract()?,
        };
        let entries = self.call(py, move |register| register.finding_history(&key))?;
        Ok(entries
            .into_iter()
            .map(|inner| AuditEntry { inner })
            .collect())
    }

    /// Each 事務 of 特定個人情報 with its 対象人数, 取扱者数, a 重大事故 in the year up to
    /// `today`, the 特定個人情報保護評価 required (`basic`, `focused`, `full`) and done, and
    /// the verdict; with the files naming no 事務 or an unknown one.
    #[pyo3(signature = (*, today = None))]
    fn pia<'py>(
        &self,
        py: Python<'py>,
        today: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let today = today
            .map(|d| date_from_py("today", d))
            .transpose()?
            .unwrap_or_else(daicho::parse::today_in_japan);
        let report = self.call(py, move |register| register.pia(today))?;
        pia_dict(py, &report)
    }

    /// Records a 事務 of 特定個人情報 (an asset belongs to it by its extra attribute `事務`),
    /// with the evaluation done when `evaluation`, `document` and `published_on` are given.
    #[pyo3(signature = (
        name, *, handlers = 0, persons = None, incident_on = None, evaluation = None,
        document = None, published_on = None
    ))]
    #[allow(clippy::too_many_arguments)] // One keyword argument per part of the 事務.
    fn add_process(
        &self,
        py: Python<'_>,
        name: String,
        handlers: u64,
        persons: Option<u64>,
        incident_on: Option<&Bound<'_, PyAny>>,
        evaluation: Option<&str>,
        document: Option<String>,
        published_on: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<i64> {
        let new = daicho::NewProcess {
            name,
            handlers,
            stated_persons: persons,
            incident_on: incident_on
                .map(|d| date_from_py("incident_on", d))
                .transpose()?,
            evaluation: evaluation_from_py(py, evaluation, document, published_on)?,
        };
        let process = self.call(py, move |register| register.add_process(&new))?;
        Ok(process.id)
    }

    /// Changes a 事務 (by number or name): the arguments given; `clear` names those to
    /// remove (`persons`, `incident_on`, `evaluation`; another raises `ValidationError`
    /// with field `clear`). A new name is written into its files' 事務 attribute.
    #[pyo3(signature = (
        process, *, name = None, handlers = None, persons = None, incident_on = None,
        evaluation = None, document = None, published_on = None, clear = None
    ))]
    #[allow(clippy::too_many_arguments)] // One keyword argument per part of the 事務.
    fn set_process(
        &self,
        py: Python<'_>,
        process: &Bound<'_, PyAny>,
        name: Option<String>,
        handlers: Option<u64>,
        persons: Option<u64>,
        incident_on: Option<&Bound<'_, PyAny>>,
        evaluation: Option<&str>,
        document: Option<String>,
        published_on: Option<&Bound<'_, PyAny>>,
        clear: Option<Vec<String>>,
    ) -> PyResult<i64> {
        let clear = clear.unwrap_or_default();
        let process: String = match process.extract::<i64>() {
            Ok(number) => number.to_string(),
            Err(_) => process.extract()?,
        };
        for field in &clear {
            if !["persons", "incident_on", "evaluation"].contains(&field.as_str()) {
                return Err(crate::errors::invalid(
                    "clear",
                    field.as_str(),
                    "persons、incident_on、evaluation のどれかを指定してください",
                    "not persons, incident_on or evaluation",
                ))
                .py_err(py);
            }
        }
        let clears = |field: &str| clear.iter().any(|c| c == field);
        let evaluation = evaluation_from_py(py, evaluation, document, published_on)?;
        let change = daicho::ProcessChange {
            name,
            handlers,
            stated_persons: if clears("persons") {
                Some(None)
            } else {
                persons.map(Some)
            },
            incident_on: if clears("incident_on") {
                Some(None)
            } else {
                incident_on
                    .map(|d| date_from_py("incident_on", d).map(Some))
                    .transpose()?
            },
            evaluation: if clears("evaluation") {
                Some(None)
            } else {
                evaluation.map(Some)
            },
        };
        let changed = self.call(py, move |register| register.set_process(&process, &change))?;
        Ok(changed.id)
    }

    /// Imports an Excel workbook (`.xlsx`) exactly as `import_csv` imports a sheet: the
    /// assets from `sheet` (by default the first sheet with a header row), and the links
    /// from `links_sheet` of the same workbook when it names one (e.g. `"関連"`), in one
    /// transaction. Date cells read as dates, whole numbers without `.0`, formulas as the
    /// results the workbook saved; merged regions are read in every row of their first
    /// column. Any error raises `CsvImportError` with every row error (each message names
    /// its cell, `台帳!F12`), and nothing is written.
    #[pyo3(signature = (path, *, sheet = None, links_sheet = None, dry_run = false))]
    fn import_xlsx(
        &self,
        py: Python<'_>,
        path: PathBuf,
        sheet: Option<String>,
        links_sheet: Option<String>,
        dry_run: bool,
    ) -> PyResult<ImportReport> {
        let mut options = ImportOptions::default();
        options.dry_run(dry_run);
        if let Some(sheet) = sheet {
            options.sheet(sheet);
        }
        if let Some(sheet) = links_sheet {
            options.links_sheet(sheet);
        }
        let inner = self.call(py, move |register| {
            register.import_paths(Some(&path), None, &options)
        })?;
        Ok(ImportReport { inner })
    }

    /// Writes the assets the filters select as an Excel workbook a section can edit and
    /// send back (sheets 台帳, 関連, 点検結果 and 凡例, with drop-downs on the closed
    /// columns); `import_xlsx` of it changes nothing. Returns the number of asset rows
    /// written. The file is written as `export_csv` writes one.
    #[pyo3(signature = (
        path, *, overwrite = false, organization = None, kind = None, segment = None,
        min_confidentiality = None, min_integrity = None, min_availability = None,
        in_scope = None, personal = None, sensitive = None, my_number = None,
        name_contains = None, disposed = "include", department = None, manager = None,
        reviewed_before = None, updated_since = None
    ))]
    #[allow(clippy::too_many_arguments)] // The file options, then one keyword per filter criterion.
    fn export_xlsx(
        &self,
        py: Python<'_>,
        path: PathBuf,
        overwrite: bool,
        organization: Option<&str>,
        kind: Option<&str>,
        segment: Option<&str>,
        min_confidentiality: Option<&Bound<'_, PyAny>>,
        min_integrity: Option<&Bound<'_, PyAny>>,
        min_availability: Option<&Bound<'_, PyAny>>,
        in_scope: Option<bool>,
        personal: Option<bool>,
        sensitive: Option<bool>,
        my_number: Option<bool>,
        name_contains: Option<&str>,
        disposed: &str,
        department: Option<&str>,
        manager: Option<&str>,
        reviewed_before: Option<&Bound<'_, PyAny>>,
        updated_since: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<u64> {
        let filter = FilterArgs {
            organization,
            department,
            kind,
            segment,
            min_confidentiality,
            min_integrity,
            min_availability,
            in_scope,
            personal,
            sensitive,
            my_number,
            name_contains,
            disposed,
            manager,
            reviewed_before,
            updated_since,
        }
        .to_filter(py, &self.policy)?;
        let report = self.call(py, move |register| {
            register.export_workbook_path(&path, &filter, overwrite)
        })?;
        Ok(report.assets)
    }

    fn __repr__(&self) -> String {
        match (&self.path, &self.url) {
            (Some(path), _) => format!("Register('{}')", path.display()),
            // Without the query: options are not the register's name.
            (None, Some(url)) => format!("Register('{}')", url.split('?').next().unwrap_or(url)),
            (None, None) => "Register(in memory)".to_owned(),
        }
    }

    /// Writes the auditor's report (監査報告書) to `path`: one self-contained HTML file
    /// (inline style and charts, nothing loaded) in `lang` ("ja" or "en"), as of `today`
    /// (a `datetime.date`, by default today in Japan), with `city` on its cover.
    ///
    /// With `as_of` (a date), the report is of the register as it stood at the end of
    /// that day (local time), rebuilt from the audit log after verifying it up to then,
    /// and made for that day unless `today` is given; its cover says so.
    ///
    /// Returns the number of findings of the self-inspection it holds. The file is
    /// written owner-only and renamed into place when complete; an existing file raises
    /// `FileExistsError` unless `overwrite=True`.
    #[pyo3(signature = (path, *, lang = "ja", overwrite = false, city = None, today = None, as_of = None))]
    #[allow(clippy::too_many_arguments)] // One keyword argument per option of the report.
    fn report(
        &self,
        py: Python<'_>,
        path: PathBuf,
        lang: &str,
        overwrite: bool,
        city: Option<String>,
        today: Option<&Bound<'_, PyAny>>,
        as_of: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<usize> {
        let lang = match lang {
            "ja" => daicho::Lang::Ja,
            "en" => daicho::Lang::En,
            other => {
                return Err(daicho::Error::UnknownValue {
                    field: "lang",
                    value: other.to_owned(),
                    allowed: vec!["ja".to_owned(), "en".to_owned()],
                    suggestions: Vec::new(),
                    allowed_ja: Vec::new(),
                })
                .py_err(py);
            }
        };
        let mut options = daicho::ReportOptions::default()
            .with_lang(lang)
            .overwrite(overwrite);
        if let Some(city) = city {
            options = options.with_city(city);
        }
        if let Some(as_of) = as_of {
            options = options.with_as_of(date_from_py("as_of", as_of)?);
        }
        if let Some(today) = today {
            options = options.with_today(date_from_py("today", today)?);
        }
        let report = self.call(py, move |register| {
            register.write_auditor_report(&path, &options)
        })?;
        Ok(report.check.findings.len())
    }

    /// Every change from the start of `since` to the end of `until` (dates, local
    /// time; `until` defaults to now), oldest first, read off the audit log: one dict
    /// per changed field or per link, risk, deletion or exception (see `changes` in the
    /// README). `organization` and `department` select the assets as they were then.
    #[pyo3(signature = (*, since, until = None, organization = None, department = None))]
    fn changes<'py>(
        &self,
        py: Python<'py>,
        since: &Bound<'py, PyAny>,
        until: Option<&Bound<'py, PyAny>>,
        organization: Option<&str>,
        department: Option<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let zone = daicho::local_time_zone();
        let since = daicho::start_of_day(date_from_py("since", since)?, &zone).py_err(py)?;
        let until = until
            .map(|d| date_from_py("until", d))
            .transpose()?
            .map(|d| daicho::end_of_day(d, &zone))
            .transpose()
            .py_err(py)?;
        let organization = organization
            .map(|o| self.policy.organization(o).map(|o| o.code.clone()))
            .transpose()
            .py_err(py)?;
        let filter = daicho::ChangesFilter {
            since: Some(since),
            until,
            organization,
            department,
        };
        let lines = self.call(py, move |register| register.changes(&filter))?;
        let list = PyList::empty(py);
        for line in &lines {
            list.append(change_dict(py, line)?)?;
        }
        Ok(list)
    }

    /// Starts an attestation campaign (棚卸): one attestation per (organization,
    /// department) holding assets, of one organization if given. Returns the campaign.
    #[pyo3(signature = (name, *, due = None, organization = None))]
    fn start_campaign<'py>(
        &self,
        py: Python<'py>,
        name: String,
        due: Option<&Bound<'py, PyAny>>,
        organization: Option<&str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let due_on = due.map(|d| date_from_py("due", d)).transpose()?;
        let organization = organization
            .map(|o| self.policy.organization(o).map(|o| o.code.clone()))
            .transpose()
            .py_err(py)?;
        let new = daicho::NewCampaign {
            name,
            due_on,
            organization,
        };
        let started = self.call(py, move |register| register.start_campaign(&new))?;
        campaign_dict(py, &started)
    }

    /// Where each section of a campaign (`name`, else the latest) stands on `today`
    /// (default: today in Japan): attested, open or overdue, with the assets an
    /// attested section holds that its attestation did not confirm.
    #[pyo3(signature = (name = None, *, today = None))]
    fn campaign_status<'py>(
        &self,
        py: Python<'py>,
        name: Option<String>,
        today: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let today = match today {
            Some(d) => date_from_py("today", d)?,
            None => daicho::parse::today_in_japan(),
        };
        let status = self.call(py, move |register| {
            register.campaign_status(name.as_deref(), today)
        })?;
        status_dict(py, &status)
    }

    /// Records a section's attestation in the open campaign, in one transaction: the
    /// returned `sheet` (a CSV file or a workbook) imported first if given, all or nothing; then every
    /// asset of the section marked reviewed today. `by` names who confirmed the list.
    #[pyo3(signature = (department, *, by, organization = None, sheet = None))]
    fn attest<'py>(
        &self,
        py: Python<'py>,
        department: String,
        by: String,
        organization: Option<&str>,
        sheet: Option<PathBuf>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let organization = organization
            .map(|o| self.policy.organization(o).map(|o| o.code.clone()))
            .transpose()
            .py_err(py)?;
        let attest = daicho::Attest {
            department,
            organization,
            by,
            sheet,
            ..daicho::Attest::default()
        };
        let done = self.call(py, move |register| register.attest(&attest))?;
        attestation_dict(py, &done)
    }

    /// Closes the open campaign; returns it.
    fn close_campaign<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let closed = self.call(py, daicho::Register::close_campaign)?;
        campaign_dict(py, &closed)
    }
}
