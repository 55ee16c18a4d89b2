"""Plotly builders of 模型监控 (pure: DataFrame in, figure out). Every scored month-end of the
table is a category on the x axis, so a month whose outcome is not yet known is a gap in the
line, not a missing month."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.analytics import _layout, _num
from dashboard.charts.axes import month_axis, month_labels
from dashboard.i18n.catalogue import t

COLOURS = ("#1565c0", "#2e7d32", "#d84315", "#6a1b9a")


def measure_lines(
    frame: pd.DataFrame,
    measures: Sequence[str],
    lang: str,
    *,
    lines: Sequence[float] = (),
    y_title: str = "",
) -> go.Figure:
    """One line per measure over `month_end` (a missing value is a gap), and dashed horizontal
    `lines` (alert lines, bands)."""
    fig = go.Figure()
    x = month_labels(frame["month_end"])
    for n, measure in enumerate(measures):
        fig.add_scatter(
            x=x,
            y=[_num(v) for v in frame[measure]],
            mode="lines+markers",
            name=t(f"col.{measure}", lang),
            line={"color": COLOURS[n % len(COLOURS)]},
            connectgaps=False,
        )
    for value in lines:
        fig.add_hline(
            y=float(value),
            line={"dash": "dash", "color": "#9e9e9e"},
            annotation_text=f"{t('mm.line', lang)} {float(value):.2f}",
        )
    month_axis(fig, frame["month_end"])
    return _layout(fig, "", y_title)


def decile_bars(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Predicted and observed default rate per score decile of one month-end (in %)."""
    fig = go.Figure()
    x = [str(int(d)) for d in frame["score_decile"]]
    for n, (column, key) in enumerate((("predicted", "mm.predicted"), ("observed", "mm.observed"))):
        ys = [None if _num(v) is None else 100 * float(v) for v in frame[column]]
        fig.add_bar(x=x, y=ys, name=t(key, lang), marker_color=COLOURS[n])
    fig.update_xaxes(type="category", title_text=t("col.score_decile", lang))
    return _layout(fig, "", "%", t("col.score_decile", lang))
