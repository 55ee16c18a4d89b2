"""Where this session comes from and what it is held to: client address, audit rows, limits."""

from __future__ import annotations

import streamlit as st

from dashboard.data import portal_store
from warehouse.portal import audit

# The sign-in form's one-line notice (why the last session ended), kept in session state.
NOTICE_KEY = "postloan.notice"


def client() -> dict[str, str]:
    """Where this session comes from, for the audit trail: address(es) and browser."""
    found: dict[str, str] = {}
    try:
        ip = st.context.ip_address
        headers = st.context.headers
    except (AttributeError, RuntimeError):
        return found
    if ip:
        found["ip"] = ip
    forwarded = headers.get("X-Forwarded-For") if headers else None
    if forwarded:  # behind the reverse proxy of docs/security.md, the real client comes first
        found["forwarded_for"] = forwarded[:200]
    agent = headers.get("User-Agent") if headers else None
    if agent:
        found["user_agent"] = agent[:200]
    return found


def audit_event(actor: str, action: str, target: str = "", **details: object) -> None:
    """Append an audit row for `actor`, with where the session comes from."""
    details = {**details, **client()}
    audit.record(portal_store.portal(), actor=actor, action=action, target=target, details=details)


def limits() -> dict[str, int]:
    """The session limits in force: `idle_minutes` and `absolute_hours`."""
    cfg = portal_store.settings()
    return {
        "idle_minutes": int(cfg["access.idle_minutes"]),
        "absolute_hours": int(cfg["access.absolute_hours"]),
    }
