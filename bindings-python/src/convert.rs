//! Every conversion between Python values and the library's types.
//!
//! Codes are accepted in any form the library's parsers accept (`ア`, `水道局`,
//! `マイナンバー利用事務系`, `3B`, `自治体機密性3B`); dates as `datetime.date` or as text
//! in ISO or Japanese era form; ids as `uuid.UUID`, as text, or as an `Asset`.
//! Nothing here decides a rule: values that parse are handed to the library, which
//! validates them against the register's policy.

use std::collections::BTreeSet;

use daicho::parse::{parse_date, split_multi};
use daicho::{
    AssetFields, AssetId, AssetName, Axis, Classification, ControlCode, Disposed, Extra,
    FieldChange, Filter, HostingKind, Kind, Level, Medium, OrgCode, Policy, Retention, Segment,
};
use jiff::Timestamp;
use jiff::civil::Date;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDate, PyDateTime, PyDict, PyString};

use crate::asset::Asset;
use crate::errors::{IntoPyResult, invalid};

// ---------------------------------------------------------------------------
// Ids

/// An asset id from a `uuid.UUID`, its text, or an `Asset`.
pub(crate) fn id_from_py(value: &Bound<'_, PyAny>) -> PyResult<AssetId> {
    let py = value.py();
    if let Ok(asset) = value.cast::<Asset>() {
        return Ok(asset.get().inner.id);
    }
    if let Ok(text) = value.cast::<PyString>() {
        return text.to_cow()?.parse::<AssetId>().py_err(py);
    }
    if value.is_instance(crate::values::uuid_type(py)?)? {
        return value.str()?.to_cow()?.parse::<AssetId>().py_err(py);
    }
    Err(PyTypeError::new_err(format!(
        "an asset id is a uuid.UUID, its text, or an Asset, not `{}`",
        value.get_type().name()?
    )))
}

/// One end of a link: an id, or text that is an id or an asset's unique name.
#[derive(Debug, Clone)]
pub(crate) enum AssetRef {
    /// A known id.
    Id(AssetId),
    /// An id or a unique name, for the library's `resolve`.
    Text(String),
}

impl AssetRef {
    /// Reads a `uuid.UUID`, an `Asset`, or text (an id or a unique name).
    pub(crate) fn from_py(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(text) = value.cast::<PyString>() {
            return Ok(AssetRef::Text(text.to_cow()?.into_owned()));
        }
        id_from_py(value).map(AssetRef::Id)
    }

    /// The id, looking the text up in the register.
    pub(crate) fn resolve(&self, register: &daicho::Register) -> daicho::Result<AssetId> {
        match self {
            AssetRef::Id(id) => Ok(*id),
            AssetRef::Text(text) => register.resolve(text).map(|asset| asset.id),
        }
    }
}

// ---------------------------------------------------------------------------
// Dates and times

/// A date from a `datetime.date` or from text in ISO or Japanese era form.
///
/// A `datetime.datetime` is refused: which day it falls on depends on a time zone.
pub(crate) fn date_from_py(field: &'static str, value: &Bound<'_, PyAny>) -> PyResult<Date> {
    let py = value.py();
    if let Ok(text) = value.cast::<PyString>() {
        let text = text.to_cow()?;
        return parse_date(&text)
            .map(|parsed| parsed.date)
            .map_err(|e| {
                let reason = e.localized();
                invalid(field, text.as_ref(), &reason.ja, &reason.en)
            })
            .py_err(py);
    }
    if value.is_instance_of::<PyDateTime>() {
        return Err(PyTypeError::new_err(format!(
            "`{field}` takes a datetime.date, not a datetime.datetime; use its .date()"
        )));
    }
    if value.is_instance_of::<PyDate>() {
        let year: i16 = value.getattr("year")?.extract()?;
        let month: i8 = value.getattr("month")?.extract()?;
        let day: i8 = value.getattr("day")?.extract()?;
        return Date::new(year, month, day)
            .map_err(|e| {
                let en = e.to_string();
                invalid(
                    field,
                    value.to_string(),
                    &format!("実在しない日付です（{en}）"),
                    &en,
                )
            })
            .py_err(py);
    }
    Err(PyTypeError::new_err(format!(
        "`{field}` takes a datetime.date or its text, not `{}`",
        value.get_type().name()?
    )))
}

