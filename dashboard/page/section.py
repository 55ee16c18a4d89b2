"""What the analytics pages repeat: a chart over a query's rows with its table and downloads (a
click on a bar or point drilling to its contracts), a radio whose options are named by the
catalogue, and a row of metric cards."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.page.registry import page_path
from dashboard.page.widgets import PLOTLY_CONFIG, chart_with_table, download_table
from dashboard.views.present import as_text, present, table_roles

CONTRACTS = page_path("contracts.py")
# A clicked point (x, y, curve_number, point_index, customdata) -> the contract list's params.
Drill = Callable[[Mapping[str, Any]], Mapping[str, Any] | None]

# The two weightings of a share, named by their basis ("balance_share" -> "basis.balance").
SHARES: dict[str, str] = {"balance_share": "basis.balance", "count_share": "basis.count"}


def chart_section(
    figure: go.Figure,
    raw: pd.DataFrame,
    name: str,
    lang: str,
    *,
    columns: Sequence[str] | None = None,
    drill: Drill | None = None,
    **formats: list[str],
) -> None:
    """The chart, `raw` (its `columns` only, when given) in an expander as the user reads it
    (`formats`: money, rates, counts), that same table as `<name>.xlsx` / `.csv` and `raw` as
    the raw-data files. With `drill`, clicking a bar or a point opens the contract list with
    the query parameters `drill(point)` gives for it (None: nothing behind that point)."""
    roles = table_roles(**formats)
    kept = list(raw.columns if columns is None else columns)

    def shown(frame: pd.DataFrame) -> pd.DataFrame:
        return present(frame[kept], lang, roles)

    if drill is None or raw.empty:
        chart_with_table(figure, raw, name, lang, present=shown)
        return
    event = st.plotly_chart(
        figure,
        width="stretch",
        key=f"chart_{name}",
        config=PLOTLY_CONFIG,
        on_select="rerun",
        selection_mode="points",
    )
    st.caption(t("ui.click_chart", lang))
    with st.expander(t("ui.table", lang)):
        st.dataframe(as_text(shown(raw)), hide_index=True, width="stretch")
    download_table(raw, name, lang, present=shown)
    point = clicked(event)
    if point is not None:
        open_contracts(drill(point))


def clicked(event: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The first point a chart's selection event holds (None when nothing is selected)."""
    points = ((event or {}).get("selection") or {}).get("points") or []
    return points[0] if points and isinstance(points[0], Mapping) else None


def open_contracts(params: Mapping[str, Any] | None) -> None:
    """Switch to the contract list with `params` (filters, language and drill keys); nothing
    when there is no list behind the click (None)."""
    if params:
        st.switch_page(CONTRACTS, query_params=dict(params))


def choice(
    title_key: str,
    options: Iterable[Any],
    lang: str,
    key: str,
    labels: str | Mapping[Any, str],
    *,
    where: Any = None,
    index: int = 0,
) -> Any:
    """A horizontal radio among `options`, each named by its catalogue key: `labels` is a `{}`
    template ("mg.{}") or an option -> key mapping. `where` is a column (default: the page)."""
    name: Callable[[Any], str] = labels.format if isinstance(labels, str) else labels.__getitem__
    return (where or st).radio(
        t(title_key, lang),
        list(options),
        index=index,
        format_func=lambda o: t(name(o), lang),
        horizontal=True,
        key=key,
    )


def metric_cards(cards: Sequence[tuple[str, str]], columns: int | None = None) -> None:
    """(label, value) cards in a row, wrapping after `columns` (default: all in one row)."""
    per_row = columns or len(cards)
    slots = st.columns(per_row)
    for n, (title, value) in enumerate(cards):
        slots[n % per_row].metric(title, value)
