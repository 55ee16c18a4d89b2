"""The training reference of a model version: how its scores and features were distributed.

Stored in the model card at training (`early_warning.train`), so the stability of the score and
of each feature can be measured later against it without the training rows. A numeric column is
cut at the deciles of its training values (the edges `early_warning.metrics.psi` uses: unique
inner deciles, bins closed on the right, missing values a bin of their own); a segment keeps the
share of each training value (at most `MAX_VALUES`, the rest pooled as "other"). PSI against a
reference is then Σ (a − e) × ln(a / e) over those bins, shares floored at `metrics.PSI_FLOOR`:
the same number `metrics.psi(training, actual)` gives.

A large book trains on a weighted sample (every contract with a default, a share of the others,
each standing for 1 ÷ share contracts: `early_warning.data.contract_weights`). Its reference is
then weighted too, so that it describes the book the scores are later counted on, not the
sample: edges at the weighted deciles (`metrics.weighted_quantile`: the smallest value with at
least each tenth of the weight at or below it) and shares of weight.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from early_warning.metrics import PSI_FLOOR, weighted_quantile

BINS = 10
MAX_VALUES = 100  # segment values kept one by one; the rest share one bin
OTHER = "__other__"
NUMERIC, CATEGORICAL = "numeric", "categorical"


def _r(x: float) -> float:
    return float(round(float(x), 12))


def numeric_reference(
    values: Sequence[float] | pd.Series, bins: int = BINS, weight: np.ndarray | None = None
) -> dict[str, Any]:
    """Decile edges of `values` and the share of them in each bin, then the missing share (of
    rows, or of `weight` when the rows are a weighted sample)."""
    v = pd.Series(values, dtype="float64")
    present = v.notna().to_numpy()
    probs = np.linspace(0, 1, bins + 1)[1:-1]
    if not present.any():
        edges = np.array([])
    elif weight is None:
        edges = np.unique(np.quantile(v.to_numpy()[present], probs))
    else:
        edges = np.unique(weighted_quantile(v.to_numpy(), weight, probs))
    counts = bin_counts(v, edges, weight)
    total = counts.sum() if weight is not None else len(v)
    total = total if total > 0 else 1
    return {
        "kind": NUMERIC,
        "edges": [float(e) for e in edges],
        "shares": [_r(c / total) for c in counts[:-1]],
        "missing": _r(counts[-1] / total),
    }


def bin_counts(
    values: pd.Series, edges: Sequence[float], weight: np.ndarray | None = None
) -> np.ndarray:
    """Rows (or their `weight`) per bin (right-closed at `edges`), then the missing rows."""
    v = pd.Series(values, dtype="float64")
    idx = np.searchsorted(np.asarray(edges, dtype=np.float64), v.to_numpy(), side="left")
    idx = np.where(v.isna().to_numpy(), len(edges) + 1, idx)
    return np.bincount(idx, weights=weight, minlength=len(edges) + 2)


def categorical_reference(
    values: Sequence[object] | pd.Series, weight: np.ndarray | None = None
) -> dict[str, Any]:
    """The share of each value (most frequent first, at most `MAX_VALUES`) and of the rest (of
    rows, or of `weight`)."""
    v = pd.Series(values).astype(str)
    if weight is None:
        shares = v.value_counts(normalize=True, sort=True)
    else:
        w = pd.Series(np.asarray(weight, dtype=np.float64), index=v.index)
        shares = w.groupby(v.to_numpy(), sort=True).sum()
        # Most weight first, equal weights in value order (value_counts' order is its own).
        shares = (shares / shares.sum()).sort_values(ascending=False, kind="stable")
    kept = shares.iloc[:MAX_VALUES]
    return {
        "kind": CATEGORICAL,
        "values": [str(k) for k in kept.index],
        "shares": [_r(s) for s in kept.to_numpy()],
        "other": _r(float(shares.iloc[MAX_VALUES:].sum())),
    }


def build_reference(
    scores: Sequence[float] | np.ndarray,
    frame: pd.DataFrame,
    numeric: Sequence[str],
    categorical: Sequence[str],
    weight: np.ndarray | None = None,
) -> dict[str, Any]:
    """The card's `reference`: the training scores' decile bins and each feature's bins (of the
    book the rows stand for when `weight` is given)."""
    features: dict[str, Any] = {
        name: numeric_reference(frame[name], weight=weight) for name in numeric
    }
    features.update({name: categorical_reference(frame[name], weight) for name in categorical})
    out = {
        "rows": len(frame),
        "score": numeric_reference(scores, weight=weight),
        "features": features,
    }
    if weight is not None:
        out["weighted_rows"] = _r(float(np.sum(weight)))
    return out


def expected_shares(ref: Mapping[str, Any]) -> np.ndarray:
    """The reference's shares in bin order: numeric bins then missing; values then other."""
    last = ref["missing"] if ref["kind"] == NUMERIC else ref["other"]
    return np.asarray([*ref["shares"], last], dtype=np.float64)


