"""The query sets of the pages no other section times, timed (section `pages` of scripts/bench.py).

    python scripts/bench_pages.py URL seed          the scratch portal store's audit trail
    python scripts/bench_pages.py URL PAGE MODE     (PAGE: a key of `PAGES`, MODE: cold | warm)

prints one JSON line: {"seconds": …, "rows": …, "detail": …}. Each page's set is what the page
reads on open with its default controls, calling `queries/` (and the functions the page's views
call) directly, without Streamlit's cache:

- every page behind `start()` or `open_institution_page()` first reads the warehouse state (the
  latest load, the layout check); the analytics pages also read the sidebar's choices (month
  list, segment values). That shell is part of each set (a session's first page pays it).
- `home`: the shell's load and layout check, then the four headline counts.
- `contracts` and `contracts_<family>`: 合同列表's first screen page of 50 with its total — the
  default list (every contract at the as-of), then one drill list of each family it serves
  (`dashboard/page/contract_params.py`); an unpaged list fetches its first 1,000 rows and cuts
  the page from them, as the page does. Personal data masked as for an executive.
- `model_monitoring`: performance, calibration, score PSI and each feature's PSI (the build's
  stored bins of the as-of month-end, `ew_feature_bins`) of the model version in force.
- `audit`: 审计日志 with no filter (actors, the first page of 50, the total); `audit_chain`: the
  admin's chain check (the whole trail walked).
- `filing`: 监管报送 on open: the period list, the period's catalogue and the twelve-month
  calendar, the first due report compiled for the latest period, its filed versions.
- `data_quality`: 数据质量's stored runs and the latest run's results.

The portal store (audit trail, filings) is the scratch one `POSTLOAN_PORTAL_URL` names; the section
points it at a SQLite file in its work directory and `seed` fills its trail, so no real store is
read or written. The warehouse is only read. `cold` is the first run on a fresh engine, `warm` the
median of three further runs. Targets (`bench_timing`): DuckDB warm < 0.5 s and cold < 2 s,
PostgreSQL warm < 2 s.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from bench_timing import TARGET_TEXT, met, time_set  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from queries import book, segments  # noqa: E402
from queries.filters import BookFilter, Filters  # noqa: E402
from queries.loads import latest_load, missing_layout  # noqa: E402
from queries.personal_data import mask_personal  # noqa: E402
from queries.registry import QUERIES  # noqa: E402
from warehouse.engine import create_warehouse_engine  # noqa: E402

if TYPE_CHECKING:
    import bench

SCRIPT = [sys.executable, str(Path(__file__).resolve())]
PAGE_SIZE, FETCH_SIZE = 50, 1000  # dashboard.page.contract_params (imports Streamlit)
SLOW = 20.0  # seconds: a warm-up slower than this is the warm figure (40× the target already)
AUDIT_EVENTS = 20_000  # the scratch trail: a year of a busy institution's portal
SPLIT: dict[str, list[float]] = {}
"""Seconds of each named part of a set, run after run, for the breakdown in the table."""

# 合同列表: (query, options, paged): the default list and one drill list of each family.
# "@group" is the largest group of the concentration chart, chosen before timing.
LISTS: dict[str, tuple[str, dict[str, object], bool]] = {
    "contracts": ("overdue.contracts_behind", {}, True),
    "contracts_bucket": ("overdue.contracts_behind", {"bucket": "M1"}, True),
    "contracts_segment": (
        "overdue.contracts_behind",
        {"segment": ("product", "direct_lease"), "threshold": 30},
        True,
    ),
    "contracts_roll": ("contract_lists.roll_cell", {"from_bucket": "M1", "to_bucket": "M2"}, True),
    "contracts_migration": (
        "contract_lists.migration_cell",
        {"period": "quarter", "begin_class": "normal", "end_class": "special_mention"},
        True,
    ),
    "contracts_vintage": ("vintage.cohort_contracts", {"cohort": "@cohort", "mob": 12}, True),
    "contracts_exposure": (
        "exposures.exposure_contracts",
        {"kind": "group", "key": "@group"},
        True,
    ),
    "contracts_device": ("leased_assets.device_alert_contracts", {"event_type": "offline"}, False),
    "contracts_finding": ("inspections.finding_contracts", {"status": "damaged"}, False),
    "contracts_inspection": ("inspections.inspection_contracts", {"kind": "overdue"}, False),
    "contracts_action": (
        "collection_lists.action_contracts",
        {"kind": "channel", "value": "phone"},
        False,
    ),
    "contracts_recovery": ("collection_lists.credit_contracts", {"channel": "phone"}, False),
    "contracts_cure": ("collection_lists.spell_contracts", {"channel": "all", "months": 12}, False),
    "contracts_signal": (
        "signal_lists.signal_lessees",
        {"source": "court", "severity": "high"},
        False,
    ),
    "contracts_lead": ("signal_lists.band_lessees", {"severity": "high", "band": "d31_90"}, False),
}


def _timed(name: str, thunk: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    out = thunk()
    SPLIT.setdefault(name, []).append(time.perf_counter() - start)
    return out


def _frame(value: object) -> pd.DataFrame:
    """A part's answer as rows for the count (a list of records, one object, or a frame)."""
    if isinstance(value, pd.DataFrame):
        return value
    if isinstance(value, list):
        return pd.DataFrame({"n": range(len(value))})
    return pd.DataFrame({"n": [0]})


