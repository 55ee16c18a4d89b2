"""Cold and warm timing of page query sets, shared by bench_monitoring.py and bench_risk.py."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import bench

# Every page's full query set (the targets): DuckDB warm and cold, PostgreSQL warm.
WARM_TARGET, COLD_TARGET, PG_WARM_TARGET = 0.5, 2.0, 2.0
TARGET_TEXT = (
    f"Targets: DuckDB warm < {WARM_TARGET} s and cold < {COLD_TARGET:.0f} s; PostgreSQL warm "
    f"< {PG_WARM_TARGET:.0f} s."
)


def met(url: str, cold: float, warm: float) -> bool:
    """Whether a page's cold and warm seconds meet the target of `url`'s engine."""
    if url.startswith("postgresql"):
        return warm < PG_WARM_TARGET
    return warm < WARM_TARGET and cold < COLD_TARGET


def time_set(
    run_set: Callable[[], list[pd.DataFrame]], mode: str, began: float | None = None
) -> dict[str, float]:
    """Seconds and rows: `cold` the first run (clocked from `began`), `warm` median of 3 more."""
    if began is None:
        began = time.perf_counter()
    frames = run_set()
    first = time.perf_counter() - began
    if mode == "cold":
        return {"seconds": first, "rows": sum(len(f) for f in frames)}
    times = []
    for _ in range(3):
        began = time.perf_counter()
        frames = run_set()
        times.append(time.perf_counter() - began)
    return {"seconds": statistics.median(times), "rows": sum(len(f) for f in frames)}


def page_table(
    ctx: bench.Context, script: Sequence[str], log_name: str, pages: Iterable[str]
) -> tuple[int, list[bench.Step], str]:
    """Each page cold and warm in fresh processes: contract-months, steps, the markdown table
    (DuckDB, then PostgreSQL under its own heading when the run measures PostgreSQL)."""
    import bench  # scripts/ is on sys.path when bench.py runs

    url, months = bench._query_warehouse(ctx)
    pages = list(pages)
    steps, table = _engine_table(ctx, script, log_name, pages, url, months)
    if ctx.pg_url:
        pg_months = bench._build_figures(ctx.pg_url)[1] or 0
        pg_steps, pg_table = _engine_table(
            ctx, script, f"pg-{log_name}", pages, ctx.pg_url, pg_months
        )
        steps += pg_steps
        where = bench.pg_server(ctx.pg_url)
        table += f"\n{where}, {pg_months:,} contract-months:\n\n{pg_table}"
    return months, steps, table


def _engine_table(
    ctx: bench.Context,
    script: Sequence[str],
    log_name: str,
    pages: Iterable[str],
    url: str,
    months: int,
) -> tuple[list[bench.Step], str]:
    import bench

    log = ctx.workdir / log_name
    steps, rows = [], []
    for page in pages:
        answers = {}
        for mode in ("cold", "warm"):
            out = log.with_suffix(f".{page}.{mode}.json")
            out.unlink(missing_ok=True)
            step = bench.run_step(f"{page} {mode}", months, [*script, url, page, mode], log, out)
            steps.append(step)
            lines = out.read_text().splitlines() if out.exists() else []
            answers[mode] = json.loads(lines[-1]) if step.returncode == 0 and lines else {}
        cold, warm = answers["cold"], answers["warm"]
        if not (cold and warm):
            rows.append(f"| {page} | failed, see {log.name} | | | |")
            continue
        ok = met(url, cold["seconds"], warm["seconds"])
        rows.append(
            f"| {page} | {cold['seconds']:.3f} | {warm['seconds']:.3f} | {warm['rows']:,} "
            f"| {'met' if ok else '**missed**'} |"
        )
    table = "| page | cold s | warm s | rows | target |\n|---|---:|---:|---:|---|\n"
    return steps, table + "\n".join(rows) + "\n"
