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
`warehouse/marts/monitoring.py` into `collection_facts` and `collection_credits`, and summed per
month by `warehouse/marts/collection_months.py` (`collection_action_month`,
`collection_first_month`, `collection_credit_month`): the queries read those sums when nothing
but the branch (and the user's scope) is filtered (`stored`), the per-action rows otherwise.
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
from warehouse.schema import (
    PREVIOUS_KEYS,
    collection_action_month,
    collection_credit_month,
    collection_credits,
    collection_facts,
    collection_first_month,
)

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


def stored(filters: Filters) -> bool:
    """Whether `collection_action_month` answers for `filters`: it keeps only the branch of the
    segments, so nothing but the branch (and the user's branch scope) may be restricted."""
    return (
        set(filters.segments()) <= {"branch"}
        and filters.cohort_from is None
        and filters.cohort_to is None
    )


def _counts(filters: Filters, first: int, last: int) -> sa.Subquery:
    """Actions of months `first`..`last` the filters allow, as rows of counts per month ×
    channel × outcome × collector: actions, attempts, reached, promises, due, kept, part (the
    last three only for promises due by the as-of), spells, cured and `first_<key>`, the
    contracts whose first action of the month in each `PREVIOUS_KEYS` partition is in the row.
    Read from `collection_action_month` when it answers for the filters (`stored`), else one
    row per action of `collection_facts`."""
    keys = ("month_idx", "channel", "outcome", "collector")
    if stored(filters):
        m = collection_action_month
        due = sa.and_(m.c.due_idx.is_not(None), m.c.due_idx <= filters.as_of_idx)

        def if_due(col: sa.ColumnElement[int], name: str) -> sa.Label:
            return sa.case((due, col), else_=0).label(name)

        columns = [
            *(m.c[k] for k in (*keys, "actions", "attempts", "reached", "promises")),
            if_due(m.c.promises, "due"),
            if_due(m.c.kept, "kept"),
            if_due(m.c.part, "part"),
            m.c.spells,
            m.c.cured,
            *(m.c[f"first_{k}"] for k in PREVIOUS_KEYS),
        ]
        window = (m.c.month_idx >= first, m.c.month_idx <= last)
        return sa.select(*columns).where(*window, *where(filters, m, cohort=False)).subquery("n")
    f = collection_facts
    due = sa.and_(f.c.promise == 1, f.c.promise_due <= filters.as_of)

    def flag(cond: sa.ColumnElement[bool], name: str) -> sa.Label:
        return sa.case((cond, 1), else_=0).label(name)

    def first_here(key: str) -> sa.Label:
        prev = f.c[f"prev_{key}_idx"]
        return flag(sa.or_(prev.is_(None), prev < f.c.month_idx), f"first_{key}")

    columns = [
        *(f.c[k] for k in keys),
        sa.literal(1, sa.Integer).label("actions"),
        f.c.attempt.label("attempts"),
        f.c.reached,
        f.c.promise.label("promises"),
        flag(due, "due"),
        flag(sa.and_(due, f.c.kept == 1), "kept"),
        flag(sa.and_(due, f.c.part == 1), "part"),
        f.c.spell_start.label("spells"),
        f.c.cured,
        *(first_here(k) for k in PREVIOUS_KEYS),
    ]
    window = (f.c.month_idx >= first, f.c.month_idx <= last)
    return sa.select(*columns).where(*window, *where(filters, f)).subquery("n")


def _window_contracts(filters: Filters, months: int, key: str) -> sa.Subquery:
    """Distinct contracts with actions in the window per `value` of `key`'s partition (`any`:
    one row, value ''; `channel`; `collector`): from `collection_first_month` when it answers
    for the filters, else the actions' previous-action months (`first_of`)."""
    first = _first_month(filters, months)
    if stored(filters):
        w = collection_first_month
        since = sa.or_(w.c.prev_idx.is_(None), w.c.prev_idx < first)
        return (
            sa.select(w.c.value, sa.func.sum(w.c.contracts).label("contracts"))
            .where(
                w.c.key == key,
                w.c.month_idx >= first,
                w.c.month_idx <= filters.as_of_idx,
                since,
                *where(filters, w, cohort=False),
            )
            .group_by(w.c.value)
            .subquery("wc")
        )
    act = actions(filters, months)
    counted = first_of(act, key, first).label("contracts")
    if key == "any":  # one row: no GROUP BY (DuckDB takes no parameter there)
        return sa.select(sa.literal("").label("value"), counted).subquery("wc")
    value = act.c[key]
    return sa.select(value.label("value"), counted).group_by(value).subquery("wc")


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


def _total(col: sa.ColumnElement, name: str) -> sa.Label:
    return sa.func.coalesce(sa.func.sum(col), 0).label(name)


def _sums(n: sa.Subquery) -> list[sa.Label]:
    """The rate inputs summed over `_counts` rows (`contracts` is added by the caller)."""
    return [
        _total(n.c.actions, "actions"),
        _total(n.c.attempts, "attempts"),
        _total(n.c.reached, "reached"),
        _total(n.c.promises, "promises"),
        _total(n.c.due, "promises_due"),
        _total(n.c.kept, "promises_kept"),
        _total(n.c.part, "promises_part"),
    ]


# The columns of the rate tables, in order, after their key.
RATE_COLUMNS = (
    "actions",
    "contracts",
    "attempts",
    "reached",
    "promises",
    "promises_due",
    "promises_kept",
    "promises_part",
)


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
    n = _counts(filters, _first_month(filters, months), filters.as_of_idx)
    keys = [n.c.month_idx, *(n.c[k] for k in ACTION_KEYS[by])]
    stmt = (
        sa.select(*keys, _total(n.c.actions, "actions"), _total(n.c[f"first_{by}"], "contracts"))
        .group_by(*keys)
        .order_by(*keys)
    )
    return _month_ends(fetch_frame(engine, stmt))


def _with_contracts(sums: sa.Subquery, contracts: sa.Subquery, key: str | None) -> sa.Select:
    """`sums` (per `key`, or one row) joined to the window's distinct contracts per value."""
    on = sa.true() if key is None else contracts.c.value == sums.c[key]
    head = [] if key is None else [sums.c[key]]
    cols = [
        sa.func.coalesce(contracts.c.contracts, 0).label(c) if c == "contracts" else sums.c[c]
        for c in RATE_COLUMNS
    ]
    stmt = sa.select(*head, *cols).select_from(sums.outerjoin(contracts, on))
    return stmt if key is None else stmt.order_by(sums.c[key])


def contact_rates(
    engine: Engine, filters: Filters, months: int = 12, by: str = "month"
) -> pd.DataFrame:
    """Attempts, reached, promises, due and kept promises with their rates.

    `by`: `month` (one row per month-end), `channel`, or `all` (one row for the window).
    """
    if by not in ("month", "channel", "all"):
        raise ValueError("by must be 'month', 'channel' or 'all'")
    n = _counts(filters, _first_month(filters, months), filters.as_of_idx)
    if by == "month":
        stmt = (
            sa.select(n.c.month_idx, *_sums(n), _total(n.c.first_any, "contracts"))
            .group_by(n.c.month_idx)
            .order_by(n.c.month_idx)
        )
        frame = fetch_frame(engine, stmt)
        frame = frame[["month_idx", *RATE_COLUMNS]]
        return _month_ends(_rates(frame))
    if by == "all":
        sums = sa.select(*_sums(n)).subquery("sums")
        stmt = _with_contracts(sums, _window_contracts(filters, months, "any"), None)
    else:
        sums = sa.select(n.c.channel, *_sums(n)).group_by(n.c.channel).subquery("sums")
        stmt = _with_contracts(sums, _window_contracts(filters, months, "channel"), "channel")
    return _rates(fetch_frame(engine, stmt))


def _recovered(filters: Filters, months: int) -> sa.Subquery:
    """Receipts of the window credited to the latest action within 30 days before them, as rows
    of month_idx, channel, collector, receipts and amount: from `collection_credit_month` when
    it answers for the filters (`stored`), else one row per receipt of `collection_credits`."""
    first, last = _first_month(filters, months), filters.as_of_idx
    if stored(filters):
        m = collection_credit_month
        return (
            sa.select(m.c.month_idx, m.c.channel, m.c.collector, m.c.receipts, m.c.amount)
            .where(m.c.month_idx >= first, m.c.month_idx <= last, *where(filters, m, cohort=False))
            .subquery("credited")
        )
    c = collection_credits
    return (
        sa.select(
            c.c.month_idx,
            c.c.channel,
            c.c.collector,
            sa.literal(1, sa.Integer).label("receipts"),
            c.c.amount,
        )
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
        _total(c.c.receipts, "receipts"),
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
    n = _counts(filters, _first_month(filters, months), filters.as_of_idx - CURE_HORIZON + 1)
    spells = sa.func.sum(n.c.spells)
    stmt = (
        sa.select(
            n.c.channel.label("first_channel"),
            spells.label("spells"),
            sa.func.coalesce(sa.func.sum(n.c.cured), 0).label("cured"),
        )
        .group_by(n.c.channel)
        .having(spells > 0)
        .order_by(n.c.channel)
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
    n, c = (
        _counts(filters, _first_month(filters, months), filters.as_of_idx),
        _recovered(filters, months),
    )
    sums = sa.select(n.c.collector, *_sums(n)).group_by(n.c.collector).subquery("sums")
    work = _with_contracts(
        sums, _window_contracts(filters, months, "collector"), "collector"
    ).subquery("work")
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
