"""The Streamlit side of the session cookie: read it from this run's connection, hand the browser
its one-time token, and watch an open tab so that it clears itself when its session ends.

The cookie is HttpOnly: no script, ours included, can read it. Streamlit reads it from the request
that opened this run's websocket (`st.context.cookies`), so a client that replays someone else's
session id over its own websocket brings no cookie, or its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from html import escape

import streamlit as st

from dashboard.access.http_session import COOKIE, SCRIPT_PATH, SESSION_PATH

# How often an open tab re-checks its session without a click: the longest a page stays on
# screen past its idle or absolute limit, or after a sign-out in another tab.
WATCH_SECONDS = 15


def connection_cookie() -> str | None:
    """The session reference in the cookie of this run's connection, if any."""
    try:
        value = st.context.cookies.get(COOKIE)
    except (AttributeError, RuntimeError, TypeError):  # no connection (a bare script run)
        return None
    return value if isinstance(value, str) and value else None


# What the gate calls; AppTest has no HTTP connection, so tests/signin.py swaps in a reader.
reader: Callable[[], str | None] = connection_cookie


def current_cookie() -> str | None:
    """The session reference this run carries."""
    return reader()


def continue_to_session(token: str, message: str) -> None:
    """Have the browser post `token` to the server, which sets the cookie and reloads the page."""
    st.info(message, icon=":material/login:")
    st.html(
        f'<script src="{SCRIPT_PATH}" data-action="{SESSION_PATH}" '
        f'data-token="{escape(token, quote=True)}"></script>',
        unsafe_allow_javascript=True,
    )


def watch(still_alive: Callable[[], bool]) -> None:
    """Re-check the session every `WATCH_SECONDS` without a click; rerun the page when it ended."""

    @st.fragment(run_every=timedelta(seconds=WATCH_SECONDS))
    def _watch() -> None:
        if not still_alive():
            st.rerun(scope="app")

    with st.sidebar:
        _watch()
