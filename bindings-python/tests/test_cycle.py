"""Issue 16 from Python: the register as of a day, the changes between two days, and an
attestation campaign (棚卸) with a returned sheet."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import Location, add_system, execute

import daicho

TODAY = datetime.date.today()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def test_as_of_today_is_the_register_and_as_of_yesterday_is_empty(
    register: daicho.Register,
) -> None:
    system = add_system(register, department="市民課")
    register.update(system.id, expected_version=1, manager="佐藤")
    assert register.to_records(as_of=TODAY) == register.to_records()
    assert register.summary(as_of=TODAY) == register.summary()
    assert [a.id for a in register.assets(as_of=TODAY.isoformat())] == [system.id]
    assert register.assets(as_of=YESTERDAY) == []
    assert register.summary(as_of=YESTERDAY)["total"] == 0
    now = register.check(today=TODAY)
    then = register.check(as_of=TODAY)
    assert then.to_records() == now.to_records()
    assert then.today == TODAY
    assert len(register.check(as_of=YESTERDAY)) == 0


def test_a_recorded_check_is_of_the_register_as_it_stands(register: daicho.Register) -> None:
    add_system(register)
    with pytest.raises(ValueError, match="record and as_of exclude each other"):
        register.check(record=True, as_of=TODAY)
    assert register.findings() == []
    recorded = register.check(record=True, today=TODAY)
    assert len(register.findings()) == len(recorded)
    # The register as of today holds the recorded run's findings too.
    assert register.check(as_of=TODAY).to_records() == recorded.to_records()


def test_a_tampered_entry_refuses_as_of_after_it(
    register: daicho.Register, location: Location
) -> None:
    add_system(register)
    register.close()
    execute(location, "UPDATE audit_log SET actor = 'x' WHERE seq = 2")
    with daicho.Register.open(location) as reopened:
        with pytest.raises(daicho.DaichoError, match="audit entry 2 does not verify"):
            reopened.assets(as_of=TODAY)
        assert reopened.assets(as_of=YESTERDAY) == []


def test_changes_list_each_field_with_its_asset_and_actor(register: daicho.Register) -> None:
    system = add_system(register, department="市民課")
    add_system(register, name="税務システム", department="税務課")
    register.update(system.id, expected_version=1, manager="佐藤")
    changes = register.changes(since=TODAY, department="市民課")
    assert [(c["action"], c["field"], c["old"], c["new"]) for c in changes] == [
        ("create", None, "", "文書管理システム"),
        ("update", "manager", "", "佐藤"),
    ]
    # Ids are `str` in dicts, as in every record (`uuid.UUID` on objects).
    assert all(c["asset_id"] == str(system.id) for c in changes)
    assert isinstance(changes[0]["asset_id"], str)
    assert changes[1]["actor"] == "情報政策課 山田"
    assert changes[1]["at"].tzinfo is not None
    assert len(register.changes(since=TODAY, until=TODAY)) == 4  # init, two adds, the edit
    assert register.changes(since=YESTERDAY, until=YESTERDAY) == []


def test_a_campaign_attests_a_section_with_its_returned_sheet_in_one_transaction(
    register: daicho.Register, tmp_path: Path
) -> None:
    add_system(register, department="市民課")
    add_system(register, name="住民記録データ", kind="information", department="市民課")
    add_system(register, name="税務システム", department="税務課")
    campaign = register.start_campaign("2026", due=YESTERDAY)
    assert campaign["name"] == "2026" and campaign["closed_at"] is None
    status = register.campaign_status()
    assert [(s["department"], s["state"]) for s in status["sections"]] == [
        ("市民課", "overdue"),
        ("税務課", "overdue"),
    ]

    sheet = tmp_path / "市民課.csv"
    register.export_csv(sheet, headers="ja", department="市民課")
    text = sheet.read_text(encoding="utf-8-sig")
    sheet.write_text(
        text.replace("文書管理システム,市長部局,市民課,,", "文書管理システム,市長部局,市民課,佐藤,"),
        encoding="utf-8-sig",
    )
    done = register.attest("市民課", by="市民課長", sheet=sheet)
    assert done["imported"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert (done["confirmed"], done["attested_on"]) == (2, TODAY)
    assert len(done["digest"]) == 64
    assert register.assets(department="市民課", name_contains="文書")[0].manager == "佐藤"
    assert all(a.reviewed_on == TODAY for a in register.assets(department="市民課"))

    states = {s["department"]: s["state"] for s in register.campaign_status()["sections"]}
    assert states == {"市民課": "attested", "税務課": "overdue"}
    with pytest.raises(daicho.ValidationError, match="attested already"):
        register.attest("市民課", by="市民課長")
    closed = register.close_campaign()
    assert closed["closed_at"] is not None
    assert register.verify().ok
