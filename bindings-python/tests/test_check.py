"""`Register.check()`: the self-inspection (自己点検), from Python."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import pytest
from conftest import add_system

import daicho

INVENTORY = Path(__file__).resolve().parents[2] / "examples" / "inventory"


def test_my_number_data_outside_the_segment_is_an_error(register: daicho.Register) -> None:
    server = add_system(
        register,
        name="庁内ファイルサーバ",
        segment="lgwan",
        manager="情報政策課長",
        reviewed_on=datetime.date(2025, 4, 1),
    )
    data = add_system(
        register,
        kind="イ",
        name="個人番号付き台帳",
        my_number=True,
        manager="市民課長",
        reviewed_on=datetime.date(2025, 4, 1),
    )
    register.link(data, "stored_on", server)
    report = register.check(today=datetime.date(2025, 6, 1))
    assert report.today == datetime.date(2025, 6, 1)
    assert report.checked == 2 and report.links == 1 and report.disposed == 0
    outside = [f for f in report.findings if f.rule == "segment.my_number_outside"]
    assert outside, report.findings
    finding = outside[0]
    assert finding.severity == "error"
    assert finding.section.startswith("§6(3)")
    assert finding.organization == "mayor"
    first_id, first_name, first_kind = finding.assets[0]
    assert isinstance(first_id, uuid.UUID)
    assert first_name in ("庁内ファイルサーバ", "個人番号付き台帳")
    assert first_kind in ("network_system", "information")
    assert finding.message_ja and finding.message_en and finding.title_ja and finding.title_en
    assert str(finding).startswith("error segment.my_number_outside")
    assert "segment.my_number_outside" in repr(finding)
    assert report.worst == "error"
    assert report.fails() and report.fails("warning")
    assert report.count("error") >= 1
    # Japanese labels are accepted too, though the type names the codes.
    assert report.count("違反") == report.count("error")  # type: ignore[arg-type]
    assert len(report) == len(report.findings)
    assert "CheckReport(checked=2" in repr(report)


def test_review_age_counts_to_the_given_day(register: daicho.Register) -> None:
    add_system(register, manager="課長", reviewed_on="2020-04-01")
    old = register.check(today="2025-06-01")
    assert any(f.rule == "review.overdue" for f in old.findings)
    fresh = register.check(today=datetime.date(2020, 4, 2))
    assert not any(f.rule == "review.overdue" for f in fresh.findings)


def test_excluded_assets_are_listed(register: daicho.Register) -> None:
    school = add_system(
        register, name="校務支援システム", organization="education", exclusion_reason="school_education"
    )
    (excluded,) = register.check().excluded
    assert excluded == {
        "id": str(school.id),
        "name": "校務支援システム",
        "kind": "network_system",
        "organization": "education",
        "reason": "school_education",
        "disposed": False,
    }


def test_findings_as_records(register: daicho.Register) -> None:
    register.import_csv(INVENTORY / "assets.csv", links=INVENTORY / "links.csv")
    report = register.check(today="2026-06-01")
    records = report.to_records()
    assert len(records) == len(report.findings) > 0
    assert set(records[0]) == {
        "rule",
        "severity",
        "section",
        "organization",
        "asset_id",
        "asset_name",
        "assets",
        "message_ja",
        "message_en",
    }
    assert {r["rule"] for r in records} >= {"segment.my_number_outside"}
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(records)
    assert (frame["severity"] == "error").sum() == report.count("error")


def test_a_clean_register_passes(register: daicho.Register) -> None:
    report = register.check()
    assert report.findings == [] and report.worst is None
    assert not report.fails("info")


def test_unknown_severity_is_a_validation_error(register: daicho.Register) -> None:
    with pytest.raises(daicho.ValidationError) as caught:
        register.check().count("fatal")  # type: ignore[arg-type]
    assert caught.value.field == "severity"


def test_an_exception_turns_a_finding_into_info_and_can_be_ended(
    register: daicho.Register,
) -> None:
    """Issue 13: the register of exceptions (例外措置) from Python."""
    mynumber = add_system(register, name="住基", segment="mynumber", manager="課長")
    lgwan = add_system(register, name="中間サーバー", segment="lgwan", manager="課長")
    register.link(mynumber, "transfers_to", lgwan)
    before = [f for f in register.check().findings if f.rule == "segment.my_number_connection"]
    assert before and before[0].severity == "error" and before[0].exception is None
    exception = register.add_exception(
        "segment.my_number_connection",
        "住基",
        to=lgwan,
        reason="経路限定の連携",
        approver="CISO",
        approved_on=datetime.date(2025, 4, 1),
        conditions="MACアドレス・ポートで限定",
    )
    assert isinstance(exception, daicho.RuleException)
    assert exception.id == 1 and exception.rule == "segment.my_number_connection"
    assert exception.asset == mynumber.id and exception.related == lgwan.id
    assert exception.approved_on == datetime.date(2025, 4, 1)
    assert exception.expires_on is None and exception.ended_at is None
    covered = [f for f in register.check().findings if f.rule == "segment.my_number_connection"]
    assert covered[0].severity == "info" and covered[0].exception == 1
    assert "例外措置 #1" in covered[0].message_ja
    assert [e.id for e in register.exceptions()] == [1]
    ended = register.end_exception(1)
    assert isinstance(ended.ended_at, datetime.datetime)
    again = [f for f in register.check().findings if f.rule == "segment.my_number_connection"]
    assert again[0].severity == "error"
    with pytest.raises(daicho.ValidationError):
        register.end_exception(1)
    with pytest.raises(daicho.ValidationError):
        register.add_exception(
            "no.such_rule", mynumber, reason="r", approver="a", approved_on="2025-04-01"
        )
    assert any(e.action == "exception" for e in register.history(mynumber))
