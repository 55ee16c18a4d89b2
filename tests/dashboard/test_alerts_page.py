"""预警 (AppTest): each role's inbox, acknowledging, snoozing, the link to the figure, refusals.

The book is the analytics portfolio book (`tests.dashboard.analytics_app`), June 2024: A alone is
open, 5,000 at DPD 112 (substandard). Hand-worked: NPL 5,000 ÷ 5,000 = 100% > 5%, PAR30 and PAR90
100% > 5% and 3%; 偏离度 5,000 ÷ 5,000 = 100%, on its line (allowed). A was special mention in May
and substandard in June: the special-mention and performing migration rates are 5,000 ÷ 5,000 =
100% > 20% and 2%. Five alerts fire; migration alerts are for executives and the committee only.
Evaluated on 2024-07-01, the loan-level detail of May (due 2024-06-15) was never submitted: a
missed-filing alert for compliance only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from alerts.run import evaluate
from alerts.state import Observation
from alerts.store import apply_observations
from dashboard.access.user import User
from dashboard.data.alerts import acknowledge
from tests.dashboard.analytics_app import assert_clean, build_analytics_warehouse, open_page
from tests.dashboard.app_fixtures import app_on, built_duckdb
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.alerts import alerts as alerts_table
from warehouse.portal.audit import audit_events
from warehouse.settings import load_settings

EVALUATED = datetime(2024, 7, 1, 3, 0, tzinfo=UTC).replace(tzinfo=None)


def _build(url: str) -> None:
    build_analytics_warehouse(url)
    evaluate(url, load_settings(), EVALUATED)


@pytest.fixture(scope="module")
def alerts_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return built_duckdb(tmp_path_factory, "alerts", _build)


@pytest.fixture
def inbox(alerts_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    yield from app_on(alerts_url, monkeypatch)


@pytest.fixture
def fresh(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A warehouse of its own, for a test that changes alerts."""
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    _build(url)
    yield from app_on(url, monkeypatch)


