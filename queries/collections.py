"""催收 Collections: activity, contact and promise rates, recoveries, cures and collector workload.

Definitions (docs/monitoring.md has the reasoning):
- An *attempt* is any action except `legal` (a court filing is not a contact attempt). It is
  *reached* when the outcome is `contacted`, `promise_to_pay`, `refused` or `paid`.
  Contact rate = reached ÷ attempts; promise rate = promises to pay ÷ reached.
- A promise is *due* when its promised date (else the action's date + 30 days) is on or before
  the as-of month-end; it is *kept* when the contract's receipts dated from the action's date to
  the promised date, both included, add up to at least the promised amount (any receipt when no
  amount was promised). Kept rate = kept ÷ due promises. Each promise is judged on its own;
  a due promise with some but not enough receipts is counted as `promises_part` (partly kept).
- *Recovered within 30 days*: a receipt dated within 30 days on or after an action on the same
  contract; it is credited once, to the latest such action (its channel, its collector).
- *Cure*: a collection spell starts in a month with actions on a contract that had none in the
  previous month; its first channel is that of its first action. It is cured when the contract
  shows DPD 0 (not written off; a closing row counts) at one of the 3 (`CURE_HORIZON`) month-ends
  from the spell's month on. Spells too recent to have all 3 month-ends are left out.
Every function takes the shared `Filters`; actions count in the `months`-month window ending at
the as-of month-end. The per-action flags and the receipt credits are computed once per load by
`warehouse/marts/monitoring.py` into `collection_facts` and `collection_credits`.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from queries.filters import Filters, where
from queries.measures import add_ratio
from queries.monitoring_scope import check_months, timestamps, window_start
from warehouse.marts.monitoring import CURE_HORIZON
from warehouse.months import month_end_of
from warehouse.schema import collection_credits, collection_facts

WORKLOAD_COLUMNS = (
    "collector",
    "actions",
    "contracts",
    "attempts",
    "reached",
    "contact_rate",
    "promises",
    "promise_rate",
    "promises_due",
    "promises_kept",
    "kept_rate",
    "promises_part",
    "recovered",
)


def days(n: int) -> sa.ColumnElement[int]:
    """A whole number of days for date arithmetic (typed, so both databases add it to a date)."""
    return sa.cast(sa.literal(int(n)), sa.Integer)


def actions(filters: Filters, months: int) -> sa.Subquery:
    """The window's actions on contracts the filters allow (every `collection_facts` column)."""
    f = collection_facts
    lo, hi = timestamps(filters, months)
    return (
        sa.select(f)
        .where(f.c.action_time >= lo, f.c.action_time < hi, *where(filters, f))
        .subquery("act")
    )


def _first_month(filters: Filters, months: int) -> int:
    """The window's first month (`actions` reads whole months)."""
    return filters.as_of_idx - check_months(months) + 1


def _facts(filters: Filters, months: int) -> sa.Subquery:
    """The window's actions with 0/1 columns attempt, reached, promise, due, kept, part.

    `kept` and `part` count only promises due by the as-of (the mart flags every promise).
    """
    act = actions(filters, months)
    due = sa.and_(act.c.promise == 1, act.c.promise_due <= filters.as_of)

    def flag(cond: sa.ColumnElement[bool], name: str) -> sa.Label:
        return sa.case((cond, 1), else_=0).label(name)

    return sa.select(
        *(c for c in act.c if c.name not in ("kept", "part")),
        flag(due, "due"),
        flag(sa.and_(due, act.c.kept == 1), "kept"),
        flag(sa.and_(due, act.c.part == 1), "part"),
    ).subquery("facts")


def _rates(frame: pd.DataFrame) -> pd.DataFrame:
    add_ratio(frame, "contact_rate", "reached", "attempts")
    add_ratio(frame, "promise_rate", "promises", "reached")
    add_ratio(frame, "kept_rate", "promises_kept", "promises_due")
    return frame


def first_of(
    f: sa.FromClause, key: str, since: int | sa.ColumnElement[int]
) -> sa.ColumnElement[int]:
    """Distinct contracts of `f`'s rows in each group, where a group is one `PREVIOUS_KEYS`
    partition (`key`) from month `since` (a number: the window's first month; a column: the
    row's own month) on: the rows whose previous action in the partition came before `since`
    (or never) are each contract's first there, one per contract. A sum, not a distinct hash."""
    prev = f.c[f"prev_{key}_idx"]
    first = sa.or_(prev.is_(None), prev < since)
    return sa.func.coalesce(sa.func.sum(sa.case((first, 1), else_=0)), 0)


def _sums(f: sa.Subquery, contracts: sa.ColumnElement[int]) -> list[sa.Label]:
    def total(col: sa.ColumnElement, name: str) -> sa.Label:
        return sa.func.coalesce(sa.func.sum(col), 0).label(name)

    return [
        sa.func.count().label("actions"),
        contracts.label("contracts"),
        total(f.c.attempt, "attempts"),
        total(f.c.reached, "reached"),
        total(f.c.promise, "promises"),
        total(f.c.due, "promises_due"),
        total(f.c.kept, "promises_kept"),
        total(f.c.part, "promises_part"),
    ]


def _month_ends(frame: pd.DataFrame) -> pd.DataFrame:
    frame.insert(0, "month_end", [month_end_of(int(i)) for i in frame["month_idx"]])
    return frame.drop(columns=["month_idx"])


ACTION_KEYS: dict[str, tuple[str, ...]] = {
    "channel_outcome": ("channel", "outcome"),
    "channel": ("channel",),
    "outcome": ("outcome",),
}


