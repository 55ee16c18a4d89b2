"""The demo's hidden, drifting lessee risk (docs/demo.md): deterministic, drifting, and the cause
of the book's defaults, read back from the loaded warehouse rather than from the generator.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from warehouse.demo import generate_extract, hidden_risk
from warehouse.load import load_extract
from warehouse.months import month_idx
from warehouse.settings import load_settings

AS_OF = date(2026, 10, 31)
ARGS = {"contracts": 2_000, "as_of": AS_OF, "months": 48, "seed": 11}


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A 2,000-contract demo extract and its DuckDB warehouse."""
    out = tmp_path_factory.mktemp("demo_hidden_risk")
    generate_extract(out / "extract", contracts=2_000, as_of=AS_OF, months=48, seed=11)
    url = f"duckdb:///{out / 'w.duckdb'}"
    load_extract(out / "extract", url, load_settings())
    return out / "extract", url


def test_same_seed_gives_the_same_hidden_risk_and_another_seed_another() -> None:
    lessees, of_contract, latent = hidden_risk(**ARGS)
    again = hidden_risk(**ARGS)
    other = hidden_risk(**{**ARGS, "seed": 12})
    assert lessees.equals(again[0]) and of_contract.equals(again[1])
    assert np.array_equal(latent.z, again[2].z)
    assert not np.array_equal(latent.z[:, :100], other[2].z[:, :100])
    # One row per month from 12 months before the window to the as-of month, one column per lessee.
    assert latent.last_month == month_idx(AS_OF)
    assert latent.z.shape == (48 + 12, len(lessees))
    assert len(of_contract) == 2_000


def test_the_hidden_risk_drifts() -> None:
    _, _, latent = hidden_risk(**ARGS)
    z = latent.z.astype(np.float64)
    # Every lessee's risk moves from month to month, and the ranking two years apart is loose.
    assert (np.abs(np.diff(z, axis=0)) > 0).mean() == 1.0
    rank_then = pd.Series(z[12]).rank()
    rank_later = pd.Series(z[36]).rank()
    assert rank_then.corr(rank_later) < 0.6
    # Shocks and slow deteriorations push some lessees far above the calm ones.
    assert np.quantile(z, 0.999) > 2.0 > 0.5 > np.median(z)


def test_the_book_files_match_the_hidden_risk_lessees(book: tuple[Path, str]) -> None:
    extract, _ = book
    lessees, of_contract, _ = hidden_risk(**ARGS)
    contracts = pd.read_csv(extract / "contracts.csv", dtype=str)
    assert list(contracts["lessee_id"]) == of_contract.to_pylist()
    written = pd.read_csv(extract / "lessees.csv", dtype=str)["lessee_id"]
    assert list(written) == lessees.to_pylist()


def test_contracts_of_the_riskiest_lessees_default_far_more_often(book: tuple[Path, str]) -> None:
    """Performing contract-months (open, DPD ≤ 90) split into quintiles of their lessee's hidden
    risk that month: the share 90+ DPD or written off within the next 6 month-ends (the
    early-warning target, worked out here from the loaded `contract_month`) is many times higher
    in the top quintile than in the bottom one, and rises quintile by quintile."""
    _, url = book
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            cm = pd.read_sql(
                sa.text(
                    "SELECT contract_id, lessee_id, month_idx, dpd, written_off, closed "
                    "FROM contract_month"
                ),
                conn,
            )
    finally:
        engine.dispose()
    lessees, _, latent = hidden_risk(**ARGS)
    column = {lid: i for i, lid in enumerate(lessees.to_pylist())}
    bad = cm[(cm.dpd > 90) | cm.written_off]
    first_bad = bad.groupby("contract_id").month_idx.min()
    last = month_idx(AS_OF)
    rows = cm[(cm.dpd <= 90) & ~cm.written_off & ~cm.closed & (cm.month_idx <= last - 6)].copy()
    rows["first_bad"] = rows.contract_id.map(first_bad)
    rows["default"] = (rows.first_bad > rows.month_idx) & (rows.first_bad <= rows.month_idx + 6)
    rows["z"] = latent.at(rows.month_idx.to_numpy(), rows.lessee_id.map(column).to_numpy())
    rows["quintile"] = pd.qcut(rows.z, 5, labels=False)
    rate = rows.groupby("quintile")["default"].mean()
    assert len(rows) > 20_000 and rows["default"].sum() > 200
    assert rate[4] > 8 * rate[0]
    assert rate[4] > 0.05
    assert rate.is_monotonic_increasing
