"""Benchmarks, not tests: time the warehouse pipeline per book size and write docs/benchmarks.md.

Usage: python scripts/bench.py [SIZE ...] [--sections load,queries] [--warehouse URL]
                               [--pg-url URL | --no-pg] [--pg-port N] [--output FILE]

Both engines by default: when a chosen section measures PostgreSQL (`PG_SECTIONS`), the run
starts its own throwaway server with scripts/pg.sh (port `--pg-port`, or a free one when that is
taken; data under /tmp/postloan-bench-pg-<port>), creates the database `bench`, loads the
largest size's demo extract into it as a timed step (`postloan load`: a row of the load section,
or before the first section when the run has no load section), and stops and removes the server
at the end, on failure and on Ctrl-C or SIGTERM too. `--pg-url` measures an already loaded
PostgreSQL warehouse instead (no load, no server started: `make bench PG_URL=…`); `--no-pg`
measures DuckDB only (`make bench PG_BENCH=0`).

Each section is a function in `SECTIONS`; later work adds its own (workbook export …) by
registering another function that returns a `Section`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import math
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "benchmarks.md"
POSTLOAN = [sys.executable, "-m", "dashboard.cli.main"]
GIB = 1024**3
DEFAULT_SIZES = (100_000, 1_000_000)
TARGET_SIZE = 1_000_000
TARGET_SECONDS = 600
TARGET_BYTES = 8 * GIB
PG_SCRIPT = ROOT / "scripts" / "pg.sh"
PG_PORT = 54339  # the bench's own server; scripts/pg.sh's default 54329 is the tests'
PG_DATABASE = "bench"
# The sections with a PostgreSQL half (they read `Context.pg_url`); load loads it.
PG_SECTIONS = frozenset({"load", "queries", "monitoring", "risk", "pages"})


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


@dataclass
class OwnPg:
    """The PostgreSQL server this run started: its port, its warehouse URL, its load once run."""

    port: int
    url: str
    load: Step | None = None
    build: float | None = None
    months: int | None = None


@dataclass(frozen=True)
class Context:
    """What every section receives: the sizes, a scratch directory, optional warehouses."""

    sizes: tuple[int, ...]
    workdir: Path
    warehouse: str | None = None  # an already built DuckDB warehouse for the query section
    pg_url: str | None = None  # a loaded PostgreSQL warehouse for the sections' PostgreSQL half
    own_pg: OwnPg | None = None  # the server this run started (loaded by the load section)


def run_step(
    name: str, size: int, argv: Sequence[str], log: Path, out_to: Path | None = None
) -> Step:
    """Run `argv`, wait for it with wait4 to get its own peak RSS, and time it."""
    print(f"  {name} ({size:,}) …", end=" ", flush=True)
    start = time.monotonic()
    with log.open("ab") as err, (out_to or log).open("ab") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=err)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C or SIGTERM: no step outlives the run (or its server)
            proc.kill()
            proc.wait()
            raise
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


def _demo(ctx: Context, size: int, log: Path) -> tuple[Path, Step | None]:
    """The demo extract of `size` in the scratch directory, and its step when made now."""
    extract = ctx.workdir / f"extract-{size}"
    if extract.exists():
        return extract, None
    return extract, run_step(
        "demo", size, [*POSTLOAN, "demo", str(extract), "--contracts", str(size)], log
    )


def _release(ctx: Context, extract: Path) -> None:
    """Delete a demo extract unless this run's PostgreSQL still has to load it."""
    if ctx.own_pg is None or ctx.own_pg.load is not None:
        shutil.rmtree(extract, ignore_errors=True)


