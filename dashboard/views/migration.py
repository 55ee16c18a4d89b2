"""The 资产质量迁徙 page's heatmaps: the G12 five-tier matrix and the DPD roll rates."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import analytics
from dashboard.i18n.catalogue import t
from dashboard.page.matrix_links import pivot


def g12_heatmap(matrix: pd.DataFrame, view: str, lang: str) -> go.Figure:
    """The G12 matrix as begin class × end class in `view` (balances in 万元, counts, row %)."""
    begin, end = matrix["begin"].iloc[0], matrix["end"].iloc[0]
    grid = pivot(matrix, "begin_class", "end_class", view)
    scale = 1 if view != "balance" else 10000
    return analytics.matrix_heatmap(
        grid.map(lambda v: None if v is None else float(v) / scale),
        lang,
        percent=view == "row_share",
        x_title=t("mg.end", lang) + " " + str(end),
        y_title=t("mg.begin", lang) + " " + str(begin),
    )


def roll_heatmap(roll: pd.DataFrame, weight: str, lang: str) -> go.Figure:
    """The roll rates as bucket at t-1 × bucket at t, weighted by balance or count."""
    grid = pivot(roll, "from_bucket", "to_bucket", weight)
    return analytics.matrix_heatmap(
        grid, lang, percent=True, x_title=t("mg.t", lang), y_title=t("mg.t_prev", lang)
    )
