"""Benchmarks, not tests: time the warehouse pipeline per book size and write docs/benchmarks.md.

Usage: python scripts/bench.py [SIZE ...] [--sections load,...] [--output FILE]
Each section is a function in `SECTIONS`; later work adds its own (query latency, workbook
export …) by registering another function that returns a `Section`.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks.md"
POSTLOAN = [sys.executable, "-m", "dashboard.cli"]
GIB = 1024**3
DEFAULT_SIZES = (100_000, 1_000_000)
TARGET_SIZE = 1_000_000
TARGET_SECONDS = 600
TARGET_BYTES = 8 * GIB


@dataclass(frozen=True)
class Step:
    """One timed subprocess: wall seconds, peak resident memory, exit code."""

    name: str
    size: int
    seconds: float
    peak_bytes: int
    returncode: int
    note: str = ""


@dataclass
class Section:
    """A benchmark section: a title, a markdown body and the steps it timed."""

    title: str
    body: str
    steps: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What every section receives: the sizes asked for and a scratch directory."""

    sizes: tuple[int, ...]
    workdir: Path


def run_step(name: str, size: int, argv: Sequence[str], log: Path) -> Step:
    """Run `argv`, wait for it with wait4 to get its own peak RSS, and time it."""
    print(f"  {name} ({size:,}) …", end=" ", flush=True)
    start = time.monotonic()
    with log.open("ab") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    step = Step(name, size, seconds, usage.ru_maxrss * 1024, proc.returncode)
    print(f"{seconds:.1f} s, {step.peak_bytes / GIB:.2f} GiB, exit {proc.returncode}")
    return step


def _build_figures(url: str) -> tuple[float | None, int | None]:
    """The latest load's build seconds and the mart's contract-month rows."""
    from queries.book import mart_rows
    from queries.loads import latest_load
    from warehouse.engine import create_warehouse_engine

    engine = create_warehouse_engine(url, read_only=True)
    try:
        load = latest_load(engine)
        rows = mart_rows(engine)
    finally:
        engine.dispose()
    return (None if load is None else load.build_seconds), rows


def load_section(ctx: Context) -> Section:
    """`postloan demo` then `postloan load` (check, load and build) per size, on DuckDB."""
    steps: list[Step] = []
    rows = []
    for size in ctx.sizes:
        extract = ctx.workdir / f"extract-{size}"
        warehouse = ctx.workdir / f"warehouse-{size}.duckdb"
        url = f"duckdb:///{warehouse}"
        log = ctx.workdir / f"bench-{size}.log"
        demo = run_step(
            "demo", size, [*POSTLOAN, "demo", str(extract), "--contracts", str(size)], log
        )
        steps.append(demo)
        if demo.returncode != 0:
            rows.append(_row(size, demo, None, None, None, f"demo failed, see {log.name}"))
            continue
        load = run_step("load", size, [*POSTLOAN, "load", str(extract), "--warehouse", url], log)
        steps.append(load)
        build, months = _build_figures(url) if load.returncode == 0 else (None, None)
        note = "" if load.returncode == 0 else f"load failed, see {log.name}"
        rows.append(_row(size, demo, load, build, months, note))
        shutil.rmtree(extract, ignore_errors=True)
        warehouse.unlink(missing_ok=True)
    header = (
        "| contracts | demo s | demo peak GiB | load+build s | of which build s "
        "| contract-months | build s per 1M contract-months | load peak GiB | target | note |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n"
    )
    body = (
        "Each step is a separate process (`postloan demo`, then `postloan load`, which checks, "
        "loads and builds), timed wall-clock; peak memory is that process's maximum resident set "
        "(`wait4`). The build should cost the same per contract-month at every size. Targets for "
        "1,000,000 contracts on this machine: loaded and built in under "
        f"{TARGET_SECONDS // 60} minutes, peak under {TARGET_BYTES // GIB} GiB.\n\n"
        + header
        + "\n".join(rows)
        + "\n"
    )
    return Section("Demo, load and build (DuckDB)", body, steps)


def _row(
    size: int,
    demo: Step,
    load: Step | None,
    build: float | None,
    months: int | None,
    note: str,
) -> str:
    def gib(step: Step | None) -> str:
        return "—" if step is None else f"{step.peak_bytes / GIB:.2f}"

    def secs(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}"

    target = "—"
    if size == TARGET_SIZE and load is not None and load.returncode == 0:
        ok = load.seconds < TARGET_SECONDS and load.peak_bytes < TARGET_BYTES
        target = "met" if ok else "**missed**"
    per_million = "—" if not (build and months) else f"{build / months * 1e6:.1f}"
    shown_months = "—" if months is None else f"{months:,}"
    return (
        f"| {size:,} | {secs(demo.seconds)} | {gib(demo)} | {secs(load and load.seconds)} "
        f"| {secs(build)} | {shown_months} | {per_million} | {gib(load)} | {target} | {note} |"
    )


# The registry: name -> function. Add a section by adding an entry.
SECTIONS: dict[str, Callable[[Context], Section]] = {
    "load": load_section,
}


def machine() -> str:
    """A markdown paragraph describing this machine and the run date."""
    mem = 0
    with Path("/proc/meminfo").open() as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
    return (
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} cores (nproc), {mem / GIB:.1f} GiB RAM, "
        f"{platform.platform()}, Python {platform.python_version()}. Load average (1/5/15 min) "
        f"when written: {', '.join(f'{x:.2f}' for x in os.getloadavg())}; other work on the "
        "machine slows the steps down."
    )


def render(sections: Sequence[Section], command: str) -> str:
    """The whole docs/benchmarks.md text."""
    parts = [
        "# Benchmarks\n",
        "Written by `make bench` (`scripts/bench.py`); numbers are from the run below, not "
        f"promises.\n\n{machine()}\n\nCommand: `{command}`\n",
    ]
    parts += [f"## {s.title}\n\n{s.body}" for s in sections]
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen sections at the chosen sizes and write docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--sections", default=",".join(SECTIONS), help="comma-separated names")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    names = [n for n in args.sections.split(",") if n]
    unknown = set(names) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="postloan-bench-") as tmp:
        ctx = Context(tuple(args.sizes), Path(tmp))
        sections = []
        for name in names:
            print(f"[{name}]")
            sections.append(SECTIONS[name](ctx))
    sizes = " ".join(str(s) for s in args.sizes)
    args.output.write_text(render(sections, f"make bench SIZES='{sizes}'"), encoding="utf-8")
    print(f"wrote {args.output}")
    failed = [s for sec in sections for s in sec.steps if s.returncode != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
