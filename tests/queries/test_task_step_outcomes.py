"""queries.task_steps: cure and roll-forward by strategy step, on a tiny `contract_month`.

As of 2024-04-30 with a 3-month window: month-ends m = Jan, Feb, Mar 2024 (m + 1 ≤ as-of).
Bands in order: big loans (product loan, outstanding ≥ 1,000,000) DPD 1–30 → visit, 31+ →
litigation; then any product: 1–7 reminder, 8–30 notice, 31–60 visit, 61–90 demand, 91+
litigation. Branch B1 unless said.

| contract | m | DPD (bucket) at m | at m + 1 | step | outcome |
|---|---|---|---|---|---|
| A | Jan | 5 (M1) | 0 | reminder | cured |
| B | Jan | 20 (M1) | 50 (M2) | notice | rolled |
| B | Feb | 50 (M2) | 80 (M3) | visit | rolled |
| B | Mar | 80 (M3) | 0, closed | demand | cured |
| C | Feb | 3 (M1) | 25 (M1) | reminder | stayed |
| C | Mar | 25 (M1) | 40 (M2) | notice | rolled |
| D | Mar | 100 (M4) | written off | litigation | rolled |
| G | Jan | 15 (M1), loan 2,000,000 | 0 | visit (big loan) | cured |
| H | Jan, Feb, Mar | 6 (M1), branch B2 | 6 (M1) | reminder | stayed (three times) |
| J | Feb | 45 (M2) | 15 (M1) | visit | stayed (better, not cured) |
| J | Mar | 15 (M1) | 15 (M1) | notice | stayed |

Every open contract has a row at every month-end to the as-of (the grain). Not counted: E (DPD
10 in Dec 2023, before the window), F (DPD 10 in Apr, no next month-end yet), I (written off in
Jan at DPD 95: not open), every DPD-0 month.

By step: reminder 5 (cured 1, stayed 4); notice 3 (rolled 2, stayed 1); visit 3 (cured 1,
rolled 1, stayed 1); demand 1 (cured 1); litigation 1 (rolled 1). Branch B1 only: reminder 2
(cured 1, stayed 1). March alone: reminder 1 (H, stayed), notice 2 (C rolled, J stayed), demand
1 (B cured), litigation 1 (D rolled).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from queries import task_steps as ts
from queries.filters import Filters
from warehouse.engine import create_warehouse_engine
from warehouse.months import month_end_of, month_idx
from warehouse.schema import contract_month

APRIL = Filters(as_of=date(2024, 4, 30))
BANDS = (
    ts.StepBand("visit", 1, 30, "loan", Decimal("1000000")),
    ts.StepBand("litigation", 31, None, "loan", Decimal("1000000")),
    ts.StepBand("reminder", 1, 7),
    ts.StepBand("notice", 8, 30),
    ts.StepBand("visit", 31, 60),
    ts.StepBand("demand", 61, 90),
    ts.StepBand("litigation", 91, None),
)
STEPS = ["visit", "litigation", "reminder", "notice", "demand"]  # first appearance in the bands

BUCKETS = ((0, "M0"), (30, "M1"), (60, "M2"), (90, "M3"), (120, "M4"), (150, "M5"))


def _bucket(dpd: int) -> str:
    return next(b for top, b in BUCKETS if dpd <= top)


# contract -> [(month "YYYY-MM", dpd, flag)], flag "" | "closed" | "written_off"
BOOK: dict[str, list[tuple[str, int, str]]] = {
    "A": [("2024-01", 5, ""), ("2024-02", 0, ""), ("2024-03", 0, ""), ("2024-04", 0, "")],
    "B": [("2024-01", 20, ""), ("2024-02", 50, ""), ("2024-03", 80, ""), ("2024-04", 0, "closed")],
    "C": [("2024-02", 3, ""), ("2024-03", 25, ""), ("2024-04", 40, "")],
    "D": [("2024-03", 100, ""), ("2024-04", 130, "written_off")],
    "E": [("2023-12", 10, ""), *((m, 0, "") for m in ("2024-01", "2024-02", "2024-03", "2024-04"))],
    "F": [("2024-03", 0, ""), ("2024-04", 10, "")],
    "G": [("2024-01", 15, ""), ("2024-02", 0, ""), ("2024-03", 0, ""), ("2024-04", 0, "")],
    "H": [(m, 6, "") for m in ("2024-01", "2024-02", "2024-03", "2024-04")],
    "I": [("2024-01", 95, "written_off")],
    "J": [("2024-02", 45, ""), ("2024-03", 15, ""), ("2024-04", 15, "")],
}


def _rows() -> list[dict[str, object]]:
    rows = []
    for contract, months in BOOK.items():
        for month, dpd, flag in months:
            idx = month_idx(date.fromisoformat(f"{month}-01"))
            rows.append(
                {
                    "contract_id": contract,
                    "lessee_id": f"L{contract}",
                    "month_end": month_end_of(idx),
                    "month_idx": idx,
                    "mob": 0,
                    "outstanding_principal": Decimal("2000000") if contract == "G" else Decimal(1),
                    "overdue_principal": Decimal(0),
                    "overdue_interest": Decimal(0),
                    "dpd": dpd,
                    "dpd_bucket": _bucket(dpd),
                    "risk_class": "normal",
                    "class_reason": "dpd",
                    "in_observation": False,
                    "written_off": flag == "written_off",
                    "closed": flag == "closed",
                    "provision": Decimal(0),
                    "provision_estimated": False,
                    "received_to_date": Decimal(0),
                    "product": "loan" if contract == "G" else "direct_lease",
                    "lessee_type": "corporate",
                    "industry": "C",
                    "region": "110000",
                    "branch": "B2" if contract == "H" else "B1",
                    "asset_category": "equipment",
                    "cohort_month": date(2023, 12, 31),
                    "original_principal": Decimal(1),
                }
            )
    return rows


@pytest.fixture
def warehouse(db_url: str) -> Iterator[Engine]:
    engine = create_warehouse_engine(db_url)
    contract_month.create(engine)
    with engine.begin() as conn:
        conn.execute(contract_month.insert(), _rows())
    yield engine
    engine.dispose()


def _counts(frame) -> dict[str, tuple[int, int, int, int]]:
    return {
        r["step"]: (r["contract_months"], r["cured"], r["rolled"], r["stayed"])
        for r in frame.to_dict("records")
    }


def test_cure_and_roll_forward_by_the_step_a_contract_was_in(warehouse: Engine) -> None:
    frame = ts.step_outcomes(warehouse, APRIL, BANDS, months=3)
    assert list(frame["step"]) == STEPS
    assert _counts(frame) == {
        "visit": (3, 1, 1, 1),
        "reminder": (5, 1, 0, 4),
        "notice": (3, 0, 2, 1),
        "demand": (1, 1, 0, 0),
        "litigation": (1, 0, 1, 0),
    }
    rates = frame.set_index("step")
    assert rates.loc["reminder", "cure_rate"] == Decimal(1) / Decimal(5)
    assert rates.loc["notice", "roll_rate"] == Decimal(2) / Decimal(3)
    assert rates.loc["visit", "roll_rate"] == Decimal(1) / Decimal(3)


def test_a_step_with_no_contract_months_has_no_rate(warehouse: Engine) -> None:
    frame = ts.step_outcomes(warehouse, APRIL, BANDS, months=1)  # March alone
    assert _counts(frame) == {
        "visit": (0, 0, 0, 0),
        "reminder": (1, 0, 0, 1),
        "notice": (2, 0, 1, 1),
        "demand": (1, 1, 0, 0),
        "litigation": (1, 0, 1, 0),
    }
    assert frame.set_index("step").loc["visit", "cure_rate"] is None


def test_step_outcomes_follow_branch_scope_and_filters(warehouse: Engine) -> None:
    scoped = Filters(as_of=APRIL.as_of, scope=("B1",))
    assert _counts(ts.step_outcomes(warehouse, scoped, BANDS, months=3))["reminder"] == (2, 1, 0, 1)
    loans = Filters(as_of=APRIL.as_of, product=("loan",))
    assert _counts(ts.step_outcomes(warehouse, loans, BANDS, months=3))["visit"] == (1, 1, 0, 0)


def test_step_drill_down_lists_exactly_the_contract_months_behind_a_figure(
    warehouse: Engine,
) -> None:
    rolled = ts.step_outcome_contracts(warehouse, APRIL, BANDS, "visit", "rolled", months=3)
    assert list(zip(rolled["contract_id"], rolled["month_end"], strict=True)) == [
        ("B", date(2024, 2, 29))
    ]
    assert (rolled["dpd"].iloc[0], rolled["next_dpd"].iloc[0]) == (50, 80)
    reminder = ts.step_outcome_contracts(warehouse, APRIL, BANDS, "reminder", months=3)
    assert list(reminder["contract_id"]) == ["H", "C", "H", "A", "H"]  # latest month-end first
    assert list(reminder["outcome"]) == ["stayed", "stayed", "stayed", "cured", "stayed"]
    cured = reminder[reminder["contract_id"] == "A"].iloc[0]
    assert (cured["next_dpd"], cured["next_bucket"]) == (0, "M0")


def test_an_unknown_outcome_or_window_is_refused(warehouse: Engine) -> None:
    with pytest.raises(ValueError, match="unknown outcome"):
        ts.step_outcome_contracts(warehouse, APRIL, BANDS, "visit", "lost")
    with pytest.raises(ValueError, match="months"):
        ts.step_outcomes(warehouse, APRIL, BANDS, months=0)
