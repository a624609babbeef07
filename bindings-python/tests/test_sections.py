"""Issue 12 from Python: deleting an asset, undoing an import, the department filter,
names as staff type them, and suggestions in unknown-value errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import add_system

import daicho

SHEET = (
    "資産名,種別,所管,所属,機密性,完全性,可用性\r\n"
    "住民基本台帳システム,ア,市長事務部局,市民課,3B,2,2\r\n"
    "税務システム,ア,市長部局,税務課,3B,2,2\r\n"
)


def write_sheet(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(
    register: daicho.Register,
) -> tuple[list[daicho.types.AssetRecord], daicho.types.SummaryRecord]:
    """What the register holds, disposed assets included, and its counts."""
    return register.to_records(disposed="include"), register.summary()


def test_an_import_is_recorded_and_undone_exactly(
    register: daicho.Register, tmp_path: Path
) -> None:
    first = register.import_csv(write_sheet(tmp_path, "a.csv", SHEET))
    assert first.import_id == 1
    system = register.get("住民基本台帳システム")
    before = snapshot(register)

    second = write_sheet(
        tmp_path,
        "b.csv",
        "資産ID,資産名,種別,所管,所属,機密性,完全性,可用性\r\n"
        f"{system.id},住民基本台帳システム,ア,市長部局,市民課,3A,2,2\r\n"
        ",戸籍システム,ア,市長部局,戸籍課,3B,2,2\r\n",
    )
    report = register.import_csv(second)
    assert (report.new, report.updated, report.import_id) == (1, 1, 2)
    assert register.get(system.id).version == 2

    undo = register.undo_import()
    assert isinstance(undo, daicho.UndoReport)
    assert (undo.import_id, undo.deleted, undo.restored) == (2, 1, 1)
    assert undo.source.endswith("b.csv")
    assert snapshot(register) == before
    assert register.get(system.id).version == 1
    assert register.verify().ok

    # The first import, by its id; then nothing is left to undo twice.
    assert register.undo_import(1).deleted == 2
    assert register.to_records() == []
    with pytest.raises(daicho.ValidationError, match="undone already"):
        register.undo_import("last")
    with pytest.raises(daicho.ValidationError, match="no import has this id"):
        register.undo_import(7)
    with pytest.raises(TypeError):
        register.undo_import(1.5)  # type: ignore[arg-type]
    assert register.import_csv(write_sheet(tmp_path, "c.csv", SHEET), dry_run=True).import_id is None


def test_an_import_whose_assets_changed_since_is_not_undone(
    register: daicho.Register, tmp_path: Path
) -> None:
    register.import_csv(write_sheet(tmp_path, "a.csv", SHEET))
    system = register.get("住民基本台帳システム")
    register.update(system.id, expected_version=1, manager="山田")
    with pytest.raises(daicho.ConflictError, match="changed since") as caught:
        register.undo_import("last")
    assert caught.value.id is None
    assert len(register.assets()) == 2


def test_an_asset_is_deleted_with_a_reason_and_its_links_only_when_asked(
    register: daicho.Register,
) -> None:
    system = add_system(register, name="住民基本台帳システム")
    data = register.add(
        kind="information",
        name="住民記録データ",
        organization="mayor",
        confidentiality="3B",
        integrity="2",
        availability="2",
    )
    register.link(data, "stored_on", system)
    with pytest.raises(daicho.ConflictError, match="delete it with its links") as caught:
        register.delete(system, reason="二重登録")
    assert caught.value.id == system.id
    with pytest.raises(daicho.ValidationError, match="a deletion says why"):
        register.delete(data, reason=" ")

    deleted = register.delete(system, reason="二重登録", with_links=True)
    assert deleted == system
    with pytest.raises(daicho.NotFoundError):
        register.get(system.id)
    assert register.links() == []
    history = register.history(system.id)
    assert [entry.action for entry in history] == ["create", "link", "unlink", "delete"]
    assert history[-1].after == {"reason": "二重登録"}
    assert history[-1].before is not None
    assert history[-1].before["name"] == "住民基本台帳システム"
    assert register.verify().ok


def test_assets_are_selected_by_department_and_found_by_folded_name(
    register: daicho.Register, tmp_path: Path
) -> None:
    add_system(register, name="住民基本台帳システム", department="市民課")
    add_system(register, name="ｾﾞｲﾑシステム", department="税務課")
    add_system(register, name="文書管理", department="総務課")
    assert [a.name for a in register.assets(department="市民課")] == ["住民基本台帳システム"]
    assert [r["name"] for r in register.to_records(department="税務課")] == ["ｾﾞｲﾑシステム"]
    assert sorted(a.name for a in register.assets(name_contains="ｼｽﾃﾑ")) == [
        "住民基本台帳システム",
        "ｾﾞｲﾑシステム",
    ]
    assert [a.name for a in register.assets(name_contains="ぜいむ")] == ["ｾﾞｲﾑシステム"]
    out = tmp_path / "市民課.csv"
    assert register.export_csv(out, department="市民課") == 1
    assert "住民基本台帳システム" in out.read_text(encoding="utf-8-sig")


def test_unknown_values_suggest_the_closest_code(register: daicho.Register) -> None:
    # The 〜事務局 forms are names of the bodies themselves.
    assert add_system(register, organization="教育委員会事務局").organization == "education"
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, organization="消防暑")
    assert caught.value.suggestions == ["fire"]
    assert caught.value.allowed is not None and "fire" in caught.value.allowed
    assert "did you mean `fire`?" in str(caught.value)
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, organization="警察本部")
    assert caught.value.suggestions == []
    # A value that is not one of a set has no suggestions to give.
    with pytest.raises(daicho.ValidationError) as caught:
        register.undo_import("前回")
    assert caught.value.suggestions is None
