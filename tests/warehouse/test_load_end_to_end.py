"""`postloan load` on the hand-made extract in tests/fixtures/extract_small gives the
contract_month values docs/domain.md prescribes, worked out by hand below, on both engines."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from tests.warehouse.extract_edits import FIXTURE
from warehouse import schema
from warehouse.engine import create_warehouse_engine

POSTLOAN = str(Path(sys.executable).with_name("postloan"))


def _mart(url: str) -> dict[tuple[str, date], dict]:
    engine = create_warehouse_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(schema.contract_month)).mappings().all()
    finally:
        engine.dispose()
    return {(r["contract_id"], r["month_end"]): dict(r) for r in rows}


def _pick(row: dict, *names: str) -> tuple:
    return tuple(row[n] for n in names)


def test_cli_load_yields_the_hand_worked_contract_months(db_url: str) -> None:
    done = subprocess.run(
        [POSTLOAN, "load", str(FIXTURE), "--warehouse", db_url],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    mart = _mart(db_url)
    jun = date(2024, 6, 30)

    # C1: 12 × (1,000 + 50) from 02-15, five paid on their due dates → 7,000 left, current.
    c1 = mart[("C1", jun)]
    assert _pick(c1, "outstanding_principal", "dpd", "risk_class", "mob") == (7000, 0, "normal", 5)
    assert len([k for k in mart if k[0] == "C1"]) == 6

    # C2: 1,030 on 03-01 and 500 on 04-05 → installment 2 (due 04-01) oldest unpaid: DPD 90.
    # Repaid 1,000 + (500 − 30 interest) = 1,470 → 4,530 left; overdue principal 4,000 − 1,470
    # = 2,530, interest 120 − 60 = 60. DPD 90 is special mention, the June override makes it
    # substandard; the extract's provision 1,250.00 is used as given.
    c2 = mart[("C2", jun)]
    assert _pick(
        c2, "outstanding_principal", "overdue_principal", "overdue_interest", "dpd", "dpd_bucket"
    ) == (Decimal("4530.00"), Decimal("2530.00"), Decimal("60.00"), 90, "M3")
    assert _pick(c2, "risk_class", "class_reason", "provision", "provision_estimated") == (
        "substandard",
        "override",
        Decimal("1250.00"),
        False,
    )
    assert _pick(mart[("C2", date(2024, 5, 31))], "dpd", "risk_class") == (60, "special_mention")

    # C3: 2,380 received before the 04-01 extension → 7,740 restated; at 03-31 installment 3
    # (due 03-10) is 21 days late with 740 principal overdue. From April the new version is in
    # force (nothing due before 05-10), two 1,320 installments paid → 5,160 left, in observation.
    mar3 = mart[("C3", date(2024, 3, 31))]
    assert _pick(mar3, "outstanding_principal", "overdue_principal", "dpd", "class_reason") == (
        7740,
        740,
        21,
        "dpd",
    )
    apr3 = mart[("C3", date(2024, 4, 30))]
    assert _pick(apr3, "outstanding_principal", "dpd", "in_observation", "class_reason") == (
        7740,
        0,
        True,
        "restructured",
    )
    c3 = mart[("C3", jun)]
    assert _pick(c3, "outstanding_principal", "risk_class", "mob") == (5160, "special_mention", 6)

    # C4 (lessee L1, corporate, like C1): one of three 1,010 installments paid; written off on
    # 2024-03-31 at DPD 212 (from 2023-09-01). In February its 2,000 NPL is 2,000 / 13,000 =
    # 15.4% of L1's balance, so C1 is dragged to substandard; from March C4 is written off and
    # leaves the balance figures, so C1 is normal again.
    c4 = mart[("C4", date(2024, 3, 31))]
    assert _pick(c4, "written_off", "dpd", "dpd_bucket", "risk_class", "outstanding_principal") == (
        True,
        212,
        "M7+",
        "substandard",
        2000,
    )
    assert max(k[1] for k in mart if k[0] == "C4") == date(2024, 3, 31)
    feb1 = mart[("C1", date(2024, 2, 29))]
    assert _pick(feb1, "risk_class", "class_reason") == ("substandard", "debtor_npl_share")
    assert _pick(mart[("C1", date(2024, 3, 31))], "risk_class") == ("normal",)
