"""A promise to pay and when it is kept: the one definition the collections mart and the watch
rule both use (docs/domain.md §12, "Collections, warnings and leased assets").

A promise made on day D (the action's date) falls due on its promised date (the collections
figures: else D + `DEFAULT_DUE_DAYS`). The contract's receipts dated from D to the due date, both
included, and not after the as-of, count towards it. It is *kept* when they reach the promised
amount; with no amount, when they are more than nothing. *Partly kept*: some receipts, not enough.

The rules are SQLAlchemy expressions, so `warehouse.marts.watch_rules` composes them into its
statements; the build's text steps (`warehouse.marts.monitoring`) embed the same expressions
compiled to SQL over their own aliases (`*_sql`), so the two cannot drift apart.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

PROMISE = "promise_to_pay"
# A promise with no promised date falls due this many days after the action (collections).
DEFAULT_DUE_DAYS = 30


def made_on(action_time: sa.ColumnElement) -> sa.ColumnElement:
    """The day a promise was made: the date of its action."""
    return sa.cast(action_time, sa.Date)


def due_on(promised_date: sa.ColumnElement, action_time: sa.ColumnElement) -> sa.ColumnElement:
    """The promised date, else the action's day + `DEFAULT_DUE_DAYS`."""
    return sa.func.coalesce(promised_date, made_on(action_time) + DEFAULT_DUE_DAYS)


def counts_towards(
    received_date: sa.ColumnElement,
    made: sa.ColumnElement,
    due: sa.ColumnElement,
    as_of: sa.ColumnElement | date,
) -> sa.ColumnElement[bool]:
    """Whether a receipt of the promise's contract counts towards it: dated from the day it was
    made to its due date, both included, and not after the as-of."""
    return sa.and_(received_date >= made, received_date <= due, received_date <= as_of)


def kept(paid: sa.ColumnElement, promised_amount: sa.ColumnElement) -> sa.ColumnElement[bool]:
    """Whether receipts summing to `paid` (see `counts_towards`) keep the promise: they reach the
    promised amount, or are more than nothing when no amount was promised. A NULL `paid` (no
    receipt) keeps nothing; a caller that sums to 0 instead keeps a promise of 0 without one."""
    return sa.case((promised_amount.is_(None), paid > 0), else_=paid >= promised_amount)


def partly_kept(
    paid: sa.ColumnElement, promised_amount: sa.ColumnElement
) -> sa.ColumnElement[bool]:
    """Some receipts towards a promised amount, not enough to keep it."""
    return sa.and_(paid > 0, promised_amount.isnot(None), paid < promised_amount)


def _sql(expr: sa.ColumnElement) -> str:
    """`expr` as plain SQL text for the build's steps (no bound values: constants are inlined)."""
    return str(expr.compile(compile_kwargs={"literal_binds": True}))


def made_sql(action_time: str) -> str:
    """`made_on` as SQL over the column named."""
    return _sql(made_on(sa.literal_column(action_time)))


def due_sql(promised_date: str, action_time: str) -> str:
    """`due_on` as SQL over the columns named."""
    return _sql(due_on(sa.literal_column(promised_date), sa.literal_column(action_time)))


def counts_towards_sql(received_date: str, made: str, due: str, as_of: str) -> str:
    """`counts_towards` as SQL over the columns (or expressions) named."""
    cols = (sa.literal_column(c) for c in (received_date, made, due, as_of))
    return _sql(counts_towards(*cols))


def kept_sql(paid: str, promised_amount: str) -> str:
    """`kept` as SQL over the columns named."""
    return _sql(kept(sa.literal_column(paid), sa.literal_column(promised_amount)))


def partly_kept_sql(paid: str, promised_amount: str) -> str:
    """`partly_kept` as SQL over the columns named."""
    return _sql(partly_kept(sa.literal_column(paid), sa.literal_column(promised_amount)))
