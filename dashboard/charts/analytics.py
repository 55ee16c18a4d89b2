"""Plotly figure builders: DataFrame in, figure out (pure; no Streamlit, no I/O).

Labels come from the zh/en catalogue; money is shown in 万元, rates in percent. Only plain
cartesian traces and heatmaps: no map tiles, no geo traces, no web fonts.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from dashboard.charts.axes import money_ticks, month_axis, month_labels
from dashboard.charts.topn import TOP, top_and_others
from dashboard.i18n.catalogue import label, t
from dashboard.views.present import group_words

WAN = Decimal(10000)
FONT = "WenQuanYi Zen Hei, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
BUCKETS = ("M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+")  # warehouse.schema.DPD_BUCKETS
BUCKET_COLOURS = (
    "#2e7d32",
    "#9ccc65",
    "#fdd835",
    "#ffb300",
    "#fb8c00",
    "#f4511e",
    "#d32f2f",
    "#7b1fa2",
)


def _num(value: object) -> float | None:
    """A plottable float; None stays None (a gap, never zero)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return float(value)


def _wan(values: pd.Series) -> list[float | None]:
    return [None if _num(v) is None else float(Decimal(str(v)) / WAN) for v in values]


def _pct(values: pd.Series) -> list[float | None]:
    return [None if _num(v) is None else float(v) * 100 for v in values]


def _layout(fig: go.Figure, title: str, y_title: str, x_title: str = "") -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 16}},
        font={"family": FONT},
        margin={"l": 10, "r": 10, "t": 48, "b": 10},
        # above the plot (clear of the month labels and the axis title), below when a title
        # holds the top
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}
        if not title
        else {"orientation": "h", "y": -0.18},
        hovermode="closest",
        template="plotly_white",
    )
    # The first axes only: a second y axis keeps its own title (its own unit).
    fig.update_layout(yaxis_title_text=y_title, xaxis_title_text=x_title)
    return fig


def trend_lines(frame: pd.DataFrame, metrics: list[str], lang: str, percent: bool) -> go.Figure:
    """One line per metric over `month_end`; ratios in %, money in 万元."""
    fig = go.Figure()
    for m in metrics:
        ys = _pct(frame[m]) if percent else _wan(frame[m])
        unit = "%{y:.2f}%" if percent else "%{y:,.2f} 万元"
        fig.add_scatter(
            x=month_labels(frame["month_end"]),
            y=ys,
            mode="lines+markers",
            name=t(f"m.{m}", lang),
            customdata=[m] * len(frame),  # the metric, for a click's drill (`drill.trend`)
            hovertemplate=f"%{{x}}<br>{t(f'm.{m}', lang)}: {unit}<extra></extra>",
        )
    y_title = t("m.rate", lang) + " (%)" if percent else t("m.balance", lang)
    fig = month_axis(_layout(fig, "", y_title, t("m.month_end", lang)), frame["month_end"])
    return fig if percent else money_ticks(fig)


def _names(frame: pd.DataFrame, by: str, rest: int, lang: str) -> list[str]:
    """Each row's `by` value named, and the last row named "others" when it stands for `rest`."""
    names = [label(v, lang, by) for v in frame[by]]  # industry, region: GB/T names
    if rest:
        names[-1] = t("ch.others", lang, n=rest)
    return names


