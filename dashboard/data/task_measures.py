"""The measures view's data: who sees which departments, the window of today's clock, and the
measures themselves (portal store and warehouse), cached briefly.

Portal-store measures are cached for `TTL` seconds on their exact arguments (a task closed a
minute ago shows within a minute); the warehouse's cure / roll-forward goes through the one
registry of pages' queries (`dashboard.data.cached.query_as`), keyed on the load.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from dashboard.access.user import User
from dashboard.data import cached, portal_store
from dashboard.data.source import WarehouseState
from dashboard.page.format import zone
from queries import task_measures as tm
from queries.filters import Filters
from tasks import measures
from tasks.strategy import Strategy, current
from warehouse.portal import utc_now
from warehouse.portal.departments import department_of

TTL = 60  # seconds
MANAGERS: frozenset[str] = frozenset({"executive", "risk_committee", "admin"})
"""Roles that see every department's measures; anyone else sees their own department's."""

_PORTAL: dict[str, object] = {
    "sla": tm.sla_adherence,
    "sla_tasks": tm.sla_tasks,
    "ageing": tm.open_ageing,
    "ageing_tasks": tm.ageing_tasks,
}


def now() -> datetime:
    """The clock the measures are judged by (naive UTC); tests replace it."""
    return utc_now()


def departments_for(user: User) -> tuple[str, ...] | None:
    """The departments whose measures `user` sees: None = all (a manager), () = none (no
    department set), else the user's own."""
    if user.has_any(MANAGERS):
        return None
    own = department_of(portal_store.portal(), user.username)
    return () if own is None else (own,)


def window(user: User, first: date, last: date, departments: tuple[str, ...]) -> tm.TaskWindow:
    """The window of due dates `first`…`last` for `user` on today's clock (display zone)."""
    return measures.window(first, last, now(), zone(), departments=departments, scope=user.branches)


@st.cache_data(ttl=TTL, max_entries=128, show_spinner=False)
def _portal(_engine: Engine, url: str, name: str, w: tm.TaskWindow, options: tuple) -> pd.DataFrame:
    return _PORTAL[name](_engine, w, **dict(options))  # type: ignore[operator]


def portal_query(name: str, w: tm.TaskWindow, **options: object) -> pd.DataFrame:
    """The portal-store measure `name` ("sla", "sla_tasks", "ageing", "ageing_tasks") for `w`."""
    if name not in _PORTAL:
        raise ValueError(f"unknown task measure {name!r}")
    engine = portal_store.portal()
    key = tuple(sorted(options.items()))
    return _portal(engine, str(engine.url), name, w, key)


@st.cache_data(ttl=TTL, max_entries=4, show_spinner=False)
def _strategy(_engine: Engine, url: str) -> Strategy:
    return current(_engine, portal_store.settings())


def strategy() -> Strategy:
    """The strategy in force (the latest saved version, else `postloan.toml`)."""
    engine = portal_store.portal()
    return _strategy(engine, str(engine.url))


def step_outcomes(
    user: User, state: WarehouseState, plan: Strategy, months: int, steps: tuple[str, ...] | None
) -> pd.DataFrame:
    """Cure and roll-forward by step over `months` month-ends to the latest load's as-of, in
    the user's branch scope; the rows of `steps` only (None = all). Every band stays in the
    CASE, so each contract-month keeps the step the whole strategy gives it."""
    filters = Filters(as_of=state.load.as_of, scope=user.branches)  # type: ignore[union-attr]
    frame = cached.query_as(
        user,
        state,
        "task_steps.step_outcomes",
        filters,
        bands=measures.step_bands(plan),
        months=months,
    )
    if steps is None:
        return frame
    return frame[frame["step"].isin(steps)].reset_index(drop=True)


def step_contracts(
    user: User, state: WarehouseState, plan: Strategy, months: int, step: str, outcome: str | None
) -> pd.DataFrame:
    """The contract-months behind one step's figure (one outcome, or all)."""
    filters = Filters(as_of=state.load.as_of, scope=user.branches)  # type: ignore[union-attr]
    return cached.query_as(
        user,
        state,
        "task_steps.step_outcome_contracts",
        filters,
        bands=measures.step_bands(plan),
        step=step,
        outcome=outcome,
        months=months,
    )


def rectification(w: tm.TaskWindow) -> tuple[pd.DataFrame, dict[int, bool]]:
    """Rectification items closed on time per department in `w` (T2's ledger), and the ids."""
    return measures.rectification_on_time(portal_store.portal(), w, zone())


def rectification_items(w: tm.TaskWindow, department: str | None) -> pd.DataFrame:
    """The rectification items behind one department's figure (or all)."""
    return measures.rectification_behind(portal_store.portal(), w, zone(), department)
