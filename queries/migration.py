"""Migration (docs/domain.md §7): DPD roll rates, the G12 five-tier matrix, official rates.

Readings made here:
- Roll rates from t−1 to t (t = the as-of): the contracts open at t−1 (not closed, not written
  off), by their t−1 bucket, go to their bucket at t, or to `closed` (closed row at t, or no row)
  or `written_off`. Balance-weighted shares use the **t−1 outstanding** (so each row sums to 100%
  and "share of each bucket's outstanding principal" is the share of the t−1 balance); the
  t balance of the same contracts is returned beside it as `balance_at_t`.
- Periods: `month` begins at the previous month-end, `quarter` at the last month-end of the
  previous calendar quarter (quarter-to-date), `ytd` at the prior 31 December. The cohort is the
  contracts open at the beginning; a contract closed or written off by the end has no cell
  (it is in "reduced"). New business = contracts open at the end but not at the beginning.
- The build has already joined every period's two month-ends: without a cohort filter the
  matrix and the rates read `migration_month` (whole book) or `migration_segment_month`
  (segment filters or a branch scope; `queries.tiers.migration_table`), and new business is the
  end month's open book by class (the portfolio summary for the same filters) minus the cohort
  still open; roll rates read `roll_month` or `roll_segment_month` alike
  (`queries.tiers.roll_table`). Otherwise each query joins two
  month-ends per period, contract by contract, on `contract_month`; the rate series joins all
  its periods' month-end pairs (a VALUES list) in one statement.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import measures, tiers
from queries.execute import fetch_frame
from queries.filters import Filters, is_open, where
from warehouse.extract_spec import RISK_CLASSES
from warehouse.months import month_end_of
from warehouse.schema import DPD_BUCKETS, NPL_CLASSES, contract_month

PERIODS: tuple[str, ...] = ("month", "quarter", "ytd")
ROLL_TARGETS: tuple[str, ...] = (*DPD_BUCKETS, "closed", "written_off")
MATRIX_COLUMNS: tuple[str, ...] = (*RISK_CLASSES, "reduced")
NEW_BUSINESS = "new_business"
# Official rate -> (beginning classes, "now worse" classes).
OFFICIAL_RATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "normal_migration_rate": (("normal",), RISK_CLASSES[1:]),
    "special_mention_migration_rate": (("special_mention",), NPL_CLASSES),
    "substandard_migration_rate": (("substandard",), ("doubtful", "loss")),
    "doubtful_migration_rate": (("doubtful",), ("loss",)),
    "performing_migration_rate": (("normal", "special_mention"), NPL_CLASSES),
}


def period_begin(end_idx: int, period: str) -> int:
    """month_idx of the beginning month-end of the period ending at `end_idx`."""
    if period == "month":
        return end_idx - 1
    if period == "quarter":
        return end_idx - end_idx % 3 - 1
    if period == "ytd":
        return end_idx - end_idx % 12 - 1
    raise ValueError(f"period must be one of {PERIODS}")


def was_open_at(e: sa.Alias, begin_idx: int) -> sa.Exists:
    """EXISTS: the contract of row `e` was open at the month-end `begin_idx` (not new business)."""
    b = contract_month.alias("b")
    return (
        sa.select(b.c.contract_id)
        .where(
            b.c.contract_id == e.c.contract_id,
            b.c.month_end == month_end_of(begin_idx),
            is_open(b),
        )
        .exists()
    )


def _cohort(
    filters: Filters, begin_idx: int, end_idx: int
) -> tuple[sa.Alias, sa.Alias, sa.Join, list]:
    """b = rows open at begin (with their conditions), e = the same contracts' rows at end."""
    b, e = contract_month.alias("b"), contract_month.alias("e")
    # month_end (indexed on PostgreSQL) rather than month_idx picks the two month-ends.
    begin, end = month_end_of(begin_idx), month_end_of(end_idx)
    conds = [b.c.month_end == begin, is_open(b), *where(filters, b)]
    on = sa.and_(e.c.contract_id == b.c.contract_id, e.c.month_end == end)
    return b, e, b.outerjoin(e, on), conds


def _roll_statement(filters: Filters) -> sa.Select:
    """From-bucket × to-target at t−1 → t: contracts, t−1 balance, t balance of the still open."""
    r = tiers.roll_table(filters)
    if r is not None:
        return (
            sa.select(
                r.c.from_bucket,
                r.c.to_bucket,
                measures.total(r.c.contracts, "contracts"),
                measures.total(r.c.balance, "balance"),
                measures.total(r.c.balance_at_t, "balance_at_t"),
            )
            .where(r.c.month_idx == filters.as_of_idx, *where(filters, r, cohort=False))
            .group_by(r.c.from_bucket, r.c.to_bucket)
        )
    b, e, joined, conds = _cohort(filters, filters.as_of_idx - 1, filters.as_of_idx)
    target = sa.case(
        (e.c.contract_id.is_(None), "closed"),
        (e.c.written_off, "written_off"),
        (e.c.closed, "closed"),
        else_=e.c.dpd_bucket,
    ).label("to_bucket")
    return (
        sa.select(
            b.c.dpd_bucket.label("from_bucket"),
            target,
            sa.func.count().label("contracts"),
            measures.total(b.c.outstanding_principal, "balance"),
            measures.when(is_open(e), e.c.outstanding_principal, "balance_at_t"),
        )
        .select_from(joined)
        .where(*conds)
        .group_by(b.c.dpd_bucket, target)
    )


