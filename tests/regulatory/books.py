"""The hand-worked book behind every report test, and the figures worked out from it by hand.

`report_book()` as of 2024-06-30 (interest 0 unless stated; DPD = month-end − oldest unpaid due
date; provisions estimated at 1% / 2% / 25% / 50% / 100% by class):

- N1, lessee LA (corporate, industry F), direct_lease: 10,000 due 2025-01-10. Normal 10,000 at
  2023-12-31 and at 2024-06-30 (DPD 0).
- NEW, lessee LA, direct_lease, start 2024-02-05: 1,000 due 2024-12-05. New business; normal 1,000.
- S1, lessee LS1 (individual, C) named `=HYPERLINK("http://x","y")`, sale_leaseback: 1,000 due
  2024-05-20 and 1,000 due 2025-05-20, never paid. Normal 2,000 at 2023-12-31; at 2024-06-30
  DPD 41 (M2), special_mention 2,000, overdue principal 1,000.
- R1, lessee LR1 (individual, C), direct_lease, start 2024-01-10: 1,200 due 2024-04-10,
  restructured (extension) on 2024-04-05 into 600 due 2024-07-10 and 600 due 2024-08-10. New
  business; in observation, special_mention 1,200, DPD 0.
- D1, lessee LD1 (individual, C), loan, start 2023-10-10: 3,000 + 100 interest due 2024-03-01,
  never paid. Normal 3,000 at 2023-12-31; at 2024-06-30 DPD 121 (M5), substandard 3,000,
  overdue 3,000 principal and 100 interest.
- L1, lessee LL1 (individual, C), loan, start 2023-01-10: 500 due 2023-06-01, never paid. DPD
  213, substandard 500 at 2023-12-31; DPD 395 (M7+), loss 500, overdue 500 at 2024-06-30.
- W1, lessee LW1 (individual, C), direct_lease, start 2023-09-10: 600 due 2023-11-10, written off
  2024-03-20. DPD 51, special_mention 600 at 2023-12-31; gone at 2024-06-30.

G11 at 2024-06-30: normal 11,000 · special_mention 3,200 · substandard 3,000 · doubtful 0 ·
loss 500 · total 17,700 · NPL 3,500 · 6 contracts. By product: direct_lease 11,000 / 1,200 SM
(12,200, 3 contracts); sale_leaseback 2,000 SM (1); loan 3,000 sub + 500 loss (3,500, 2).
Corporate 11,000 normal (2); individual 3,200 SM + 3,000 sub + 500 loss = 6,700 (4). Industry F
11,000; C 6,700. Provisions 110 / 64 / 750 / 0 / 500 = 1,424, NPL 1,250. Restructured (R1) 1,200
SM, 1 contract; of which 90+ DPD 0; extended 1,200; re-restructured outside NPL 0.

G12 year-to-date (begin 2023-12-31): beginning normal N1 + S1 + D1 = 15,000 → now normal 10,000,
SM 2,000, substandard 3,000, reduced 0; beginning SM W1 600 → reduced 600; beginning substandard
L1 500 → loss 500. New business NEW 1,000 normal + R1 1,200 SM. Period-end totals 11,000 / 3,200
/ 3,000 / 0 / 500 = G11. Rates: normal 5,000 ÷ 15,000 = 33.33%; SM — (denominator 600 − 600 = 0);
substandard 500 ÷ 500 = 100%; doubtful —; performing (normal + SM → NPL) 3,000 ÷ 15,000 = 20%.

Overdue at 2024-06-30: M0 3 contracts 12,200; M2 S1 2,000 (overdue 1,000); M5 D1 3,000 (3,000 /
100); M7+ L1 500 (500). Total 6 / 17,700 / 4,500 / 100; overdue total 3 / 5,500 / 4,500 / 100.

Top ten: SM LS1 2,000 then LR1 1,200; substandard LD1 3,000; doubtful none; loss LL1 500.

Company at 2024-06-30: total assets 100,000, net assets 20,000, cash and deposits 5,000,
government bonds 1,000, fixed income 2,000, leasing assets 70,000, capital net 15,000. As a
融资租赁公司: leasing share 70%, risk assets 94,000 ÷ 20,000 = 4.7×, fixed income 10%, single
lessee LA 11,000 ÷ 20,000 = 55% > 30% (a breach), no groups or related parties (0%).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.warehouse.book import Book, d, monthly

AS_OF = "2024-06-30"
PERIOD = date(2024, 6, 30)
INJECTION = '=HYPERLINK("http://x","y")'


def report_book() -> Book:
    """The book of the module docstring."""
    b = Book()
    b.lessee("LA", "corporate")
    b.lessees[-1].update(industry="F", name="甲租赁客户有限公司")
    b.contract("N1", "2023-11-10", [("2025-01-10", "10000", "0")], lessee_id="LA")
    b.contract("NEW", "2024-02-05", [("2024-12-05", "1000", "0")], lessee_id="LA")
    b.contract("S1", "2023-12-05", [("2024-05-20", "1000", "0"), ("2025-05-20", "1000", "0")])
    b.contracts[-1]["product"] = "sale_leaseback"
    b.lessees[-1]["name"] = INJECTION
    b.contract("R1", "2024-01-10", [("2024-04-10", "1200", "0")], valid_to="2024-04-05")
    b.version("R1", monthly("2024-07-10", 2, "600"), valid_from="2024-04-05")
    b.restructure("R1", "2024-04-05", "extension")
    b.contract("D1", "2023-10-10", [("2024-03-01", "3000", "100")])
    b.contracts[-1]["product"] = "loan"
    b.contract("L1", "2023-01-10", [("2023-06-01", "500", "0")])
    b.contracts[-1]["product"] = "loan"
    b.contract("W1", "2023-09-10", [("2023-11-10", "600", "0")])
    b.writeoffs.append({"contract_id": "W1", "writeoff_date": d("2024-03-20"), "amount": 600})
    b.company_financials = [  # type: ignore[attr-defined]
        {
            "month_end": PERIOD,
            "total_assets": Decimal(100000),
            "net_assets": Decimal(20000),
            "cash_and_deposits": Decimal(5000),
            "government_bonds": Decimal(1000),
            "fixed_income_investments": Decimal(2000),
            "leasing_assets": Decimal(70000),
            "capital_net": Decimal(15000),
        }
    ]
    return b


def closing_month_book() -> Book:
    """The report book plus a contract closing in the period month and two extract provisions.

    - C1, lessee LC1 (individual, C), direct_lease, start 2024-01-15: 900 due 2024-06-10, paid
      in full on 2024-06-10, so closed at 2024-06-30 (its last row, outstanding 0). The extract
      gives it a provision of 18.00 for 2024-06-30 (booked before the repayment).
    - N1 and S1 get extract provisions for 2024-06-30: 150.00 (instead of the estimated 100) and
      55.00 (instead of 40).

    At 2024-06-30 the provision population is the open contracts (neither closed nor written
    off): N1 150 (given) + NEW 10 = 160 normal; S1 55 (given) + R1 24 = 79 special mention; D1
    750 substandard; L1 500 loss; total 1,489, NPL 1,250. C1's 18.00 is not counted anywhere:
    not in G11, not on the dashboard, not in the detail (which lists the six open contracts).
    Estimated (the build's class rates): 1,489 − 150 − 55 = 1,284 (normal 10, SM 24,
    substandard 750, loss 500; NPL 1,250). Top ten SM: LS1 55 of which estimated 0, LR1 24 / 24.
    """
    b = report_book()
    b.contract("C1", "2024-01-15", [("2024-06-10", "900", "0")])
    b.pay("C1", "2024-06-10", "900")
    b.provisions += [
        {"contract_id": "C1", "month_end": PERIOD, "amount": Decimal("18.00")},
        {"contract_id": "N1", "month_end": PERIOD, "amount": Decimal("150.00")},
        {"contract_id": "S1", "month_end": PERIOD, "amount": Decimal("55.00")},
    ]
    return b
