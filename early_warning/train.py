"""Train a version for the registry, and score the performing contracts with the one in force.

`train` backtests both models out of time (`pipeline.evaluate`) for the card's evidence, then
fits them again on every month-end whose 6 following month-ends are built, and returns the models
with the card (which keeps the training distribution of the champion's score and of each feature,
`early_warning.reference`, for monitoring). `score` reads the features of one month-end and
returns each performing contract's probability from the champion (scorecard) and the challenger,
with the champion's three reasons.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine

from early_warning.backtest import Backtest
from early_warning.challenger import fit_challenger
from early_warning.data import (
    MAX_TRAINING_ROWS,
    TRAIN_MONTHS,
    NotEnoughData,
    built_to,
    load_features,
    require_defaults,
    weights,
)
from early_warning.pipeline import evaluate_with_frame, read_words
from early_warning.reference import build_reference
from early_warning.scorecard import fit_scorecard
from warehouse.marts.ew_features import (
    CATEGORICAL,
    FEATURES,
    HORIZON,
    KEY_COLUMNS,
    NUMERIC,
    TARGET,
)
from warehouse.months import month_end_of

PURPOSE = (
    "Probability that a contract performing at a month-end (DPD ≤ 90, open) is 90+ DPD or "
    "written off at one of the next 6 month-ends; ranks the at-risk list and explains each "
    "score by its three strongest reasons. An aid to the risk committee, not a classification."
)
LIMITS = (
    "Trained on this book's own history only; its default rate and mix can change (watch the "
    "PSI of score and features). Statements count from their period end (no filing date in the "
    "extract). Contracts in arrears over 90 days, closed or written off are not scored. On the "
    "demo book defaults and the early-warning material both follow a simulated hidden lessee "
    "risk (docs/demo.md); a real book's signals may be noisier or later than the demo's."
)


def fingerprint(frame: pd.DataFrame, as_text: bool = True) -> str:
    """SHA-256 over the training rows' keys, features and target (order-independent). Each value
    is hashed as its text, or with `as_text` False (a large book: writing a million rows of
    sixty numbers as text takes minutes) as the value itself, with the row's weight."""
    cols = [*KEY_COLUMNS, *FEATURES, TARGET]
    if not as_text:
        cols += [c for c in ("weight",) if c in frame.columns]
    rows = frame[cols].sort_values(["month_idx", "contract_id"])
    hashed = pd.util.hash_pandas_object(rows.astype(str) if as_text else rows, index=False)
    return hashlib.sha256(hashed.to_numpy().tobytes()).hexdigest()


def _num(x: float) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 6)


def _measures(bt: Backtest) -> dict[str, Any]:
    return {
        r.name: {
            part: {
                "rows": s.rows,
                "defaults": s.defaults,
                "auc": _num(s.auc),
                "ks": _num(s.ks),
                "gini": _num(s.gini),
                "brier": _num(s.brier),
                "top_decile_capture": _num(s.top_capture),
            }
            for part, s in (("test", r.test), ("test_dpd0", r.dpd0))
        }
        for r in bt.runs
    }


def data_weight(rows: pd.DataFrame) -> float:
    """The contract-months of the book `rows` stand for: their weights' sum (their count when
    unweighted)."""
    w = weights(rows)
    return float(len(rows)) if w is None else float(w.sum())


