"""Who is signed in and what they may open: the check every page runs at its top.

The signed-in user lives in the Streamlit session under `SESSION_KEY`. `guard(script)` is the one
gate: it refuses (with a clear message, then `st.stop()`) anyone not signed in or holding none of
the roles the page declares in `dashboard.page_registry.PAGES`. Hidden pages still open by URL,
so the gate runs in the page itself, never only in the navigation.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

ROLES: tuple[str, ...] = ("executive", "risk_committee", "compliance", "admin")
SESSION_KEY = "postloan.user"


@dataclass(frozen=True)
class User:
    """A signed-in user: name, roles, and branch scope (None = every branch, () = none)."""

    username: str
    display_name: str
    roles: frozenset[str]
    branches: tuple[str, ...] | None = None

    def has_any(self, roles: frozenset[str] | set[str] | tuple[str, ...]) -> bool:
        """True when the user holds at least one of `roles`."""
        return bool(self.roles & frozenset(roles))


def current_user() -> User | None:
    """The user signed in to this session, if any."""
    user = st.session_state.get(SESSION_KEY)
    return user if isinstance(user, User) else None