def load_pg(ctx: Context) -> Step | None:
    """Load the largest size's demo extract into the run's own PostgreSQL, once; its step."""
    own = ctx.own_pg
    if own is None or own.load is not None:
        return None
    size = max(ctx.sizes)
    log = ctx.workdir / f"bench-pg-{size}.log"
    extract, demo = _demo(ctx, size, log)
    if demo is not None and demo.returncode != 0:
        own.load = replace(demo, name="demo for PostgreSQL")
        return own.load
    own.load = run_step(
        "load PostgreSQL", size, [*POSTLOAN, "load", str(extract), "--warehouse", own.url], log
    )
    if own.load.returncode == 0:
        own.build, own.months = _build_figures(own.url)
    duck = Path(ctx.warehouse) if ctx.warehouse else ctx.workdir / f"warehouse-{size}.duckdb"
    if ctx.warehouse or duck.exists():  # else the DuckDB warehouse is still to be built from it
        shutil.rmtree(extract, ignore_errors=True)
    return own.load


def load_section(ctx: Context) -> Section:
    """`postloan demo` then `postloan load` (check, load and build) per size, on DuckDB; then
    the largest size on the run's own PostgreSQL."""
    steps: list[Step] = []
    rows = []
    for size in ctx.sizes:
        warehouse = ctx.workdir / f"warehouse-{size}.duckdb"
        url = f"duckdb:///{warehouse}"
        log = ctx.workdir / f"bench-{size}.log"
        extract, demo = _demo(ctx, size, log)
        if demo is None:  # made earlier in this run (the PostgreSQL load's)
            demo = Step("demo", size, float("nan"), 0, 0, "made earlier")
        else:
            steps.append(demo)
        if demo.returncode != 0:
            rows.append(_row(size, demo, None, None, None, f"demo failed, see {log.name}"))
            continue
        load = run_step("load", size, [*POSTLOAN, "load", str(extract), "--warehouse", url], log)
        steps.append(load)
        build, months = _build_figures(url) if load.returncode == 0 else (None, None)
        note = "" if load.returncode == 0 else f"load failed, see {log.name}"
        rows.append(_row(size, demo, load, build, months, note))
        if size == max(ctx.sizes) and ctx.own_pg is not None:
            pg_step = load_pg(ctx)
            steps += [pg_step] if pg_step is not None else []
        _release(ctx, extract)
        if size != max(ctx.sizes):  # the largest book stays for the query section
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
        + "DuckDB:\n\n"
        + header
        + "\n".join(rows)
        + "\n"
        + _pg_load_text(ctx)
    )
    return Section(LOAD_TITLE, body, steps)


LOAD_TITLE = "Demo, load and build"
# Earlier titles of renamed sections, so an old docs/benchmarks.md merges into the new one.
FORMER_TITLES = {
    "Demo, load and build (DuckDB)": LOAD_TITLE,
    "Early-warning features, training and scoring": "Early-warning training and scoring",
}


def _pg_load_text(ctx: Context) -> str:
    """The load section's PostgreSQL paragraph and row: this run's load, or the reused one's."""
    if ctx.own_pg is None and ctx.pg_url is None:
        return "\nPostgreSQL: not measured (`--no-pg`).\n"
    size = max(ctx.sizes)
    if ctx.own_pg is None:  # --pg-url: loaded before this run, its build figures as stored
        build, months = _build_figures(ctx.pg_url)
        load, note, said = None, "loaded before this run (`--pg-url`)", "an already loaded"
        size_text = "—"
    else:
        load, build, months = ctx.own_pg.load, ctx.own_pg.build, ctx.own_pg.months
        note = (
            "not loaded: the demo failed"
            if load is None
            else (f"load failed, see bench-pg-{size}.log" if load.returncode != 0 else "")
        )
        said = "this run's own (scripts/pg.sh), the largest size's extract loaded into an empty"
        size_text = f"{size:,}"
    pg_url = ctx.pg_url or ctx.own_pg.url

    def secs(value: float | None) -> str:
        return "—" if value is None or math.isnan(value) else f"{value:,.1f}"

    per_million = "—" if not (build and months) else f"{build / months * 1e6:.1f}"
    peak = "—" if load is None else f"{load.peak_bytes / GIB:.2f}"
    row = (
        f"| {size_text} | {secs(load and load.seconds)} | {secs(build)} "
        f"| {'—' if months is None else f'{months:,}'} | {per_million} | {peak} | {note} |"
    )
    return (
        f"\nPostgreSQL, {said} database: {pg_server(pg_url, build=True)}. The same "
        "`postloan load` (check, load and build in one transaction); its peak is the loading "
        "process's, not the server's (shared_buffers, and work_mem per sort or hash). No "
        "target is set for PostgreSQL's load.\n\n"
        "| contracts | load+build s | of which build s | contract-months "
        "| build s per 1M contract-months | load peak GiB | note |\n"
        "|---:|---:|---:|---:|---:|---:|---|\n" + row + "\n"
    )