def roll_rates(engine: Engine, filters: Filters) -> pd.DataFrame:
    """From-bucket × to-target at t−1 → t: contracts, balance (t−1), balance_at_t, both shares."""
    got = {
        (r["from_bucket"], r["to_bucket"]): r
        for r in fetch_frame(engine, _roll_statement(filters)).to_dict("records")
    }
    rows = []
    for src in DPD_BUCKETS:
        cells = [got.get((src, dst)) for dst in ROLL_TARGETS]
        bal = sum((c["balance"] for c in cells if c), start=0)
        cnt = sum((c["contracts"] for c in cells if c), start=0)
        for dst, c in zip(ROLL_TARGETS, cells, strict=True):
            c = c or {"contracts": 0, "balance": 0, "balance_at_t": 0}
            rows.append(
                {
                    "from_bucket": src,
                    "to_bucket": dst,
                    "contracts": c["contracts"],
                    "balance": c["balance"],
                    "balance_at_t": c["balance_at_t"],
                    "balance_share": measures.ratio(c["balance"], bal),
                    "count_share": measures.ratio(c["contracts"], cnt),
                }
            )
    return pd.DataFrame(rows, dtype=object)


def _cells(engine: Engine, stmt: sa.Select) -> list[dict]:
    """Rows as dicts, with a missing end class as None (pandas reads NULL text as NaN)."""
    rows = fetch_frame(engine, stmt).to_dict("records")
    for r in rows:
        if "end_class" in r and pd.isna(r["end_class"]):
            r["end_class"] = None
    return rows


def _cohort_cells(filters: Filters, pairs: list[tuple[int, int]]) -> sa.Select:
    """Per (begin, end) pair, beginning class × end class (None = reduced): count and balances."""
    periods = sa.values(
        sa.column("begin_month", sa.Date), sa.column("end_month", sa.Date), name="periods"
    ).data([(month_end_of(b), month_end_of(e)) for b, e in pairs])
    b, e = contract_month.alias("b"), contract_month.alias("e")
    end_class = sa.case((is_open(e), e.c.risk_class), else_=None).label("end_class")
    joined = periods.join(b, b.c.month_end == periods.c.begin_month).outerjoin(
        e, sa.and_(e.c.contract_id == b.c.contract_id, e.c.month_end == periods.c.end_month)
    )
    return (
        sa.select(
            periods.c.end_month,
            b.c.risk_class.label("begin_class"),
            end_class,
            sa.func.count().label("contracts"),
            measures.total(b.c.outstanding_principal, "begin_balance"),
            measures.when(is_open(e), e.c.outstanding_principal, "balance"),
        )
        .select_from(joined)
        .where(is_open(b), *where(filters, b))
        .group_by(periods.c.end_month, b.c.risk_class, end_class)
    )


def _summary_cells(
    engine: Engine, filters: Filters, period: str, end_idxs: list[int]
) -> list[dict]:
    """The same cells as `_cohort_cells`, read from the transition summary for the filters."""
    m = tiers.migration_table(filters)
    if m is None:
        raise ValueError("a cohort filter needs contract_month, not a transition summary")
    stmt = (
        sa.select(
            m.c.month_idx,
            m.c.begin_class,
            m.c.end_class,
            measures.total(m.c.contracts, "contracts"),
            measures.total(m.c.begin_balance, "begin_balance"),
            measures.total(m.c.balance, "balance"),
        )
        .where(
            m.c.period == period,
            m.c.month_idx.in_(sorted(set(end_idxs))),
            *where(filters, m, cohort=False),
        )
        .group_by(m.c.month_idx, m.c.begin_class, m.c.end_class)
    )
    rows = _cells(engine, stmt)
    for r in rows:
        r["end_month"] = month_end_of(int(r.pop("month_idx")))
    return rows


def _summary_new_business(
    engine: Engine, filters: Filters, end_idx: int, cohort: list[dict]
) -> list[dict]:
    """Open at the end by class (portfolio summary), minus the beginning cohort still open."""
    t = tiers.portfolio_table(filters)
    stmt = (
        sa.select(
            t.c.risk_class.label("end_class"),
            measures.total(t.c.contracts, "contracts"),
            measures.total(t.c.outstanding, "balance"),
        )
        .where(t.c.month_idx == end_idx, *where(filters, t))
        .group_by(t.c.risk_class)
    )
    rows = _cells(engine, stmt)
    for r in rows:
        kept = [c for c in cohort if c["end_class"] == r["end_class"]]
        r["contracts"] -= sum((c["contracts"] for c in kept), start=0)
        r["balance"] -= sum((c["balance"] for c in kept), start=0)
    return [r for r in rows if r["contracts"]]


