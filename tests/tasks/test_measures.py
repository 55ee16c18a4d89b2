"""tasks.measures: the strategy in force as the step CASE, the clock as a window, and
rectification items closed on time, worked by hand on SQLite/DuckDB and PostgreSQL.

Strategy (saved body): big loans (product loan, exposure ≥ 1,000,000): DPD 1–60 visit, 61+
litigation; any product from 0: 1–7 reminder, 8–30 notice, 31–60 visit, 61–90 demand, 91+
litigation; any product from 5,000,000: 1–90 visit, 91+ litigation.

Rectification items (deadline, closed at UTC, department, branch), period November 2026, today
2026-12-09 in Asia/Shanghai (UTC+08:00):
1 deadline 11-10, closed 11-10 15:00 UTC (23:00 local) compliance B1 → on time;
2 deadline 11-10, closed 11-10 17:00 UTC (11-11 01:00 local) compliance B1 → late;
3 deadline 11-20, open, risk B1 → late; 4 deadline 11-25, closed 11-01, compliance, no branch
(institution-wide) → on time; 5 deadline 12-01, open → December, not counted; 6 deadline 11-30
closed 11-28 risk B2 → on time. November: compliance 3 due, 2 on time; risk 2 due, 1 on time;
all 5, 3. Scope B1: compliance 2 (1, 2) 1 on time; risk 1 (3) 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.task_steps import step_case
from tasks.measures import month_period, rectification_behind, rectification_on_time, step_bands
from tasks.measures import window as make_window
from tasks.strategy import parse
from tasks.triggers import assign_bands
from tests.tasks.measure_tasks import rectification_rows
from warehouse.engine import create_warehouse_engine
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.rectification import rectification_items

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _utc(*parts: int) -> datetime:
    """A naive UTC time, as the portal store keeps times."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


NOW = _utc(2026, 12, 8, 17, 0)  # 2026-12-09 01:00 in Shanghai


def _band(dpd: str, product: str, floor: str, step: str) -> dict[str, object]:
    start, _, end = dpd.partition("-")
    return {
        "dpd_from": start,
        "dpd_to": end or None,
        "product": product,
        "min_exposure": floor,
        "step": step,
        "department": "legal" if step in ("demand", "litigation") else "collections",
        "sla_days": 3,
        "priority": 2,
    }


STRATEGY = parse(
    {
        "bands": [
            _band("1-7", "*", "0", "reminder"),
            _band("8-30", "*", "0", "notice"),
            _band("31-60", "*", "0", "visit"),
            _band("61-90", "*", "0", "demand"),
            _band("91-", "*", "0", "litigation"),
            _band("1-60", "loan", "1000000", "visit"),
            _band("61-", "loan", "1000000", "litigation"),
            _band("1-90", "*", "5000000", "visit"),
            _band("91-", "*", "5000000", "litigation"),
        ]
    }
)

# (dpd, product, exposure) -> the step worked out by hand
CASES: list[tuple[int, str, str, str]] = [
    (5, "direct_lease", "100", "reminder"),
    (8, "direct_lease", "100", "notice"),
    (45, "direct_lease", "100", "visit"),
    (75, "direct_lease", "100", "demand"),
    (200, "direct_lease", "100", "litigation"),
    (5, "loan", "999999.99", "reminder"),  # below the loan tier: '*' from 0
    (5, "loan", "1000000", "visit"),  # the loan tier from exactly its floor
    (75, "loan", "1000000", "litigation"),
    (75, "loan", "6000000", "litigation"),  # its own product before '*' of a larger floor
    (75, "sale_leaseback", "6000000", "visit"),  # '*' from 5,000,000
    (0, "direct_lease", "100", ""),  # not past due: no step
]


def test_bands_are_tried_most_specific_first() -> None:
    bands = step_bands(STRATEGY)
    assert [(b.product, b.min_exposure, b.dpd_min) for b in bands[:2]] == [
        ("loan", Decimal(1000000), 1),
        ("loan", Decimal(1000000), 61),
    ]
    assert {(b.product, b.min_exposure) for b in bands[2:4]} == {(None, Decimal(5000000))}
    assert {(b.product, b.min_exposure) for b in bands[4:]} == {(None, Decimal(0))}


