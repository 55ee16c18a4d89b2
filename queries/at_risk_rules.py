"""The watch settings and as-of a build recorded, which decide whether its flags answer a list.

The rules themselves, `WatchParams` and `params_from` live in the warehouse layer
(`warehouse.marts.watch_rules`), because the build stores their flags in `contract_watch`; they
are re-exported here for the queries that read them.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from warehouse import schema
from warehouse.marts.watch_rules import WatchParams, params_from

__all__ = ["WatchParams", "build_as_of", "params_from", "watch_params"]


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