/// A point in time from an aware `datetime.datetime`, or from a `datetime.date`: the
/// start of that day in Japan (UTC+9, which keeps no summer time).
pub(crate) fn timestamp_from_py(
    field: &'static str,
    value: &Bound<'_, PyAny>,
) -> PyResult<Timestamp> {
    let py = value.py();
    if value.is_instance_of::<PyDateTime>() {
        if value.getattr("utcoffset")?.call0()?.is_none() {
            return Err(PyTypeError::new_err(format!(
                "`{field}` takes an aware datetime.datetime (with a tzinfo); a naive one \
                 names no moment"
            )));
        }
        let text: String = value.call_method0("isoformat")?.extract()?;
        return text
            .parse::<Timestamp>()
            .map_err(|e| {
                let reason = e.to_string();
                invalid(
                    field,
                    text.as_str(),
                    &format!("時刻として読めません: {reason}"),
                    &reason,
                )
            })
            .py_err(py);
    }
    if value.is_instance_of::<PyDate>() {
        let day = date_from_py(field, value)?;
        return jiff::tz::offset(9)
            .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
            .map_err(|e| {
                let reason = e.to_string();
                invalid(
                    field,
                    day.to_string(),
                    &format!("時刻にできません: {reason}"),
                    &reason,
                )
            })
            .py_err(py);
    }
    Err(PyTypeError::new_err(format!(
        "`{field}` takes an aware datetime.datetime or a datetime.date, not `{}`",
        type_name(value)
    )))
}

// ---------------------------------------------------------------------------
// Fields

