"""A hand-made set of early-warning scores and outcomes for the monitoring tests (and the page's).

As of 2024-12-31; model ew-0002 scored three month-ends. `contract_month` holds only the rows
that matter (a written-off or over-90 row is a default; others prove what does not count):

| contract | rows in contract_month | default for 2024-05 (06–11)? | for 2024-06 (07–12)? |
|---|---|---|---|
| C1 | DPD 0 at 06, DPD 120 at 09 | yes | yes |
| C2 | written off at 12 | no (12 is the 7th month) | yes (the 6th) |
| C3 | DPD 95 at 05 (before 06: not ahead) | — | no |
| C4 | DPD 91 at 07 (91 > 90) | — | yes |
| C5 | DPD 90 at 08 (90 is not 90+) | no | no |
| C6 | none | no | no |
| C7 | DPD 100 at 10 | — | — (scored at 07 only: 07 + 6 = 2025-01 is after the as-of) |

Scores (decile in brackets):
- 2024-05: C1 0.5 (1), C2 0.4 (4), C5 0.3 (7), C6 0.2 (10) — y 1 0 0 0
- 2024-06: C1 0.9 (1), C2 0.8 (2), C3 0.7 (4), C4 0.6 (6), C5 0.6 (6), C6 0.1 (10) — y 1 1 0 1 0 0
- 2024-07: C7 0.4 (1), C1 0.3 (5), C6 0.2 (10) — outcome not yet known
- and one row of another version (ew-0001, C6 at 2024-06, 0.99) that no figure may count.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from warehouse import schema
from warehouse.engine import create_warehouse_engine
from warehouse.months import month_idx

VERSION = "ew-0002"
AS_OF = date(2024, 12, 31)
MAY, JUNE, JULY = date(2024, 5, 31), date(2024, 6, 30), date(2024, 7, 31)

SCORES: dict[date, list[tuple[str, float, int]]] = {
    MAY: [("C1", 0.5, 1), ("C2", 0.4, 4), ("C5", 0.3, 7), ("C6", 0.2, 10)],
    JUNE: [
        ("C1", 0.9, 1),
        ("C2", 0.8, 2),
        ("C3", 0.7, 4),
        ("C4", 0.6, 6),
        ("C5", 0.6, 6),
        ("C6", 0.1, 10),
    ],
    JULY: [("C7", 0.4, 1), ("C1", 0.3, 5), ("C6", 0.2, 10)],
}

# (contract, month-end, DPD, written off)
MONTHS: list[tuple[str, date, int, bool]] = [
    ("C1", JUNE, 0, False),
    ("C1", date(2024, 9, 30), 120, False),
    ("C2", date(2024, 12, 31), 0, True),
    ("C3", MAY, 95, False),
    ("C4", date(2024, 7, 31), 91, False),
    ("C5", date(2024, 8, 31), 90, False),
    ("C7", date(2024, 10, 31), 100, False),
]


def _month_row(contract: str, month_end: date, dpd: int, written_off: bool) -> dict[str, object]:
    zero = Decimal("0.00")
    return {
        "contract_id": contract,
        "lessee_id": f"L{contract}",
        "month_end": month_end,
        "month_idx": month_idx(month_end),
        "mob": 3,
        "outstanding_principal": Decimal("1000.00"),
        "overdue_principal": zero,
        "overdue_interest": zero,
        "dpd": dpd,
        "dpd_bucket": "M0",
        "risk_class": "normal",
        "class_reason": "hand-made",
        "in_observation": False,
        "written_off": written_off,
        "closed": False,
        "provision": zero,
        "provision_estimated": False,
        "received_to_date": zero,
        "product": "direct_lease",
        "lessee_type": "corporate",
        "industry": "C",
        "region": "310000",
        "branch": "SH",
        "asset_category": "truck",
        "cohort_month": date(2024, 1, 31),
        "original_principal": Decimal("1000.00"),
    }


def _score_row(
    version: str, month_end: date, contract: str, score: float, decile: int
) -> dict[str, object]:
    return {
        "contract_id": contract,
        "month_idx": month_idx(month_end),
        "month_end": month_end,
        "model_version": version,
        "score": score,
        "score_decile": decile,
        "reason_1": "ew_reason.dpd",
        "reason_2": None,
        "reason_3": None,
    }


def write_monitoring_book(url: str, *, store: bool = True) -> None:
    """Create `contract_month` and `ew_scores` at `url` and write the rows above; with `store`,
    then store 模型监控's figures of VERSION at AS_OF as the build's scoring step ends
    (`early_warning.scoring.store_monitoring`), else leave a warehouse from before them."""
    from early_warning.scoring import store_monitoring

    engine = create_warehouse_engine(url)
    try:
        schema.metadata.create_all(engine, tables=[schema.contract_month, schema.ew_scores])
        scores = [
            _score_row(VERSION, month, *row) for month, rows in SCORES.items() for row in rows
        ]
        scores.append(_score_row("ew-0001", JUNE, "C6", 0.99, 1))
        with engine.begin() as conn:
            conn.execute(schema.contract_month.insert(), [_month_row(*m) for m in MONTHS])
            conn.execute(schema.ew_scores.insert(), scores)
            if store:
                store_monitoring(conn, VERSION, AS_OF)
    finally:
        engine.dispose()
