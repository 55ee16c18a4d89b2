"""催收 drill lists: the contracts behind one bar or point of the 催收 charts (SQLAlchemy Core).

A bar of the actions chart (a month × channel or outcome), a point of the rate lines (a month:
the contracts with attempts, reached or with a promise that month) and a bar of the recoveries
chart (a month × crediting channel) open 合同列表 with these contracts; a bar of the cure-rate
chart (a first channel over the page's window) the contracts of its spells. The month is the
as-of month of the filters; the segment, cohort and branch-scope filters apply as on the page. The
lists read the per-action rows (`collection_facts`) and the receipt credits
(`collection_credits`) the page's figures are summed from, and give their first 1,000 rows at
most (`total_rows` counts them all).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from queries.filters import Filters, where
from queries.monitoring_scope import LIST_LIMIT, check_months
from warehouse.extract_spec import CHANNELS, OUTCOMES
from warehouse.marts.monitoring import CURE_HORIZON
from warehouse.schema import collection_credits, collection_facts

# What an action list may be restricted by: a channel, an outcome, or one of the 0/1 flags the
# rate lines divide (attempts for the contact rate, reached for the promise rate, promises).
FLAGS: tuple[str, ...] = ("attempt", "reached", "promise")
KINDS: dict[str, tuple[str, ...]] = {"channel": CHANNELS, "outcome": OUTCOMES, "flag": FLAGS}
CAP = 1000


def _cap(limit: int) -> int:
    return max(1, min(int(limit), CAP))


def action_contracts(
    engine: Engine, filters: Filters, kind: str, value: str, limit: int = LIST_LIMIT
) -> pd.DataFrame:
    """The contracts with collection actions in the as-of month whose `kind` (channel, outcome
    or flag) is `value`: their actions of that kind, the first and last day of them and the
    channels used, latest first; `total_rows` counts them before the cap."""
    if kind not in KINDS or value not in KINDS[kind]:
        raise ValueError(f"kind and value must be one of {KINDS}")
    f = collection_facts
    match = f.c[value] == 1 if kind == "flag" else f.c[kind] == value
    stmt = (
        sa.select(
            f.c.contract_id,
            f.c.lessee_id,
            f.c.branch,
            sa.func.count().label("actions"),
            sa.func.min(f.c.action_day).label("first_action_day"),
            sa.func.max(f.c.action_day).label("last_action_day"),
            sa.func.count().over().label("total_rows"),
        )
        .where(f.c.month_idx == filters.as_of_idx, match, *where(filters, f))
        .group_by(f.c.contract_id, f.c.lessee_id, f.c.branch)
        .order_by(sa.func.max(f.c.action_day).desc(), f.c.contract_id)
        .limit(_cap(limit))
    )
    return fetch_frame(engine, stmt)


def credit_contracts(
    engine: Engine, filters: Filters, channel: str, limit: int = LIST_LIMIT
) -> pd.DataFrame:
    """The contracts whose receipts in the as-of month are credited to an action of `channel`
    (the latest within 30 days before each): receipts, amount recovered and the last receipt's
    date, largest amount first; `total_rows` counts them before the cap."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {CHANNELS}")
    c = collection_credits
    recovered = sa.func.sum(c.c.amount)
    stmt = (
        sa.select(
            c.c.contract_id,
            c.c.lessee_id,
            c.c.branch,
            sa.func.count().label("receipts"),
            recovered.label("recovered"),
            sa.func.max(c.c.received_date).label("last_received_date"),
            sa.func.count().over().label("total_rows"),
        )
        .where(c.c.month_idx == filters.as_of_idx, c.c.channel == channel, *where(filters, c))
        .group_by(c.c.contract_id, c.c.lessee_id, c.c.branch)
        .order_by(recovered.desc(), c.c.contract_id)
        .limit(_cap(limit))
    )
    return fetch_frame(engine, stmt)


def spell_contracts(
    engine: Engine,
    filters: Filters,
    channel: str,
    months: int = 12,
    limit: int = LIST_LIMIT,
) -> pd.DataFrame:
    """The contracts behind one bar of the cure-rate chart: those with collection spells whose
    first action's channel is `channel` (`all`: any), started in the `months`-month window
    ending at the as-of and old enough to be judged (their `CURE_HORIZON` month-ends by the
    as-of), as `collections.cure_rates` counts them: spells, cured, the first spell's day;
    latest first. `total_rows` counts them before the cap."""
    if channel != "all" and channel not in CHANNELS:
        raise ValueError(f"channel must be 'all' or one of {CHANNELS}")
    f = collection_facts
    first = filters.as_of_idx - check_months(months) + 1
    last = filters.as_of_idx - CURE_HORIZON + 1
    which = [] if channel == "all" else [f.c.channel == channel]
    started = sa.func.min(f.c.action_day)
    stmt = (
        sa.select(
            f.c.contract_id,
            f.c.lessee_id,
            f.c.branch,
            sa.func.count().label("spells"),
            sa.func.sum(f.c.cured).label("cured"),
            started.label("first_spell_day"),
            sa.func.count().over().label("total_rows"),
        )
        .where(
            f.c.spell_start == 1,
            f.c.month_idx >= first,
            f.c.month_idx <= last,
            *which,
            *where(filters, f),
        )
        .group_by(f.c.contract_id, f.c.lessee_id, f.c.branch)
        .order_by(started.desc(), f.c.contract_id)
        .limit(_cap(limit))
    )
    return fetch_frame(engine, stmt)
