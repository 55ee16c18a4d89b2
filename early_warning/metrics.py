"""Discrimination, calibration and stability measures, written out so each can be checked by hand.

Scores are probabilities of default (higher = riskier); `y` is 1 for a default, 0 otherwise.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

# Shares below this count as this in PSI, so an empty bin gives a large but finite term.
PSI_FLOOR = 1e-4


def _arrays(y: object, score: object) -> tuple[np.ndarray, np.ndarray]:
    yy = np.asarray(y, dtype=np.float64)
    ss = np.asarray(score, dtype=np.float64)
    if yy.shape != ss.shape:
        raise ValueError("y and score differ in length")
    return yy, ss


def auc(y: object, score: object) -> float:
    """Area under the ROC curve: the chance that a random default scores above a random
    non-default, ties counting one half (Mann–Whitney with average ranks). NaN without both."""
    yy, ss = _arrays(y, score)
    n1 = float(yy.sum())
    n0 = float(len(yy) - n1)
    if n1 == 0 or n0 == 0:
        return math.nan
    ranks = pd.Series(ss).rank(method="average").to_numpy()
    return float((ranks[yy == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def gini(y: object, score: object) -> float:
    """Gini (accuracy ratio) = 2 × AUC − 1."""
    return 2 * auc(y, score) - 1


def ks(y: object, score: object) -> float:
    """Kolmogorov–Smirnov: the largest gap between the cumulative shares of defaults and of
    non-defaults with a score at or above a threshold, over every threshold (tied scores move
    together). NaN without both classes."""
    yy, ss = _arrays(y, score)
    n1 = yy.sum()
    n0 = len(yy) - n1
    if n1 == 0 or n0 == 0:
        return math.nan
    frame = pd.DataFrame({"s": ss, "bad": yy, "good": 1 - yy})
    by = frame.groupby("s", sort=True)[["bad", "good"]].sum().iloc[::-1]
    gap = (by.bad.cumsum() / n1 - by.good.cumsum() / n0).abs()
    return float(gap.max())


def brier(y: object, p: object) -> float:
    """Brier score: mean squared difference between the probability and the outcome."""
    yy, pp = _arrays(y, p)
    return float(np.mean((pp - yy) ** 2)) if len(yy) else math.nan


def deciles(y: object, p: object, groups: int = 10) -> pd.DataFrame:
    """Rows ranked by probability, highest first, cut into `groups` groups of (nearly) equal
    count (group 1 = the riskiest tenth): rows, defaults, mean predicted and observed rate."""
    yy, pp = _arrays(y, p)
    order = np.argsort(-pp, kind="stable")
    group = np.empty(len(pp), dtype=np.int64)
    group[order] = np.arange(len(pp)) * groups // max(len(pp), 1) + 1
    frame = pd.DataFrame({"group": group, "y": yy, "p": pp})
    out = frame.groupby("group").agg(
        rows=("y", "size"), defaults=("y", "sum"), predicted=("p", "mean")
    )
    out["observed"] = out.defaults / out.rows
    return out.reset_index()


def top_capture(y: object, p: object, share: float = 0.1) -> float:
    """Share of all defaults among the riskiest `share` of rows (ties by original order)."""
    yy, pp = _arrays(y, p)
    total = yy.sum()
    if total == 0:
        return math.nan
    top = np.argsort(-pp, kind="stable")[: math.ceil(share * len(pp))]
    return float(yy[top].sum() / total)


def psi(expected: object, actual: object, bins: int = 10) -> float:
    """Population stability index of `actual` against `expected`: Σ (a − e) × ln(a / e) over
    the bins cut at the deciles of `expected` (numbers) or over its values (text); shares below
    `PSI_FLOOR` count as `PSI_FLOOR`. Missing values form a bin of their own."""
    e = pd.Series(expected)
    a = pd.Series(actual)
    if not pd.api.types.is_numeric_dtype(e.dtype):
        keys = pd.Index(pd.concat([e, a]).astype(str).unique())
        e_share = e.astype(str).value_counts(normalize=True).reindex(keys, fill_value=0)
        a_share = a.astype(str).value_counts(normalize=True).reindex(keys, fill_value=0)
    else:
        e_num = e.astype(np.float64)
        a_num = a.astype(np.float64)
        edges = (
            np.unique(np.nanquantile(e_num, np.linspace(0, 1, bins + 1)[1:-1]))
            if e_num.notna().any()
            else np.array([])
        )
        e_share = _shares(e_num, edges)
        a_share = _shares(a_num, edges)
    es = np.maximum(e_share.to_numpy(dtype=np.float64), PSI_FLOOR)
    as_ = np.maximum(a_share.to_numpy(dtype=np.float64), PSI_FLOOR)
    return float(np.sum((as_ - es) * np.log(as_ / es)))


def _shares(values: pd.Series, edges: np.ndarray) -> pd.Series:
    """Share of `values` in each bin (right-closed at `edges`) and in a last bin for NaN."""
    idx = np.searchsorted(edges, values.to_numpy(), side="left")
    idx = np.where(values.isna().to_numpy(), len(edges) + 1, idx)
    counts = np.bincount(idx, minlength=len(edges) + 2)
    return pd.Series(counts / max(len(values), 1))
