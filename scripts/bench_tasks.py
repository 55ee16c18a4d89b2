"""Task generation after a build and the task pages' query sets, timed (section `tasks` of
scripts/bench.py).

    python scripts/bench_tasks.py URL STEP          (STEP: sync | again | later)
    python scripts/bench_tasks.py URL PAGE MODE     (PAGE: a key of SETS, MODE: cold | warm)

prints one JSON line: {"seconds": …, "detail": …}. The portal store is the one
`POSTLOAN_PORTAL_URL` names (the section points it at a scratch SQLite file, so the warehouse's
own store is untouched); the warehouse is only read.

- `sync`: `tasks.sync` on an empty task store at the build's month-end, three days after it
  (02:00 UTC): every open trigger makes its task. This is what task generation adds to a build.
- `again`: the same build, the same day: nothing new (the idempotent re-run every build pays).
- `later`: the same build thirty days on: every open task is past due, marked overdue and
  escalated (the largest write a sync makes on one build).
- `task_centre`, `dossier_tasks`, `measures`, `measures_lists` then `cold` | `warm`: a task
  page's query set as the page runs it (`SETS`: 任务中心's three lists and one task's history;
  the dossier's 任务 tab; 管理指标 with its default controls; the four lists behind its
  figures), `cold` once on fresh engines, `warm` the median of three further runs (no Streamlit
  cache).

Each is a fresh process; the time is the step's own (imports excluded). Targets at 1,000,000
contracts on DuckDB: `sync` under 60 s, each page's set under 1 s warm.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from collections.abc import Callable

    import bench
    import pandas as pd

SCRIPT = [sys.executable, str(Path(__file__).resolve())]
SYNC_TARGET, WARM_TARGET = 60.0, 1.0
SYNC_STEPS = ("sync", "again", "later")
PAGES = ("task_centre", "dossier_tasks", "measures", "measures_lists")


def _clock(warehouse) -> datetime:
    """Three days after the build's month-end, 02:00 UTC (naive): when a build usually runs."""
    from queries.monitoring_scope import settings_and_build

    _, as_of = settings_and_build(warehouse)
    if as_of is None:
        raise SystemExit("the warehouse has no build")
    return datetime(as_of.year, as_of.month, as_of.day, 2, 0) + timedelta(days=3)  # noqa: DTZ001


def sync_step(url: str, step: str) -> dict[str, object]:
    """Time one `tasks.sync` (see the module docstring for the steps)."""
    from tasks.sync import sync
    from warehouse.engine import create_warehouse_engine
    from warehouse.portal import portal_engine, portal_url
    from warehouse.settings import load_settings

    warehouse = create_warehouse_engine(url, read_only=True)
    portal = portal_engine(portal_url(url))
    now = _clock(warehouse) + timedelta(days=30 if step == "later" else 0)
    start = time.perf_counter()
    done = sync(warehouse, portal, load_settings(), now)
    seconds = time.perf_counter() - start
    detail = (
        f"{done.triggers:,} triggers: {len(done.created):,} created, "
        f"{len(done.superseded) + len(done.ended):,} closed, {len(done.escalated):,} escalated "
        f"(read {done.seconds.get('read', 0):.1f} s, write {done.seconds.get('write', 0):.1f} s)"
    )
    return {"seconds": seconds, "detail": detail}


SPLIT: dict[str, list[float]] = {}
"""Seconds of each named part of a set, run after run (`_timed`), for the breakdown."""


