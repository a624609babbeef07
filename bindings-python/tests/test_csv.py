"""`Register.import_csv` and `Register.export_csv`: the office-sheet door, from Python."""

from __future__ import annotations

import csv
import hashlib
import os
import stat
from pathlib import Path

import pytest
from conftest import Location, add_system

import daicho

INVENTORY = Path(__file__).resolve().parents[2] / "examples" / "inventory"


def test_import_the_sample_inventory(register: daicho.Register) -> None:
    report = register.import_csv(INVENTORY / "assets.csv", links=INVENTORY / "links.csv")
    assert (report.new, report.updated, report.unchanged) == (71, 0, 0)
    assert (report.links_new, report.links_updated, report.links_unchanged) == (63, 0, 0)
    assert report.encoding == "utf-8-sig"
    assert not report.dry_run
    assert report.warning_count == len(report.warnings)
    assert "ImportReport(new=71" in repr(report)
    assert register.summary()["total"] == 71
    again = register.import_csv(str(INVENTORY / "assets.csv"))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 71)


def test_dry_run_writes_nothing(register: daicho.Register) -> None:
    report = register.import_csv(INVENTORY / "assets.csv", dry_run=True)
    assert report.dry_run and report.new == 71
    assert register.summary()["total"] == 0


def test_errors_carry_line_and_column_and_nothing_is_written(
    register: daicho.Register, tmp_path: Path
) -> None:
    sheet = tmp_path / "bad.csv"
    # CRLF line ends, as Excel writes them.
    sheet.write_bytes(
        "資産名,種別,所管,機密性,完全性,可用性\r\n"
        "住民記録システム,ア,市長部局,3B,2,2\r\n"
        "謎の資産,エ,市長部局,3B,2,2\r\n"
        "水道料金,ア,水道局,自治体機密性9,2,2\r\n".encode()
    )
    with pytest.raises(daicho.CsvImportError) as caught:
        register.import_csv(sheet)
    error = caught.value
    assert isinstance(error, daicho.DaichoError)
    assert error.total == 2 == len(error.errors)
    first, second = error.errors
    assert (first.row, first.line, first.column, first.value) == (3, 3, "種別", "エ")
    assert first.asset == "謎の資産"
    assert first.reason
    assert (second.row, second.column, second.value) == (4, "機密性", "自治体機密性9")
    assert second.asset == "水道料金"
    assert first.file == str(sheet)
    assert str(first).startswith(f"{sheet} row 3 (`謎の資産`)")
    assert "row=3" in repr(first)
    assert "2 errors, nothing was written" in str(error)
    assert register.summary()["total"] == 0


def test_import_a_cp932_sheet(register: daicho.Register, tmp_path: Path) -> None:
    sheet = tmp_path / "cp932.csv"
    sheet.write_bytes(
        "資産名,種別,所管,機密性,完全性,可用性,点検日\r\n"
        "税務システム,ア,市長部局,自治体機密性3A,2,2,令和7年4月8日\r\n".encode("cp932")
    )
    report = register.import_csv(sheet, encoding="cp932")
    assert report.new == 1 and report.encoding == "cp932"
    (asset,) = register.assets()
    assert asset.name == "税務システム" and asset.reviewed_on is not None


def test_unknown_encoding_is_a_validation_error(register: daicho.Register) -> None:
    with pytest.raises(daicho.ValidationError) as caught:
        register.import_csv(INVENTORY / "assets.csv", encoding="ebcdic")
    assert caught.value.field == "encoding"


def test_import_of_a_missing_file_is_file_not_found(
    register: daicho.Register, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        register.import_csv(tmp_path / "none.csv")
    assert caught.value.filename == str(tmp_path / "none.csv")


def test_export_then_import_changes_nothing(register: daicho.Register, tmp_path: Path) -> None:
    register.import_csv(INVENTORY / "assets.csv", links=INVENTORY / "links.csv")
    out, links = tmp_path / "out.csv", tmp_path / "links.csv"
    # Disposed assets are exported too, so that the sheet holds the whole register.
    assert register.export_csv(out, links=links) == 71
    assert register.export_csv(tmp_path / "in-use.csv", disposed="exclude") == 68
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 71 and "name" in rows[0]
    report = register.import_csv(out, links=links)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 71)
    assert report.links_unchanged == 63


def test_export_japanese_headers_and_filters(register: daicho.Register, tmp_path: Path) -> None:
    add_system(register, name="a", my_number=True)
    add_system(register, name="b")
    out = tmp_path / "ja.csv"
    assert register.export_csv(out, headers="ja", encoding="utf-8", my_number=True) == 1
    text = out.read_text(encoding="utf-8")
    assert text.startswith("資産ID,")
    assert ",a," in text and ",b," not in text


def test_export_reports_a_character_cp932_cannot_hold(
    register: daicho.Register, tmp_path: Path
) -> None:
    add_system(register, name="𠮷野家の台帳")
    with pytest.raises(daicho.ValidationError) as caught:
        register.export_csv(tmp_path / "x.csv", encoding="cp932")
    assert caught.value.value == "𠮷"


def test_unknown_headers_is_a_validation_error(register: daicho.Register, tmp_path: Path) -> None:
    with pytest.raises(daicho.ValidationError) as caught:
        register.export_csv(tmp_path / "x.csv", headers="fr")  # type: ignore[arg-type]
    assert caught.value.allowed == ["en", "ja"]


def test_export_refuses_an_existing_file_unless_overwrite(
    register: daicho.Register, location: Location, tmp_path: Path
) -> None:
    add_system(register)
    out = tmp_path / "old-backup.csv"
    out.write_bytes(b"an old backup")
    with pytest.raises(FileExistsError) as caught:
        register.export_csv(out)
    assert caught.value.filename == str(out)
    assert out.read_bytes() == b"an old backup"
    # The links' file is checked before either file is written.
    with pytest.raises(FileExistsError):
        register.export_csv(tmp_path / "new.csv", links=out)
    assert not (tmp_path / "new.csv").exists()

    assert register.export_csv(out, overwrite=True) == 1
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,asset_number,kind,name")
    if os.name == "posix":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    # Nothing else is left behind: no temporary file, no second output.
    register_files = (
        ["daicho.db", "daicho.db-shm", "daicho.db-wal"] if isinstance(location, Path) else []
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [*register_files, "old-backup.csv"]


def test_export_never_writes_the_register(
    file_register: daicho.Register, db_path: Path, tmp_path: Path
) -> None:
    register = file_register
    add_system(register)
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    for dest in [db_path, Path(f"{db_path}-wal"), tmp_path / "." / db_path.name]:
        for overwrite in [False, True]:
            with pytest.raises(PermissionError, match="one of the register's own files"):
                register.export_csv(dest, overwrite=overwrite)
            with pytest.raises(PermissionError):
                register.export_csv(tmp_path / "out.csv", links=dest, overwrite=overwrite)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "out.csv").exists()
    assert register.verify().ok


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")
def test_export_never_follows_a_symbolic_link(register: daicho.Register, tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_bytes(b"untouched")
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    with pytest.raises(PermissionError, match="symbolic link"):
        register.export_csv(link, overwrite=True)
    assert target.read_bytes() == b"untouched"