def actions_over_time(
    engine: Engine, filters: Filters, months: int = 12, by: str = "channel_outcome"
) -> pd.DataFrame:
    """Actions and contracts per month × channel and/or outcome (`by`: an ACTION_KEYS key)."""
    if by not in ACTION_KEYS:
        raise ValueError(f"by must be one of {sorted(ACTION_KEYS)}")
    act = actions(filters, months)
    keys = [act.c.month_idx, *(act.c[k] for k in ACTION_KEYS[by])]
    stmt = (
        sa.select(
            *keys,
            sa.func.count().label("actions"),
            first_of(act, by, act.c.month_idx).label("contracts"),
        )
        .group_by(*keys)
        .order_by(*keys)
    )
    return _month_ends(fetch_frame(engine, stmt))


def contact_rates(
    engine: Engine, filters: Filters, months: int = 12, by: str = "month"
) -> pd.DataFrame:
    """Attempts, reached, promises, due and kept promises with their rates.

    `by`: `month` (one row per month-end), `channel`, or `all` (one row for the window).
    """
    if by not in ("month", "channel", "all"):
        raise ValueError("by must be 'month', 'channel' or 'all'")
    f, first = _facts(filters, months), _first_month(filters, months)
    if by == "all":
        return _rates(fetch_frame(engine, sa.select(*_sums(f, first_of(f, "any", first)))))
    if by == "month":
        key, contracts = f.c.month_idx, first_of(f, "any", f.c.month_idx)
    else:
        key, contracts = f.c.channel, first_of(f, "channel", first)
    stmt = sa.select(key, *_sums(f, contracts)).group_by(key).order_by(key)
    frame = _rates(fetch_frame(engine, stmt))
    return _month_ends(frame) if by == "month" else frame


def _recovered(filters: Filters, months: int) -> sa.Subquery:
    """Receipts of the window credited to the latest action within 30 days before them."""
    c = collection_credits
    return (
        sa.select(c)
        .where(
            c.c.received_date >= window_start(filters, months),
            c.c.received_date <= filters.as_of,
            *where(filters, c),
        )
        .subquery("credited")
    )


def recoveries(
    engine: Engine, filters: Filters, months: int = 12, by: str = "month"
) -> pd.DataFrame:
    """Amounts recovered within 30 days of an action (receipts, recovered).

    `by`: `month` (per month of receipt × crediting channel) or `all` (one row for the window).
    """
    if by not in ("month", "all"):
        raise ValueError("by must be 'month' or 'all'")
    c = _recovered(filters, months)
    sums = [
        sa.func.count().label("receipts"),
        sa.func.coalesce(sa.func.sum(c.c.amount), 0).label("recovered"),
    ]
    if by == "all":
        return fetch_frame(engine, sa.select(*sums))
    keys = [c.c.month_idx, c.c.channel]
    stmt = sa.select(*keys, *sums).group_by(*keys).order_by(*keys)
    return _month_ends(fetch_frame(engine, stmt))


def cure_rates(engine: Engine, filters: Filters, months: int = 12) -> pd.DataFrame:
    """Spells started in the window (mature ones), cured and cure rate by first channel.

    A spell is mature when its `CURE_HORIZON` month-ends are all on or before the as-of. The
    last row, `first_channel` = "all", is the total over channels.
    """
    a = collection_facts
    stmt = (
        sa.select(
            a.c.channel.label("first_channel"),
            sa.func.count().label("spells"),
            sa.func.coalesce(sa.func.sum(a.c.cured), 0).label("cured"),
        )
        .where(
            a.c.spell_start == 1,
            a.c.month_idx >= filters.as_of_idx - check_months(months) + 1,
            a.c.month_idx <= filters.as_of_idx - CURE_HORIZON + 1,
            *where(filters, a),
        )
        .group_by(a.c.channel)
        .order_by(a.c.channel)
    )
    frame = fetch_frame(engine, stmt)
    total = {"first_channel": "all", "spells": frame["spells"].sum(), "cured": frame["cured"].sum()}
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    frame[["spells", "cured"]] = frame[["spells", "cured"]].astype(int)
    add_ratio(frame, "cure_rate", "cured", "spells")
    return frame


def collector_workload(engine: Engine, filters: Filters, months: int = 12) -> pd.DataFrame:
    """Per collector: actions, contracts, contact/promise/kept rates and amounts recovered.

    Sorted by collector name, never by amount recovered (docs/domain.md §10).
    """
    f, c = _facts(filters, months), _recovered(filters, months)
    contracts = first_of(f, "collector", _first_month(filters, months))
    work = sa.select(f.c.collector, *_sums(f, contracts)).group_by(f.c.collector).subquery("work")
    got = (
        sa.select(c.c.collector, sa.func.sum(c.c.amount).label("recovered"))
        .group_by(c.c.collector)
        .subquery("got")
    )
    # Full join: a receipt in the window may be credited to an action just before it.
    who = sa.func.coalesce(work.c.collector, got.c.collector)
    counts = [sa.func.coalesce(work.c[n], 0).label(n) for n in WORKLOAD_COLUMNS[1:5]]
    counts += [sa.func.coalesce(work.c[n], 0).label(n) for n in ("promises", "promises_due")]
    counts += [sa.func.coalesce(work.c[n], 0).label(n) for n in ("promises_kept", "promises_part")]
    stmt = (
        sa.select(
            who.label("collector"),
            *counts,
            sa.func.coalesce(got.c.recovered, 0).label("recovered"),
        )
        .select_from(work.join(got, got.c.collector == work.c.collector, full=True))
        .order_by(who)
    )
    return _rates(fetch_frame(engine, stmt))[list(WORKLOAD_COLUMNS)]
