"""Many open alerts of one rule read as one group: worst first, acknowledged together (audited
per alert), and told by one e-mail per recipient. On SQLite/DuckDB and PostgreSQL.

Hand-worked book of alerts: three large exposures with a high-severity signal (`exposure.signal`,
line 1,000 万元 = 10,000,000 yuan): C-SMALL 12,000,000, C-BIG 35,000,000, C-MID 20,000,000;
and the NPL ratio at 6.00% against 5.00%. Worst first: C-BIG, C-MID, C-SMALL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from alerts.groups import grouped, severity
from alerts.outbox import log
from alerts.state import Observation
from alerts.store import acknowledge_alerts, apply_observations, open_alerts
from dashboard.delivery.alert_mail import queue_alert_mail
from dashboard.delivery.contacts import set_address
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.alerts import alert_events, alerts
from warehouse.portal.audit import audit_events
from warehouse.portal.users import add_account
from warehouse.settings import load_settings

NOW = datetime(2024, 7, 1, 3, 0, tzinfo=UTC).replace(tzinfo=None)
JUNE = date(2024, 6, 30)
LARGE = Decimal(10_000_000)
PAGES = {"exposure.signal": "dossier.py", "kpi.npl_ratio": "overview.py"}
EXPOSURES = {"C-SMALL": 12_000_000, "C-BIG": 35_000_000, "C-MID": 20_000_000}


def _observed() -> list[Observation]:
    seen = [
        Observation("exposure.signal", key, JUNE, Decimal(v), LARGE, True, False)
        for key, v in EXPOSURES.items()
    ]
    npl = Observation("kpi.npl_ratio", "book", JUNE, Decimal("0.06"), Decimal("0.05"), True, False)
    return [*seen, npl]


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    engine = portal_engine(portal_url(db_url))
    yield engine
    engine.dispose()


def test_severity_ranks_by_how_far_past_the_line() -> None:
    assert severity("kpi.npl_ratio", "0.08", "0.05") > severity("kpi.npl_ratio", "0.06", "0.05")
    # A floor: the further below, the worse (coverage 80% is worse than 95% against 100%).
    assert severity("kpi.provision_coverage", "0.80", "1") == Decimal("0.20")
    assert severity("exposure.signal", 35_000_000, LARGE) == Decimal(35_000_000)
    # A filing: fewer working days left is worse.
    assert severity("filing.t5", 1, 0) > severity("filing.t5", 4, 0)
    assert severity("kpi.npl_ratio", None, "0.05") < severity("kpi.npl_ratio", "0.01", "0.05")


def test_grouped_keeps_the_groups_in_order_and_sorts_inside_each() -> None:
    items = [("b", 2), ("a", 5), ("b", 9), ("a", 1), ("c", 3)]
    groups = grouped(items, lambda i: i[0], lambda i: (-i[1],))
    assert groups == [[("b", 9), ("b", 2)], [("a", 5), ("a", 1)], [("c", 3)]]


def test_acknowledging_a_group_audits_each_alert_once(portal: Engine) -> None:
    apply_observations(portal, _observed(), PAGES, 1, NOW)
    frame = open_alerts(portal)
    signals = frame[frame["rule"] == "exposure.signal"]
    ids = [int(a) for a in signals["alert_id"]]
    assert len(ids) == 3
    assert acknowledge_alerts(portal, ids, actor="boss") == 3
    assert acknowledge_alerts(portal, ids, actor="boss") == 0  # a second click records nothing
    with portal.connect() as conn:
        statuses = dict(conn.execute(sa.select(alerts.c.subject, alerts.c.status)).all())
        events = conn.execute(
            sa.select(alert_events.c.alert_id, alert_events.c.actor).where(
                alert_events.c.event == "acknowledged"
            )
        ).all()
        audited = conn.execute(
            sa.select(audit_events.c.target, audit_events.c.actor).where(
                audit_events.c.action == "alert"
            )
        ).all()
    assert statuses == {
        "C-SMALL": "acknowledged",
        "C-BIG": "acknowledged",
        "C-MID": "acknowledged",
        "book": "firing",
    }
    assert sorted(events) == [(i, "boss") for i in sorted(ids)]
    assert sorted(audited) == sorted((str(i), "boss") for i in ids)


def test_a_group_with_an_alert_no_longer_open_acknowledges_none(portal: Engine) -> None:
    apply_observations(portal, _observed(), PAGES, 1, NOW)
    frame = open_alerts(portal)
    ids = [int(a) for a in frame["alert_id"]]
    with pytest.raises(ValueError, match="not firing"):
        acknowledge_alerts(portal, [*ids, 999_999], actor="boss")
    with portal.connect() as conn:
        statuses = {s for (s,) in conn.execute(sa.select(alerts.c.status)).all()}
        audited = conn.execute(
            sa.select(sa.func.count()).where(audit_events.c.action == "alert")
        ).scalar_one()
    assert (statuses, audited) == ({"firing"}, 0)


def test_many_alerts_of_one_rule_go_out_as_one_message_per_recipient(portal: Engine) -> None:
    """The executive gets two messages, not four: the NPL alert, and the three exposures in one
    listing them worst first, each with its link; queuing again queues nothing."""
    add_account(portal, "boss", "a long enough passphrase 1", {"executive"}, actor="test")
    set_address(portal, "boss", "boss@example.com", actor="test", domains=())
    told = apply_observations(portal, _observed(), PAGES, 1, NOW)
    settings = load_settings()
    assert queue_alert_mail(portal, told, settings, NOW) == 2
    assert queue_alert_mail(portal, told, settings, NOW) == 0
    queued = log(portal)
    subjects = sorted(queued["subject"])
    assert subjects == [
        "[Postloan 预警] 不良率高于预警线：6.00%（线 5.00%）· 2024-06",
        "[Postloan 预警] 大额合同出现高等级预警信号：3 条",
    ]
    group = queued[queued["subject"].str.contains("3 条")].iloc[0]
    assert group["idem_key"].startswith("alert:exposure.signal:fired:2024-06:3x")
    assert group["idem_key"].endswith(":boss")
    body = str(group["body"])
    zh, en = body.split("\n\n")
    assert zh.splitlines()[0] == "预警: 大额合同出现高等级预警信号 · 3 条"
    assert en.splitlines()[0] == "Alert: A large exposure has a high-severity signal · 3 alerts"
    order = [c for line in zh.splitlines() for c in EXPOSURES if f"合同 {c}（" in line]
    assert order == ["C-BIG", "C-MID", "C-SMALL"]
    assert "- 合同 C-BIG（未偿本金 3,500.00 万元）：高等级预警信号或物联网告警" in zh
    assert "  查看: http://localhost:8501/dossier?contract=C-BIG&lang=zh" in zh
    assert "  Open: http://localhost:8501/dossier?contract=C-SMALL&lang=en" in en
