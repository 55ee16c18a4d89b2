"""The dossier's figures equal the warehouse's, worked by hand on `risk_books.watch_book` plus:

- D1 has an individual guarantor G1 (李四) and a second contract D2 of its lessee LD1
  (2,000 due 2024-12-10, clean);
- FD's lessee LFD and FC's lessee LFC are both in group G9.
As of 2024-06-30; interest 0 everywhere.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from queries import dossier, dossier_monitoring
from queries.filters import Filters
from tests.queries.books import Build
from tests.queries.risk_books import AS_OF, watch_book
from tests.warehouse.book import Book

JUNE = Filters(as_of=date(2024, 6, 30))
ELSEWHERE = Filters(as_of=date(2024, 6, 30), scope=("BJ",))


def dossier_book() -> Book:
    """The watch book with a guarantor, a second contract for LD1 and the group G9."""
    b = watch_book()
    b.__dict__["guarantors"] = [
        {"contract_id": "D1", "guarantor_id": "G1", "name": "李四", "guarantor_type": "individual"}
    ]
    b.contract("D2", "2024-01-10", [("2024-12-10", "2000", "0")], lessee_id="LD1")
    for lessee in b.lessees:
        if lessee["lessee_id"] in {"LFD", "LFC"}:
            lessee["group_id"] = "G9"
    return b


@pytest.fixture
def engine(build: Build) -> Engine:
    """The dossier book built as of 2024-06-30."""
    return build(dossier_book(), AS_OF)


def test_header_has_contract_lessee_and_position(engine: Engine) -> None:
    """D1: principal 1,000; 500 due 06-10 unpaid → DPD 20, overdue 500, special_mention (dpd)."""
    row = dossier.header(engine, JUNE, "D1").iloc[0]
    assert (row.lessee_id, row.lessee_name, row.lessee_type) == ("LD1", "name LD1", "individual")
    assert row.principal == Decimal("1000.00")
    assert row.month_end == date(2024, 6, 30)
    assert (row.outstanding_principal, row.overdue_principal) == (Decimal(1000), Decimal(500))
    assert (row.dpd, row.risk_class, row.class_reason) == (20, "special_mention", "dpd")


def test_forged_or_out_of_scope_contract_shows_nothing(engine: Engine) -> None:
    """An unknown id, or a branch-BJ user asking for an SH contract: every section is empty."""
    assert dossier.header(engine, JUNE, "NOPE").empty
    assert dossier.header(engine, ELSEWHERE, "D1").empty
    assert dossier.history(engine, ELSEWHERE, "D1").empty
    assert dossier.guarantors(engine, ELSEWHERE, "D1").empty
    assert dossier.lessee_contracts(engine, ELSEWHERE, "D1").empty
    assert dossier_monitoring.financials(engine, ELSEWHERE, "FD").empty
    assert dossier_monitoring.signals(engine, ELSEWHERE, "SG").empty


def test_history_marks_every_class_change_with_its_reason(engine: Engine) -> None:
    """D1 Jan–May DPD 0 normal; Jun DPD 20 special_mention (dpd): changes at Jan and Jun."""
    frame = dossier.history(engine, JUNE, "D1")
    assert list(frame.dpd) == [0, 0, 0, 0, 0, 20]
    changes = frame[frame.class_changed.astype(bool)]
    assert [
        (m.month, c, r)
        for m, c, r in changes[["month_end", "risk_class", "class_reason"]].itertuples(index=False)
    ] == [(1, "normal", "dpd"), (6, "special_mention", "dpd")]


def test_payments_count_only_installments_in_force(engine: Engine) -> None:
    """D1: 500 due in June, nothing received. PB: 100 received in May; outstanding 900 from May.
    OB: its first version's 12-10 installment lapsed at the 05-01 restructuring and the new one
    is due 2025-06: nothing due up to June."""
    d1 = dossier.payments(engine, JUNE, "D1").set_index("month_end")
    assert d1.loc[date(2024, 6, 30), "due_in_month"] == Decimal(500)
    assert d1.loc[date(2024, 6, 30), "due_to_date"] == Decimal(500)
    assert d1["received_in_month"].sum() == 0
    pb = dossier.payments(engine, JUNE, "PB").set_index("month_end")
    assert pb.loc[date(2024, 5, 31), "received_in_month"] == Decimal(100)
    assert pb.loc[date(2024, 6, 30), "received_to_date"] == Decimal(100)
    assert pb.loc[date(2024, 6, 30), "outstanding_principal"] == Decimal(900)
    ob = dossier.payments(engine, JUNE, "OB")
    assert ob["due_in_month"].sum() == 0
    assert len(dossier.schedule(engine, JUNE, "OB")) == 2


def test_guarantors_and_lessee_contracts(engine: Engine) -> None:
    """D1's guarantor 李四; lessee LD1 holds D2 (2,000) then D1 (1,000)."""
    g = dossier.guarantors(engine, JUNE, "D1")
    assert list(zip(g.guarantor_name, g.guarantor_type, strict=True)) == [("李四", "individual")]
    mine = dossier.lessee_contracts(engine, JUNE, "D1")
    assert list(zip(mine.contract_id, mine.outstanding_principal, strict=True)) == [
        ("D2", Decimal(2000)),
        ("D1", Decimal(1000)),
    ]


