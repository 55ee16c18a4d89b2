"""queries.contract_lists on `migration_book` (figures in tests/queries/books.py), both engines.

Feb → Mar 2024 roll: at 02-29 P1 M0 (8,300 left), P3 M0 (1,000), P5 M0 (500), P2 M1 (DPD 14),
P4 M4 (DPD 111); at 03-31 P1 M0, P3 M0, P5 closed, P2 M2 (DPD 45), P4 written off.
Year to date to 2024-03-31: normal → normal P1 (begin 9,100, end 8,300); normal →
special_mention P2 (900); special_mention → reduced P4 (600); new business → normal P3.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from queries import contract_lists, migration
from queries.filters import Filters
from tests.queries.books import Build, migration_book

MARCH = Filters(as_of=date(2024, 3, 31))


def _ids(frame) -> list[str]:
    return list(frame["contract_id"])


def test_roll_cells_hold_the_hand_worked_contracts(build: Build) -> None:
    engine = build(migration_book(), "2024-03-31")
    stay = contract_lists.roll_cell(engine, MARCH, "M0", "M0")
    assert _ids(stay) == ["P1", "P3"]  # largest February balance first
    assert list(stay["begin_balance"]) == [Decimal("8300"), Decimal("1000")]
    assert set(stay["total_rows"]) == {2}
    assert _ids(contract_lists.roll_cell(engine, MARCH, "M0", "closed")) == ["P5"]
    worse = contract_lists.roll_cell(engine, MARCH, "M1", "M2")
    assert _ids(worse) == ["P2"] and worse["end_dpd"].iloc[0] == 45
    assert _ids(contract_lists.roll_cell(engine, MARCH, "M4", "written_off")) == ["P4"]
    assert contract_lists.roll_cell(engine, MARCH, "M2", "M3").empty


def test_roll_cells_add_up_to_the_roll_rate_matrix(build: Build) -> None:
    engine = build(migration_book(), "2024-03-31")
    for r in migration.roll_rates(engine, MARCH).to_dict("records"):
        cell = contract_lists.roll_cell(engine, MARCH, r["from_bucket"], r["to_bucket"])
        assert len(cell) == r["contracts"], (r["from_bucket"], r["to_bucket"])


def test_paging_keeps_the_total(build: Build) -> None:
    engine = build(migration_book(), "2024-03-31")
    page = contract_lists.roll_cell(engine, MARCH, "M0", "M0", limit=1, offset=1)
    assert _ids(page) == ["P3"] and page["total_rows"].iloc[0] == 2


def test_migration_cells_year_to_date(build: Build) -> None:
    engine = build(migration_book(), "2024-03-31")

    def cell(src: str, dst: str):
        return contract_lists.migration_cell(engine, MARCH, "ytd", src, dst)

    stay = cell("normal", "normal")
    assert _ids(stay) == ["P1"]
    assert (stay["begin_balance"].iloc[0], stay["end_balance"].iloc[0]) == (9100, 8300)
    assert _ids(cell("normal", "special_mention")) == ["P2"]
    reduced = cell("special_mention", "reduced")
    assert _ids(reduced) == ["P4"] and reduced["end_balance"].iloc[0] == 0
    assert cell("normal", "reduced").empty
    fresh = cell("new_business", "normal")
    assert _ids(fresh) == ["P3"] and fresh["end_balance"].iloc[0] == 1000


def test_migration_cells_add_up_to_the_matrix(build: Build) -> None:
    engine = build(migration_book(), "2024-03-31")
    for period in migration.PERIODS:
        matrix = migration.migration_matrix(engine, MARCH, period)
        for r in matrix.to_dict("records"):
            if r["begin_class"] == "new_business" and r["end_class"] == "reduced":
                continue
            got = contract_lists.migration_cell(
                engine, MARCH, period, r["begin_class"], r["end_class"]
            )
            assert len(got) == r["contracts"], (period, r["begin_class"], r["end_class"])


def test_segment_filters_apply(build: Build) -> None:
    engine = build(migration_book(), "2024-03-31")
    other = Filters(as_of=date(2024, 3, 31), product=("loan",))
    assert contract_lists.roll_cell(engine, other, "M0", "M0").empty
    assert contract_lists.migration_cell(engine, other, "ytd", "normal", "normal").empty


def test_unknown_cells_are_refused() -> None:
    with pytest.raises(ValueError, match="roll cell"):
        contract_lists.roll_cell_statement(MARCH, "M9", "M0")
    with pytest.raises(ValueError, match="migration cell"):
        contract_lists.migration_cell_statement(MARCH, "ytd", "normal", "worse")
    with pytest.raises(ValueError, match="period"):
        contract_lists.migration_cell_statement(MARCH, "decade", "normal", "normal")
