"""Issue 15: Python's conventions, and what staff scripts use."""

from __future__ import annotations

import datetime
import os
import pickle
import uuid
from pathlib import Path

import pytest
from conftest import add_system

import daicho
from daicho.types import AssetRecord


def test_assets_and_records_pickle(register: daicho.Register) -> None:
    asset = add_system(
        register,
        controls=["mfa", "backup"],
        record_count=5,
        reviewed_on=datetime.date(2025, 4, 8),
        extra={"調達年度": "R5"},
        segment="lgwan",
    )
    disposed = register.dispose(
        add_system(register, name="旧システム"),
        expected_version=1,
        date=datetime.date(2025, 3, 31),
        person="山田",
        method="物理破壊",
    )
    for original in (asset, disposed):
        copy = pickle.loads(pickle.dumps(original))
        assert copy == original
        assert copy.to_dict() == original.to_dict()
        # Pickled again from the copy (its policy was loaded from the pickle).
        assert pickle.loads(pickle.dumps(copy)) == original
    # The policy travels once per pickle, not once per asset.
    one = len(pickle.dumps([asset]))
    assert len(pickle.dumps([asset, disposed, asset])) < one * 1.2
    records = register.to_records(disposed="include")
    assert pickle.loads(pickle.dumps(records)) == records


def test_exceptions_pickle_with_their_attributes(register: daicho.Register) -> None:
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, segment="衛星")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert isinstance(copy, daicho.ValidationError) and isinstance(copy, ValueError)
    assert (copy.field, copy.value, str(copy)) == ("segment", "衛星", str(caught.value))


def test_messages_name_the_argument(register: daicho.Register) -> None:
    with pytest.raises(TypeError, match=r"`personal` takes a bool, not `str` \(`personal='yes'`\)"):
        add_system(register, personal="yes")
    with pytest.raises(TypeError, match="`my_number` takes a bool"):
        add_system(register, my_number=1.5)
    with pytest.raises(TypeError, match="`in_scope` takes a bool, not `str`"):
        register.assets(in_scope="no")  # type: ignore[arg-type]
    assert register.to_records(personal=None) == []


def test_ids_are_str_in_dicts_and_uuid_on_objects(register: daicho.Register) -> None:
    system = add_system(register)
    paper = add_system(register, kind="information", name="台帳", confidentiality="2")
    register.link(paper, "stored_on", system)
    assert isinstance(system.id, uuid.UUID)
    (record,) = [r for r in register.to_records() if r["name"] == "台帳"]
    assert isinstance(record["id"], str)
    (link,) = register.links()
    assert (link["from"], link["to"]) == (str(paper.id), str(system.id))
    missing = uuid.uuid4()
    with pytest.raises(daicho.NotFoundError) as caught:
        register.get(missing)
    assert caught.value.id == missing
    for entry in register.history(paper):
        assert entry.asset_id == paper.id


def test_read_only_open_in_a_read_only_folder_lists_and_writes_nothing(
    db_path: Path,
) -> None:
    with daicho.Register.create(db_path) as register:
        add_system(register)
    folder = db_path.parent
    files = sorted(p.name for p in folder.iterdir())
    before = db_path.read_bytes()
    folder.chmod(0o555)
    db_path.chmod(0o444)
    try:
        with daicho.Register.open(db_path, read_only=True) as register:
            assert [a.name for a in register.assets()] == ["文書管理システム"]
            assert register.verify()
            with pytest.raises(daicho.DaichoError):
                add_system(register, name="別のシステム")
        assert db_path.read_bytes() == before
        # Root may write in a 0555 folder, and SQLite then adds its shared-memory files
        # beside the register; anyone else's folder stays as it was.
        if os.geteuid() != 0:
            assert sorted(p.name for p in folder.iterdir()) == files
    finally:
        folder.chmod(0o755)
        db_path.chmod(0o600)


REFUSED = """
import sys, daicho
try:
    daicho.Register.open(sys.argv[1], read_only=True)
except PermissionError as error:
    print("PermissionError", error.filename)
"""


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="Unix users and modes")
def test_a_file_the_os_refuses_is_a_permission_error() -> None:
    import shutil
    import subprocess
    import sys
    import tempfile

    # Root reads any file: the register is then opened as `nobody` (as the CLI's tamper
    # tests do), from a folder anyone may enter.
    command = [sys.executable, "-c", REFUSED]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("root needs setpriv to open a file as another user")
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o755)
        path = folder / "daicho.db"
        with daicho.Register.create(path) as register:
            add_system(register)
        path.chmod(0o600 if os.geteuid() == 0 else 0)
        done = subprocess.run(
            [*command, str(path)], capture_output=True, text=True, check=False
        )
        assert done.stdout.split() == ["PermissionError", str(path)], done.stderr
    finally:
        shutil.rmtree(folder)


