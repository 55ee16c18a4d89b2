"""Alert e-mails reach their audience once, through a real local SMTP server (aiosmtpd).

The book is the analytics portfolio book, June 2024, where five figure alerts fire (hand-worked in
`tests/dashboard/test_alerts_page.py`): NPL, PAR30, PAR90 (for everyone) and two migration rates
(executives and the committee only); evaluated on 2024-07-01, the loan-level detail of May (due
2024-06-15) was never submitted, so a missed-filing alert fires for compliance: six in all.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from alerts.mail import SmtpConfig, message_id
from alerts.outbox import MAX_ATTEMPTS, Message, backoff, enqueue, log
from alerts.run import evaluate
from dashboard.delivery.alert_mail import queue_alert_mail
from dashboard.delivery.contacts import check_address, set_address
from dashboard.delivery.sender import deliver_due
from tests.dashboard.analytics_app import build_analytics_warehouse
from tests.mail_server import free_port, smtp_server
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.portal.users import add_account
from warehouse.settings import load_settings

EVALUATED = datetime(2024, 7, 1, 3, 0, tzinfo=UTC).replace(tzinfo=None)
SETTINGS = load_settings()
PEOPLE = {
    # username: (roles, branches, address)
    "boss": ({"executive"}, None, "boss@example.com"),
    "carol": ({"compliance"}, None, "carol@example.com"),
    "bob": ({"executive"}, ("SH",), "bob@example.com"),  # branch-scoped: no whole-book alerts
    "ann": ({"admin"}, None, "ann@example.com"),  # admin: no business figures
    "dan": ({"risk_committee"}, None, None),  # no address: nothing to send to
}


class Clock:
    """A clock the test moves."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    """The analytics book built at `db_url`, its alerts evaluated, and the people above."""
    build_analytics_warehouse(db_url)
    engine = portal_engine(portal_url(db_url))
    for name, (roles, branches, address) in PEOPLE.items():
        add_account(
            engine,
            name,
            "a long enough passphrase 1",
            roles,
            branches=branches,
            actor="test",
        )
        if address:
            set_address(engine, name, address, actor="test", domains=())
    done = evaluate(db_url, SETTINGS, EVALUATED)
    assert len(done.announcements) == 6
    queue_alert_mail(engine, done.announcements, SETTINGS, EVALUATED)
    yield engine
    engine.dispose()


def _by_recipient(messages) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in messages:
        out.setdefault(str(m["To"]), []).append(str(m["Subject"]))
    return out


def test_each_alert_reaches_its_audience_once(portal: Engine) -> None:
    with smtp_server() as (box, port):
        config = SmtpConfig("127.0.0.1", port)
        first = deliver_due(portal, config, Clock(EVALUATED))
        second = deliver_due(portal, config, Clock(EVALUATED + timedelta(hours=1)))
        got = _by_recipient(box.received())
    assert (first.sent, first.failed, second.sent) == (9, 0, 0)
    assert sorted(got) == ["boss@example.com", "carol@example.com"]
    assert len(got["boss@example.com"]) == 5  # the five figure alerts, no filing
    assert len(got["carol@example.com"]) == 4  # NPL, PAR30, PAR90 and the missed filing
    missed = "[Postloan 预警] 报送已逾期：合同明细（2024-05 期）已过报送截止日，尚未报送"
    assert missed in got["carol@example.com"]
    assert (
        "[Postloan 预警] 不良率高于预警线：100.00%（线 5.00%）· 2024-06" in got["carol@example.com"]
    )


def test_the_mail_says_the_figure_its_line_and_links_to_its_page(portal: Engine) -> None:
    with smtp_server() as (box, port):
        deliver_due(portal, SmtpConfig("127.0.0.1", port), Clock(EVALUATED))
        mails = [m for m in box.received() if "不良率" in str(m["Subject"])]
    boss = next(m for m in mails if m["To"] == "boss@example.com")
    body = boss.get_content()
    assert "全部资产：100.00%，预警线 5.00%（监管线）；2024-06 月末起" in body
    assert "Whole book: 100.00%, line 5.00% (regulatory); since the 2024-06 month-end" in body
    assert "http://localhost:8501/overview?as_of=2024-06&lang=zh" in body
    assert "http://localhost:8501/overview?as_of=2024-06&lang=en" in body
    key = next(
        r["idem_key"]
        for r in log(portal).to_dict("records")
        if r["address"] == boss["To"] and "不良率" in r["subject"]
    )
    assert boss["Message-ID"] == message_id(key, "postloan@localhost")


def test_every_delivery_is_in_the_audit_trail(portal: Engine) -> None:
    with smtp_server() as (_box, port):
        deliver_due(portal, SmtpConfig("127.0.0.1", port), Clock(EVALUATED))
    with portal.connect() as conn:
        rows = conn.execute(
            sa.select(audit_events.c.target).where(audit_events.c.action == "delivery")
        ).all()
    assert len(rows) == 9
    assert all(target.startswith("alert:") for (target,) in rows)


def test_queuing_the_same_events_again_queues_nothing(portal: Engine) -> None:
    before = len(log(portal))
    again = enqueue(
        portal,
        [
            Message(r["idem_key"], "alert", r["username"], r["address"], r["subject"], r["body"])
            for r in log(portal).to_dict("records")
        ],
        EVALUATED,
    )
    assert (again, len(log(portal))) == (0, before)


def test_an_unreachable_server_keeps_every_message_and_backs_off(portal: Engine) -> None:
    clock = Clock(EVALUATED)
    dead = SmtpConfig("127.0.0.1", free_port(), timeout=5)
    first = deliver_due(portal, dead, clock)
    assert (first.sent, first.retrying, first.failed) == (0, 9, 0)
    # Not due again before the back-off (1 minute after the first failure).
    clock.at += timedelta(seconds=59)
    assert deliver_due(portal, dead, clock).retrying == 0
    waits = [backoff(n) for n in range(1, MAX_ATTEMPTS)]
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    for wait in waits[1:]:
        clock.at += wait
    clock.at += timedelta(minutes=1)
    # Attempts 2-4 retry, the fifth fails for good: every message is kept, none is lost.
    statuses = []
    for _ in range(4):
        deliver_due(portal, dead, clock)
        clock.at += timedelta(hours=1)
        statuses.append(sorted(set(log(portal)["status"])))
    assert statuses[-1] == ["failed"]
    failed = log(portal, "failed")
    assert len(failed) == 9 and all(a == MAX_ATTEMPTS for a in failed["attempts"])
    assert all("ConnectionRefusedError" in e for e in failed["last_error"])
    with smtp_server() as (box, port):
        assert deliver_due(portal, SmtpConfig("127.0.0.1", port), clock).sent == 0
        assert box.received() == []


def test_two_senders_at_once_send_each_message_once(portal: Engine) -> None:
    with smtp_server() as (box, port):
        config = SmtpConfig("127.0.0.1", port)
        results = []
        threads = [
            threading.Thread(
                target=lambda: results.append(deliver_due(portal, config, Clock(EVALUATED)))
            )
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        received = box.received()
    assert sum(r.sent for r in results) == 9
    assert len(received) == 9
    assert len({(m["To"], m["Message-ID"]) for m in received}) == 9


def test_no_smtp_server_configured_sends_and_loses_nothing(portal: Engine) -> None:
    assert deliver_due(portal, None, Clock(EVALUATED)).sent == 0
    assert set(log(portal)["status"]) == {"queued"}


@pytest.mark.parametrize(
    ("address", "domains", "ok"),
    [
        ("boss@example.com", (), True),
        ("boss@mail.example.com", ("example.com",), True),
        ("boss@example.org", ("example.com",), False),
        ("boss@example.com\r\nBcc: x@evil.com", (), False),
        ("=HYPERLINK(1)@example.com", (), False),
        ("no-at-sign", (), False),
    ],
)
def test_an_address_is_plain_and_in_an_allowed_domain(address, domains, ok) -> None:
    if ok:
        assert check_address(address, domains) == address
    else:
        with pytest.raises(ValueError):
            check_address(address, domains)
