"""Single sign-on through `st.login` (OIDC): the identity provider's claims as a portal User.

Enabled when `.streamlit/secrets.toml` has an `[auth]` section. Roles come from the claim named
by `access.oidc_roles_claim` (a list, or a comma/space separated string); only known roles count,
so a user with none gets nothing. The branch scope comes from `access.oidc_branches_claim`:
absent = every branch, present = exactly those branches (an empty list = none, fail closed).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import streamlit as st

from dashboard.access.user import ROLES, User


def _values(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        items = raw.replace(",", " ").split()
    elif isinstance(raw, list | tuple | set | frozenset):
        items = [str(v).strip() for v in raw]
    else:
        items = [str(raw)]
    return tuple(v for v in items if v)


def claims_user(claims: Mapping[str, object], roles_claim: str, branches_claim: str) -> User:
    """The User the claims describe (roles may be empty: such a user is refused everywhere)."""
    roles = frozenset(r for r in _values(claims.get(roles_claim)) if r in ROLES)
    branches = (
        tuple(sorted(set(_values(claims.get(branches_claim)))))
        if branches_claim in claims
        else None
    )
    username = str(
        claims.get("preferred_username") or claims.get("email") or claims.get("sub") or "?"
    )[:64]
    display = str(claims.get("name") or username)
    return User(username=username, display_name=display, roles=roles, branches=branches)


def signed_in_at(claims: Mapping[str, object], default: datetime) -> datetime:
    """When the identity provider authenticated the user (naive UTC): `auth_time`, else `iat`.

    A reload opens a new Streamlit session; taking the time from the token keeps the absolute
    timeout from restarting with it. Missing or unreadable claims give `default`.
    """
    for claim in ("auth_time", "iat"):
        value = claims.get(claim)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)
    return default


def configured() -> bool:
    """True when `[auth]` is set up in secrets.toml (Streamlit then reports `is_logged_in`)."""
    try:
        return "is_logged_in" in st.user
    except Exception:  # no auth section or no script context: not configured
        return False


def signed_in_claims() -> dict[str, object] | None:
    """The identity provider's claims of this browser session, when signed in through SSO."""
    if not configured() or not st.user.get("is_logged_in"):
        return None
    return dict(st.user.to_dict())
