"""Discrimination, calibration and stability measures, written out so each can be checked by hand.

Scores are probabilities of default (higher = riskier); `y` is 1 for a default, 0 otherwise.
Each measure takes optional row weights `w` (a sampled book's `weight`: how many rows of the
book a row stands for); a row of weight k counts as k copies of it, and `w` None is the
unweighted measure, computed exactly as without weights.
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


def _weights(w: object, n: int) -> np.ndarray:
    ww = np.asarray(w, dtype=np.float64)
    if ww.shape != (n,):
        raise ValueError("weights differ in length")
    if (ww < 0).any() or not np.isfinite(ww).all():
        raise ValueError("weights must be finite and not negative")
    return ww


def auc(y: object, score: object, w: object = None) -> float:
    """Area under the ROC curve: the chance that a random default scores above a random
    non-default, ties counting one half (Mann–Whitney with average ranks; weighted: each pair
    counts the product of its weights). NaN without both."""
    yy, ss = _arrays(y, score)
    if w is not None:
        return _weighted_auc(yy, ss, _weights(w, len(yy)))
    n1 = float(yy.sum())
    n0 = float(len(yy) - n1)
    if n1 == 0 or n0 == 0:
        return math.nan
    ranks = pd.Series(ss).rank(method="average").to_numpy()
    return float((ranks[yy == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _weighted_auc(yy: np.ndarray, ss: np.ndarray, ww: np.ndarray) -> float:
    """Σ over defaults of weight × (non-default weight scored below + ½ that tied) ÷ (total
    default weight × total non-default weight)."""
    bad = pd.Series(ww * yy).groupby(ss).sum().sort_index()
    good = pd.Series(ww * (1 - yy)).groupby(ss).sum().reindex(bad.index)
    n1, n0 = float(bad.sum()), float(good.sum())
    if n1 == 0 or n0 == 0:
        return math.nan
    below = good.cumsum().to_numpy() - good.to_numpy()
    won = bad.to_numpy() * (below + good.to_numpy() / 2)
    return float(won.sum() / (n1 * n0))


def gini(y: object, score: object, w: object = None) -> float:
    """Gini (accuracy ratio) = 2 × AUC − 1."""
    return 2 * auc(y, score, w) - 1


def ks(y: object, score: object, w: object = None) -> float:
    """Kolmogorov–Smirnov: the largest gap between the cumulative shares of defaults and of
    non-defaults with a score at or above a threshold, over every threshold (tied scores move
    together; shares of weight when weighted). NaN without both classes."""
    yy, ss = _arrays(y, score)
    if w is None:
        bad, good = yy, 1 - yy
        n1 = yy.sum()
        n0 = len(yy) - n1
    else:
        ww = _weights(w, len(yy))
        bad, good = ww * yy, ww * (1 - yy)
        n1, n0 = bad.sum(), good.sum()
    if n1 == 0 or n0 == 0:
        return math.nan
    frame = pd.DataFrame({"s": ss, "bad": bad, "good": good})
    by = frame.groupby("s", sort=True)[["bad", "good"]].sum().iloc[::-1]
    gap = (by.bad.cumsum() / n1 - by.good.cumsum() / n0).abs()
    return float(gap.max())


def brier(y: object, p: object, w: object = None) -> float:
    """Brier score: mean squared difference between the probability and the outcome (weighted
    mean when weighted)."""
    yy, pp = _arrays(y, p)
    if w is not None:
        ww = _weights(w, len(yy))
        total = ww.sum()
        return float(np.sum(ww * (pp - yy) ** 2) / total) if total > 0 else math.nan
    return float(np.mean((pp - yy) ** 2)) if len(yy) else math.nan


def deciles(y: object, p: object, groups: int = 10, w: object = None) -> pd.DataFrame:
    """Rows ranked by probability, highest first, cut into `groups` groups of (nearly) equal
    count (group 1 = the riskiest tenth): rows, defaults, mean predicted and observed rate.
    Weighted: groups of (nearly) equal weight — a row goes to the group its weight ranked
    before it falls in, never split — and rows, defaults and the mean are sums of weight."""
    yy, pp = _arrays(y, p)
    if w is not None:
        return _weighted_deciles(yy, pp, _weights(w, len(yy)), groups)
    order = np.argsort(-pp, kind="stable")
    group = np.empty(len(pp), dtype=np.int64)
    group[order] = np.arange(len(pp)) * groups // max(len(pp), 1) + 1
    frame = pd.DataFrame({"group": group, "y": yy, "p": pp})
    out = frame.groupby("group").agg(
        rows=("y", "size"), defaults=("y", "sum"), predicted=("p", "mean")
    )
    out["observed"] = out.defaults / out.rows
    return out.reset_index()


def _weighted_deciles(yy: np.ndarray, pp: np.ndarray, ww: np.ndarray, groups: int) -> pd.DataFrame:
    order = np.argsort(-pp, kind="stable")
    total = ww.sum()
    before = np.cumsum(ww[order]) - ww[order]
    group = np.empty(len(pp), dtype=np.int64)
    group[order] = np.minimum(np.floor(before * groups / max(total, 1e-300)), groups - 1) + 1
    frame = pd.DataFrame({"group": group, "w": ww, "wy": ww * yy, "wp": ww * pp})
    out = frame.groupby("group")[["w", "wy", "wp"]].sum()
    out = pd.DataFrame(
        {
            "rows": out.w.round().astype(np.int64),
            "defaults": out.wy.round().astype(np.int64),
            "predicted": out.wp / out.w.where(out.w > 0),
            "observed": out.wy / out.w.where(out.w > 0),
        }
    )
    return out.reset_index()


def top_capture(y: object, p: object, share: float = 0.1, w: object = None) -> float:
    """Share of all defaults among the riskiest `share` of rows (ties by original order;
    weighted: the rows ranked before which less than `share` of the weight lies)."""
    yy, pp = _arrays(y, p)
    if w is not None:
        ww = _weights(w, len(yy))
        total = float((ww * yy).sum())
        if total == 0:
            return math.nan
        order = np.argsort(-pp, kind="stable")
        before = np.cumsum(ww[order]) - ww[order]
        top = order[before < share * ww.sum()]
        return float((ww[top] * yy[top]).sum() / total)
    total = yy.sum()
    if total == 0:
        return math.nan
    top = np.argsort(-pp, kind="stable")[: math.ceil(share * len(pp))]
    return float(yy[top].sum() / total)


def psi(
    expected: object,
    actual: object,
    bins: int = 10,
    expected_w: object = None,
    actual_w: object = None,
) -> float:
    """Population stability index of `actual` against `expected`: Σ (a − e) × ln(a / e) over
    the bins cut at the deciles of `expected` (numbers) or over its values (text); shares below
    `PSI_FLOOR` count as `PSI_FLOOR`. Missing values form a bin of their own. With weights
    (either side or both) shares are of weight, and the deciles of `expected` are its weighted
    quantiles (the smallest value with at least that share of the weight at or below it)."""
    e = pd.Series(expected)
    a = pd.Series(actual)
    if expected_w is not None or actual_w is not None:
        return _weighted_psi(e, a, bins, expected_w, actual_w)
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


def weighted_quantile(values: object, w: object, q: object) -> np.ndarray:
    """The smallest value with at least `q` of the weight at or below it (NaN values ignored):
    NumPy's inverted-CDF quantile with weights."""
    v = np.asarray(values, dtype=np.float64)
    ww = _weights(w, len(v))
    keep = ~np.isnan(v)
    return np.asarray(
        np.quantile(v[keep], q, weights=ww[keep], method="inverted_cdf"), dtype=np.float64
    )


