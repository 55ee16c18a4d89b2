"""催收 and 预警与租赁物 in Chromium: open, change a filter, follow a contract to its dossier."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.helpers import assert_no_exception, metric_value, next_paint, settle, shot
from tests.signin import TEST_PASSWORD, browser_sign_in

pytestmark = pytest.mark.browser
USER = "risk"  # a risk-committee member


def _open(page, server_url: str, path: str) -> None:
    browser_sign_in(page, server_url, USER, TEST_PASSWORD, path)


def _pick(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')
    target = box.filter(has_text=label).first
    # The sidebar is long (navigation, search, every filter): bring the box up before opening it,
    # and type the option so the list shows it whatever room is left below the box.
    target.scroll_into_view_if_needed()
    target.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    settle(page)


@pytest.mark.parametrize(
    ("path", "title"), [("collections", "催收"), ("early_warning", "预警与租赁物")]
)
def test_page_opens_with_charts_and_no_errors(server_url: str, page, path: str, title: str) -> None:
    _open(page, server_url, path)
    assert page.locator("h1").first.inner_text() == title
    page.wait_for_selector(".js-plotly-plot", timeout=15_000)
    next_paint(page)
    assert_no_exception(page)
    shot(page, path)


def test_collections_filter_changes_numbers_and_url(server_url: str, page) -> None:
    _open(page, server_url, "collections")
    before = metric_value(page, "联系尝试")
    _pick(page, "产品", "贷款")
    assert_no_exception(page)
    after = metric_value(page, "联系尝试")
    assert int(after.replace(",", "")) < int(before.replace(",", ""))
    assert parse_qs(urlparse(page.url).query)["product"] == ["loan"]


def test_early_warning_filter_changes_numbers(server_url: str, page) -> None:
    _open(page, server_url, "early_warning")
    before = metric_value(page, "未违约")
    _pick(page, "产品", "贷款")
    assert_no_exception(page)
    after = metric_value(page, "未违约")
    assert int(after.replace(",", "")) < int(before.replace(",", ""))


@pytest.mark.parametrize("path", ["collections", "early_warning"])
def test_a_listed_contract_opens_its_dossier(server_url: str, page, path: str) -> None:
    _open(page, server_url, path)
    button = page.get_by_role("button", name="打开合同档案").first
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_url("**/dossier?**", timeout=30_000)
    settle(page)
    assert parse_qs(urlparse(page.url).query)["contract"][0].startswith("C")
    assert page.locator("h1").first.inner_text() == "合同档案"
    assert_no_exception(page)
