"""The challenger: gradient-boosted trees (LightGBM) with the scorecard's monotone directions.

Numeric features are constrained by `trends.constraint` (+1: never safer as the value grows, −1:
never riskier, 0: free), segments enter as categories fixed at training. Its reasons are the
features with the largest positive contributions to the log-odds (LightGBM's `pred_contrib`,
TreeSHAP), largest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from early_warning.data import weights
from early_warning.scorecard import TOP_REASONS, top_keys
from early_warning.trends import constraint
from warehouse.marts.ew_features import CATEGORICAL, FEATURES, TARGET

PARAMS: dict[str, Any] = {
    "n_estimators": 300,
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_child_samples": 200,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    "reg_lambda": 1.0,
    "monotone_constraints_method": "advanced",
    "n_jobs": 2,
    "random_state": 7,
    "deterministic": True,
    "force_row_wise": True,
    "verbose": -1,
}


@dataclass
class Challenger:
    """A fitted LightGBM classifier and the categories each segment had at training."""

    model: Any
    categories: dict[str, list[str]]
    features: tuple[str, ...]

    def matrix(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The model's input: features in order, segments as categories of the training set (a
        value training never saw is missing, as LightGBM treats it)."""
        out = frame[list(self.features)].copy()
        for name in CATEGORICAL:
            if name in out:
                known = self.categories[name]
                values = out[name].astype(str)
                out[name] = pd.Categorical(values.where(values.isin(known)), categories=known)
        return out

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Probability of default (90+ within 6 months) of each row."""
        return self.model.predict_proba(self.matrix(frame))[:, 1]

    def reasons(self, frame: pd.DataFrame, top: int = TOP_REASONS) -> list[list[str]]:
        """Per row, the catalogue keys of the `top` features adding most to the log-odds."""
        contrib = self.model.predict_proba(self.matrix(frame), pred_contrib=True)
        lost = pd.DataFrame(np.asarray(contrib)[:, :-1], columns=list(self.features))
        return top_keys(lost, frame[list(self.features)].isna().reset_index(drop=True), top)


def fit_challenger(train: pd.DataFrame, features: tuple[str, ...] = FEATURES) -> Challenger:
    """Fit the challenger on rows with a known target (weighted by their `weight` column when
    the non-defaults were sampled, `data.thin`)."""
    import lightgbm

    rows = train[train[TARGET].notna()]
    categories = {
        name: sorted(rows[name].astype(str).unique()) for name in CATEGORICAL if name in features
    }
    model = lightgbm.LGBMClassifier(
        **PARAMS, monotone_constraints=[constraint(f) for f in features]
    )
    fitted = Challenger(model=model, categories=categories, features=tuple(features))
    model.fit(
        fitted.matrix(rows), rows[TARGET].to_numpy().astype(np.int64), sample_weight=weights(rows)
    )
    return fitted
