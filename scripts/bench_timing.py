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

WARM_TARGET = 1.0


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
    """Each page cold and warm in fresh processes: contract-months, steps, the markdown table."""
    import bench  # scripts/ is on sys.path when bench.py runs

    url, months = bench._query_warehouse(ctx)
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
        ok = warm["seconds"] < WARM_TARGET
        rows.append(
            f"| {page} | {cold['seconds']:.3f} | {warm['seconds']:.3f} | {warm['rows']:,} "
            f"| {'met' if ok else '**missed**'} |"
        )
    table = "| page | cold s | warm s | rows | target |\n|---|---:|---:|---:|---|\n"
    return months, steps, table + "\n".join(rows) + "\n"