/// Parses one keyword argument against the register's policy.
///
/// An unknown keyword is a `TypeError`, as for any Python function; a value of the wrong
/// Python type is a `TypeError`; a value of the right type that the library refuses is a
/// `ValidationError`.
#[expect(
    clippy::too_many_lines,
    reason = "one keyword per field of an asset, each converted its own way"
)]
pub(crate) fn field_change(
    policy: &Policy,
    function: &str,
    name: &str,
    value: &Bound<'_, PyAny>,
) -> PyResult<FieldChange> {
    let py = value.py();
    let is_none = value.is_none();
    let text = |field: &str| str_arg(field, value);
    let opt_text = |field: &str| -> PyResult<Option<String>> {
        if is_none {
            return Ok(None);
        }
        let value = text(field)?;
        let trimmed = value.trim();
        Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
    };
    let flag = |field: &'static str| -> PyResult<bool> {
        if is_none {
            return Err(required(field));
        }
        value.extract::<bool>().map_err(|_| {
            PyTypeError::new_err(format!(
                "`{field}` takes a bool, not `{}`",
                type_name(value)
            ))
        })
    };
    let level = |axis: Axis| level_arg(policy, axis, value).map(FieldChange::Level);
    Ok(match name {
        "kind" => FieldChange::Kind(Kind::parse(&text(name)?).py_err(py)?),
        "name" => FieldChange::Name(AssetName::new(text(name)?).py_err(py)?),
        "organization" => {
            FieldChange::Organization(policy.organization(&text(name)?).py_err(py)?.code.clone())
        }
        "confidentiality" => level(Axis::Confidentiality)?,
        "integrity" => level(Axis::Integrity)?,
        "availability" => level(Axis::Availability)?,
        "department" if is_none => FieldChange::Department(String::new()),
        "department" => FieldChange::Department(text(name)?.trim().to_owned()),
        "manager" => FieldChange::Manager(opt_text(name)?),
        "asset_number" => FieldChange::AssetNumber(opt_text(name)?),
        "segment" => FieldChange::Segment(
            opt_text(name)?
                .map(|s| Segment::parse(&s))
                .transpose()
                .py_err(py)?,
        ),
        "medium" => FieldChange::Medium(
            opt_text(name)?
                .map(|s| Medium::parse(&s))
                .transpose()
                .py_err(py)?,
        ),
        "location" => FieldChange::Location(opt_text(name)?),
        "personal" => FieldChange::Personal(flag("personal")?),
        "sensitive" => FieldChange::Sensitive(flag("sensitive")?),
        "my_number" => FieldChange::MyNumber(flag("my_number")?),
        "record_count" if is_none => FieldChange::RecordCount(None),
        "record_count" => {
            if value.is_instance_of::<pyo3::types::PyBool>() {
                return Err(PyTypeError::new_err(
                    "`record_count` takes an int, not a bool",
                ));
            }
            let count: i128 = value.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "`record_count` takes an int, not `{}`",
                    type_name(value)
                ))
            })?;
            let count = u64::try_from(count)
                .map_err(|_| {
                    invalid(
                        "record_count",
                        count.to_string(),
                        "件数は 0 以上です",
                        "a count is 0 or more",
                    )
                })
                .py_err(py)?;
            FieldChange::RecordCount(Some(count))
        }
        "controls" => FieldChange::Controls(controls(policy, value)?),
        "hosting" => FieldChange::Hosting(
            opt_text(name)?
                .map(|s| HostingKind::parse(&s))
                .transpose()
                .py_err(py)?,
        ),
        "provider" => FieldChange::Provider(opt_text(name)?),
        "contract" => FieldChange::Contract(opt_text(name)?),
        "retention" if is_none => FieldChange::Retention(None),
        "retention" => {
            let text = if value.is_instance_of::<pyo3::types::PyInt>()
                && !value.is_instance_of::<pyo3::types::PyBool>()
            {
                value.str()?.to_cow()?.into_owned()
            } else {
                value.extract::<String>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "`retention` takes an int (years) or a str, not `{}`",
                        type_name(value)
                    ))
                })?
            };
            FieldChange::Retention(Some(Retention::parse(&text).py_err(py)?))
        }
        "exclusion_reason" => FieldChange::Exclusion(
            opt_text(name)?
                .map(|s| policy.exclusion(&s).map(|e| e.code.clone()))
                .transpose()
                .py_err(py)?,
        ),
        "reviewed_on" if is_none => FieldChange::ReviewedOn(None),
        "reviewed_on" => FieldChange::ReviewedOn(Some(date_from_py("reviewed_on", value)?)),
        "notes" => FieldChange::Notes(opt_text(name)?),
        "extra" => FieldChange::Extra(extra(value)?),
        _ => {
            return Err(PyTypeError::new_err(format!(
                "{function}() got an unexpected keyword argument '{name}'"
            )));
        }
    })
}

/// A bool argument, or a `TypeError` naming it (pyo3's own names it only in a note).
fn bool_arg(field: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    value.extract::<bool>().map_err(|_| {
        PyTypeError::new_err(format!(
            "`{field}` takes a bool, not `{}` (`{field}={}`)",
            type_name(value),
            value
                .repr()
                .map_or_else(|_| "?".to_owned(), |r| r.to_string())
        ))
    })
}

/// Extractors of `add`'s flag arguments (`#[pyo3(from_py_with = …)]`), each naming
/// its argument when the value is not a bool.
pub(crate) mod flag {
    use pyo3::prelude::*;

    macro_rules! named {
        ($($name:ident),*) => {$(
            pub(crate) fn $name(value: &Bound<'_, PyAny>) -> PyResult<bool> {
                super::bool_arg(stringify!($name), value)
            }
        )*};
    }
    named!(personal, sensitive, my_number);

    /// Extractors of the listings' flag filters: None, or a bool named when it is not one.
    pub(crate) mod filter {
        use pyo3::prelude::*;

        macro_rules! optional {
            ($($name:ident),*) => {$(
                pub(crate) fn $name(value: &Bound<'_, PyAny>) -> PyResult<Option<bool>> {
                    if value.is_none() {
                        return Ok(None);
                    }
                    super::super::bool_arg(stringify!($name), value).map(Some)
                }
            )*};
        }
        optional!(in_scope, personal, sensitive, my_number);
    }
}

