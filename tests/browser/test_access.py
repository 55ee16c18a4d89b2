"""Sign-in and roles in real Chromium: each role opens its pages, is refused the others, and a
deep link opened by nobody shows only the sign-in form (then the page itself, once signed in)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.i18n.catalogue import t
from dashboard.page.registry import PAGES
from tests.browser.helpers import assert_no_exception, settle, shot
from tests.signin import BROWSER_ACCOUNTS, TEST_PASSWORD, browser_sign_in

pytestmark = pytest.mark.browser

ROLE_USERS = {"executive": "exec", "risk_committee": "risk", "compliance": "compliance"}
ROLE_USERS["admin"] = "admin1"


def _path(script: str) -> str:
    return "" if next(p for p in PAGES if p.script == script).default else script[:-3]


def _first(role: str, allowed: bool) -> str | None:
    """The first registered page that `role` may (or may not) open, preferring non-home pages."""
    found = [p.script for p in PAGES if (role in p.roles) == allowed]
    others = [s for s in found if s != "home.py"]
    return (others or found or [None])[0]


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_each_role_opens_an_allowed_page_and_is_refused_another(
    server_url: str, page, role: str
) -> None:
    user = ROLE_USERS[role]
    assert BROWSER_ACCOUNTS[user][0] == (role,)
    allowed = _first(role, allowed=True)
    assert allowed is not None
    browser_sign_in(page, server_url, user, TEST_PASSWORD, _path(allowed))
    spec = next(p for p in PAGES if p.script == allowed)
    assert page.locator("h1").first.inner_text() == t(spec.title_key, "zh")
    assert "您没有访问" not in _main_text(page)
    links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]')
    # Every role has a page: wait for the links (once read as none just after settle, load 6
    # on 2 cores).
    links.first.wait_for(timeout=30_000)
    nav = links.all_inner_texts()
    assert [n.strip().split("\n")[-1] for n in nav] == [
        t(p.title_key, "zh") for p in PAGES if role in p.roles
    ]
    assert_no_exception(page)
    refused = _first(role, allowed=False)
    if refused is None:  # a role every page serves has nothing to be refused
        return
    browser_sign_in(page, server_url, user, TEST_PASSWORD, _path(refused))
    assert "您没有访问" in _main_text(page)
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator(".js-plotly-plot").count() == 0
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    shot(page, f"refused_{role}")


def test_deep_link_without_sign_in_shows_only_the_form_then_the_page(server_url: str, page) -> None:
    page.goto(f"{server_url}/contracts?contract=C000001&bucket=M1&as_of=2020-01")
    page.locator('[data-testid="stForm"]').wait_for(timeout=30_000)
    settle(page)
    assert page.locator("h1").first.inner_text() == t("auth.title", "zh")
    for hidden in ("stMetric", "stDataFrame", "stPageLink"):
        assert page.locator(f'[data-testid="{hidden}"]').count() == 0, hidden
    shot(page, "sign_in_form")
    path = "contracts?bucket=M1"
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, path)
    assert page.locator("h1").first.inner_text() == t("page.contracts", "zh")
    assert parse_qs(urlparse(page.url).query)["bucket"] == ["M1"]  # the deep link survived
    assert_no_exception(page)


def test_wrong_password_shows_a_refusal_and_no_page(server_url: str, page) -> None:
    page.goto(f"{server_url}/overview")
    form = page.locator('[data-testid="stForm"]')
    form.wait_for(timeout=30_000)
    page.get_by_label("用户名 Username").fill("exec")
    page.get_by_label("密码 Password").fill("not-the-password")
    form.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    page.get_by_text(t("auth.bad_credentials", "zh")).wait_for(timeout=30_000)
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert form.count() == 1


def test_sign_out_returns_to_the_form(server_url: str, page) -> None:
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, "overview")
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="退出登录").click()
    page.locator('[data-testid="stForm"]').wait_for(timeout=30_000)
    assert page.get_by_text(t("auth.signed_out", "zh")).count() == 1
    assert page.locator('[data-testid="stMetric"]').count() == 0
