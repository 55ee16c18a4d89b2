"""Which step works (#16): cure and roll-forward by the strategy step a contract was in, read in
the warehouse, with the query that lists the contract-months behind a figure.

Tasks live in another database (the portal store: a SQLite file beside DuckDB), so the
contract-months are not joined to the tasks; instead each contract-month is given the step the
strategy in force assigns it, by a CASE built from the strategy's bands (`StepBand`, every value
a bound parameter), and the book is aggregated where it lies. Definitions: docs/tasks.md,
"Measures".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from queries.filters import Filters, where
from queries.measures import add_ratio
from queries.task_measures import MAX_LISTED, listed
from warehouse.schema import DPD_BUCKETS, contract_month

OUTCOMES: tuple[str, ...] = ("cured", "rolled", "stayed")
"""What became of a contract-month in a step by the next month-end (see `step_outcomes`)."""


@dataclass(frozen=True)
class StepBand:
    """One row of the strategy in force, as the step CASE reads it: DPD `dpd_min`…`dpd_max`
    (None = no upper end) of `product` (None = any product) from an outstanding principal of
    `min_exposure` yuan gives `step`. Rows are tried in order and the first that matches wins, so
    the caller lists them most specific tier first (`tasks.measures.step_bands`)."""

    step: str
    dpd_min: int
    dpd_max: int | None = None
    product: str | None = None
    min_exposure: Decimal = Decimal(0)


def step_case(bands: tuple[StepBand, ...], row: sa.Table | sa.Alias) -> sa.Case | None:
    """The step of each contract-month of `row` under `bands` (NULL where none applies)."""
    whens = []
    for band in bands:
        cond = [row.c.dpd >= band.dpd_min]
        if band.dpd_max is not None:
            cond.append(row.c.dpd <= band.dpd_max)
        if band.product is not None:
            cond.append(row.c.product == band.product)
        if band.min_exposure > 0:
            cond.append(row.c.outstanding_principal >= band.min_exposure)
        whens.append((sa.and_(*cond), band.step))
    return sa.case(*whens, else_=sa.null()) if whens else None


# The highest DPD of each bucket but the last (docs/domain.md §3: M0 = 0, M1 = 1–30 … M7+ over
# 180), as the build assigns `dpd_bucket` and the blocking check `bucket_mismatch` holds it.
BUCKET_TOPS: tuple[int, ...] = (0, 30, 60, 90, 120, 150, 180)


def _bucket_rank(dpd: sa.ColumnElement) -> sa.Case:
    """The position of a DPD's bucket in M0 … M7+, from the DPD itself (an integer column is
    cheaper to read than the bucket's text, and the two agree by the mart's check)."""
    return sa.case(*((dpd <= top, i) for i, top in enumerate(BUCKET_TOPS)), else_=len(BUCKET_TOPS))


def _outcome(now: sa.Alias, late: sa.Alias) -> sa.Case:
    return sa.case(
        (late.c.contract_id.is_(None), "cured"),
        (late.c.written_off, "rolled"),
        (_bucket_rank(late.c.dpd) > _bucket_rank(now.c.dpd), "rolled"),
        else_="stayed",
    )


def _step_months(
    filters: Filters, bands: tuple[StepBand, ...], months: int, *, listing: bool = False
) -> sa.Subquery:
    """One row per contract open and in a step at a month-end m of the window (the `months`
    month-ends whose next month-end is on or before the as-of), with its outcome at m + 1.

    A contract open at m has a row at m + 1 (the grain of `contract_month`, held by the blocking
    check `contract_month.months_continuous`), and it is cured exactly when that row is neither
    past due nor written off. So the window is read once for its rows past due or written off —
    a few per cent of the book — and joined to itself: m (open and past due) to m + 1, and a
    contract-month without such a row at m + 1 is cured. Segment and scope filters apply to
    both sides alike (they are the contract's own, the same every month).
    """
    if not 1 <= months <= 120:
        raise ValueError("months must be between 1 and 120")
    cm, last = contract_month, filters.as_of_idx - 1
    # One read of the window's month-ends: the rows past due or written off (a few per cent of
    # the book), used as m (open and past due) and as m + 1 (the rows that are not cured).
    # Only the columns the statement reads: the bands' product and exposure when they name them,
    # the month-end and bucket text only for a list (the counts compare buckets by DPD).
    columns = ["contract_id", "month_idx", "dpd", "closed", "written_off"]
    columns += ["product"] if any(b.product is not None for b in bands) else []
    columns += ["outstanding_principal"] if any(b.min_exposure > 0 for b in bands) else []
    columns += ["month_end", "dpd_bucket"] if listing else []
    late = (
        sa.select(*(cm.c[c] for c in columns))
        .where(
            cm.c.month_idx >= last - months + 1,
            cm.c.month_idx <= last + 1,
            sa.or_(cm.c.dpd > 0, cm.c.written_off),
            *where(filters, cm),
        )
        .cte("late_rows")
    )
    now, nxt = late.alias("now"), late.alias("nxt")
    step = step_case(bands, now)
    if step is None:
        step = sa.cast(sa.null(), sa.String)
    shown = [now.c.contract_id, now.c.dpd, step.label("step"), _outcome(now, nxt).label("outcome")]
    if listing:
        shown = [
            now.c.contract_id,
            now.c.month_end,
            now.c.dpd,
            now.c.dpd_bucket,
            step.label("step"),
            sa.func.coalesce(nxt.c.dpd, 0).label("next_dpd"),
            sa.func.coalesce(nxt.c.dpd_bucket, DPD_BUCKETS[0]).label("next_bucket"),
            _outcome(now, nxt).label("outcome"),
        ]
    return (
        sa.select(*shown)
        .select_from(
            now.outerjoin(
                nxt,
                sa.and_(
                    nxt.c.contract_id == now.c.contract_id,
                    nxt.c.month_idx == now.c.month_idx + 1,
                ),
            )
        )
        .where(
            now.c.month_idx <= last,
            now.c.dpd > 0,
            sa.not_(now.c.closed),
            sa.not_(now.c.written_off),
        )
        .subquery("in_step")
    )


def step_outcomes(
    engine: Engine, filters: Filters, bands: tuple[StepBand, ...] = (), months: int = 12
) -> pd.DataFrame:
    """Per strategy step: contract-months in it at a month-end of the window, and how many were
    cured (DPD 0 at the next month-end), rolled forward (a worse DPD bucket, or written off) or
    stayed; cure_rate and roll_rate over the contract-months (None when there are none)."""
    s = _step_months(filters, bands, months)
    counts = [
        sa.func.coalesce(sa.func.sum(sa.case((s.c.outcome == o, 1), else_=0)), 0).label(o)
        for o in OUTCOMES
    ]
    stmt = (
        sa.select(s.c.step, sa.func.count().label("contract_months"), *counts)
        .where(s.c.step.is_not(None))
        .group_by(s.c.step)
    )
    frame = fetch_frame(engine, stmt)
    order = list(dict.fromkeys(b.step for b in bands))
    frame = frame.set_index("step").reindex(order, fill_value=0).reset_index()
    cols = ["contract_months", *OUTCOMES]
    frame[cols] = frame[cols].astype(int)
    add_ratio(frame, "cure_rate", "cured", "contract_months")
    add_ratio(frame, "roll_rate", "rolled", "contract_months")
    return frame


def step_outcome_contracts(
    engine: Engine,
    filters: Filters,
    bands: tuple[StepBand, ...] = (),
    step: str = "",
    outcome: str | None = None,
    months: int = 12,
    limit: int = MAX_LISTED,
) -> pd.DataFrame:
    """The contract-months behind a step's figure (only `outcome`'s if given), latest first."""
    if outcome is not None and outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; choose from {list(OUTCOMES)}")
    s = _step_months(filters, bands, months, listing=True)
    clauses = [s.c.step == step]
    if outcome is not None:
        clauses.append(s.c.outcome == outcome)
    stmt = sa.select(*s.c).where(*clauses)
    return fetch_frame(engine, listed(stmt, [s.c.month_end.desc(), s.c.contract_id], limit))
