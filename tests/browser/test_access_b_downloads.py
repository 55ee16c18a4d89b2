"""In a real browser: downloads are audited with the hash of the file received, masked for an
executive and clear for the committee, and the audit page shows who took what."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from tests.browser.helpers import assert_no_exception, settle, shot, wait_for_rows
from tests.file_cells import csv_records
from tests.signin import TEST_PASSWORD, browser_sign_in
from warehouse.engine import create_warehouse_engine
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.schema import SOURCE_TABLES

pytestmark = pytest.mark.browser


def download_csv(page, last: bool = False) -> bytes:
    """Click the first (or last) visible `下载 CSV` button; the bytes the browser received."""
    buttons = page.locator('[data-testid="stDownloadButton"]:visible').filter(has_text="下载 CSV")
    button = buttons.last if last else buttons.first
    with page.expect_download() as got:
        button.click()
    return got.value.path().read_bytes()


def download_rows(warehouse: str, actor: str) -> list[dict]:
    engine = portal_engine(portal_url(warehouse))
    try:
        with engine.connect() as conn:
            stmt = (
                sa.select(audit_events)
                .where(audit_events.c.actor == actor, audit_events.c.action == "download")
                .order_by(audit_events.c.event_id)
            )
            return [dict(r) for r in conn.execute(stmt).mappings()]
    finally:
        engine.dispose()


def individual_names(warehouse: str) -> set[str]:
    """The names of the demo book's individual lessees (read-only, beside the server)."""
    lessees = SOURCE_TABLES["lessees"]
    engine = create_warehouse_engine(warehouse, read_only=True)
    try:
        with engine.connect() as conn:
            stmt = sa.select(lessees.c.name).where(lessees.c.lessee_type == "individual")
            return {str(v) for v in conn.execute(stmt).scalars()}
    finally:
        engine.dispose()


def test_download_is_audited_with_the_hash_of_the_received_file(
    server_url: str, server_warehouse: str, page
) -> None:
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, "contracts?threshold=0")
    before = len(download_rows(server_warehouse, "exec"))
    content = download_csv(page)
    settle(page)
    rows = csv_records(content)  # below the file's header block
    audited = wait_for_rows(page, lambda: download_rows(server_warehouse, "exec")[before:])
    assert len(audited) == 1
    assert audited[0]["target"] == "contracts"
    assert audited[0]["row_count"] == len(rows)
    assert audited[0]["sha256"] == hashlib.sha256(content).hexdigest()
    assert_no_exception(page)


def test_at_risk_download_is_masked_for_an_executive_and_clear_for_the_committee(
    server_url: str, server_warehouse: str, page
) -> None:
    names = individual_names(server_warehouse)
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, "at_risk")
    masked = download_csv(page, last=True).decode("utf-8-sig")
    assert "*" in masked
    assert not [n for n in names if n in masked]
    browser_sign_in(page, server_url, "risk", TEST_PASSWORD, "at_risk")
    clear = download_csv(page, last=True).decode("utf-8-sig")
    assert [n for n in names if n in clear]
    assert_no_exception(page)


def test_audit_page_shows_the_download_to_compliance(
    server_url: str, server_warehouse: str, page
) -> None:
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, "contracts?threshold=0")
    download_csv(page)
    settle(page)
    browser_sign_in(
        page, server_url, "compliance", TEST_PASSWORD, "audit?actor=exec&action=download"
    )
    main = page.locator('[data-testid="stMain"]')
    assert "审计日志" in main.locator("h1").inner_text()
    assert "条记录" in main.inner_text()
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    assert page.get_by_text("共 0 条记录").count() == 0
    shot(page, "access_b_audit_page")
    assert_no_exception(page)


def test_audit_page_refuses_an_executive(server_url: str, page) -> None:
    browser_sign_in(page, server_url, "exec", TEST_PASSWORD, "audit")
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    assert_no_exception(page)
