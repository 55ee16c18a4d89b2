"""The executive pack's chart, drawn offline with matplotlib (no browser, no internet): the
30+ / 90+ overdue rates and the NPL ratio month by month, each month-end at its own month."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager

from dashboard.i18n.catalogue import t

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
RATES = ("overdue_rate_balance_dpd30", "overdue_rate_balance_dpd90", "npl_ratio")
COLOURS = ("#f9a825", "#d84315", "#b71c1c")


def _font() -> font_manager.FontProperties | None:
    return font_manager.FontProperties(fname=str(CJK_FONT)) if CJK_FONT.is_file() else None


def rate_chart(trend: pd.DataFrame, lang: str) -> bytes:
    """A PNG of the rates of `portfolio.trend` (in %), months as YYYY-MM, labels in `lang`."""
    font = _font()
    months = [f"{m:%Y-%m}" for m in trend["month_end"]]
    figure, axes = plt.subplots(figsize=(10, 3.6), dpi=110)
    for rate, colour in zip(RATES, COLOURS, strict=True):
        values = [None if pd.isna(v) else float(v) * 100 for v in trend[rate]]
        axes.plot(
            months, values, marker="o", markersize=3, color=colour, label=t(f"m.{rate}", lang)
        )
    axes.set_ylabel(f"{t('m.rate', lang)} (%)", fontproperties=font)
    step = max(1, len(months) // 8)
    axes.set_xticks(range(0, len(months), step), months[::step])
    axes.grid(axis="y", alpha=0.3)
    axes.legend(prop=font, loc="upper left", frameon=False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()