def breakdown_bar(frame: pd.DataFrame, by: str, lang: str, top: int = TOP) -> go.Figure:
    """Outstanding (万元) per value of `by`, largest first: the `top` largest and the rest as
    one "others" bar, with NPL ratio and 30+ rate (recomputed for "others") on hover."""
    frame, rest = top_and_others(
        frame,
        "outstanding",
        ["outstanding", "npl_outstanding", "outstanding_dpd30"],
        {
            "npl_ratio": ("npl_outstanding", "outstanding"),
            "overdue_rate_balance_dpd30": ("outstanding_dpd30", "outstanding"),
        },
        top,
    )
    # each bar's value of `by` rides along for a click's drill (None: the "others" bar)
    custom = [
        [npl, dpd30, None if rest and n == len(frame) - 1 else key]
        for n, (npl, dpd30, key) in enumerate(
            zip(
                _pct(frame["npl_ratio"]),
                _pct(frame["overdue_rate_balance_dpd30"]),
                frame[by],
                strict=True,
            )
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=_names(frame, by, rest, lang),
            y=_wan(frame["outstanding"]),
            customdata=custom,
            marker_color=["#1565c0"] * (len(frame) - bool(rest)) + ["#90a4ae"] * bool(rest),
            hovertemplate=(
                f"%{{x}}<br>{t('m.outstanding', lang)}: %{{y:,.2f}}<br>"
                f"{t('m.npl_ratio', lang)}: %{{customdata[0]:.2f}}%<br>"
                f"{t('m.overdue_rate_balance_dpd30', lang)}: %{{customdata[1]:.2f}}%<extra></extra>"
            ),
        )
    )
    fig.update_xaxes(type="category")
    return money_ticks(_layout(fig, t(f"filter.{by}", lang), t("m.outstanding", lang)))


def _used(ratio: object, limit: object) -> float:
    """How much of its limit an exposure uses (its ratio when it has no limit; -1 unknown)."""
    r, lim = _num(ratio), _num(limit)
    if r is None:
        return -1.0
    return r / lim if lim else r


def _exposure_name(kind: str, name: object, key: object) -> str:
    """A bar's name: a group as "name (code)", a lessee by its (corporate) name else its id."""
    if kind == "group":
        return group_words(key, name) or ""
    if isinstance(name, str):
        return name
    return "" if key is None or pd.isna(key) else str(key)


def concentration_bar(frame: pd.DataFrame, lang: str, top: int = TOP) -> go.Figure:
    """Ratio to base of the `top` exposures nearest their limit (ratio ÷ limit) and every one
    over it, nearest first; red over the limit, the limit a marker. The rest are not drawn
    (lessees, groups and related parties overlap, so no sum of them means anything): the
    title says how many and their largest ratio, and the table under the chart lists them."""
    used = [_used(r, lim) for r, lim in zip(frame["ratio"], frame["limit"], strict=True)]
    ranked = frame.assign(_used=used).sort_values("_used", ascending=False, kind="stable")
    keep = [n < top or b is True for n, b in enumerate(ranked["breach"])]
    shown, rest = ranked[keep].drop(columns="_used"), ranked[[not k for k in keep]]
    names = [
        f"{label(k, lang)} · {_exposure_name(k, n, key)}"
        for k, n, key in zip(shown["kind"], shown["name"], shown["key"], strict=True)
    ]
    colours = ["#d32f2f" if b is True else "#1565c0" for b in shown["breach"]]
    # each bar's kind and key ride along for a click's drill (`drill.exposure`)
    keys = [None if pd.isna(key) else key for key in shown["key"]]
    custom = [[k, key] for k, key in zip(shown["kind"], keys, strict=True)]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=_pct(shown["ratio"]),
        orientation="h",
        marker_color=colours,
        customdata=custom,
        name=t("m.ratio", lang),
        hovertemplate="%{y}<br>%{x:.2f}%<extra></extra>",
    )
    fig.add_scatter(
        y=names,
        x=_pct(shown["limit"]),
        mode="markers",
        marker={"symbol": "line-ns-open", "size": 18, "color": "#000"},
        name=t("m.limit", lang),
        customdata=custom,
        hovertemplate=f"{t('m.limit', lang)}: %{{x:.0f}}%<extra></extra>",
    )
    fig.update_yaxes(autorange="reversed", type="category")
    title = ""
    if len(rest):
        largest = max((v for v in _pct(rest["ratio"]) if v is not None), default=None)
        title = t("ch.others_in_table", lang, n=len(rest), ratio=f"{(largest or 0):.2f}%")
    return _layout(fig, title, "", t("m.ratio", lang) + " (%)")