# A reader's session settings that shape the timings, then the server's durability settings.
PG_SETTINGS = (
    "jit",
    "work_mem",
    "shared_buffers",
    "max_parallel_workers_per_gather",
    "fsync",
    "synchronous_commit",
    "full_page_writes",
)


@functools.cache
def pg_server(url: str, *, build: bool = False) -> str:
    """Which PostgreSQL `url` is: version, database, and the settings of a reader's session
    (those of `warehouse.engine`'s engine: jit off); `build` adds the build's own work_mem."""
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    from warehouse.engine import PG_BUILD_WORK_MEM, create_warehouse_engine

    engine = create_warehouse_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            names = ("server_version", *PG_SETTINGS)
            values = conn.execute(sa.select(*(sa.func.current_setting(n) for n in names))).one()
    finally:
        engine.dispose()
    version, *settings = values
    where = make_url(url)
    shown = ", ".join(f"{n} {v}" for n, v in zip(PG_SETTINGS, settings, strict=True))
    during = f"; the build sets work_mem {PG_BUILD_WORK_MEM} for its transaction" if build else ""
    return (
        f"PostgreSQL {version.split()[0]} (`{where.host}:{where.port}/{where.database}`; "
        f"sessions: {shown}{during})"
    )


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
        return "—" if value is None or math.isnan(value) else f"{value:.1f}"

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


PAGES = (
    "overview",
    "overdue",
    "vintage",
    "migration",
    "vintage by region",
    "migration, one region",
)
QUERY_SCRIPT = [sys.executable, str(ROOT / "scripts" / "bench_queries.py")]
WARM_TARGET, COLD_TARGET, PG_WARM_TARGET, RATIO_TARGET = 0.5, 2.0, 2.0, 10


def _measure(url: str, page: str, mode: str, size: int, log: Path) -> tuple[Step, dict]:
    """One fresh process running `scripts/bench_queries.py`; its step and its JSON answer."""
    out = log.with_suffix(".json")
    out.unlink(missing_ok=True)
    step = run_step(f"{page} {mode}", size, [*QUERY_SCRIPT, url, page, mode], log, out)
    lines = out.read_text().splitlines() if out.exists() else []
    return step, (json.loads(lines[-1]) if step.returncode == 0 and lines else {})


def _query_warehouse(ctx: Context) -> tuple[str, int]:
    """The DuckDB warehouse to query: given, left by the load section, or built here."""
    size = max(ctx.sizes)
    if ctx.warehouse:
        from queries.book import mart_rows
        from warehouse.engine import create_warehouse_engine

        engine = create_warehouse_engine(ctx.warehouse, read_only=True)
        try:
            return ctx.warehouse, mart_rows(engine)
        finally:
            engine.dispose()
    warehouse = ctx.workdir / f"warehouse-{size}.duckdb"
    url = f"duckdb:///{warehouse}"
    if not warehouse.exists():
        log = ctx.workdir / f"bench-{size}.log"
        extract, _ = _demo(ctx, size, log)
        run_step("load", size, [*POSTLOAN, "load", str(extract), "--warehouse", url], log)
        _release(ctx, extract)
    return url, _build_figures(url)[1] or 0


