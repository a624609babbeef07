"""Type stubs for the native module `daicho._native`."""

import datetime
import os
import pathlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Generic, Literal, TypeVar, final

from typing_extensions import Self, TypeAlias, Unpack

from daicho.types import (
    AssetChanges,
    AssetRecord,
    ExcludedRecord,
    FindingRecord,
    HistoryRecord,
    LinkRecord,
    SummaryRecord,
)

# pyo3 lists every name the module adds in its `__all__`, so the stub does too.
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
    "_restore_asset",
]

__version__: str
BUILT_IN_POLICIES: list[str]
"""The names of the built-in policy profiles; the first is the default."""

_StrPath: TypeAlias = str | os.PathLike[str]
# An asset named by its id (a UUID or its text), by an Asset, or by its unique name.
_AssetRef: TypeAlias = uuid.UUID | str | Asset
_Kind: TypeAlias = Literal["network_system", "information", "system_document"]
_Segment: TypeAlias = Literal["mynumber", "lgwan", "internet", "standalone"]
_Medium: TypeAlias = Literal[
    "paper",
    "electronic_file",
    "database",
    "portable_media",
    "terminal",
    "server",
    "network_device",
    "cloud_service",
]
_Hosting: TypeAlias = Literal["on_premises", "outsourced", "cloud"]
_Action: TypeAlias = Literal[
    "create", "update", "dispose", "link", "unlink", "assess", "delete", "policy_set",
    "exception", "init", "restore", "redact", "check_run", "finding", "pia",
    "campaign_start", "attest", "campaign_close",
]
_Severity: TypeAlias = Literal["error", "warning", "info"]
_Disposed: TypeAlias = Literal["exclude", "include", "only"]
# A date as a datetime.date, or as text in ISO or Japanese era form (令和7年4月8日, R7.4.8).
_DateLike: TypeAlias = datetime.date | str
# A level's code or label (3B, 自治体機密性3B, C3B), or an int level such as 2.
_LevelLike: TypeAlias = str | int
# A pandas or polars DataFrame: anything with `to_dict("records")` or `to_dicts()`.
_DataFrame: TypeAlias = Any

class DaichoError(Exception):
    """The base of every daicho exception; `str(error)` says what failed, in English."""

    message_ja: str
    """The same message in Japanese."""

class ValidationError(DaichoError, ValueError):
    """A value is not acceptable for a field."""

    field: str
    value: str
    reason: str
    allowed: list[str] | None
    suggestions: list[str] | None
    """The accepted codes closest to the value ("did you mean"), best first."""

class NotFoundError(DaichoError, LookupError):
    """No asset has the id or the name that was asked for (or no such link exists)."""

    id: uuid.UUID | str | None
    """The asset's id (an exception's number as text); None when a name was not found."""
    name: str | None

class ConflictError(DaichoError):
    """The register changed underneath the call, or its state refuses it: a stale version,
    a disposed asset, a link that exists already, an asset still linked (`delete`), or an
    import whose assets changed since (`undo_import`)."""

    id: uuid.UUID | None
    expected: int | None
    actual: int | None

class CsvImportError(DaichoError):
    """A CSV import found errors and wrote nothing."""

    errors: list[RowIssue]
    """The errors in file order (the first 1000)."""
    total: int
    """How many errors there were in all."""

class PolicyError(DaichoError):
    """A policy profile is unknown, not valid TOML, or inconsistent."""

    origin: str

class ServerError(DaichoError):
    """A register's database server cannot be reached or refused the connection, or a
    call needs a register file (restoring onto a server register)."""

def _restore_asset(policy: str, record: Mapping[str, Any]) -> Asset:
    """Rebuilds a pickled `Asset` (pickle calls it)."""

