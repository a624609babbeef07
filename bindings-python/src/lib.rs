//! Python bindings for daicho, the information asset register.
//!
//! This crate builds the native module `daicho._native`.
//! The Python package `daicho` (in `python/daicho/`) re-exports its public names,
//! and `python/daicho/_native.pyi` describes them for type checkers.
//! The module only converts between Python and the `daicho` library; the rules live there.
//!
//! - `register.rs`: `Register`, which holds the library's register and releases the GIL
//!   for every call on it;
//! - `asset.rs`: `Asset`, an asset with typed attributes;
//! - `iterate.rs`: listings read page by page (`iter_assets`, `iter_records`);
//! - `records.rs`: assets as plain dicts for pandas;
//! - `arrow.rs`: assets as Arrow record batches (`to_arrow`, `to_pandas`, `to_polars`);
//! - `records_import.rs`: rows of dicts or a `DataFrame` as a sheet, for `import_records`;
//! - `pickle.rs`, `policies.rs`: pickling an `Asset` with its policy;
//! - `check.rs`: the report and findings of the self-inspection;
//! - `report.rs`: audit entries, verification, policy and summary;
//! - `sheet.rs`: the report and the row issues of a CSV import;
//! - `followup.rs`: tracked findings and the 特定個人情報保護評価 list as dicts;
//! - `convert.rs`: every conversion between Python values and the library's types;
//! - `errors.rs`: the one mapping of library errors to Python exceptions.
//!
//! Build and install it into a virtual environment with `maturin develop`;
//! `scripts/test` does that and then runs the stub check and the Python tests.

use pyo3::prelude::*;

mod arrow;
mod asset;
mod check;
mod convert;
mod cycle;
mod errors;
mod followup;
mod iterate;
mod pickle;
mod policies;
mod records;
mod records_import;
mod register;
mod report;
mod sheet;
mod values;

/// The native module `daicho._native`.
#[pymodule]
mod _native {
    use pyo3::prelude::*;

    #[pymodule_export]
    use crate::arrow::ArrowStream;
    #[pymodule_export]
    use crate::asset::Asset;
    #[pymodule_export]
    use crate::check::{CheckReport, Finding, RuleException};
    #[pymodule_export]
    use crate::errors::RowIssue;
    #[pymodule_export]
    use crate::iterate::AssetIterator;
    #[pymodule_export]
    use crate::pickle::_restore_asset;
    #[pymodule_export]
    use crate::register::Register;
    #[pymodule_export]
    use crate::report::{AuditEntry, Policy, Verification};
    #[pymodule_export]
    use crate::sheet::{ImportReport, UndoReport};

    /// Adds the values that are computed when the module is imported.
    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        use crate::errors::{
            ConflictError, CsvImportError, DaichoError, NotFoundError, PolicyError, ServerError,
            ValidationError,
        };
        let py = m.py();
        m.add("DaichoError", py.get_type::<DaichoError>())?;
        m.add("ValidationError", py.get_type::<ValidationError>())?;
        m.add("NotFoundError", py.get_type::<NotFoundError>())?;
        m.add("ConflictError", py.get_type::<ConflictError>())?;
        m.add("CsvImportError", py.get_type::<CsvImportError>())?;
        m.add("PolicyError", py.get_type::<PolicyError>())?;
        m.add("ServerError", py.get_type::<ServerError>())?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add("BUILT_IN_POLICIES", daicho::BUILT_IN_POLICIES.to_vec())
    }
}
