"""Issue 15: types a checker trusts: typical scripts pass `mypy --strict`, mistakes fail.

The scripts below are type-checked by `scripts/test` (mypy --strict over the tests) and
run here; `test_mistakes_fail_type_checking` runs mypy's API on scripts with mistakes.
"""

from __future__ import annotations

import datetime
import textwrap
from pathlib import Path

import pytest
from conftest import Location, add_system

import daicho
from daicho.types import AssetRecord, SummaryRecord


def manager_of(path: Path | str, name: str) -> str | None:
    # `__exit__` returns None: mypy knows the block cannot swallow the return.
    with daicho.Register.open(path, read_only=True) as register:
        return register.get(name).manager


def unreviewed_managers(register: daicho.Register, since: datetime.date) -> set[str]:
    rows: list[AssetRecord] = register.to_records(reviewed_before=since)
    return {row["manager"] or "(none)" for row in rows}


def reassign(register: daicho.Register, old: str, new: str) -> int:
    changed = 0
    for asset in register.iter_assets(manager=old):
        register.update(asset, expected_version=asset.version, manager=new, notes=None)
        changed += 1
    return changed


def counts(register: daicho.Register) -> tuple[int, int]:
    summary: SummaryRecord = register.summary()
    report = register.check()
    return summary["total"], report.count("error")


def test_typical_scripts_run(location: Location) -> None:
    with daicho.Register.create(location) as register:
        add_system(register, manager="佐藤")
        add_system(register, name="税務システム", reviewed_on=datetime.date(2020, 4, 1))
        assert unreviewed_managers(register, datetime.date(2025, 4, 1)) == {"佐藤", "(none)"}
        assert reassign(register, "佐藤", "鈴木") == 1
        assert counts(register)[0] == 2
    assert manager_of(location, "文書管理システム") == "鈴木"


MISTAKES = {
    "summary key": ('register.summary()["totl"]', 'TypedDict "SummaryRecord" has no key "totl"'),
    "record key": ('register.to_records()[0]["manger"]', 'has no key "manger"'),
    "update keyword": (
        'register.update("x", expected_version=1, manger="佐藤")',
        'Unexpected keyword argument "manger"',
    ),
    "severity": ('register.check().count("eror")', 'incompatible type "Literal[\'eror\']"'),
}


@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_mistakes_fail_type_checking(mistake: str, tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    code, expected = MISTAKES[mistake]
    script = tmp_path / "script.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import daicho

            def run(register: daicho.Register) -> object:
                return {code}
            """
        ),
        encoding="utf-8",
    )
    cache = Path(__file__).resolve().parents[2] / ".mypy_cache"
    stdout, _, status = api.run(["--strict", "--cache-dir", str(cache), str(script)])
    assert status == 1, stdout
    assert expected in stdout, stdout


def test_a_correct_script_passes_type_checking(tmp_path: Path) -> None:
    api = pytest.importorskip("mypy.api")
    script = tmp_path / "script.py"
    script.write_text(
        textwrap.dedent(
            """
            import daicho

            def run(register: daicho.Register) -> int:
                total: int = register.summary()["total"]
                for row in register.to_records():
                    assert row["manager"] is None or row["manager"].strip()
                return total + register.check().count("error")
            """
        ),
        encoding="utf-8",
    )
    cache = Path(__file__).resolve().parents[2] / ".mypy_cache"
    stdout, _, status = api.run(["--strict", "--cache-dir", str(cache), str(script)])
    assert status == 0, stdout
