"""Axis rules every chart follows (pure: no Streamlit).

- A month axis is categorical: each month-end is drawn at its own "YYYY-MM" label, never at the
  next month's tick (a date axis puts 2026-10-31 one day before "Nov 2026"), and the labels read
  the same in Chinese and English (no month names).
- A count axis has whole-number ticks (0, 1, 2 … or 0, 5, 10 …, never 1, 1, 2, 2).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

MONTH_FORMAT = "%Y-%m"


def month_label(value: object) -> str | None:
    """'YYYY-MM' of a month-end (date, timestamp or ISO text); a missing value stays None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return pd.Timestamp(value).strftime(MONTH_FORMAT)  # type: ignore[arg-type]


def month_labels(values: Iterable[object]) -> list[str | None]:
    """`month_label` of each value."""
    return [month_label(v) for v in values]


def month_axis(fig: go.Figure, months: Iterable[object], labels: int = 4) -> go.Figure:
    """The x axis as the months in calendar order, one category per month, level labels on
    at most `labels` of them: every k-th month counted back from the latest, which is always
    labelled (24 months in half a page would otherwise be turned upright and cut short; 24
    months are labelled half-yearly, 12 quarterly)."""
    order = sorted({m for m in month_labels(months) if m is not None})
    step = max(1, math.ceil(len(order) / labels))
    ticks = order[::-1][::step][::-1]
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=order,
        tickmode="array",
        tickvals=ticks,
        ticktext=ticks,
        tickangle=0,
        automargin=True,
    )
    return fig


def whole_step(top: float | None, ticks: int = 6) -> int:
    """A whole tick step (1, 2, 5 × 10ⁿ) giving about `ticks` ticks up to `top`."""
    if top is None or not math.isfinite(top) or top <= ticks:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def whole_ticks(fig: go.Figure, top: float | None, axis: str = "yaxis") -> go.Figure:
    """Whole-number ticks from zero on `axis` (a count axis) for values up to `top`."""
    fig.update_layout(
        {axis: {"tickformat": ",d", "tick0": 0, "dtick": whole_step(top), "rangemode": "tozero"}}
    )
    return fig


def money_ticks(fig: go.Figure, axis: str = "yaxis") -> go.Figure:
    """Money (万元) ticks in full with thousands separators (60,000, not 60k: a "k" of 万元
    reads as a third unit)."""
    fig.update_layout({axis: {"tickformat": ",~f"}})
    return fig
