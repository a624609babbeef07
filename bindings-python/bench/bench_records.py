"""Benchmark: `Register.to_records()` against the standard library's sqlite3.

Both read every asset of the same register file into a list of dicts:

- daicho: `register.to_records()` — the library reads and checks each row against the
  policy (with the GIL released), then the bindings build dicts of plain Python values;
- sqlite3: `SELECT * FROM assets` on the same file, one `dict(zip(columns, row))` per row,
  which is the least a script can do (it leaves ids as bytes and dates as text).

The register is made once and kept, so later runs only time the reads: by default by
importing the benchmark inventory of `daicho-bench csv` (100,000 rows, generated and kept
under target/bench/), or with `--add` by 100,000 calls of `Register.add` (slower to make;
every asset then has its own timestamps, the worst case for sharing values). This is a benchmark, not a test: it prints the
best of several runs and the machine; the figures go in BENCHMARKS.md.

Usage:

    python bindings-python/bench/bench_records.py [--assets 100000] [--add] [--db PATH] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any, Callable

import daicho
from bench_import import ROOT, sheet_for

ORGANIZATIONS = [
    "mayor",
    "fire",
    "education",
    "election",
    "personnel",
    "audit",
    "agriculture",
    "waterworks",
    "hospital",
    "assembly",
]
DEPARTMENTS = [f"{bu}部 {ka}課" for bu in ("総務", "市民生活", "福祉", "健康", "都市整備") for ka in ("第一", "第二", "企画", "管理", "調整")]
MANAGERS = [f"{family} {given}" for family in ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺") for given in ("健一", "由美子", "誠", "陽子", "大輔")]
LOCATIONS = ["本庁舎5階 電算室", "本庁舎3階 書庫", "第二庁舎 サーバ室", "外部データセンター", "各課執務室 施錠キャビネット"]
RETENTIONS: list[int | str] = [1, 5, 10, "常用"]
CONTROLS = ["mfa", "export_blocked", "encryption", "locked_storage", "backup", "access_control", "access_log"]


def make_register(path: Path, count: int) -> None:
    """Creates a register with `count` assets through `Register.add`."""
    rng = random.Random(42)
    start = time.perf_counter()
    with daicho.Register.create(path) as register:
        register.actor = "benchmark"
        for i in range(count):
            kind = rng.choice(["network_system", "information", "information", "system_document"])
            electronic = rng.random() < 0.8
            register.add(
                kind=kind,
                name=f"資産 {i:06d}",
                organization=rng.choice(ORGANIZATIONS[:2] + ORGANIZATIONS[3:]),
                department=rng.choice(DEPARTMENTS),
                manager=rng.choice(MANAGERS),
                confidentiality=rng.choice(["3A", "3B", "3C", "2", "1"]),
                integrity=rng.choice(["2", "1"]),
                availability=rng.choice(["2", "1"]),
                segment=rng.choice(["mynumber", "lgwan", "internet"]) if electronic else None,
                medium=rng.choice(["server", "database", "electronic_file"]) if electronic else "paper",
                location=rng.choice(LOCATIONS),
                personal=rng.random() < 0.5,
                sensitive=rng.random() < 0.1,
                my_number=rng.random() < 0.1,
                record_count=rng.randrange(0, 400_000) if rng.random() < 0.6 else None,
                controls=rng.sample(CONTROLS, rng.randrange(0, 5)),
                retention=rng.choice(RETENTIONS),
                reviewed_on=datetime.date(2025, 4, 1) + datetime.timedelta(days=rng.randrange(365)),
                notes="備考あり" if rng.random() < 0.2 else None,
            )
            if (i + 1) % 10_000 == 0:
                print(f"  {i + 1} assets added ({time.perf_counter() - start:.1f} s)", file=sys.stderr)


def measure(work: Callable[[], Any]) -> tuple[float, float, float, int]:
    """Wall time, CPU time of the calling thread (the one holding the GIL), CPU time of
    the whole process (every thread), and the number of rows; the result is dropped."""
    thread_before = time.thread_time()
    process_before = time.process_time()
    start = time.perf_counter()
    result = work()
    wall = time.perf_counter() - start
    thread = time.thread_time() - thread_before
    process = time.process_time() - process_before
    rows = len(result)
    del result
    return wall, thread, process, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--add", action="store_true", help="fill the register with add() calls")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    if args.db is None:
        how = "add" if args.add else "import"
        args.db = ROOT / "target" / "bench" / f"records-{how}-{args.assets}.db"
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        print(f"making {args.db} with {args.assets} assets ...", file=sys.stderr)
        if args.add:
            make_register(args.db, args.assets)
        else:
            with daicho.Register.create(args.db) as register:
                register.actor = "benchmark"
                register.import_csv(sheet_for(args.assets))

    load = os.getloadavg()[0]
    register = daicho.Register.open(args.db)
    conn = sqlite3.connect(args.db)

    def stdlib() -> list[dict[str, Any]]:
        cursor = conn.execute("SELECT * FROM assets")
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor]

    # Alternate the two, so that a busy machine slows both alike; keep the best of each.
    best: dict[str, list[float]] = {"daicho": [float("inf")] * 3, "sqlite3": [float("inf")] * 3}
    counts = {}
    for _ in range(args.runs):
        for label, work in (("daicho", register.to_records), ("sqlite3", stdlib)):
            *times, counts[label] = measure(work)
            best[label] = [min(b, t) for b, t in zip(best[label], times)]
    register.close()
    conn.close()
    assert counts["daicho"] == counts["sqlite3"], counts

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(f"python: {platform.python_version()}, daicho {daicho.__version__}, sqlite {sqlite3.sqlite_version}")
    print(f"register: {args.db}")
    print(f"rows: {counts['daicho']}, best of {args.runs} runs; load average before: {load:.2f}")
    print("                                wall      CPU (GIL thread)  CPU (process)")
    for label, name in (("daicho", "daicho to_records()"), ("sqlite3", "sqlite3 SELECT * + dict(zip())")):
        wall, thread, process = best[label]
        print(f"{name:<31} {wall:.3f} s   {thread:.3f} s           {process:.3f} s")
    ratios = [d / s for d, s in zip(best["daicho"], best["sqlite3"])]
    print(f"ratio daicho / sqlite3:         {ratios[0]:.2f}      {ratios[1]:.2f}              {ratios[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