def overdue_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (bucket_distribution rows) with each overdue bucket's share of the month's
    overdue book: `overdue_balance_share` = the bucket's outstanding ÷ the M1+ outstanding,
    `overdue_count_share` = its contracts ÷ the M1+ contracts; None for M0 and for a month with
    nothing overdue (a gap, not zero)."""
    out = frame.copy()
    overdue = out[out["dpd_bucket"] != "M0"]
    for share, column in (
        ("overdue_balance_share", "outstanding"),
        ("overdue_count_share", "contracts"),
    ):
        totals: dict[object, Decimal] = {}
        for month, value in zip(overdue["month_end"], overdue[column], strict=True):
            totals[month] = totals.get(month, Decimal(0)) + Decimal(str(value or 0))
        out[share] = [
            None
            if bucket == "M0" or not totals.get(month)
            else Decimal(str(value or 0)) / totals[month]
            for month, bucket, value in zip(
                out["month_end"], out["dpd_bucket"], out[column], strict=True
            )
        ]
    return out


def bucket_stack(frame: pd.DataFrame, share: str, lang: str) -> go.Figure:
    """Stacked bars per month-end, one segment per DPD bucket, heights = `share` in %: with an
    `overdue_…` share (see `overdue_shares`) M0 is left out and the stack is the overdue book."""
    fig = go.Figure()
    apart = share.startswith("overdue_")
    buckets = [b for b in dict.fromkeys(frame["dpd_bucket"]) if not (apart and b == "M0")]
    for bucket in buckets:
        part = frame[frame["dpd_bucket"] == bucket]
        fig.add_bar(
            x=month_labels(part["month_end"]),
            y=_pct(part[share]),
            name=bucket,
            marker_color=BUCKET_COLOURS[BUCKETS.index(bucket) % len(BUCKET_COLOURS)]
            if bucket in BUCKETS
            else "#9e9e9e",
            # the bucket rides along for a click's drill (`dashboard.page.section.chart_section`)
            customdata=[
                [wan, n, bucket]
                for wan, n in zip(_wan(part["outstanding"]), part["contracts"], strict=True)
            ],
            hovertemplate=(
                f"%{{x}} {bucket}<br>{t('m.share', lang)}: %{{y:.2f}}%<br>"
                f"{t('m.balance', lang)}: %{{customdata[0]:,.2f}}<br>"
                f"{t('m.contracts', lang)}: %{{customdata[1]}}<extra></extra>"
            ),
        )
    fig.update_layout(barmode="stack")
    y_title = t("m.overdue_share" if apart else "m.share", lang) + " (%)"
    fig = _layout(fig, "", y_title, t("m.month_end", lang))
    return month_axis(fig, frame["month_end"])


def segment_rate_bar(frame: pd.DataFrame, by: str, lang: str, top: int = TOP) -> go.Figure:
    """The overdue rate per value of `by` (in %), the `top` largest denominators and the rest as
    one "others" bar (its rate = summed numerators ÷ summed denominators); both on hover."""
    frame, rest = top_and_others(
        frame,
        "denominator",
        ["numerator", "denominator"],
        {"rate": ("numerator", "denominator")},
        top,
    )
    last = len(frame) - 1
    fig = go.Figure(
        go.Bar(
            x=_names(frame, by, rest, lang),
            y=_pct(frame["rate"]),
            marker_color=["#c62828"] * (len(frame) - bool(rest)) + ["#90a4ae"] * bool(rest),
            # the ratio's parts, and the value of `by` for a click's drill (None: "others")
            customdata=[
                [f"{_num(n) or 0:,.0f} / {_num(d) or 0:,.0f}", None if rest and i == last else k]
                for i, (n, d, k) in enumerate(
                    zip(frame["numerator"], frame["denominator"], frame[by], strict=True)
                )
            ],
            hovertemplate="%{x}<br>%{y:.2f}%<br>%{customdata[0]}<extra></extra>",
        )
    )
    fig.update_xaxes(type="category")
    return _layout(fig, "", t("m.rate", lang) + " (%)", t(f"filter.{by}", lang))


def vintage_lines(
    frame: pd.DataFrame,
    metric: str,
    lang: str,
    series: str = "cohort",
    dimension: str | None = None,
) -> go.Figure:
    """x = MOB, one line per `series` value (cohort, or segment of `dimension`, named by its
    standard name); immature points are gaps; the
    legend a scrolling column on the right. The page draws the latest cohorts by default
    (`topn.latest`)."""
    fig = go.Figure()
    groups = list(frame.groupby(series, sort=True))
    # cohorts in time order, old (light) to new (dark); segments in distinct colours
    shades = sample_colorscale(
        "Blues", [0.35 + 0.65 * n / max(len(groups) - 1, 1) for n in range(len(groups))]
    )
    for n, (key, part) in enumerate(groups):
        cohort = series == "cohort"
        ys = _pct(part[metric])
        # immature MOBs trail each curve: left off, so the axis ends where the data does
        seen = max((i + 1 for i, y in enumerate(ys) if y is not None), default=0)
        fig.add_scatter(
            x=list(part["mob"])[:seen],
            y=ys[:seen],
            mode="lines+markers" if cohort else "lines",
            marker={"size": 5},
            line={"color": shades[n]} if cohort else None,
            # the cohort rides along for a click's drill (`drill.vintage`)
            customdata=[key] * seen if cohort else None,
            name=label(key, lang, dimension),
            hovertemplate=f"{label(key, lang, dimension)} MOB %{{x}}: %{{y:.2f}}%<extra></extra>",
        )
    fig = _layout(fig, "", t(f"m.{metric}", lang) + " (%)", t("m.mob", lang))
    # A column beside the plot that scrolls when long, never a block under it taller than it.
    fig.update_layout(legend={"orientation": "v", "x": 1.02, "y": 1, "yanchor": "top"})
    return fig


def triangle_heatmap(grid: pd.DataFrame, metric: str, lang: str) -> go.Figure:
    """Cohort × MOB heatmap of the grid `queries.vintage.triangle` gives, in %; immature cells
    stay blank."""
    name = t(f"m.{metric}", lang)
    z = [[_num(v) * 100 if _num(v) is not None else None for v in row] for row in grid.values]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[int(c) for c in grid.columns],
            y=list(grid.index),
            colorscale="YlOrRd",
            hoverongaps=False,
            hovertemplate=f"%{{y}} MOB %{{x}}<br>{name}: %{{z:.2f}}%<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    return _layout(fig, "", t("m.cohort", lang), t("m.mob", lang))


def matrix_heatmap(
    grid: pd.DataFrame, lang: str, percent: bool, x_title: str, y_title: str
) -> go.Figure:
    """A labelled matrix (rows × columns of numbers) as an annotated heatmap."""
    z = [[_num(v) for v in row] for row in grid.values]
    if percent:
        z = [[None if v is None else v * 100 for v in row] for row in z]
    text = [
        ["" if v is None else (f"{v:.1f}%" if percent else f"{v:,.2f}") for v in row] for row in z
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[label(c, lang) for c in grid.columns],
            y=[label(r, lang) for r in grid.index],
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            hoverongaps=False,
            hovertemplate="%{y} → %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "", y_title, x_title)


def rate_trend(frame: pd.DataFrame, rates: list[str], lang: str) -> go.Figure:
    """Official migration rates per period end (in %); a zero denominator leaves a gap."""
    fig = go.Figure()
    for r in rates:
        fig.add_scatter(
            x=month_labels(frame["end"]),
            y=_pct(frame[r]),
            mode="lines+markers",
            name=t(f"m.{r}", lang),
            customdata=list(
                zip(_wan(frame[f"{r}_numerator"]), _wan(frame[f"{r}_denominator"]), strict=True)
            ),
            hovertemplate=(
                f"%{{x}} {t(f'm.{r}', lang)}: %{{y:.2f}}%<br>"
                "%{customdata[0]:,.2f} ÷ %{customdata[1]:,.2f} 万元<extra></extra>"
            ),
        )
    return month_axis(
        _layout(fig, "", t("m.rate", lang) + " (%)", t("m.month_end", lang)), frame["end"]
    )
