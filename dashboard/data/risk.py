"""Loaders and actions of the risk-committee pages: watch settings, watchlist, decisions, audit.

Warehouse reads go through `dashboard.data.cached.query` (cached, masked per user). The portal
store's watchlist and decisions are read fresh on every run (a decision shows at once), and every
decision is written by `warehouse.portal.decisions` for the signed-in user, with its audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import Engine

from dashboard.access.user import User
from dashboard.data import portal_store
from dashboard.data.source import DATA_TTL, WarehouseState, loaded, warehouse_engine
from queries.at_risk import WatchParams, watch_params
from queries.at_risk_rules import ScoreStatus, score_cutoff
from queries.at_risk_rules import score_status as read_score_status
from warehouse.portal import decisions
from warehouse.portal.audit import record

VIEWED_KEY = "postloan.dossier_viewed"


@st.cache_data(ttl=DATA_TTL, max_entries=8, show_spinner=False)
def _watch(_engine: Engine, url: str, load_id: int) -> WatchParams:
    return watch_params(_engine)


def watch_settings(state: WarehouseState) -> WatchParams:
    """The watch-rule settings recorded by the build of the state's load."""
    return _watch(warehouse_engine(state.url), state.url, loaded(state))


@st.cache_data(ttl=DATA_TTL, max_entries=16, show_spinner=False)
def _scores(_engine: Engine, url: str, load_id: int, as_of: date) -> ScoreStatus | None:
    return read_score_status(_engine, as_of)


def score_status(state: WarehouseState, as_of: date) -> ScoreStatus | None:
    """What the build of the state's load did about the early-warning score, and whether it
    scored the month-end `as_of` (None: a warehouse built before scores existed)."""
    return _scores(warehouse_engine(state.url), state.url, loaded(state), as_of)


@st.cache_data(ttl=DATA_TTL, max_entries=8, show_spinner=False)
def _cutoff(_engine: Engine, url: str, load_id: int) -> Decimal:
    return score_cutoff(_engine)


def cutoff(state: WarehouseState) -> Decimal:
    """The early-warning score cut-off recorded by the build of the state's load."""
    return _cutoff(warehouse_engine(state.url), state.url, loaded(state))


def watchlist() -> tuple[str, ...]:
    """The committee's watchlist now (never cached: a decision applies at once)."""
    return decisions.watchlist(portal_store.portal())


def contract_decisions(contract_id: str) -> pd.DataFrame:
    """Every committee decision on the contract, oldest first."""
    return decisions.decisions_for(portal_store.portal(), contract_id)


def audit_view(user: User, contract_id: str, found: bool) -> None:
    """Audit a dossier view once per session and contract (`action="dossier_view"`)."""
    seen: set[str] = st.session_state.setdefault(VIEWED_KEY, set())
    if contract_id in seen:
        return
    record(
        portal_store.portal(),
        actor=user.username,
        action="dossier_view",
        target=contract_id[:200],
        details={"found": found},
    )
    seen.add(contract_id)


def open_proposals_of_others(user: User) -> pd.DataFrame:
    """Open classification proposals that `user` did not make (they may review them), oldest first.

    Read fresh on every run; the caller keeps only contracts within the user's branch scope.
    """
    listed = decisions.open_proposals(portal_store.portal())
    if listed.empty:
        return listed
    own = listed["actor"].str.strip().str.casefold() == user.username.strip().casefold()
    return listed[~own].reset_index(drop=True)


@dataclass(frozen=True)
class Outcome:
    """What one decision did: its id, or the rule that refused it (`code`, message `values`)."""

    decision_id: int | None
    code: str = ""
    values: dict[str, object] = field(default_factory=dict)


def decide(user: User, act: Callable[..., int], **values: object) -> Outcome:
    """Run one decision function for `user`: its id, or the code of the rule that refused it."""
    try:
        return Outcome(act(portal_store.portal(), actor=user.username, roles=user.roles, **values))
    except decisions.DecisionError as exc:
        return Outcome(None, exc.code, dict(exc.values))
    except sa.exc.IntegrityError:  # another member resolved it at the same moment
        return Outcome(None, "conflict")


def as_of_of(state: WarehouseState) -> date:
    """The as-of month-end of the state's load."""
    return state.load.as_of  # type: ignore[union-attr]
