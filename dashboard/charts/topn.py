"""Long category lists on a chart: the largest N and one "others" row (pure: no Streamlit).

A chart of 31 thin bars with half their labels hidden reads as noise; the chart shows the N
largest and sums the rest into one bar, while the table and the download under the chart keep
every row of the query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import pandas as pd

TOP = 10


def _dec(value: object) -> Decimal:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return Decimal(0)
    return Decimal(str(value))


def top_and_others(
    frame: pd.DataFrame,
    size: str,
    sums: Sequence[str],
    ratios: Mapping[str, tuple[str, str]] | None = None,
    n: int = TOP,
) -> tuple[pd.DataFrame, int]:
    """The `n` rows largest by `size` (largest first) and, when more than one row is left, one
    last row summing `sums` over the rest with each of `ratios` (column -> numerator,
    denominator) recomputed from those sums (None over a zero denominator); other columns are
    None there. Returns the rows and how many the "others" row stands for (0: none)."""
    ranked = frame.assign(_size=[_dec(v) for v in frame[size]])
    ranked = ranked.sort_values("_size", ascending=False, kind="stable").drop(columns="_size")
    if len(ranked) <= n + 1:
        return ranked.reset_index(drop=True), 0
    head, rest = ranked.iloc[:n], ranked.iloc[n:]
    others: dict[str, object] = dict.fromkeys(frame.columns)
    for column in sums:
        others[column] = sum((_dec(v) for v in rest[column]), Decimal(0))
    for column, (num, den) in (ratios or {}).items():
        d = others[den]
        others[column] = None if not d else others[num] / d  # type: ignore[operator]
    out = pd.concat([head.astype(object), pd.DataFrame([others], dtype=object)], ignore_index=True)
    return out, len(rest)


def latest(frame: pd.DataFrame, column: str, n: int) -> pd.DataFrame:
    """The rows of the last `n` values of `column` in sort order (cohorts "2024-01", "2024Q1")."""
    keep = sorted(set(frame[column]))[-n:]
    return frame[frame[column].isin(keep)]
