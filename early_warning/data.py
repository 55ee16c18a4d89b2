"""The training and scoring frames: month-end features read from the warehouse, typed for models.

The statement is `warehouse.marts.ew_features.feature_statement`; `queries.execute.fetch_frame`
runs it, as it runs every page's statement.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame, fetch_one
from warehouse import schema
from warehouse.marts.ew_features import CATEGORICAL, NUMERIC, TARGET, feature_statement
from warehouse.months import month_end_of

# Fewer defaults than this in a training window make a model that cannot be trusted.
MIN_DEFAULTS = 50


class NotEnoughData(ValueError):
    """The warehouse holds too few months, rows or defaults to train or evaluate a model."""


def built_to(engine: Engine) -> int | None:
    """The month index of the last month-end the build reached (its as-of); None: not built."""
    me = schema.month_ends
    row = fetch_one(engine, sa.select(sa.func.max(me.c.month_idx).label("last")))
    return None if row is None or row["last"] is None else int(row["last"])


def built_from(engine: Engine) -> int | None:
    """The month index of the first month-end the build reached; None: not built."""
    me = schema.month_ends
    row = fetch_one(engine, sa.select(sa.func.min(me.c.month_idx).label("first")))
    return None if row is None or row["first"] is None else int(row["first"])


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Numeric features as float64 (missing = NaN), segments as text, the target as float."""
    out = frame.copy()
    for name in NUMERIC:
        out[name] = pd.to_numeric(out[name], errors="coerce").astype(np.float64)
    for name in CATEGORICAL:
        out[name] = out[name].astype(str)
    out[TARGET] = pd.to_numeric(out[TARGET], errors="coerce").astype(np.float64)
    out["month_idx"] = out["month_idx"].astype(np.int64)
    return out


def load_features(
    engine: Engine, first_idx: int, last_idx: int, lag_months: int = 0
) -> pd.DataFrame:
    """The performing contract-months `first_idx` … `last_idx` with features and target."""
    return typed(fetch_frame(engine, feature_statement(first_idx, last_idx, lag_months)))


def require_defaults(frame: pd.DataFrame, what: str, minimum: int = MIN_DEFAULTS) -> None:
    """Raise `NotEnoughData` in words unless `frame` has `minimum` defaults and as many
    non-defaults among its rows with a known target."""
    known = frame[frame[TARGET].notna()]
    bad = int(known[TARGET].sum())
    good = len(known) - bad
    if bad < minimum or good < minimum:
        months = ""
        if len(known):
            lo, hi = known.month_idx.min(), known.month_idx.max()
            months = f" (month-ends {month_end_of(lo):%Y-%m} to {month_end_of(hi):%Y-%m})"
        raise NotEnoughData(
            f"{what}: {bad} defaults (90+ DPD or written off within 6 months) and {good} "
            f"non-defaults among {len(known)} contract-months with a known outcome{months}; "
            f"at least {minimum} of each are needed"
        )
