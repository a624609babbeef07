"""Every exception class of the package, raised by the register and caught by its class."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import pytest
from conftest import Location, add_system, holds_a_register

import daicho


def test_exception_hierarchy() -> None:
    for cls in (
        daicho.ValidationError,
        daicho.NotFoundError,
        daicho.ConflictError,
        daicho.CsvImportError,
        daicho.PolicyError,
        daicho.ServerError,
    ):
        assert issubclass(cls, daicho.DaichoError)
        assert cls.__module__ == "daicho"
    assert issubclass(daicho.DaichoError, Exception)
    # Issue 15: Python's own bases, so that `except ValueError` and `except LookupError`
    # catch them; the others are no ValueError.
    assert isinstance(daicho.ValidationError("bad"), ValueError)
    assert isinstance(daicho.NotFoundError("none"), LookupError)
    for cls in (
        daicho.ConflictError,
        daicho.CsvImportError,
        daicho.PolicyError,
        daicho.ServerError,
    ):
        assert not issubclass(cls, (ValueError, LookupError))


def test_unknown_code_is_a_validation_error_with_the_allowed_codes(
    register: daicho.Register,
) -> None:
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, segment="衛星")
    error = caught.value
    assert error.field == "segment"
    assert error.value == "衛星"
    assert error.allowed == ["mynumber", "lgwan", "internet", "standalone"]
    assert "not one of" in error.reason
    assert str(error) == "unknown segment `衛星` (allowed: mynumber, lgwan, internet, standalone)"


def test_unknown_organization_and_level(register: daicho.Register) -> None:
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, organization="県庁")
    assert caught.value.field == "organization"
    assert caught.value.allowed is not None and "waterworks" in caught.value.allowed
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, confidentiality="4")
    assert caught.value.field == "confidentiality"


def test_invalid_value_is_a_validation_error_with_a_reason(
    register: daicho.Register,
) -> None:
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, name="   ")
    assert caught.value.field == "name"
    assert caught.value.reason == "a name must not be empty"
    assert caught.value.allowed is None
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, reviewed_on="令和99年13月1日")
    assert caught.value.field == "reviewed_on"
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, record_count=-1)
    assert caught.value.field == "record_count"
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, provider="A社")
    assert caught.value.field == "provider"


def test_an_exclusion_for_another_organization_is_refused(
    register: daicho.Register,
) -> None:
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, organization="mayor", exclusion_reason="school_education")
    assert caught.value.field == "exclusion_reason"


def test_a_link_that_does_not_fit_the_kinds_is_refused(register: daicho.Register) -> None:
    a = add_system(register, name="a")
    b = add_system(register, name="b")
    with pytest.raises(daicho.ValidationError) as caught:
        register.link(a, "stored_on", b)
    assert caught.value.field == "relation"


def test_wrong_python_types_are_type_errors(register: daicho.Register) -> None:
    with pytest.raises(TypeError):
        add_system(register, personal="yes")
    with pytest.raises(TypeError):
        add_system(register, record_count="12")
    with pytest.raises(TypeError, match="datetime.date"):
        add_system(register, reviewed_on=datetime.datetime(2025, 4, 8, 9, 0))
    with pytest.raises(TypeError):
        add_system(register, controls=[1, 2])
    with pytest.raises(TypeError):
        register.get(42)  # type: ignore[arg-type]


def test_missing_asset_is_not_found(register: daicho.Register) -> None:
    missing = uuid.UUID("0190f5a2-7c4e-7d3a-9b1e-2f6c8a4d5e60")
    with pytest.raises(daicho.NotFoundError) as caught:
        register.get(missing)
    assert caught.value.id == missing
    assert caught.value.name is None
    with pytest.raises(daicho.NotFoundError) as caught:
        register.get("どこにもない台帳")
    assert caught.value.name == "どこにもない台帳"
    with pytest.raises(daicho.NotFoundError):
        register.history(missing)


def test_an_ambiguous_name_is_a_validation_error(register: daicho.Register) -> None:
    add_system(register, name="同名")
    add_system(register, name="同名")
    with pytest.raises(daicho.ValidationError) as caught:
        register.get("同名")
    assert caught.value.field == "name"


def test_removing_a_missing_link_is_not_found(register: daicho.Register) -> None:
    a = add_system(register, name="a")
    b = add_system(register, name="b")
    with pytest.raises(daicho.NotFoundError):
        register.unlink(a, "connects_to", b)


def test_stale_version_is_a_conflict(register: daicho.Register) -> None:
    asset = add_system(register)
    register.update(asset.id, expected_version=1, notes="first")
    with pytest.raises(daicho.ConflictError) as caught:
        register.update(asset.id, expected_version=1, notes="second")
    assert caught.value.id == asset.id
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert register.get(asset.id).notes == "first"


def test_changing_a_disposed_asset_is_a_conflict(register: daicho.Register) -> None:
    asset = add_system(register)
    register.dispose(asset.id, expected_version=1, date="2025-03-31", person="佐藤")
    with pytest.raises(daicho.ConflictError) as caught:
        register.update(asset.id, expected_version=2, notes="late")
    assert caught.value.id == asset.id
    assert caught.value.expected is None


def test_linking_twice_is_a_conflict(register: daicho.Register) -> None:
    a = add_system(register, name="a")
    b = add_system(register, name="b")
    register.link(a, "connects_to", b)
    with pytest.raises(daicho.ConflictError):
        register.link(a, "connects_to", b)


def test_unknown_policy_is_a_policy_error(location: Location) -> None:
    with pytest.raises(daicho.PolicyError) as caught:
        daicho.Register.create(location, policy="tokyo")
    assert caught.value.origin == "tokyo"
    assert not holds_a_register(location)


def test_broken_policy_file_is_a_policy_error(location: Location, tmp_path: Path) -> None:
    policy = tmp_path / "broken.toml"
    policy.write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(daicho.PolicyError):
        daicho.Register.create(location, policy=policy)
    assert not holds_a_register(location)


def test_missing_policy_file_is_file_not_found(location: Location, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        daicho.Register.create(location, policy=tmp_path / "none.toml")
    assert caught.value.filename == str(tmp_path / "none.toml")


def test_missing_register_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        daicho.Register.open(tmp_path / "none.db")
    assert caught.value.filename == str(tmp_path / "none.db")


def test_creating_over_a_file_is_file_exists(tmp_path: Path) -> None:
    path = tmp_path / "taken.db"
    path.write_bytes(b"")
    with pytest.raises(FileExistsError) as caught:
        daicho.Register.create(path)
    assert caught.value.filename == str(path)


def test_a_file_that_is_not_a_register_is_a_daicho_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database at all, just text " * 100, encoding="utf-8")
    with pytest.raises(daicho.DaichoError):
        daicho.Register.open(path)


def test_an_unreachable_server_is_a_server_error(tmp_path: Path) -> None:
    # A socket folder where no server listens: no server is needed to test this.
    url = f"postgres://clerk@{str(tmp_path).replace('/', '%2F')}:5432/daicho?sslmode=disable"
    with pytest.raises(daicho.ServerError) as caught:
        daicho.Register.open(url)
    # The server is named as it may be shown: without the query.
    assert str(caught.value).startswith(f"postgres://clerk@{tmp_path}:5432/daicho: ")
    assert "sslmode" not in str(caught.value)
    assert caught.value.message_ja.startswith(f"postgres://clerk@{tmp_path}:5432/daicho: ")
    assert caught.value.message_ja != str(caught.value)


def test_a_password_in_the_url_is_a_server_error_that_does_not_show_it() -> None:
    with pytest.raises(daicho.ServerError) as caught:
        daicho.Register.open("postgres://clerk:hunter2@db.example/daicho")
    assert "hunter2" not in str(caught.value) and "hunter2" not in caught.value.message_ja


def test_restoring_onto_a_server_register_is_a_server_error(
    server_url: str, db_path: Path, tmp_path: Path
) -> None:
    with daicho.Register.create(db_path) as register:
        add_system(register)
        assert register.backup(tmp_path / "backup.db").ok
    daicho.Register.create(server_url).close()
    with pytest.raises(daicho.ServerError, match="cannot be restored onto") as caught:
        daicho.Register.restore(tmp_path / "backup.db", server_url, overwrite=True)
    assert "daicho migrate" in caught.value.message_ja
    with daicho.Register.open(server_url) as register:
        assert register.assets() == []


def test_a_schema_without_a_register_or_with_one_already_is_a_server_error(
    server_url: str,
) -> None:
    # What FileNotFoundError and FileExistsError say of a file.
    with pytest.raises(daicho.ServerError, match="holds no daicho register"):
        daicho.Register.open(server_url)
    daicho.Register.create(server_url).close()
    with pytest.raises(daicho.ServerError, match="holds a register already"):
        daicho.Register.create(server_url)


def test_a_backup_onto_a_server_is_a_server_error_and_writes_no_file(
    register: daicho.Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The folder a URL would name as a relative path: nothing may appear in it.
    folder = tmp_path / "work" / "postgres:" / "clerk@db.example"
    folder.mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "work")
    with pytest.raises(daicho.ServerError, match="a backup is written to a file"):
        register.backup("postgres://clerk@db.example/daicho")
    assert list(folder.iterdir()) == []


def test_errors_carry_their_japanese_message(register: daicho.Register) -> None:
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, name="   ")
    assert str(caught.value) == "invalid name `   `: a name must not be empty"
    assert caught.value.message_ja == "資産名 `   ` は使えません: 資産名が空です"
    with pytest.raises(daicho.ValidationError) as caught:
        add_system(register, segment="衛星")
    assert caught.value.message_ja.startswith("ネットワーク区分 `衛星` は登録された")
    with pytest.raises(daicho.NotFoundError) as missing:
        register.get(uuid.UUID("0190f5a2-7c4e-7d3a-9b1e-2f6c8a4d5e60"))
    assert missing.value.message_ja == (
        "ID `0190f5a2-7c4e-7d3a-9b1e-2f6c8a4d5e60` の資産はありません"
    )


def test_import_issues_carry_their_japanese_reason(
    register: daicho.Register, tmp_path: Path
) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "種別,名称,所管,機密性,完全性,可用性,個人情報\n"
        "ア,住民記録システム,mayor,3B,2,2,?\n",
        encoding="utf-8",
    )
    with pytest.raises(daicho.CsvImportError) as caught:
        register.import_csv(sheet)
    (issue,) = caught.value.errors
    assert issue.reason.startswith("`?` is not a yes/no value")
    assert issue.reason_ja.startswith("`?` は有無の値ではありません")
    assert caught.value.message_ja.startswith("`")
    assert "取り込めませんでした: エラーが 1 件あります" in caught.value.message_ja
