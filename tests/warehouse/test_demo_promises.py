"""Demo promises to pay: kept by the receipts the demo writes, at a rate a collections team sees.

`postloan demo` used to promise the whole arrears within two weeks whatever the lessee then paid,
so the 催收 page showed a kept rate near 0 %. The band below is what the page should show on the
demo: between 40 % and 70 % of due promises kept (a collections team keeps roughly half).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from queries import collections
from queries.filters import Filters
from warehouse.demo import generate_extract
from warehouse.demo.dunning import Paid
from warehouse.load import load_extract
from warehouse.settings import load_settings

AS_OF = date(2026, 10, 31)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, sa.Engine]:
    """A 2,000-contract demo extract and its DuckDB warehouse (the loader's checks passed).

    DuckDB only: the query's two-engine agreement is proven on hand-worked books in
    tests/queries/test_collections.py; here the subject is the demo's data.
    """
    out = tmp_path_factory.mktemp("demo_promises")
    generate_extract(out / "extract", contracts=2_000, as_of=AS_OF, months=48, seed=11)
    url = f"duckdb:///{out / 'w.duckdb'}"
    load_extract(out / "extract", url, load_settings())
    engine = sa.create_engine(url)
    yield out / "extract", engine
    engine.dispose()


def test_kept_rate_on_the_collections_page_is_between_40_and_70_percent(
    demo: tuple[Path, sa.Engine],
) -> None:
    _, engine = demo
    for months in (12, 48):
        row = collections.contact_rates(engine, Filters(as_of=AS_OF), months, by="all").iloc[0]
        assert row.promises_due >= 200, (months, row.promises_due)  # enough for a rate
        assert 0.40 <= float(row.kept_rate) <= 0.70, (months, row.kept_rate)
        assert row.promises_part > 0  # some receipts fall short of the promise


def _recount(extract: Path) -> tuple[int, int]:
    """(due promises, kept) from the CSV files in pandas: receipts from the action's day to
    the promised date, both included, reach the promised amount."""
    col = pd.read_csv(extract / "collections.csv", dtype=str, keep_default_na=False)
    rc = pd.read_csv(extract / "receipts.csv", dtype=str, keep_default_na=False)
    due = col[(col.outcome == "promise_to_pay") & (col.promised_date <= AS_OF.isoformat())]
    due = due.assign(made=due.action_time.str[:10], asked=due.promised_amount.astype(float))
    pairs = due.merge(rc, on="contract_id", how="left")
    inside = (pairs.received_date >= pairs.made) & (pairs.received_date <= pairs.promised_date)
    got = pairs.amount.astype(float).where(inside, 0.0).groupby(pairs.action_id).sum()
    asked = due.set_index("action_id").asked
    return len(due), int((got.reindex(asked.index) >= asked - 0.001).sum())


def test_the_page_counts_the_promises_the_files_show(demo: tuple[Path, sa.Engine]) -> None:
    """Every promise in the demo is due by the as-of (promised dates are capped at it), so the
    48-month window's figures equal a recount straight from collections.csv and receipts.csv."""
    extract, engine = demo
    row = collections.contact_rates(engine, Filters(as_of=AS_OF), 48, by="all").iloc[0]
    due, kept = _recount(extract)
    assert (row.promises_due, row.promises_kept) == (due, kept)


def test_some_promises_ask_for_part_of_an_instalment(demo: tuple[Path, sa.Engine]) -> None:
    """A promise of the whole arrears is at least one instalment (DPD ≥ 1 means one is due),
    so asking for less than 80 % of the contract's first scheduled instalment is a partial
    promise. Half the promises ask 30-80 % of the arrears, and honest ones at most what arrived:
    well over a tenth of them must fall below (the old generator had none)."""
    extract, _ = demo
    col = pd.read_csv(extract / "collections.csv", dtype=str, keep_default_na=False)
    s = pd.read_csv(extract / "schedule.csv", dtype=str, keep_default_na=False)
    first = s[(s.valid_from == "") & (s.installment_no == "1")]
    instalment = pd.Series(
        (first.principal_due.astype(float) + first.interest_due.astype(float)).values,
        index=first.contract_id.values,
    )
    promises = col[col.outcome == "promise_to_pay"]
    asked = promises.promised_amount.astype(float).values
    assert (asked > 0).all()
    assert (asked < 0.8 * instalment.reindex(promises.contract_id).values).mean() > 0.10


def test_paid_sums_receipts_per_contract_between_two_days_inclusive() -> None:
    """Receipts (contract, day, cents): (0, 10, 100), (0, 12, 50), (1, 11, 7), (2, 5, 9).
    Contract 2 is never past due, so it is left out. By hand: contract 0 from day 10 to 12 =
    100 + 50 = 150; from 11 to 12 = 50; from 13 to 20 = 0; contract 1 from 11 to 11 = 7;
    contract 2 = 0. Next receipt on or after: 0@11 → 12, 0@13 → none (-1), 1@0 → 11, 2@0 → -1."""
    outcome = SimpleNamespace(
        receipts=(
            np.array([0, 0, 1, 2], dtype=np.int32),
            np.array([12, 10, 11, 5], dtype=np.int32),
            np.array([50, 100, 7, 9], dtype=np.int64),
        ),
        dpd=np.array([[0, 3, 0], [5, 0, 0]], dtype=np.int16),  # months × contracts
    )
    paid = Paid.of(outcome)  # type: ignore[arg-type]
    c = np.array([0, 0, 0, 1, 2])
    lo = np.array([10, 11, 13, 11, 0])
    hi = np.array([12, 12, 20, 11, 30])
    assert paid.between(c, lo, hi).tolist() == [150, 50, 0, 7, 0]
    nxt = paid.next_day(np.array([0, 0, 1, 2]), np.array([11, 13, 0, 0]))
    assert nxt.tolist() == [12, -1, 11, -1]
