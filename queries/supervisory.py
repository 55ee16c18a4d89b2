"""The figures behind the supervisory workbooks (docs/domain.md §9) that no analytics query gives.

Every figure is institution-wide at one month-end (no segment filter: reports are never scoped).
Balance figures exclude written-off rows; counts and provisions are of open contracts (neither
closed nor written off, the loan-level detail's population: a provision the extract gives for a
contract's closing month counts nowhere), as in `queries/portfolio` (the same summary tables
answer, so the workbook and the dashboard agree). Restructured assets
are contracts `in_observation` at the month-end (the 2023 Measures' 重组资产: from the
restructuring until its observation period ends); 展期 are those whose latest restructuring on or
before the month-end is an `extension`; re-restructured are those whose latest restructuring
lies inside an earlier one's span: in the same month as the earlier one, or in observation at
the month-end before it (the mart keeps spans at month-end granularity).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import measures, tiers
from queries.execute import fetch_frame, fetch_one, table_exists
from queries.filters import Filters, dimension, is_open
from warehouse.months import month_idx, month_index
from warehouse.schema import (
    NPL_CLASSES,
    SOURCE_TABLES,
    build_settings,
    contract_month,
    lessees,
    month_ends,
)
from warehouse.settings import SETTING_KEYS

restructurings = SOURCE_TABLES["restructurings"]
company_financials = SOURCE_TABLES["company_financials"]

RESTRUCTURED_KINDS: tuple[str, ...] = (
    "restructured",
    "restructured_dpd90",
    "extended",
    "re_restructured_performing",
)
COMPANY_FIGURES: tuple[str, ...] = (
    "total_assets",
    "net_assets",
    "cash_and_deposits",
    "government_bonds",
    "fixed_income_investments",
    "leasing_assets",
    "capital_net",
)


def month_present(engine: Engine, period: date) -> bool:
    """True when `period` is a month-end the warehouse's mart spans."""
    row = fetch_one(
        engine, sa.select(month_ends.c.month_end).where(month_ends.c.month_end == period)
    )
    return row is not None


def class_totals(engine: Engine, period: date, by: str | None = None) -> pd.DataFrame:
    """Per risk class (and value of dimension `by`): open contracts, outstanding, provision and
    its estimated part (`provision_estimated`)."""
    filters = Filters(as_of=period)
    t = tiers.portfolio_table(filters, by)
    keys = [t.c.risk_class] if by is None else [dimension(t, by).label(by), t.c.risk_class]
    stmt = (
        sa.select(
            *keys,
            measures.total(t.c.contracts, "contracts"),
            measures.total(t.c.outstanding, "outstanding"),
            measures.total(t.c.provision, "provision"),
            measures.total(t.c.provision_estimated, "provision_estimated"),
        )
        .where(t.c.month_idx == month_idx(period))
        .group_by(*keys)
    )
    return fetch_frame(engine, stmt)


def overdue_totals(engine: Engine, period: date, by: str | None = None) -> pd.DataFrame:
    """Per DPD bucket (and value of `by`): contracts, outstanding, overdue principal, interest."""
    filters = Filters(as_of=period)
    t = tiers.portfolio_table(filters, by)
    keys = [t.c.dpd_bucket] if by is None else [dimension(t, by).label(by), t.c.dpd_bucket]
    stmt = (
        sa.select(
            *keys,
            measures.total(t.c.contracts, "contracts"),
            measures.total(t.c.outstanding, "outstanding"),
            measures.total(t.c.overdue_principal, "overdue_principal"),
            measures.total(t.c.overdue_interest, "overdue_interest"),
        )
        .where(t.c.month_idx == month_idx(period))
        .group_by(*keys)
    )
    return fetch_frame(engine, stmt)


def _restructure_stats(period: date) -> sa.Subquery:
    """Per contract: the type of its latest restructuring on or before `period`, and whether
    that one was a re-restructuring (inside an earlier one's span)."""
    r = restructurings
    ranked = (
        sa.select(
            r.c.contract_id,
            r.c.restructure_type,
            r.c.effective_date,
            sa.func.lag(r.c.effective_date)
            .over(partition_by=r.c.contract_id, order_by=r.c.effective_date)
            .label("previous"),
            sa.func.row_number()
            .over(partition_by=r.c.contract_id, order_by=r.c.effective_date.desc())
            .label("latest"),
        )
        .where(r.c.effective_date <= period)
        .subquery("ranked")
    )
    month = month_index(ranked.c.effective_date)
    before = contract_month.alias("before")
    # Inside the earlier span: in the same month as the earlier restructuring, or in observation
    # at the month-end before it (month-end granularity, as the build's).
    in_span = (
        sa.select(before.c.contract_id)
        .where(
            before.c.contract_id == ranked.c.contract_id,
            before.c.month_idx == month - 1,
            before.c.in_observation,
        )
        .exists()
    )
    again = sa.and_(
        ranked.c.previous.is_not(None),
        sa.or_(month_index(ranked.c.previous) == month, in_span),
    )
    return (
        sa.select(
            ranked.c.contract_id,
            ranked.c.restructure_type,
            sa.case((again, 1), else_=0).label("again"),
        )
        .where(ranked.c.latest == 1)
        .subquery("restructure_stats")
    )