def queries_section(ctx: Context) -> Section:
    """Each page's full query set: cold, warm, and the naive pandas way, on DuckDB (and PG)."""
    url, months = _query_warehouse(ctx)
    log = ctx.workdir / "bench-queries.log"
    steps: list[Step] = []
    rows = []
    gib = lambda s: s.peak_bytes / GIB  # noqa: E731
    for page in PAGES:
        cold, c = _measure(url, page, "cold", months, log)
        warm, w = _measure(url, page, "warm", months, log)
        naive, n = _measure(url, page, "naive", months, log)
        steps += [cold, warm, naive]
        if not (c and w and n):
            rows.append(f"| {page} | failed, see {log.name} | | | | | | | |")
            continue
        t_ratio = n["seconds"] / max(w["seconds"], 1e-9)
        m_ratio = naive.peak_bytes / max(cold.peak_bytes, 1)
        ok = (
            w["seconds"] < WARM_TARGET
            and c["seconds"] < COLD_TARGET
            and t_ratio >= RATIO_TARGET
            and m_ratio >= RATIO_TARGET
        )
        rows.append(
            f"| {page} | {c['seconds']:.3f} | {gib(cold):.2f} | {w['seconds']:.3f} "
            f"| {n['seconds']:.1f} | {gib(naive):.2f} | {t_ratio:,.0f}× | {m_ratio:.1f}× "
            f"| {'met' if ok else '**missed**'} |"
        )
    pg_rows = []
    pg_build, pg_months = _build_figures(ctx.pg_url) if ctx.pg_url else (None, None)
    if ctx.pg_url:
        for page in PAGES:
            cold, c = _measure(ctx.pg_url, page, "cold", 0, log)
            warm, w = _measure(ctx.pg_url, page, "warm", 0, log)
            steps += [cold, warm]
            ok = bool(w) and w["seconds"] < PG_WARM_TARGET
            pg_rows.append(
                f"| {page} | {c.get('seconds', float('nan')):.3f} "
                f"| {w.get('seconds', float('nan')):.3f} | {'met' if ok else '**missed**'} |"
            )
    body = (
        "Each page's full query set as the page runs it with its default controls (overview: "
        "month list, sidebar choices, KPIs, 24-month trend, three breakdowns, concentration; "
        "overdue: bucket distribution, rates by product; vintage: the month triangle and the "
        "segment comparison by product; migration: the month matrix, twelve months of official "
        "rates, roll rates; then the vintage page comparing by region instead of product, and "
        "the migration page filtered to one region), whole book at the latest month-end, each "
        "measurement a fresh process (`scripts/bench_queries.py`). **Cold**: the first run "
        "on a new engine (the process's DuckDB cache empty; the OS file cache may be warm). "
        "**Warm**: median of "
        "three further runs on the same engine (the database warm, no Streamlit cache). "
        "**Naive**: the columns the page needs read from `contract_month` (and `lessees`) into "
        "pandas with DuckDB's fast fetch and aggregated there. Memory is each process's peak "
        "resident set, Python and libraries included; the ratio is naive ÷ cold. Targets: warm "
        f"< {WARM_TARGET} s, cold < {COLD_TARGET:.0f} s, naive ≥ {RATIO_TARGET}× slower "
        f"(÷ warm) and ≥ {RATIO_TARGET}× more memory.\n\n"
        f"DuckDB, `{Path(url).name if url.startswith('duckdb') else url}`, "
        f"{months:,} contract-months:\n\n"
        "| page | cold s | cold peak GiB | warm s | naive s | naive peak GiB "
        "| naive ÷ warm time | naive ÷ cold memory | target |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---|\n" + "\n".join(rows) + "\n"
    )
    if pg_rows:
        body += (
            f"\n{pg_server(ctx.pg_url)}, {pg_months or 0:,} contract-months, "
            f"its build took {pg_build or 0:,.0f} s; target warm < {PG_WARM_TARGET:.0f} s:"
            "\n\n| page | cold s | warm s | target |\n|---|---:|---:|---|\n"
            + "\n".join(pg_rows)
            + "\n"
        )
    return Section("Analytics page queries", body, steps)


