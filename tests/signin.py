"""Signing tests in: a signed-in session for AppTest, and real accounts for the browser server.

AppTest: `sign_in(at, ...)` creates (or updates) the account in the portal store of the warehouse
in force ($POSTLOAN_WAREHOUSE_URL, as the app reads it) and puts the signed-in session into `at`
before `at.run()`; the guard re-reads the account on every run, so it must really exist.

Browser: `BROWSER_ACCOUNTS` are created with `postloan user add … --password-stdin` against the
browser server's warehouse (fixture `browser_accounts`); `browser_sign_in` fills the sign-in form.
A Streamlit session lives as long as the browser tab's connection, so sign in after every `goto`.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.access import SESSION_KEY, TIMES_KEY, SessionTimes, User, user_of
from warehouse.portal import portal_engine, portal_url, utc_now
from warehouse.portal.users import add_account, get_account, set_disabled, update_account
from warehouse.settings import warehouse_url

ROOT = Path(__file__).resolve().parent.parent
POSTLOAN = str(Path(sys.executable).parent / "postloan")
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


def sign_in(
    at: AppTest,
    username: str = "tester",
    roles: tuple[str, ...] = ("executive",),
    branches: tuple[str, ...] | None = None,
    *,
    signed_in_at: datetime | None = None,
    last_seen: datetime | None = None,
) -> User:
    """Put a signed-in session for `username` into `at` (call before `at.run()`)."""
    user = ensure_account(warehouse_url(), username, roles, branches)
    now = utc_now()
    start = signed_in_at or now
    at.session_state[SESSION_KEY] = user
    at.session_state[TIMES_KEY] = SessionTimes(start, last_seen or start, "password")
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

    page.goto(f"{base_url}/{path.lstrip('/')}")
    form = page.locator('[data-testid="stForm"]')
    form.wait_for(timeout=30_000)
    page.get_by_label("用户名 Username").or_(page.get_by_label("Username 用户名")).fill(username)
    page.get_by_label("密码 Password").or_(page.get_by_label("Password 密码")).fill(password)
    form.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stForm\"]')", timeout=30_000
    )
    settle(page)
