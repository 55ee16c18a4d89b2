"""Cached loaders: the only path from pages to `queries/`.

The engine is a cached resource per URL; data caches are bounded (ttl, max_entries) and keyed on
the latest load id, so a new load is picked up within `LOAD_TTL` seconds and old entries expire.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import Engine

from queries import book
from queries.filters import BookFilter
from queries.loads import LoadInfo, latest_load, missing_layout
from warehouse.engine import create_warehouse_engine, duckdb_path, is_duckdb
from warehouse.settings import ROOT, warehouse_url

LOAD_TTL = 15  # seconds: how soon a finished load shows up
DATA_TTL = 3600
STALE_SHOWN = 5  # missing tables or columns named on screen


class StoreUnavailable(RuntimeError):
    """A store the dashboard reads (the warehouse or the portal store) cannot be read now.

    `str(exc)` is the whole reason; `detail` the short one a page shows (the driver error's class
    name, or the warehouse status when there is no load to read).
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail or message


@contextmanager
def reading() -> Iterator[None]:
    """Raise the driver's errors inside the block as StoreUnavailable (the one error pages catch)."""
    try:
        yield
    except sa.exc.SQLAlchemyError as exc:
        raise StoreUnavailable(str(exc), type(exc).__name__) from exc


@dataclass(frozen=True)
class WarehouseState:
    """What the dashboard can show: `ok`, `missing`, `empty`, `stale` (written by an older
    version) or `unreachable` (with a detail)."""

    status: str
    url: str
    load: LoadInfo | None = None
    detail: str = ""


def _dispose(engine: Engine) -> None:
    engine.dispose()


def loaded(state: WarehouseState) -> int:
    """The id of the state's load (StoreUnavailable when the warehouse has none to read)."""
    if state.load is None:
        raise StoreUnavailable(f"no load to read: warehouse is {state.status}", state.status)
    return state.load.load_id


@st.cache_resource(max_entries=4, show_spinner=False, on_release=_dispose)
def warehouse_engine(url: str) -> Engine:
    """A read-only engine on the warehouse at `url`, shared by all sessions."""
    return create_warehouse_engine(url, read_only=True)


@st.cache_data(ttl=LOAD_TTL, max_entries=8, show_spinner=False)
def _latest_load(_engine: Engine, url: str) -> LoadInfo | None:
    return latest_load(_engine)


@st.cache_data(ttl=DATA_TTL, max_entries=8, show_spinner=False)
def _missing_layout(_engine: Engine, url: str, load_id: int) -> list[str]:
    return missing_layout(_engine)


def _missing_file(url: str) -> Path | None:
    if not is_duckdb(url):
        return None
    path = duckdb_path(url)
    return path if path is not None and not path.exists() else None


def _display_path(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def warehouse_state() -> WarehouseState:
    """The warehouse in force and its latest load, or why there is nothing to show."""
    url = warehouse_url()
    missing = _missing_file(url)
    if missing is not None:
        return WarehouseState("missing", url, detail=_display_path(missing))
    try:
        load = _latest_load(warehouse_engine(url), url)
        missing = [] if load is None else _missing_layout(warehouse_engine(url), url, load.load_id)
    except sa.exc.SQLAlchemyError as exc:
        return WarehouseState("unreachable", url, detail=type(exc).__name__)
    if load is None:
        return WarehouseState("empty", url)
    if missing:
        shown = ", ".join(missing[:STALE_SHOWN]) + (" …" if len(missing) > STALE_SHOWN else "")
        return WarehouseState("stale", url, detail=shown)
    return WarehouseState("ok", url, load=load)


@st.cache_data(ttl=DATA_TTL, max_entries=64, show_spinner=False)
def _headline(
    _engine: Engine, url: str, load_id: int, month_end: date, scope: tuple[str, ...] | None
) -> pd.DataFrame:
    return book.headline(_engine, BookFilter(month_end=month_end, scope=scope))


def headline(
    state: WarehouseState, month_end: date, scope: tuple[str, ...] | None = None
) -> dict[str, object]:
    """Headline counts at `month_end` for the state's load within the branch `scope`, as a dict."""
    load_id = loaded(state)
    frame = _headline(warehouse_engine(state.url), state.url, load_id, month_end, scope)
    return frame.iloc[0].to_dict()
