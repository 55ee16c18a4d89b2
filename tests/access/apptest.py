"""Driving the app as a given user (or nobody) with AppTest, and reading what the gate did."""

from __future__ import annotations

import html
import re
from pathlib import Path

import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from dashboard.i18n.catalogue import t
from tests.signin import give_cookie, sign_in
from warehouse.portal import portal_engine, portal_url, sessions, utc_now
from warehouse.portal.audit import audit_events
from warehouse.settings import warehouse_url

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
REFUSED = "您没有访问"
TOKEN = re.compile(r'data-token="([^"]+)"')  # the start of t("auth.refused", "zh")


def open_as(
    script: str,
    roles: tuple[str, ...] | None,
    *,
    username: str = "tester",
    branches: tuple[str, ...] | None = None,
    params: dict[str, str | list[str]] | None = None,
) -> AppTest:
    """Open `pages/<script>` signed in with `roles` (None: nobody signed in)."""
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if roles is not None:
        sign_in(at, username=username, roles=roles, branches=branches)
    at.run()
    return at.switch_page(f"../pages/{script}").run()


def shows_sign_in_form(at: AppTest) -> bool:
    """True when the sign-in form (username and password fields) is on the page."""
    keys = {w.key for w in at.text_input}
    return {"auth_username", "auth_password"} <= keys


def refusal(at: AppTest) -> str | None:
    """The refusal message shown, if any."""
    found = [e.value for e in at.error if REFUSED in e.value]
    return found[0] if found else None


def nav_titles(at: AppTest) -> list[str]:
    """Labels of the page links in the sidebar (the navigation the user is offered)."""
    return [el.proto.label for el in at.sidebar.get("page_link")]


def submit_sign_in(at: AppTest, username: str, password: str) -> AppTest:
    """Fill the sign-in form and press its button; on success, do what the browser does next."""
    at.text_input(key="auth_username").input(username)
    at.text_input(key="auth_password").input(password)
    button = next(b for b in at.button if b.label == t("auth.submit", "zh"))
    at = button.click().run()
    token = sign_in_token(at)
    if token is None:
        return at
    # The browser posts the token to /_postloan/session, which redeems it for the cookie.
    engine = portal_engine(portal_url(warehouse_url()))
    try:
        reference = sessions.redeem(engine, token, utc_now())
    finally:
        engine.dispose()
    assert reference is not None, "the sign-in token was refused"
    give_cookie(at, reference)
    return at.run()


def sign_in_token(at: AppTest) -> str | None:
    """The one-time token a successful sign-in hands the browser (None: no such hand-over)."""
    for element in at.get("html"):
        found = TOKEN.search(element.proto.body)
        if found:
            return html.unescape(found.group(1))
    return None


def audit_trail(warehouse: str, actor: str) -> list[tuple[str, str, str]]:
    """(action, target, details) of `actor`'s audit rows in the store of `warehouse`, in order."""
    engine = portal_engine(portal_url(warehouse))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(audit_events.c.action, audit_events.c.target, audit_events.c.details)
                .where(audit_events.c.actor == actor)
                .order_by(audit_events.c.event_id)
            ).all()
    finally:
        engine.dispose()
    return [tuple(r) for r in rows]
