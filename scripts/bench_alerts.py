"""Alert evaluation and the executive pack, timed (section `alerts` of scripts/bench.py).

    python scripts/bench_alerts.py URL STEP   (STEP: evaluate | pack)

prints one JSON line: {"seconds": …, "detail": …}. `evaluate` is what runs after every build:
every alert rule (the figure rules through the pages' own queries, the data-check and filing
rules) observed and stepped in a throwaway portal store (`POSTLOAN_PORTAL_URL` is set to a
temporary SQLite file, so the warehouse's own store is untouched). `pack` renders the weekly
executive pack (.xlsx and PDF) for an executive who sees every branch. Each step is a fresh
process; the time is the step's own (imports excluded). Targets at 1,000,000 contracts: each
under 10 s.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    import bench

SCRIPT = [sys.executable, str(Path(__file__).resolve())]
TARGET_SECONDS = 10.0


def run(url: str, step: str) -> dict[str, object]:
    """Time one step on the warehouse at `url`."""
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["POSTLOAN_PORTAL_URL"] = f"sqlite:///{Path(scratch) / 'portal.sqlite'}"
        from alerts.run import evaluate
        from dashboard.access.user import User
        from dashboard.delivery.packs import render
        from queries.loads import latest_load
        from warehouse.engine import create_warehouse_engine
        from warehouse.portal import portal_engine, portal_url
        from warehouse.settings import load_settings

        settings = load_settings()
        now = datetime.now(UTC).replace(tzinfo=None)
        portal_engine(portal_url(url)).dispose()  # the store's tables exist before timing
        if step == "evaluate":
            start = time.perf_counter()
            done = evaluate(url, settings, now)
            seconds = time.perf_counter() - start
            return {"seconds": seconds, "detail": f"{done.observations} figures"}
        engine = create_warehouse_engine(url, read_only=True)
        as_of = latest_load(engine).as_of  # type: ignore[union-attr]
        boss = User("bench", "bench", frozenset({"executive"}))
        start = time.perf_counter()
        files = render(engine, "executive_weekly", boss, "zh", as_of, now)
        seconds = time.perf_counter() - start
        engine.dispose()
        size = sum(len(data) for _, data in files)
        return {"seconds": seconds, "detail": f"{size / 1024:.0f} KiB in {len(files)} files"}


def section(ctx: bench.Context) -> bench.Section:
    """The `alerts` section: each step once in a fresh process on the largest warehouse."""
    import bench  # scripts/ is on sys.path when bench.py runs

    url, months = bench._query_warehouse(ctx)
    log = ctx.workdir / "bench-alerts.log"
    rows, steps = [], []
    for step in ("evaluate", "pack"):
        out = ctx.workdir / f"bench-alerts-{step}.json"
        out.unlink(missing_ok=True)
        done = bench.run_step(f"alerts {step}", max(ctx.sizes), [*SCRIPT, url, step], log, out)
        steps.append(done)
        result = (
            json.loads(out.read_text().strip().splitlines()[-1]) if done.returncode == 0 else {}
        )
        seconds = result.get("seconds")
        met = "met" if seconds is not None and seconds < TARGET_SECONDS else "**missed**"
        rows.append(
            f"| {step} | {'' if seconds is None else f'{seconds:.2f}'} | "
            f"{done.peak_bytes / bench.GIB:.2f} | {result.get('detail', 'failed')} | {met} |"
        )
    body = (
        "What runs after every build (`evaluate`: every alert rule observed through the pages' "
        "own queries and stepped in a throwaway portal store) and the weekly executive pack "
        "rendered to .xlsx and PDF for an executive who sees every branch (`pack`), each in a "
        "fresh process (`scripts/bench_alerts.py`); seconds are the step's own, peak memory the "
        "process's. Target: each under 10 s at 1,000,000 contracts.\n\n"
        f"DuckDB, {months:,} contract-months:\n\n"
        "| step | s | peak GiB | what | target |\n|---|---:|---:|---|---|\n" + "\n".join(rows)
    )
    return bench.Section("Alerts and the executive pack", body, steps)


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], sys.argv[2])))
