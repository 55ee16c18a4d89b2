"""Vintage by segment (docs/domain.md §6): one pooled curve per value of a dimension.

For each value of `by` (within the filters), the cohorts' mature cells at each MOB are pooled:
rate = Σ amount of the cohorts mature at that MOB ÷ Σ their original principal. A MOB no cohort
has reached is None (never 0). At most `top` values: those chosen in the filters, else the
largest by outstanding at the as-of, then the rest in order (a segment with nothing left open
still has a history).

Every curve comes from one grouped statement (segment × cohort × MOB, then pooled per segment
× MOB), whatever the number of segment values: over `vintage_dimension_month` when `by` is the
only segment filtered, else over `vintage_month`.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import measures, segments, tiers
from queries.execute import fetch_frame
from queries.filters import SEGMENTS, Filters, dimension, where
from queries.vintage import RATES, mob_axis, rectangle
from warehouse.schema import vintage_month

COLUMNS = ("segment", "mob", "cohort_principal", "amount", "rate")


def _largest(engine: Engine, filters: Filters, by: str, top: int) -> tuple[str, ...]:
    """The `top` values of `by` with the largest outstanding at the as-of (bounds the curves)."""
    t = tiers.portfolio_table(filters, by)
    key = dimension(t, by).label("value")
    stmt = (
        sa.select(key, measures.total(t.c.outstanding, "outstanding"))
        .where(t.c.month_idx == filters.as_of_idx, *where(filters, t))
        .group_by(key)
    )
    frame = fetch_frame(engine, stmt)
    ranked = sorted(
        zip(frame["outstanding"], frame["value"], strict=True), key=lambda r: (-r[0], r[1])
    )
    values = [value for _, value in ranked]
    values += [v for v in segments.choices(engine)[by] if v not in values]
    return tuple(values[:top])


def pooled_statement(filters: Filters, by: str, values: tuple[str, ...], amount: str) -> sa.Select:
    """Per value of `by` in `values` × MOB: mature cohorts' principal, pooled amount, cells.

    Segments with no cohort in the filters have no rows; a MOB no cohort of a segment has
    reached has `cells` = 0 (its amount is then None, not 0).
    """
    as_of = filters.as_of_idx
    v = tiers.vintage_dimension_table(filters, by)
    if v is None:
        v = vintage_month
        seg = dimension(v, by)
        conds = [seg.in_(values), *where(filters, v)]
    else:  # one dimension's rows; `value` is `by`, whose filter `values` already applies
        seg = v.c.value
        conds = [v.c.dimension == by, seg.in_(values), *where(replace(filters, **{by: ()}), v)]
    # Mature cells only: cohort + MOB <= as-of, a run of MOBs from 0 for every cohort.
    per_cell = rectangle(v, conds, as_of, (amount,), segment=seg, reached_only=True).subquery(
        "per_cell"
    )
    pooled = (
        sa.select(
            per_cell.c.segment,
            per_cell.c.mob,
            sa.func.sum(per_cell.c.cohort_principal).label("cohort_principal"),
            sa.func.sum(per_cell.c[amount]).label("amount"),
            sa.func.count().label("cells"),
        )
        .group_by(per_cell.c.segment, per_cell.c.mob)
        .subquery("pooled")
    )
    # Every segment with a cohort has its MOB 0 cell, so the rectangle names them all.
    present = sa.select(per_cell.c.segment).distinct().subquery("present")
    mobs = mob_axis(as_of)
    grid = present.join(mobs, sa.true()).outerjoin(
        pooled, sa.and_(pooled.c.segment == present.c.segment, pooled.c.mob == mobs.c.mob)
    )
    return sa.select(
        present.c.segment,
        mobs.c.mob,
        sa.func.coalesce(pooled.c.cohort_principal, 0).label("cohort_principal"),
        pooled.c.amount,
        sa.func.coalesce(pooled.c.cells, 0).label("cells"),
    ).select_from(grid)


def segment_curves(
    engine: Engine, filters: Filters, by: str, metric: str = "ever30_rate", top: int = 6
) -> pd.DataFrame:
    """Per value of segment `by` × MOB: pooled mature principal, amount and `metric` rate."""
    if by not in SEGMENTS:
        raise ValueError(f"by must be one of {SEGMENTS}")
    if metric not in RATES:
        raise ValueError(f"metric must be one of {sorted(RATES)}")
    values = (getattr(filters, by) or _largest(engine, filters, by, top))[:top]
    if not values:
        return pd.DataFrame(columns=COLUMNS, dtype=object)
    frame = fetch_frame(engine, pooled_statement(filters, by, values, RATES[metric]))
    order = {value: n for n, value in enumerate(values)}
    rows = sorted(
        zip(*(frame[c].tolist() for c in (*COLUMNS[:-1], "cells")), strict=True),
        key=lambda r: (order[r[0]], int(r[1])),
    )
    pooled = [
        {
            "segment": segment,
            "mob": int(mob),
            "cohort_principal": principal,
            "amount": amount if cells else None,
            "rate": measures.ratio(amount, principal) if cells else None,
        }
        for segment, mob, principal, amount, cells in rows
    ]
    return pd.DataFrame(pooled, columns=COLUMNS, dtype=object)
