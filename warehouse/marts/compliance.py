"""Build step: the collections compliance flags (docs/domain.md §10), raised once per build.

Over `collection_facts` (docs/monitoring.md):
- `outside_window`: a real-time contact (phone, sms, visit, agency) whose time of day is before
  `collections.contact_window_start` or after `collections.contact_window_end` (both allowed);
- `over_daily_cap`: real-time contacts addressed to the lessee, counted per debtor (lessee) and
  calendar day over all its contracts; those after the first `collections.daily_cap` of the day;
- `third_party`: any action addressed to `other`, or to `guarantor` on a contract with no
  guarantor on record;
- `agency_without_notice`: a contract's first `agency` action ever, with no `letter` to the lessee
  logged before it.
None of them depends on the window it is counted in (a day's contacts are all in it or all out;
a contract's first agency action is its first whatever the window), so the build writes every
flagged action up to its as-of with its settings to `collection_flags`, and
`queries.collections_compliance` reads that table for an as-of the build reached and runs the
same statements (`flagged_statement`) live otherwise: they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse import schema
from warehouse.settings import Settings

NAME = "compliance flags"
GUARANTORS = schema.SOURCE_TABLES["guarantors"]
REAL_TIME = ("phone", "sms", "visit", "agency")
FLAGS: tuple[str, ...] = (
    "outside_window",
    "over_daily_cap",
    "third_party",
    "agency_without_notice",
)
FLAG_SETTINGS: dict[str, tuple[str, ...]] = {
    "outside_window": ("collections.contact_window_start", "collections.contact_window_end"),
    "over_daily_cap": ("collections.daily_cap",),
    "third_party": (),
    "agency_without_notice": (),
}
# What a flagged action carries (the columns of `collection_flags` but `flag`).
COLUMNS: tuple[str, ...] = (
    "action_id",
    "contract_id",
    "lessee_id",
    *schema.SEGMENT_COLUMNS,
    "cohort_month",
    "action_time",
    "channel",
    "collector",
)

# The restriction to the slice a query asks for, over the table or subquery it is given.
Scope = Callable[[sa.FromClause], Sequence[sa.ColumnElement[bool]]]
Window = tuple[datetime | None, datetime | None]


def whole_book(_table: sa.FromClause) -> Sequence[sa.ColumnElement[bool]]:
    """No restriction: every contract."""
    return ()


def clock(text: str) -> time:
    """An HH:MM setting as a time of day."""
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


def _in_window(
    t: sa.FromClause, window: Window, *, lower: bool = True
) -> list[sa.ColumnElement[bool]]:
    lo, hi = window
    clauses = []
    if lo is not None and lower:
        clauses.append(t.c.action_time >= lo)
    if hi is not None:
        clauses.append(t.c.action_time < hi)
    return clauses


def _actions(window: Window, scope: Scope) -> sa.Subquery:
    f = schema.collection_facts
    return sa.select(f).where(*_in_window(f, window), *scope(f)).subquery("act")


def _outside_window(window: Window, scope: Scope, values: dict[str, str]) -> sa.Select:
    act = _actions(window, scope)
    tod = sa.cast(act.c.action_time, sa.Time)
    start = clock(values["collections.contact_window_start"])
    end = clock(values["collections.contact_window_end"])
    return sa.select(act).where(act.c.channel.in_(REAL_TIME), sa.or_(tod < start, tod > end))


def _over_daily_cap(window: Window, scope: Scope, values: dict[str, str]) -> sa.Select:
    # The cap is per debtor: every contact of the day counts, whichever of the debtor's
    # contracts it concerns, so the ranking runs on the whole book and the slice comes after.
    act = _actions(window, whole_book)
    cap = int(values["collections.daily_cap"])
    nth = sa.func.row_number().over(
        partition_by=(act.c.lessee_id, act.c.action_day),
        order_by=(act.c.action_time, act.c.action_id),
    )
    ranked = (
        sa.select(act, nth.label("nth"))
        .where(act.c.channel.in_(REAL_TIME), act.c.counterparty_role == "lessee")
        .subquery("ranked")
    )
    return sa.select(*(ranked.c[c.name] for c in act.c)).where(ranked.c.nth > cap, *scope(ranked))


def _third_party(window: Window, scope: Scope, values: dict[str, str]) -> sa.Select:
    act, g = _actions(window, scope), GUARANTORS
    has_guarantor = sa.exists().where(g.c.contract_id == act.c.contract_id)
    return sa.select(act).where(
        sa.or_(
            act.c.counterparty_role == "other",
            sa.and_(act.c.counterparty_role == "guarantor", ~has_guarantor),
        )
    )


def _agency_without_notice(window: Window, scope: Scope, values: dict[str, str]) -> sa.Select:
    a = schema.collection_facts
    nth = sa.func.row_number().over(
        partition_by=a.c.contract_id, order_by=(a.c.action_time, a.c.action_id)
    )
    # Every agency action before the window's end is ranked: the first one ever is the notice's.
    agency = (
        sa.select(a, nth.label("nth"))
        .where(a.c.channel == "agency", *_in_window(a, window, lower=False), *scope(a))
        .subquery("agency")
    )
    n = a.alias("notice")
    noticed = sa.exists().where(
        n.c.contract_id == agency.c.contract_id,
        n.c.channel == "letter",
        n.c.counterparty_role == "lessee",
        n.c.action_time < agency.c.action_time,
    )
    lo = window[0]
    return sa.select(*(agency.c[c.name] for c in a.c)).where(
        agency.c.nth == 1, *([agency.c.action_time >= lo] if lo is not None else []), ~noticed
    )


BUILDERS = {
    "outside_window": _outside_window,
    "over_daily_cap": _over_daily_cap,
    "third_party": _third_party,
    "agency_without_notice": _agency_without_notice,
}


def flagged_statement(flag: str, window: Window, scope: Scope, values: dict[str, str]) -> sa.Select:
    """The actions of `window` ([start, end), None: open) in `scope` raising `flag`, with every
    `collection_facts` column; `values` are the settings as text."""
    if flag not in BUILDERS:
        raise ValueError(f"unknown flag {flag!r}; choose from {FLAGS}")
    return BUILDERS[flag](window, scope, values)


def write_compliance_flags(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `collection_flags` with every flagged action up to `as_of` (all of
    `collection_facts`) under the settings in `settings`."""
    values = dict(settings.as_rows())
    for flag in FLAGS:
        f = flagged_statement(flag, (None, None), whole_book, values).subquery("f")
        stmt = sa.select(sa.literal(flag).label("flag"), *(f.c[c] for c in COLUMNS))
        conn.execute(sa.insert(schema.collection_flags).from_select(["flag", *COLUMNS], stmt))