def _timed(name: str, thunk: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    start = time.perf_counter()
    out = thunk()
    SPLIT.setdefault(name, []).append(time.perf_counter() - start)
    return out


def _stores(url: str):
    from warehouse.engine import create_warehouse_engine
    from warehouse.portal import portal_engine, portal_url
    from warehouse.settings import display_zone, load_settings

    settings = load_settings()
    warehouse = create_warehouse_engine(url, read_only=True)
    return settings, warehouse, portal_engine(portal_url(url)), display_zone(settings)


def _measures_set(url: str, lists: bool):
    """The measures view's query set with its default controls — the month the tasks of the
    sync came due in, seen thirty days on — or (`lists`) the four lists behind its figures
    with "all" chosen, as a manager opens them next."""
    from queries import task_measures as tm
    from queries import task_steps
    from queries.filters import Filters
    from queries.loads import latest_load
    from tasks import measures
    from tasks.strategy import current

    settings, warehouse, portal, zone = _stores(url)
    made = _clock(warehouse)
    now = made + timedelta(days=30)
    first, last = measures.month_period(made.date())
    filters = Filters(as_of=latest_load(warehouse).as_of)  # type: ignore[union-attr]

    def run() -> list:
        w = measures.window(first, last, now, zone)
        bands = measures.step_bands(current(portal, settings))
        if lists:
            return [
                _timed("sla", lambda: tm.sla_tasks(portal, w, "department")),
                _timed("ageing", lambda: tm.ageing_tasks(portal, w, "past_due", "department")),
                _timed("rectification", lambda: measures.rectification_behind(portal, w, zone)),
                _timed(
                    "steps",
                    lambda: task_steps.step_outcome_contracts(
                        warehouse, filters, bands, bands[-1].step, months=6
                    ),
                ),
            ]
        return [
            _timed("sla", lambda: tm.sla_adherence(portal, w, "department")),
            _timed("ageing", lambda: tm.open_ageing(portal, w, "past_due", "department")),
            _timed("rectification", lambda: measures.rectification_on_time(portal, w, zone)[0]),
            _timed("steps", lambda: task_steps.step_outcomes(warehouse, filters, bands, months=6)),
        ]

    return run


def _centre_set(url: str):
    """任务中心 for a member of the department with the most open tasks (every branch): my
    tasks, the department's queue, its overdue tasks, and the first queued task opened with its
    history (`?task=ID`)."""
    import sqlalchemy as sa

    from tasks import board
    from warehouse.portal.tasks import OPEN_STATUSES, tasks

    _, warehouse, portal, _ = _stores(url)
    today = (_clock(warehouse) + timedelta(days=30)).date()
    with portal.connect() as conn:
        department = conn.execute(
            sa.select(tasks.c.department)
            .where(tasks.c.status.in_(OPEN_STATUSES))
            .group_by(tasks.c.department)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).scalar_one()

    def run() -> list:
        queue = board.department_queue(portal, department, None)
        first = int(queue["task_id"].iloc[0])
        return [
            board.assigned_to(portal, "bench", department, None),
            queue,
            board.overdue(portal, department, None, today),
            board.history(portal, [first]),
        ]

    return run


def _dossier_set(url: str):
    """The dossier's 任务 tab: one contract's tasks and their history."""
    import sqlalchemy as sa

    from tasks import board
    from warehouse.portal.tasks import tasks

    _, _, portal, _ = _stores(url)
    with portal.connect() as conn:
        contract = conn.execute(
            sa.select(tasks.c.contract_id).where(tasks.c.contract_id.is_not(None)).limit(1)
        ).scalar_one()

    def run() -> list:
        found = board.of_contract(portal, contract, None)
        return [found, board.history(portal, [int(i) for i in found["task_id"]])]

    return run


SETS = {
    "measures": lambda url: _measures_set(url, lists=False),
    "measures_lists": lambda url: _measures_set(url, lists=True),
    "task_centre": _centre_set,
    "dossier_tasks": _dossier_set,
}


def page_step(url: str, page: str, mode: str) -> dict[str, object]:
    """Time a page's query set: `cold` the first run on fresh engines, `warm` median of 3."""
    from bench_timing import time_set

    began = time.perf_counter()
    run = SETS[page](url)
    got = time_set(run, mode, began)
    # The parts of the same runs: the first run's (cold), else the median of the last three.
    parts = [
        f"{name} {statistics.median(times[:1] if mode == 'cold' else times[-3:]):.2f}"
        for name, times in SPLIT.items()
    ]
    detail = f"{int(got['rows']):,} rows" + (f" (s: {', '.join(parts)})" if parts else "")
    return {"seconds": got["seconds"], "detail": detail}


def _answer(out: Path, done: bench.Step) -> dict:
    lines = out.read_text().strip().splitlines() if out.exists() else []
    return json.loads(lines[-1]) if done.returncode == 0 and lines else {}


def section(ctx: bench.Context) -> bench.Section:
    """The `tasks` section: the syncs on a scratch portal store, then each page's set."""
    import bench  # scripts/ is on sys.path when bench.py runs

    url, months = bench._query_warehouse(ctx)
    log = ctx.workdir / "bench-tasks.log"
    store = ctx.workdir / "tasks-portal.sqlite"
    for leftover in ctx.workdir.glob("tasks-portal.sqlite*"):
        leftover.unlink()
    before = os.environ.get("POSTLOAN_PORTAL_URL")
    os.environ["POSTLOAN_PORTAL_URL"] = f"sqlite:///{store}"
    rows, steps = [], []
    try:
        for step in SYNC_STEPS:
            out = ctx.workdir / f"bench-tasks-{step}.json"
            out.unlink(missing_ok=True)
            done = bench.run_step(f"tasks {step}", max(ctx.sizes), [*SCRIPT, url, step], log, out)
            steps.append(done)
            got = _answer(out, done)
            seconds = got.get("seconds")
            ok = seconds is not None and (step != "sync" or seconds < SYNC_TARGET)
            rows.append(
                f"| {step} | {'' if seconds is None else f'{seconds:.2f}'} "
                f"| {done.peak_bytes / bench.GIB:.2f} | {got.get('detail', 'failed')} "
                f"| {('met' if ok else '**missed**') if step == 'sync' else '—'} |"
            )
        for page in PAGES:
            for mode in ("cold", "warm"):
                out = ctx.workdir / f"bench-tasks-{page}-{mode}.json"
                out.unlink(missing_ok=True)
                argv = [*SCRIPT, url, page, mode]
                done = bench.run_step(f"{page} {mode}", max(ctx.sizes), argv, log, out)
                steps.append(done)
                got = _answer(out, done)
                seconds = got.get("seconds")
                ok = mode == "cold" or (seconds is not None and seconds < WARM_TARGET)
                rows.append(
                    f"| {page} {mode} | {'' if seconds is None else f'{seconds:.3f}'} "
                    f"| {done.peak_bytes / bench.GIB:.2f} | {got.get('detail', 'failed')} "
                    f"| {('met' if ok else '**missed**') if mode == 'warm' else '—'} |"
                )
    finally:
        if before is None:
            os.environ.pop("POSTLOAN_PORTAL_URL", None)
        else:
            os.environ["POSTLOAN_PORTAL_URL"] = before
    body = (
        "Task generation after a build and the task pages' query sets, each a fresh process "
        "(`scripts/bench_tasks.py`) on a scratch portal store (SQLite beside the DuckDB "
        "warehouse, as in production); seconds are the step's own, peak memory the process's. "
        "`sync`: `tasks.sync` on an empty store three days after the build's month-end — "
        "every open trigger makes its task (what task generation adds to a build). `again`: "
        "the same build and day, nothing new. `later`: thirty days on, every open task past "
        "due is marked overdue and escalated. Then each task page's default query set, cold "
        "(first run on fresh engines) and warm (median of three further runs, no Streamlit "
        f"cache), on the store the syncs left. Targets at 1,000,000 contracts: `sync` < "
        f"{SYNC_TARGET:.0f} s; each page warm < {WARM_TARGET:.0f} s.\n\n"
        f"DuckDB, {months:,} contract-months:\n\n"
        "| step | s | peak GiB | what | target |\n|---|---:|---:|---|---|\n" + "\n".join(rows)
    )
    return bench.Section("Task generation and the task pages", body, steps)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[1] in SYNC_STEPS:
        print(json.dumps(sync_step(args[0], args[1])))
    else:
        print(json.dumps(page_step(args[0], args[1], args[2])))
