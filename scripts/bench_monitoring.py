"""The 催收 and 预警与租赁物 pages' query sets, timed (section `monitoring` of scripts/bench.py).

    python scripts/bench_monitoring.py URL PAGE MODE   (PAGE: collections | early_warning,
                                                        MODE: cold | warm)

prints one JSON line: {"seconds": …, "rows": …}. Each page's set is what the page runs with its
default controls (12-month window, first flag / group / event / list), calling `queries/`
directly (no Streamlit cache): `cold` once on a fresh engine, `warm` the median of three runs
after one warm-up. `section(ctx)` runs both for each page in fresh processes and writes the
markdown section; targets (`bench_timing`): DuckDB warm < 0.5 s and cold < 2 s, PostgreSQL
warm < 2 s.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_timing import TARGET_TEXT, page_table, time_set  # noqa: E402

from queries import (  # noqa: E402
    collections,
    collections_compliance,
    inspections,
    leased_assets,
    warnings,
)
from queries.filters import Filters  # noqa: E402
from queries.segments import available_month_ends  # noqa: E402
from warehouse.engine import create_warehouse_engine  # noqa: E402

if TYPE_CHECKING:
    import bench

SCRIPT = [sys.executable, str(Path(__file__).resolve())]

PAGES: dict[str, Callable[..., list[pd.DataFrame]]] = {
    "collections": lambda e, f: [
        collections.contact_rates(e, f, by="all"),
        collections.recoveries(e, f, by="all"),
        collections.actions_over_time(e, f, by="channel"),
        collections.contact_rates(e, f, by="month"),
        collections.recoveries(e, f),
        collections.cure_rates(e, f),
        collections.collector_workload(e, f),
        collections_compliance.flag_counts(e, f),
        collections_compliance.flagged_contracts(e, f, "outside_window"),
    ],
    "early_warning": lambda e, f: [
        warnings.signals_over_time(e, f, months=12),
        warnings.lead_time_summary(e, f),
        warnings.lead_time_distribution(e, f),
        warnings.lead_time_lessees(e, f),
        leased_assets.device_status(e, f, months=12),
        leased_assets.device_alert_contracts(e, f),
        inspections.inspection_coverage(e, f),
        inspections.abnormal_findings(e, f),
        inspections.inspection_contracts(e, f),
    ],
}


def run(url: str, page: str, mode: str) -> dict[str, float]:
    """Time one page's query set in `mode` (cold | warm); seconds and rows produced."""
    engine = create_warehouse_engine(url, read_only=True)
    began = time.perf_counter()  # the cold run includes finding the as-of month
    filters = Filters(as_of=available_month_ends(engine)["month_end"].iloc[-1])
    return time_set(lambda: PAGES[page](engine, filters), mode, began)


def section(ctx: bench.Context) -> bench.Section:
    """The `monitoring` section: each page's set, cold and warm, in fresh processes."""
    import bench  # scripts/ is on sys.path when bench.py runs

    months, steps, table = page_table(ctx, SCRIPT, "bench-monitoring.log", PAGES)
    body = (
        "The query sets of 催收 (collections: headline rates and recoveries, actions by channel, "
        "monthly rates, recoveries by channel, cures by first channel, collector workload, the "
        "four compliance flags and one flag's contracts) and 预警与租赁物 (signals, lead-time "
        "summary, distribution and lessees, IoT device status and alert contracts, inspection "
        "coverage, findings and overdue contracts), 12-month window, whole book at the latest "
        "month-end, each measurement a fresh process (`scripts/bench_monitoring.py`). Cold: the "
        "first run on a new engine; warm: median of three further runs (no Streamlit cache). "
        f"{TARGET_TEXT}\n\n"
        f"DuckDB, {months:,} contract-months:\n\n" + table
    )
    return bench.Section("Collections and early-warning page queries", body, steps)


if __name__ == "__main__":
    print(json.dumps(run(*sys.argv[1:4])))
