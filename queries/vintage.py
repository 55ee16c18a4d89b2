"""Vintage curves (docs/domain.md §6): cohort × MOB triangles from `vintage_month`.

`vintage_month` holds the original principal of contracts reaching DPD > 30 / > 90 for the first
time at each MOB; a running sum over MOB gives the cumulative ever-X+ principal, which a contract
keeps after its last row (closed and written-off contracts stay counted). The current 30+ / 90+
balance (outstanding principal of rows DPD > 30 / > 90, not written off) is per MOB, not summed.
Quarter cohorts group three start months and measure each contract at its own MOB; a cell is
mature when the cohort's *last* start month has reached that MOB at the as-of, so every contract
in it has been seen.
Immature cells are None (never 0); rates are ÷ the cohort's original principal. Without a
segment filter the cells come from `vintage_total_month` (`queries.tiers.vintage_table`).
"""

from __future__ import annotations

import re

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import measures, tiers
from queries.execute import fetch_frame
from queries.filters import Filters, where
from queries.overdue import LIST_COLUMNS
from warehouse.months import month_end_of
from warehouse.schema import contract_month, month_ends

GRAINS: dict[str, int] = {"month": 1, "quarter": 3}
AMOUNTS: tuple[str, ...] = (
    "ever30_principal",
    "ever90_principal",
    "current30_outstanding",
    "current90_outstanding",
    "writeoff_amount",
)
RATES: dict[str, str] = {
    "ever30_rate": "ever30_principal",
    "ever90_rate": "ever90_principal",
    "current30_rate": "current30_outstanding",
    "current90_rate": "current90_outstanding",
    "writeoff_rate": "writeoff_amount",
}
# A cohort as the curves name it: a start month (2024-03) or a start quarter (2024Q1).
COHORT = re.compile(r"(?P<year>\d{4})(?:-(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4]))")
# Amounts a contract keeps once reached (running sums over MOB); the others are per MOB.
CUMULATIVE = ("ever30_principal", "ever90_principal", "writeoff_amount")


def mob_axis(as_of: int) -> sa.Subquery:
    """Every MOB from 0 to the book's age at the as-of (`mob`): the rectangle's columns."""
    first = sa.select(sa.func.min(month_ends.c.month_idx)).scalar_subquery()
    return (
        sa.select((month_ends.c.month_idx - first).label("mob"))
        .where(month_ends.c.month_idx <= as_of)
        .subquery("mobs")
    )


def rectangle(
    v: sa.Table,
    conds: list[sa.ColumnElement[bool]],
    as_of: int,
    amounts: tuple[str, ...],
    *,
    key: sa.ColumnElement[int] | None = None,
    segment: sa.ColumnElement[str] | None = None,
    reached_only: bool = False,
) -> sa.Select:
    """The cohort × MOB rectangle over a vintage table `v` (rows meeting `conds`): one row per
    cohort (per `segment` value when given) with any contract × every MOB from 0 to the as-of
    (`reached_only`: up to the MOB the cohort has reached), with the cohort's contracts and
    original principal and `amounts`: running sums over MOB for those a contract keeps once
    reached (`CUMULATIVE`), the MOB's own else; 0 where the cohort has no row. `key` groups
    cohorts (default: the start month, `cohort_idx`).

    The one statement behind both the triangle (`vintage_statement`) and the segment curves
    (`queries.vintage_compare.pooled_statement`).
    """
    key = v.c.cohort_idx if key is None else key
    by = [] if segment is None else [segment]
    cells = (
        sa.select(
            *(s.label("segment") for s in by),
            key.label("cohort_idx"),
            v.c.mob,
            *(measures.total(v.c[c], c) for c in ("cohort_contracts", "cohort_principal")),
            *(measures.total(v.c[c], c) for c in amounts),
        )
        .where(v.c.cohort_idx + v.c.mob <= as_of, *conds)
        .group_by(*by, key, v.c.mob)
        .subquery("cells")
    )
    per = [cells.c.segment] if segment is not None else []
    cohorts = (
        sa.select(
            *per,
            cells.c.cohort_idx,
            sa.func.sum(cells.c.cohort_contracts).label("cohort_contracts"),
            sa.func.sum(cells.c.cohort_principal).label("cohort_principal"),
        )
        .group_by(*per, cells.c.cohort_idx)
        .having(sa.func.sum(cells.c.cohort_contracts) > 0)
        .subquery("cohorts")
    )
    mobs = mob_axis(as_of)
    reached = cohorts.c.cohort_idx + mobs.c.mob <= as_of if reached_only else sa.true()
    same = [cells.c.segment == cohorts.c.segment] if segment is not None else []
    joined = cohorts.join(mobs, reached).outerjoin(
        cells,
        sa.and_(*same, cells.c.cohort_idx == cohorts.c.cohort_idx, cells.c.mob == mobs.c.mob),
    )
    cohort = [cohorts.c.segment] if segment is not None else []
    window = {"partition_by": (*cohort, cohorts.c.cohort_idx), "order_by": mobs.c.mob}
    return sa.select(
        *cohort,
        cohorts.c.cohort_idx,
        mobs.c.mob,
        cohorts.c.cohort_contracts,
        cohorts.c.cohort_principal,
        *(
            sa.func.sum(sa.func.coalesce(cells.c[c], 0)).over(**window).label(c)
            if c in CUMULATIVE
            else sa.func.coalesce(cells.c[c], 0).label(c)
            for c in amounts
        ),
    ).select_from(joined)


