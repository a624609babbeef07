"""Long calls release the GIL: another Python thread keeps running while they work."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import daicho


def sheet(path: Path, rows: int) -> Path:
    lines = ["name,kind,organization,confidentiality,integrity,availability,notes"]
    lines += [f"asset {i:05d},information,mayor,2,1,1,note {i}" for i in range(rows)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


@pytest.fixture
def counter() -> Iterator[Callable[[Callable[[], Any]], int]]:
    """Runs a call while another thread counts; returns how far it counted meanwhile."""
    stop = threading.Event()
    count = [0]

    def spin() -> None:
        while not stop.is_set():
            count[0] += 1

    thread = threading.Thread(target=spin)
    thread.start()

    def during(call: Callable[[], Any]) -> int:
        before = count[0]
        call()
        return count[0] - before

    yield during
    stop.set()
    thread.join()


def test_import_export_and_check_let_other_threads_run(
    register: daicho.Register, tmp_path: Path, counter: Callable[[Callable[[], Any]], int]
) -> None:
    path = sheet(tmp_path / "many.csv", 5000)
    # A call that held the GIL throughout would let the other thread count only at its
    # edges; these let it count on while they work.
    assert counter(lambda: register.import_csv(path)) > 1000
    assert counter(lambda: register.export_csv(tmp_path / "out.csv")) > 1000
    assert counter(register.check) > 1000
    assert counter(register.verify) > 1000
