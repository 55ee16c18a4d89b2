"""Reading the audit trail (warehouse/portal/audit.py) with filters, newest first, in pages.

`AuditFilter` is what the audit page offers: a time range (UTC, `until` exclusive), an actor, one
or more actions from `ACTIONS` (anything else is refused), and a piece of text searched in the
target and the details. The text is matched literally: `%` and `_` typed by a user are escaped,
and every value is a bound parameter.

Branch scope, fail closed: an audit row carries no branch, and the trail lives in the portal
store, not beside the contracts, so a row cannot be shown to lie within a user's branches. A user
limited to some branches (`AuditFilter.own`, set by the page from the account, never from the
URL) therefore sees only the rows of their own actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame, fetch_one
from warehouse.portal.audit import ACTIONS, audit_events

MAX_PAGE = 500  # rows of one screen page
MAX_EXPORT = 50_000  # rows of one export: the newest, when more match
MAX_TEXT = 200  # longest search text or actor name kept

COLUMNS: tuple[str, ...] = (
    "event_id",
    "at",
    "actor",
    "action",
    "target",
    "row_count",
    "sha256",
    "details",
)


@dataclass(frozen=True)
class AuditFilter:
    """Which audit rows to show; empty fields filter nothing."""

    since: datetime | None = None
    until: datetime | None = None
    actor: str = ""
    actions: tuple[str, ...] = ()
    text: str = ""
    own: str | None = None  # a branch-scoped user: only rows whose actor is this username

    def __post_init__(self) -> None:
        unknown = sorted(set(self.actions) - ACTIONS)
        if unknown:
            raise ValueError(f"unknown audit actions {unknown}; choose from {sorted(ACTIONS)}")
        object.__setattr__(self, "actions", tuple(sorted(set(self.actions))))
        object.__setattr__(self, "actor", self.actor.strip()[:MAX_TEXT])
        object.__setattr__(self, "text", self.text.strip()[:MAX_TEXT])


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def conditions(f: AuditFilter) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses of `f` over `audit_events` (bound parameters only)."""
    a = audit_events.c
    clauses: list[sa.ColumnElement[bool]] = []
    if f.own is not None:
        clauses.append(a.actor == f.own)
    if f.since is not None:
        clauses.append(a.at >= f.since)
    if f.until is not None:
        clauses.append(a.at < f.until)
    if f.actor:
        clauses.append(a.actor == f.actor)
    if f.actions:
        clauses.append(a.action.in_(f.actions))
    if f.text:
        pattern = f"%{_escape_like(f.text.lower())}%"
        clauses.append(
            sa.or_(
                sa.func.lower(a.target).like(pattern, escape="\\"),
                sa.func.lower(a.details).like(pattern, escape="\\"),
            )
        )
    return clauses


def events_statement(f: AuditFilter, limit: int = 100, offset: int = 0) -> sa.Select:
    """One page of matching audit rows, newest first (limit capped at `MAX_PAGE`)."""
    a = audit_events.c
    return (
        sa.select(*(a[c] for c in COLUMNS))
        .where(*conditions(f))
        .order_by(a.at.desc(), a.event_id.desc())
        .limit(min(max(limit, 1), MAX_PAGE))
        .offset(max(offset, 0))
    )


def events(engine: Engine, f: AuditFilter, limit: int = 100, offset: int = 0) -> pd.DataFrame:
    """One page of matching audit rows, newest first."""
    return fetch_frame(engine, events_statement(f, limit, offset))


def count(engine: Engine, f: AuditFilter) -> int:
    """How many audit rows match `f`."""
    stmt = sa.select(sa.func.count().label("n")).select_from(audit_events).where(*conditions(f))
    row = fetch_one(engine, stmt)
    return 0 if row is None else int(row["n"])


def export_rows(engine: Engine, f: AuditFilter) -> pd.DataFrame:
    """The matching rows for an export: the newest `MAX_EXPORT` at most, newest first."""
    a = audit_events.c
    stmt = (
        sa.select(*(a[c] for c in COLUMNS))
        .where(*conditions(f))
        .order_by(a.at.desc(), a.event_id.desc())
        .limit(MAX_EXPORT)
    )
    return fetch_frame(engine, stmt)


def actors(engine: Engine, limit: int = 500, own: str | None = None) -> list[str]:
    """The names that appear as actors in the trail, sorted (bounded); only `own` if given."""
    a = audit_events.c
    stmt = sa.select(a.actor).distinct().order_by(a.actor).limit(limit)
    if own is not None:
        stmt = stmt.where(a.actor == own)
    return [str(v) for v in fetch_frame(engine, stmt)["actor"]]