/// The error for None given to a field that must have a value.
fn required(field: &str) -> PyErr {
    PyTypeError::new_err(format!("`{field}` is required and cannot be None"))
}

/// A str argument, or a `TypeError` naming the field.
fn str_arg(field: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    if value.is_none() {
        return Err(required(field));
    }
    value.extract::<String>().map_err(|_| {
        PyTypeError::new_err(format!("`{field}` takes a str, not `{}`", type_name(value)))
    })
}

/// A level of one axis, from its code or label (or an int level).
fn level_arg(policy: &Policy, axis: Axis, value: &Bound<'_, PyAny>) -> PyResult<Level> {
    if value.is_none() {
        return Err(required(axis_field(axis)));
    }
    let code = level_text(value, axis_field(axis))?;
    policy.level(axis, &code).py_err(value.py())
}

/// The fields `add` requires: kind, name, organization and the three levels.
pub(crate) fn required_fields(
    policy: &Policy,
    kind: &Bound<'_, PyAny>,
    name: &Bound<'_, PyAny>,
    organization: &Bound<'_, PyAny>,
    levels: [&Bound<'_, PyAny>; 3],
) -> PyResult<(Kind, AssetName, OrgCode, [Level; 3])> {
    let py = kind.py();
    let [confidentiality, integrity, availability] = levels;
    Ok((
        Kind::parse(&str_arg("kind", kind)?).py_err(py)?,
        AssetName::new(str_arg("name", name)?).py_err(py)?,
        policy
            .organization(&str_arg("organization", organization)?)
            .py_err(py)?
            .code
            .clone(),
        [
            level_arg(policy, Axis::Confidentiality, confidentiality)?,
            level_arg(policy, Axis::Integrity, integrity)?,
            level_arg(policy, Axis::Availability, availability)?,
        ],
    ))
}

fn axis_field(axis: Axis) -> &'static str {
    axis.code()
}

/// A level's code from a str, or from an int such as `2` for `"2"`.
fn level_text(value: &Bound<'_, PyAny>, field: &str) -> PyResult<String> {
    if value.is_instance_of::<pyo3::types::PyInt>()
        && !value.is_instance_of::<pyo3::types::PyBool>()
    {
        return Ok(value.str()?.to_cow()?.into_owned());
    }
    value.extract::<String>().map_err(|_| {
        PyTypeError::new_err(format!(
            "`{field}` takes a str (or an int level), not `{}`",
            type_name(value)
        ))
    })
}

/// Controls from an iterable of codes, or from one text cell such as `"mfa; encryption"`.
fn controls(policy: &Policy, value: &Bound<'_, PyAny>) -> PyResult<BTreeSet<ControlCode>> {
    let py = value.py();
    let mut codes = BTreeSet::new();
    if value.is_none() {
        return Ok(codes);
    }
    let mut add = |code: &str| -> PyResult<()> {
        codes.insert(policy.control(code).py_err(py)?.code.clone());
        Ok(())
    };
    if let Ok(text) = value.cast::<PyString>() {
        for code in split_multi(&text.to_cow()?) {
            add(code)?;
        }
        return Ok(codes);
    }
    let items = value.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "`controls` takes an iterable of str, not `{}`",
            type_name(value)
        ))
    })?;
    for item in items {
        let item = item?;
        let code = item.extract::<String>().map_err(|_| {
            PyTypeError::new_err(format!(
                "`controls` holds str codes, not `{}`",
                type_name(&item)
            ))
        })?;
        add(&code)?;
    }
    Ok(codes)
}

/// City-specific attributes from a mapping of str to str, in its order.
fn extra(value: &Bound<'_, PyAny>) -> PyResult<Extra> {
    let mut extra = Extra::new();
    if value.is_none() {
        return Ok(extra);
    }
    let mapping = value.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!(
            "`extra` takes a dict of str to str, not `{}`",
            type_name(value)
        ))
    })?;
    for (key, item) in mapping.iter() {
        let (Ok(key), Ok(item)) = (key.extract::<String>(), item.extract::<String>()) else {
            return Err(PyTypeError::new_err("`extra` takes a dict of str to str"));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(invalid(
                "extra",
                item,
                "追加の属性には名前（キー）が要ります",
                "an extra attribute needs a key",
            ))
            .py_err(value.py());
        }
        extra.insert(key, item);
    }
    Ok(extra)
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |name| name.to_string())
}

