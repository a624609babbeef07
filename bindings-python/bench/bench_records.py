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
                retention=rng.choice([1, 5, 10, "常用"]),
                reviewed_on=datetime.date(2025, 4, 1) + datetime.timedelta(days=rng.randrange(365)),
                notes="備考あり" if rng.random() < 0.2 else None,
            )
            if (i + 1) % 10_000 == 0:
                print(f"  {i + 1} assets added ({time.perf_counter() - start:.1f} s)", file=sys.stderr)


def best_of(runs: int, work: Callable[[], Any]) -> tuple[float, float, int]:
    """The best wall time and the best CPU time (all threads) of `runs` runs, and the
    number of rows; each result is dropped before the next run."""
    best_wall = best_cpu = float("inf")
    rows = 0
    for _ in range(runs):
        cpu_before = time.process_time()
        start = time.perf_counter()
        result = work()
        best_wall = min(best_wall, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu_before)
        rows = len(result)
        del result
    return best_wall, best_cpu, rows


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

    # Alternate the two, so that a busy machine slows both alike.
    daicho_wall, daicho_cpu, sqlite_wall, sqlite_cpu = ([] for _ in range(4))
    for _ in range(args.runs):
        wall, used, records = best_of(1, register.to_records)
        daicho_wall.append(wall)
        daicho_cpu.append(used)
        wall, used, rows = best_of(1, stdlib)
        sqlite_wall.append(wall)
        sqlite_cpu.append(used)
    register.close()
    conn.close()
    assert records == rows, (records, rows)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(f"python: {platform.python_version()}, daicho {daicho.__version__}, sqlite {sqlite3.sqlite_version}")
    print(f"register: {args.db}")
    print(f"rows: {records}, best of {args.runs} runs; load average before: {load:.2f}")
    print(f"daicho to_records():            wall {min(daicho_wall):.3f} s, CPU {min(daicho_cpu):.3f} s")
    print(f"sqlite3 SELECT * + dict(zip()): wall {min(sqlite_wall):.3f} s, CPU {min(sqlite_cpu):.3f} s")
    print(
        f"ratio daicho / sqlite3: wall {min(daicho_wall) / min(sqlite_wall):.2f}, "
        f"CPU {min(daicho_cpu) / min(sqlite_cpu):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