def _weighted_psi(
    e: pd.Series, a: pd.Series, bins: int, expected_w: object, actual_w: object
) -> float:
    ew = np.ones(len(e)) if expected_w is None else _weights(expected_w, len(e))
    aw = np.ones(len(a)) if actual_w is None else _weights(actual_w, len(a))
    if not pd.api.types.is_numeric_dtype(e.dtype):
        keys = pd.Index(pd.concat([e, a]).astype(str).unique())
        e_sum = pd.Series(ew).groupby(e.astype(str).to_numpy()).sum().reindex(keys, fill_value=0)
        a_sum = pd.Series(aw).groupby(a.astype(str).to_numpy()).sum().reindex(keys, fill_value=0)
        e_share = e_sum / max(ew.sum(), 1e-300)
        a_share = a_sum / max(aw.sum(), 1e-300)
    else:
        e_num = e.astype(np.float64)
        a_num = a.astype(np.float64)
        present = e_num.notna().to_numpy() & (ew > 0)
        edges = (
            np.unique(
                weighted_quantile(e_num[present], ew[present], np.linspace(0, 1, bins + 1)[1:-1])
            )
            if present.any()
            else np.array([])
        )
        e_share = _weighted_shares(e_num, ew, edges)
        a_share = _weighted_shares(a_num, aw, edges)
    es = np.maximum(e_share.to_numpy(dtype=np.float64), PSI_FLOOR)
    as_ = np.maximum(a_share.to_numpy(dtype=np.float64), PSI_FLOOR)
    return float(np.sum((as_ - es) * np.log(as_ / es)))


def _weighted_shares(values: pd.Series, w: np.ndarray, edges: np.ndarray) -> pd.Series:
    """Share of the weight of `values` in each bin (as `_shares`) and in a last bin for NaN."""
    idx = np.searchsorted(edges, values.to_numpy(), side="left")
    idx = np.where(values.isna().to_numpy(), len(edges) + 1, idx)
    sums = np.bincount(idx, weights=w, minlength=len(edges) + 2)
    return pd.Series(sums / max(w.sum(), 1e-300))