@final
class Asset:
    """An information asset. Read-only: change it with `Register.update`."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def kind(self) -> _Kind: ...
    @property
    def name(self) -> str: ...
    @property
    def organization(self) -> str: ...
    @property
    def department(self) -> str: ...
    @property
    def manager(self) -> str | None: ...
    @property
    def asset_number(self) -> str | None:
        """管理番号: the city's own number for the asset, e.g. `J-001`."""
    @property
    def confidentiality(self) -> str: ...
    @property
    def integrity(self) -> str: ...
    @property
    def availability(self) -> str: ...
    @property
    def classification(self) -> str: ...
    @property
    def segment(self) -> _Segment | None: ...
    @property
    def medium(self) -> _Medium | None: ...
    @property
    def location(self) -> str | None: ...
    @property
    def personal(self) -> bool: ...
    @property
    def sensitive(self) -> bool: ...
    @property
    def my_number(self) -> bool: ...
    @property
    def record_count(self) -> int | None: ...
    @property
    def controls(self) -> tuple[str, ...]: ...
    @property
    def hosting(self) -> _Hosting | None: ...
    @property
    def provider(self) -> str | None: ...
    @property
    def contract(self) -> str | None: ...
    @property
    def retention(self) -> str | None: ...
    @property
    def in_scope(self) -> bool: ...
    @property
    def exclusion_reason(self) -> str | None: ...
    @property
    def reviewed_on(self) -> datetime.date | None: ...
    @property
    def disposed(self) -> bool: ...
    @property
    def disposed_on(self) -> datetime.date | None: ...
    @property
    def disposed_by(self) -> str | None: ...
    @property
    def disposal_method(self) -> str | None: ...
    @property
    def disposal_approver(self) -> str | None: ...
    @property
    def disposal_certificate(self) -> str | None: ...
    @property
    def notes(self) -> str | None: ...
    @property
    def extra(self) -> dict[str, str]: ...
    @property
    def version(self) -> int: ...
    @property
    def created_at(self) -> datetime.datetime: ...
    @property
    def updated_at(self) -> datetime.datetime: ...
    def to_dict(self) -> AssetRecord:
        """The asset as a plain dict, as one row of `Register.to_records()`."""
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

_T = TypeVar("_T")

@final
class ArrowStream:
    """Arrow record batches of `Register.arrow_stream()`, read through the Arrow PyCapsule
    interface."""

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The batches as a PyCapsule named `arrow_array_stream`, from the first each call."""
    def __arrow_c_schema__(self) -> object:
        """The schema as a PyCapsule named `arrow_schema`."""
    def __len__(self) -> int: ...
    @property
    def num_batches(self) -> int: ...

@final
class AssetIterator(Generic[_T]):
    """Assets (or records) read a page at a time; see `Register.iter_assets`."""

    def __iter__(self) -> Self: ...
    def __next__(self) -> _T: ...

@final
class AuditEntry:
    """One entry of the audit log: who changed what, when, from what to what."""

    @property
    def seq(self) -> int: ...
    @property
    def at(self) -> datetime.datetime: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> _Action: ...
    @property
    def asset_id(self) -> uuid.UUID | None: ...
    @property
    def related_id(self) -> uuid.UUID | None: ...
    @property
    def before(self) -> dict[str, Any] | None:
        """The state before: for an asset, an `AssetRecord` (the values of `to_records()`)."""
    @property
    def after(self) -> dict[str, Any] | None:
        """The state after: for an asset, an `AssetRecord`; for a link, a `LinkRecord`."""
    @property
    def hash(self) -> str: ...
    def to_dict(self) -> HistoryRecord:
        """The entry as a plain dict: ids as `str`."""

@final
class Verification:
    """The result of `Register.verify()`; true when everything is sound."""

    @property
    def ok(self) -> bool: ...
    @property
    def entries(self) -> int: ...
    @property
    def first_broken(self) -> int | None: ...
    @property
    def broken_reason(self) -> str | None: ...
    @property
    def database(self) -> list[str]: ...
    @property
    def dangling_links(self) -> int: ...
    def __bool__(self) -> bool: ...

@final
class Policy:
    """The policy a register was created with."""

    @property
    def name(self) -> str: ...
    @property
    def title_ja(self) -> str: ...
    @property
    def title_en(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def review_interval_days(self) -> int: ...
    @property
    def organizations(self) -> list[tuple[str, str, str]]:
        """`(code, Japanese name, English name)`, in the policy's order."""
    @property
    def levels(self) -> dict[str, list[str]]:
        """The level codes of each axis, highest first."""
    @property
    def controls(self) -> list[tuple[str, str, str]]: ...
    @property
    def exclusions(self) -> list[tuple[str, str, str]]: ...
    def to_toml(self) -> str: ...

