"""Type stubs for the native module `daicho._native`."""

# pyo3 lists every name the module adds in its `__all__`, so the stub does too.
__all__ = ["__version__"]

__version__: str
