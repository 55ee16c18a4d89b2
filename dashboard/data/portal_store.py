"""The dashboard's handle on the portal store and the access settings (cached, bounded)."""

from __future__ import annotations

import contextlib

import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import Engine

from warehouse.portal import portal_engine, portal_url
from warehouse.portal.users import ensure_first_admin
from warehouse.settings import Settings, load_settings, warehouse_url

SETTINGS_TTL = 60  # seconds: how soon an edited settings file applies to sign-in and timeouts


def _dispose(engine: Engine) -> None:
    engine.dispose()


@st.cache_resource(max_entries=4, show_spinner=False, on_release=_dispose)
def _engine(url: str) -> Engine:
    return portal_engine(url)


def portal() -> Engine:
    """An engine on the portal store that goes with the warehouse in force (tables created)."""
    return _engine(portal_url(warehouse_url()))


@st.cache_resource(ttl=SETTINGS_TTL, max_entries=1, show_spinner=False)
def settings() -> Settings:
    """The settings in force (postloan.toml over the defaults), re-read every minute."""
    return load_settings()


@st.cache_resource(max_entries=4, show_spinner=False)
def _first_start(url: str) -> bool:
    password = ensure_first_admin(_engine(url))
    if password is not None:
        # Once, to the server's own stdout (what `make run` shows): never on a page, never logged.
        print(  # noqa: T201
            f"\n[postloan] first start: created user 'admin' (role admin) with password: "
            f"{password}\n[postloan] sign in and change it (postloan user reset-password admin).\n",
            flush=True,
        )
    return True


def first_start() -> None:
    """Create the first `admin` account when the store has none (once per server and store)."""
    # No reachable store: every page's guard says so and lets nobody in.
    with contextlib.suppress(sa.exc.SQLAlchemyError, ValueError):
        _first_start(portal_url(warehouse_url()))
