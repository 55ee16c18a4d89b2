"""Signing tests in: a signed-in session for AppTest, and real accounts for the browser server.

AppTest: `sign_in(at, ...)` creates (or updates) the account in the portal store of the warehouse
in force ($POSTLOAN_WAREHOUSE_URL, as the app reads it), records a signed-in web session for it in
that store and gives `at` the session's cookie value before `at.run()`. AppTest has no HTTP
connection, so `st.context.cookies` is empty there: `use_apptest_cookies()` makes the app read the
cookie from the user info AppTest seeds for every run (`at.user[APPTEST_COOKIE]`, which a sign-out
clearing the session state leaves alone, as a browser keeps its cookie); the server-side checks
(timeouts, revocation, account changes) run exactly as in production.

Browser: `BROWSER_ACCOUNTS` are created with `postloan user add … --password-stdin` against the
browser server's warehouse (fixture `browser_accounts`); `browser_sign_in` fills the sign-in form.
The session cookie keeps a browser context signed in across pages; `browser_sign_in` clears the
context's cookies first, so it always signs in afresh as the given user.
"""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard.access import session_cookie
from dashboard.access.user import User, user_of
from warehouse.portal import portal_engine, portal_url, sessions, utc_now
from warehouse.portal.users import add_account, get_account, set_disabled, update_account
from warehouse.settings import warehouse_url

ROOT = Path(__file__).resolve().parent.parent
POSTLOAN = str(Path(sys.executable).parent / "postloan")
APPTEST_COOKIE = "postloan_test_cookie"
TEST_PASSWORD = "test-password-0123"  # noqa: S105 - a throwaway account of a test store
ALL_ROLES = ("executive", "risk_committee", "compliance", "admin")

# username -> (roles, branches); one account per role, one holding every role.
BROWSER_ACCOUNTS: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    "exec": (("executive",), None),
    "risk": (("risk_committee",), None),
    "compliance": (("compliance",), None),
    "admin1": (("admin",), None),
    "everyone": (ALL_ROLES, None),
}


def ensure_account(
    url: str,
    username: str,
    roles: tuple[str, ...],
    branches: tuple[str, ...] | None = None,
    password: str = TEST_PASSWORD,
) -> User:
    """The account `username` in the portal store of warehouse `url`, as given (created once)."""
    engine = portal_engine(portal_url(url))
    try:
        if get_account(engine, username) is None:
            account = add_account(
                engine, username, password, roles, branches=branches, actor="test"
            )
        else:
            update_account(engine, username, roles=roles, branches=branches, actor="test")
            account = set_disabled(engine, username, False, actor="test")
    finally:
        engine.dispose()
    return user_of(account)


def _apptest_cookie() -> str | None:
    value = st.user.get(APPTEST_COOKIE)
    return value if isinstance(value, str) else None


def use_apptest_cookies() -> None:
    """Make the app read its session cookie from the AppTest's session state (see above)."""
    session_cookie.reader = _apptest_cookie


def give_cookie(at: AppTest, reference: str) -> None:
    """Let `at`'s next runs carry the session cookie `reference`."""
    use_apptest_cookies()
    at.user[APPTEST_COOKIE] = reference


def sign_in(
    at: AppTest,
    username: str = "tester",
    roles: tuple[str, ...] = ("executive",),
    branches: tuple[str, ...] | None = None,
    *,
    signed_in_at: datetime | None = None,
    last_seen: datetime | None = None,
) -> User:
    """Sign `username` in for `at` (call before `at.run()`): a web session and its cookie."""
    user = ensure_account(warehouse_url(), username, roles, branches)
    start = signed_in_at or utc_now()
    engine = portal_engine(portal_url(warehouse_url()))
    try:
        token = sessions.begin(
            engine, username, "password", start, signed_in_at=start, last_seen=last_seen
        )
        reference = sessions.redeem(engine, token, start)
    finally:
        engine.dispose()
    assert reference is not None
    give_cookie(at, reference)
    return user


def create_user_cli(
    url: str,
    username: str,
    roles: tuple[str, ...],
    branches: tuple[str, ...] | None = None,
    password: str = TEST_PASSWORD,
) -> None:
    """`postloan user add` against warehouse `url`, password on stdin (the documented way)."""
    args = [POSTLOAN, "user", "add", username, "--roles", ",".join(roles), "--password-stdin"]
    if branches is not None:
        args += ["--branches", ",".join(branches)]
    args += ["--warehouse", url]
    subprocess.run(args, input=f"{password}\n", text=True, check=True, cwd=ROOT, timeout=120)


def create_browser_accounts(url: str) -> dict[str, str]:
    """Create `BROWSER_ACCOUNTS` in the store of warehouse `url`; username -> password."""
    for username, (roles, branches) in BROWSER_ACCOUNTS.items():
        create_user_cli(url, username, roles, branches)
    return dict.fromkeys(BROWSER_ACCOUNTS, TEST_PASSWORD)


def browser_sign_in(page, base_url: str, username: str, password: str, path: str = "") -> None:
    """Open `base_url/path`, sign in through the form and wait for the page to render."""
    from tests.browser.helpers import settle

    page.context.clear_cookies()
    page.goto(f"{base_url}/{path.lstrip('/')}")
    form = page.locator('[data-testid="stForm"]')
    form.wait_for(timeout=30_000)
    page.get_by_label("用户名 Username").or_(page.get_by_label("Username 用户名")).fill(username)
    page.get_by_label("密码 Password").or_(page.get_by_label("Password 密码")).fill(password)
    form.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    # The server sets the cookie and reloads the page: signed in, the sidebar offers sign-out.
    signed_in(page).wait_for(timeout=30_000)
    settle(page)


def signed_in(page):
    """The sidebar's sign-out button: there only while the page's user is signed in."""
    return page.locator('[data-testid="stSidebar"]').get_by_role(
        "button", name=re.compile("退出登录|Sign out")
    )
