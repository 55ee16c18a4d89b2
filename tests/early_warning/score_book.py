"""A small book scored by the build, and a hand-made model version in a registry of its own.

The model knows one feature, the lessee's high-severity warning signals in the last 6 months
(`signals_high_6m`), fitted on rows whose default rates are set by hand: no signal 1%, one 20%,
two 50% (`tests/early_warning/test_models.py` shows the scorecard reproduces them). Book, as-of
2024-12-31, every contract paying 100 a month on the 10th from 2024-02:

- K0: no signal → 1% at every month-end.
- K1: one high signal on 2024-10-05 → 20% at 2024-10, -11, -12.
- K2: high signals on 2024-08-01 and 2024-12-31 → 20% at 2024-10 and -11, 50% at 2024-12.
- K9: pays through July, then nothing: DPD 82 at 2024-10-31 (scored, 1%), 112 and 143 after
  (over 90: not performing, not scored).
- KC: three installments, paid, closed in April: never scored.

Scoring the last 3 month-ends gives 10 rows: 2024-10 K0 K1 K2 K9, 2024-11 and -12 K0 K1 K2.
Deciles (rank by score, then contract id; decile = rank × 10 // rows + 1): 2024-12 K2 1, K1 4,
K0 7; 2024-11 K1 1, K2 4, K0 7; 2024-10 K1 1, K2 3, K0 6, K9 8.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from early_warning.challenger import fit_challenger
from early_warning.registry import Registry
from early_warning.scorecard import Scorecard, fit_scorecard
from tests.warehouse.book import Book, d, monthly
from warehouse.engine import create_warehouse_engine
from warehouse.marts.ew_features import TARGET

AS_OF = "2024-12-31"
SCORE_MONTHS = 3
FEATURE = "signals_high_6m"
RATES = {0: 0.01, 1: 0.20, 2: 0.50}  # the hand-set default rate by number of signals


def _signal(n: int, lessee: str, day: str) -> dict[str, Any]:
    return {
        "signal_id": f"S{n}",
        "lessee_id": lessee,
        "contract_id": None,
        "signal_date": d(day),
        "source": "court",
        "severity": "high",
        "description": "hand-made",
    }


def score_book() -> Book:
    """The five contracts of the module docstring."""
    b = Book()
    for cid in ("K0", "K1", "K2", "K9"):
        b.contract(cid, "2024-01-10", monthly("2024-02-10", 12, "100"))
        paid_to = 12 if cid != "K9" else 7
        for month in range(2, paid_to + 1):
            b.pay(cid, f"2024-{month:02d}-10", "100")
    b.contract("KC", "2024-01-10", monthly("2024-02-10", 3, "100"))
    for month in (2, 3, 4):
        b.pay("KC", f"2024-{month:02d}-10", "100")
    b.warning_signals = [  # type: ignore[attr-defined]
        _signal(1, "LK1", "2024-10-05"),
        _signal(2, "LK2", "2024-08-01"),
        _signal(3, "LK2", "2024-12-31"),
    ]
    return b


def training_rows() -> pd.DataFrame:
    """3,000 rows without a signal (30 defaults), 600 with one (120), 400 with two (200)."""
    parts = []
    for value, rows in ((0, 3000), (1, 600), (2, 400)):
        bad = round(rows * RATES[value])
        parts.append(
            pd.DataFrame({FEATURE: float(value), TARGET: [1.0] * bad + [0.0] * (rows - bad)})
        )
    return pd.concat(parts, ignore_index=True)


def fitted_models() -> dict[str, Any]:
    """The scorecard and challenger on `training_rows`, both on the one feature."""
    return dict(_fitted())


@functools.cache
def _fitted() -> dict[str, Any]:
    rows = training_rows()
    return {
        "scorecard": fit_scorecard(rows, features=(FEATURE,)),
        "challenger": fit_challenger(rows, features=(FEATURE,)),
    }


def lost_feature_models() -> dict[str, Any]:
    """A version whose scorecard uses `old_signal`, a feature the warehouse no longer has."""
    models = fitted_models()
    old = Scorecard(binnings={}, coef={"old_signal": -1.0}, intercept=0.0, best={})
    return {**models, "scorecard": old}


def approved(root: Path, models: dict[str, Any], reference: dict[str, Any] | None = None) -> str:
    """Store `models` as a version trained by alice and approved by bob (its card keeping the
    training `reference`, if given); returns the version."""
    registry = Registry(root)
    card: dict[str, Any] = {"purpose": "test", "features": [FEATURE], "data": {}}
    if reference is not None:
        card["reference"] = reference
    version = registry.propose(models, card, "alice")
    registry.approve(version, "bob")
    return version


def overrides(root: Path, cutoff: str = "0.10") -> dict[str, Any]:
    """The settings that point the build at `root` and score the last 3 month-ends."""
    return {
        "early_warning.registry": str(root),
        "early_warning.score_months": SCORE_MONTHS,
        "early_warning.score_cutoff": cutoff,
    }


def scored_engines(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, folder: str
) -> Iterator[Engine]:
    """The score book built with an approved hand-made model and the cut-off 0.10, on the
    fixture's engine (module-scoped fixtures `yield from` this)."""
    from early_warning.scoring import score_build
    from tests.conftest import module_db_urls
    from tests.warehouse.book import build_book
    from warehouse.engine import create_warehouse_engine

    root = tmp_path_factory.mktemp("models") / "registry"
    approved(root, fitted_models())
    for url in module_db_urls(request, tmp_path_factory, folder):
        build_book(url, score_book(), AS_OF, score_build, **overrides(Path(root), "0.10"))
        eng = create_warehouse_engine(url)
        yield eng
        eng.dispose()


def table_rows(url: str, table: sa.Table) -> pd.DataFrame:
    """Every row of `table` in the warehouse at `url`, as read back after a build."""
    engine = create_warehouse_engine(url)
    try:
        with engine.connect() as conn:
            result = conn.execute(sa.select(table))
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    finally:
        engine.dispose()
