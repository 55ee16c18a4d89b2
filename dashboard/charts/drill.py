"""From a clicked bar or point to the contract list's query parameters (pure: no Streamlit).

A point comes from the browser (`st.plotly_chart(on_select=...)`: x, y, curve_number,
point_index, customdata): it is read defensively, and the contract list checks every drill key
against its allow-lists again (`dashboard.page.contract_params.parse_drill`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from queries.vintage import cohort_months
from warehouse.months import month_end_of

Link = Callable[..., dict]  # `PageContext.link`: the filters and language plus drill keys
# A trend's metric -> the contract list's criteria behind one of its points (the open book for
# the outstanding; contracts over the threshold for an overdue rate). A metric not here (NPL,
# three classes at once) has no list of its own.
TREND_CRITERIA: dict[str, dict[str, str]] = {
    "outstanding": {},
    "overdue_rate_balance_dpd30": {"threshold": "30"},
    "overdue_rate_balance_dpd90": {"threshold": "90"},
}


def _data(point: Mapping[str, Any], n: int) -> object:
    data = point.get("customdata")
    return data[n] if isinstance(data, list) and len(data) > n else None


def bucket(link: Link) -> Callable[[Mapping[str, Any]], dict | None]:
    """A bar of the bucket stack (`analytics.bucket_stack`) -> its bucket's contracts at the
    bar's month."""

    def drill(point: Mapping[str, Any]) -> dict | None:
        name, month = _data(point, 2), point.get("x")
        if not isinstance(name, str) or not isinstance(month, str):
            return None
        return link(bucket=name, as_of=month)

    return drill


def segment(
    link: Link, by: str, index: int, **extra: str
) -> Callable[[Mapping[str, Any]], dict | None]:
    """A bar per value of `by` (its value at `customdata[index]`; None on the "others" bar) ->
    the contracts of that value, with `extra` drill keys (a threshold)."""

    def drill(point: Mapping[str, Any]) -> dict | None:
        value = _data(point, index)
        if not isinstance(value, str) or not value:
            return None
        return link(segment=f"{by}:{value}", **extra)

    return drill


def trend(link: Link) -> Callable[[Mapping[str, Any]], dict | None]:
    """A point of a trend line (`analytics.trend_lines`, its metric as `customdata`) -> the
    contracts behind it at the point's month (`TREND_CRITERIA`)."""

    def drill(point: Mapping[str, Any]) -> dict | None:
        metric, month = point.get("customdata"), point.get("x")
        if not isinstance(metric, str) or metric not in TREND_CRITERIA:
            return None
        if not isinstance(month, str):
            return None
        return link(as_of=month, **TREND_CRITERIA[metric])

    return drill


def vintage(link: Link, size: int) -> Callable[[Mapping[str, Any]], dict | None]:
    """A point of the vintage curves (`analytics.vintage_lines`: the cohort as `customdata`,
    x = MOB) -> the cohort's contracts at that MOB, the list's month the month-end the cohort's
    last start month (of `size` months) reaches it."""

    def drill(point: Mapping[str, Any]) -> dict | None:
        cohort, mob = point.get("customdata"), point.get("x")
        if isinstance(mob, float) and mob.is_integer():
            mob = int(mob)
        if not isinstance(cohort, str) or isinstance(mob, bool) or not isinstance(mob, int):
            return None
        months = cohort_months(cohort)
        if months is None or mob < 0:
            return None
        month = month_end_of(months[0] + size - 1 + mob)
        return link(vintage=f"{cohort}:{mob}", as_of=f"{month:%Y-%m}")

    return drill


def exposure(link: Link) -> Callable[[Mapping[str, Any]], dict | None]:
    """A bar of the concentration chart (`analytics.concentration_bar`: kind and key as
    `customdata`) -> the contracts of that lessee, group or of all related parties."""

    def drill(point: Mapping[str, Any]) -> dict | None:
        data = point.get("customdata")
        if not isinstance(data, list) or len(data) != 2:
            return None
        kind, key = data
        if not isinstance(kind, str) or not (key is None or isinstance(key, str)):
            return None
        return link(exposure=f"{kind}:{key or ''}")

    return drill


def month_lists(
    link: Link, lists: Mapping[str, Mapping[str, str]]
) -> Callable[[Mapping[str, Any]], dict | None]:
    """A bar or point of a monitoring chart over months (what it counts as `customdata`, its
    month as x) -> the contract list `lists` names for that measure (drill keys) at that month;
    None for a measure with no list of its own."""

    def drill(point: Mapping[str, Any]) -> dict | None:
        measure, month = point.get("customdata"), point.get("x")
        if not isinstance(measure, str) or measure not in lists or not isinstance(month, str):
            return None
        return link(as_of=month, **lists[measure])

    return drill


def keyed_lists(
    link: Link, lists: Mapping[str, Mapping[str, str]]
) -> Callable[[Mapping[str, Any]], dict | None]:
    """A bar of a chart over categories, not months (its code as `customdata`) -> the contract
    list `lists` names for that code (drill keys), at the page's own month; None for a code
    with no list."""

    def drill(point: Mapping[str, Any]) -> dict | None:
        code = point.get("customdata")
        if not isinstance(code, str) or code not in lists:
            return None
        return link(**lists[code])

    return drill


def cure_bars(link: Link, months: int) -> Callable[[Mapping[str, Any]], dict | None]:
    """A bar of the cure-rate chart (`monitoring.rate_bars`: [spells, first channel] as
    `customdata`) -> the contracts of its spells over the page's `months`-month window."""

    def drill(point: Mapping[str, Any]) -> dict | None:
        data = point.get("customdata")
        if not isinstance(data, list) or len(data) != 2 or not isinstance(data[1], str):
            return None
        return link(cure=f"{data[1]}:{int(months)}")

    return drill


def vintage_cells(frame: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The triangle's cells for a clickable table (`dashboard.page.matrix_links.drill_matrix`):
    cohort, MOB as text (the table's column names), `metric`, and `contracts` = the cohort's
    contracts on a mature cell, 0 on an immature one (no list behind an empty cell)."""
    return pd.DataFrame(
        {
            "cohort": list(frame["cohort"]),
            "mob": [str(m) for m in frame["mob"]],
            metric: list(frame[metric]),
            "contracts": [
                n if mature else 0
                for n, mature in zip(frame["cohort_contracts"], frame["mature"], strict=True)
            ],
        }
    )


def vintage_cell(link: Link, size: int) -> Callable[[str, str], dict | None]:
    """A triangle cell (cohort row, MOB column as text) -> the list of its curve point."""
    point = vintage(link, size)

    def drill(cohort: str, mob: str) -> dict | None:
        return point({"customdata": cohort, "x": int(mob)}) if mob.isdigit() else None

    return drill
