"""The analytics pages' query sets, timed: the way `queries/` runs them, and the naive way.

Run by `scripts/bench.py` (section `queries`), one process per measurement so each cold figure
starts with nothing cached in the process:

    python scripts/bench_queries.py URL PAGE MODE   (MODE: cold | warm | naive)

prints one JSON line: {"seconds": …, "rows": …}. `cold` runs the page's full query set once on a
fresh engine; `warm` runs it once to warm the database and then times the median of three more
runs (Streamlit's cache is not involved: this calls `queries/` directly); `naive` reads the
columns the page needs from `contract_month` (and `lessees`) into pandas, through DuckDB's own
fast fetch, and computes the same figures there.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from queries import exposures, migration, overdue, portfolio, segments, vintage
from queries.filters import Filters
from queries.vintage_compare import segment_curves
from warehouse.engine import create_warehouse_engine

PAGES: dict[str, Callable[..., list[pd.DataFrame]]] = {
    "overview": lambda e, f: [
        segments.available_month_ends(e),
        segments.choices(e),
        portfolio.kpis(e, f),
        portfolio.trend(e, f),
        *(portfolio.breakdown(e, f, by) for by in ("product", "industry", "region")),
        exposures.concentration(e, f),
    ],
    "overdue": lambda e, f: [
        overdue.bucket_distribution(e, f),
        overdue.segment_rates(e, f, "product", "balance", 30),
    ],
    "vintage": lambda e, f: [
        vintage.vintage(e, f, "month"),
        segment_curves(e, f, "product", "ever30_rate"),
    ],
    "migration": lambda e, f: [
        migration.migration_matrix(e, f, "month"),
        migration.migration_rates(e, f, "month"),
        migration.roll_rates(e, f),
    ],
}
# The same pages with a control or a filter changed: the vintage comparison by region (56
# values at 1M) and the migration page filtered to one region (`_one_region`).
PAGES["vintage by region"] = lambda e, f: [
    vintage.vintage(e, f, "month"),
    segment_curves(e, f, "region", "ever30_rate"),
]
PAGES["migration, one region"] = lambda e, f: PAGES["migration"](e, _one_region(e, f))


def _one_region(engine, filters: Filters) -> Filters:
    """The filters with the first region of the sidebar's choices (what a user would pick)."""
    return replace(filters, region=(segments.choices(engine)["region"][0],))


def _naive_overview(con, as_of: int) -> int:
    cm = con.execute(
        "SELECT month_idx, lessee_id, product, industry, region, dpd_bucket, risk_class, closed,"
        " written_off, mob, outstanding_principal, overdue_principal, overdue_interest,"
        " provision, original_principal FROM contract_month WHERE month_idx > ?",
        [as_of - 24],
    ).df()
    lessees = con.execute("SELECT lessee_id, group_id, related_party FROM lessees").df()
    live = cm[~cm["written_off"]]
    live = live.assign(
        npl=live["outstanding_principal"].where(
            live["risk_class"].isin(["substandard", "doubtful", "loss"]), 0
        )
    )
    trend = live.groupby("month_idx")[["outstanding_principal", "npl", "provision"]].sum()
    now = live[live["month_idx"] == as_of]
    parts = [
        now.groupby(by)[["outstanding_principal", "npl"]].sum()
        for by in ("product", "industry", "region")
    ]
    exp = now.groupby("lessee_id")["outstanding_principal"].sum().reset_index()
    exp = exp.merge(lessees, on="lessee_id")
    top = exp.nlargest(10, "outstanding_principal")
    groups = exp.groupby("group_id")["outstanding_principal"].sum().nlargest(10)
    return len(trend) + sum(len(p) for p in parts) + len(top) + len(groups)


def _naive_overdue(con, as_of: int) -> int:
    cm = con.execute(
        "SELECT month_idx, product, dpd_bucket, closed, written_off, outstanding_principal,"
        " overdue_principal, overdue_interest FROM contract_month WHERE month_idx > ?",
        [as_of - 24],
    ).df()
    live = cm[~cm["written_off"]].assign(open=lambda x: ~x["closed"])
    dist = live.groupby(["month_idx", "dpd_bucket"])[
        ["open", "outstanding_principal", "overdue_principal", "overdue_interest"]
    ].sum()
    now = live[live["month_idx"] == as_of]
    over = now[now["dpd_bucket"].isin(["M2", "M3", "M4", "M5", "M6", "M7+"])]
    rates = (
        over.groupby("product")["outstanding_principal"].sum()
        / now.groupby("product")["outstanding_principal"].sum()
    )
    return len(dist) + len(rates)


