"""The watch settings and as-of a build recorded, which decide whether its flags answer a list.

The rules themselves, `WatchParams` and `params_from` live in the warehouse layer
(`warehouse.marts.watch_rules`), because the build stores their flags in `contract_watch`; they
are re-exported here for the queries that read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame, fetch_one
from warehouse import schema
from warehouse.marts.watch_rules import WatchParams, params_from
from warehouse.months import month_idx
from warehouse.settings import SETTINGS

__all__ = [
    "ScoreStatus",
    "WatchParams",
    "build_as_of",
    "params_from",
    "score_cutoff",
    "score_status",
    "watch_params",
]

CUTOFF_KEY = "early_warning.score_cutoff"
DEFAULT_CUTOFF = Decimal(str(next(s.default for s in SETTINGS if s.key == CUTOFF_KEY)))


def build_as_of(engine: Engine) -> date | None:
    """The as-of of the last build (`build_settings`), None before any build."""
    bs = schema.build_settings
    stmt = sa.select(bs.c.value).where(bs.c.key == "as_of")
    try:
        found = fetch_frame(engine, stmt)
    except sa.exc.SQLAlchemyError:
        return None
    return date.fromisoformat(str(found.iloc[0, 0])) if len(found) else None


def watch_params(engine: Engine) -> WatchParams:
    """The watch settings recorded by the last build (`build_settings`), else the defaults."""
    bs = schema.build_settings
    stmt = sa.select(bs.c.key, bs.c.value).where(bs.c.key.like("watch.%"))
    try:
        found = dict(fetch_frame(engine, stmt).itertuples(index=False, name=None))
    except sa.exc.SQLAlchemyError:
        found = {}
    return params_from(found)


def score_cutoff(engine: Engine) -> Decimal:
    """The early-warning score cut-off recorded by the last build (`build_settings`), else the
    default: a contract scored at or above it meets the at-risk rule `score`."""
    bs = schema.build_settings
    stmt = sa.select(bs.c.value).where(bs.c.key == CUTOFF_KEY)
    try:
        found = fetch_frame(engine, stmt)
    except sa.exc.SQLAlchemyError:
        return DEFAULT_CUTOFF
    return Decimal(str(found.iloc[0, 0])) if len(found) else DEFAULT_CUTOFF


@dataclass(frozen=True)
class ScoreStatus:
    """What the last build's early-warning step did, and whether it scored a given month-end."""

    outcome: str  # scored, no_model, refused, skipped (`warehouse.marts.ew_scores.OUTCOMES`)
    version: str | None
    months: int  # month-ends it scored
    message: str  # the line it printed
    scored_here: bool  # the month-end asked about has scores


def score_status(engine: Engine, as_of: date) -> ScoreStatus | None:
    """The last build's early-warning outcome (`ew_score_log`) and whether `ew_scores` holds the
    month-end `as_of`; None for a warehouse built before scores existed."""
    log, ew = schema.ew_score_log, schema.ew_scores
    try:
        last = fetch_one(engine, sa.select(log).order_by(log.c.run_id.desc()).limit(1))
        here = fetch_one(
            engine,
            sa.select(sa.func.count().label("n")).where(ew.c.month_idx == month_idx(as_of)),
        )
    except sa.exc.SQLAlchemyError:
        return None
    if last is None:
        return None
    return ScoreStatus(
        outcome=str(last["outcome"]),
        version=None if last["model_version"] is None else str(last["model_version"]),
        months=int(last["month_ends"]),
        message=str(last["message"]),
        scored_here=bool(here and int(here["n"]) > 0),
    )
