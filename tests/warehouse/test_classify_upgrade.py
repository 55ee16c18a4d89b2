"""Leaving NPL after a restructuring (docs/domain.md §4.5), worked by hand, on both engines.

Every book starts from the same NPL contract V: 12 × 100 due the 10th from 2024-02-10, nothing
paid. Each old installment 02-10 … 06-10 is missed; at 2024-05-31 the oldest unpaid one is 02-10,
so DPD = 19 (Feb) + 31 + 30 + 31 = 111 → substandard. An extension on 2024-06-20 closes the old
schedule (`valid_to` 2024-06-20) and restates the 1,200 owed in a new version from that date, so
from the June month-end nothing is overdue (DPD 0) and the contract is in observation (rule 2:
special mention, 'restructured'). Rule 5 keeps it substandard ('upgrade_hold') until the first two
installments of the schedule in force due after the restructuring (the clearing) are paid on
time, or 6 months have passed since the clearing month (June 2024), whichever comes first; a
missed installment or another restructuring restarts the wait.

The old schedule's rows after 06-20 (07-10, 08-10, …) never fall due in force: counting them, as
the build once did, let V out of NPL at 2024-08-31 in every case below.
"""

from __future__ import annotations

from typing import Any

from tests.warehouse.book import Book, build_book, monthly, row

HELD = ("substandard", "upgrade_hold")
OUT = ("special_mention", "restructured")


def _npl_then_restructured(new: list[tuple[str, str, str]], valid_to: str | None = None) -> Book:
    """Contract V as in the module docstring, with `new` as the schedule from 2024-06-20."""
    b = Book()
    b.contract("V", "2024-01-10", monthly("2024-02-10", 12, "100"), valid_to="2024-06-20")
    b.restructure("V", "2024-06-20")
    b.version("V", new, valid_from="2024-06-20", valid_to=valid_to)
    return b


def _classes(f: Any, months: list[str]) -> list[tuple[str, str]]:
    got = [row(f, "V", m) for m in months]
    assert all(g["dpd"] == 0 for g in got)
    return [(g["risk_class"], g["class_reason"]) for g in got]


def test_restructured_npl_leaves_after_two_installments_of_the_new_schedule(db_url: str) -> None:
    """New schedule 12 × 100 from 2024-09-20 (a grace period), each paid on its due date.

    Installments of the new schedule paid on time by each month-end: Jun 0, Jul 0, Aug 0, Sep 1
    (09-20), Oct 2 (10-20); months since the June clearing: 0 … 4 < 6. So June to September stay
    substandard and October leaves NPL (special mention by the observation period, which runs
    from 2024-09-20 for at least 12 months).
    """
    b = _npl_then_restructured(monthly("2024-09-20", 12, "100"))
    for due in ("2024-09-20", "2024-10-20", "2024-11-20"):
        b.pay("V", due, "100")
    f = build_book(db_url, b, "2024-11-30")

    may = row(f, "V", "2024-05-31")
    assert (may["dpd"], may["risk_class"], may["class_reason"]) == (111, "substandard", "dpd")
    months = ["2024-06-30", "2024-07-31", "2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30"]
    assert _classes(f, months) == [HELD, HELD, HELD, HELD, OUT, OUT]
    assert row(f, "V", "2024-10-31")["in_observation"]


def test_a_missed_installment_of_the_new_schedule_restarts_the_wait(db_url: str) -> None:
    """New schedule 12 × 100 from 2024-07-20; 07-20 paid on time, 08-20 paid late on 08-26,
    then 09-20, 10-20, 11-20 on time.

    July: one on time. 08-20 is not fully paid at the end of its due date: a miss, so the count
    restarts after it (DPD is 0 again at 08-31). September: one (09-20); October: two (09-20,
    10-20) → October leaves NPL. Months since the August clearing stay below 6.
    """
    b = _npl_then_restructured(monthly("2024-07-20", 12, "100"))
    b.pay("V", "2024-07-20", "100")
    b.pay("V", "2024-08-26", "100")
    for due in ("2024-09-20", "2024-10-20", "2024-11-20"):
        b.pay("V", due, "100")
    f = build_book(db_url, b, "2024-11-30")

    months = ["2024-06-30", "2024-07-31", "2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30"]
    assert _classes(f, months) == [HELD, HELD, HELD, HELD, OUT, OUT]


def test_the_configured_months_let_a_sparse_new_schedule_leave_first(db_url: str) -> None:
    """New schedule 4 × 300, quarterly from 2024-10-20; 10-20 paid on time.

    The second installment of the new schedule falls due only on 2025-01-20, but 6 months
    (`upgrade_months`) after the June 2024 clearing month come first: December 2024 (month 6)
    leaves NPL, November (month 5, one installment paid) is still held.
    """
    new = [
        ("2024-10-20", "300", "0"),
        ("2025-01-20", "300", "0"),
        ("2025-04-20", "300", "0"),
        ("2025-07-20", "300", "0"),
    ]
    b = _npl_then_restructured(new)
    b.pay("V", "2024-10-20", "300")
    f = build_book(db_url, b, "2024-12-31")

    months = ["2024-06-30", "2024-08-31", "2024-10-31", "2024-11-30", "2024-12-31"]
    assert _classes(f, months) == [HELD, HELD, HELD, HELD, OUT]


def test_a_second_restructuring_inside_the_wait_restarts_it(db_url: str) -> None:
    """First new schedule 12 × 100 from 2024-07-20 (07-20 paid on time), replaced on 2024-08-05
    by a second one, 11 × 100 from 2024-09-05, paid on time.

    With `re_restructuring_class` special_mention (so rule 2 alone does not keep it NPL): July has
    one installment on time, but the second restructuring restarts the count with the schedule
    now in force: August 0, September 1 (09-05), October 2 (10-05) → October leaves NPL.
    """
    b = _npl_then_restructured(monthly("2024-07-20", 12, "100"), valid_to="2024-08-05")
    b.pay("V", "2024-07-20", "100")
    b.restructure("V", "2024-08-05")
    b.version("V", monthly("2024-09-05", 11, "100"), valid_from="2024-08-05")
    for due in ("2024-09-05", "2024-10-05", "2024-11-05"):
        b.pay("V", due, "100")
    f = build_book(
        db_url, b, "2024-11-30", **{"classification.re_restructuring_class": "special_mention"}
    )

    months = ["2024-06-30", "2024-07-31", "2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30"]
    assert _classes(f, months) == [HELD, HELD, HELD, HELD, OUT, OUT]
    assert row(f, "V", "2024-11-30")["outstanding_principal"] == 800