def monitoring_section(ctx: Context) -> Section:
    """The 催收 and 预警与租赁物 page query sets (code in scripts/bench_monitoring.py)."""
    from bench_monitoring import section

    return section(ctx)


def reports_section(ctx: Context) -> Section:
    """Data checks, each supervisory workbook and the detail writers (scripts/bench_reports.py)."""
    from bench_reports import section

    return section(ctx)


def risk_section(ctx: Context) -> Section:
    """The 风险合同 and 合同档案 query sets (code in scripts/bench_risk.py)."""
    from bench_risk import section

    return section(ctx)


def alerts_section(ctx: Context) -> Section:
    """Alert evaluation after a build and the executive pack (code in scripts/bench_alerts.py)."""
    from bench_alerts import section

    return section(ctx)


def tasks_section(ctx: Context) -> Section:
    """Task generation after a build and the task pages' query sets (scripts/bench_tasks.py)."""
    from bench_tasks import section

    return section(ctx)


def early_warning_section(ctx: Context) -> Section:
    """Early-warning features, training and build scoring (scripts/bench_early_warning.py)."""
    from bench_early_warning import section

    return section(ctx)


def pages_section(ctx: Context) -> Section:
    """合同列表, 模型监控, 审计日志, 监管报送, 数据质量 and home (scripts/bench_pages.py)."""
    from bench_pages import section

    return section(ctx)


# The registry: name -> function. Add a section by adding an entry.
SECTIONS: dict[str, Callable[[Context], Section]] = {
    "load": load_section,
    "queries": queries_section,
    "monitoring": monitoring_section,
    "reports": reports_section,
    "risk": risk_section,
    "alerts": alerts_section,
    "early_warning": early_warning_section,
    "tasks": tasks_section,
    "pages": pages_section,
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
        "promises. It measures DuckDB and PostgreSQL: it starts a throwaway PostgreSQL "
        "(`scripts/pg.sh`), loads the largest book into it as a timed step and stops it at the "
        "end; `make bench PG_BENCH=0` (`--no-pg`) measures DuckDB only, and "
        "`make bench PG_URL=…` (`--pg-url`) an already loaded PostgreSQL warehouse, without "
        f"loading it.\n\n{machine()}\n\nCommand: `{command}`\n",
    ]
    parts += [f"## {s.title}\n\n{s.body}" for s in sections]
    return "\n".join(parts)


def merged(previous: str, sections: Sequence[Section]) -> list[Section]:
    """This run's sections in place of their namesakes in an earlier output; the rest kept.

    A section not rerun keeps its body, headed by the date and command of the run that measured
    it, so running one section never erases another's table.
    """
    head, *old = previous.split("\n## ")
    found = re.search(r"^Run (.+? UTC)", head, re.M)
    command = re.search(r"^Command: (`.+`)", head, re.M)
    origin = (
        f"_Not rerun this time: from the run of {found.group(1)} ({command.group(1)})._\n\n"
        if found and command
        else ""
    )
    fresh = {s.title: s for s in sections}
    out: list[Section] = []
    for part in old:
        title, _, body = part.partition("\n\n")
        title = FORMER_TITLES.get(title, title)
        if title in fresh:
            out.append(fresh.pop(title))
        elif body.startswith("_Not rerun this time"):
            out.append(Section(title, body.rstrip("\n") + "\n"))
        else:
            out.append(Section(title, origin + body.rstrip("\n") + "\n"))
    return out + list(fresh.values())