def test_iteration_reads_page_by_page_and_the_loop_may_change_assets(
    register: daicho.Register,
) -> None:
    added = [add_system(register, name=f"システム{n:02}") for n in range(25)]
    seen = []
    for asset in register.iter_assets(batch_size=7):
        register.update(asset, expected_version=asset.version, manager="佐藤")
        seen.append(asset.id)
    assert seen == sorted(a.id for a in added)
    rows = list(register.iter_records(batch_size=10, manager="佐藤"))
    assert len(rows) == 25 and all(row["version"] == 2 for row in rows)
    assert rows == sorted(register.to_records(), key=lambda row: uuid.UUID(row["id"]))
    with pytest.raises(daicho.ValidationError):
        register.iter_assets(batch_size=0)


def test_filters_by_manager_review_and_change_time(register: daicho.Register) -> None:
    reviewed = add_system(register, name="点検済み", reviewed_on=datetime.date(2025, 4, 1))
    stale = add_system(
        register, name="点検切れ", reviewed_on=datetime.date(2023, 4, 1), manager="佐藤 健一"
    )
    never = add_system(register, name="未点検")

    def names(assets: list[daicho.Asset]) -> list[str]:
        return sorted(a.name for a in assets)

    assert names(register.assets(manager="佐藤 健一")) == [stale.name]
    due = register.assets(reviewed_before=datetime.date(2025, 4, 1))
    assert names(due) == sorted([stale.name, never.name])
    assert names(register.assets(updated_since=never.updated_at)) == [never.name]
    later = never.updated_at + datetime.timedelta(microseconds=1)
    assert register.assets(updated_since=later) == []
    # A day is the start of that day in Japan.
    today_in_japan = never.updated_at.astimezone(datetime.timezone(datetime.timedelta(hours=9)))
    assert len(register.assets(updated_since=today_in_japan.date())) == 3
    with pytest.raises(TypeError, match="aware"):
        register.assets(updated_since=datetime.datetime(2025, 1, 1))
    assert reviewed.reviewed_on == datetime.date(2025, 4, 1)


def test_backup_restore_explain_and_risks(register: daicho.Register, tmp_path: Path) -> None:
    # Information stored on a system raises the system's level to its own.
    system = add_system(register, segment="mynumber", confidentiality="2")
    paper = add_system(register, kind="information", name="申請書", confidentiality="3A")
    register.link(paper, "stored_on", system)
    verification = register.backup(tmp_path / "backup.db")
    assert verification.ok
    with pytest.raises(FileExistsError):
        register.backup(tmp_path / "backup.db")
    explanation = register.explain(system)
    assert explanation["id"] == str(system.id)
    confidentiality = explanation["axes"][0]
    assert (confidentiality["axis"], confidentiality["effective"]) == ("confidentiality", "3A")
    assert confidentiality["origin"] == paper.name
    register.assess(system, "intentional", likelihood=2, vulnerability=3)
    risks = register.risks()
    assert [(e["id"], e["threat"], e["value"] > 0) for e in risks["entries"]] == [
        (str(system.id), "intentional", True)
    ]
    with pytest.raises(daicho.ValidationError):
        register.assess(system, "intentional", likelihood=4, vulnerability=1)
    with daicho.Register.restore(tmp_path / "backup.db", tmp_path / "restored.db") as restored:
        assert [a.name for a in restored.assets()] == [a.name for a in register.assets()]
        assert restored.verify()


def test_records_have_one_schema_for_polars(register: daicho.Register) -> None:
    pl = pytest.importorskip("polars")
    for n in range(201):
        add_system(register, name=f"システム{n:03}")
    add_system(
        register,
        name="最後のシステム",
        manager="佐藤 健一",
        record_count=5,
        controls=["mfa"],
        reviewed_on=datetime.date(2025, 4, 1),
        extra={"調達年度": "R5"},
    )
    records = register.to_records()
    # Every row has every key, whatever it holds.
    assert {tuple(row) for row in records} == {tuple(AssetRecord.__annotations__)}
    frame = pl.DataFrame(records, schema=daicho.frames.polars_schema())
    assert frame.schema["manager"] == pl.String
    assert frame.schema["record_count"] == pl.Int64
    assert frame.schema["reviewed_on"] == pl.Date
    last = frame.filter(pl.col("name") == "最後のシステム").row(0, named=True)
    assert (last["manager"], last["record_count"], last["controls"]) == ("佐藤 健一", 5, ["mfa"])
    report = register.import_records(frame)
    assert (report.updated, report.unchanged) == (0, 202)


def test_records_with_japanese_labels(register: daicho.Register) -> None:
    add_system(register, controls=["mfa"], segment="lgwan")
    (ja,) = register.to_records(labels="ja")
    (codes,) = register.to_records()
    policy = register.policy
    assert ja["organization"] == dict((c, j) for c, j, _ in policy.organizations)["mayor"]
    assert ja["segment"] != codes["segment"] and ja["segment"]
    assert ja["controls"] == (dict((c, j) for c, j, _ in policy.controls)["mfa"],)
    assert ja["name"] == codes["name"] and ja["id"] == codes["id"]
    (en,) = register.to_records(labels="en")
    assert en["controls"] == (dict((c, e) for c, _, e in policy.controls)["mfa"],)
    with pytest.raises(daicho.ValidationError):
        register.to_records(labels="fr")  # type: ignore[arg-type]
