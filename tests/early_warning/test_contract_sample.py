"""A large book's training sample of whole contracts (warehouse/marts/ew_features.py
`ContractSample`, early_warning/data.py `training_read`), on the hand book of books.py:

- CA defaults (DPD 108 at 2024-10): its rows at 2024-04 … 2024-09 have target 1, so it is kept
  whole, weight 1, whatever the share and whichever month-ends a statement reads.
- CA2 and CB never default. Their draws, the first six hex digits of MD5 of the contract id
  (coreutils md5sum): md5("CA2") = 3702f3bf… → 0x3702f3 = 3,605,235 (0.2149 of 16⁶);
  md5("CB") = 834cb54b… → 0x834cb5 = 8,604,853 (0.5129). At a share of 0.3 (cut 5,033,165)
  CA2 is drawn and CB is not; CA2 then stands for 1 ÷ 0.3 contracts.
"""

from __future__ import annotations

import pandas as pd
import pytest

from early_warning import data
from queries.execute import fetch_frame, fetch_one
from tests.early_warning.books import AS_OF, hand_book
from tests.warehouse.book import build_book, d
from warehouse.engine import create_warehouse_engine
from warehouse.marts.ew_features import (
    FEATURES,
    KEY_COLUMNS,
    TARGET,
    ContractSample,
    contract_value,
    defaulting_contracts,
    sample_cut,
    stratum_counts_statement,
)
from warehouse.months import month_idx

FIRST, LAST = month_idx(d("2024-01-31")), month_idx(d(AS_OF))
COLUMNS = [*KEY_COLUMNS, *FEATURES, TARGET]


def test_the_contract_draw_is_the_md5_of_the_contract_id() -> None:
    assert contract_value("CA2") == 3_605_235
    assert contract_value("CB") == 8_604_853
    assert contract_value("CA2") < sample_cut(0.3) < contract_value("CB")


def test_a_contract_sample_keeps_the_defaulting_and_the_drawn_contracts_whole(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_book(db_url, hand_book(), AS_OF)
    engine = create_warehouse_engine(db_url)
    sample = ContractSample(FIRST, LAST, 0.3)
    try:
        whole = data.load_features(engine, FIRST, LAST)
        sampled = data.load_features(engine, FIRST, LAST, contracts=sample)
        # One month-end a statement: CA's January row (target 0) is still kept, because the
        # contract defaults later in the sample's month-ends, not in that statement's.
        monkeypatch.setattr(data, "SAMPLE_CHUNK_MONTHS", 1)
        by_month = data.load_features(engine, FIRST, LAST, contracts=sample)
        defaulting = fetch_frame(engine, defaulting_contracts(FIRST, LAST))
        none_drawn = data.load_features(
            engine, FIRST, LAST, contracts=ContractSample(FIRST, LAST, 0.1)
        )
    finally:
        engine.dispose()
    assert list(defaulting.contract_id) == ["CA"]
    assert set(whole.contract_id) == {"CA", "CA2", "CB"}
    kept = whole[whole.contract_id.isin(["CA", "CA2"])].reset_index(drop=True)
    # Every row of CA and CA2 — unknown targets (2024-07 … 12) included — and none of CB.
    assert sorted(sampled.contract_id.unique()) == ["CA", "CA2"]
    pd.testing.assert_frame_equal(sampled[COLUMNS], kept[COLUMNS])
    pd.testing.assert_frame_equal(by_month[COLUMNS], kept[COLUMNS])
    assert sampled[TARGET].isna().any() and (sampled[TARGET] == 1).sum() == 6
    weights = sampled.groupby("contract_id").weight.unique()
    assert list(weights["CA"]) == [1.0]
    assert list(weights["CA2"]) == [pytest.approx(1 / 0.3)]
    assert list(by_month.weight) == list(sampled.weight)
    # At 0.1 neither CA2 nor CB is drawn: the defaulting contract alone.
    assert set(none_drawn.contract_id) == {"CA"} and (none_drawn.weight == 1.0).all()


def test_stratum_counts_are_the_known_rows_and_those_of_defaulting_contracts(db_url: str) -> None:
    """Known outcome: month-ends up to 2024-06 (2024-12 less 6). Performing rows there: CA
    2024-01 … 06 (DPD at most 15), CA2 2024-03 … 06, CB 2024-01 … 06: 16; CA's 6 of them."""
    build_book(db_url, hand_book(), AS_OF)
    engine = create_warehouse_engine(db_url)
    known_last = month_idx(d("2024-06-30"))
    try:
        row = fetch_one(engine, stratum_counts_statement(FIRST, LAST, known_last))
        performing = data.performing_rows(engine, FIRST, known_last)
        # The cap decides: 16 known rows, so a cap of 16 reads the book whole, as always.
        small = data.training_read(engine, FIRST, LAST, cap=16)
        large = data.training_read(engine, FIRST, LAST, cap=10)
        tight = data.training_read(engine, FIRST, LAST, cap=7)
        short = data.training_read(engine, FIRST, LAST, train_months=3, cap=10)
    finally:
        engine.dispose()
    assert row is not None and (row["rows"], row["defaulting_rows"]) == (16, 6)
    assert performing == 16
    assert not small.large and small.sample is None and small.first_idx == FIRST
    # Cap 10: 10 − 6 = 4 rows wanted from the 10 others' rows: a share of 0.4.
    assert large.large and (large.known_rows, large.defaulting_rows) == (16, 6)
    assert large.sample == ContractSample(FIRST, LAST, 0.4)
    # Cap 7: 7 − 6 = 1 is below a quarter of the cap (1.75): the share is 1.75 ÷ 10.
    assert tight.sample == ContractSample(FIRST, LAST, pytest.approx(0.175))
    # Three month-ends (2024-10 … 12): none has a known outcome, nothing to thin.
    assert short.large and short.first_idx == LAST - 2 and short.sample is None


def test_the_share_leaves_about_the_cap_after_the_defaulting_contracts() -> None:
    assert data.contract_share(400, 100, cap=500) == 1.0
    assert data.contract_share(1_000, 300, cap=500) == pytest.approx(200 / 700)
    # Defaulting contracts alone fill 450 of 500: at least 125 (a quarter) from the others.
    assert data.contract_share(1_000, 450, cap=500) == pytest.approx(125 / 550)
    assert data.contract_share(1_000, 1_000, cap=500) == 1.0


def test_contract_weights_follow_a_default_anywhere_in_the_frame() -> None:
    frame = pd.DataFrame(
        {
            "contract_id": ["A", "A", "B", "B", "C"],
            TARGET: [0.0, 1.0, 0.0, None, None],
        }
    )
    assert list(data.contract_weights(frame, 0.25)) == [1.0, 1.0, 4.0, 4.0, 4.0]
