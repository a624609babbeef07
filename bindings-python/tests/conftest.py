"""Shared fixtures: a fresh register file per test, with a few assets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import daicho


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "daicho.db"


@pytest.fixture
def register(db_path: Path) -> Iterator[daicho.Register]:
    with daicho.Register.create(db_path) as register:
        register.actor = "情報政策課 山田"
        yield register


def add_system(register: daicho.Register, **overrides: Any) -> daicho.Asset:
    """Adds a system (ア) of the mayor's office at 3B-2-2 unless told otherwise."""
    fields: dict[str, Any] = {
        "kind": "network_system",
        "name": "文書管理システム",
        "organization": "mayor",
        "confidentiality": "3B",
        "integrity": "2",
        "availability": "2",
    }
    fields.update(overrides)
    return register.add(**fields)
