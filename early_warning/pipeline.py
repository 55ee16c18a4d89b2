"""From a warehouse to a backtest: read the month-ends the backtest needs, fit, measure.

A book whose performing contract-months with a known outcome are at most `MAX_TRAINING_ROWS`
is read whole, every built month-end. A larger one is read over its last `train_months`
month-ends as a whole-contract sample (`early_warning.data.training_read`): every contract with
a default there and a weighted share of the others, each with all its rows; the backtest, the
lead times and the final fits then weigh each row by `weight` (docs/early-warning.md, "Training
a large book").
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Engine

from early_warning.backtest import TEST_MONTHS, Backtest, run, window
from early_warning.data import (
    MAX_TRAINING_ROWS,
    TRAIN_MONTHS,
    NotEnoughData,
    TrainingRead,
    built_from,
    built_to,
    load_features,
    training_read,
)
from early_warning.leadtime import compare
from warehouse.marts.ew_features import HORIZON
from warehouse.months import month_end_of


def evaluate(
    engine: Engine,
    lag_months: int = 0,
    train_months: int = TRAIN_MONTHS,
    cap: int = MAX_TRAINING_ROWS,
) -> Backtest:
    """The out-of-time backtest of both models on the book in `engine`; `NotEnoughData` in
    words when it is not built or too short or has too few defaults."""
    return evaluate_with_frame(engine, lag_months, train_months, cap)[0]


def evaluate_with_frame(
    engine: Engine,
    lag_months: int = 0,
    train_months: int = TRAIN_MONTHS,
    cap: int = MAX_TRAINING_ROWS,
) -> tuple[Backtest, pd.DataFrame]:
    """`evaluate`, and the features it read: every built month-end, or on a book above `cap`
    known rows the whole-contract sample of the last `train_months` (with `weight`)."""
    last, first = built_to(engine), built_from(engine)
    if last is None or first is None:
        raise NotEnoughData("the warehouse has no build yet: run `postloan load` first")
    w = window(last)
    needed = TEST_MONTHS + HORIZON + 1
    if w.train_last < first:
        raise NotEnoughData(
            f"the book spans {last - first + 1} month-ends; a backtest needs more than {needed} "
            f"(training month-ends whose 6-month outcome is known {TEST_MONTHS} months before "
            "the last one)"
        )
    read = training_read(engine, first, last, train_months, cap)
    if read.large and read.first_idx > w.train_last:
        raise NotEnoughData(
            f"early_warning.train_months is {train_months}: a book this large is read over its "
            f"last {train_months} month-ends, and a backtest needs at least {needed}"
        )
    if read.large:
        frame = load_features(engine, read.first_idx, last, lag_months, contracts=read.sample)
    else:
        frame = load_features(engine, first, last, lag_months)
    backtest = run(frame, last)
    backtest.read = read
    if read.large:
        backtest.notes += ["", read_words(read, len(frame))]
    backtest.lead = compare(engine, backtest, frame)
    return backtest, frame


def read_words(read: TrainingRead, rows_read: int) -> str:
    """What a large book's training read, in words: month-ends, rows, the share and weights."""
    first, last = month_end_of(read.first_idx), month_end_of(read.last_idx)
    head = (
        f"A large book: {read.known_rows:,} performing contract-months with a known outcome "
        f"at the month-ends {first:%Y-%m} to {last:%Y-%m} (more than {read.cap:,} in "
        f"the whole book), so only those {read.last_idx - read.first_idx + 1} month-ends were read"
    )
    if read.sample is None:
        return f"{head}, whole ({rows_read:,} contract-months)."
    return (
        f"{head}, as a sample of whole contracts: every contract with a default at one of them "
        f"({read.defaulting_rows:,} of the known contract-months) and {read.share:.2%} of the "
        "others, drawn by a hash of the contract id, each standing for "
        f"{1 / read.share:,.1f} contracts (its weight); {rows_read:,} contract-months read. "
        "The backtest's measures, the lead times and the fits are weighted by it."
    )
