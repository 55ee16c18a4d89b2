"""The champion: a scorecard of monotone WoE bins (optbinning) and a logistic regression.

Each feature is binned on the training rows with its expected trend (`trends.TREND`), replaced by
its bin's weight of evidence (WoE = ln(non-default share ÷ default share): high is safe), and the
features that carry information (IV ≥ `MIN_IV`) enter a logistic regression. A feature whose
coefficient comes out with the wrong sign (collinearity) is dropped and the regression refitted,
so every feature pushes the way its bins say. A contract's log-odds of default is
intercept + Σ coefᵢ × WoEᵢ; its reasons are the features whose term is furthest above the term of
that feature's safest bin (the points it loses), largest first.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from early_warning.data import NotEnoughData, weights
from early_warning.reasons import reason_key_of
from early_warning.trends import TREND
from warehouse.marts.ew_features import CATEGORICAL, FEATURES, TARGET

MIN_IV = 0.02
MIN_BIN_SHARE = 0.01
TOP_REASONS = 3


@dataclass
class Scorecard:
    """A fitted scorecard: the binning of each kept feature and the regression on their WoE."""

    binnings: dict[str, Any]
    coef: dict[str, float]
    intercept: float
    best: dict[str, float]  # per feature: the lowest coef × WoE over its bins (its safest bin)
    iv: dict[str, float] = field(default_factory=dict)

    @property
    def features(self) -> list[str]:
        """The features in the regression."""
        return list(self.coef)

    def woe(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The WoE of each feature in the regression for the rows of `frame`."""
        return pd.DataFrame(
            {f: _woe(self.binnings[f], frame[f]) for f in self.coef}, index=frame.index
        )

    def terms(self, frame: pd.DataFrame) -> pd.DataFrame:
        """coef × WoE per feature and row: each feature's part of the log-odds of default."""
        w = self.woe(frame)
        return w * pd.Series(self.coef)

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Probability of default (90+ within 6 months) of each row."""
        z = self.intercept + self.terms(frame).sum(axis=1).to_numpy()
        return 1.0 / (1.0 + np.exp(-z))

    def reasons(self, frame: pd.DataFrame, top: int = TOP_REASONS) -> list[list[str]]:
        """Per row, the catalogue keys of the `top` features losing the most points (above their
        safest bin), largest first; a feature losing nothing is never a reason."""
        lost = self.terms(frame) - pd.Series(self.best)
        return top_keys(lost, frame[lost.columns].isna(), top)

    def reason_columns(self, frame: pd.DataFrame, top: int = TOP_REASONS) -> list[np.ndarray]:
        """`reasons` as `top` columns of keys, "" where a row has fewer (`top_key_columns`)."""
        lost = self.terms(frame) - pd.Series(self.best)
        return top_key_columns(lost, frame[lost.columns].isna(), top)

    def table(self) -> pd.DataFrame:
        """Every bin of every feature in the regression: feature, bin, rows, default rate, WoE,
        and its term coef × WoE."""
        rows = []
        for f, coef in self.coef.items():
            bt = bin_table(self.binnings[f])
            bt = bt[~bt.index.isin(["Totals"])]
            for _, r in bt.iterrows():
                rows.append(
                    {
                        "feature": f,
                        "bin": str(r["Bin"]),
                        "rows": int(r["Count"]),
                        "default_rate": float(r["Event rate"]),
                        "woe": float(r["WoE"]),
                        "term": coef * float(r["WoE"]),
                    }
                )
        return pd.DataFrame(rows)


def bin_table(binning: Any) -> pd.DataFrame:
    """optbinning's binning table (one row per bin, then "Totals")."""
    with warnings.catch_warnings():
        # optbinning 1.0.0 fills the table's text column into a float one, which pandas 3
        # deprecates (Pandas4Warning); the table is right, the warning is about a later pandas.
        warnings.simplefilter("ignore", category=pd.errors.Pandas4Warning)
        return binning.binning_table.build(show_digits=4)


def _woe(binning: Any, values: pd.Series) -> np.ndarray:
    x = values.to_numpy()
    return np.asarray(
        binning.transform(x, metric="woe", metric_missing="empirical"), dtype=np.float64
    )


def top_keys(lost: pd.DataFrame, missing: pd.DataFrame, top: int) -> list[list[str]]:
    """Per row, the reason keys of the `top` columns of `lost` with the largest positive values,
    largest first (a missing value gives its own words); two features with the same words
    count once."""
    slots = top_key_columns(lost, missing, top)
    return [[k for k in row if k] for row in zip(*slots, strict=True)]


