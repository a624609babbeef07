"""`Register.to_records()`: plain dicts for pandas and Excel."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import pytest
from conftest import Location, add_system

import daicho

RECORD_KEYS = [
    "id",
    "asset_number",
    "kind",
    "name",
    "organization",
    "department",
    "manager",
    "confidentiality",
    "integrity",
    "availability",
    "segment",
    "medium",
    "location",
    "personal",
    "sensitive",
    "my_number",
    "record_count",
    "controls",
    "hosting",
    "provider",
    "contract",
    "retention",
    "exclusion_reason",
    "reviewed_on",
    "disposed_on",
    "disposed_by",
    "disposal_method",
    "disposal_approver",
    "disposal_certificate",
    "notes",
    "extra",
    "version",
    "created_at",
    "updated_at",
]


def test_records_hold_plain_python_values(register: daicho.Register) -> None:
    asset = add_system(
        register,
        segment="mynumber",
        my_number=True,
        record_count=5,
        controls=["mfa", "backup"],
        retention=5,
        reviewed_on=datetime.date(2025, 4, 8),
        extra={"番号": "1"},
    )
    (record,) = register.to_records()
    assert list(record) == RECORD_KEYS
    assert record["id"] == str(asset.id)
    assert uuid.UUID(record["id"]) == asset.id
    assert record["kind"] == "network_system"
    assert record["organization"] == "mayor"
    assert record["confidentiality"] == "3B"
    assert record["segment"] == "mynumber"
    assert record["my_number"] is True and record["personal"] is False
    assert record["record_count"] == 5
    assert record["controls"] == ("backup", "mfa")
    assert record["retention"] == "5"
    assert record["reviewed_on"] == datetime.date(2025, 4, 8)
    assert record["disposed_on"] is None
    assert record["extra"] == {"番号": "1"}
    assert record["version"] == 1
    assert record["created_at"] == asset.created_at
    assert record == asset.to_dict()


def test_records_match_the_audit_log_record(register: daicho.Register) -> None:
    asset = add_system(
        register, reviewed_on="2025-04-08", controls=["mfa", "backup"], extra={"a": "1", "b": "2"}
    )
    (record,) = register.to_records()
    (entry,) = register.history(asset)
    logged = entry.after
    assert logged is not None
    assert list(logged) == RECORD_KEYS
    # Issue 15: history gives the values of `to_records()`, not JSON's.
    assert logged == record
    assert isinstance(logged["reviewed_on"], datetime.date)
    assert logged["controls"] == ("backup", "mfa")
    assert logged["extra"] == {"a": "1", "b": "2"}
    assert logged["created_at"].tzinfo is not None
    as_dict = entry.to_dict()
    assert as_dict["asset_id"] == str(asset.id) and as_dict["related_id"] is None
    assert (as_dict["action"], as_dict["after"], as_dict["before"]) == ("create", record, None)
    assert as_dict["at"] == entry.at and as_dict["hash"] == entry.hash


def test_records_without_extra_attributes_hold_none(register: daicho.Register) -> None:
    add_system(register)
    (record,) = register.to_records()
    assert record["extra"] is None
    assert record["controls"] == ()


def test_records_are_listed_in_the_order_of_assets(register: daicho.Register) -> None:
    for name, org in [("b", "水道局"), ("a", "水道局"), ("c", "市長部局"), ("a", "消防局"), ("a", "市長部局")]:
        add_system(register, name=name, organization=org)
    add_system(register, name="a", organization="市長部局")
    assert [r["id"] for r in register.to_records()] == [str(a.id) for a in register.assets()]
    assert [(r["organization"], r["name"]) for r in register.to_records()][:4] == [
        ("mayor", "a"),
        ("mayor", "a"),
        ("mayor", "c"),
        ("fire", "a"),
    ]


def test_many_records_come_in_batches(register: daicho.Register, tmp_path: Path) -> None:
    # More rows than one batch of the reading thread (1024), with a filter.
    register.import_csv(_many_assets_sheet(tmp_path, 2500))
    records = register.to_records()
    assert len(records) == 2500
    assert [r["id"] for r in records] == [str(a.id) for a in register.assets()]
    assert len(register.to_records(organization="fire")) == 1250


def test_to_records_on_a_closed_register(location: Location) -> None:
    register = daicho.Register.create(location)
    register.close()
    with pytest.raises(daicho.DaichoError, match="closed"):
        register.to_records()


def _many_assets_sheet(folder: Path, count: int) -> Path:
    path = folder / "many.csv"
    lines = ["name,kind,organization,confidentiality,integrity,availability,department"]
    for i in range(count):
        org = "mayor" if i % 2 else "fire"
        lines.append(f"asset {i:05d},information,{org},2,1,1,dept {i % 7}")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def test_records_take_the_filters_of_assets(register: daicho.Register) -> None:
    add_system(register, name="a", my_number=True)
    add_system(register, name="b", organization="水道局")
    assert [r["name"] for r in register.to_records(my_number=True)] == ["a"]
    assert [r["name"] for r in register.to_records(organization="水道局")] == ["b"]
    assert [r["name"] for r in register.to_records()] == ["a", "b"]


def test_repeated_values_are_shared_between_rows(register: daicho.Register) -> None:
    for i in range(3):
        add_system(register, name=f"s{i}", department="情報政策課")
    records = register.to_records()
    assert records[0]["department"] is records[2]["department"]
    assert records[0]["organization"] is records[1]["organization"]


def test_records_make_a_dataframe(register: daicho.Register) -> None:
    pd = pytest.importorskip("pandas")
    add_system(register, name="a", reviewed_on="2025-04-08")
    add_system(register, name="b", organization="水道局")
    frame = pd.DataFrame(register.to_records())
    assert list(frame.columns) == RECORD_KEYS
    assert frame["name"].tolist() == ["a", "b"]
    assert frame.groupby("organization").size().to_dict() == {"mayor": 1, "waterworks": 1}