def _naive_vintage(con, as_of: int) -> int:
    cm = con.execute(
        "SELECT contract_id, month_idx - mob AS cohort_idx, mob, product, dpd, written_off,"
        " outstanding_principal, original_principal FROM contract_month"
    ).df()
    cm = cm.sort_values(["contract_id", "mob"])
    cm["ever30"] = (cm["dpd"] > 30).groupby(cm["contract_id"]).cummax()
    size = cm[cm["mob"] == 0].groupby("cohort_idx")["original_principal"].sum()
    ever = cm[cm["ever30"]].groupby(["cohort_idx", "mob"])["original_principal"].sum()
    seg = cm[cm["ever30"]].groupby(["product", "mob"])["original_principal"].sum()
    return len(size) + len(ever) + len(seg)


def _naive_migration(con, as_of: int) -> int:
    cm = con.execute(
        "SELECT contract_id, month_idx, risk_class, dpd_bucket, closed, written_off,"
        " outstanding_principal FROM contract_month WHERE month_idx >= ?",
        [as_of - 12],
    ).df()
    cm["open"] = ~(cm["closed"] | cm["written_off"])
    rows = 0
    for end in range(as_of - 11, as_of + 1):
        b = cm[(cm["month_idx"] == end - 1) & cm["open"]]
        e = cm[cm["month_idx"] == end]
        pair = b.merge(e, on="contract_id", how="left", suffixes=("_b", "_e"))
        cells = pair.groupby(["risk_class_b", "risk_class_e"], dropna=False)[
            "outstanding_principal_e"
        ].sum()
        rows += len(cells)
        if end == as_of:
            rows += len(pair.groupby(["dpd_bucket_b", "dpd_bucket_e"], dropna=False).size())
    return rows


def _naive_vintage_region(con, as_of: int) -> int:
    cm = con.execute(
        "SELECT contract_id, month_idx - mob AS cohort_idx, mob, region, dpd, written_off,"
        " outstanding_principal, original_principal FROM contract_month"
    ).df()
    cm = cm.sort_values(["contract_id", "mob"])
    cm["ever30"] = (cm["dpd"] > 30).groupby(cm["contract_id"]).cummax()
    size = cm[cm["mob"] == 0].groupby("cohort_idx")["original_principal"].sum()
    ever = cm[cm["ever30"]].groupby(["cohort_idx", "mob"])["original_principal"].sum()
    seg = cm[cm["ever30"]].groupby(["region", "cohort_idx", "mob"])["original_principal"].sum()
    return len(size) + len(ever) + len(seg)


def _naive_migration_region(con, as_of: int) -> int:
    region = con.execute("SELECT MIN(region) FROM contract_month").fetchone()[0]
    cm = con.execute(
        "SELECT contract_id, month_idx, region, risk_class, dpd_bucket, closed, written_off,"
        " outstanding_principal FROM contract_month WHERE month_idx >= ?",
        [as_of - 12],
    ).df()
    cm = cm[cm["region"] == region]
    cm["open"] = ~(cm["closed"] | cm["written_off"])
    rows = 0
    for end in range(as_of - 11, as_of + 1):
        b = cm[(cm["month_idx"] == end - 1) & cm["open"]]
        e = cm[cm["month_idx"] == end]
        pair = b.merge(e, on="contract_id", how="left", suffixes=("_b", "_e"))
        rows += len(
            pair.groupby(["risk_class_b", "risk_class_e"], dropna=False)[
                "outstanding_principal_e"
            ].sum()
        )
    return rows


NAIVE = {
    "overview": _naive_overview,
    "overdue": _naive_overdue,
    "vintage": _naive_vintage,
    "migration": _naive_migration,
    "vintage by region": _naive_vintage_region,
    "migration, one region": _naive_migration_region,
}


def _as_of(engine) -> date:
    return segments.available_month_ends(engine)["month_end"].iloc[-1]


def run(url: str, page: str, mode: str) -> dict[str, float]:
    """Time one page's query set in `mode`; returns seconds and the rows produced."""
    if mode == "naive":
        import duckdb

        from warehouse.engine import duckdb_path

        con = duckdb.connect(str(duckdb_path(url)), read_only=True)
        as_of = con.execute("SELECT MAX(month_idx) FROM month_ends").fetchone()[0]
        began = time.perf_counter()
        rows = NAIVE[page](con, as_of)
        return {"seconds": time.perf_counter() - began, "rows": rows}
    engine = create_warehouse_engine(url, read_only=True)
    began = time.perf_counter()
    filters = Filters(as_of=_as_of(engine))
    frames = PAGES[page](engine, filters)
    first = time.perf_counter() - began
    if mode == "cold":
        return {"seconds": first, "rows": sum(len(f) for f in frames)}
    times = []
    for _ in range(3):
        began = time.perf_counter()
        frames = PAGES[page](engine, filters)
        times.append(time.perf_counter() - began)
    return {"seconds": statistics.median(times), "rows": sum(len(f) for f in frames)}


if __name__ == "__main__":
    print(json.dumps(run(*sys.argv[1:4])))