def psi_from_counts(ref: Mapping[str, Any], counts: Sequence[float]) -> float | None:
    """PSI of rows counted in the reference's bins (same order as `expected_shares`) against
    it; None when no row was counted."""
    actual = np.asarray(counts, dtype=np.float64)
    total = actual.sum()
    if total <= 0:
        return None
    expected = np.maximum(expected_shares(ref), PSI_FLOOR)
    shares = np.maximum(actual / total, PSI_FLOOR)
    return float(np.sum((shares - expected) * np.log(shares / expected)))


def of_card(card: Mapping[str, Any]) -> dict[str, Any] | None:
    """The card's reference, or None for a card written before references were stored."""
    ref = card.get("reference")
    return ref if isinstance(ref, dict) and "score" in ref else None


FEATURE_BIN_COLUMNS: tuple[str, ...] = ("month_idx", "feature", "bin", "rows")


def bin_codes(values: pd.Series, ref: Mapping[str, Any]) -> np.ndarray:
    """Each row's bin in the feature reference `ref`, -1 for none. Numeric: 0 … len(edges) closed
    on the right at the edges, a missing value len(edges) + 1. Categorical: the position of the
    value (compared as text) in the reference's values, any other non-null value len(values), a
    missing value -1 (counted in no bin). The rule of `queries.model_monitoring._feature_counts`."""
    if ref["kind"] == CATEGORICAL:
        listed = [str(v) for v in ref["values"]]
        position = {v: i for i, v in reversed(list(enumerate(listed)))}
        # Each distinct value looked up once; a missing value is factorized to -1 → no bin.
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
        lookup = [position.get(str(v), len(listed)) for v in distinct]
        return np.asarray([*lookup, -1], dtype=np.int64)[codes]
    edges = np.asarray([float(e) for e in ref["edges"]], dtype=np.float64)
    x = pd.Series(values, dtype="float64", copy=False).to_numpy()
    codes = np.searchsorted(edges, x, side="left").astype(np.int64)
    return np.where(np.isnan(x), len(edges) + 1, codes)


def feature_bin_rows(
    frame: pd.DataFrame, features: Mapping[str, Mapping[str, Any]]
) -> pd.DataFrame:
    """Rows of `frame` (a feature frame with `month_idx`) per month-end, feature of the reference's
    `features` and bin (`bin_codes`), every bin listed (0 rows included); a feature the frame does
    not have is left out."""
    months, month_pos = np.unique(frame["month_idx"].to_numpy(dtype=np.int64), return_inverse=True)
    parts = []
    for name, ref in sorted(features.items()):
        if name not in frame.columns:
            continue
        size = len(ref["values"]) + 1 if ref["kind"] == CATEGORICAL else len(ref["edges"]) + 2
        codes = bin_codes(frame[name], ref)
        counted = codes >= 0
        key = month_pos[counted] * size + codes[counted]
        rows = np.bincount(key, minlength=len(months) * size)
        parts.append(
            pd.DataFrame(
                {
                    "month_idx": np.repeat(months, size),
                    "feature": name,
                    "bin": np.tile(np.arange(size, dtype=np.int64), len(months)),
                    "rows": rows.astype(np.int64),
                }
            )
        )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FEATURE_BIN_COLUMNS})
    return pd.concat(parts, ignore_index=True)[list(FEATURE_BIN_COLUMNS)]
