"""`early_warning.train` on a large book (docs/early-warning.md, "Training a large book"), forced
on a small demo book by a small cap: only the last `train_months` month-ends are read, as whole
contracts (every defaulting one, weight 1; the others drawn by contract, weight 1 ÷ share); the
backtest's defaults and the 90+ lead-time events are then the whole book's exactly, and its
weighted row counts the whole book's up to sampling. Expectations are counted on the whole
book's features read the ordinary way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from dashboard.cli.main import main
from early_warning.data import NotEnoughData, built_from, built_to, load_features, training_read
from early_warning.leadtime import first_over
from early_warning.pipeline import evaluate_with_frame
from early_warning.train import fingerprint, train
from warehouse.demo import generate_extract
from warehouse.engine import create_warehouse_engine
from warehouse.marts.ew_features import (
    FEATURES,
    HORIZON,
    KEY_COLUMNS,
    TARGET,
    contract_value,
    sample_cut,
)

MONTHS = 24
COLUMNS = [*KEY_COLUMNS, *FEATURES, TARGET]


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A 1,500-contract demo book over 36 months to 2026-10, loaded into a DuckDB file."""
    folder = tmp_path_factory.mktemp("ew_large")
    generate_extract(folder / "x", contracts=1_500, as_of=date(2026, 10, 31), months=36, seed=5)
    url = f"duckdb:///{folder}/w.duckdb"
    assert main(["load", str(folder / "x"), "--warehouse", url, "--actor", "ops.li"]) == 0
    yield url


def test_a_large_book_backtests_and_trains_on_whole_contracts_of_its_last_month_ends(
    demo_url: str,
) -> None:
    engine = create_warehouse_engine(demo_url, read_only=True)
    try:
        last = built_to(engine)
        assert last is not None
        first = last - MONTHS + 1
        whole = load_features(engine, first, last)
        known = whole[whole.month_idx <= last - HORIZON]
        bad = set(whole.loc[whole[TARGET] == 1, "contract_id"])
        defaulting_rows = int(known.contract_id.isin(bad).sum())
        others = len(known) - defaulting_rows
        # A cap leaving a third of the other contracts' known rows: share ⅓.
        cap = defaulting_rows + others // 3
        share = (cap - defaulting_rows) / others
        bt, frame = evaluate_with_frame(engine, 0, MONTHS, cap)
        firsts = first_over(engine).set_index("contract_id")
        models, card = train(engine, 0, MONTHS, cap)
    finally:
        engine.dispose()
    assert bt.read.large and bt.read.first_idx == first
    assert bt.read.sample.share == pytest.approx(share)
    assert (bt.read.known_rows, bt.read.defaulting_rows) == (len(known), defaulting_rows)
    drawn = {c for c in whole.contract_id.unique() if contract_value(c) < sample_cut(share)}
    kept = bad | drawn
    assert 0 < len(drawn - bad) < whole.contract_id.nunique() - len(bad)
    expected = whole[whole.contract_id.isin(kept)].reset_index(drop=True)
    pd.testing.assert_frame_equal(frame[COLUMNS], expected[COLUMNS])
    assert (frame.weight == frame.contract_id.isin(bad).map({True: 1.0, False: 1 / share})).all()

    # Every default is kept with weight 1: the backtest's defaults are the whole book's.
    w = bt.window
    test = whole[whole.month_idx.between(w.test_first, w.test_last) & whole[TARGET].notna()]
    train_rows = whole[(whole.month_idx <= w.train_last) & whole[TARGET].notna()]
    for run in bt.runs:
        assert run.test.defaults == int(test[TARGET].sum())
        # The weighted count stands for the whole book's test rows, within sampling noise.
        assert abs(run.test.rows - len(test)) < 0.1 * len(test)
        assert 0.5 < run.test.auc <= 1.0
    assert bt.train_defaults == int(train_rows[TARGET].sum())
    assert bt.train_sample_rows < len(train_rows)

    # A contract first 90+ at F has target 1 at F − 1: all of them are kept, each counting once.
    first_90 = pd.to_numeric(firsts.first_90_idx, errors="coerce").dropna().astype(int)
    events = first_90[
        first_90.index.isin(whole.contract_id) & first_90.between(w.test_first + 6, last)
    ]
    watch_90 = bt.lead[(bt.lead.event == "90+") & (bt.lead.flagger == "watch rules")]
    assert list(watch_90.events) == [len(events)]
    assert len(events) > 0

    sample = card["data"]["sample"]
    assert sample["share"] == pytest.approx(share)
    assert sample["rows_read"] == len(frame)
    assert sample["known_rows"] == len(known)
    fitted = frame[(frame.month_idx <= last - HORIZON) & frame[TARGET].notna()]
    assert card["data"]["rows"] == len(fitted)
    assert sample["weighted_rows"] == pytest.approx(fitted.weight.sum(), abs=0.1)
    # The monitoring reference describes the book the sample stands for, not the sample: its
    # weight is the sample's, and each product's share is the whole book's up to sampling noise.
    ref = card["reference"]
    assert ref["rows"] == len(fitted)
    assert ref["weighted_rows"] == pytest.approx(fitted.weight.sum(), abs=0.1)
    book = known[known[TARGET].notna()]["product"].astype(str).value_counts(normalize=True)
    product = ref["features"]["product"]
    for value, share_of_book in book.items():
        assert product["shares"][product["values"].index(value)] == pytest.approx(
            share_of_book, abs=0.03
        )
    assert f"{share:.2%} of the others" in sample["text"]
    assert card["data"]["defaults"] == int(known[TARGET].sum())
    assert len(card["data"]["fingerprint"]) == 64
    assert set(models) == {"scorecard", "challenger"}


def test_the_value_fingerprint_ignores_row_order_and_counts_the_weight() -> None:
    rows = pd.DataFrame({c: [0.5, 1.5] for c in FEATURES})
    rows["contract_id"], rows["lessee_id"] = ["C1", "C2"], ["L1", "L2"]
    rows["month_idx"], rows["month_end"] = [24300, 24300], ["2025-01-31", "2025-01-31"]
    rows[TARGET], rows["weight"] = [1.0, 0.0], [1.0, 4.0]
    value = fingerprint(rows, as_text=False)
    assert value == fingerprint(rows.iloc[::-1], as_text=False)
    assert value != fingerprint(rows.assign(weight=[1.0, 5.0]), as_text=False)
    assert value != fingerprint(rows) and len(value) == 64


def test_too_few_month_ends_for_a_large_book_is_a_message(demo_url: str) -> None:
    engine = create_warehouse_engine(demo_url, read_only=True)
    try:
        with pytest.raises(NotEnoughData, match=r"train_months is 18.*at least 19"):
            evaluate_with_frame(engine, 0, 18, cap=1_000)
    finally:
        engine.dispose()


def test_a_book_within_the_cap_is_read_whole_over_every_month_end(demo_url: str) -> None:
    engine = create_warehouse_engine(demo_url, read_only=True)
    try:
        first, last = built_from(engine), built_to(engine)
        read = training_read(engine, first, last, MONTHS)
    finally:
        engine.dispose()
    assert not read.large and read.sample is None
    assert (read.first_idx, read.last_idx) == (first, last)
