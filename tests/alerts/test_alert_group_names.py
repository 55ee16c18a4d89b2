"""A concentration alert on a group names the group, on the inbox and in its e-mail: "单一集团
恒泰控股集团有限公司 (G1)" rather than the code alone, from the extract's optional group name
(`exposure_book`: lessees X and Y form group G1); without a name it still reads by the code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alerts.store import Announcement
from dashboard.delivery.alert_mail import compose, subject_names
from dashboard.delivery.words import detail, subject_name
from tests.queries.books import Build, exposure_book

NAME = "恒泰控股集团有限公司"
SAID = Announcement(
    alert_id=7,
    rule="concentration",
    subject="group:G1",
    event="fired",
    period=date(2024, 6, 30),
    value=Decimal("0.55"),
    line=Decimal("0.50"),
    page="overview.py",
)
ROW = {
    "rule": "concentration",
    "subject": "group:G1",
    "value": Decimal("0.55"),
    "line": Decimal("0.50"),
    "first_period": date(2024, 6, 30),
}


def test_a_group_subject_reads_by_name_and_id_when_named_and_by_id_otherwise() -> None:
    names = {"group:G1": f"{NAME} (G1)"}
    assert subject_name("group:G1", "zh", "concentration", names) == f"单一集团 {NAME} (G1)"
    assert subject_name("group:G1", "zh", "concentration") == "单一集团 G1"
    assert subject_name("lessee:X", "zh", "concentration", names) == "单一承租人 X"
    assert detail(ROW, "zh", names).startswith(f"单一集团 {NAME} (G1)：55.00%")


def test_the_mail_of_a_group_alert_names_the_group_from_the_warehouse(build: Build) -> None:
    named = exposure_book()
    for lessee in named.lessees:
        lessee["group_name"] = NAME if lessee["group_id"] == "G1" else None
    engine = build(named, "2024-06-30")
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()  # the scheduler reads the warehouse as a reader, nothing else holds it
    names = subject_names(url, [SAID])
    assert names == {"group:G1": f"{NAME} (G1)"}
    _, body = compose(SAID, "https://postloan.example", names)
    assert f"单一集团 {NAME} (G1)" in body and f"Single group {NAME} (G1)" in body


def test_an_unnamed_group_alert_reads_by_its_code(build: Build) -> None:
    engine = build(exposure_book(), "2024-06-30")
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    assert subject_names(url, [SAID]) == {}
    _, body = compose(SAID, "https://postloan.example", {})
    assert "单一集团 G1：" in body


def test_a_filing_alert_names_the_report_as_a_filer_does() -> None:
    """Supervisory form numbers stay before their title; our own codes give way to the title."""
    missed = {
        "rule": "filing.missed",
        "subject": "DETAIL:2026-10-31",
        "value": 0,
        "first_period": None,
    }
    assert (
        detail(missed, "en")
        == "Loan-level detail for 2026-10 is past its deadline and not submitted"
    )
    assert subject_name("G11:2026-10-31", "zh", "filing.t5") == "G11 资产质量五级分类情况表 2026-10"
    assert (
        subject_name("CONC:2026-10-31", "en", "filing.t1")
        == "Concentration and prudential ratios 2026-10"
    )
