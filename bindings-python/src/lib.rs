//! Python bindings for daicho, the information asset register.
//!
//! This crate builds the native module `daicho._native`.
//! The Python package `daicho` (in `python/daicho/`) re-exports its public names,
//! and `python/daicho/_native.pyi` describes them for type checkers.
//! The module only converts between Python and the `daicho` library; the rules live there.
//!
//! Build and install it into a virtual environment with `maturin develop`;
//! `scripts/test` does that and then runs the stub check and the Python tests.

use pyo3::prelude::*;

/// The native module `daicho._native`.
#[pymodule]
mod _native {
    use pyo3::prelude::*;

    /// Adds the values that are computed when the module is imported.
    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