def _pg_env(port: int) -> dict[str, str]:
    return {
        **os.environ,
        "POSTLOAN_PG_PORT": str(port),
        # Not under the run's scratch directory: as root, pg.sh runs the server as `postgres`,
        # which cannot enter a private temporary directory.
        "POSTLOAN_PG_DIR": str(Path(tempfile.gettempdir()) / f"postloan-bench-pg-{port}"),
    }


@contextlib.contextmanager
def own_postgres(preferred: int) -> Iterator[OwnPg]:
    """A throwaway PostgreSQL (scripts/pg.sh) with an empty database `bench`, stopped and
    removed on the way out whatever happens; SIGTERM ends the run through this too."""
    import sqlalchemy as sa
    from free_port import free_port
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    port = free_port(preferred)
    env = _pg_env(port)
    previous = None
    if threading.current_thread() is threading.main_thread():  # only there can it handle signals
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        # Nothing listens on the port, so a directory left there is a dead run's: start afresh.
        subprocess.run([str(PG_SCRIPT), "stop"], env=env, check=True)
        print(f"[postgresql] starting a throwaway server on 127.0.0.1:{port}")
        if subprocess.run([str(PG_SCRIPT), "start"], env=env, check=False).returncode != 0:
            raise SystemExit("scripts/pg.sh could not start PostgreSQL: --no-pg for DuckDB only")
        server = subprocess.run(
            [str(PG_SCRIPT), "url"], env=env, check=True, capture_output=True, text=True
        ).stdout.strip()
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{PG_DATABASE}"'))
        finally:
            admin.dispose()
        url = make_url(server).set(database=PG_DATABASE).render_as_string(hide_password=False)
        yield OwnPg(port, url)
    finally:
        subprocess.run([str(PG_SCRIPT), "stop"], env=env, check=False)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen sections at the chosen sizes and write docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--sections", default=",".join(SECTIONS), help="comma-separated names")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--warehouse", help="a built DuckDB warehouse URL for the queries section")
    pg = parser.add_mutually_exclusive_group()
    pg.add_argument("--pg-url", help="an already loaded PostgreSQL warehouse URL: no load")
    pg.add_argument("--no-pg", action="store_true", help="DuckDB only: start no PostgreSQL")
    parser.add_argument(
        "--pg-port", type=int, default=PG_PORT, help="the own server's port (a free one if taken)"
    )
    args = parser.parse_args(argv)
    names = [n for n in args.sections.split(",") if n]
    unknown = set(names) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    start_pg = not (args.no_pg or args.pg_url) and bool(PG_SECTIONS & set(names))
    extra: list[Step] = []  # the PostgreSQL load when no load section reports it
    with contextlib.ExitStack() as stack:
        tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="postloan-bench-"))
        own = stack.enter_context(own_postgres(args.pg_port)) if start_pg else None
        pg_url = args.pg_url or (own.url if own is not None else None)
        ctx = Context(tuple(args.sizes), Path(tmp), args.warehouse, pg_url, own)
        sections = []
        for name in names:
            print(f"[{name}]")
            if own is not None and name != "load" and own.load is None:
                extra += [s for s in [load_pg(ctx)] if s is not None]
            unloaded = own is not None and own.load is not None and own.load.returncode != 0
            sections.append(SECTIONS[name](replace(ctx, pg_url=None) if unloaded else ctx))
    sizes = " ".join(str(s) for s in args.sizes)
    given = list(sys.argv[1:] if argv is None else argv)
    command = f"python scripts/bench.py {' '.join(given)}".strip()
    if set(names) == set(SECTIONS) and not (args.warehouse or args.pg_url):
        command = f"make bench SIZES='{sizes}'" + (" PG_BENCH=0" if args.no_pg else "")
    written = (
        merged(args.output.read_text(encoding="utf-8"), sections)
        if args.output.exists()
        else sections
    )
    args.output.write_text(render(written, command), encoding="utf-8")
    print(f"wrote {args.output}")
    failed = [s for s in [*(s for sec in sections for s in sec.steps), *extra] if s.returncode]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
