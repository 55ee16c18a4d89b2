"""The whole filing path in real Chromium: compliance user A drafts the concentration table (the
demo book breaches limits, so validation gives warnings), explains each warning and submits for
review; A cannot approve; compliance user B approves and submits; the archive downloads with
exactly the SHA-256 the page shows, and it is the workbook openpyxl reads back."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from openpyxl import load_workbook

from tests.browser.helpers import assert_no_exception, settle, shot
from tests.signin import TEST_PASSWORD, browser_sign_in, create_user_cli

pytestmark = pytest.mark.browser

REPORT = "CONC"


@pytest.fixture(scope="module")
def checker(server_warehouse: str) -> str:
    """A second compliance account, the checker of the maker-checker pair."""
    create_user_cli(server_warehouse, "checker", ("compliance",))
    return "checker"


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    settle(page)
    assert_no_exception(page)


def _done(page, what: str) -> None:
    try:
        page.get_by_text(f"已完成：{what}").wait_for(timeout=30_000)
    except Exception:
        shot(page, "filing_failed")
        alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
        raise AssertionError(f"{what} not done; the page says {alerts}") from None


def test_two_compliance_users_file_a_report_to_the_archive(
    server_url: str, page, browser, browser_accounts: dict[str, str], checker: str
) -> None:
    browser_sign_in(
        page, server_url, "compliance", browser_accounts["compliance"], f"filing?report={REPORT}"
    )
    assert page.locator("h1").first.inner_text() == "监管报送"
    _click(page, "新建草稿")
    _done(page, "新建草稿")
    _click(page, "运行校验")
    _done(page, "运行校验")
    label = re.compile(r"^对提示 .+ 的书面说明$")
    page.get_by_label(label).first.wait_for(timeout=30_000)
    warnings = page.get_by_label(label).count()
    assert warnings >= 1
    for n in range(warnings):
        box = page.get_by_label(label).nth(n)
        box.fill("该指标超限系演示数据所致，已报风险管理委员会并制定压降计划。")
        box.press("Control+Enter")
        settle(page)
        page.get_by_role("button", name="保存说明").nth(n).click()
        settle(page)
        _done(page, "说明已保存。")
    _click(page, "提交复核")
    _done(page, "提交复核")
    approve = page.get_by_role("button", name="复核通过")
    assert approve.is_disabled()
    assert page.get_by_text("不能复核自己的报表").count() >= 1
    shot(page, "filing_validated")

    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    other = context.new_page()
    try:
        browser_sign_in(other, server_url, checker, TEST_PASSWORD, f"filing?report={REPORT}")
        _click(other, "复核通过")
        _done(other, "复核通过")
        _click(other, "正式报送并归档")
        _done(other, "正式报送并归档")
        shown = other.locator('[data-testid="stCode"]').filter(has_text="SHA-256").inner_text()
        sha = re.search(r"[0-9a-f]{64}", shown)
        assert sha is not None
        with other.expect_download() as got:
            other.get_by_role("button", name="下载归档工作簿").click()
        data = got.value.path().read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha.group(0)
        assert got.value.suggested_filename.startswith(f"{REPORT}_")
        book = load_workbook(io.BytesIO(data))
        assert "校验结果" in book.sheetnames
        explained = [row[7] for row in book["校验结果"].iter_rows(min_row=2, values_only=True)]
        assert explained and all(e and "压降计划" in e for e in explained)
        shot(other, "filing_submitted")
        assert_no_exception(other)
    finally:
        context.close()
