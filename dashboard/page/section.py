"""What the analytics pages repeat: a chart over a query's rows with its table and downloads, a
radio whose options are named by the catalogue, and a row of metric cards."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.page.widgets import chart_with_table
from dashboard.views.present import present, table_roles

# The two weightings of a share, named by their basis ("balance_share" -> "basis.balance").
SHARES: dict[str, str] = {"balance_share": "basis.balance", "count_share": "basis.count"}


def chart_section(
    figure: go.Figure,
    raw: pd.DataFrame,
    name: str,
    lang: str,
    *,
    columns: Sequence[str] | None = None,
    **formats: list[str],
) -> None:
    """The chart, `raw` (its `columns` only, when given) in an expander as the user reads it
    (`formats`: money, rates, counts), that same table as `<name>.xlsx` / `.csv` and `raw` as
    the raw-data files."""
    roles = table_roles(**formats)
    kept = list(raw.columns if columns is None else columns)

    def shown(frame: pd.DataFrame) -> pd.DataFrame:
        return present(frame[kept], lang, roles)

    chart_with_table(figure, raw, name, lang, present=shown)


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