def _new_business(filters: Filters, begin_idx: int, end_idx: int) -> sa.Select:
    e = contract_month.alias("e")
    return (
        sa.select(
            e.c.risk_class.label("end_class"),
            sa.func.count().label("contracts"),
            measures.total(e.c.outstanding_principal, "balance"),
        )
        .where(
            e.c.month_end == month_end_of(end_idx),
            is_open(e),
            ~was_open_at(e, begin_idx),
            *where(filters, e),
        )
        .group_by(e.c.risk_class)
    )


def migration_matrix(engine: Engine, filters: Filters, period: str = "ytd") -> pd.DataFrame:
    """G12 layout, long: begin_class × end_class (classes + `reduced`) with balance, contracts.

    Rows for the five beginning classes and `new_business`; columns begin_balance and
    begin_contracts (per beginning class) and row_share = balance ÷ begin_balance.
    """
    end_idx = filters.as_of_idx
    begin_idx = period_begin(end_idx, period)
    if tiers.migration_table(filters) is not None:
        cohort = _summary_cells(engine, filters, period, [end_idx])
        fresh = _summary_new_business(engine, filters, end_idx, cohort)
    else:
        cohort = _cells(engine, _cohort_cells(filters, [(begin_idx, end_idx)]))
        fresh = _cells(engine, _new_business(filters, begin_idx, end_idx))
    rows = []
    for src in RISK_CLASSES:
        mine = [r for r in cohort if r["begin_class"] == src]
        begin_bal = sum((r["begin_balance"] for r in mine), start=0)
        begin_cnt = sum((r["contracts"] for r in mine), start=0)
        for dst in RISK_CLASSES:
            hit = [r for r in mine if r["end_class"] == dst]
            rows.append(
                (
                    src,
                    dst,
                    sum((r["balance"] for r in hit), start=0),
                    sum((r["contracts"] for r in hit), start=0),
                    begin_bal,
                    begin_cnt,
                )
            )
        kept = sum((r["balance"] for r in mine if r["end_class"] is not None), start=0)
        kept_n = sum((r["contracts"] for r in mine if r["end_class"] is not None), start=0)
        rows.append((src, "reduced", begin_bal - kept, begin_cnt - kept_n, begin_bal, begin_cnt))
    for dst in RISK_CLASSES:
        hit = [r for r in fresh if r["end_class"] == dst]
        rows.append(
            (
                NEW_BUSINESS,
                dst,
                sum((r["balance"] for r in hit), start=0),
                sum((r["contracts"] for r in hit), start=0),
                None,
                None,
            )
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "begin_class",
            "end_class",
            "balance",
            "contracts",
            "begin_balance",
            "begin_contracts",
        ],
        dtype=object,
    )
    frame["row_share"] = [
        measures.ratio(v, d) for v, d in zip(frame["balance"], frame["begin_balance"], strict=True)
    ]
    frame["period"], frame["begin"], frame["end"] = period, month_end_of(begin_idx), filters.as_of
    return frame


def migration_rates(
    engine: Engine, filters: Filters, period: str = "month", periods: int = 12
) -> pd.DataFrame:
    """The five official rates for the last `periods` periods ending at the as-of (oldest first).

    Per rate: `<rate>` and its `<rate>_numerator` / `<rate>_denominator` (the cohort's period-end
    balance = beginning − reduced); None when the denominator is zero.
    """
    ends = [filters.as_of_idx]
    while len(ends) < periods:
        ends.append(period_begin(ends[-1], period))
    pairs = [(period_begin(end_idx, period), end_idx) for end_idx in reversed(ends)]
    if tiers.migration_table(filters) is not None:
        found = _summary_cells(engine, filters, period, [end_idx for _, end_idx in pairs])
    else:
        found = _cells(engine, _cohort_cells(filters, pairs))
    rows = []
    for begin_idx, end_idx in pairs:
        cells = [r for r in found if r["end_month"] == month_end_of(end_idx)]
        row: dict[str, object] = {
            "period": period,
            "begin": month_end_of(begin_idx),
            "end": month_end_of(end_idx),
        }
        for name, (sources, worse) in OFFICIAL_RATES.items():
            mine = [r for r in cells if r["begin_class"] in sources and r["end_class"] is not None]
            num = sum((r["balance"] for r in mine if r["end_class"] in worse), start=0)
            den = sum((r["balance"] for r in mine), start=0)
            row.update(
                {
                    name: measures.ratio(num, den),
                    f"{name}_numerator": num,
                    f"{name}_denominator": den,
                }
            )
        rows.append(row)
    return pd.DataFrame(rows, dtype=object)
