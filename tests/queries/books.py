"""Small hand-worked books for the query tests, built with the real build on each engine.

Every figure the tests expect is worked out in the docstrings here from docs/domain.md, not read
back from the build. Interest is 0 unless stated; DPD = month-end − oldest unpaid due date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from tests.warehouse.book import Book, build_book, d, monthly
from warehouse.engine import create_warehouse_engine, is_duckdb

Build = Callable[[Book, str], Engine]


def _set(book: Book, **values: object) -> None:
    """Change columns of the contract (and its own lessee) added last."""
    contract = book.contracts[-1]
    for key, value in values.items():
        if key in contract:
            contract[key] = value
        else:
            lessee = next(x for x in book.lessees if x["lessee_id"] == contract["lessee_id"])
            lessee[key] = value


def built(url: str, book: Book, as_of: str, *, keep_open: bool = False) -> Engine:
    """Build `book` at `as_of` into the empty warehouse at `url`; an engine on it.

    `keep_open`: on DuckDB the engine keeps its connection open between queries instead of
    opening the file again for each (as the dashboard's reader does); for tests that run hundreds
    of queries and open the file no other way while the engine lives (DuckDB refuses a second
    attach of an open file in the same process).
    """
    build_book(url, book, as_of)
    if keep_open and is_duckdb(url):
        return sa.create_engine(url, poolclass=QueuePool, pool_size=1, max_overflow=4)
    return create_warehouse_engine(url)


def portfolio_book() -> Book:
    """Three contracts over January–June 2024.

    A (direct_lease, cohort 2024-01): 6 × (1,000 principal + 50 interest) due the 10th, Feb–Jul;
      pays 1,050 on 02-10 only. Outstanding 6,000 in Jan, then 5,000. Oldest unpaid 03-10:
      DPD 21 (Mar), 51 (Apr), 82 (May), 112 (Jun). Overdue principal/interest: Mar 1,000/50,
      Apr 2,000/100, May 3,000/150, Jun 4,000/200. Class: normal Jan–Feb, special_mention
      Mar–May, substandard Jun.
    B (direct_lease, cohort 2024-01): 6 × (2,000 + 50) due the 20th, Feb–Jul; never pays;
      written off 2024-06-15 for 12,000. Outstanding 12,000. DPD 9 (Feb), 40 (Mar), 70 (Apr),
      101 (May), 131 (Jun, the write-off row). Overdue: Feb 2,000/50, Mar 4,000/100,
      Apr 6,000/150, May 8,000/200. Class: special_mention Feb–Apr, substandard May.
    C (sale_leaseback, region 440100, cohort 2024-03): 3 × 500 due the 5th, Apr–Jun; pays 1,500
      on 04-05, so it closes in April (outstanding 0) and has no row after.
    Provisions are estimated at 1% / 2% / 25% of outstanding for normal / special_mention /
    substandard.
    """
    b = Book()
    b.contract("A", "2024-01-10", monthly("2024-02-10", 6, "1000", "50"))
    b.pay("A", "2024-02-10", "1050")
    b.contract("B", "2024-01-20", monthly("2024-02-20", 6, "2000", "50"))
    b.writeoffs.append({"contract_id": "B", "writeoff_date": d("2024-06-15"), "amount": 12000})
    b.contract("C", "2024-03-05", monthly("2024-04-05", 3, "500"))
    _set(b, product="sale_leaseback", region="440100")
    b.pay("C", "2024-04-05", "1500")
    return b


def migration_book() -> Book:
    """docs/domain.md §7's worked example, plus a write-off, a closure and new business.

    At 2023-12-31 (the beginning of the 2024 year and of 2024Q1):
    P1 (start 2023-11-10) 9,100 normal: 400 due 01-10 and 02-10 (paid on time), 8,300 in 2025.
    P2 (start 2023-11-10) 900 normal: 300 due 02-15, 03-15, 04-15, never paid.
    P4 (start 2023-09-10) 600 due 2023-11-10, never paid: DPD 51 at 12-31 (M2, special_mention),
      111 at 02-29 (M4, substandard); written off 2024-03-20 for 600.
    So beginning normal = 9,100 + 900 = 10,000 and beginning special_mention = 600.
    At 2024-03-31: P1 8,300 normal (800 repaid = reduced); P2 900 at DPD 45 (M2,
      special_mention); P4 written off (reduced 600).
    P3 (start 2024-02-05) 1,000 due 2024-06-05: new business, normal 1,000 at 03-31.
    P5 (start 2024-01-05) 500 due 03-05, paid then: closes in March, so it is in no cell.
    Official ytd rate for normal = 900 ÷ (10,000 − 800) = 900 ÷ 9,200 = 9.78%.
    """
    b = Book()
    b.contract(
        "P1",
        "2023-11-10",
        [("2024-01-10", "400", "0"), ("2024-02-10", "400", "0"), ("2025-01-10", "8300", "0")],
    )
    b.pay("P1", "2024-01-10", "400")
    b.pay("P1", "2024-02-10", "400")
    b.contract("P2", "2023-11-10", monthly("2024-02-15", 3, "300"))
    b.contract("P4", "2023-09-10", [("2023-11-10", "600", "0")])
    b.writeoffs.append({"contract_id": "P4", "writeoff_date": d("2024-03-20"), "amount": 600})
    b.contract("P3", "2024-02-05", [("2024-06-05", "1000", "0")])
    b.contract("P5", "2024-01-05", [("2024-03-05", "500", "0")])
    b.pay("P5", "2024-03-05", "500")
    return b


def vintage_book() -> Book:
    """Four contracts in three cohorts, as of 2024-06-30 (MOB 0 = start month).

    Cohort 2024-01 (principal 4,000):
      V1 1,000: 500 due 02-15 and 03-15; pays 1,000 on 04-10. DPD 14 (Feb, MOB 1), 45 (Mar,
        MOB 2); closes in April (MOB 3) and has no rows after.
      V2 3,000 due 2024-07-20: never overdue.
    Cohort 2024-02 (principal 1,000):
      V4 1,000 due 02-25: DPD 4 (Feb), 35 (Mar, MOB 1), 65 (Apr), 96 (May, MOB 3); pays 1,000
        on 06-05 and closes in June (MOB 4).
    Cohort 2024-03 (product loan, principal 2,000):
      V3 2,000 due 04-10, never paid: DPD 20 (Apr), 51 (May, MOB 2), 81 (Jun, MOB 3), written
        off 2024-06-20 for 2,000 (the June row).
    """
    b = Book()
    b.contract("V1", "2024-01-15", [("2024-02-15", "500", "0"), ("2024-03-15", "500", "0")])
    b.pay("V1", "2024-04-10", "1000")
    b.contract("V2", "2024-01-20", [("2024-07-20", "3000", "0")])
    b.contract("V4", "2024-02-10", [("2024-02-25", "1000", "0")])
    b.pay("V4", "2024-06-05", "1000")
    b.contract("V3", "2024-03-10", [("2024-04-10", "2000", "0")])
    _set(b, product="loan")
    b.writeoffs.append({"contract_id": "V3", "writeoff_date": d("2024-06-20"), "amount": 2000})
    return b


def exposure_book() -> Book:
    """Lessees X (corporate, group G1, related party), Y (corporate, G1), Z (individual).

    Bullet contracts due 2024-12-10 (nothing overdue at 2024-06-30): X 3,500, Y 1,000, Z 500;
    X2 (lessee X) 700 due 2024-02-10, written off 2024-06-10: out of every exposure.
    Company: net assets 10,000 at 2024-06-30; capital net 5,000 at 2024-03-31.
    """
    b = Book()
    b.lessee("X", "corporate")
    b.lessee("Y", "corporate")
    b.lessee("Z", "individual")
    for lessee in b.lessees:
        lessee["group_id"] = "G1" if lessee["lessee_id"] in {"X", "Y"} else None
        lessee["related_party"] = lessee["lessee_id"] == "X"
    for cid, lessee, amount in (("CX", "X", "3500"), ("CY", "Y", "1000"), ("CZ", "Z", "500")):
        b.contract(cid, "2024-01-10", [("2024-12-10", amount, "0")], lessee_id=lessee)
    b.contract("X2", "2024-01-10", [("2024-02-10", "700", "0")], lessee_id="X")
    b.writeoffs.append({"contract_id": "X2", "writeoff_date": d("2024-06-10"), "amount": 700})
    money = Decimal
    b.company_financials = [  # type: ignore[attr-defined]
        _financials(date(2024, 3, 31), net_assets=money(9000), capital_net=money(5000)),
        _financials(date(2024, 6, 30), net_assets=money(10000), capital_net=money(6000)),
    ]
    return b


def _financials(month_end: date, net_assets: Decimal, capital_net: Decimal) -> dict[str, object]:
    return {
        "month_end": month_end,
        "total_assets": net_assets * 5,
        "net_assets": net_assets,
        "cash_and_deposits": Decimal(0),
        "government_bonds": Decimal(0),
        "fixed_income_investments": Decimal(0),
        "leasing_assets": net_assets * 4,
        "capital_net": capital_net,
    }
