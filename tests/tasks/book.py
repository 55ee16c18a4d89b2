"""A hand-worked book whose contracts walk through every strategy step and trigger, Jan–May 2026.

Built at five month-ends (each build sees only the rows dated up to its as-of, as an extract taken
then would hold); DPD = month-end − the oldest overdue due date:

- C1: 6 × 1,000 due the 25th from January, never paid: DPD 6 (reminder), 34 (visit), 65 (demand),
  95 (litigation), 126 (litigation).
- C2: 6 × 1,000 due the 10th; January and February paid 03-05, March on the day, then nothing:
  DPD 21 (notice), 49 (visit), 0 (cured), 20 (notice, a new delinquency from 04-10), 51 (visit).
- C8: one 1,000 due 01-20, paid 02-10: DPD 11 (notice), then closed in February.
- C3: pays on time; device offline 02-14 and 03-03: an IoT run from February, none in April.
- C4: pays on time; inspection finds it pledged 02-15, normal 03-20; a geofence exit 04-20, none
  in May.
- C5: pays on time; inspections find it idle 02-01 (no task), damaged 03-10, missing 05-10.
- C6 and C6b, lessee L6: debt ratio 0.50 on 2024-12-31, 0.65 on 2025-12-31 (up 0.15: a review
  from January); operating cash flow −10 on 2026-03-31 (a newer statement: a review from March).
- C7, lessee LC7: a court signal (high) 02-10, from February until it is 90 days old (gone at
  05-31); a news signal and a low tax signal that make no task.

C6 owes 3,000 and C6b 1,000 at the start, so L6's tasks are on C6 with L6's exposure.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tests.warehouse.book import Book, d, monthly

AS_OFS = ("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31")


def _on_time(b: Book, contract: str, first_due: str, count: int, amount: str) -> None:
    b.contract(contract, "2025-12-01", monthly(first_due, count, amount))
    for due, principal, _ in monthly(first_due, count, amount):
        b.pay(contract, due, principal)


def _statement(lessee: str, day: str, assets: int, debt: int, revenue: int, ocf: int) -> dict:
    return {
        "lessee_id": lessee,
        "period_end": d(day),
        "total_assets": Decimal(assets),
        "total_liabilities": Decimal(debt),
        "revenue": Decimal(revenue),
        "net_profit": Decimal(0),
        "operating_cash_flow": Decimal(ocf),
    }


def _signal(n: int, lessee: str, day: str, source: str, severity: str) -> dict[str, Any]:
    return {
        "signal_id": f"S{n}",
        "lessee_id": lessee,
        "contract_id": None,
        "signal_date": d(day),
        "source": source,
        "severity": severity,
        "description": "hand-made",
    }


def _event(n: int, contract: str, at: str, kind: str) -> dict[str, Any]:
    return {
        "event_id": f"E{n}",
        "contract_id": contract,
        "device_id": f"D{contract}",
        "event_time": datetime.fromisoformat(at),
        "event_type": kind,
        "latitude": None,
        "longitude": None,
        "run_hours": None,
    }


def _inspection(n: int, contract: str, day: str, status: str) -> dict[str, Any]:
    return {
        "inspection_id": f"I{n}",
        "contract_id": contract,
        "inspection_date": d(day),
        "inspection_type": "site",
        "asset_status": status,
        "note": None,
    }


def whole_book() -> Book:
    """The book of the module docstring with every row, up to the last month-end."""
    b = Book()
    b.contract("C1", "2025-12-25", monthly("2026-01-25", 6, "1000"))
    b.contract("C2", "2025-12-10", monthly("2026-01-10", 6, "1000"))
    b.pay("C2", "2026-03-05", "2000")
    b.pay("C2", "2026-03-10", "1000")
    b.contract("C8", "2025-12-20", monthly("2026-01-20", 1, "1000"))
    b.pay("C8", "2026-02-10", "1000")
    for contract in ("C3", "C4", "C5", "C7"):
        _on_time(b, contract, "2026-01-15", 6, "500")
    b.lessee("L6", "corporate")
    b.contract("C6", "2025-12-15", monthly("2026-01-15", 6, "500"), lessee_id="L6")
    b.contract("C6b", "2025-12-15", monthly("2026-01-15", 2, "500"), lessee_id="L6")
    for contract, count in (("C6", 6), ("C6b", 2)):
        for due, principal, _ in monthly("2026-01-15", count, "500"):
            b.pay(contract, due, principal)
    b.device_events = [  # type: ignore[attr-defined]
        _event(1, "C3", "2026-02-14 10:00", "offline"),
        _event(2, "C3", "2026-03-03 08:00", "offline"),
        _event(3, "C4", "2026-04-20 15:00", "geofence_exit"),
        _event(4, "C7", "2026-03-05 09:00", "low_utilisation"),  # not an alert that makes a task
    ]
    b.inspections = [  # type: ignore[attr-defined]
        _inspection(1, "C4", "2026-02-15", "pledged"),
        _inspection(2, "C4", "2026-03-20", "normal"),
        _inspection(5, "C5", "2026-02-01", "idle"),
        _inspection(3, "C5", "2026-03-10", "damaged"),
        _inspection(4, "C5", "2026-05-10", "missing"),
    ]
    b.lessee_financials = [  # type: ignore[attr-defined]
        _statement("L6", "2024-12-31", 1000, 500, 1000, 100),
        _statement("L6", "2025-12-31", 1000, 650, 900, 50),
        _statement("L6", "2026-03-31", 1000, 600, 250, -10),
    ]
    b.warning_signals = [  # type: ignore[attr-defined]
        _signal(1, "LC7", "2026-02-10", "court", "high"),
        _signal(2, "LC7", "2026-02-11", "news", "high"),
        _signal(3, "LC7", "2026-02-12", "tax", "low"),
    ]
    return b


def _day(value: object) -> date:
    return value.date() if isinstance(value, datetime) else value  # type: ignore[return-value]


def book_at(as_of: str) -> Book:
    """The book as extracted at `as_of`: every dated row after it left out."""
    whole, cut = whole_book(), d(as_of)
    dated = {
        "receipts": "received_date",
        "device_events": "event_time",
        "inspections": "inspection_date",
        "lessee_financials": "period_end",
        "warning_signals": "signal_date",
    }
    for name, column in dated.items():
        rows = getattr(whole, name)
        setattr(whole, name, [r for r in rows if _day(r[column]) <= cut])
    return whole
