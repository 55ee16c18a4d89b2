"""Matrices whose every non-empty cell is a link to the contracts in it."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.i18n.catalogue import label
from dashboard.page.format import count_or_dash, pct, wan_or_dash
from dashboard.page.registry import page_path

CONTRACTS = page_path("contracts.py")


def pivot(frame: pd.DataFrame, rows: str, cols: str, value: str) -> pd.DataFrame:
    """Long cells → a rows × cols grid in first-seen order (object values, None kept)."""
    row_keys = list(dict.fromkeys(frame[rows]))
    col_keys = list(dict.fromkeys(frame[cols]))
    cells = {(r, c): v for r, c, v in zip(frame[rows], frame[cols], frame[value], strict=True)}
    data = [[cells.get((r, c)) for c in col_keys] for r in row_keys]
    return pd.DataFrame(data, index=row_keys, columns=col_keys, dtype=object)


def _text(value: object, view: str) -> str:
    if view in {"balance", "balance_at_t"}:
        return wan_or_dash(value)
    return count_or_dash(value) if view == "contracts" else pct(value)


def link_grid(
    frame: pd.DataFrame,
    rows: str,
    cols: str,
    view: str,
    lang: str,
    params: Callable[[str, str], dict],
) -> None:
    """The matrix as a grid: a header row, then per row its cells as links (empty cells as text)."""
    counts = pivot(frame, rows, cols, "contracts")
    shown = pivot(frame, rows, cols, view)
    widths = [2] + [1] * len(shown.columns)
    header = st.columns(widths)
    for col, key in zip(header[1:], shown.columns, strict=True):
        col.markdown(f"**{label(key, lang)}**")
    for r in shown.index:
        line = st.columns(widths)
        line[0].markdown(f"**{label(r, lang)}**")
        for col, c in zip(line[1:], shown.columns, strict=True):
            text = _text(shown.loc[r, c], view)
            if counts.loc[r, c]:
                col.page_link(CONTRACTS, label=text, query_params=params(r, c))
            else:
                col.markdown(text)