def restructured_totals(engine: Engine, period: date) -> pd.DataFrame:
    """Per kind of `RESTRUCTURED_KINDS` and risk class: open contracts and outstanding."""
    cm = contract_month
    base = [cm.c.month_end == period, is_open(cm), cm.c.in_observation]
    parts = []
    if table_exists(engine, restructurings.name):
        stats = _restructure_stats(period)
        joined = cm.outerjoin(stats, stats.c.contract_id == cm.c.contract_id)
        conds = {
            "restructured": [],
            "restructured_dpd90": [cm.c.dpd > 90],
            "extended": [stats.c.restructure_type == "extension"],
            "re_restructured_performing": [
                stats.c.again == 1,
                cm.c.risk_class.not_in(NPL_CLASSES),
            ],
        }
    else:
        joined, conds = cm, {"restructured": [], "restructured_dpd90": [cm.c.dpd > 90]}
    for kind, extra in conds.items():
        parts.append(
            sa.select(
                sa.literal(kind).label("kind"),
                cm.c.risk_class,
                sa.func.count().label("contracts"),
                measures.total(cm.c.outstanding_principal, "outstanding"),
            )
            .select_from(joined)
            .where(*base, *extra)
            .group_by(cm.c.risk_class)
        )
    return fetch_frame(engine, sa.union_all(*parts))


def top_lessees(engine: Engine, period: date, risk_class: str, top: int = 10) -> pd.DataFrame:
    """The `top` lessees by outstanding in `risk_class` at `period` (ties by lessee id).

    Columns: lessee_id, name, lessee_type, class_outstanding, class_contracts, outstanding (all
    the lessee's open contracts), provision (of its contracts in the class) and
    provision_estimated (the part of it the build estimated).
    """
    cm = contract_month
    open_rows = [cm.c.month_end == period, is_open(cm)]
    in_class = (
        sa.select(
            cm.c.lessee_id,
            measures.total(cm.c.outstanding_principal, "class_outstanding"),
            sa.func.count().label("class_contracts"),
            measures.total(cm.c.provision, "provision"),
            measures.when(cm.c.provision_estimated, cm.c.provision, "provision_estimated"),
        )
        .where(*open_rows, cm.c.risk_class == risk_class)
        .group_by(cm.c.lessee_id)
        .order_by(sa.desc("class_outstanding"), cm.c.lessee_id)
        .limit(top)
        .subquery("in_class")
    )
    whole = (
        sa.select(cm.c.lessee_id, measures.total(cm.c.outstanding_principal, "outstanding"))
        .where(*open_rows, cm.c.lessee_id.in_(sa.select(in_class.c.lessee_id)))
        .group_by(cm.c.lessee_id)
        .subquery("whole")
    )
    stmt = (
        sa.select(
            in_class.c.lessee_id,
            lessees.c.name,
            lessees.c.lessee_type,
            in_class.c.class_outstanding,
            in_class.c.class_contracts,
            whole.c.outstanding,
            in_class.c.provision,
            in_class.c.provision_estimated,
        )
        .select_from(
            in_class.join(lessees, lessees.c.lessee_id == in_class.c.lessee_id).join(
                whole, whole.c.lessee_id == in_class.c.lessee_id
            )
        )
        .order_by(in_class.c.class_outstanding.desc(), in_class.c.lessee_id)
    )
    return fetch_frame(engine, stmt)


def built_settings(engine: Engine) -> tuple[tuple[str, str], ...]:
    """The settings the warehouse was built with (`build_settings`): registry order, then the rest.

    Empty when the warehouse records none (a build before the table existed).
    """
    if not table_exists(engine, build_settings.name):
        return ()
    stmt = sa.select(build_settings.c.key, build_settings.c.value)
    found = {str(k): str(v) for k, v in fetch_frame(engine, stmt).itertuples(index=False)}
    order = {key: n for n, key in enumerate(SETTING_KEYS)}
    keys = sorted(found, key=lambda k: (order.get(k, len(order)), k))
    return tuple((k, found[k]) for k in keys)


def company_figures(engine: Engine, month_end: date) -> dict[str, Decimal | None] | None:
    """The institution's own balance-sheet figures at `month_end` (None when not reported)."""
    if not table_exists(engine, company_financials.name):
        return None
    cf = company_financials
    row = fetch_one(
        engine,
        sa.select(*(cf.c[name] for name in COMPANY_FIGURES)).where(cf.c.month_end == month_end),
    )
    if row is None:
        return None
    return {k: None if v is None else Decimal(v) for k, v in row.items()}
