"""Benchmark: every way a script takes the register into Python, beside the floors.

For one register of N assets (default 1,000,000), in one run, each path reads every asset:

- `to_records()`, iterated (a list of dicts), and `iter_records()` (dicts a page at a time);
- `to_arrow()` (a `pyarrow.Table`), `to_pandas()` and `to_polars()`;
- floor, dicts: the standard library's sqlite3, `SELECT * FROM assets` on the same file, one
  `dict(zip(columns, row))` per row: the least a script can do (ids stay bytes, dates text);
- floor, pandas: `pandas.read_sql_query("SELECT * FROM assets", sqlite3 connection)`.

The dict paths are compared with the dict floor, the frames with the pandas floor. Each path
runs in a child process of its own (the same script, `--phase NAME`), so that its peak memory
(`ru_maxrss`; not on Windows) is its own; every child imports daicho, pyarrow, pandas and
polars before it starts, and their memory is the `baseline` beside the peaks. The paths
alternate, and each figure is the median of `--runs` runs.

The register is made once and kept under target/bench/ by importing the inventory of
`daicho-bench csv` (see bench_import.py), or given with `--db`. Build the extension with
`maturin develop --release` first: a debug build is several times slower. This is a benchmark,
not a test: the figures go in BENCHMARKS.md with the machine and its load.

Usage:

    python bindings-python/bench/bench_arrow.py [--rows 1000000] [--db PATH] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import daicho
from bench_import import ROOT, sheet_for

# (name, floor it is compared with); the floors have none.
PATHS: list[tuple[str, str | None]] = [
    ("sqlite3 dicts (floor)", None),
    ("to_records()", "sqlite3 dicts (floor)"),
    ("iter_records()", "sqlite3 dicts (floor)"),
    ("sqlite3 pandas (floor)", None),
    ("to_arrow()", "sqlite3 pandas (floor)"),
    ("to_pandas()", "sqlite3 pandas (floor)"),
    ("to_polars()", "sqlite3 pandas (floor)"),
]


def peak_rss_mib() -> float | None:
    """The process's peak resident memory so far, or None where `resource` is missing."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux gives KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def phase(name: str, db: Path) -> dict[str, Any]:
    """Runs one path once, in this process, and says how long it took and its memory."""
    import pandas
    import polars  # noqa: F401  (imported for the baseline, as every path's child does)
    import pyarrow  # noqa: F401

    register = daicho.Register.open(db, read_only=True)
    conn = sqlite3.connect(db)

    def sqlite_dicts() -> int:
        cursor = conn.execute("SELECT * FROM assets")
        columns = [d[0] for d in cursor.description]
        return len([dict(zip(columns, row)) for row in cursor])

    works: dict[str, Callable[[], int]] = {
        "sqlite3 dicts (floor)": sqlite_dicts,
        "to_records()": lambda: sum(1 for _ in register.to_records()),
        "iter_records()": lambda: sum(1 for _ in register.iter_records(batch_size=10_000)),
        "sqlite3 pandas (floor)": lambda: len(pandas.read_sql_query("SELECT * FROM assets", conn)),
        "to_arrow()": lambda: int(register.to_arrow().num_rows),
        "to_pandas()": lambda: len(register.to_pandas()),
        "to_polars()": lambda: int(register.to_polars().height),
    }
    baseline = peak_rss_mib()
    start = time.perf_counter()
    cpu = time.process_time()
    rows = works[name]()
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    return {"rows": rows, "wall": wall, "cpu": cpu, "baseline": baseline, "peak": peak_rss_mib()}


def run_child(name: str, db: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def mib(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase is not None:
        print(json.dumps(phase(args.phase, args.db)))
        return 0

    if args.db is None:
        args.db = ROOT / "target" / "bench" / f"records-import-{args.rows}.db"
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        print(f"making {args.db} with {args.rows} assets ...", file=sys.stderr)
        with daicho.Register.create(args.db) as register:
            register.actor = "benchmark"
            register.import_csv(sheet_for(args.rows))

    loads = [os.getloadavg()[0]] if hasattr(os, "getloadavg") else []
    results: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in PATHS}
    for run in range(args.runs):
        # Alternate the paths, each run in another order, so that load hits them alike.
        order = PATHS if run % 2 == 0 else PATHS[::-1]
        for name, _ in order:
            print(f"run {run + 1}: {name} ...", file=sys.stderr)
            results[name].append(run_child(name, args.db))
    if hasattr(os, "getloadavg"):
        loads.append(os.getloadavg()[0])

    import pandas
    import polars
    import pyarrow

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(
        f"python {platform.python_version()}, daicho {daicho.__version__}, sqlite {sqlite3.sqlite_version}, "
        f"pyarrow {pyarrow.__version__}, pandas {pandas.__version__}, polars {polars.__version__}"
    )
    print(f"register: {args.db}")
    rows = {r["rows"] for runs in results.values() for r in runs}
    assert len(rows) == 1, rows
    count = rows.pop()
    load = "–".join(f"{value:.1f}" for value in loads) or "n/a"
    print(f"rows: {count}; median of {args.runs} runs, each path in its own process; load average {load}")
    print()
    print("| path | wall | rows/s | CPU | floor | ratio | peak RSS | baseline RSS |")
    print("|---|---|---|---|---|---|---|---|")
    medians = {name: statistics.median(r["wall"] for r in runs) for name, runs in results.items()}
    for name, floor in PATHS:
        runs = results[name]
        wall = medians[name]
        cpu = statistics.median(r["cpu"] for r in runs)
        peaks = [r["peak"] for r in runs if r["peak"] is not None]
        baselines = [r["baseline"] for r in runs if r["baseline"] is not None]
        peak = statistics.median(peaks) if peaks else None
        baseline = statistics.median(baselines) if baselines else None
        ratio = f"{wall / medians[floor]:.2f}×" if floor else "–"
        print(
            f"| {name} | {wall:.3f} s | {count / wall:,.0f} | {cpu:.3f} s | {floor or '–'} | {ratio} "
            f"| {mib(peak)} | {mib(baseline)} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
