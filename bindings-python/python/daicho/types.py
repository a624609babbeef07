"""The shapes of daicho's plain dicts, for type checkers (`TypedDict`s).

One value convention holds in every dict: ids are `str` (objects such as `Asset` and
the exceptions give `uuid.UUID`), codes are `str`, dates `datetime.date`, times aware
`datetime.datetime` in UTC, controls a tuple of codes and extra attributes a dict of
str (None when an asset has none).

>>> from daicho.types import AssetRecord
>>> def managers(rows: list[AssetRecord]) -> set[str | None]:
...     return {row["manager"] for row in rows}
"""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Literal, Optional, Tuple, TypedDict, Union

Severity = Literal["error", "warning", "info"]
"""A finding's severity, from the most severe."""


class AssetRecord(TypedDict):
    """One row of `Register.to_records()` / `iter_records()`, `Asset.to_dict()`, and an
    audit entry's `before` and `after` for an asset: every key always present."""

    id: str
    asset_number: Optional[str]
    kind: str
    name: str
    organization: str
    department: str
    manager: Optional[str]
    confidentiality: str
    integrity: str
    availability: str
    segment: Optional[str]
    medium: Optional[str]
    location: Optional[str]
    personal: bool
    sensitive: bool
    my_number: bool
    record_count: Optional[int]
    controls: Tuple[str, ...]
    hosting: Optional[str]
    provider: Optional[str]
    contract: Optional[str]
    retention: Optional[str]
    exclusion_reason: Optional[str]
    reviewed_on: Optional[datetime.date]
    disposed_on: Optional[datetime.date]
    disposed_by: Optional[str]
    disposal_method: Optional[str]
    disposal_approver: Optional[str]
    disposal_certificate: Optional[str]
    notes: Optional[str]
    extra: Optional[Dict[str, str]]
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


# `from` is a keyword: the functional form.
LinkRecord = TypedDict(
    "LinkRecord",
    {"from": str, "relation": str, "to": str, "sanitization": Optional[str]},
)
"""One link of `Register.links()`: ids as `str`."""


class FindingRecord(TypedDict):
    """One row of `CheckReport.to_records()`."""

    rule: str
    severity: Severity
    section: str
    organization: str
    asset_id: Optional[str]
    asset_name: Optional[str]
    assets: Tuple[str, ...]
    message_ja: str
    message_en: str


class ExcludedRecord(TypedDict):
    """One asset of `CheckReport.excluded`: outside the policy's scope."""

    id: str
    name: str
    kind: str
    organization: str
    reason: str
    disposed: bool


class SummaryRecord(TypedDict):
    """`Register.summary()`: counts."""

    total: int
    in_scope: int
    excluded: int
    disposed: int
    links: int
    by_organization: Dict[str, Dict[str, int]]
    by_kind: Dict[str, int]
    by_segment: Dict[Optional[str], int]
    by_scope: Dict[Optional[str], int]


class HistoryRecord(TypedDict):
    """`AuditEntry.to_dict()`: one entry of `Register.history()`. `before` and `after` are
    `AssetRecord`s for an asset's entries, a `LinkRecord` for a link's, None when absent."""

    seq: int
    at: datetime.datetime
    actor: str
    action: str
    asset_id: Optional[str]
    related_id: Optional[str]
    before: Optional[Dict[str, Any]]
    after: Optional[Dict[str, Any]]
    hash: str


class AssetChanges(TypedDict, total=False):
    """The keyword arguments of `Register.update()`: any field `add` takes."""

    kind: str
    name: str
    organization: str
    confidentiality: Union[str, int]
    integrity: Union[str, int]
    availability: Union[str, int]
    department: Optional[str]
    asset_number: Optional[str]
    manager: Optional[str]
    segment: Optional[str]
    medium: Optional[str]
    location: Optional[str]
    personal: bool
    sensitive: bool
    my_number: bool
    record_count: Optional[int]
    controls: Union[str, Tuple[str, ...], List[str], None]
    hosting: Optional[str]
    provider: Optional[str]
    contract: Optional[str]
    retention: Union[int, str, None]
    exclusion_reason: Optional[str]
    reviewed_on: Union[datetime.date, str, None]
    notes: Optional[str]
    extra: Optional[Dict[str, str]]


__all__ = [
    "AssetChanges",
    "AssetRecord",
    "ExcludedRecord",
    "FindingRecord",
    "HistoryRecord",
    "LinkRecord",
    "Severity",
    "SummaryRecord",
]
