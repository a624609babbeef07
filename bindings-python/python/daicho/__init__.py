"""daicho: the information asset register (情報資産管理台帳), from Python.

The work is done by the Rust library `daicho`; this package re-exports the
public names of its native module, `daicho._native`.

>>> import daicho
>>> with daicho.Register.open("daicho.db") as register:  # doctest: +SKIP
...     for asset in register.assets(my_number=True):
...         print(asset.organization, asset.name)

Values: ids are `str` in every dict and `uuid.UUID` on objects (`Asset.id`, the
exceptions); dates are `datetime.date`, times aware; `daicho.types` names the dicts'
shapes (`AssetRecord`, `LinkRecord`, `FindingRecord`, `SummaryRecord`, `HistoryRecord`, `AssetChanges`).

Exceptions: every error of the package is a `DaichoError`; `ValidationError`
(also a `ValueError`)
(a value is not acceptable: `.field`, `.value`, `.reason`, `.allowed`,
`.suggestions`),
`NotFoundError` (also a `LookupError`), `ConflictError` (`.id`, `.expected`, `.actual`),
`CsvImportError` (`.errors`, each with `.line`, `.column`, `.value`,
`.reason`), `PolicyError` and `ServerError` (a `postgres://` register's server cannot be
reached, or a call needs a register file) derive from it. A missing file raises `FileNotFoundError` and an
existing one, where a register is to be created, `FileExistsError`.
"""

from . import frames, types
from ._native import (
    ArrowStream,
    Asset,
    AssetIterator,
    AuditEntry,
    BUILT_IN_POLICIES,
    CheckReport,
    ConflictError,
    CsvImportError,
    DaichoError,
    Finding,
    ImportReport,
    NotFoundError,
    Policy,
    PolicyError,
    Register,
    RowIssue,
    RuleException,
    ServerError,
    UndoReport,
    ValidationError,
    Verification,
    __version__,
)

__all__ = [
    "ArrowStream",
    "Asset",
    "AssetIterator",
    "AuditEntry",
    "BUILT_IN_POLICIES",
    "CheckReport",
    "ConflictError",
    "CsvImportError",
    "DaichoError",
    "Finding",
    "ImportReport",
    "NotFoundError",
    "Policy",
    "PolicyError",
    "Register",
    "RowIssue",
    "RuleException",
    "ServerError",
    "UndoReport",
    "ValidationError",
    "Verification",
    "__version__",
    "frames",
    "types",
]
