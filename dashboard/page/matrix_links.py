"""Matrices whose every non-empty cell drills to the contracts in it: the matrix as a table, one
click on a cell (`st.dataframe` single-cell selection; a Plotly heatmap reports no clicks)
opens the contract list with the cell's criteria and the page's filters."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.i18n.catalogue import label, t
from dashboard.page.format import count_or_dash, pct, wan_or_dash
from dashboard.page.section import open_contracts

ROW = "_row"  # the column of row names (cell keys are the matrix's column values)


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


def matrix_table(frame: pd.DataFrame, rows: str, cols: str, view: str) -> pd.DataFrame:
    """The `view` figures as display text: a `ROW` column of row keys, then one column per
    column key (in first-seen order)."""
    shown = pivot(frame, rows, cols, view)
    table = pd.DataFrame(
        {str(c): [_text(shown.loc[r, c], view) for r in shown.index] for c in shown.columns}
    )
    table.insert(0, ROW, list(shown.index))
    return table


def cell_params(
    frame: pd.DataFrame,
    rows: str,
    cols: str,
    cell: object,
    params: Callable[[str, str], dict],
) -> dict | None:
    """The contract list's params of a selected `(row position, column key)` cell; None for an
    empty cell, the row-name column or anything that is not a cell of the matrix."""
    if not isinstance(cell, (list, tuple)) or len(cell) != 2:
        return None
    pos, col = cell
    counts = pivot(frame, rows, cols, "contracts")
    if not isinstance(pos, int) or not 0 <= pos < len(counts.index) or col not in counts.columns:
        return None
    row = counts.index[pos]
    return params(row, col) if counts.loc[row, col] else None


def drill_matrix(
    frame: pd.DataFrame,
    rows: str,
    cols: str,
    view: str,
    lang: str,
    params: Callable[[str, str], dict],
    *,
    key: str,
    corner: str,
) -> None:
    """The matrix as a table (row names under `corner`, named columns); clicking a non-empty
    cell opens its contracts with `params(row, column)`."""
    table = matrix_table(frame, rows, cols, view)
    config: dict[str, Any] = {ROW: st.column_config.TextColumn(corner, pinned=True)}
    config.update({c: st.column_config.TextColumn(label(c, lang)) for c in table.columns[1:]})
    shown = table.assign(**{ROW: [label(r, lang) for r in table[ROW]]})
    event = st.dataframe(
        shown,
        hide_index=True,
        column_config=config,
        on_select="rerun",
        selection_mode="single-cell",
        key=key,
    )
    st.caption(t("ui.click_cell", lang))
    selection: Mapping[str, Any] = event["selection"] if event else {}
    cells = selection.get("cells") or []
    if cells:
        open_contracts(cell_params(frame, rows, cols, cells[0], params))
