"""A hand-worked book for the early-warning features, and the same book as extracted earlier.

Three contracts, as-of 2024-12-31 (comments give the figures the tests work out by hand):

- CA (lessee LA, corporate): 12 × 1,000 due the 15th, Feb 2024 – Jan 2025. Pays Feb and Mar,
  misses Apr, pays 2,000 on 05-20 (catches up), pays Jun, then nothing: DPD Apr 15, Jul 16,
  Aug 47, Sep 77, Oct 108 (90+), Nov 138, Dec 169.
- CA2 (lessee LA): 10 × 300 due the 5th, Apr 2024 – Jan 2025, always paid on the day.
- CB (lessee LB, individual): 6 × 500 due the 10th, Feb – Jul 2024; pays Feb and Mar; restructured
  (extension) on 2024-04-20 into 8 × 250 due the 10th, May – Dec 2024, all paid on the day; a
  committee override to special_mention effective 2024-05.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from queries.execute import fetch_frame
from tests.warehouse.book import Book, build_book, d, monthly
from warehouse.engine import create_warehouse_engine
from warehouse.marts.ew_features import feature_statement
from warehouse.months import month_idx

AS_OF = "2024-12-31"


def _signal(
    n: int, lessee: str, day: str, source: str, severity: str, text: str = "hand-made"
) -> dict[str, Any]:
    return {
        "signal_id": f"S{n}",
        "lessee_id": lessee,
        "contract_id": None,
        "signal_date": d(day),
        "source": source,
        "severity": severity,
        "description": text,
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


def _inspection(
    n: int, contract: str, day: str, status: str, note: str | None = None
) -> dict[str, Any]:
    return {
        "inspection_id": f"I{n}",
        "contract_id": contract,
        "inspection_date": d(day),
        "inspection_type": "site",
        "asset_status": status,
        "note": note,
    }


def _action(
    n: int, contract: str, at: str, outcome: str, amount: str | None = None, by: str | None = None
) -> dict[str, Any]:
    return {
        "action_id": f"A{n}",
        "contract_id": contract,
        "action_time": datetime.fromisoformat(at),
        "channel": "phone",
        "counterparty_role": "lessee",
        "outcome": outcome,
        "promised_amount": Decimal(amount) if amount else None,
        "promised_date": d(by) if by else None,
        "collector": "c1",
    }


def _statement(lessee: str, day: str, assets: int, debt: int, rev: int, np_: int, ocf: int) -> dict:
    return {
        "lessee_id": lessee,
        "period_end": d(day),
        "total_assets": Decimal(assets),
        "total_liabilities": Decimal(debt),
        "revenue": Decimal(rev),
        "net_profit": Decimal(np_),
        "operating_cash_flow": Decimal(ocf),
    }


def hand_book() -> Book:
    """The three contracts of the module docstring with their signals, IoT events,
    inspections, collections and statements."""
    b = Book()
    b.lessee("LA", "corporate")
    b.contract("CA", "2024-01-15", monthly("2024-02-15", 12, "1000"), lessee_id="LA")
    for day, amount in (("02-15", 1000), ("03-15", 1000), ("05-20", 2000), ("06-15", 1000)):
        b.pay("CA", f"2024-{day}", str(amount))
    b.contract("CA2", "2024-03-05", monthly("2024-04-05", 10, "300"), lessee_id="LA")
    for month in range(4, 13):
        b.pay("CA2", f"2024-{month:02d}-05", "300")
    b.contract("CB", "2024-01-10", monthly("2024-02-10", 6, "500"), valid_to="2024-04-20")
    b.pay("CB", "2024-02-10", "500")
    b.pay("CB", "2024-03-10", "500")
    b.restructure("CB", "2024-04-20")
    b.version("CB", monthly("2024-05-10", 8, "250"), valid_from="2024-04-20")
    for month in range(5, 13):
        b.pay("CB", f"2024-{month:02d}-10", "250")
    b.override("CB", "2024-05", "special_mention")
    b.warning_signals = [  # type: ignore[attr-defined]
        _signal(1, "LA", "2023-10-01", "news", "high"),
        _signal(2, "LA", "2024-03-10", "court", "high"),
        _signal(3, "LA", "2024-07-05", "tax", "medium", "涉及买卖合同纠纷诉讼"),
    ]
    b.device_events = [  # type: ignore[attr-defined]
        _event(1, "CA", "2024-05-20 09:00", "abnormal_stop"),
        _event(2, "CA", "2024-06-03 08:00", "offline"),
        _event(3, "CA", "2024-06-03 20:00", "offline"),
        _event(4, "CA", "2024-07-01 12:00", "offline"),
        _event(5, "CA", "2024-08-31 23:30", "geofence_exit"),
    ]
    b.inspections = [  # type: ignore[attr-defined]
        _inspection(1, "CA", "2024-02-10", "normal"),
        _inspection(2, "CA", "2024-07-20", "idle", "设备停工闲置"),
    ]
    b.collections = [
        _action(1, "CA", "2024-07-20 10:00", "no_answer"),
        _action(2, "CA", "2024-07-22 10:00", "promise_to_pay", "1000", "2024-07-30"),
        _action(3, "CA", "2024-08-05 10:00", "refused"),
        _action(4, "CA", "2024-08-10 10:00", "promise_to_pay", "500", "2024-09-05"),
    ]
    b.lessee_financials = [  # type: ignore[attr-defined]
        _statement("LA", "2023-06-30", 1000, 500, 200, 20, 30),
        _statement("LA", "2023-12-31", 1000, 600, 400, 10, -20),
        _statement("LA", "2024-06-30", 1000, 800, 150, -15, -30),
    ]
    return b


def _after(value: object, cut: str) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return day is not None and day > d(cut)  # type: ignore[operator]


def as_extracted_on(book: Book, cut: str) -> Book:
    """The book as an extract taken on `cut` would have held it: every row dated after `cut`
    dropped (schedule versions starting after it, and the `valid_to` they set), then different
    events after `cut` added: CA pays its arrears, new signals, IoT events, an inspection, a
    refusal, a statement, a restructuring of CA2, an override of CA and a write-off of CB."""
    dated = {
        "receipts": "received_date",
        "restructurings": "effective_date",
        "warning_signals": "signal_date",
        "device_events": "event_time",
        "inspections": "inspection_date",
        "collections": "action_time",
        "lessee_financials": "period_end",
    }
    out = Book()
    out.lessees = list(book.lessees)
    out.contracts = list(book.contracts)
    for name, column in dated.items():
        rows = [r for r in getattr(book, name, []) if not _after(r[column], cut)]
        setattr(out, name, rows)
    out.schedule = [
        {**r, "valid_to": None if _after(r["valid_to"], cut) else r["valid_to"]}
        for r in book.schedule
        if not _after(r["valid_from"], cut)
    ]
    out.classification_overrides = [
        r for r in book.classification_overrides if r["effective_month"] <= cut[:7]
    ]
    # Different things happen after the cut.
    out.pay("CA", "2024-09-01", "4000")
    out.warning_signals.append(_signal(9, "LA", "2024-09-02", "court", "high"))  # type: ignore[attr-defined]
    out.device_events.append(_event(9, "CA", "2024-09-01 00:00", "offline"))  # type: ignore[attr-defined]
    out.inspections.append(_inspection(9, "CA", "2024-09-01", "missing", "承租人拒绝配合检查"))  # type: ignore[attr-defined]
    out.collections.append(_action(9, "CA", "2024-09-01 00:00", "refused"))
    out.lessee_financials.append(_statement("LA", "2024-09-30", 900, 890, 10, -50, -60))  # type: ignore[attr-defined]
    out.schedule = [
        {**r, "valid_to": d("2024-09-15")} if r["contract_id"] == "CA2" else r for r in out.schedule
    ]
    out.restructure("CA2", "2024-09-15", "grace_period")
    out.version("CA2", monthly("2024-12-05", 3, "500"), valid_from="2024-09-15")
    out.override("CA", "2024-09", "doubtful")
    out.writeoffs.append({"contract_id": "CB", "writeoff_date": d("2024-10-15"), "amount": 1})
    return out


def features(url: str, book: Book, first: str, last: str = AS_OF) -> pd.DataFrame:
    """Build `book` into the warehouse at `url` and read its features for month-ends
    `first` … `last`, one row per contract-month."""
    build_book(url, book, AS_OF)
    engine = create_warehouse_engine(url)
    try:
        frame = fetch_frame(engine, feature_statement(month_idx(d(first)), month_idx(d(last))))
    finally:
        engine.dispose()
    return frame.set_index(["contract_id", "month_end"]).sort_index()
