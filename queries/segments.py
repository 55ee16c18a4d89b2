"""Sidebar choices: the distinct values of each filter dimension, and the month-ends on offer."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import tiers
from queries.execute import fetch_frame
from queries.filters import SEGMENTS, dimension
from warehouse.schema import month_ends, portfolio_month
from warehouse.schema import segment_values as values_table


def segment_values(engine: Engine) -> pd.DataFrame:
    """One row per (dimension, value) of every segment dimension, sorted; from the summary."""
    if tiers.USE_SUMMARIES:
        stmt = sa.select(values_table.c.dimension, values_table.c.value)
        frame = fetch_frame(engine, stmt.order_by(values_table.c.dimension, values_table.c.value))
        return frame.sort_values(["dimension", "value"], ignore_index=True)
    t = portfolio_month
    parts = [
        sa.select(sa.literal(name).label("dimension"), dimension(t, name).label("value")).distinct()
        for name in SEGMENTS
    ]
    frame = fetch_frame(engine, sa.union_all(*parts))
    return frame.sort_values(["dimension", "value"], ignore_index=True)


def choices(engine: Engine) -> dict[str, list[str]]:
    """dimension -> its sorted values (every dimension present, possibly empty)."""
    frame = segment_values(engine)
    return {name: list(frame.loc[frame["dimension"] == name, "value"]) for name in SEGMENTS}


def available_month_ends(engine: Engine) -> pd.DataFrame:
    """The month-ends the book spans (for the as-of selector and the cohort range), oldest first."""
    return fetch_frame(engine, sa.select(month_ends.c.month_end).order_by(month_ends.c.month_end))
