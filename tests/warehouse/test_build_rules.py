"""Hand-worked cases for every rule of docs/domain.md §2–4, each on DuckDB and PostgreSQL.

The expected values in each test are worked out in its docstring or comments, from the rules,
not from the build's output.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.warehouse.book import Book, build_book, d, monthly, row


def test_receipts_go_to_oldest_installment_interest_first(db_url: str) -> None:
    """3 × (1,000 principal + 100 interest) due the 15th; 1,100 on time, then 600 late.

    At 2024-03-31 received 1,700: installment 1 (1,100) paid, 600 into installment 2: 100
    interest then 500 principal. Repaid 1,500 → outstanding 1,500; overdue principal 2,000 −
    1,500 = 500, overdue interest 200 − 200 = 0; oldest unpaid due 03-15 → DPD 16.
    """
    b = Book()
    b.contract("C1", "2024-01-15", monthly("2024-02-15", 3, "1000", "100"))
    b.pay("C1", "2024-02-15", "1100")
    b.pay("C1", "2024-03-20", "600")
    f = build_book(db_url, b, "2024-06-30")

    assert list(f.mob) == [0, 1, 2, 3, 4, 5]
    jan = row(f, "C1", "2024-01-31")
    assert (jan["outstanding_principal"], jan["dpd"], jan["risk_class"]) == (3000, 0, "normal")
    feb = row(f, "C1", "2024-02-29")
    assert (feb["outstanding_principal"], feb["dpd"]) == (2000, 0)
    mar = row(f, "C1", "2024-03-31")
    assert mar["outstanding_principal"] == Decimal("1500.00")
    assert (mar["overdue_principal"], mar["overdue_interest"]) == (500, 0)
    assert (mar["dpd"], mar["dpd_bucket"], mar["risk_class"]) == (16, "M1", "special_mention")
    # April: all three due; repaid 1,500 of 3,000 principal and 200 of 300 interest.
    apr = row(f, "C1", "2024-04-30")
    assert (apr["overdue_principal"], apr["overdue_interest"], apr["dpd"]) == (1500, 100, 46)
    assert row(f, "C1", "2024-05-31")["dpd"] == 77
    jun = row(f, "C1", "2024-06-30")
    assert (jun["dpd"], jun["dpd_bucket"], jun["risk_class"]) == (107, "M4", "substandard")
    assert jun["received_to_date"] == 1700


def test_installment_due_on_month_end_is_not_overdue_and_overpayment_closes(db_url: str) -> None:
    """Due 02-29 with nothing paid: not overdue on 02-29. 2,500 paid against 2,030 due closes
    the contract in March (outstanding 0, credit kept) and it has no April row."""
    b = Book()
    b.contract("C2", "2024-01-31", [("2024-02-29", "1000", "20"), ("2024-03-31", "1000", "10")])
    b.pay("C2", "2024-03-05", "2500")
    f = build_book(db_url, b, "2024-06-30")

    feb = row(f, "C2", "2024-02-29")
    assert (feb["dpd"], feb["overdue_principal"], feb["outstanding_principal"]) == (0, 0, 2000)
    mar = row(f, "C2", "2024-03-31")
    assert (mar["outstanding_principal"], mar["closed"], mar["dpd"]) == (0, True, 0)
    assert list(f.month_end) == [d("2024-01-31"), d("2024-02-29"), d("2024-03-31")]


BOUNDARIES = [
    (30, "M1", "special_mention"),
    (31, "M2", "special_mention"),
    (60, "M2", "special_mention"),
    (61, "M3", "special_mention"),
    (90, "M3", "special_mention"),
    (91, "M4", "substandard"),
    (120, "M4", "substandard"),
    (121, "M5", "substandard"),
    (150, "M5", "substandard"),
    (151, "M6", "substandard"),
    (180, "M6", "substandard"),
    (181, "M7+", "substandard"),
    (270, "M7+", "substandard"),
    (271, "M7+", "doubtful"),
    (360, "M7+", "doubtful"),
    (361, "M7+", "loss"),
]


def test_dpd_boundaries_give_buckets_and_floor_classes(db_url: str) -> None:
    """One unpaid installment due exactly X days before the as-of month-end → DPD X."""
    as_of = d("2025-12-31")
    b = Book()
    for days, _, _ in BOUNDARIES:
        due = (as_of - timedelta(days=days)).isoformat()
        b.contract(f"D{days:03d}", "2024-06-01", [(due, "1000", "0")])
    f = build_book(db_url, b, as_of.isoformat())
    for days, bucket, risk_class in BOUNDARIES:
        got = row(f, f"D{days:03d}", "2025-12-31")
        assert (got["dpd"], got["dpd_bucket"], got["risk_class"]) == (days, bucket, risk_class)
        assert got["class_reason"] == "dpd"


def test_restructured_schedule_version_restates_what_is_owed(db_url: str) -> None:
    """3 × (1,000 + 30); 1,030 paid; 03-10 missed; extension on 03-20 restates the 2,000 owed
    as 4 × (500 + 10) from 04-20, each paid on its due date.

    From 03-20 receipts count against the new version only, so March shows 2,000 outstanding and
    DPD 0 (nothing of the new version due yet); the contract is in observation (special mention,
    'restructured') until at least 2025-04-20, and closes in July 2024.
    """
    b = Book()
    b.contract("R", "2024-01-10", monthly("2024-02-10", 3, "1000", "30"), valid_to="2024-03-20")
    b.pay("R", "2024-02-10", "1030")
    b.restructure("R", "2024-03-20")
    b.version("R", monthly("2024-04-20", 4, "500", "10"), valid_from="2024-03-20")
    for due in ("2024-04-20", "2024-05-20", "2024-06-20", "2024-07-20"):
        b.pay("R", due, "510")
    f = build_book(db_url, b, "2024-12-31")

    assert row(f, "R", "2024-02-29")["risk_class"] == "normal"
    mar = row(f, "R", "2024-03-31")
    assert (mar["outstanding_principal"], mar["dpd"], mar["in_observation"]) == (2000, 0, True)
    assert (mar["risk_class"], mar["class_reason"]) == ("special_mention", "restructured")
    assert row(f, "R", "2024-05-31")["outstanding_principal"] == 1000
    jul = row(f, "R", "2024-07-31")
    assert (jul["outstanding_principal"], jul["closed"]) == (0, True)
    assert f.month_end.max() == d("2024-07-31")


def _restructured_with_a_miss(b: Book) -> None:
    """24 × 100 monthly; Feb paid; grace period from 03-01 restates 2,300 as 23 × 100 from
    04-05. Every installment paid on its due date except 06-05, paid on 06-20."""
    b.contract("S", "2024-01-05", monthly("2024-02-05", 24, "100"), valid_to="2024-03-01")
    b.pay("S", "2024-02-05", "100")
    b.restructure("S", "2024-03-01", "grace_period")
    new = monthly("2024-04-05", 23, "100")
    b.version("S", new, valid_from="2024-03-01")
    for due, _, _ in new:
        if due <= "2025-08-31":
            b.pay("S", "2024-06-20" if due == "2024-06-05" else due, "100")


def test_observation_restarts_from_a_missed_payment(db_url: str) -> None:
    """Observation starts at the first new due date 2024-04-05 and would end 2025-04-05; the
    06-05 installment was missed, so it restarts there and ends 2025-06-05 instead."""
    b = Book()
    _restructured_with_a_miss(b)
    f = build_book(db_url, b, "2025-08-31")

    jun = row(f, "S", "2024-06-30")
    assert (jun["dpd"], jun["risk_class"], jun["class_reason"]) == (
        0,
        "special_mention",
        "restructured",
    )
    assert row(f, "S", "2025-04-30")["in_observation"]  # would have ended 2025-04-05
    assert row(f, "S", "2025-05-31")["in_observation"]
    after = row(f, "S", "2025-06-30")
    assert (after["in_observation"], after["risk_class"], after["class_reason"]) == (
        False,
        "normal",
        "dpd",
    )


def test_observation_without_a_miss_ends_after_twelve_months(db_url: str) -> None:
    """Same contract paid on time throughout: observation ends 2025-04-05."""
    b = Book()
    b.contract("T", "2024-01-05", monthly("2024-02-05", 24, "100"), valid_to="2024-03-01")
    b.pay("T", "2024-02-05", "100")
    b.restructure("T", "2024-03-01", "rate_cut")
    new = monthly("2024-04-05", 23, "100")
    b.version("T", new, valid_from="2024-03-01")
    for due, _, _ in new:
        if due <= "2025-08-31":
            b.pay("T", due, "100")
    f = build_book(db_url, b, "2025-08-31")
    assert row(f, "T", "2025-03-31")["in_observation"]
    assert not row(f, "T", "2025-04-30")["in_observation"]
    assert row(f, "T", "2025-04-30")["risk_class"] == "normal"


def test_second_restructuring_inside_observation_is_substandard(db_url: str) -> None:
    """A second restructuring on 2024-09-01, inside the first one's observation period, puts the
    contract in substandard ('restructured_again') however well it pays."""
    b = Book()
    b.contract("W", "2024-01-05", monthly("2024-02-05", 24, "100"), valid_to="2024-03-01")
    b.pay("W", "2024-02-05", "100")
    b.restructure("W", "2024-03-01")
    b.version("W", monthly("2024-04-05", 23, "100"), valid_from="2024-03-01", valid_to="2024-09-01")
    for due in ("2024-04-05", "2024-05-05", "2024-06-05", "2024-07-05", "2024-08-05"):
        b.pay("W", due, "100")
    b.restructure("W", "2024-09-01", "extension")
    b.version("W", monthly("2024-10-05", 36, "50"), valid_from="2024-09-01")
    f = build_book(db_url, b, "2024-12-31")
    aug = row(f, "W", "2024-08-31")
    assert (aug["risk_class"], aug["class_reason"]) == ("special_mention", "restructured")
    sep = row(f, "W", "2024-09-30")
    assert sep["outstanding_principal"] == 1800
    assert (sep["risk_class"], sep["class_reason"]) == ("substandard", "restructured_again")


def test_override_only_worsens_and_is_replaced_by_a_later_one(db_url: str) -> None:
    """O pays on time: substandard by override from 2024-03, back to the floor (normal) when a
    later override of 2024-05 says normal. P is 100 DPD (substandard): an override to special
    mention cannot make it better."""
    b = Book()
    b.contract("O", "2024-01-10", monthly("2024-02-10", 12, "100"))
    for due, _, _ in monthly("2024-02-10", 8, "100"):
        b.pay("O", due, "100")
    b.override("O", "2024-03", "substandard")
    b.override("O", "2024-05", "normal")
    b.contract("P", "2024-01-10", [("2024-03-22", "1000", "0")])
    b.override("P", "2024-06", "special_mention")
    f = build_book(db_url, b, "2024-06-30")

    assert row(f, "O", "2024-02-29")["risk_class"] == "normal"
    for month in ("2024-03-31", "2024-04-30"):
        got = row(f, "O", month)
        assert (got["risk_class"], got["class_reason"]) == ("substandard", "override")
    may = row(f, "O", "2024-05-31")
    assert (may["risk_class"], may["class_reason"]) == ("normal", "dpd")
    p = row(f, "P", "2024-06-30")
    assert (p["dpd"], p["risk_class"], p["class_reason"]) == (100, "substandard", "dpd")


def _debtor_book(lessee_type: str, small: str, large: str) -> Book:
    """One lessee with a 100-DPD contract of `small` and a current contract of `large`."""
    b = Book()
    b.lessee("L1", lessee_type)
    b.contract("G1", "2024-01-01", [("2025-03-22", small, "0")], lessee_id="L1")
    b.contract("G2", "2024-01-01", [("2026-12-31", large, "0")], lessee_id="L1")
    return b


def test_corporate_lessee_over_ten_percent_npl_drags_all_contracts(db_url: str) -> None:
    """NPL 1,000 of 9,000 = 11.1% > 10%: the current contract G2 becomes substandard."""
    f = build_book(db_url, _debtor_book("corporate", "1000", "8000"), "2025-06-30")
    g1 = row(f, "G1", "2025-06-30")
    assert (g1["dpd"], g1["risk_class"], g1["class_reason"]) == (100, "substandard", "dpd")
    g2 = row(f, "G2", "2025-06-30")
    assert (g2["dpd"], g2["risk_class"], g2["class_reason"]) == (
        0,
        "substandard",
        "debtor_npl_share",
    )
    # In May G1 is 70 DPD (special mention): no NPL, so no drag.
    assert row(f, "G2", "2025-05-31")["risk_class"] == "normal"


def test_exactly_ten_percent_or_an_individual_lessee_is_not_dragged(db_url: str) -> None:
    """1,000 of 10,000 is exactly 10%, not above; individuals are retail and exempt."""
    f = build_book(db_url, _debtor_book("corporate", "1000", "9000"), "2025-06-30")
    assert row(f, "G2", "2025-06-30")["risk_class"] == "normal"
    f = build_book(db_url, _debtor_book("individual", "1000", "1000"), "2025-06-30")
    assert row(f, "G2", "2025-06-30")["risk_class"] == "normal"


def _upgrade_book() -> Book:
    """12 × 100 due the 10th from 2024-02-10; nothing paid until 06-15, when 500 clears Feb–Jun;
    then 07-10, 08-10 and 09-10 paid on their due dates."""
    b = Book()
    b.contract("U", "2024-01-10", monthly("2024-02-10", 12, "100"))
    b.pay("U", "2024-06-15", "500")
    for due in ("2024-07-10", "2024-08-10", "2024-09-10"):
        b.pay("U", due, "100")
    return b


def test_leaving_npl_waits_for_two_on_time_installments(db_url: str) -> None:
    """May: DPD 111 → substandard. Arrears cleared 06-15; the next two installments (07-10,
    08-10) are paid on time, so June and July keep substandard ('upgrade_hold') and August is
    normal again."""
    f = build_book(db_url, _upgrade_book(), "2024-09-30")
    may = row(f, "U", "2024-05-31")
    assert (may["dpd"], may["risk_class"]) == (111, "substandard")
    for month in ("2024-06-30", "2024-07-31"):
        got = row(f, "U", month)
        assert (got["dpd"], got["risk_class"], got["class_reason"]) == (
            0,
            "substandard",
            "upgrade_hold",
        )
    aug = row(f, "U", "2024-08-31")
    assert (aug["risk_class"], aug["class_reason"]) == ("normal", "dpd")


def test_leaving_npl_takes_whichever_comes_first(db_url: str) -> None:
    """With 3 installments required but 1 month enough, July (one month after clearing in
    June) already leaves NPL; with 3 installments and 6 months, September (09-10) does."""
    f = build_book(
        db_url,
        _upgrade_book(),
        "2024-09-30",
        **{"classification.upgrade_installments": 3, "classification.upgrade_months": 1},
    )
    assert row(f, "U", "2024-06-30")["class_reason"] == "upgrade_hold"
    assert row(f, "U", "2024-07-31")["risk_class"] == "normal"


def test_write_off_month_is_the_last_row(db_url: str) -> None:
    """Written off on 2024-08-15: the August row is flagged and nothing follows it."""
    b = Book()
    b.contract("X", "2024-01-10", monthly("2024-02-10", 12, "100"))
    b.writeoffs.append({"contract_id": "X", "writeoff_date": d("2024-08-15"), "amount": 1200})
    f = build_book(db_url, b, "2024-12-31")
    assert f.month_end.max() == d("2024-08-31")
    aug = row(f, "X", "2024-08-31")
    assert aug["written_off"]
    assert not row(f, "X", "2024-07-31")["written_off"]


def test_provisions_from_extract_else_estimated_at_class_rates(db_url: str) -> None:
    """C1 from the first test: June is substandard with 1,500 outstanding → 25% = 375.00
    estimated; May has an extract provision of 99.99 which is used as given."""
    b = Book()
    b.contract("C1", "2024-01-15", monthly("2024-02-15", 3, "1000", "100"))
    b.pay("C1", "2024-02-15", "1100")
    b.pay("C1", "2024-03-20", "600")
    b.provisions.append(
        {"contract_id": "C1", "month_end": d("2024-05-31"), "amount": Decimal("99.99")}
    )
    f = build_book(db_url, b, "2024-06-30")
    jun = row(f, "C1", "2024-06-30")
    assert (jun["provision"], jun["provision_estimated"]) == (Decimal("375.00"), True)
    may = row(f, "C1", "2024-05-31")
    assert (may["provision"], may["provision_estimated"]) == (Decimal("99.99"), False)
    # 2% of 1,500 in special mention (April), estimated.
    assert row(f, "C1", "2024-04-30")["provision"] == Decimal("30.00")


@pytest.mark.parametrize("tolerance,expected_dpd", [("0", 16), ("5", 0)])
def test_tolerance_ignores_tiny_residues(db_url: str, tolerance: str, expected_dpd: int) -> None:
    """1,100 due 03-15, 1,096 paid: a 4-yuan residue is overdue unless the tolerance is ≥ 4."""
    b = Book()
    b.contract("Y", "2024-02-15", [("2024-03-15", "1000", "100"), ("2024-09-15", "1000", "0")])
    b.pay("Y", "2024-03-15", "1096")
    f = build_book(db_url, b, "2024-03-31", **{"dpd.tolerance": tolerance})
    assert row(f, "Y", "2024-03-31")["dpd"] == expected_dpd
