"""The work queues' measures for managers (no Streamlit): what the measures view and `make bench`
ask for, with the strategy in force and the clock turned into the queries' plain parameters.

- SLA adherence and ageing: `queries.task_measures` over the portal store, for a `TaskWindow`
  (`window`: a period of due dates, judged on today's date in the display zone).
- Cure and roll-forward by step: `queries.task_steps.step_outcomes` in the warehouse, with
  the strategy in force as ordered `StepBand`s (`step_bands`): the same row a contract takes when
  the sync makes its task (`tasks.triggers.assign_bands`: its own product before `*`, then the
  largest `min_exposure` not above its outstanding principal, then the DPD band).
- Rectification items closed on time: `tasks.rectification.closed_on_time` (T2's ledger), per
  department, for the items whose deadline came in the period and is over.

Definitions: docs/tasks.md, "Measures".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy.engine import Engine

from queries.measures import add_ratio
from queries.task_measures import TaskWindow
from queries.task_steps import StepBand
from tasks.rectification import closed_on_time, items
from tasks.strategy import ANY_PRODUCT, Strategy
from warehouse.months import month_end_of, month_idx


def step_bands(strategy: Strategy) -> tuple[StepBand, ...]:
    """The strategy's DPD bands in the order the step CASE tries them: the most specific row
    first (a product's own rows before `*`, a larger `min_exposure` before a smaller one)."""
    ordered = sorted(
        strategy.bands, key=lambda b: (b.product != ANY_PRODUCT, b.min_exposure), reverse=True
    )
    return tuple(
        StepBand(
            step=b.step,
            dpd_min=b.dpd_from,
            dpd_max=b.dpd_to,
            product=None if b.product == ANY_PRODUCT else b.product,
            min_exposure=b.min_exposure,
        )
        for b in ordered
    )


def local_now(now: datetime, zone: ZoneInfo) -> datetime:
    """The naive-UTC time `now` in `zone`."""
    return now.replace(tzinfo=UTC).astimezone(zone)


def month_period(month: date) -> tuple[date, date]:
    """The first and last day of `month`'s calendar month."""
    last = month_end_of(month_idx(month))
    return last.replace(day=1), last


def window(
    first: date,
    last: date,
    now: datetime,
    zone: ZoneInfo,
    *,
    departments: tuple[str, ...] = (),
    scope: tuple[str, ...] | None = None,
) -> TaskWindow:
    """The `TaskWindow` of due dates `first`…`last` judged at `now` (naive UTC) in `zone`:
    today is the local date, and closing times are read in the zone's offset at `now`."""
    here = local_now(now, zone)
    offset = here.utcoffset() or timedelta(0)
    return TaskWindow(
        first,
        last,
        here.date(),
        departments=departments,
        scope=scope,
        utc_minutes=int(offset.total_seconds() // 60),
    )


RECTIFICATION_COLUMNS: tuple[str, ...] = ("department", "came_due", "on_time", "late", "share")


def rectification_on_time(
    portal: Engine, w: TaskWindow, zone: ZoneInfo
) -> tuple[pd.DataFrame, dict[int, bool]]:
    """Rectification items whose deadline came in the window (on or before its end and before
    today), per department: closed (signed off) on or before the deadline, or not; a last row
    "all". Also every item id behind the figures -> closed on time, for the drill-down.

    Only the items in the window's departments (all when empty) and branch scope count; an
    institution-wide item (no branch) only for a user who sees every branch."""
    last = min(w.end, w.today - timedelta(days=1))
    verdict: dict[int, bool] = {}
    if last >= w.start:
        done = closed_on_time(portal, w.start, last, zone, today=w.today)
        verdict = dict.fromkeys(done.on_time, True) | dict.fromkeys(done.late, False)
    ledger = items(portal, branches=w.scope)
    ledger = ledger[ledger["item_id"].isin(list(verdict))]
    if w.departments:
        ledger = ledger[ledger["department"].isin(w.departments)]
    verdict = {int(i): verdict[int(i)] for i in ledger["item_id"]}
    rows = [
        (dept, len(ids), sum(verdict[int(i)] for i in ids))
        for dept, ids in sorted(ledger.groupby("department")["item_id"])
    ]
    rows.append(("all", len(verdict), sum(verdict.values())))
    frame = pd.DataFrame(rows, columns=["department", "came_due", "on_time"])
    frame["late"] = frame["came_due"] - frame["on_time"]
    add_ratio(frame, "share", "on_time", "came_due")
    return frame[list(RECTIFICATION_COLUMNS)], verdict


def rectification_behind(
    portal: Engine, w: TaskWindow, zone: ZoneInfo, department: str | None = None
) -> pd.DataFrame:
    """The rectification items behind a figure of `rectification_on_time` (one department, or
    all), each with `in_time` (closed on or before its deadline)."""
    _, verdict = rectification_on_time(portal, w, zone)
    ledger = items(portal, branches=w.scope)
    ledger = ledger[ledger["item_id"].isin(list(verdict))].copy()
    if department is not None:
        ledger = ledger[ledger["department"] == department].copy()
    ledger["in_time"] = [verdict[int(i)] for i in ledger["item_id"]]
    return ledger.sort_values(["deadline", "item_id"], kind="stable").reset_index(drop=True)