def _cards(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**")]


def _status(url: str) -> dict[str, str]:
    engine = portal_engine(portal_url(url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(alerts_table.c.rule, alerts_table.c.status)).all()
    finally:
        engine.dispose()
    return dict(rows)


def test_an_executive_sees_the_five_alerts_with_their_figures_and_lines(inbox: str) -> None:
    at = open_page("alerts")
    assert_clean(at)
    cards = _cards(at)
    assert len(cards) == 5
    assert "**不良率高于预警线** · 待处理" in cards
    captions = [c.value for c in at.caption]
    assert "全部资产：100.00%，预警线 5.00%（监管线）；2024-06 月末起" in captions
    assert "全部资产：100.00%，预警线 3.00%（风险偏好）；2024-06 月末起" in captions
    assert at.subheader[0].value == "待处理预警 5 条"


def test_compliance_gets_the_missed_filing_but_not_the_migration_alerts(inbox: str) -> None:
    at = open_page("alerts", roles=("compliance",))
    assert_clean(at)
    assert len(_cards(at)) == 4
    assert not any("迁徙率" in c for c in _cards(at))
    assert "**报送已逾期** · 待处理" in _cards(at)
    assert "合同明细（2024-05 期）已过报送截止日，尚未报送" in [c.value for c in at.caption]
    links = [
        (el.proto.page.rsplit("/", 1)[-1], el.proto.query_string) for el in at.main.get("page_link")
    ]
    assert ("filing", "period=2024-05&report=DETAIL&lang=zh") in links


def test_a_branch_scoped_user_is_told_why_there_are_none(inbox: str) -> None:
    at = open_page("alerts", roles=("executive",), branches=("SH",))
    assert_clean(at)
    assert _cards(at) == []
    assert "限于部分分支机构" in at.info[0].value


def test_admin_opens_the_inbox_and_gets_none_of_the_books_alerts(inbox: str) -> None:
    """Admin's rules are the model's (none here): the page opens, with no figure's alert."""
    at = open_page("alerts", roles=("admin",))
    assert_clean(at)
    assert at.title[0].value == "预警"
    assert _cards(at) == []


def test_in_english_every_word_is_english(inbox: str) -> None:
    at = open_page("alerts", {"lang": "en"})
    assert_clean(at)
    assert "**NPL ratio above its line** · Firing" in _cards(at)
    assert "Whole book: 100.00%, line 5.00% (regulatory); since the 2024-06 month-end" in [
        c.value for c in at.caption
    ]


def test_each_card_links_to_its_page_at_the_alerts_month(inbox: str) -> None:
    at = open_page("alerts")
    links = at.main.get("page_link")
    targets = sorted((el.proto.page.rsplit("/", 1)[-1], el.proto.query_string) for el in links)
    assert targets == sorted(
        [
            ("overview", "as_of=2024-06&lang=zh"),
            ("overdue", "as_of=2024-06&lang=zh"),
            ("overdue", "as_of=2024-06&lang=zh"),
            ("migration", "as_of=2024-06&lang=zh"),
            ("migration", "as_of=2024-06&lang=zh"),
        ]
    )


def test_acknowledging_silences_the_alert_and_is_audited(fresh: str) -> None:
    at = open_page("alerts")
    first = next(b for b in at.button if b.label == "确认")
    first.click().run()
    assert_clean(at)
    assert at.success[0].value == "已记录。"
    statuses = _status(fresh)
    assert sorted(statuses.values()).count("acknowledged") == 1
    assert sum(c.endswith("· 已确认") for c in _cards(at)) == 1
    engine = portal_engine(portal_url(fresh))
    try:
        with engine.connect() as conn:
            actors = conn.execute(
                sa.select(audit_events.c.actor).where(audit_events.c.action == "alert")
            ).all()
    finally:
        engine.dispose()
    assert [a for (a,) in actors] == ["tester"]


def test_an_alert_outside_the_users_inbox_cannot_be_acknowledged(fresh: str) -> None:
    statuses = _status(fresh)
    assert statuses["migration.performing_migration_rate"] == "firing"
    engine = portal_engine(portal_url(fresh))
    try:
        with engine.connect() as conn:
            migration_id = conn.execute(
                sa.select(alerts_table.c.alert_id).where(
                    alerts_table.c.rule == "migration.performing_migration_rate"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    compliance = User("carol", "carol", frozenset({"compliance"}))
    with pytest.raises(ValueError, match="not in carol's inbox"):
        acknowledge(compliance, migration_id)
    assert _status(fresh)["migration.performing_migration_rate"] == "firing"


def test_the_inbox_says_when_the_rules_ran_and_which_figures_had_no_value(inbox: str) -> None:
    """No company financials in the book: no base for concentration. In June no contract was
    normal, substandard or doubtful at the end of May, so those migration rates have no
    denominator: those alerts cannot be judged, and the inbox says so."""
    at = open_page("alerts")
    captions = [c.value for c in at.caption]
    assert any(c.startswith("最近一次评估：") and "数据截至 2024-06-30" in c for c in captions)
    warning = at.warning[0].value
    for name in ("正常类迁徙率", "次级类迁徙率", "可疑类迁徙率"):
        assert name in warning


# Three large exposures with a high-severity signal beside the five figure alerts (line 1,000
# 万元): C-SMALL 12,000,000, C-BIG 35,000,000, C-MID 20,000,000 yuan; worst first: C-BIG, C-MID,
# C-SMALL. One card for the three, not three cards.
EXPOSURES = {"C-SMALL": 12_000_000, "C-BIG": 35_000_000, "C-MID": 20_000_000}
GROUP = "**大额合同出现高等级预警信号** · 3 条（待处理 {firing} 条）"


@pytest.fixture
def crowded(fresh: str) -> str:
    """The fresh book's alerts and three large exposures' signal alerts."""
    june, line = date(2024, 6, 30), Decimal(10_000_000)
    seen = [
        Observation("exposure.signal", key, june, Decimal(v), line, True, False)
        for key, v in EXPOSURES.items()
    ]
    engine = portal_engine(portal_url(fresh))
    try:
        apply_observations(engine, seen, {"exposure.signal": "dossier.py"}, 1, EVALUATED)
    finally:
        engine.dispose()
    return fresh


def _signal_ids(url: str) -> dict[str, int]:
    engine = portal_engine(portal_url(url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(alerts_table.c.subject, alerts_table.c.alert_id).where(
                    alerts_table.c.rule == "exposure.signal"
                )
            ).all()
    finally:
        engine.dispose()
    return dict(rows)


def test_many_alerts_of_one_rule_read_as_one_card_worst_first(crowded: str) -> None:
    at = open_page("alerts")
    assert_clean(at)
    assert at.subheader[0].value == "待处理预警 8 条"
    cards = _cards(at)
    assert len(cards) == 6  # the five figure alerts and one for the three exposures
    assert GROUP.format(firing=3) in cards
    captions = [c.value for c in at.caption]
    assert "最需关注：合同 C-BIG（未偿本金 3,500.00 万元）：高等级预警信号或物联网告警" in captions
    (each,) = [e for e in at.expander if e.label == "逐条查看（3 条）"]
    inside = [c.value for c in each.caption]
    assert [next(k for k in EXPOSURES if f"合同 {k}（" in c) for c in inside] == [
        "C-BIG",
        "C-MID",
        "C-SMALL",
    ]
    assert inside[0] == "待处理 · 合同 C-BIG（未偿本金 3,500.00 万元）：高等级预警信号或物联网告警"
    links = sorted(el.proto.query_string for el in each.get("page_link"))
    assert links == [f"contract={k}&lang=zh" for k in ("C-BIG", "C-MID", "C-SMALL")]


def test_acknowledge_all_takes_the_whole_group_and_audits_each(crowded: str) -> None:
    at = open_page("alerts")
    at.button(key="al_ack_group_exposure.signal").click().run()
    assert_clean(at)
    assert at.success[0].value == "已确认 3 条预警。"
    assert GROUP.format(firing=0) in _cards(at)
    assert at.button(key="al_ack_group_exposure.signal").disabled
    engine = portal_engine(portal_url(crowded))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(alerts_table.c.rule, alerts_table.c.status, alerts_table.c.alert_id)
            ).all()
            audited = conn.execute(
                sa.select(audit_events.c.target).where(audit_events.c.action == "alert")
            ).all()
    finally:
        engine.dispose()
    signals = {a for rule, status, a in rows if rule == "exposure.signal"}
    assert {s for rule, s, _ in rows if rule == "exposure.signal"} == {"acknowledged"}
    assert {s for rule, s, _ in rows if rule != "exposure.signal"} == {"firing"}
    assert sorted(int(t) for (t,) in audited) == sorted(signals)


def test_one_alert_of_a_group_keeps_its_own_acknowledge(crowded: str) -> None:
    mid = _signal_ids(crowded)["C-MID"]
    at = open_page("alerts")
    at.button(key=f"al_ack_{mid}").click().run()
    assert_clean(at)
    assert at.success[0].value == "已记录。"
    assert GROUP.format(firing=2) in _cards(at)
    assert at.button(key=f"al_ack_{mid}").disabled
    engine = portal_engine(portal_url(crowded))
    try:
        with engine.connect() as conn:
            by_subject = dict(
                conn.execute(
                    sa.select(alerts_table.c.subject, alerts_table.c.status).where(
                        alerts_table.c.rule == "exposure.signal"
                    )
                ).all()
            )
    finally:
        engine.dispose()
    assert by_subject == {"C-SMALL": "firing", "C-BIG": "firing", "C-MID": "acknowledged"}


def test_a_group_reads_in_english(crowded: str) -> None:
    at = open_page("alerts", {"lang": "en"})
    assert_clean(at)
    assert at.subheader[0].value == "8 open alerts"
    assert "**A large exposure has a high-severity signal** · 3 alerts (3 firing)" in _cards(at)
    assert [b.label for b in at.button if b.key == "al_ack_group_exposure.signal"] == [
        "Acknowledge all (3 firing)"
    ]
