"""`Register.import_records()`: records and DataFrames round-trip through the sheet import."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import add_system

import daicho


def fill(register: daicho.Register) -> None:
    """Three assets: with controls, a count and an extra attribute, and without."""
    add_system(
        register,
        name="住民基本台帳システム",
        controls=["access_control", "access_log"],
        record_count=71405,
        personal=True,
        extra={"調達年度": "R5"},
    )
    add_system(register, name="文書管理システム", manager="佐藤 健一")
    add_system(register, name="財務会計システム", reviewed_on=datetime.date(2025, 4, 1))


def versions(register: daicho.Register) -> dict[str, int]:
    return {str(a.id): a.version for a in register.assets()}


def check_only_edited(register: daicho.Register, before: dict[str, int], edited: str) -> None:
    after = {str(a.id): a for a in register.assets()}
    for id, version in before.items():
        expected = version + 1 if id == edited else version
        assert after[id].version == expected, after[id].name
    for asset in after.values():
        assert set(asset.extra) <= {"調達年度"}, asset.extra
    assert register.verify()


def test_records_round_trip_changes_only_the_edited_asset(register: daicho.Register) -> None:
    fill(register)
    rows = register.to_records()
    before = versions(register)
    rows[1]["manager"] = "鈴木 花子"
    report = register.import_records(rows)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 2)
    assert report.extra_columns == ["調達年度"]
    check_only_edited(register, before, str(rows[1]["id"]))
    assert register.get(rows[1]["name"]).manager == "鈴木 花子"
    kept = register.get("住民基本台帳システム")
    assert kept.controls == ("access_control", "access_log")
    assert kept.record_count == 71405
    assert kept.extra == {"調達年度": "R5"}


def test_pandas_round_trip_through_import_records_and_csv(
    register: daicho.Register, tmp_path: Path
) -> None:
    pd = pytest.importorskip("pandas")
    fill(register)
    frame = pd.DataFrame(register.to_records())
    # A count column with gaps is float (71405.0); times are datetime64 in UTC.
    assert frame["record_count"].dtype == "float64"
    before = versions(register)
    frame.loc[frame["name"] == "文書管理システム", "manager"] = "鈴木 花子"
    edited = str(frame.loc[frame["name"] == "文書管理システム", "id"].iloc[0])
    report = register.import_records(frame)
    assert (report.updated, report.unchanged) == (1, 2)
    check_only_edited(register, before, edited)

    # The same through a CSV file pandas writes: tuples, floats and times are read back.
    before = versions(register)
    frame = pd.DataFrame(register.to_records())
    frame.loc[frame["name"] == "財務会計システム", "manager"] = "高橋 一郎"
    edited = str(frame.loc[frame["name"] == "財務会計システム", "id"].iloc[0])
    path = tmp_path / "edited.csv"
    # A CSV cell cannot hold the dict of extra attributes: refused, never kept as one.
    frame.to_csv(path, index=False)
    with pytest.raises(daicho.CsvImportError) as caught:
        register.import_csv(path)
    assert [issue.column for issue in caught.value.errors] == ["extra"]
    frame.drop(columns=["extra"]).to_csv(path, index=False)
    report = register.import_csv(path)
    assert (report.updated, report.unchanged) == (1, 2)
    assert report.extra_columns == []
    check_only_edited(register, before, edited)
    assert register.get("住民基本台帳システム").extra == {"調達年度": "R5"}


def test_polars_round_trip(register: daicho.Register) -> None:
    pl = pytest.importorskip("polars")
    fill(register)
    frame = pl.DataFrame(register.to_records(), infer_schema_length=None)
    before = versions(register)
    frame = frame.with_columns(
        pl.when(pl.col("name") == "文書管理システム")
        .then(pl.lit("鈴木 花子"))
        .otherwise(pl.col("manager"))
        .alias("manager")
    )
    edited = frame.filter(pl.col("name") == "文書管理システム")["id"][0]
    report = register.import_records(frame)
    assert (report.updated, report.unchanged) == (1, 2)
    check_only_edited(register, before, edited)


def test_an_error_names_the_row_index_and_column_and_writes_nothing(
    register: daicho.Register,
) -> None:
    fill(register)
    rows: list[dict[str, Any]] = [dict(row) for row in register.to_records()]
    before = register.to_records()
    rows[0]["manager"] = "鈴木 花子"
    rows[2]["confidentiality"] = "9Z"
    rows[2]["record_count"] = 12.5
    with pytest.raises(daicho.CsvImportError) as caught:
        register.import_records(rows)
    issues = caught.value.errors
    assert {(issue.index, issue.column) for issue in issues} == {
        (2, "confidentiality"),
        (2, "record_count"),
    }
    assert str(issues[0]).startswith("row index 2")
    assert register.to_records() == before


def test_read_only_times_are_checked_and_never_extra_attributes(
    register: daicho.Register,
) -> None:
    fill(register)
    rows = register.to_records()
    rows[0]["created_at"] = datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc)
    with pytest.raises(daicho.CsvImportError) as caught:
        register.import_records(rows)
    assert [(i.index, i.column) for i in caught.value.errors] == [(0, "created_at")]
    # Unchanged, or left empty, they change nothing.
    emptied: list[dict[str, Any]] = [dict(row) for row in register.to_records()]
    emptied[1]["updated_at"] = None
    report = register.import_records(emptied)
    assert (report.updated, report.unchanged) == (0, 3)
    assert report.extra_columns == ["調達年度"]


def test_new_rows_create_assets_and_dry_run_writes_nothing(register: daicho.Register) -> None:
    new: list[dict[str, Any]] = [
        {
            "kind": "ア",
            "name": "図書館システム",
            "organization": "education",
            "confidentiality": "2",
            "integrity": "2",
            "availability": "2",
            "controls": ("access_control",),
            "record_count": 120.0,
            "personal": True,
            "extra": {"調達年度": "R6"},
        }
    ]
    report = register.import_records(new, dry_run=True)
    assert (report.dry_run, report.new) == (True, 1)
    assert register.assets() == []
    register.import_records(new)
    asset = register.get("図書館システム")
    assert (asset.record_count, asset.personal, asset.controls) == (120, True, ("access_control",))
    assert asset.extra == {"調達年度": "R6"}


def test_bad_rows_are_type_errors_that_name_the_row(register: daicho.Register) -> None:
    with pytest.raises(TypeError, match="not one dict"):
        register.import_records({"name": "x"})  # a Mapping is an Iterable of its keys
    with pytest.raises(TypeError, match=r"rows\[0\]\[\"controls\"\]"):
        register.import_records([{"name": "x", "controls": [1, 2]}])
    with pytest.raises(TypeError, match=r"rows\[1\]"):
        register.import_records([{"name": "x"}, 5])
