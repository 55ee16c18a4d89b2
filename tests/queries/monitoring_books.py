"""The hand-worked book of the collections, early-warning and leased-asset tests.

As of 2024-06-30. Interest is 0. Settings: the defaults (contact window 08:00–21:00, daily cap 3)
except `watch.inspection_min_asset_value` = 5,000 and `watch.inspection_interval_days` = 60
(`OVERRIDES`). Branch SH and product direct_lease unless said otherwise.

Contracts (DPD = month-end − oldest unpaid due date):
- A (lessee LA, individual): 6 × 1,000 due the 10th, Feb–Jul 2024. Pays 1,000 on 02-10, 2,000 on
  04-15, 1,000 on 05-10 and 06-10. DPD 0 (Feb), 21 (Mar), 0 (Apr–Jun).
- B (lessee LB, corporate, no guarantor): 6 × 2,000 due the 5th, Feb–Jul. Pays 1,000 on 03-15
  only. DPD 24 (Feb), 55 (Mar), 85 (Apr), 116 (May), 146 (Jun): first 90+ at 05-31.
- C (lessee LC, individual, guarantor G1; branch BJ, product sale_leaseback): 6 × 500 due the
  15th, Feb–Jul. Pays 500 on 02-15, 04-10, 04-15, 05-15, 06-15. DPD 16 (Mar), else 0.
- D (lessee LD): start 2023-10-05, 6 × 1,000 due the 5th from 2023-11-05, never paid.
  DPD 87 at 2024-01-31, 116 at 02-29: first 90+ at 2024-02-29.
- E (lessee LE): start 2023-12-01, 6 × 1,000 due the 1st from 2024-01-01, never paid.
  DPD 90 at 03-31 (not over 90), 120 at 04-30: first 90+ at 2024-04-30.
- F (lessee LF): start 2024-05-10, 2 × 3,000 due 06-10 and 07-10; pays 3,000 on 06-10.
- G (lessee LG): start 2024-01-20, 6,000 due 05-20, paid that day: closes in May (open Jan–Apr).

Collection actions (time, channel, counterparty, outcome, collector):
  A1 03-12 10:00 phone lessee no_answer zhang     B1 02-20 10:00 sms lessee contacted wang
  A2 03-13 22:30 phone lessee contacted zhang     B2 02-21 11:00 phone guarantor no_answer wang
  A3 03-14 09:00 phone lessee promise 2,000 by 04-15 zhang
  A4 03-20 07:30 sms lessee no_answer li          B3 03-05 14:00 visit lessee promise 4,000
  C1 03-18 10:00 phone guarantor contacted li        by 03-20 wang
  C2 03-19 22:00 letter lessee contacted li       B4 04-02 21:00 agency lessee contacted agency_a
  C3 03-25 10:00 agency lessee promise (no amount) B5–B8 04-10 09:00, 10:00, 11:00, 12:00
     by 04-12 agency_a                               phone lessee no_answer wang
  C4 03-26 10:00 phone other contacted li         B9 05-10 10:00 legal lessee legal_filed wang
  C5 06-20 10:00 phone lessee promise 500 by 07-15 li
Signals: S1 LB 2024-01-20 tax high (no contract); S2 LB 03-01 court medium (B); S3 LA 02-15 iot
  high (A); S4 LC 05-01 news low (no contract); S5 LD 03-10 financial high (D); S6 LE 02-01
  internal medium (E).
Devices: DEV1 on A: 02-10 low_utilisation, 04-05 offline, 04-20 offline, 05-03 geofence_exit,
  05-04 abnormal_stop. DEV2 on B: 04-01 abnormal_stop, 06-12 offline.
Inspections: I1 A 05-20 routine normal; I2 B 03-10 site damaged; I3 D 05-01 routine normal;
  I4 E 06-15 third_party missing; I5 C 06-01 routine idle.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.conftest import _pg_database
from tests.warehouse.book import Book, build_book, d, monthly
from warehouse.engine import create_warehouse_engine

AS_OF = "2024-06-30"
OVERRIDES = {
    "watch.inspection_min_asset_value": "5000.00",
    "watch.inspection_interval_days": 60,
}


def _rows(b: Book, table: str) -> list[dict]:
    return b.__dict__.setdefault(table, [])


def _action(
    b: Book,
    action_id: str,
    contract: str,
    when: str,
    channel: str,
    role: str,
    outcome: str,
    collector: str,
    promise: tuple[str | None, str] | None = None,
) -> None:
    amount, by = promise if promise else (None, None)
    _rows(b, "collections").append(
        {
            "action_id": action_id,
            "contract_id": contract,
            "action_time": datetime.fromisoformat(f"2024-{when}"),
            "channel": channel,
            "counterparty_role": role,
            "outcome": outcome,
            "promised_amount": Decimal(amount) if amount else None,
            "promised_date": d(f"2024-{by}") if by else None,
            "collector": collector,
        }
    )


def _actions(b: Book) -> None:
    for row in (
        ("A1", "A", "03-12 10:00", "phone", "lessee", "no_answer", "zhang"),
        ("A2", "A", "03-13 22:30", "phone", "lessee", "contacted", "zhang"),
        ("A4", "A", "03-20 07:30", "sms", "lessee", "no_answer", "li"),
        ("B1", "B", "02-20 10:00", "sms", "lessee", "contacted", "wang"),
        ("B2", "B", "02-21 11:00", "phone", "guarantor", "no_answer", "wang"),
        ("B4", "B", "04-02 21:00", "agency", "lessee", "contacted", "agency_a"),
        ("B5", "B", "04-10 09:00", "phone", "lessee", "no_answer", "wang"),
        ("B6", "B", "04-10 10:00", "phone", "lessee", "no_answer", "wang"),
        ("B7", "B", "04-10 11:00", "phone", "lessee", "no_answer", "wang"),
        ("B8", "B", "04-10 12:00", "phone", "lessee", "no_answer", "wang"),
        ("B9", "B", "05-10 10:00", "legal", "lessee", "legal_filed", "wang"),
        ("C1", "C", "03-18 10:00", "phone", "guarantor", "contacted", "li"),
        ("C2", "C", "03-19 22:00", "letter", "lessee", "contacted", "li"),
        ("C4", "C", "03-26 10:00", "phone", "other", "contacted", "li"),
    ):
        _action(b, *row)
    promise = "promise_to_pay"
    _action(b, "A3", "A", "03-14 09:00", "phone", "lessee", promise, "zhang", ("2000", "04-15"))
    _action(b, "B3", "B", "03-05 14:00", "visit", "lessee", promise, "wang", ("4000", "03-20"))
    _action(b, "C3", "C", "03-25 10:00", "agency", "lessee", promise, "agency_a", (None, "04-12"))
    _action(b, "C5", "C", "06-20 10:00", "phone", "lessee", promise, "li", ("500", "07-15"))


def _monitoring(b: Book) -> None:
    for n, (lessee, contract, when, source, severity) in enumerate(
        (
            ("LB", None, "2024-01-20", "tax", "high"),
            ("LB", "B", "2024-03-01", "court", "medium"),
            ("LA", "A", "2024-02-15", "iot", "high"),
            ("LC", None, "2024-05-01", "news", "low"),
            ("LD", "D", "2024-03-10", "financial", "high"),
            ("LE", "E", "2024-02-01", "internal", "medium"),
        ),
        start=1,
    ):
        _rows(b, "warning_signals").append(
            {
                "signal_id": f"S{n}",
                "lessee_id": lessee,
                "contract_id": contract,
                "signal_date": d(when),
                "source": source,
                "severity": severity,
                "description": f"signal {n}",
            }
        )
    for n, (device, contract, when, kind) in enumerate(
        (
            ("DEV1", "A", "02-10 08:00", "low_utilisation"),
            ("DEV1", "A", "04-05 08:00", "offline"),
            ("DEV1", "A", "04-20 08:00", "offline"),
            ("DEV1", "A", "05-03 08:00", "geofence_exit"),
            ("DEV1", "A", "05-04 08:00", "abnormal_stop"),
            ("DEV2", "B", "04-01 08:00", "abnormal_stop"),
            ("DEV2", "B", "06-12 08:00", "offline"),
        ),
        start=1,
    ):
        _rows(b, "device_events").append(
            {
                "event_id": f"E{n}",
                "contract_id": contract,
                "device_id": device,
                "event_time": datetime.fromisoformat(f"2024-{when}"),
                "event_type": kind,
                "latitude": None,
                "longitude": None,
                "run_hours": None,
            }
        )
    for n, (contract, when, kind, status) in enumerate(
        (
            ("A", "2024-05-20", "routine", "normal"),
            ("B", "2024-03-10", "site", "damaged"),
            ("D", "2024-05-01", "routine", "normal"),
            ("E", "2024-06-15", "third_party", "missing"),
            ("C", "2024-06-01", "routine", "idle"),
        ),
        start=1,
    ):
        _rows(b, "inspections").append(
            {
                "inspection_id": f"I{n}",
                "contract_id": contract,
                "inspection_date": d(when),
                "inspection_type": kind,
                "asset_status": status,
                "note": None,
            }
        )


def monitoring_book() -> Book:
    """The book described in this module's docstring."""
    b = Book()
    b.contract("A", "2024-01-10", monthly("2024-02-10", 6, "1000"))
    for when, amount in (
        ("02-10", "1000"),
        ("04-15", "2000"),
        ("05-10", "1000"),
        ("06-10", "1000"),
    ):
        b.pay("A", f"2024-{when}", amount)
    b.contract("B", "2024-01-05", monthly("2024-02-05", 6, "2000"))
    b.lessees[-1]["lessee_type"] = "corporate"
    b.pay("B", "2024-03-15", "1000")
    b.contract("C", "2024-01-15", monthly("2024-02-15", 6, "500"))
    b.contracts[-1].update(branch="BJ", product="sale_leaseback")
    for when in ("02-15", "04-10", "04-15", "05-15", "06-15"):
        b.pay("C", f"2024-{when}", "500")
    _rows(b, "guarantors").append(
        {"contract_id": "C", "guarantor_id": "G1", "name": "g one", "guarantor_type": "individual"}
    )
    b.contract("D", "2023-10-05", monthly("2023-11-05", 6, "1000"))
    b.contract("E", "2023-12-01", monthly("2024-01-01", 6, "1000"))
    b.contract("F", "2024-05-10", monthly("2024-06-10", 2, "3000"))
    b.pay("F", "2024-06-10", "3000")
    b.contract("G", "2024-01-20", [("2024-05-20", "6000", "0")])
    b.pay("G", "2024-05-20", "6000")
    _actions(b)
    _monitoring(b)
    return b


ENGINES = [
    pytest.param("duckdb", id="duckdb"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def built_engine(request: pytest.FixtureRequest, folder: Path) -> Iterator[Engine]:
    """The book built once on the engine named by `request.param` (for a module fixture)."""
    if request.param == "duckdb":
        urls: Iterator[str] = iter([f"duckdb:///{folder}/w.duckdb"])
    else:
        urls = _pg_database(request.getfixturevalue("pg_url"))
    url = next(urls)
    build_book(url, monitoring_book(), AS_OF, **OVERRIDES)
    engine = create_warehouse_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        for _ in urls:  # runs the database's clean-up
            pass
