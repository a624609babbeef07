"""The exceptions of daicho, defined in Python so that they derive from Python's own.

`ValidationError` is a `ValueError` and `NotFoundError` a `LookupError`, so that code
catching those catches them too; every class reports module `daicho` (where it is
exported) and pickles with its attributes. The native module raises them.
"""

from __future__ import annotations

from typing import Any


class DaichoError(Exception):
    """The base of every daicho exception; `str(error)` says what failed, in English,
    and attribute `message_ja` says it in Japanese."""

    message_ja: str


class ValidationError(DaichoError, ValueError):
    """A value is not acceptable for a field: attributes `field`, `value`, `reason`, and
    `allowed` (the accepted codes, or None) and `suggestions` (the closest accepted codes,
    or None)."""

    field: str | None
    value: str | None
    reason: str | None
    allowed: list[str] | None
    suggestions: list[str] | None


class NotFoundError(DaichoError, LookupError):
    """No asset has the id (attribute `id`) or the name (attribute `name`) that was asked
    for."""

    id: str | None
    name: str | None


class ConflictError(DaichoError):
    """The register changed underneath the call: attributes `id`, `expected` and `actual`
    (versions; None when the conflict is not about versions)."""

    id: Any
    expected: int | None
    actual: int | None


class CsvImportError(DaichoError):
    """A CSV import found errors and wrote nothing: attribute `errors` (a list of
    `RowIssue`, each with `row`, `line`, `asset`, `column`, `value`, `reason` and, for
    records, `index`; the first 1000) and `total` (how many there were in all)."""

    errors: list[Any]
    total: int


class PolicyError(DaichoError):
    """A policy profile is unknown, not valid TOML, or inconsistent: attribute `origin`."""

    origin: str | None


class ServerError(DaichoError):
    """A register on a database server (a `postgres://` location) cannot be reached or
    refused the connection, or a call needs a register file (restoring onto a server
    register): the message says which, with the server's own words."""


for _class in (
    DaichoError,
    ValidationError,
    NotFoundError,
    ConflictError,
    CsvImportError,
    PolicyError,
    ServerError,
):
    _class.__module__ = "daicho"