@final
class RowIssue:
    """One error or warning in an imported CSV file; `str()` gives the whole of it."""

    @property
    def file(self) -> str: ...
    @property
    def row(self) -> int:
        """The row as Excel numbers it, from 1 (title rows count; a cell with line breaks is one row)."""
    @property
    def line(self) -> int:
        """The line of the file the row starts on, from 1."""
    @property
    def asset(self) -> str | None:
        """The name of the asset the row describes, when it has one."""
    @property
    def column(self) -> str | None:
        """The column as its header is written; None for a problem with the whole row."""
    @property
    def value(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def index(self) -> int | None:
        """The row's index in the rows given to `Register.import_records`; None for a file."""
    @property
    def reason_ja(self) -> str:
        """The reason in Japanese."""

@final
class ImportReport:
    """What `Register.import_csv` did, or in a dry run would do."""

    @property
    def dry_run(self) -> bool: ...
    @property
    def encoding(self) -> str | None: ...
    @property
    def new(self) -> int: ...
    @property
    def updated(self) -> int: ...
    @property
    def unchanged(self) -> int: ...
    @property
    def links_new(self) -> int: ...
    @property
    def links_updated(self) -> int: ...
    @property
    def links_unchanged(self) -> int: ...
    @property
    def extra_columns(self) -> list[str]: ...
    @property
    def warnings(self) -> list[RowIssue]: ...
    @property
    def warning_count(self) -> int: ...
    @property
    def import_id(self) -> int | None:
        """The id the import is recorded under; None for a dry run."""

@final
class UndoReport:
    """What `Register.undo_import` reverted."""

    @property
    def import_id(self) -> int: ...
    @property
    def source(self) -> str: ...
    @property
    def deleted(self) -> int:
        """Assets the import created, now deleted."""
    @property
    def restored(self) -> int:
        """Assets the import changed, now as they were before it."""
    @property
    def links_removed(self) -> int: ...
    @property
    def links_restored(self) -> int: ...

@final
class Finding:
    """One problem the self-inspection found; `str()` gives severity, rule and message."""

    @property
    def rule(self) -> str:
        """The rule's stable id, e.g. `segment.my_number_outside`."""
    @property
    def severity(self) -> _Severity: ...
    @property
    def section(self) -> str:
        """The policy section the rule enforces, e.g. `§6(3)ア`."""
    @property
    def title_ja(self) -> str: ...
    @property
    def title_en(self) -> str: ...
    @property
    def organization(self) -> str: ...
    @property
    def assets(self) -> list[tuple[uuid.UUID, str, _Kind]]:
        """The assets involved as `(id, name, kind)`; the first is the one to fix."""
    @property
    def exception(self) -> int | None:
        """The number of the exception (例外措置) that covers it; its severity is then `info`."""
    @property
    def message_ja(self) -> str: ...
    @property
    def message_en(self) -> str: ...

@final
class RuleException:
    """An exception (例外措置) to one rule for an asset, or for a link with `related`."""

    @property
    def id(self) -> int: ...
    @property
    def rule(self) -> str: ...
    @property
    def asset(self) -> uuid.UUID: ...
    @property
    def related(self) -> uuid.UUID | None: ...
    @property
    def reason(self) -> str: ...
    @property
    def approver(self) -> str: ...
    @property
    def approved_on(self) -> datetime.date: ...
    @property
    def expires_on(self) -> datetime.date | None: ...
    @property
    def conditions(self) -> str | None: ...
    @property
    def created_by(self) -> str: ...
    @property
    def ended_at(self) -> datetime.datetime | None: ...

@final
class CheckReport:
    """The result of `Register.check()`; `len()` is the number of findings."""

    @property
    def today(self) -> datetime.date: ...
    @property
    def findings(self) -> list[Finding]: ...
    @property
    def excluded(self) -> list[ExcludedRecord]:
        """Assets outside the policy: `id`, `name`, `kind`, `organization`, `reason`, `disposed`."""
    @property
    def checked(self) -> int: ...
    @property
    def disposed(self) -> int: ...
    @property
    def links(self) -> int: ...
    @property
    def worst(self) -> _Severity | None: ...
    def count(self, severity: _Severity) -> int: ...
    def fails(self, threshold: _Severity = "error") -> bool: ...
    def to_records(self) -> list[FindingRecord]:
        """The findings as plain dicts for `pandas.DataFrame(...)`."""
    def __len__(self) -> int: ...

@final
class Register:
    """An information asset register (情報資産管理台帳): one SQLite file, or a schema on a
    PostgreSQL server when the path is a `postgres://` URL."""

    @staticmethod
    def create(path: _StrPath, policy: _StrPath = "niigata") -> Register:
        """Creates a new register file; `FileExistsError` if the file exists (on a server,
        `ServerError` if the schema holds tables)."""
    @staticmethod
    def open(path: _StrPath, *, read_only: bool = False) -> Register:
        """Opens an existing register; `FileNotFoundError` if there is none (on a server,
        `ServerError`, as for a server that cannot be reached).

        `read_only=True` writes not a byte (it works in a read-only folder); changes
        then raise `DaichoError`."""
    @staticmethod
    def restore(backup: _StrPath, dest: _StrPath, *, overwrite: bool = False) -> Register:
        """Restores a backup made by `backup()` into `dest` (replacing a file only with
        `overwrite=True`) and opens it; a backup that does not verify writes nothing."""
    def close(self) -> None: ...
    @property
    def closed(self) -> bool: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...
    @property
    def path(self) -> pathlib.Path | None:
        """The register's file; None in memory or on a database server."""
    @property
    def url(self) -> str | None:
        """The `postgres://` URL a register on a server was opened with; None for a file."""
    @property
    def policy(self) -> Policy: ...
    @property
    def actor(self) -> str: ...
    @actor.setter
    def actor(self, actor: str) -> None: ...
    def add(
        self,
        *,
        kind: str,
        name: str,
        organization: str,
        confidentiality: _LevelLike,
        integrity: _LevelLike,
        availability: _LevelLike,
        department: str = "",
        asset_number: str | None = None,
        manager: str | None = None,
        segment: str | None = None,
        medium: str | None = None,
        location: str | None = None,
        personal: bool = False,
        sensitive: bool = False,
        my_number: bool = False,
        record_count: int | None = None,
        controls: Iterable[str] | None = None,
        hosting: str | None = None,
        provider: str | None = None,
        contract: str | None = None,
        retention: int | str | None = None,
        exclusion_reason: str | None = None,
        reviewed_on: _DateLike | None = None,
        notes: str | None = None,
        extra: Mapping[str, str] | None = None,
        id: uuid.UUID | str | None = None,
    ) -> Asset: ...
    def get(self, id: _AssetRef) -> Asset: ...
    def update(
        self, id: _AssetRef, *, expected_version: int, **changes: Unpack[AssetChanges]
    ) -> Asset: ...
    def dispose(
        self,
        id: _AssetRef,
        *,
        expected_version: int,
        date: _DateLike,
        person: str,
        method: str | None = None,
        approver: str | None = None,
        certificate: str | None = None,
    ) -> Asset: ...
    def link(
        self,
        from_: _AssetRef,
        relation: str,
        to: _AssetRef,
        *,
        sanitization: str | None = None,
    ) -> None: ...
    def unlink(self, from_: _AssetRef, relation: str, to: _AssetRef) -> None: ...
    def delete(self, id: _AssetRef, *, reason: str, with_links: bool = False) -> Asset:
        """Deletes an asset, saying why; returns it as it was. `ConflictError` while links
        join it to other assets, unless `with_links=True`."""
    def undo_import(self, import_id: int | str = "last") -> UndoReport:
        """Reverts an import in one transaction; `ConflictError` (nothing reverted) when
        an asset it touched changed since."""
    def links(self, of: _AssetRef | None = None) -> list[LinkRecord]:
        """The links as dicts of `from`, `relation`, `to` (ids as text) and `sanitization`."""
    def assets(
        self,
        *,
        organization: str | None = None,
        kind: str | None = None,
        segment: str | None = None,
        min_confidentiality: _LevelLike | None = None,
        min_integrity: _LevelLike | None = None,
        min_availability: _LevelLike | None = None,
        in_scope: bool | None = None,
        personal: bool | None = None,
        sensitive: bool | None = None,
        my_number: bool | None = None,
        name_contains: str | None = None,
        disposed: _Disposed = "exclude",
        department: str | None = None,
        manager: str | None = None,
        reviewed_before: _DateLike | None = None,
        updated_since: datetime.datetime | datetime.date | None = None,
        as_of: _DateLike | None = None,
    ) -> list[Asset]: ...
    def to_records(
        self,
        *,
        organization: str | None = None,
        kind: str | None = None,
        segment: str | None = None,
        min_confidentiality: _LevelLike | None = None,
        min_integrity: _LevelLike | None = None,
        min_availability: _LevelLike | None = None,
        in_scope: bool | None = None,
        personal: bool | None = None,
        sensitive: bool | None = None,
        my_number: bool | None = None,
        name_contains: str | None = None,
        disposed: _Disposed = "exclude",
        department: str | None = None,
        manager: str | None = None,
        reviewed_before: _DateLike | None = None,
        updated_since: datetime.datetime | datetime.date | None = None,
        labels: Literal["ja", "en"] | None = None,
        as_of: _DateLike | None = None,
    ) -> list[AssetRecord]:
        """The assets as plain dicts (`daicho.types.AssetRecord`); `labels="ja"` or `"en"`
        gives labels instead of codes."""
    def arrow_stream(
        self,
        *,
        organization: str | None = None,
        kind: str | None = None,
        segment: str | None = None,
        min_confidentiality: _LevelLike | None = None,
        min_integrity: _LevelLike | None = None,
        min_availability: _LevelLike | None = None,
        in_scope: bool | None = None,
        personal: bool | None = None,
        sensitive: bool | None = None,
        my_number: bool | None = None,
        name_contains: str | None = None,
        disposed: _Disposed = "exclude",
        department: str | None = None,
        manager: str | None = None,
        reviewed_before: _DateLike | None = None,
        updated_since: datetime.datetime | datetime.date | None = None,
        labels: Literal["ja", "en"] | None = None,
        as_of: _DateLike | None = None,
        batch_size: int = 65536,
    ) -> ArrowStream:
        """`to_records()`'s selection and columns as Arrow record batches of up to `batch_size`
        rows behind the Arrow PyCapsule interface, for `pyarrow.table()`, `polars.DataFrame()`
        or any Arrow library."""
    def to_arrow(
        self,
        *,
        organization: str | None = None,
        kind: str | None = None,
        segment: str | None = None,
        min_confidentiality: _LevelLike | None = None,
        min_integrity: _LevelLike | None = None,
        min_availability: _LevelLike | None = None,
        in_scope: bool | None = None,
        personal: bool | None = None,
        sensitive: bool | None = None,
        my_number: bool | None = None,
        name_contains: str | None = None,
        disposed: _Disposed = "exclude",
        department: str | None = None,
        manager: str | None = None,
        reviewed_before: _DateLike | None = None,
        updated_since: datetime.datetime | datetime.date | None = None,
        labels: Literal["ja", "en"] | None = None,
        as_of: _DateLike | None = None,
        batch_size: int = 65536,
    ) -> Any:
        """A `pyarrow.Table` (`pip install 'daicho[arrow]'`): text `string`, codes
        `dictionary<int32, string>`, flags `bool`, counts `int64`, dates `date32`, times
        `timestamp[us, tz=UTC]`, controls `list<string>`, `extra` JSON text."""
    def to_pandas(
        self,
        *,
        organization: str | None = None,
        kind: str | None = None,
        segment: str | None = None,
        min_confidentiality: _LevelLike | None = None,
        min_integrity: _LevelLike | None = None,
        min_availability: _LevelLike | None = None,
        in_scope: bool | None = None,
        personal: bool | None = None,
        sensitive: bool | None = None,
        my_number: bool | None = None,
        name_contains: str | None = None,
        disposed: _Disposed = "exclude",
        department: str | None = None,
        manager: str | None = None,
        reviewed_before: _DateLike | None = None,
        updated_since: datetime.datetime | datetime.date | None = None,
        labels: Literal["ja", "en"] | None = None,
        as_of: _DateLike | None = None,
        batch_size: int = 65536,
    ) -> Any:
        """`to_arrow().to_pandas()` (`pip install 'daicho[pandas]'`): codes as `category`."""
    def to_polars(
        self,
        *,
        organization: str | None = None,
        kind: str | None = None,
        segment: str | None = None,
        min_confidentiality: _LevelLike | None = None,
        min_integrity: _LevelLike | None = None,
        min_availability: _LevelLike | None = None,
        in_scope: bool | None = None,
        personal: bool | None = None,
        sensitive: bool | None = None,
        my_number: bool | None = None,
        name_contains: str | None = None,
        disposed: _Disposed = "exclude",
        department: str | None = None,
        manager: str | None = None,
        reviewed_before: _DateLike | None = None,
        updated_since: datetime.datetime | datetime.date | None = None,
        labels: Literal["ja", "en"] | None = None,
        as_of: _DateLike | None = None,
        batch_size: int = 65536,
    ) -> Any:
        """A `polars.DataFrame` (`pip install 'daicho[polars]'`): codes as `Categorical`."""
    def iter_assets(
        self,
        *,
        organization: str | None = None,
        kind: str | None = None,
        segment: str | None = None,
        min_confidentiality: _LevelLike | None = None,
        min_integrity: _LevelLike | None = None,
        min_availability: _LevelLike | None = None,
        in_scope: bool | None = None,
        personal: bool | None = None,
        sensitive: bool | None = None,
        my_number: bool | None = None,
        name_contains: str | None = None,
        disposed: _Disposed = "exclude",
        department: str | None = None,
        manager: str | None = None,
        reviewed_before: _DateLike | None = None,
        updated_since: datetime.datetime | datetime.date | None = None,
        batch_size: int = 1000,
    ) -> AssetIterator[Asset]:
        """The selected assets, read `batch_size` at a time in id order."""
    def iter_records(
        self,
        *,
        organization: str | None = None,
        kind: str | None = None,
        segment: str | None = None,
        min_confidentiality: _LevelLike | None = None,
        min_integrity: _LevelLike | None = None,
        min_availability: _LevelLike | None = None,
        in_scope: bool | None = None,
        personal: bool | None = None,
        sensitive: bool | None = None,
        my_number: bool | None = None,
        name_contains: str | None = None,
        disposed: _Disposed = "exclude",
        department: str | None = None,
        manager: str | None = None,
        reviewed_before: _DateLike | None = None,
        updated_since: datetime.datetime | datetime.date | None = None,
        batch_size: int = 1000,
    ) -> AssetIterator[AssetRecord]:
        """`iter_assets()` as `to_records()` rows."""
    def import_csv(
        self,
        path: _StrPath,
        *,
        links: _StrPath | None = None,
        dry_run: bool = False,
        encoding: str | None = None,
        strict: bool = False,
        allow_my_number_like: Sequence[str] | None = None,
        max_record_bytes: int | None = None,
    ) -> ImportReport:
        """Imports an asset sheet (and a link sheet) atomically; `CsvImportError` on errors.

        A cell holding a number shaped like a 個人番号 is refused unless its column is in
        `allow_my_number_like`; a row over `max_record_bytes` (1 MiB) is refused.
        """
    def import_records(
        self,
        rows: Iterable[Mapping[str, Any]] | _DataFrame,
        *,
        dry_run: bool = False,
        strict: bool = False,
        allow_my_number_like: Sequence[str] | None = None,
    ) -> ImportReport:
        """Imports records (dicts with `to_records()`'s keys, or a pandas or polars
        DataFrame) atomically, as `import_csv` imports a sheet; `CsvImportError` on errors,
        each issue with the row's `index`."""
    def backup(self, dest: _StrPath) -> Verification:
        """Copies the register into the new file `dest` and verifies the copy."""
    def explain(self, id: _AssetRef) -> dict[str, Any]:
        """Why the asset has its effective classification (the CLI's `explain --format json`)."""
    def assess(
        self, id: _AssetRef, threat: str, *, likelihood: int, vulnerability: int
    ) -> None:
        """Records the assessment of one threat group for an asset (each 1, 2 or 3)."""
    def risks(self) -> dict[str, Any]:
        """The risk list (the CLI's `risk --format json`): `entries` and `not_assessed`."""
    def export_csv(
        self,
        path: _StrPath,
        *,
        overwrite: bool = False,
        headers: Literal["en", "ja"] = "en",
        encoding: str = "utf-8-sig",
        links: _StrPath | None = None,
        organization: str | None = None,
        kind: str | None = None,
        segment: str | None = None,
        min_confidentiality: _LevelLike | None = None,
        min_integrity: _LevelLike | None = None,
        min_availability: _LevelLike | None = None,
        in_scope: bool | None = None,
        personal: bool | None = None,
        sensitive: bool | None = None,
        my_number: bool | None = None,
        name_contains: str | None = None,
        disposed: _Disposed = "include",
        department: str | None = None,
        manager: str | None = None,
        reviewed_before: _DateLike | None = None,
        updated_since: datetime.datetime | datetime.date | None = None,
    ) -> int:
        """Writes the selected assets as CSV (and every link to `links`); the rows written.

        Files are written owner-only and renamed into place when complete; an existing
        file raises `FileExistsError` unless `overwrite=True`, and the register's own
        files, symbolic links and non-regular files raise `PermissionError`.
        """
    def check(
        self,
        *,
        today: _DateLike | None = None,
        allow_my_number_like: Sequence[str] | None = None,
        record: bool = False,
        as_of: _DateLike | None = None,
    ) -> CheckReport:
        """Runs the self-inspection (自己点検) against the register's policy.

        With `record=True` the run is recorded and its findings tracked (`findings()`);
        with `as_of`, the register as it stood at the end of that day. The two
        exclude each other (`ValueError`).
        """
    def add_exception(
        self,
        rule: str,
        asset: _AssetRef,
        *,
        reason: str,
        approver: str,
        approved_on: _DateLike,
        to: _AssetRef | None = None,
        expires_on: _DateLike | None = None,
        conditions: str | None = None,
    ) -> RuleException:
        """Records an exception (例外措置): while valid, the findings it covers are `info`."""
    def exceptions(self) -> list[RuleException]:
        """Every exception, ended ones included, by number."""
    def end_exception(self, id: int) -> RuleException:
        """Ends an exception: the findings it covered are reported again."""
    def history(self, id: _AssetRef) -> list[AuditEntry]: ...
    def verify(self) -> Verification: ...
    def summary(self, *, as_of: _DateLike | None = None) -> SummaryRecord: ...
    def findings(self, *, status: str | None = None) -> list[dict[str, Any]]:
        """The findings tracked to correction (是正), as dicts: id, key, rule, assets,
        status, first_seen, last_seen, resolved_on, owner, due_on, overdue, message_ja,
        message_en."""
    def set_finding(
        self,
        key: int | str,
        *,
        status: str | None = None,
        owner: str | None = None,
        due: _DateLike | None = None,
        clear_due: bool = False,
    ) -> dict[str, Any]:
        """Sets a tracked finding's status (open, in_progress), owner or due date."""
    def finding_history(self, key: int | str) -> list[AuditEntry]:
        """A tracked finding's status history from the audit log."""
    def pia(self, *, today: _DateLike | None = None) -> dict[str, Any]:
        """Each 事務 with the 特定個人情報保護評価 it needs and the one done."""
    def add_process(
        self,
        name: str,
        *,
        handlers: int = 0,
        persons: int | None = None,
        incident_on: _DateLike | None = None,
        evaluation: str | None = None,
        document: str | None = None,
        published_on: _DateLike | None = None,
    ) -> int:
        """Records a 事務 of 特定個人情報; returns its number."""
    def set_process(
        self,
        process: int | str,
        *,
        name: str | None = None,
        handlers: int | None = None,
        persons: int | None = None,
        incident_on: _DateLike | None = None,
        evaluation: str | None = None,
        document: str | None = None,
        published_on: _DateLike | None = None,
        clear: Sequence[str] | None = None,
    ) -> int:
        """Changes a 事務 (by number or name); `clear` names fields to remove
        (persons, incident_on, evaluation; another raises `ValidationError` with
        field `clear`). A new name is written into its files' 事務 attribute."""
    def report(
        self,
        path: _StrPath,
        *,
        lang: Literal["ja", "en"] = "ja",
        overwrite: bool = False,
        city: str | None = None,
        today: _DateLike | None = None,
        as_of: _DateLike | None = None,
    ) -> int:
        """Writes the auditor's report (監査報告書) as one self-contained HTML file.

        Japanese by default; returns the number of findings it holds. With `as_of`,
        the report is of the register as it stood at the end of that day (local time),
        rebuilt from its verified audit log, and made for that day unless `today` is
        given. An existing file raises `FileExistsError` unless `overwrite=True`.
        """
    def import_xlsx(
        self,
        path: _StrPath,
        *,
        sheet: str | None = None,
        links_sheet: str | None = None,
        dry_run: bool = False,
    ) -> ImportReport:
        """Imports an Excel workbook as `import_csv` imports a sheet; errors name `台帳!F12`."""
    def export_xlsx(
        self,
        path: _StrPath,
        *,
        overwrite: bool = False,
        organization: str | None = None,
        kind: str | None = None,
        segment: str | None = None,
        min_confidentiality: _LevelLike | None = None,
        min_integrity: _LevelLike | None = None,
        min_availability: _LevelLike | None = None,
        in_scope: bool | None = None,
        personal: bool | None = None,
        sensitive: bool | None = None,
        my_number: bool | None = None,
        name_contains: str | None = None,
        disposed: _Disposed = "include",
        department: str | None = None,
        manager: str | None = None,
        reviewed_before: _DateLike | None = None,
        updated_since: datetime.datetime | datetime.date | None = None,
    ) -> int:
        """Writes the selected assets as a workbook (台帳, 関連, 点検結果, 凡例); the rows written."""
    def changes(
        self,
        *,
        since: _DateLike,
        until: _DateLike | None = None,
        organization: str | None = None,
        department: str | None = None,
    ) -> list[dict[str, Any]]:
        """Every change between two days (local time), one dict per field changed."""
    def start_campaign(
        self,
        name: str,
        *,
        due: _DateLike | None = None,
        organization: str | None = None,
    ) -> dict[str, Any]:
        """Starts an attestation campaign (棚卸): one attestation per section with assets."""
    def campaign_status(
        self, name: str | None = None, *, today: _DateLike | None = None
    ) -> dict[str, Any]:
        """Each section of a campaign as attested, open or overdue."""
    def attest(
        self,
        department: str,
        *,
        by: str,
        organization: str | None = None,
        sheet: _StrPath | None = None,
    ) -> dict[str, Any]:
        """Records a section's attestation, its returned sheet imported in the same transaction."""
    def close_campaign(self) -> dict[str, Any]:
        """Closes the open campaign."""
