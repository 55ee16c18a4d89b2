"""What the 数据质量 page shows: stored check runs and results as frames, a run on demand.

Runs are read from `data_checks.store` (cached briefly, so a run by `postloan check` shows up
within `RUNS_TTL` seconds); a run started on the page is stored there and audited.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.data import portal_store
from dashboard.data.source import WarehouseState, reading, warehouse_engine
from dashboard.i18n.catalogue import t
from dashboard.i18n.checks import check_words, dataset_words
from dashboard.page.format import shown_time
from data_checks.runner import CheckRun, run_checks
from data_checks.store import list_runs, run_results, save_run
from warehouse.portal.audit import record

RUNS_TTL = 15
RUN_LIMIT = 50
CONTRACT_KEYS = ("contract_id",)


@st.cache_data(ttl=RUNS_TTL, max_entries=8, show_spinner=False)
def _runs(url: str) -> pd.DataFrame:
    return pd.DataFrame(list_runs(url, limit=RUN_LIMIT))


def runs(url: str) -> pd.DataFrame:
    """The latest stored check runs of the warehouse at `url`, newest first (StoreUnavailable
    when the store of runs cannot be read)."""
    with reading():
        return _runs(url)


@st.cache_data(ttl=RUNS_TTL, max_entries=32, show_spinner=False)
def results(url: str, run_id: int) -> pd.DataFrame:
    """The results of one stored run, by check id (examples as lists of dicts)."""
    return pd.DataFrame(run_results(url, run_id))


def run_now(state: WarehouseState, actor: str, step: Callable[[int, int], None]) -> int:
    """Run every check on the state's warehouse, store and audit the run; its id."""
    engine = warehouse_engine(state.url)
    run: CheckRun = run_checks(engine, step=step)
    run_id = save_run(state.url, run)
    record(
        portal_store.portal(),
        actor=actor,
        action="check_run",
        target=f"run {run_id}",
        details={
            "blocking_failures": run.blocking_failures,
            "warnings": run.warnings,
            "load_id": run.load_id,
        },
        row_count=len(run.results),
        sha256=run.sha256,
    )
    _runs.clear()
    return run_id


def runs_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Stored runs as a display table."""
    columns = [
        "run_id",
        "run_at",
        "as_of",
        "load_id",
        "checks",
        "blocking_failures",
        "warnings",
        "seconds",
    ]
    shown = frame[[c for c in columns if c in frame.columns]].copy()
    if "run_at" in shown.columns:  # stored UTC; shown in the display zone its header names
        shown["run_at"] = [
            "" if pd.isna(v) else shown_time(pd.Timestamp(v).to_pydatetime(), "%Y-%m-%d %H:%M:%S")
            for v in shown["run_at"]
        ]
    return shown.rename(columns={c: t(f"dq.col.{c}", lang) for c in shown.columns})


def summary_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Checks passed and failed per dataset (named in words) and severity."""
    if frame.empty:
        return pd.DataFrame()
    failed = frame["status"].isin(["failed", "error"])
    table = (
        frame.assign(passed=~failed, failed=failed)
        .groupby(["dataset", "severity"], as_index=False)[["passed", "failed"]]
        .sum()
        .sort_values(["failed", "dataset"], ascending=[False, True])
    )
    table["severity"] = [t(f"fl.severity.{s}", lang) for s in table["severity"]]
    table["dataset"] = [dataset_words(d, lang) for d in table["dataset"]]
    return table.rename(columns={c: t(f"dq.col.{c}", lang) for c in table.columns})


def results_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every check of a run in words: dataset, what the check makes sure of, severity, status,
    failing rows, message."""
    columns = ["dataset", "check_id", "severity", "status", "failing_rows", "message"]
    shown = frame[columns].copy()
    descriptions = frame["description"] if "description" in frame.columns else [None] * len(frame)
    shown["dataset"] = [dataset_words(d, lang) for d in shown["dataset"]]
    shown["check_id"] = [
        check_words(c, lang, d) for c, d in zip(shown["check_id"], descriptions, strict=True)
    ]
    shown["severity"] = [t(f"fl.severity.{s}", lang) for s in shown["severity"]]
    shown["status"] = [t(f"dq.status.{s}", lang) for s in shown["status"]]
    shown["message"] = shown["message"].fillna("")
    return shown.rename(columns={c: t(f"dq.col.{c}", lang) for c in columns})


def failing(frame: pd.DataFrame) -> pd.DataFrame:
    """The checks of a run that failed or could not run, blocking first."""
    if frame.empty:
        return frame
    bad = frame[frame["status"].isin(["failed", "error"])]
    return bad.sort_values(["severity", "dataset", "check_id"])


def contract_ids(examples: list[dict[str, str]]) -> list[str]:
    """The contract keys among a check's offending rows, in order, without repeats."""
    found = [str(e[k]) for e in examples for k in CONTRACT_KEYS if e.get(k)]
    return list(dict.fromkeys(found))


def trend_figure(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Blocking failures and warnings per run, oldest run first."""
    ordered = frame.sort_values("run_id")
    x = [f"#{r}" for r in ordered["run_id"]]
    figure = go.Figure()
    for column in ("blocking_failures", "warnings"):
        figure.add_trace(
            go.Scatter(
                x=x, y=ordered[column], mode="lines+markers", name=t(f"dq.col.{column}", lang)
            )
        )
    figure.update_layout(
        xaxis_title=t("dq.col.run_id", lang), yaxis_title=t("dq.col.failed", lang), height=320
    )
    return figure
