"""The filing calendar: deadlines worked out by hand from the registry, statuses from the store."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from regulatory import filing
from regulatory.calendar import CalendarEntry, deadline, filing_calendar, month_ends
from regulatory.registry import REPORTS, report_spec
from tests.regulatory import filing_portal

portal = filing_portal.portal  # the portal-store fixture (SQLite and PostgreSQL)

Q1 = dt.date(2024, 3, 31)


@pytest.mark.parametrize(
    ("code", "period", "due"),
    [
        ("G11", Q1, dt.date(2024, 4, 13)),  # 31 March + 13 days
        ("G12", dt.date(2024, 12, 31), dt.date(2025, 1, 13)),  # across the year end
        ("DETAIL", dt.date(2024, 2, 29), dt.date(2024, 3, 15)),  # leap February + 15 days
        ("DETAIL", dt.date(2024, 1, 31), dt.date(2024, 2, 15)),
    ],
)
def test_deadline_is_the_period_end_plus_the_reports_days(
    code: str, period: dt.date, due: dt.date
) -> None:
    assert deadline(report_spec(code), period) == due


def test_quarterly_reports_fall_due_only_at_quarter_ends() -> None:
    with pytest.raises(ValueError, match="quarterly"):
        deadline(report_spec("G11"), dt.date(2024, 2, 29))


def test_month_ends_cover_whole_months() -> None:
    assert month_ends(dt.date(2023, 12, 5), dt.date(2024, 2, 1)) == [
        dt.date(2023, 12, 31),
        dt.date(2024, 1, 31),
        dt.date(2024, 2, 29),
    ]


def _version(engine: Engine, code: str, period: dt.date) -> int:
    return filing.new_version(
        engine,
        report_code=code,
        period=period,
        cells={f"{code}_1_A": 1},
        actor="alice",
        load_id=1,
        data_sha256="a" * 64,
    )


def test_calendar_of_a_quarter_with_each_status(portal: Engine, tmp_path) -> None:
    """Q1 2024 seen on 14 April: the quarterly reports were due 13 April, the March detail is due
    15 April. G11 submitted; G12 only a draft (late); OVERDUE reviewed (late); TOP10 validated
    (late); CONC never started (late); DETAIL January and February never filed (due 15 Feb and
    15 Mar, late); DETAIL March withdrawn only, so not started and not yet due."""
    filing_portal.filed(portal, "G11", Q1, tmp_path)
    _version(portal, "G12", Q1)
    for code, steps in (("OVERDUE", 2), ("TOP10", 1)):
        v = _version(portal, code, Q1)
        filing.record_validation(portal, v, [], "alice")
        filing.submit_for_review(portal, v, "alice")
        if steps == 2:
            filing.approve(portal, v, "bob")
    filing.withdraw(portal, _version(portal, "DETAIL", Q1), "alice", "数据重载")
    got = filing_calendar(portal, REPORTS, dt.date(2024, 1, 1), Q1, today=dt.date(2024, 4, 14))
    table = [(e.report_code, e.period, e.deadline, e.status) for e in got]
    jan, feb = dt.date(2024, 1, 31), dt.date(2024, 2, 29)
    due = dt.date(2024, 4, 13)
    assert table == [
        ("DETAIL", jan, dt.date(2024, 2, 15), "overdue"),
        ("DETAIL", feb, dt.date(2024, 3, 15), "overdue"),
        ("G11", Q1, due, "submitted"),
        ("G12", Q1, due, "overdue"),
        ("OVERDUE", Q1, due, "overdue"),
        ("TOP10", Q1, due, "overdue"),
        ("CONC", Q1, due, "overdue"),
        ("DETAIL", Q1, dt.date(2024, 4, 15), "not_started"),
    ]


def test_before_the_deadline_the_status_is_the_latest_versions_state(portal: Engine) -> None:
    _version(portal, "G12", Q1)
    v = _version(portal, "TOP10", Q1)
    filing.record_validation(portal, v, [], "alice")
    filing.submit_for_review(portal, v, "alice")
    got = {
        e.report_code: e.status
        for e in filing_calendar(portal, REPORTS, Q1, Q1, today=dt.date(2024, 4, 13))
    }
    assert got == {
        "G11": "not_started",
        "G12": "draft",
        "OVERDUE": "not_started",
        "TOP10": "validated",
        "CONC": "not_started",
        "DETAIL": "not_started",
    }


def test_a_correction_under_way_keeps_the_filing_submitted(portal: Engine, tmp_path) -> None:
    v = _version(portal, "G11", Q1)
    filing.record_validation(portal, v, [], "alice")
    filing.submit_for_review(portal, v, "alice")
    filing.approve(portal, v, "bob")
    filing.submit(
        portal, v, "bob", workbook=b"x", file_name="g.xlsx", cells={"G11_1_A": 1}, archive=tmp_path
    )
    filing.new_version(
        portal,
        report_code="G11",
        period=Q1,
        cells={"G11_1_A": 2},
        actor="alice",
        load_id=2,
        data_sha256="b" * 64,
        reason="更正",
    )
    (g11,) = [
        e
        for e in filing_calendar(portal, REPORTS, Q1, Q1, today=dt.date(2024, 6, 1))
        if e.report_code == "G11"
    ]
    assert g11 == CalendarEntry("G11", Q1, dt.date(2024, 4, 13), "submitted", v, correcting=True)