def test_the_step_case_gives_each_contract_the_row_the_sync_gives_it(db_url: str) -> None:
    """The CASE in the warehouse, the hand-worked step and tasks.triggers.assign_bands agree."""
    engine = create_warehouse_engine(db_url)
    rows = sa.Table(
        "step_rows",
        sa.MetaData(),
        sa.Column("n", sa.Integer),
        sa.Column("dpd", sa.Integer),
        sa.Column("product", sa.String),
        sa.Column("outstanding_principal", sa.Numeric(18, 2)),
    )
    rows.create(engine)
    with engine.begin() as conn:
        conn.execute(
            rows.insert(),
            [
                {"n": n, "dpd": d, "product": p, "outstanding_principal": Decimal(x)}
                for n, (d, p, x, _) in enumerate(CASES)
            ],
        )
        got = conn.execute(
            sa.select(rows.c.n, step_case(step_bands(STRATEGY), rows)).order_by(rows.c.n)
        ).all()
    engine.dispose()
    assert [step or "" for _, step in got] == [step for *_, step in CASES]
    frame = pd.DataFrame(
        [(d, p, Decimal(x)) for d, p, x, s in CASES if s], columns=["dpd", "product", "exposure"]
    )
    assert list(assign_bands(frame, STRATEGY)["step"]) == [s for *_, s in CASES if s]


def test_the_window_is_todays_date_and_offset_in_the_display_zone() -> None:
    first, last = month_period(date(2026, 11, 17))
    assert (first, last) == (date(2026, 11, 1), date(2026, 11, 30))
    w = make_window(first, last, NOW, SHANGHAI, scope=("B1",))
    assert (w.today, w.utc_minutes, w.scope) == (date(2026, 12, 9), 480, ("B1",))
    assert make_window(first, last, NOW, ZoneInfo("UTC")).today == date(2026, 12, 8)


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    engine = portal_engine(portal_url(db_url))
    with engine.begin() as conn:
        conn.execute(rectification_items.insert(), rectification_rows())
    yield engine
    engine.dispose()


def _counts(frame: pd.DataFrame) -> dict[str, tuple[int, int]]:
    return {r["department"]: (r["came_due"], r["on_time"]) for r in frame.to_dict("records")}


def test_rectification_items_closed_on_time_by_department(portal: Engine) -> None:
    w = make_window(date(2026, 11, 1), date(2026, 11, 30), NOW, SHANGHAI)
    frame, verdict = rectification_on_time(portal, w, SHANGHAI)
    assert _counts(frame) == {"compliance": (3, 2), "risk": (2, 1), "all": (5, 3)}
    assert frame.set_index("department").loc["all", "share"] == Decimal(3) / Decimal(5)
    assert verdict == {1: True, 2: False, 3: False, 4: True, 6: True}


def test_rectification_follows_scope_and_drills_to_its_items(portal: Engine) -> None:
    w = make_window(date(2026, 11, 1), date(2026, 11, 30), NOW, SHANGHAI, scope=("B1",))
    frame, _ = rectification_on_time(portal, w, SHANGHAI)
    assert _counts(frame) == {"compliance": (2, 1), "risk": (1, 0), "all": (3, 1)}
    behind = rectification_behind(portal, w, SHANGHAI, "compliance")
    assert list(zip(behind["item_id"], behind["in_time"], strict=True)) == [(1, True), (2, False)]


def test_an_item_due_today_or_later_has_not_come_due(portal: Engine) -> None:
    today = _utc(2026, 11, 30, 1, 0)  # 11-30 09:00 in Shanghai: item 6 is due today
    w = make_window(date(2026, 11, 1), date(2026, 11, 30), today, SHANGHAI)
    frame, _ = rectification_on_time(portal, w, SHANGHAI)
    assert _counts(frame) == {"compliance": (3, 2), "risk": (1, 0), "all": (4, 2)}
    december = make_window(date(2026, 12, 1), date(2026, 12, 31), today, SHANGHAI)
    assert _counts(rectification_on_time(portal, december, SHANGHAI)[0]) == {"all": (0, 0)}
