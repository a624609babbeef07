"""Shared fixtures: a fresh register per test, with a few assets.

With `DAICHO_TEST_BACKEND=postgres` a register lives in a new schema of the PostgreSQL
server named by `DAICHO_TEST_POSTGRES` (an administrator's URL; `scripts/test` starts one)
instead of a file: `location` is then that schema's URL, and the run holds only the tests
that use it (`new_location`, through `location`, `register` or directly): the others ran in
the SQLite run already. Tests about the register file itself ask for `db_path` and
`file_register`, which are files in both runs.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Union

import pytest

import daicho

ON_POSTGRES = os.environ.get("DAICHO_TEST_BACKEND") == "postgres"

# A register's location: a file, or a PostgreSQL URL. (`Union`: evaluated at import, and
# the package supports Python 3.9.)
Location = Union[Path, str]


def admin_url() -> str | None:
    return os.environ.get("DAICHO_TEST_POSTGRES") or None


def psql(url: str, *commands: str) -> str:
    """Runs SQL commands with the `psql` client (the tests need no Python driver)."""
    args = ["psql", url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
    for command in commands:
        args += ["-c", command]
    completed = subprocess.run(args, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def execute(location: Location, sql: str) -> None:
    """Runs one SQL statement on the register's database, behind the library's back."""
    if isinstance(location, Path):
        with sqlite3.connect(location) as conn:
            conn.execute(sql)
        conn.close()
    else:
        psql(location, sql)


def holds_a_register(location: Location) -> bool:
    """Whether anything was written at the location: the file, or a table in the schema."""
    if isinstance(location, Path):
        return location.exists()
    tables = psql(
        location,
        "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()",
    )
    return int(tables) > 0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not ON_POSTGRES:
        return
    on_server: list[pytest.Item] = []
    others: list[pytest.Item] = []
    for item in items:
        (on_server if "new_location" in getattr(item, "fixturenames", ()) else others).append(item)
    if others:
        config.hook.pytest_deselected(items=others)
        items[:] = on_server


@pytest.fixture
def new_schema_url() -> Iterator[Callable[[], str]]:
    """Makes the URLs of new, empty schemas on the test server; drops them afterwards."""
    admin = admin_url()
    schemas: list[str] = []

    def make() -> str:
        if admin is None:
            pytest.fail("DAICHO_TEST_BACKEND=postgres needs DAICHO_TEST_POSTGRES (scripts/test)")
        schema = f"t_{uuid.uuid4().hex}"
        psql(admin, f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        separator = "&" if "?" in admin else "?"
        return f"{admin}{separator}options=-c%20search_path%3D{schema}"

    yield make
    if schemas and admin is not None:
        # A connection a test left open may hold a lock: give up on it rather than hang.
        subprocess.run(
            ["psql", admin, "-X", "-q", "-c", "SET lock_timeout = '5s'",
             "-c", f"DROP SCHEMA IF EXISTS {', '.join(schemas)} CASCADE"],
            capture_output=True,
            check=False,
        )


@pytest.fixture
def server_url(new_schema_url: Callable[[], str]) -> str:
    """A new schema on the test server whatever the backend, for tests of server registers
    as such: they run in the SQLite run when a server is named, and skip without one."""
    if admin_url() is None:
        pytest.skip("no PostgreSQL test server (DAICHO_TEST_POSTGRES; scripts/test starts one)")
    return new_schema_url()


@pytest.fixture
def new_location(
    tmp_path: Path, new_schema_url: Callable[[], str]
) -> Callable[[str], Location]:
    """Makes locations for new registers: `name` is the file's, under SQLite."""

    def make(name: str) -> Location:
        return new_schema_url() if ON_POSTGRES else tmp_path / name

    return make


@pytest.fixture
def location(new_location: Callable[[str], Location]) -> Location:
    """Where this test's register goes: a file, or a schema on the server."""
    return new_location("daicho.db")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A register file, in both runs: for tests about the file itself."""
    return tmp_path / "daicho.db"


@pytest.fixture
def register(location: Location) -> Iterator[daicho.Register]:
    with daicho.Register.create(location) as register:
        register.actor = "情報政策課 山田"
        yield register


@pytest.fixture
def file_register(db_path: Path) -> Iterator[daicho.Register]:
    """A register in the file `db_path`, in both runs."""
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
