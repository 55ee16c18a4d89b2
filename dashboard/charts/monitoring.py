"""Plotly builders of the collections and early-warning pages (pure: DataFrame in, figure out).

Plain cartesian bars and lines only: nothing fetches tiles, fonts or scripts from the internet.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.analytics import _layout, _num, _pct, _wan
from dashboard.charts.axes import money_ticks, month_axis, month_labels, whole_ticks
from dashboard.i18n.catalogue import label, t

PALETTE = (
    "#1565c0",
    "#2e7d32",
    "#f9a825",
    "#6a1b9a",
    "#d84315",
    "#00838f",
    "#5d4037",
    "#ad1457",
)


def _counts(values: pd.Series) -> list[float | None]:
    return [_num(v) for v in values]


def _months(
    fig: go.Figure, months: pd.Series, whole: bool = True, top: float | None = None
) -> go.Figure:
    """Each month-end at its own YYYY-MM category; whole-number ticks on a count axis."""
    month_axis(fig, months)
    return whole_ticks(fig, top) if whole else fig


def _top(frame: pd.DataFrame, columns: list[str], by: str = "month_end") -> float | None:
    """The tallest stack: the largest per-`by` sum of `columns` (None when empty)."""
    if frame.empty:
        return None
    sums = frame.groupby(by)[columns].sum().astype(float).sum(axis=1)
    return float(sums.max())


def stacked_months(
    frame: pd.DataFrame, colour: str, value: str, lang: str, *, money: bool = False
) -> go.Figure:
    """Stacked bars per `month_end`, one trace per value of `colour`; money in 万元."""
    fig = go.Figure()
    unit = " 万元" if money else ""
    for n, (key, part) in enumerate(frame.groupby(colour, sort=True)):
        name = label(key, lang)
        ys = _wan(part[value]) if money else _counts(part[value])
        fig.add_bar(
            x=month_labels(part["month_end"]),
            y=ys,
            name=name,
            marker_color=PALETTE[n % len(PALETTE)],
            customdata=[key] * len(part),  # the coloured value, for a click's drill
            hovertemplate=f"%{{x}}<br>{name}: %{{y:,.2f}}{unit}<extra></extra>"
            if money
            else f"%{{x}}<br>{name}: %{{y:,}}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig = _layout(fig, "", t(f"m.{value}", lang), t("m.month_end", lang))
    fig = _months(fig, frame["month_end"], whole=not money, top=_top(frame, [value]))
    return money_ticks(fig) if money else fig


def rate_lines(frame: pd.DataFrame, rates: list[str], lang: str) -> go.Figure:
    """One line per rate over `month_end`, in %; a missing rate is a gap."""
    fig = go.Figure()
    for rate in rates:
        name = t(f"m.{rate}", lang)
        fig.add_scatter(
            x=month_labels(frame["month_end"]),
            y=_pct(frame[rate]),
            mode="lines+markers",
            name=name,
            customdata=[rate] * len(frame),  # which rate, for a click's drill
            hovertemplate=f"%{{x}}<br>{name}: %{{y:.2f}}%<extra></extra>",
        )
    fig = _layout(fig, "", t("m.rate", lang) + " (%)", t("m.month_end", lang))
    return _months(fig, frame["month_end"], whole=False)


def rate_bars(frame: pd.DataFrame, key: str, rate: str, count: str, lang: str) -> go.Figure:
    """A bar per value of `key` with `rate` in % and `count` on hover (`customdata`: the
    count, then the bar's code for a click's drill)."""
    names = [label(v, lang) for v in frame[key]]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=_pct(frame[rate]),
            customdata=[
                [n, code] for n, code in zip(_counts(frame[count]), frame[key], strict=True)
            ],
            marker_color=PALETTE[0],
            hovertemplate=(
                f"%{{x}}<br>{t(f'm.{rate}', lang)}: %{{y:.2f}}%<br>"
                f"{t(f'm.{count}', lang)}: %{{customdata[0]:,}}<extra></extra>"
            ),
        )
    )
    return _layout(fig, "", t(f"m.{rate}", lang) + " (%)")


def count_bars(frame: pd.DataFrame, key: str, value: str, lang: str) -> go.Figure:
    """A bar per value of `key` (in the frame's order) with its count (whole-number ticks)."""
    names = [label(v, lang) for v in frame[key]]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=_counts(frame[value]),
            marker_color=PALETTE[0],
            customdata=list(frame[key]),  # the bar's code, for a click's drill
            hovertemplate=f"%{{x}}<br>{t(f'm.{value}', lang)}: %{{y:,}}<extra></extra>",
        )
    )
    top = None if frame.empty else float(pd.to_numeric(frame[value]).max())
    return whole_ticks(_layout(fig, "", t(f"m.{value}", lang)), top)


def bars_and_rate(
    frame: pd.DataFrame, bars: list[str], rate: str, lang: str, unit: str = "m.contracts"
) -> go.Figure:
    """Counts as grouped bars per `month_end` on the left axis (titled by `unit`, a catalogue
    key, whole ticks) and `rate` as a line on a right axis of its own, in %."""
    fig = go.Figure()
    for n, col in enumerate(bars):
        name = t(f"m.{col}", lang)
        fig.add_bar(
            x=month_labels(frame["month_end"]),
            y=_counts(frame[col]),
            name=name,
            marker_color=PALETTE[n % len(PALETTE)],
            customdata=[col] * len(frame),  # what the bar counts, for a click's drill
            hovertemplate=f"%{{x}}<br>{name}: %{{y:,}}<extra></extra>",
        )
    name = t(f"m.{rate}", lang)
    fig.add_scatter(
        x=month_labels(frame["month_end"]),
        y=_pct(frame[rate]),
        name=name,
        mode="lines+markers",
        yaxis="y2",
        customdata=[rate] * len(frame),
        marker_color="#d32f2f",
        hovertemplate=f"%{{x}}<br>{name}: %{{y:.2f}}%<extra></extra>",
    )
    fig.update_layout(
        barmode="group",
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "title": {"text": name + " (%)"},
            "rangemode": "tozero",
            "showgrid": False,
            "tickmode": "auto",  # its own round ticks, not those of the count axis
            "nticks": 6,
        },
    )
    fig = _layout(fig, "", t(unit, lang), t("m.month_end", lang))
    top = None if frame.empty else float(frame[bars].astype(float).max().max())
    return _months(fig, frame["month_end"], top=top)
