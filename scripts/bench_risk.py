"""风险合同 and 合同档案 query sets, timed (section `risk` of scripts/bench.py).

    python scripts/bench_risk.py URL PAGE MODE   (PAGE: at_risk | dossier, MODE: cold | warm)

prints one JSON line: {"seconds": …, "rows": …}. `at_risk` is what the list page runs with its
default controls: the watch settings and the first page of 50 (largest first), which carries
the counts per rule (the 1,000-row export runs only when asked for). `dossier` is every section
of one contract's dossier (the largest at-risk contract, chosen before timing), the rules it
meets and the committee pack rendered to .xlsx. Both call `queries/` directly (no Streamlit
cache): `cold` once on a fresh engine, `warm` the median of three runs after one warm-up.
Targets (`bench_timing`): DuckDB warm < 0.5 s and cold < 2 s, PostgreSQL warm < 2 s.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_timing import TARGET_TEXT, page_table, time_set  # noqa: E402

from dashboard.dossier.pack_xlsx import dossier_pack  # noqa: E402
from queries import at_risk  # noqa: E402
from queries.filters import Filters  # noqa: E402
from queries.registry import DOSSIER_SECTIONS, QUERIES  # noqa: E402
from queries.segments import available_month_ends  # noqa: E402
from warehouse.engine import create_warehouse_engine  # noqa: E402

if TYPE_CHECKING:
    import bench

SCRIPT = [sys.executable, str(Path(__file__).resolve())]


def _at_risk(engine, filters: Filters, contract_id: str) -> list[pd.DataFrame]:
    params = at_risk.watch_params(engine)
    rows, counts = at_risk.split_counts(at_risk.at_risk(engine, filters, limit=50, params=params))
    return [rows, counts if counts is not None else at_risk.rule_counts(engine, filters)]


def _dossier(engine, filters: Filters, contract_id: str) -> list[pd.DataFrame]:
    frames = {n: QUERIES[n](engine, filters, contract_id=contract_id) for n in DOSSIER_SECTIONS}
    rules = at_risk.rules_for(engine, filters, contract_id)
    head = frames.pop("dossier.header")
    at = datetime.now(UTC).replace(tzinfo=None)
    dossier_pack({"contract": contract_id}, head, frames, generated_at=at, reveal=False)
    return [head, rules, *frames.values()]


PAGES: dict[str, Callable[..., list[pd.DataFrame]]] = {"at_risk": _at_risk, "dossier": _dossier}


def run(url: str, page: str, mode: str) -> dict[str, float]:
    """Time one page's query set in `mode` (cold | warm); seconds and rows produced."""
    engine = create_warehouse_engine(url, read_only=True)
    filters = Filters(as_of=available_month_ends(engine)["month_end"].iloc[-1])
    contract_id = ""
    if page == "dossier":  # chosen before timing: the largest at-risk contract
        contract_id = str(at_risk.at_risk(engine, filters, limit=1)["contract_id"].iloc[0])
        engine.dispose()
        engine = create_warehouse_engine(url, read_only=True)
    return time_set(lambda: PAGES[page](engine, filters, contract_id), mode)


def section(ctx: bench.Context) -> bench.Section:
    """The `risk` section: each page's set, cold and warm, in fresh processes."""
    import bench  # scripts/ is on sys.path when bench.py runs

    months, steps, table = page_table(ctx, SCRIPT, "bench-risk.log", PAGES)
    body = (
        "风险合同 (watch settings, the first page of 50 largest first with the counts per "
        "rule) and 合同档案 (every section of the largest at-risk "
        "contract's dossier, the rules it meets, and the committee pack rendered to .xlsx), "
        "whole book at the latest month-end, each measurement a fresh process "
        "(`scripts/bench_risk.py`). Cold: the first run on a new engine; warm: median of three "
        f"further runs (no Streamlit cache). {TARGET_TEXT}\n\n"
        f"DuckDB, {months:,} contract-months:\n\n" + table
    )
    return bench.Section("At-risk list and contract dossier queries", body, steps)


if __name__ == "__main__":
    print(json.dumps(run(*sys.argv[1:4])))