def test_group_exposure_lists_every_member(engine: Engine) -> None:
    """Group G9: LFC 1,000 and LFD 1,000, no NPL; a lessee with no group is alone."""
    frame = dossier.group_exposure(engine, JUNE, "FD")
    assert list(zip(frame.lessee_id, frame.outstanding, frame.npl_outstanding, strict=True)) == [
        ("LFC", Decimal(1000), Decimal(0)),
        ("LFD", Decimal(1000), Decimal(0)),
    ]
    assert list(dossier.group_exposure(engine, JUNE, "D1").outstanding) == [Decimal(3000)]


def test_financial_ratios(engine: Engine) -> None:
    """LFD 2022: 500/1,000 = 0.5 debt, OCF 10/500 = 0.02 of liabilities and of revenue, margin
    50/500 = 0.1, no prior year. 2023: 750/1,000 = 0.75; 10/750 = 0.013333; 10/500 = 0.02;
    revenue 500 vs 500 → +0."""
    frame = dossier_monitoring.financials(engine, JUNE, "FD")
    assert list(frame.period_end) == [date(2022, 12, 31), date(2023, 12, 31)]
    assert list(frame.debt_ratio) == [Decimal("0.5"), Decimal("0.75")]
    assert list(frame.ocf_to_liabilities) == [Decimal("0.02"), Decimal("0.013333")]
    assert list(frame.ocf_to_revenue) == [Decimal("0.02"), Decimal("0.02")]
    assert list(frame.net_margin) == [Decimal("0.1"), Decimal("0.1")]
    assert frame.revenue_yoy.iloc[0] is None or frame.revenue_yoy.isna().iloc[0]
    assert frame.revenue_yoy.iloc[1] == 0


def test_monitoring_sections(engine: Engine) -> None:
    """PB one promise of 300; IA inspections newest first; IO one June geofence exit; SG one
    high court signal; the 2024-09-30 statement of BIG's lessee is after the as-of."""
    pb = dossier_monitoring.collections(engine, JUNE, "PB")
    assert list(zip(pb.outcome, pb.promised_amount, strict=True)) == [
        ("promise_to_pay", Decimal(300))
    ]
    ia = dossier_monitoring.inspections(engine, JUNE, "IA")
    assert list(ia.asset_status) == ["damaged", "normal"]
    io = dossier_monitoring.device_event_months(engine, JUNE, "IO")
    assert list(io.itertuples(index=False, name=None)) == [(2024, 6, "geofence_exit", 1)]
    assert len(dossier_monitoring.device_events(engine, JUNE, "IO")) == 1
    sg = dossier_monitoring.signals(engine, JUNE, "SG")
    assert list(zip(sg.severity, sg.source, strict=True)) == [("high", "court")]
    big = dossier_monitoring.financials(engine, JUNE, "BIG")
    assert max(big.period_end) == date(2023, 12, 31)


def test_the_group_is_named_in_the_header_and_the_group_section(build: Build) -> None:
    """G9's members carry 华鑫控股集团有限公司: FD's header and each group row name it; D1's
    lessee has no group, so no name either."""
    book = dossier_book()
    for lessee in book.lessees:
        lessee["group_name"] = "华鑫控股集团有限公司" if lessee["group_id"] == "G9" else None
    engine = build(book, AS_OF)
    head = dossier.header(engine, JUNE, "FD")
    assert (head.group_id.iloc[0], head.group_name.iloc[0]) == ("G9", "华鑫控股集团有限公司")
    group = dossier.group_exposure(engine, JUNE, "FD")
    assert list(group.group_name) == ["华鑫控股集团有限公司"] * 2
    assert dossier.header(engine, JUNE, "D1").group_name.iloc[0] is None
