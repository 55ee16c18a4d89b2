"""资产质量迁徙 on the built portfolio book: May → June.

G12 (month): A special_mention 5,000 → substandard 5,000 (0.50 万元); B substandard 12,000 is
written off in June → reduced 1.20 万元. Roll rates: A M3 → M4, B M4 → written_off (100% each).
"""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.dashboard.analytics_app import assert_clean, open_page, table_text


def _matrix(at: AppTest, key: str) -> pd.DataFrame:
    """The drill table `key` as shown: a `_row` column of row names, a column per column key."""
    return next(df.value for df in at.dataframe if df.proto.id and key in df.proto.id)


def _click(at: AppTest, key: str, row_name: str, column: str) -> AppTest:
    """Select the cell of `row_name` × `column` in the drill table `key`, as a click does."""
    rows = list(_matrix(at, key)["_row"])
    at.session_state[key] = {
        "selection": {"rows": [], "columns": [], "cells": [[rows.index(row_name), column]]}
    }
    return at.run()


def test_a_matrix_cell_click_opens_its_contracts(analytics: str) -> None:
    at = open_page("migration", {"product": "direct_lease"})
    assert_clean(at)
    matrix = _matrix(at, "mg_cells").set_index("_row")
    assert matrix.loc["关注", "substandard"] == "0.50" and matrix.loc["次级", "reduced"] == "1.20"
    at = _click(at, "mg_cells", "次级", "reduced")
    assert_clean(at)
    # the contract list, with the cell's criteria and the page's filters
    assert list(at.dataframe[0].value["合同编号"]) == ["B"]
    assert at.query_params["migration"] == "month:substandard:reduced"
    assert at.query_params["product"] == "direct_lease"


def test_an_empty_cell_or_the_row_names_open_nothing(analytics: str) -> None:
    at = open_page("migration")
    at = _click(at, "mg_cells", "关注", "normal")
    assert_clean(at)
    assert _matrix(at, "mg_cells").shape[0] >= 1  # still on the migration page
    at = _click(at, "mg_cells", "关注", "_row")
    assert _matrix(at, "mg_cells").shape[0] >= 1


def test_views_and_roll_rate_drill(analytics: str) -> None:
    at = open_page("migration")
    at.radio(key="mg_view").set_value("contracts").run()
    assert_clean(at)
    assert _matrix(at, "mg_cells").set_index("_row").loc["次级", "reduced"] == "1"
    at.radio(key="mg_view").set_value("row_share").run()
    assert _matrix(at, "mg_cells").set_index("_row").loc["次级", "reduced"] == "100.00%"
    roll = _matrix(at, "mg_roll_cells").set_index("_row")
    assert roll.loc["M3", "M4"] == "100.00%" and roll.loc["M4", "written_off"] == "100.00%"
    at = _click(at, "mg_roll_cells", "M4", "written_off")
    assert_clean(at)
    assert at.query_params["roll"] == "M4:written_off"
    assert list(at.dataframe[0].value["合同编号"]) == ["B"]
    assert "1.20" in table_text(at)


def test_period_selector_changes_the_matrix(analytics: str) -> None:
    at = open_page("migration")
    at.radio(key="mg_period").set_value("ytd").run()
    assert_clean(at)
    # Year to date from 2023-12-31: nothing was open then, so A is new business (0.50).
    at = _click(at, "mg_cells", "新发放", "substandard")
    assert at.query_params["migration"] == "ytd:new_business:substandard"
