"""Cached loaders for the analytics pages over the one allow-list of `queries.registry`.

Each call is cached on (warehouse URL, latest load id, query name, Filters, options), bounded by
`DATA_TTL` and `max_entries`, so a new load is read afresh and old entries expire.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from dashboard.access.gate import current_user
from dashboard.access.user import User, sees_personal_data
from dashboard.data.source import DATA_TTL, WarehouseState, loaded, warehouse_engine
from queries import segments
from queries.filters import Filters
from queries.personal_data import mask_personal
from queries.registry import QUERIES


@dataclass(frozen=True)
class Choices:
    """What the filter sidebar offers: month-ends of the book and each segment's values."""

    month_ends: tuple[date, ...]
    segments: dict[str, tuple[str, ...]]


@st.cache_data(ttl=DATA_TTL, max_entries=16, show_spinner=False)
def _choices(_engine: Engine, url: str, load_id: int) -> Choices:
    months = segments.available_month_ends(_engine)["month_end"]
    values = segments.choices(_engine)
    return Choices(tuple(months), {k: tuple(v) for k, v in values.items()})


def choices(state: WarehouseState) -> Choices:
    """The sidebar's choices for the state's load."""
    load_id = loaded(state)  # StoreUnavailable when there is no load to read
    return _choices(warehouse_engine(state.url), state.url, load_id)


@st.cache_data(ttl=DATA_TTL, max_entries=256, show_spinner=False)
def _run(
    _engine: Engine,
    url: str,
    load_id: int,
    name: str,
    filters: Filters,
    options: tuple[tuple[str, object], ...],
) -> pd.DataFrame:
    return QUERIES[name](_engine, filters, **dict(options))


def query(state: WarehouseState, name: str, filters: Filters, **options: object) -> pd.DataFrame:
    """The registered query `name` on the state's load, cached; personal data masked per user."""
    return query_as(current_user(), state, name, filters, **options)


def query_as(
    user: User | None, state: WarehouseState, name: str, filters: Filters, **options: object
) -> pd.DataFrame:
    """`query` for `user`: also right where no script run knows the session (a download's
    on-click builder runs outside it, so it masks for the user the page was drawn for)."""
    if name not in QUERIES:
        raise ValueError(f"unknown query {name!r}")
    load_id = loaded(state)
    key = tuple(sorted(options.items()))
    frame = _run(warehouse_engine(state.url), state.url, load_id, name, filters, key)
    # The cache is shared by all sessions: mask after it, for the user of this session.
    return mask_personal(frame, reveal=sees_personal_data(user))
