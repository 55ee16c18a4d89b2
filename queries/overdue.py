"""Overdue analysis: DPD bucket distribution over time, rates by segment, the contracts behind.

Bases (docs/domain.md §5): `balance` = outstanding of contracts with DPD > X ÷ outstanding;
`amount` = overdue principal (+ interest) of contracts with DPD > X ÷ outstanding (X = 0 is the
plain 逾期金额占比, as overdue amounts are zero at DPD 0); `count` = contracts with DPD > X ÷
open contracts. Written-off rows are out of every figure; zero denominators give None.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import measures, tiers
from queries.execute import fetch_frame
from queries.filters import SEGMENTS, Filters, dimension, is_open, where
from warehouse.schema import DPD_BUCKETS, contract_month, month_ends

BASES: tuple[str, ...] = ("balance", "amount", "count")
DISTRIBUTION_COLUMNS = (
    "month_end",
    "dpd_bucket",
    "contracts",
    "outstanding",
    "overdue_principal",
    "overdue_interest",
    "balance_share",
    "count_share",
)
_SUMS = ("contracts", "outstanding", "overdue_principal", "overdue_interest")
# Who a contract is and where it sits: the leading columns of every contract list.
IDENTITY_COLUMNS: tuple[str, ...] = ("contract_id", "lessee_id", *SEGMENTS, "cohort_month")
LIST_COLUMNS: tuple[str, ...] = (
    *IDENTITY_COLUMNS,
    "mob",
    "dpd",
    "dpd_bucket",
    "risk_class",
    "class_reason",
    "outstanding_principal",
    "overdue_principal",
    "overdue_interest",
    "provision",
)


def bucket_distribution(engine: Engine, filters: Filters, months: int = 24) -> pd.DataFrame:
    """Per month-end × DPD bucket: contracts, outstanding, overdue principal/interest and shares.

    Every bucket of every month the book spans is present (zeros where empty); `balance_share`
    and `count_share` are the bucket's part of the month's outstanding / open contracts.
    """
    t = tiers.portfolio_table(filters)
    last = filters.as_of_idx
    stmt = (
        sa.select(
            t.c.month_idx,
            t.c.dpd_bucket,
            measures.total(t.c.contracts, "contracts"),
            measures.total(t.c.outstanding, "outstanding"),
            measures.total(t.c.overdue_principal, "overdue_principal"),
            measures.total(t.c.overdue_interest, "overdue_interest"),
        )
        .where(t.c.month_idx.between(last - months + 1, last), *where(filters, t))
        .group_by(t.c.month_idx, t.c.dpd_bucket)
    )
    spanned = sa.select(month_ends.c.month_idx, month_ends.c.month_end).where(
        month_ends.c.month_idx.between(last - months + 1, last)
    )
    found = fetch_frame(engine, stmt)
    grid = fetch_frame(engine, spanned)
    rows = []
    got = {(r["month_idx"], r["dpd_bucket"]): r for r in found.to_dict("records")}
    for m in grid.sort_values("month_idx").to_dict("records"):
        month = [got.get((m["month_idx"], b)) for b in DPD_BUCKETS]
        bal = sum((r["outstanding"] for r in month if r), start=0)
        cnt = sum((r["contracts"] for r in month if r), start=0)
        for bucket, r in zip(DPD_BUCKETS, month, strict=True):
            r = r or dict.fromkeys(_SUMS, 0)
            rows.append(
                {
                    "month_end": m["month_end"],
                    "dpd_bucket": bucket,
                    "contracts": r["contracts"],
                    "outstanding": r["outstanding"],
                    "overdue_principal": r["overdue_principal"],
                    "overdue_interest": r["overdue_interest"],
                    "balance_share": measures.ratio(r["outstanding"], bal),
                    "count_share": measures.ratio(r["contracts"], cnt),
                }
            )
    return pd.DataFrame(rows, columns=DISTRIBUTION_COLUMNS, dtype=object)


def segment_rates(
    engine: Engine,
    filters: Filters,
    by: str,
    basis: str = "balance",
    threshold: int = 30,
    months: int = 1,
    include_interest: bool = True,
) -> pd.DataFrame:
    """Per month-end (last `months`) × value of dimension `by`: numerator, denominator, rate."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}")
    t = tiers.portfolio_table(filters, by)
    over = t.c.dpd_bucket.in_(measures.buckets_over(threshold))
    if basis == "balance":
        num, den = t.c.outstanding, t.c.outstanding
    elif basis == "count":
        num, den = t.c.contracts, t.c.contracts
    else:
        num = t.c.overdue_principal
        if include_interest:
            num = t.c.overdue_principal + t.c.overdue_interest
        den = t.c.outstanding
    key = dimension(t, by).label(by)
    last = filters.as_of_idx
    stmt = (
        sa.select(
            month_ends.c.month_end,
            key,
            measures.when(over, num, "numerator"),
            measures.total(den, "denominator"),
        )
        .join(month_ends, month_ends.c.month_idx == t.c.month_idx)
        .where(t.c.month_idx.between(last - months + 1, last), *where(filters, t))
        .group_by(month_ends.c.month_end, key)
        .order_by(month_ends.c.month_end, key)
    )
    frame = fetch_frame(engine, stmt)
    measures.add_ratio(frame, "rate", "numerator", "denominator")
    frame["basis"], frame["threshold"] = basis, threshold
    return frame


def contracts_behind(
    engine: Engine,
    filters: Filters,
    segment: tuple[str, str] | None = None,
    bucket: str | None = None,
    threshold: int | None = None,
    risk_class: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> pd.DataFrame:
    """Open contracts at the as-of behind a figure, largest outstanding first (one page of them).

    `segment` = (dimension, value); `bucket` a DPD bucket; `threshold` keeps DPD > X. The column
    `total_rows` holds how many contracts match before paging: a scalar count of its own, not
    `count(*) OVER ()`, which makes PostgreSQL hold every matching row (spilled to disk at 1M
    contracts) before keeping the page's.
    """

    def matching(cm: sa.Table | sa.Alias) -> list[sa.ColumnElement[bool]]:
        conds = [cm.c.month_end == filters.as_of, is_open(cm), *where(filters, cm)]
        if segment is not None:
            conds.append(dimension(cm, segment[0]) == segment[1])
        if bucket is not None:
            conds.append(cm.c.dpd_bucket == bucket)
        if threshold is not None:
            conds.append(cm.c.dpd > threshold)
        if risk_class is not None:
            conds.append(cm.c.risk_class == risk_class)
        return conds

    cm, counted = contract_month, contract_month.alias("counted")
    total = sa.select(sa.func.count()).select_from(counted).where(*matching(counted))
    stmt = (
        sa.select(*(cm.c[c] for c in LIST_COLUMNS), total.scalar_subquery().label("total_rows"))
        .where(*matching(cm))
        .order_by(cm.c.outstanding_principal.desc(), cm.c.contract_id)
        .limit(min(max(limit, 1), 1000))
        .offset(max(offset, 0))
    )
    return fetch_frame(engine, stmt)