def train(
    engine: Engine,
    lag_months: int = 0,
    train_months: int = TRAIN_MONTHS,
    cap: int = MAX_TRAINING_ROWS,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Backtest, then fit both models on every month-end with a known outcome (on a book above
    `cap` such rows: of the last `train_months`, a weighted whole-contract sample); returns the
    models and the card (`NotEnoughData` in words when the book cannot support it)."""
    bt, frame = evaluate_with_frame(engine, lag_months, train_months, cap)
    last = bt.window.built_to
    # Only month-ends whose whole 6 months are built: later ones know their defaults already but
    # not their non-defaults, and would inflate the default rate.
    rows = frame[(frame.month_idx <= last - HORIZON) & frame[TARGET].notna()]
    require_defaults(rows, "training month-ends")
    scorecard = fit_scorecard(rows)
    challenger = fit_challenger(rows)
    table = scorecard.table()
    data: dict[str, Any] = {
        "built_to": f"{month_end_of(last):%Y-%m-%d}",
        "month_ends": [
            f"{month_end_of(int(rows.month_idx.min())):%Y-%m}",
            f"{month_end_of(int(rows.month_idx.max())):%Y-%m}",
        ],
        "rows": len(rows),
        "defaults": int(rows[TARGET].sum()),
        "fingerprint": fingerprint(rows, as_text=bt.read is None or not bt.read.large),
        "statement_lag_months": lag_months,
    }
    read = bt.read
    if read is not None and read.large:
        data["sample"] = {
            "month_ends_read": [
                f"{month_end_of(read.first_idx):%Y-%m}",
                f"{month_end_of(read.last_idx):%Y-%m}",
            ],
            "known_rows": read.known_rows,
            "defaulting_rows": read.defaulting_rows,
            "share": read.share,
            "rows_read": len(frame),
            "weighted_rows": round(data_weight(rows), 1),
            "text": (
                f"{read_words(read, len(frame))} The models were fitted on {len(rows):,} of "
                f"those contract-months, standing for {data_weight(rows):,.0f} of the book."
            ),
        }
    card = {
        "purpose": PURPOSE,
        "limits": LIMITS,
        "champion": "scorecard",
        "data": data,
        "features": list(FEATURES),
        "scorecard": {
            "intercept": scorecard.intercept,
            "coefficients": scorecard.coef,
            "iv": scorecard.iv,
            "bins": table.to_dict(orient="records"),
        },
        "backtest": {
            "train_last": f"{month_end_of(bt.window.train_last):%Y-%m}",
            "test": [
                f"{month_end_of(bt.window.test_first):%Y-%m}",
                f"{month_end_of(bt.window.test_last):%Y-%m}",
            ],
            "measures": _measures(bt),
        },
        # The champion's training scores and every feature, binned: the line monitoring
        # measures stability against (early_warning.reference), without the training rows.
        "reference": build_reference(
            scorecard.predict(rows), rows, NUMERIC, CATEGORICAL, weights(rows)
        ),
    }
    return {"scorecard": scorecard, "challenger": challenger}, card


def check_features(models: dict[str, Any], columns: set[str]) -> None:
    """Raise `NotEnoughData` in words when a model uses a feature `columns` lacks (a version
    trained before the warehouse dropped or renamed it)."""
    used = set(models["scorecard"].features) | set(models["challenger"].features)
    gone = sorted(used - columns)
    if gone:
        raise NotEnoughData(
            f"the model in force uses features the warehouse no longer has: {', '.join(gone)}; "
            "train and approve a new version"
        )


def score(engine: Engine, models: dict[str, Any], month_idx: int | None = None) -> pd.DataFrame:
    """Each contract performing at the month-end (default: the last built) with the champion's
    and the challenger's probabilities and the champion's reasons, riskiest first."""
    at = built_to(engine) if month_idx is None else month_idx
    if at is None:
        raise NotEnoughData("the warehouse has no build yet: run `postloan load` first")
    frame = load_features(engine, at, at)
    check_features(models, set(frame.columns))
    champion, challenger = models["scorecard"], models["challenger"]
    out = frame[["contract_id", "lessee_id", "month_end", "dpd"]].copy()
    out["score"] = champion.predict(frame)
    out["challenger_score"] = challenger.predict(frame)
    reasons = champion.reasons(frame)
    for i in range(3):
        out[f"reason_{i + 1}"] = [r[i] if len(r) > i else "" for r in reasons]
    return out.sort_values(["score", "contract_id"], ascending=[False, True]).reset_index(drop=True)