/// New fields from the required values and the optional changes.
pub(crate) fn new_fields(
    kind: Kind,
    name: AssetName,
    organization: OrgCode,
    levels: [Level; 3],
    changes: Vec<FieldChange>,
) -> daicho::Result<AssetFields> {
    let [confidentiality, integrity, availability] = levels;
    let mut fields = AssetFields::new(
        kind,
        name,
        organization,
        Classification {
            confidentiality,
            integrity,
            availability,
        },
    );
    fields.apply(changes)?;
    Ok(fields)
}

// ---------------------------------------------------------------------------
// Filters

/// The filter keyword arguments of `assets()` and `to_records()`.
#[derive(Debug, Default)]
pub(crate) struct FilterArgs<'a, 'py> {
    pub(crate) organization: Option<&'a str>,
    pub(crate) department: Option<&'a str>,
    pub(crate) kind: Option<&'a str>,
    pub(crate) segment: Option<&'a str>,
    pub(crate) min_confidentiality: Option<&'a Bound<'py, PyAny>>,
    pub(crate) min_integrity: Option<&'a Bound<'py, PyAny>>,
    pub(crate) min_availability: Option<&'a Bound<'py, PyAny>>,
    pub(crate) in_scope: Option<bool>,
    pub(crate) personal: Option<bool>,
    pub(crate) sensitive: Option<bool>,
    pub(crate) my_number: Option<bool>,
    pub(crate) name_contains: Option<&'a str>,
    pub(crate) disposed: &'a str,
    pub(crate) manager: Option<&'a str>,
    pub(crate) reviewed_before: Option<&'a Bound<'py, PyAny>>,
    pub(crate) updated_since: Option<&'a Bound<'py, PyAny>>,
}

impl FilterArgs<'_, '_> {
    /// The library's filter, with codes parsed against the policy.
    pub(crate) fn to_filter(&self, py: Python<'_>, policy: &Policy) -> PyResult<Filter> {
        let level = |axis: Axis, value: Option<&Bound<'_, PyAny>>| -> PyResult<Option<Level>> {
            value
                .map(|value| {
                    let code = level_text(value, axis_field(axis))?;
                    policy.level(axis, &code).py_err(py)
                })
                .transpose()
        };
        Ok(Filter {
            organization: self
                .organization
                .map(|o| policy.organization(o).map(|o| o.code.clone()))
                .transpose()
                .py_err(py)?,
            department: self.department.map(str::to_owned),
            kind: self.kind.map(Kind::parse).transpose().py_err(py)?,
            segment: self.segment.map(Segment::parse).transpose().py_err(py)?,
            min_confidentiality: level(Axis::Confidentiality, self.min_confidentiality)?,
            min_integrity: level(Axis::Integrity, self.min_integrity)?,
            min_availability: level(Axis::Availability, self.min_availability)?,
            in_scope: self.in_scope,
            personal: self.personal,
            sensitive: self.sensitive,
            my_number: self.my_number,
            name_contains: self.name_contains.map(str::to_owned),
            manager: self.manager.map(str::to_owned),
            reviewed_before: self
                .reviewed_before
                .map(|day| date_from_py("reviewed_before", day))
                .transpose()?,
            updated_since: self
                .updated_since
                .map(|at| timestamp_from_py("updated_since", at))
                .transpose()?,
            disposed: match self.disposed {
                "exclude" => Disposed::Exclude,
                "include" => Disposed::Include,
                "only" => Disposed::Only,
                other => {
                    return Err(daicho::Error::UnknownValue {
                        field: "disposed",
                        value: other.to_owned(),
                        allowed: vec!["exclude".into(), "include".into(), "only".into()],
                        suggestions: Vec::new(),
                        allowed_ja: Vec::new(),
                    })
                    .py_err(py);
                }
            },
        })
    }
}
