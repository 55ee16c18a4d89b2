"""Subscriptions: the pack arrives once per period, rendered as its recipient's screen shows it.

The analytics portfolio book (June 2024: A alone open, 5,000 yuan = 0.50 万元). `boss` sees every
branch; `bob` only branch ZZ, where the book has no contract, so his pack's indicators are zero.
The packs are read back from the e-mails a real local SMTP server received and compared, cell by
cell, with the key-indicator table the overview shows each of them.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from alerts.mail import SmtpConfig
from alerts.outbox import log
from dashboard.delivery import subscriptions as subs
from dashboard.delivery.contacts import set_address
from dashboard.delivery.scheduler import Scheduler
from dashboard.views.overview import kpi_table
from queries.filters import Filters
from queries.registry import QUERIES
from tests.dashboard.analytics_app import build_analytics_warehouse
from tests.mail_server import smtp_server
from warehouse.engine import create_warehouse_engine
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.portal.users import add_account

AS_OF = date(2024, 6, 30)


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


CREATED = _utc(2026, 12, 1, 2, 0)
MONDAY = _utc(2026, 12, 7, 0, 30)  # Mon 08:30 in Beijing: the 08:00 occurrence has passed


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def book(db_url: str) -> Iterator[tuple[str, Engine]]:
    build_analytics_warehouse(db_url)
    portal = portal_engine(portal_url(db_url))
    people = {"boss": None, "bob": ("ZZ",)}
    for name, branches in people.items():
        add_account(
            portal,
            name,
            "a long enough passphrase 1",
            {"executive"},
            branches=branches,
            actor="test",
        )
        set_address(portal, name, f"{name}@example.com", actor="test", domains=())
        subs.add(
            portal,
            name,
            "executive_weekly",
            "weekly MON 08:00",
            lang="zh",
            actor="test",
            now=CREATED,
        )
    yield db_url, portal
    portal.dispose()


def _screen(url: str, scope: tuple[str, ...] | None) -> list[list[str]]:
    """The key-indicator table of 组合概览 for a user of branch scope `scope`, as text rows."""
    engine = create_warehouse_engine(url, read_only=True)
    try:
        kpis = QUERIES["portfolio.kpis"](engine, Filters(as_of=AS_OF, scope=scope))
    finally:
        engine.dispose()
    frame = kpi_table(kpis, "zh")
    return [list(frame.columns)] + [[str(v) for v in row] for row in frame.values.tolist()]


def _sheet(data: bytes, title: str) -> list[list[str]]:
    ws = load_workbook(io.BytesIO(data))[title]
    return [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]


def _packs(box) -> list:
    """The pack e-mails the server received (the round also sends boss the five alerts)."""
    return [m for m in box.received() if str(m["Subject"]).startswith("[Postloan] 管理层周报")]


def _attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def test_each_recipient_gets_the_pack_as_their_own_screen_shows_it(book) -> None:
    url, _ = book
    with smtp_server() as (box, port):
        scheduler = Scheduler(url, Clock(MONDAY), smtp=lambda: SmtpConfig("127.0.0.1", port))
        done = scheduler.round()
        received = {str(m["To"]): m for m in _packs(box)}
    assert done.sent == 2 + 5  # the two packs, and the book's five alerts to boss
    assert sorted(received) == ["bob@example.com", "boss@example.com"]
    for name, scope in (("boss", None), ("bob", ("ZZ",))):
        files = _attachments(received[f"{name}@example.com"])
        assert sorted(files) == ["executive_weekly-2024-06.pdf", "executive_weekly-2024-06.xlsx"]
        assert files["executive_weekly-2024-06.pdf"].startswith(b"%PDF")
        kpis = _sheet(files["executive_weekly-2024-06.xlsx"], "核心指标")
        assert kpis == _screen(url, scope)
    boss_kpis = _sheet(
        _attachments(received["boss@example.com"])["executive_weekly-2024-06.xlsx"], "核心指标"
    )
    bob_kpis = _sheet(
        _attachments(received["bob@example.com"])["executive_weekly-2024-06.xlsx"], "核心指标"
    )
    assert boss_kpis[1][:3] == ["未偿本金", "余额口径", "0.50 万元"]  # A's 5,000 yuan
    assert bob_kpis[1][:3] == ["未偿本金", "余额口径", "0.00 万元"]  # nothing in branch ZZ
    boss_files = _attachments(received["boss@example.com"])
    lines = _sheet(boss_files["executive_weekly-2024-06.xlsx"], "监管红线")
    assert ["不良率", "100.00%", "红线 ≤ 5.00%", "越线，需关注"] in lines  # 5,000 ÷ 5,000
    bob_lines = _sheet(
        _attachments(received["bob@example.com"])["executive_weekly-2024-06.xlsx"], "监管红线"
    )
    assert ["不良率", "—", "红线 ≤ 5.00%", "无法判断（无数据）"] in bob_lines  # no book in ZZ
    assert b"/Subtype /Image" in boss_files["executive_weekly-2024-06.pdf"]  # the rate chart
    cover = _sheet(
        _attachments(received["bob@example.com"])["executive_weekly-2024-06.xlsx"], "封面 Cover"
    )
    assert ["数据范围", "ZZ"] in cover and ["数据截至", "2024-06-30"] in cover


def test_a_period_is_sent_once_and_the_next_one_again(book) -> None:
    url, portal = book
    with smtp_server() as (box, port):
        clock = Clock(MONDAY)
        scheduler = Scheduler(url, clock, smtp=lambda: SmtpConfig("127.0.0.1", port))
        assert scheduler.round().sent == 2 + 5  # and boss's five alerts, once
        clock.at += timedelta(hours=3)
        assert scheduler.round().sent == 0  # still week 50
        clock.at += timedelta(days=7)
        assert scheduler.round().sent == 2  # week 51
        packs = _packs(box)
    assert len(packs) == 4
    keys = sorted(k for k in log(portal)["idem_key"] if k.startswith("sub:"))
    assert sorted(k.split(":")[2] for k in keys) == ["2026-W50", "2026-W50", "2026-W51", "2026-W51"]


def test_each_delivery_is_audited_with_the_sha256_of_each_attachment(book) -> None:
    url, portal = book
    with smtp_server() as (box, port):
        Scheduler(url, Clock(MONDAY), smtp=lambda: SmtpConfig("127.0.0.1", port)).round()
        mails = _packs(box)
    with portal.connect() as conn:
        rows = conn.execute(
            sa.select(audit_events.c.details).where(
                audit_events.c.action == "delivery", audit_events.c.target.like("sub:%")
            )
        ).all()
    audited = {
        (d["recipient"], a["name"]): a["sha256"]
        for d in (json.loads(r.details) for r in rows)
        for a in d["attachments"]
    }
    sent = {
        (str(m["To"]).split("@")[0], name): hashlib.sha256(data).hexdigest()
        for m in mails
        for name, data in _attachments(m).items()
    }
    assert audited == sent and len(sent) == 4


def test_a_paused_subscription_and_one_made_after_its_time_send_nothing(book) -> None:
    url, portal = book
    frame = subs.listing(portal)
    boss = int(frame[frame["username"] == "boss"]["sub_id"].iloc[0])
    subs.set_paused(portal, boss, True, actor="boss", now=CREATED)
    with smtp_server() as (box, port):
        # Bob's was made on Tuesday the 1st: Monday the 30th (week 49) was before it.
        early = Scheduler(
            url, Clock(_utc(2026, 12, 6, 12, 0)), smtp=lambda: SmtpConfig("127.0.0.1", port)
        )
        early.round()
        assert _packs(box) == []
        Scheduler(url, Clock(MONDAY), smtp=lambda: SmtpConfig("127.0.0.1", port)).round()
        assert [str(m["To"]) for m in _packs(box)] == ["bob@example.com"]


@pytest.mark.parametrize(
    ("name", "pack", "schedule", "message"),
    [
        ("boss", "executive_weekly", "every monday", "not a schedule"),
        ("boss", "nope", "weekly MON 08:00", "unknown pack"),
        ("ghost", "executive_weekly", "weekly MON 08:00", "no account"),
    ],
)
def test_a_bad_subscription_is_refused_with_a_clear_message(
    book, name, pack, schedule, message
) -> None:
    _, portal = book
    with pytest.raises(subs.SubscriptionError, match=message):
        subs.add(portal, name, pack, schedule, lang="zh", actor="test", now=CREATED)


def test_a_role_that_may_not_receive_a_pack_cannot_subscribe_to_it(book) -> None:
    _, portal = book
    add_account(portal, "carol", "a long enough passphrase 1", {"compliance"}, actor="test")
    set_address(portal, "carol", "carol@example.com", actor="test", domains=())
    with pytest.raises(subs.SubscriptionError, match="may not receive the at_risk pack"):
        subs.add(
            portal, "carol", "at_risk", "weekly MON 08:00", lang="zh", actor="test", now=CREATED
        )


def test_the_other_packs_hold_what_their_pages_show(book) -> None:
    """The at-risk list for a committee member (names shown) and an executive (names masked),
    and compliance's filing calendar on Monday 7 December 2026 (nothing ever filed: the
    October detail, due 15 November, is overdue; the November one, due 15 December, not started)."""
    from dashboard.access.user import User
    from dashboard.delivery.packs import render
    from dashboard.views.risk import headers_only
    from queries.personal_data import mask_personal
    from warehouse.portal.decisions import watchlist

    url, portal = book
    engine = create_warehouse_engine(url, read_only=True)
    try:
        member = User("m", "m", frozenset({"risk_committee"}))
        boss = User("b", "b", frozenset({"executive"}))
        for user, reveal in ((member, True), (boss, False)):
            files = dict(render(engine, "at_risk", user, "zh", AS_OF, MONDAY))
            sheet = _sheet(files["at_risk-2024-06.xlsx"], "风险合同")
            page = QUERIES["at_risk.at_risk"](
                engine, Filters(as_of=AS_OF), watchlist=watchlist(portal), limit=1000
            )
            page = page.drop(columns=[c for c in page.columns if c[:2] in ("n_", "o_")])
            shown = headers_only(
                mask_personal(page.drop(columns="total_rows"), reveal=reveal), "zh"
            )
            assert sheet[0] == list(shown.columns)
            assert len(sheet) - 1 == len(shown)
            # Every text column (names masked or not, codes in words) cell by cell.
            for j, column in enumerate(shown.columns):
                values = list(shown[column])
                if all(v is None or isinstance(v, str) for v in values):
                    assert [r[j] for r in sheet[1:]] == ["" if v is None else v for v in values]
            names = list(shown[shown.columns[list(page.columns).index("lessee_name")]])
            if not reveal:
                assert any("*" in str(n) for n in names)  # individuals' names masked
        compliance = User("c", "c", frozenset({"compliance"}))
        files = dict(render(engine, "compliance_calendar", compliance, "zh", AS_OF, MONDAY))
        calendar = _sheet(files["compliance_calendar-2024-06.xlsx"], "报送日历")
    finally:
        engine.dispose()
    rows = {(r[0], r[1]): r for r in calendar[1:]}
    assert rows["合同明细", "2026-10-31"][2] == "2026-11-15"
    assert rows["合同明细", "2026-10-31"][3].endswith("逾期")
    assert rows["合同明细", "2026-11-30"][3].endswith("未开始")


@pytest.mark.parametrize(
    ("view", "outstanding", "words"),
    [
        ("product=direct_lease", "0.50 万元", "产品：直租"),  # A, 5,000, is a direct lease
        ("product=sale_leaseback", "0.00 万元", "产品：售后回租"),  # C closed in April
    ],
)
def test_a_page_view_subscription_renders_with_the_views_filters(
    book, view, outstanding, words
) -> None:
    url, portal = book
    frame = subs.listing(portal)
    subs.set_paused(portal, int(frame["sub_id"].iloc[0]), True, actor="t", now=CREATED)
    subs.set_paused(portal, int(frame["sub_id"].iloc[1]), True, actor="t", now=CREATED)
    subs.add(
        portal,
        "boss",
        "executive_weekly",
        "weekly MON 08:00",
        lang="zh",
        actor="t",
        now=CREATED,
        view=view,
    )
    with smtp_server() as (box, port):
        Scheduler(url, Clock(MONDAY), smtp=lambda: SmtpConfig("127.0.0.1", port)).round()
        (mail,) = _packs(box)
    files = _attachments(mail)
    kpis = _sheet(files["executive_weekly-2024-06.xlsx"], "核心指标")
    assert kpis[1][:3] == ["未偿本金", "余额口径", outstanding]
    cover = _sheet(files["executive_weekly-2024-06.xlsx"], "封面 Cover")
    assert ["筛选条件", words] in cover


def test_a_view_with_a_filter_the_pages_do_not_have_is_refused(book) -> None:
    _, portal = book
    with pytest.raises(subs.SubscriptionError, match="not a filter of the pages: as_of, foo"):
        subs.add(
            portal,
            "boss",
            "executive_weekly",
            "weekly MON 08:00",
            lang="zh",
            actor="t",
            now=CREATED,
            view="foo=1&as_of=2024-01",
        )
