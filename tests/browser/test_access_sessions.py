"""Sessions bound to an HttpOnly cookie, attacked in real Chromium and from a bare websocket.

A signed-in tab's Streamlit session id, replayed from a client without the cookie, gets the
sign-in form; a reload, a new tab and a pasted link stay signed in; a deep link opened while
signed out lands on its page after sign-in; signing out revokes the cookie's session on the server
(the old cookie, replayed, gets the form); an idle tab past the timeout clears itself without a
click. The idle test moves the session's last activity back in the store (the server's clock is
the wall clock; nothing sleeps) and waits for the page to change.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa

from dashboard.access.http_session import COOKIE
from dashboard.access.session_cookie import WATCH_SECONDS
from dashboard.i18n.catalogue import t
from tests.access.apptest import audit_trail
from tests.browser.helpers import assert_no_exception, settle
from tests.browser.replay import SessionIds, replay
from tests.signin import TEST_PASSWORD, browser_sign_in, signed_in
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.sessions import web_sessions

pytestmark = pytest.mark.browser

OVERVIEW = t("page.overview", "zh")
FORM = t("auth.username", "zh")
# What only a signed-in page shows: the account box, the data banner, the overview's indicators.
DATA = ("当前用户", "数据截至", t("ov.kpis", "zh"))
FORM_SELECTOR = '[data-testid="stForm"]'


def _session_cookie(page) -> dict:
    found = [c for c in page.context.cookies() if c["name"] == COOKIE]
    assert len(found) == 1, page.context.cookies()
    return found[0]


def _h1(page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text()


def test_a_replayed_session_id_without_the_cookie_gets_the_sign_in_form(
    server_url: str, server_warehouse: str, page
) -> None:
    ids = SessionIds(page)
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, "overview")
    assert _h1(page) == OVERVIEW
    shown = replay(server_url, ids.last(), "overview")
    assert FORM in shown
    assert not [mark for mark in DATA if mark in shown], shown[:2000]
    action, _, details = audit_trail(server_warehouse, "exec")[-1]
    assert action == "sign_out" and '"reason": "no_cookie"' in details


def test_the_cookie_is_http_only_strict_and_out_of_reach_of_scripts(server_url: str, page) -> None:
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, "overview")
    cookie = _session_cookie(page)
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert COOKIE not in page.evaluate("document.cookie")
    assert "token" not in page.url and "password" not in page.url.lower()


def test_reload_new_tab_and_pasted_link_stay_signed_in(server_url: str, page) -> None:
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, "overview")
    page.reload()
    signed_in(page).wait_for(timeout=30_000)
    settle(page)
    assert _h1(page) == OVERVIEW
    tab = page.context.new_page()
    tab.goto(f"{server_url}/contracts?bucket=M1")
    signed_in(tab).wait_for(timeout=30_000)
    settle(tab)
    assert _h1(tab) == t("page.contracts", "zh")
    assert tab.locator(FORM_SELECTOR).count() == 0
    assert parse_qs(urlparse(tab.url).query)["bucket"] == ["M1"]
    assert_no_exception(tab)
    tab.close()


def test_a_deep_link_opened_signed_out_lands_on_its_page_after_sign_in(
    server_url: str, page
) -> None:
    page.goto(f"{server_url}/contracts?bucket=M1")
    form = page.locator(FORM_SELECTOR)
    form.wait_for(timeout=30_000)
    page.get_by_label(FORM).fill("exec")
    page.get_by_label(t("auth.password", "zh")).fill(TEST_PASSWORD)
    form.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    signed_in(page).wait_for(timeout=30_000)
    settle(page)
    assert _h1(page) == t("page.contracts", "zh")
    assert urlparse(page.url).path == "/contracts"
    assert parse_qs(urlparse(page.url).query)["bucket"] == ["M1"]


def test_sign_out_revokes_the_cookie_session_on_the_server(server_url: str, page, browser) -> None:
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, "overview")
    stolen = _session_cookie(page)
    signed_in(page).click()
    page.locator(FORM_SELECTOR).wait_for(timeout=30_000)
    # Another browser presents the old cookie: the server ended that session, so it signs nobody in.
    other = browser.new_context()
    try:
        other.add_cookies([stolen])
        tab = other.new_page()
        tab.goto(f"{server_url}/overview")
        tab.locator(FORM_SELECTOR).wait_for(timeout=30_000)
        settle(tab)
        text = tab.locator('[data-testid="stApp"]').inner_text()
        assert not [mark for mark in DATA if mark in text]
    finally:
        other.close()


def test_an_idle_tab_clears_itself_without_a_click(
    server_url: str, server_warehouse: str, page
) -> None:
    browser_sign_in(page, server_url, "risk", TEST_PASSWORD, "overview")
    assert page.locator('[data-testid="stMetric"]').count() > 0
    engine = portal_engine(portal_url(server_warehouse))
    try:  # the tab's last activity, moved 31 minutes back: past the 30-minute idle limit
        with engine.begin() as conn:
            alive = web_sessions.c.username == "risk", web_sessions.c.revoked_at.is_(None)
            for row in conn.execute(sa.select(web_sessions).where(*alive)).all():
                back = timedelta(minutes=31)
                conn.execute(
                    web_sessions.update()
                    .where(web_sessions.c.session_id == row.session_id)
                    .values(last_seen=row.last_seen - back, signed_in_at=row.signed_in_at - back)
                )
    finally:
        engine.dispose()
    # No click: the tab's own check (every WATCH_SECONDS) finds the session over and reruns.
    page.locator(FORM_SELECTOR).wait_for(timeout=(WATCH_SECONDS * 3 + 30) * 1000)
    settle(page)
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert "30 分钟无操作" in page.locator('[data-testid="stMain"]').inner_text()
    action, _, details = audit_trail(server_warehouse, "risk")[-1]
    assert action == "session_expired" and '"reason": "idle"' in details
