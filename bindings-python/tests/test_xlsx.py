"""`Register.import_xlsx` and `Register.export_xlsx`: Excel workbooks from Python."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Location, add_system

import daicho

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "examples" / "inventory"
FIXTURES = ROOT / "tests" / "fixtures" / "xlsx"


def test_a_section_workbook_imports_as_its_csv_twin(
    register: daicho.Register, new_location: Callable[[str], Location]
) -> None:
    report = register.import_xlsx(FIXTURES / "section-sheet.xlsx")
    assert (report.new, report.updated, report.unchanged) == (4, 0, 0)
    assert report.encoding is None
    data = register.get("選挙人名簿データ")
    assert data.asset_number == "1025"
    with daicho.Register.create(new_location("twin.db")) as twin:
        twin.import_csv(FIXTURES / "section-sheet.csv")
        def rows(r: daicho.Register) -> list[tuple[object, ...]]:
            return sorted(
                (
                    record["asset_number"],
                    record["name"],
                    record["organization"],
                    record["record_count"],
                    str(record["reviewed_on"]),
                    record["location"],
                )
                for record in r.to_records()
            )

        assert rows(register) == rows(twin)


def test_export_then_import_changes_nothing_and_filters_apply(
    register: daicho.Register, tmp_path: Path
) -> None:
    register.import_csv(INVENTORY / "assets.csv", links=INVENTORY / "links.csv")
    path = tmp_path / "台帳.xlsx"
    assert register.export_xlsx(path) == 71
    with zipfile.ZipFile(path) as book:
        assert "xl/worksheets/sheet4.xml" in book.namelist(), "台帳, 関連, 点検結果, 凡例"
        assert "<dataValidation " in book.read("xl/worksheets/sheet1.xml").decode()
    again = register.import_xlsx(path, links_sheet="関連")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 71)
    assert again.links_unchanged == 63
    with pytest.raises(FileExistsError):
        register.export_xlsx(path)
    water = register.export_xlsx(path, overwrite=True, organization="水道局")
    assert 0 < water < 71
    dry = register.import_xlsx(path, sheet="台帳", dry_run=True)
    assert dry.dry_run and dry.unchanged == water


def test_errors_name_the_cell_and_nothing_is_written(register: daicho.Register) -> None:
    add_system(register)
    with pytest.raises(daicho.CsvImportError) as raised:
        register.import_xlsx(FIXTURES / "bad-values.xlsx")
    messages = [str(error) for error in raised.value.errors]
    assert len(messages) == 3, messages
    assert "台帳!D4" in messages[0] and "4Z" in messages[0]
    assert "台帳!G5" in messages[1]
    assert register.summary()["total"] == 1
    with pytest.raises(daicho.CsvImportError, match="Sheet9"):
        register.import_xlsx(FIXTURES / "bad-values.xlsx", sheet="Sheet9")
