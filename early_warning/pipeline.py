"""From a warehouse to a backtest: read the month-ends the backtest needs, fit, measure."""

from __future__ import annotations

import pandas as pd
from sqlalchemy.engine import Engine

from early_warning.backtest import TEST_MONTHS, Backtest, run, window
from early_warning.data import NotEnoughData, built_from, built_to, load_features
from early_warning.leadtime import compare
from warehouse.marts.ew_features import HORIZON


def evaluate(engine: Engine, lag_months: int = 0) -> Backtest:
    """The out-of-time backtest of both models on the book in `engine`; `NotEnoughData` in
    words when it is not built or too short or has too few defaults."""
    return evaluate_with_frame(engine, lag_months)[0]


def evaluate_with_frame(engine: Engine, lag_months: int = 0) -> tuple[Backtest, pd.DataFrame]:
    """`evaluate`, and the features of every built month-end it read."""
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
    frame = load_features(engine, first, last, lag_months)
    backtest = run(frame, last)
    backtest.lead = compare(engine, backtest, frame)
    return backtest, frame
