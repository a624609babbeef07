"""daicho: the information asset register (情報資産管理台帳), from Python.

The work is done by the Rust library `daicho`; this package re-exports the
public names of its native module, `daicho._native`.
"""

from ._native import __version__

__all__ = ["__version__"]
