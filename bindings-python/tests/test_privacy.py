"""Personal numbers, limits and re-entry (issue 13 item 8, issue 11 items 6 to 8).

No file holds a whole valid 個人番号: the numbers are built at run time from eleven
digits and the check digit of 省令 第5条.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import daicho
from conftest import Location, add_system


def check_digit(first: str) -> int:
    """The check digit as the 省令 words it: Pn from the right, Qn = n+1 or n-5."""
    p = [int(d) for d in reversed(first)]
    total = sum(p[n - 1] * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def my_number(first: str) -> str:
    return f"{first}{check_digit(first)}"


TWELVE = re.compile(r"[0-9０-９]{12}|[0-9]{4}[ -][0-9]{4}[ -][0-9]{4}")


def test_a_my_number_is_refused_on_add_and_update_with_a_masked_value(
    register: daicho.Register,
) -> None:
    number = my_number("31415926535")
    with pytest.raises(daicho.ValidationError) as refused:
        add_system(register, notes=f"個人番号 {number}")
    assert refused.value.field == "notes"
    assert refused.value.value == "3141********"
    assert "個人番号" in str(refused.value)
    assert not TWELVE.search(str(refused.value))
    asset = add_system(register)
    with pytest.raises(daicho.ValidationError) as refused:
        register.update(asset.id, expected_version=1, extra={"管理番号": number})
    assert refused.value.field == "extra"
    assert len(register.history(asset.id)) == 1


def test_import_refuses_a_my_number_unless_the_column_is_allowed(
    register: daicho.Register, tmp_path: Path
) -> None:
    number = my_number("27182818284")
    path = tmp_path / "assets.csv"
    path.write_text(
        "name,kind,organization,confidentiality,integrity,availability,管理番号\n"
        f"A,ア,mayor,2,1,1,{number}\n",
        encoding="utf-8",
    )
    with pytest.raises(daicho.CsvImportError) as failed:
        register.import_csv(path)
    issue = failed.value.errors[0]
    assert (issue.line, issue.column, issue.value) == (2, "管理番号", "2718********")
    assert not TWELVE.search(str(failed.value))
    report = register.import_csv(path, allow_my_number_like=["管理番号"])
    assert report.new == 1
    findings = register.check().to_records()
    assert any(f["rule"] == "text.my_number_like" for f in findings)
    allowed = register.check(allow_my_number_like=["管理番号"]).to_records()
    assert not any(f["rule"] == "text.my_number_like" for f in allowed)


def test_a_row_over_the_limit_is_refused(register: daicho.Register, tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(
        "name,kind,organization,confidentiality,integrity,availability,notes\n"
        f"A,ア,mayor,2,1,1,{'x' * 200}\n",
        encoding="utf-8",
    )
    with pytest.raises(daicho.CsvImportError) as failed:
        register.import_csv(path, max_record_bytes=100)
    assert failed.value.errors[0].reason.startswith("the row is larger than 100 bytes")
    assert register.import_csv(path).new == 1


def test_a_policy_file_over_1_mib_is_a_policy_error(location: Location, tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text('name = "big"\n#' + "x" * (1 << 20) + "\n", encoding="utf-8")
    with pytest.raises(daicho.PolicyError, match="larger than 1 MiB"):
        daicho.Register.create(location, policy=path)


REENTRY = textwrap.dedent(
    """
    import gc, sys
    from pathlib import Path
    import daicho

    register = daicho.Register.create(sys.argv[1])
    # More assets than the reading thread may send ahead (batches of 1024, four ahead):
    # it holds the register while this thread builds the first dicts.
    sheet = Path(sys.argv[2])
    rows = [f"system {i:05d},ア,mayor,2,1,1" for i in range(8200)]
    sheet.write_text(
        "name,kind,organization,confidentiality,integrity,availability\\n"
        + "\\n".join(rows) + "\\n",
        encoding="utf-8",
    )
    register.import_csv(sheet)
    outcomes = []
    running = [True]

    class Finalized:
        def __init__(self):
            self.cycle = self

        def __del__(self):
            if not running[0] or len(outcomes) >= 20:
                return
            try:
                register.summary()
                outcomes.append("ran")
            except daicho.DaichoError as error:
                outcomes.append(f"refused: {error}")
            Finalized()  # garbage for the next collection

    # Cycles only the collector frees, each finalizer leaving the next, and a collector
    # that runs on nearly every allocation: it runs while `to_records()` builds dicts.
    Finalized()
    gc.set_threshold(1, 1, 1)
    records = register.to_records()
    running[0] = False
    gc.set_threshold(700, 10, 10)
    gc.collect()
    assert len(records) == 8200, len(records)
    print(outcomes)
    """
)


def test_a_finalizer_calling_the_register_during_to_records_raises_instead_of_hanging(
    location: Location, tmp_path: Path
) -> None:
    # Before, this deadlocked: the reader thread held the register while the finalizer,
    # on the calling thread, waited for it. In a subprocess with a timeout, so that a
    # regression fails the test instead of hanging the suite.
    result = subprocess.run(
        [sys.executable, "-c", REENTRY, str(location), str(tmp_path / "r.csv")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    outcomes = result.stdout
    assert "ran" in outcomes or "refused" in outcomes, outcomes
    if sys.version_info < (3, 12):
        # Up to 3.11 the collector runs on the allocation itself, inside the call; later
        # versions run it at the next bytecode, after the call, when the register is free.
        assert "refused: the register is in use by a call on this thread" in outcomes, outcomes


def test_calls_from_other_threads_still_wait_their_turn(register: daicho.Register) -> None:
    import threading

    for i in range(50):
        add_system(register, name=f"system {i:02d}")
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                register.to_records()
                register.summary()
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