def _shell(engine: Engine, sidebar: bool) -> list[pd.DataFrame]:
    """What every page reads first: the latest load, the layout check, the sidebar's choices."""
    parts = [
        _frame(_timed("load", lambda: latest_load(engine))),
        _frame(_timed("layout", lambda: missing_layout(engine))),
    ]
    if sidebar:
        parts.append(_timed("months", lambda: segments.available_month_ends(engine)))
        parts.append(_frame(_timed("choices", lambda: segments.choices(engine))))
    return parts


def _as_of(url: str) -> date:
    engine = create_warehouse_engine(url, read_only=True)
    try:
        load = latest_load(engine)
    finally:
        engine.dispose()
    if load is None:
        raise SystemExit("the warehouse has no load")
    return load.as_of


def _resolved(url: str, options: dict[str, object], as_of: date) -> dict[str, object]:
    """The list's options with its chosen values: "@group" the largest group of the
    concentration chart, "@cohort" the cohort twelve months before the as-of."""
    out = dict(options)
    if out.get("key") == "@group":
        engine = create_warehouse_engine(url, read_only=True)
        try:
            bars = QUERIES["exposures.concentration"](engine, Filters(as_of=as_of))
        finally:
            engine.dispose()
        groups = bars[bars["kind"] == "group"]
        if groups.empty:
            raise SystemExit("the concentration chart has no group")
        out["key"] = str(groups["key"].iloc[0])
    if out.get("cohort") == "@cohort":
        index = as_of.year * 12 + as_of.month - 1 - 12
        out["cohort"] = f"{index // 12:04d}-{index % 12 + 1:02d}"
    return out


def _list_set(url: str, page: str) -> tuple[Engine, Callable[[], list[pd.DataFrame]], str]:
    name, options, paged = LISTS[page]
    as_of = _as_of(url)
    options = _resolved(url, options, as_of)
    filters = Filters(as_of=as_of)
    engine = create_warehouse_engine(url, read_only=True)

    def run() -> list[pd.DataFrame]:
        shell = _shell(engine, sidebar=True)
        if paged:
            rows = _timed(
                "list", lambda: QUERIES[name](engine, filters, **options, limit=PAGE_SIZE)
            )
        else:
            rows = _timed(
                "list", lambda: QUERIES[name](engine, filters, **options, limit=FETCH_SIZE)
            ).iloc[:PAGE_SIZE]
        rows = mask_personal(rows, reveal=False)
        total = int(rows["total_rows"].iloc[0]) if len(rows) else 0
        return [*shell, rows, pd.DataFrame({"total": [total]})]

    shown = ", ".join(f"{k}={v}" for k, v in options.items())
    return engine, run, f"{name}({shown})"


def _home_set(url: str, page: str) -> tuple[Engine, Callable[[], list[pd.DataFrame]], str]:
    as_of = _as_of(url)
    engine = create_warehouse_engine(url, read_only=True)

    def run() -> list[pd.DataFrame]:
        shell = _shell(engine, sidebar=False)
        flt = BookFilter(month_end=as_of, scope=None)
        return [*shell, _timed("headline", lambda: book.headline(engine, flt))]

    return engine, run, "latest load, layout check, headline counts"