def top_key_columns(lost: pd.DataFrame, missing: pd.DataFrame, top: int) -> list[np.ndarray]:
    """`top_keys` as `top` columns of keys ("" where a row has fewer reasons), worked out a
    rank at a time over all rows at once: the largest value left in each row (the first column
    among equals), as often as `top` keys can need (`top` plus the features that share words
    with another)."""
    values = lost.to_numpy(dtype=np.float64, copy=True)
    absent = missing.to_numpy(dtype=bool)
    names = list(lost.columns)
    n, width = values.shape
    keys = sorted({reason_key_of(f, m) for f in names for m in (False, True)})
    code = {k: i for i, k in enumerate(keys)}
    plain = np.array([code[reason_key_of(f, False)] for f in names], dtype=np.int64)
    gone = np.array([code[reason_key_of(f, True)] for f in names], dtype=np.int64)
    # Keys that more than one column can give: each extra column may be a rank without a key.
    given = Counter(k for f in names for k in {reason_key_of(f, False), reason_key_of(f, True)})
    shared = sum(c - 1 for c in given.values())
    values[np.isnan(values)] = -np.inf  # a term that cannot be worked out is no reason
    rows = np.arange(n)
    seen = np.zeros((n, len(keys)), dtype=bool)
    chosen = np.full((n, top), -1, dtype=np.int64)
    count = np.zeros(n, dtype=np.int64)
    for _ in range(min(width, top + shared)):
        j = values.argmax(axis=1) if width else np.zeros(n, dtype=np.int64)
        best = values[rows, j]
        values[rows, j] = -np.inf
        # A row whose largest value left is not above 1e-9 has all its reasons.
        count[best <= 1e-9] = top
        take = count < top
        if not take.any():
            break
        c = np.where(absent[rows, j], gone[j], plain[j])
        new = take & ~seen[rows, c]
        chosen[new, count[new]] = c[new]
        seen[rows[new], c[new]] = True
        count += new
    words = np.array([*keys, ""], dtype=object)  # -1 picks the last: no reason
    return [words[chosen[:, i]] for i in range(top)]


def fit_binning(feature: str, x: pd.Series, y: np.ndarray, weight: np.ndarray | None = None) -> Any:
    """The optimal binning of one feature on the training rows (each counting `weight` times,
    default once), monotone by its trend."""
    from optbinning import OptimalBinning

    if feature in CATEGORICAL:
        ob = OptimalBinning(
            name=feature, dtype="categorical", min_prebin_size=MIN_BIN_SHARE, cat_cutoff=0.01
        )
    else:
        ob = OptimalBinning(
            name=feature,
            dtype="numerical",
            monotonic_trend=TREND[feature],
            min_prebin_size=MIN_BIN_SHARE,
            max_n_prebins=20,
            time_limit=600,  # far above the usual second: a solve cut short would change the bins
        )
    ob.fit(x.to_numpy(), y, sample_weight=weight)
    return ob


def distinct_rows(
    x: np.ndarray, y: np.ndarray, weight: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct rows of (`x`, `y`), each with the summed weight of the rows it stands for
    (their count when unweighted), in byte order. A logistic regression's weighted likelihood is
    a sum over rows, so it is the same on these as on the rows themselves: WoE takes a few
    values per feature, and a book's 950,000 training rows are about 520,000 distinct ones."""
    both = np.ascontiguousarray(np.column_stack([x.astype(np.float64), y.astype(np.float64)]))
    keys = both.view(np.dtype((np.void, both.shape[1] * both.itemsize))).ravel()
    _, first, which = np.unique(keys, return_index=True, return_inverse=True)
    summed = np.bincount(which.ravel(), weights=weight, minlength=len(first))
    return both[first, :-1], both[first, -1].astype(np.int64), summed.astype(np.float64)


def fit_scorecard(train: pd.DataFrame, features: tuple[str, ...] = FEATURES) -> Scorecard:
    """Fit the scorecard on rows with a known target (weighted by their `weight` column when the
    non-defaults were sampled, `data.thin`)."""
    from sklearn.linear_model import LogisticRegression

    rows = train[train[TARGET].notna()]
    y = rows[TARGET].to_numpy().astype(np.int64)
    weight = weights(rows)
    binnings, iv = {}, {}
    for f in features:
        if rows[f].isna().all():
            continue  # nothing measured on any training row (e.g. no restructuring yet): no IV
        ob = fit_binning(f, rows[f], y, weight)
        value = float(bin_table(ob).loc["Totals", "IV"])
        if ob.status == "OPTIMAL" and value >= MIN_IV:
            binnings[f], iv[f] = ob, value
    kept = sorted(binnings, key=lambda f: -iv[f])
    if not kept:
        raise NotEnoughData(f"no feature separates defaults from the others (IV ≥ {MIN_IV})")
    woe = pd.DataFrame({f: _woe(binnings[f], rows[f]) for f in kept})
    distinct, y_distinct, w_distinct = distinct_rows(woe.to_numpy(), y, weight)
    column = {f: i for i, f in enumerate(kept)}
    while True:
        model = LogisticRegression(C=1.0, max_iter=2000)
        model.fit(distinct[:, [column[f] for f in kept]], y_distinct, sample_weight=w_distinct)
        coef = dict(zip(kept, model.coef_[0], strict=True))
        # High WoE is safe, so a sound coefficient is negative.
        wrong = [f for f in kept if coef[f] >= 0]
        if not wrong:
            break
        kept = [f for f in kept if f != max(wrong, key=lambda f: coef[f])]
    best = {f: float(np.min(coef[f] * np.unique(woe[f].to_numpy()))) for f in kept}
    return Scorecard(
        binnings={f: binnings[f] for f in kept},
        coef={f: float(coef[f]) for f in kept},
        intercept=float(model.intercept_[0]),
        best=best,
        iv={f: iv[f] for f in kept},
    )
