"""整改台账 in real Chromium: compliance user A takes a rectification item, submits it with an
evidence note and cannot sign it off; compliance user B signs it off and the item is closed."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
import sqlalchemy as sa

from tasks.findings import Finding
from tasks.rectification import apply_findings
from tests.browser.helpers import assert_no_exception, settle, shot
from tests.signin import POSTLOAN, ROOT, TEST_PASSWORD, browser_sign_in, create_user_cli
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.rectification import rectification_items

pytestmark = pytest.mark.browser

DAYS = {"data_check": 5, "validation": 5, "correction": 10}
FINDING = Finding("data_check", "check:browser_pk", "browser_pk (contract)", "failed: 3 rows")


def _store(url: str):
    return portal_engine(portal_url(url))


@pytest.fixture(scope="module")
def item(server_warehouse: str) -> int:
    """Two compliance users in department compliance and one open item; the item's id."""
    for name in ("rect_a", "rect_b"):
        create_user_cli(server_warehouse, name, ("compliance",))
        subprocess.run(
            [POSTLOAN, "user", "department", name, "compliance", "--warehouse", server_warehouse],
            check=True,
            cwd=ROOT,
            timeout=120,
            capture_output=True,
        )
    engine = _store(server_warehouse)
    try:
        apply_findings(engine, [FINDING], sources=DAYS, days=DAYS, today=date(2026, 12, 4))
        with engine.connect() as conn:
            return int(
                conn.execute(
                    sa.select(rectification_items.c.item_id).where(
                        rectification_items.c.source_key == "check:browser_pk#1"
                    )
                ).scalar_one()
            )
    finally:
        engine.dispose()


def _state(url: str, item_id: int) -> tuple:
    i = rectification_items.c
    engine = _store(url)
    try:
        with engine.connect() as conn:
            return tuple(
                conn.execute(
                    sa.select(i.status, i.owner, i.submitted_by, i.closed_by).where(
                        i.item_id == item_id
                    )
                ).one()
            )
    finally:
        engine.dispose()


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    settle(page)
    assert_no_exception(page)


def _said(page, text: str) -> None:
    try:
        page.get_by_text(text).first.wait_for(timeout=30_000)
    except Exception:
        shot(page, "rectification_failed")
        alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
        raise AssertionError(f"{text!r} not shown; the page says {alerts}") from None


def test_one_user_submits_and_a_second_user_signs_off(
    server_url: str, server_warehouse: str, page, browser, item: int
) -> None:
    browser_sign_in(page, server_url, "rect_a", TEST_PASSWORD, f"rectification?item={item}")
    assert page.locator("h1").first.inner_text() == "整改台账"
    page.locator('[data-testid="stSelectbox"]').filter(has_text="责任人").click()
    page.get_by_role("option", name="rect_a", exact=True).click()
    _click(page, "指派")
    _said(page, f"事项 #{item} 已更新。")
    page.get_by_label("整改证明（说明所做整改及佐证）").fill(
        "源系统主键重复已修复，重新加载后检查通过。"
    )
    _click(page, "提交复核")
    _said(page, f"事项 #{item} 已更新。")
    assert _state(server_warehouse, item) == ("submitted", "rect_a", "rect_a", None)
    _click(page, "复核通过并关闭")
    _said(page, "提交人不能复核自己提交的事项")
    assert _state(server_warehouse, item)[0] == "submitted"

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    other = context.new_page()
    try:
        browser_sign_in(other, server_url, "rect_b", TEST_PASSWORD, f"rectification?item={item}")
        _click(other, "复核通过并关闭")
        _said(other, f"事项 #{item} 已更新。")
        shot(other, "rectification_closed")
    finally:
        context.close()
    assert _state(server_warehouse, item) == ("closed", "rect_a", "rect_a", "rect_b")
