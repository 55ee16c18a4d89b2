"""消息与订阅 (AppTest): the address, subscribing, a refused schedule in words, pause and test
send, and admin's delivery log with the failed ones counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from alerts.outbox import Message, claim, enqueue, log, mark_failed
from dashboard.delivery import subscriptions as subs
from dashboard.delivery.contacts import addresses
from tests.dashboard.analytics_app import assert_clean, build_analytics_warehouse, open_page
from tests.dashboard.app_fixtures import app_on
from warehouse.portal import portal_engine, portal_url

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC).replace(tzinfo=None)


@pytest.fixture
def store(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    build_analytics_warehouse(url)
    engine = portal_engine(portal_url(url))
    for _ in app_on(url, monkeypatch):
        yield engine
    engine.dispose()


def _save_address(at, address: str):
    at.text_input[0].set_value(address)
    return at.button[0].click().run()


def test_an_executive_sets_an_address_and_subscribes_to_the_weekly_pack(store: Engine) -> None:
    at = open_page("subscriptions")
    assert_clean(at)
    assert "尚未设置邮箱" in at.info[0].value
    at = _save_address(at, "tester@example.com")
    assert at.success[0].value == "已保存。"
    assert addresses(store) == {"tester": "tester@example.com"}
    at.text_input[1].set_value("monthly WD3 08:00")
    at = at.button[1].click().run()
    assert_clean(at)
    frame = subs.listing(store)
    assert list(zip(frame["username"], frame["pack"], frame["schedule"], strict=True)) == [
        ("tester", "executive_weekly", "monthly WD3 08:00")
    ]
    table = at.dataframe[0].value
    assert list(table["报告"]) == ["管理层周报"] and list(table["状态"]) == ["启用"]


def test_a_malformed_schedule_is_refused_in_the_users_language(store: Engine) -> None:
    at = _save_address(open_page("subscriptions", {"lang": "en"}), "tester@example.com")
    at.text_input[1].set_value("every monday")
    at = at.button[1].click().run()
    assert at.error[0].value == "Not a schedule: write weekly MON 08:00 or monthly WD3 08:00."
    assert subs.listing(store).empty


def test_pause_and_test_send_act_on_the_users_own_subscription(store: Engine) -> None:
    at = _save_address(open_page("subscriptions"), "tester@example.com")
    subs.add(store, "tester", "executive_weekly", "weekly MON 08:00", lang="zh", actor="t", now=NOW)
    at.run()
    next(b for b in at.button if b.label == "暂停").click().run()
    assert list(subs.listing(store)["paused"]) == [True]
    next(b for b in at.button if b.label == "立即发送测试").click().run()
    assert at.success[0].value == "测试邮件已排队，将在下一轮发送。"
    assert list(log(store)["kind"]) == ["subscription"]


def test_a_role_without_a_pack_is_told_so_and_admin_sees_the_failed_deliveries(
    store: Engine,
) -> None:
    enqueue(store, [Message("test:1", "test", "ann", "ann@example.com", "s", "b")], NOW)
    held = claim(store, NOW)[0]
    mark_failed(store, held, NOW, "ConnectionRefusedError: refused", max_attempts=1)
    at = open_page("subscriptions", roles=("admin",))
    assert_clean(at)
    assert "1 条投递已多次失败" in at.error[0].value
    log_table = at.dataframe[-1].value
    assert list(log_table["状态"]) == ["失败"]
    assert list(log_table["最近错误"]) == ["ConnectionRefusedError: refused"]
    assert not any(b.label == "订阅" for b in at.button)
