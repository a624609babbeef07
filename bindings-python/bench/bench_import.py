"""Benchmark: `Register.import_csv()` against the CLI's `daicho import` on the same sheet.

The sheet is the benchmark inventory that `daicho-bench csv` generates (deterministic,
realistic rows: Japanese labels, era dates, quoted notes). Each run imports it into a
fresh register, once with the CLI (a release build, timed as a whole process) and once
with the Python bindings (the call alone), alternating; the best and the median of the
runs are printed with the machine. Build the extension with
`maturin develop --release` first: a debug build is many times slower.

This is a benchmark, not a test; the figures go in BENCHMARKS.md.

Usage:

    python bindings-python/bench/bench_import.py [--rows 100000] [--runs 3] [--cli PATH]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import daicho

ROOT = Path(__file__).resolve().parents[2]


def sheet_for(rows: int) -> Path:
    """The generated inventory of `rows` rows, made once and kept under target/bench/."""
    directory = ROOT / "target" / "bench" / f"import-{rows}"
    sheet = directory / "inventory.csv"
    if not sheet.exists():
        print(f"generating {sheet} ...", file=sys.stderr)
        subprocess.run(
            ["cargo", "run", "--release", "-q", "-p", "daicho-bench", "--", "csv",
             "--rows", str(rows), "--keep", str(directory), "--import-only"],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return sheet


def cli_binary(path: Path | None) -> Path:
    if path is not None:
        return path
    binary = ROOT / "target" / "release" / "daicho"
    print("building the CLI (release) ...", file=sys.stderr)
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "daicho-cli"], cwd=ROOT, check=True)
    return binary


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def time_cli(cli: Path, sheet: Path, work: Path) -> tuple[float, float]:
    """Wall and CPU time (user + system) of `daicho import`, process start included."""
    db = work / "cli.db"
    env = {**os.environ, "DAICHO_ACTOR": "bench"}
    subprocess.run([str(cli), "--db", str(db), "init"], check=True, env=env, capture_output=True)
    cpu_before = cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [str(cli), "--db", str(db), "import", str(sheet)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started, cpu(resource.RUSAGE_CHILDREN) - cpu_before


def time_python(sheet: Path, work: Path) -> tuple[float, float, int]:
    """Wall and CPU time of `Register.import_csv`, and the number of assets created."""
    with daicho.Register.create(work / "python.db") as register:
        register.actor = "bench"
        cpu_before = cpu(resource.RUSAGE_SELF)
        started = time.perf_counter()
        report = register.import_csv(sheet)
        elapsed = time.perf_counter() - started
        used = cpu(resource.RUSAGE_SELF) - cpu_before
    return elapsed, used, report.new


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cli", type=Path)
    args = parser.parse_args()

    sheet = sheet_for(args.rows)
    cli = cli_binary(args.cli)
    cli_wall: list[float] = []
    cli_cpu: list[float] = []
    python_wall: list[float] = []
    python_cpu: list[float] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            wall, used = time_cli(cli, sheet, Path(tmp))
            cli_wall.append(wall)
            cli_cpu.append(used)
        with tempfile.TemporaryDirectory() as tmp:
            wall, used, created = time_python(sheet, Path(tmp))
            assert created == args.rows, created
            python_wall.append(wall)
            python_cpu.append(used)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(f"python: {platform.python_version()}, daicho {daicho.__version__}")
    print(f"sheet: {sheet} ({args.rows} rows, {sheet.stat().st_size / 1_048_576:.1f} MiB), {args.runs} runs")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    rows = (
        ("daicho import (CLI)", cli_wall, cli_cpu),
        ("Register.import_csv()", python_wall, python_cpu),
    )
    for label, walls, cpus in rows:
        print(
            f"{label:<22} wall best {min(walls):.3f} s, median {statistics.median(walls):.3f} s; "
            f"CPU best {min(cpus):.3f} s, median {statistics.median(cpus):.3f} s"
        )
    print(
        f"ratio Python / CLI: wall best {min(python_wall) / min(cli_wall):.3f}, "
        f"CPU best {min(python_cpu) / min(cli_cpu):.3f}, "
        f"CPU median {statistics.median(python_cpu) / statistics.median(cli_cpu):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