def vintage_statement(filters: Filters, grain: str = "month") -> sa.Select:
    """Cohort × MOB rectangle: cohort size, cumulative ever-30/90+ and write-offs, current X+."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {sorted(GRAINS)}")
    size = GRAINS[grain]
    v = tiers.vintage_table(filters)
    key = (v.c.cohort_idx - v.c.cohort_idx % size) if size > 1 else v.c.cohort_idx
    stmt = rectangle(v, where(filters, v), filters.as_of_idx, AMOUNTS, key=key)
    cells = stmt.selected_columns
    return stmt.order_by(cells.cohort_idx, cells.mob)


def vintage(engine: Engine, filters: Filters, grain: str = "month") -> pd.DataFrame:
    """Cohort × MOB amounts and rates; immature cells are None (never 0).

    Rates: ever30_rate, ever90_rate (cumulative), current30_rate, current90_rate (per MOB),
    writeoff_rate (cumulative), each ÷ cohort_principal; `cohort_month` is the month-end of the
    cohort's first start month.
    """
    frame = fetch_frame(engine, vintage_statement(filters, grain))
    size = GRAINS[grain]
    as_of = filters.as_of_idx
    out = []
    # Plain dicts from column lists: DataFrame.to_dict costs more than the query on big books.
    names = list(frame.columns)
    values = zip(*(frame[n].tolist() for n in names), strict=True)
    for r in (dict(zip(names, v, strict=True)) for v in values):
        idx, mob = int(r["cohort_idx"]), int(r["mob"])
        mature = idx + size - 1 + mob <= as_of
        start = month_end_of(idx)
        row = {
            "cohort": f"{start.year}Q{(start.month + 2) // 3}" if size == 3 else f"{start:%Y-%m}",
            "cohort_month": start,
            "mob": mob,
            "mature": mature,
            "cohort_contracts": r["cohort_contracts"],
            "cohort_principal": r["cohort_principal"],
        }
        for c in AMOUNTS:
            row[c] = r[c] if mature else None
        for rate, amount in RATES.items():
            row[rate] = measures.ratio(row[amount], r["cohort_principal"]) if mature else None
        out.append(row)
    columns = ["cohort", "cohort_month", "mob", "mature", "cohort_contracts", "cohort_principal"]
    return pd.DataFrame(out, columns=[*columns, *AMOUNTS, *RATES], dtype=object)


def triangle(frame: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One rate or amount of a `vintage` frame as the cohort × MOB grid: rows = cohort,
    columns = MOB, immature cells None. The one pivot of the rectangle."""
    if metric not in (*RATES, *AMOUNTS):
        raise ValueError(f"metric must be one of {sorted((*RATES, *AMOUNTS))}")
    if frame.empty:
        return pd.DataFrame(dtype=object)
    return frame.pivot(index="cohort", columns="mob", values=metric)


def cohort_months(cohort: str) -> tuple[int, int] | None:
    """The first and last start month (month_idx) of a cohort named `2024-03` or `2024Q1`;
    None for anything else."""
    found = COHORT.fullmatch(cohort)
    if found is None:
        return None
    year = int(found["year"])
    if found["month"] is not None:
        first = year * 12 + int(found["month"]) - 1
        return first, first
    first = year * 12 + (int(found["quarter"]) - 1) * 3
    return first, first + 2


def cohort_contracts(
    engine: Engine,
    filters: Filters,
    cohort: str,
    mob: int,
    limit: int = 100,
    offset: int = 0,
) -> pd.DataFrame:
    """The contracts behind one point of the vintage curves: the cohort's contracts (start month
    in `cohort`, under the page's segment, cohort and scope filters) on the book at their own
    month `mob` (a quarter cohort's contracts each at their own MOB), no later than the as-of;
    a contract closed or written off before that MOB has no row there. Largest outstanding
    first, one page of them, `month_end` the row's month and `total_rows` the count before
    paging."""
    months = cohort_months(cohort)
    if months is None or not 0 <= mob <= 1200:
        raise ValueError(f"unknown vintage point {cohort!r} MOB {mob!r}")
    cm = contract_month
    first, last = months
    conds = [
        # a row at MOB m of a contract started in month s is the month-end of s + m: naming
        # those month-ends lets PostgreSQL read them by index and DuckDB skip the others
        cm.c.month_end.in_([month_end_of(s + mob) for s in range(first, last + 1)]),
        cm.c.cohort_month >= month_end_of(first),
        cm.c.cohort_month <= month_end_of(last),
        cm.c.mob == mob,
        cm.c.month_idx <= filters.as_of_idx,
        *where(filters, cm),
    ]
    stmt = (
        sa.select(
            *(cm.c[c] for c in LIST_COLUMNS),
            cm.c.month_end,
            sa.func.count().over().label("total_rows"),
        )
        .where(*conds)
        .order_by(cm.c.outstanding_principal.desc(), cm.c.contract_id)
        .limit(min(max(limit, 1), 1000))
        .offset(max(offset, 0))
    )
    return fetch_frame(engine, stmt)
