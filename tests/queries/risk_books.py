"""A hand-worked book for the watch rules and the dossier: one contract per rule, two clean ones.

As of 2024-06-30, default watch settings (signal 90 days → from 2024-04-02; IoT 30 days → from
2024-06-01; promises 90 days; inspections every 180 days → last one on or after 2024-01-03 for
principal above 1,000,000; debt ratio 0.70; revenue drop 0.20). Every contract starts 2024-01-10
with 1,000 due 2024-12-10 (nothing overdue at 06-30) unless said otherwise; branch SH.

Contract: what it has → rules met.
- D1: 500 due 2024-06-10 (unpaid) + 500 due 12-10: DPD 20, special_mention → dpd, class
- CL: extract override substandard from 2024-06 → class
- OB: restructured 2024-05-01 (new version 1,000 due 2025-06-10), in observation, special_mention
  → class, observation
- SG: high signal of its lessee (no contract named) on 2024-04-02 → signal
- IO: IoT geofence_exit 2024-06-15 10:00 → iot
- IA: inspections 03-01 normal, 06-01 damaged (the latest) → inspection_abnormal
- IV: principal 2,000,000, start 2023-06-10, last inspection 2023-12-01 → inspection_overdue
- PB: promise on 2024-05-20 of 300 by 06-05; receipt 100 on 05-25 (short) → promise_broken
- FD: corporate; 2023-12-31 assets 1,000, liabilities 750 (75%) → debt_ratio
- FC: corporate; 2023-12-31 operating cash flow −1 → cash_flow
- FR: corporate; revenue 390 at 2023-12-31 vs 500 at 2022-12-31 (−22%) → revenue_drop
- WL: on the committee watchlist (passed in) → watchlist
- OK: high signal 2024-04-01 (a day too old), medium signal 06-01, IoT 05-31 23:00 (too old),
  inspections 02-01 damaged then 05-01 normal, promise of 200 by 06-05 kept by 200 on 06-05,
  a promise of 500 by 06-20 recorded on 07-02 (after the as-of: not known at 06-30),
  principal 1,000 never inspected (below the minimum) → none
- BIG: corporate, principal 2,000,000 inspected 2024-03-01; liabilities exactly 70%, cash flow
  0, revenue exactly −20% (400 vs 500); a 2024-09-30 statement (after the as-of) with
  liabilities 95% → none

Outstanding at 06-30: PB 900 (1,000 − 100); OK 800 (1,000 − 200); IV and BIG 2,000,000; the
others 1,000. Rule counts: class 3 (D1, CL, OB), every other rule 1, any 12.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from tests.warehouse.book import Book, d

AS_OF = "2024-06-30"
BULLET = [("2024-12-10", "1000", "0")]
AT_RISK = {
    "D1": {"dpd", "class"},
    "CL": {"class"},
    "OB": {"class", "observation"},
    "SG": {"signal"},
    "IO": {"iot"},
    "IA": {"inspection_abnormal"},
    "IV": {"inspection_overdue"},
    "PB": {"promise_broken"},
    "FD": {"debt_ratio"},
    "FC": {"cash_flow"},
    "FR": {"revenue_drop"},
    "WL": {"watchlist"},
}
CLEAN = ("OK", "BIG")


def _signal(b: Book, lessee: str, contract: str | None, when: str, severity: str) -> None:
    rows = b.__dict__.setdefault("warning_signals", [])
    rows.append(
        {
            "signal_id": f"S{len(rows) + 1}",
            "lessee_id": lessee,
            "contract_id": contract,
            "signal_date": d(when),
            "source": "court",
            "severity": severity,
            "description": f"signal {len(rows) + 1}",
        }
    )


def _inspection(b: Book, contract: str, when: str, status: str) -> None:
    rows = b.__dict__.setdefault("inspections", [])
    rows.append(
        {
            "inspection_id": f"I{len(rows) + 1}",
            "contract_id": contract,
            "inspection_date": d(when),
            "inspection_type": "site",
            "asset_status": status,
            "note": None,
        }
    )


def _promise(b: Book, contract: str, when: str, amount: str, by: str) -> None:
    rows = b.__dict__.setdefault("collections", [])
    rows.append(
        {
            "action_id": f"A{len(rows) + 1}",
            "contract_id": contract,
            "action_time": datetime.fromisoformat(when),
            "channel": "phone",
            "counterparty_role": "lessee",
            "outcome": "promise_to_pay",
            "promised_amount": Decimal(amount),
            "promised_date": d(by),
            "collector": "zhang.san",
        }
    )


def _event(b: Book, contract: str, when: str, kind: str) -> None:
    rows = b.__dict__.setdefault("device_events", [])
    rows.append(
        {
            "event_id": f"E{len(rows) + 1}",
            "contract_id": contract,
            "device_id": f"DEV-{contract}",
            "event_time": datetime.fromisoformat(when),
            "event_type": kind,
            "latitude": 31.2,
            "longitude": 121.5,
            "run_hours": 5.0,
        }
    )


def _statement(b: Book, lessee: str, period: str, assets: str, liab: str, rev: str, ocf: str):
    rows = b.__dict__.setdefault("lessee_financials", [])
    rows.append(
        {
            "lessee_id": lessee,
            "period_end": d(period),
            "total_assets": Decimal(assets),
            "total_liabilities": Decimal(liab),
            "revenue": Decimal(rev),
            "net_profit": Decimal(rev) / 10,
            "operating_cash_flow": Decimal(ocf),
        }
    )


def _corporate(b: Book, contract: str, principal: str = "1000") -> str:
    lessee = f"L{contract}"
    b.lessee(lessee, "corporate")
    b.contract(contract, "2024-01-10", [("2024-12-10", principal, "0")], lessee_id=lessee)
    return lessee


def watch_book() -> Book:
    """The book of the table above."""
    b = Book()
    b.contract("D1", "2024-01-10", [("2024-06-10", "500", "0"), ("2024-12-10", "500", "0")])
    b.contract("CL", "2024-01-10", BULLET)
    b.override("CL", "2024-06", "substandard")
    b.contract("OB", "2024-01-10", BULLET, valid_to="2024-05-01")
    b.version("OB", [("2025-06-10", "1000", "0")], valid_from="2024-05-01")
    b.restructure("OB", "2024-05-01")
    b.contract("SG", "2024-01-10", BULLET)
    _signal(b, "LSG", None, "2024-04-02", "high")
    b.contract("IO", "2024-01-10", BULLET)
    _event(b, "IO", "2024-06-15 10:00:00", "geofence_exit")
    b.contract("IA", "2024-01-10", BULLET)
    _inspection(b, "IA", "2024-03-01", "normal")
    _inspection(b, "IA", "2024-06-01", "damaged")
    b.contract("IV", "2023-06-10", [("2024-12-10", "2000000", "0")])
    _inspection(b, "IV", "2023-12-01", "normal")
    b.contract("PB", "2024-01-10", BULLET)
    _promise(b, "PB", "2024-05-20 10:00:00", "300", "2024-06-05")
    b.pay("PB", "2024-05-25", "100")
    lfd = _corporate(b, "FD")
    _statement(b, lfd, "2023-12-31", "1000", "750", "500", "10")
    _statement(b, lfd, "2022-12-31", "1000", "500", "500", "10")
    lfc = _corporate(b, "FC")
    _statement(b, lfc, "2023-12-31", "1000", "500", "500", "-1")
    lfr = _corporate(b, "FR")
    _statement(b, lfr, "2023-12-31", "1000", "500", "390", "10")
    _statement(b, lfr, "2022-12-31", "1000", "500", "500", "10")
    b.contract("WL", "2024-01-10", BULLET)
    b.contract("OK", "2024-01-10", BULLET)
    _signal(b, "LOK", None, "2024-04-01", "high")
    _signal(b, "LOK", "OK", "2024-06-01", "medium")
    _event(b, "OK", "2024-05-31 23:00:00", "offline")
    _inspection(b, "OK", "2024-02-01", "damaged")
    _inspection(b, "OK", "2024-05-01", "normal")
    _promise(b, "OK", "2024-05-20 09:00:00", "200", "2024-06-05")
    b.pay("OK", "2024-06-05", "200")
    _promise(b, "OK", "2024-07-02 09:00:00", "500", "2024-06-20")
    lbig = _corporate(b, "BIG", "2000000")
    _inspection(b, "BIG", "2024-03-01", "normal")
    _statement(b, lbig, "2023-12-31", "1000", "700", "400", "0")
    _statement(b, lbig, "2022-12-31", "1000", "700", "500", "0")
    _statement(b, lbig, "2024-09-30", "1000", "950", "100", "-5")
    return b
