"""Issue 16, items 2 and 4: findings tracked to correction (是正) and the
特定個人情報保護評価 helper, through the Python API."""

from __future__ import annotations

import datetime

import pytest

import daicho
from conftest import add_system


def test_a_finding_fixed_between_two_runs_is_resolved_on_the_second_runs_date(
    register: daicho.Register,
) -> None:
    system = add_system(register, manager=None)
    register.check(today=datetime.date(2026, 4, 1), record=True)
    key = f"manager.missing:{system.id}"
    tracked = [f for f in register.findings(status="open") if f["key"] == key]
    assert len(tracked) == 1
    assert tracked[0]["first_seen"] == datetime.date(2026, 4, 1)
    assert tracked[0]["assets"] == [str(system.id)]  # ids are text in dicts

    set_ = register.set_finding(
        key, status="是正中", owner="情報政策課 山田", due="令和8年4月30日"
    )
    assert set_["status"] == "in_progress"
    assert set_["due_on"] == datetime.date(2026, 4, 30)

    register.update(system.id, expected_version=system.version, manager="課長")
    register.check(today=datetime.date(2026, 5, 10), record=True)
    resolved = register.findings(status="resolved")
    assert [f["key"] for f in resolved] == [key]
    assert resolved[0]["resolved_on"] == datetime.date(2026, 5, 10)
    history = register.finding_history(tracked[0]["id"])
    assert [e.after["status"] for e in history if e.after] == [
        "open",
        "in_progress",
        "resolved",
    ]
    assert register.verify().ok


def test_bad_status_and_unknown_findings_are_refused(register: daicho.Register) -> None:
    add_system(register, manager=None)
    register.check(today=datetime.date(2026, 4, 1), record=True)
    with pytest.raises(daicho.ValidationError):
        register.set_finding(1, status="resolved")
    with pytest.raises(daicho.ValidationError):
        register.findings(status="done")
    with pytest.raises(daicho.ValidationError):
        register.set_finding("no.such:key", owner="x")
    with pytest.raises(daicho.ValidationError):
        register.check(today=datetime.date(2026, 3, 1), record=True)


def test_pia_judges_each_process_by_the_thresholds(register: daicho.Register) -> None:
    for name, count, process in [
        ("住民記録データ", 312_540, "住民基本台帳事務"),
        ("介護保険データ", 10_000, "介護保険事務"),
        ("小規模データ", 999, "小規模事務"),
    ]:
        add_system(
            register,
            kind="information",
            name=name,
            segment="mynumber",
            personal=True,
            my_number=True,
            record_count=count,
            extra={"事務": process},
        )
    register.add_process(
        "住民基本台帳事務",
        handlers=350,
        evaluation="全項目評価",
        document="第10001号",
        published_on=datetime.date(2023, 6, 1),
    )
    care = register.add_process("介護保険事務", handlers=499)
    register.add_process("小規模事務", handlers=900)
    report = register.pia(today=datetime.date(2026, 11, 25))
    judged = {
        p["name"]: (p["persons"], p["required"], p["verdict"]) for p in report["processes"]
    }
    assert judged == {
        "住民基本台帳事務": (312_540, "full", "done"),
        "介護保険事務": (10_000, "basic", "missing"),
        "小規模事務": (999, None, "not_required"),
    }
    register.set_process(care, handlers=500)
    after = register.pia(today=datetime.date(2026, 11, 25))["processes"][1]
    assert after["required"] == "focused"
    checked = register.check(today=datetime.date(2026, 11, 25))
    rules = [f.rule for f in checked.findings if f.rule.startswith("pia.")]
    assert rules == ["pia.evaluation_missing"]
    register.set_process("介護保険事務", persons=20_000, incident_on="2026-01-10")
    care_now = register.pia(today=datetime.date(2026, 11, 25))["processes"][1]
    assert (care_now["persons"], care_now["serious_incident"]) == (20_000, True)
    register.set_process("介護保険事務", clear=["persons", "incident_on"])
    assert register.pia()["processes"][1]["persons"] == 10_000
    with pytest.raises(daicho.ValidationError) as missing:
        register.add_process("新事務", evaluation="basic")
    assert missing.value.field == "document"
    with pytest.raises(daicho.ValidationError) as cleared:
        register.set_process(care, clear=["handlers"])
    assert (cleared.value.field, cleared.value.value) == ("clear", "handlers")
    with pytest.raises(daicho.ValidationError):
        register.add_process("住民基本台帳事務")
    assert register.verify().ok