def _model() -> tuple[str, dict[str, Any] | None, str]:
    """The model version in force and its reference; "none approved" when the registry is empty
    (the queries are then timed for the version name `none`, which no score row carries)."""
    from early_warning.monitoring import model_in_force
    from early_warning.registry import registry_root
    from warehouse.settings import load_settings

    model = model_in_force(registry_root(load_settings()))
    if model is None:
        return "none", None, "no model version approved in the registry"
    return model.version, model.reference, f"model {model.version}"


def _model_set(url: str, page: str) -> tuple[Engine, Callable[[], list[pd.DataFrame]], str]:
    as_of = _as_of(url)
    filters = Filters(as_of=as_of)
    version, reference, what = _model()
    edges = (
        tuple(float(e) for e in reference["score"]["edges"])
        if reference is not None
        else tuple(i / 10 for i in range(1, 10))  # deciles of a probability, without a card
    )
    engine = create_warehouse_engine(url, read_only=True)

    def run() -> list[pd.DataFrame]:
        shell = _shell(engine, sidebar=True)
        q = QUERIES
        return [
            *shell,
            _timed(
                "performance",
                lambda: q["model_monitoring.performance"](engine, filters, version=version),
            ),
            _timed(
                "calibration",
                lambda: q["model_monitoring.calibration"](engine, filters, version=version),
            ),
            _timed(
                "score_bins",
                lambda: q["model_monitoring.score_bins"](
                    engine, filters, version=version, edges=edges
                ),
            ),
            _timed(
                "feature_bins",
                lambda: q["model_monitoring.feature_bins"](engine, filters, version=version),
            ),
        ]

    return engine, run, what


def _clock(as_of: date) -> datetime:
    """Ten days after the as-of month-end, 02:00 (naive UTC): while its reports are due."""
    return datetime(as_of.year, as_of.month, as_of.day, 2, 0) + timedelta(days=10)  # noqa: DTZ001


def _portal() -> Engine:
    from warehouse.portal import portal_engine

    url = os.environ.get("POSTLOAN_PORTAL_URL", "")
    if not url.startswith("sqlite:///") or "bench" not in url:
        raise SystemExit("set POSTLOAN_PORTAL_URL to a scratch SQLite store (the section does)")
    return portal_engine(url)


def seed(url: str) -> dict[str, object]:
    """Fill the scratch store's audit trail: `AUDIT_EVENTS` chained rows over the year before
    the clock, forty actors, every action in turn (one transaction)."""
    from warehouse.portal.audit import ACTIONS, record

    portal = _portal()
    end = _clock(_as_of(url))
    actions = sorted(ACTIONS)
    step = timedelta(days=365) / AUDIT_EVENTS
    start = time.perf_counter()
    with portal.begin() as conn:
        for i in range(AUDIT_EVENTS):
            record(
                conn,
                actor=f"user{i % 40:02d}",
                action=actions[i % len(actions)],
                target=f"bench/{i}",
                details={"n": i},
                at=end - step * (AUDIT_EVENTS - i),
            )
    portal.dispose()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": AUDIT_EVENTS, "detail": f"{AUDIT_EVENTS:,} audit events"}


def _audit_set(url: str, page: str) -> tuple[Engine, Callable[[], list[pd.DataFrame]], str]:
    from queries import audit_trail
    from queries.audit_trail import AuditFilter
    from warehouse.portal.audit_chain import verify

    portal = _portal()
    if page == "audit_chain":

        def chain() -> list[pd.DataFrame]:
            state = _timed("verify", lambda: verify(portal))
            return [pd.DataFrame({"rows": [state.rows]})]

        return portal, chain, "whole trail walked"
    f = AuditFilter()

    def run() -> list[pd.DataFrame]:
        return [
            _frame(_timed("actors", lambda: audit_trail.actors(portal))),
            _timed("events", lambda: audit_trail.events(portal, f, PAGE_SIZE, 0)),
            pd.DataFrame({"n": [_timed("count", lambda: audit_trail.count(portal, f))]}),
        ]

    return portal, run, "no filter, first page of 50"


