"""The four analytics pages and the contract list in real Chromium against the real server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.helpers import assert_no_exception, metric_value, next_paint, settle, shot
from tests.file_cells import csv_records, read_table
from tests.signin import TEST_PASSWORD, browser_sign_in

pytestmark = pytest.mark.browser
USER = "exec"  # an executive: every analytics page serves the role


def _open(page, server_url: str, path: str) -> None:
    browser_sign_in(page, server_url, USER, TEST_PASSWORD, path)


PAGES = {
    "overview": "组合概览",
    "overdue": "逾期分析",
    "vintage": "账龄分析",
    "migration": "资产质量迁徙",
    "contracts": "合同列表",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_opens_without_errors(server_url: str, page, name: str) -> None:
    _open(page, server_url, name)
    assert page.locator("h1").first.inner_text() == PAGES[name]
    if name != "contracts":
        page.wait_for_selector(".js-plotly-plot", timeout=15_000)
        next_paint(page)
    assert_no_exception(page)
    shot(page, name)


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


def test_filter_changes_numbers_and_url(server_url: str, page) -> None:
    _open(page, server_url, "overview")
    before = metric_value(page, "存续合同数")
    _pick(page, "产品", "贷款")
    assert_no_exception(page)
    after = metric_value(page, "存续合同数")
    assert after != before and int(after.replace(",", "")) < int(before.replace(",", ""))
    assert parse_qs(urlparse(page.url).query)["product"] == ["loan"]
    # The bookmark reproduces the view in a new session.
    _open(page, server_url, page.url.removeprefix(server_url))
    assert metric_value(page, "存续合同数") == after


def test_bucket_link_drills_to_contracts_keeping_filters(server_url: str, page) -> None:
    _open(page, server_url, "overdue?product=direct_lease")
    link = (
        page.locator('[data-testid="stMain"] [data-testid="stPageLink"] a')
        .filter(has_text="M0 · ")
        .first
    )
    link.click()
    page.wait_for_url("**/contracts?**")
    settle(page)
    query = parse_qs(urlparse(page.url).query)
    assert query["bucket"] == ["M0"] and query["product"] == ["direct_lease"]
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    assert "直租" in page.locator('[data-testid="stMarkdownContainer"]').all_inner_texts()[0] or (
        page.get_by_text("直租").count() > 0
    )
    assert_no_exception(page)
    shot(page, "contracts_drill")


def test_matrix_cell_drills_to_contracts(server_url: str, page) -> None:
    _open(page, server_url, "migration")
    # The G12 table (the first visible table: the others sit in closed expanders). Its first
    # column names the rows; a click there selects no cell of the matrix, and the arrow key
    # moves the selection to the first figure (正常 → 正常, never empty in the demo book).
    grid = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]:visible').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 20, box["y"] + 35 + 17)
    settle(page)
    assert "/migration" in page.url
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/contracts?**")
    settle(page)
    assert parse_qs(urlparse(page.url).query)["migration"][0].startswith("month:")
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    assert_no_exception(page)


def test_download_table_as_csv_and_xlsx(server_url: str, page) -> None:
    _open(page, server_url, "overview")
    buttons = page.locator('[data-testid="stDownloadButton"]')
    with page.expect_download() as got:
        buttons.filter(has_text="下载 CSV").first.click()
    csv_file = got.value
    assert csv_file.suggested_filename.endswith(".csv")
    records = csv_records(csv_file.path().read_bytes())  # below the header block
    assert records and "指标" in records[0]  # the KPI table as the cards read it
    with page.expect_download() as got:
        buttons.filter(has_text="下载 Excel").first.click()
    xlsx_file = got.value
    assert xlsx_file.suggested_filename == csv_file.suggested_filename.replace(".csv", ".xlsx")
    block, head, body = read_table(xlsx_file.path().read_bytes())
    assert block["页面"] == "组合概览"
    assert head == list(records[0]) and len(body) == len(records)
    assert_no_exception(page)