def _filing_set(url: str, page: str) -> tuple[Engine, Callable[[], list[pd.DataFrame]], str]:
    from regulatory.calendar import filing_calendar
    from regulatory.compile import compile_report
    from regulatory.filing_store import versions
    from regulatory.registry import REPORTS
    from warehouse.settings import load_settings

    as_of = _as_of(url)
    today = _clock(as_of).date()
    settings = load_settings()
    portal = _portal()
    engine = create_warehouse_engine(url, read_only=True)
    due = [s for s in REPORTS if s.is_period_end(as_of)]
    code = due[0].code
    index = as_of.year * 12 + as_of.month - 1 - 11
    year_start = date(index // 12, index % 12 + 1, 1)

    def run() -> list[pd.DataFrame]:
        shell = _shell(engine, sidebar=True)
        period = _frame(
            _timed("calendar", lambda: filing_calendar(portal, due, as_of, as_of, today))
        )
        year = _frame(
            _timed("calendar", lambda: filing_calendar(portal, REPORTS, year_start, as_of, today))
        )
        report = _timed("compile", lambda: compile_report(engine, code, as_of, settings))
        rows = sum(len(s.rows) for s in report.sheets) if report.sheets else 1
        filed = _frame(_timed("versions", lambda: versions(portal, code, as_of)))
        return [*shell, period, year, pd.DataFrame({"n": range(rows)}), filed]

    return engine, run, f"{code} for {as_of:%Y-%m} ({', '.join(s.code for s in due)} due)"


def _quality_set(url: str, page: str) -> tuple[Engine, Callable[[], list[pd.DataFrame]], str]:
    from data_checks.store import list_runs, run_results

    engine = create_warehouse_engine(url, read_only=True)

    def run() -> list[pd.DataFrame]:
        shell = _shell(engine, sidebar=False)
        runs = _timed("runs", lambda: list_runs(url, limit=50))
        results = (
            _timed("results", lambda: run_results(url, int(runs[0]["run_id"]))) if runs else []
        )
        return [*shell, _frame(runs), _frame(results)]

    with_runs = list_runs(url, limit=1)
    what = "latest stored run" if with_runs else "no check run stored for this warehouse"
    return engine, run, what


SetUp = Callable[[str, str], tuple[Engine, Callable[[], list[pd.DataFrame]], str]]
PAGES: dict[str, SetUp] = {
    "home": _home_set,
    **dict.fromkeys(LISTS, _list_set),
    "model_monitoring": _model_set,
    "audit": _audit_set,
    "audit_chain": _audit_set,
    "filing": _filing_set,
    "data_quality": _quality_set,
}


def run(url: str, page: str, mode: str) -> dict[str, object]:
    """Time one page's query set in `mode` (cold | warm): seconds, rows, the parts' seconds."""
    _, run_set, what = PAGES[page](url, page)
    if mode == "cold":
        got: dict[str, object] = dict(time_set(run_set, mode))
    else:  # one warm-up, then the median of three; a set far over every target runs once
        began = time.perf_counter()
        run_set()
        first = time.perf_counter() - began
        if first > SLOW:
            done = f"{what}; warm-up only ({first:.0f} s > {SLOW:.0f} s), not run three times more"
            return {"seconds": first, "rows": 0, "detail": done}
        times = []
        for _ in range(3):
            began = time.perf_counter()
            frames = run_set()
            times.append(time.perf_counter() - began)
        got = {"seconds": statistics.median(times), "rows": sum(len(f) for f in frames)}
    # The parts of the same runs: the first run's (cold), else the median of the last three.
    parts = [
        f"{name} {statistics.median(times[:1] if mode == 'cold' else times[-3:]):.2f}"
        for name, times in SPLIT.items()
    ]
    return {**got, "detail": f"{what}; s: {', '.join(parts)}"}


def _answer(out: Path, step: bench.Step) -> dict:
    lines = out.read_text().strip().splitlines() if out.exists() else []
    return json.loads(lines[-1]) if step.returncode == 0 and lines else {}


def _table(ctx: bench.Context, url: str, months: int, tag: str) -> tuple[list[bench.Step], str]:
    import bench

    log = ctx.workdir / f"bench-pages-{tag}.log"
    steps, rows = [], []
    for page in PAGES:
        answers = {}
        for mode in ("cold", "warm"):
            out = ctx.workdir / f"bench-pages-{tag}-{page}-{mode}.json"
            out.unlink(missing_ok=True)
            step = bench.run_step(f"{page} {mode}", months, [*SCRIPT, url, page, mode], log, out)
            steps.append(step)
            answers[mode] = _answer(out, step)
        cold, warm = answers["cold"], answers["warm"]
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        if not (cold and warm):
            rows.append(f"| {page} | failed, see {log.name} | | | | {load} | |")
            continue
        ok = met(url, cold["seconds"], warm["seconds"])
        rows.append(
            f"| {page} | {cold['seconds']:.3f} | {warm['seconds']:.3f} | {int(warm['rows']):,} "
            f"| {'met' if ok else '**missed**'} | {load} | {warm['detail']} |"
        )
    head = (
        "| page | cold s | warm s | rows | target | load 1/5/15 | what (warm parts, s) |\n"
        "|---|---:|---:|---:|---|---|---|\n"
    )
    return steps, head + "\n".join(rows) + "\n"


def section(ctx: bench.Context) -> bench.Section:
    """The `pages` section: the scratch trail seeded, then each page cold and warm per engine."""
    import bench  # scripts/ is on sys.path when bench.py runs

    url, months = bench._query_warehouse(ctx)
    store = ctx.workdir / "bench-pages-portal.sqlite"
    for leftover in ctx.workdir.glob("bench-pages-portal.sqlite*"):
        leftover.unlink()
    before = os.environ.get("POSTLOAN_PORTAL_URL")
    os.environ["POSTLOAN_PORTAL_URL"] = f"sqlite:///{store}"
    try:
        out = ctx.workdir / "bench-pages-seed.json"
        log = ctx.workdir / "bench-pages-seed.log"
        seeded = bench.run_step("seed", months, [*SCRIPT, url, "seed"], log, out)
        steps = [seeded]
        got = _answer(out, seeded)
        if not got:
            raise SystemExit(f"seeding the scratch audit trail failed, see {log}")
        duck_steps, table = _table(ctx, url, months, "duckdb")
        steps += duck_steps
        body_tables = f"DuckDB, {months:,} contract-months:\n\n{table}"
        if ctx.pg_url:
            pg_months = bench._build_figures(ctx.pg_url)[1] or 0
            pg_steps, pg_table = _table(ctx, ctx.pg_url, pg_months, "pg")
            steps += pg_steps
            where = bench.pg_server(ctx.pg_url)
            body_tables += f"\n{where}, {pg_months:,} contract-months:\n\n{pg_table}"
    finally:
        if before is None:
            os.environ.pop("POSTLOAN_PORTAL_URL", None)
        else:
            os.environ["POSTLOAN_PORTAL_URL"] = before
    body = (
        "The pages no other section times, each page's set as it reads it on open with its "
        "default controls, whole book at the latest month-end, each measurement a fresh process "
        "(`scripts/bench_pages.py`; the module docstring lists each set). Every set starts with "
        "what the page shell reads (latest load, layout check and, behind the sidebar, the month "
        "list and segment values). 合同列表: the default list and one drill list of each family, "
        "first screen page of 50 with its total (an unpaged list: its first 1,000 rows). "
        "模型监控: performance, calibration, score PSI and each feature's PSI, the last read "
        "from the bins the build counted while scoring (`ew_feature_bins`, one month-end of one "
        "version: a key lookup). With no model version approved in the registry the statements "
        "are timed for the version name `none`, over no score rows, and say nothing about a "
        "scored book (the detail column names the version). 审计日志 and 监管报送 "
        "read a scratch SQLite portal store (never a real one) whose trail is seeded with "
        f"{AUDIT_EVENTS:,} chained events (seeding took {got['seconds']:.0f} s); the filing set "
        "compiles the first report due at the latest month-end. 数据质量: no check run is stored "
        "for these warehouses, so its set reads an empty store. Cold: the first run on a new "
        "engine; warm: median of three further runs (no Streamlit cache). The machine is "
        "shared with other long jobs: the load average is taken after each page's pair. "
        f"{TARGET_TEXT}\n\n" + body_tables
    )
    return bench.Section("Other pages' queries", body, steps)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[1] == "seed":
        print(json.dumps(seed(args[0])))
    else:
        print(json.dumps(run(args[0], args[1], args[2])))
