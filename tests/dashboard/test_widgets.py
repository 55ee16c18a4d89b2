"""Shared page widgets: a section with no rows says so in words instead of an empty chart."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.i18n.catalogue import t


def _section(rows: int) -> None:
    import pandas as pd
    import plotly.graph_objects as go

    from dashboard.page.widgets import chart_with_table

    frame = pd.DataFrame({"month": ["2026-01-31"] * rows, "n": list(range(rows))})
    figure = go.Figure(go.Bar(x=frame["month"], y=frame["n"]))
    chart_with_table(figure, frame, "s", "zh", present=lambda shown: shown)


def test_a_section_without_rows_says_so_and_draws_no_chart_or_table() -> None:
    at = AppTest.from_function(_section, kwargs={"rows": 0}).run()
    assert not at.exception
    assert [i.value for i in at.info] == [t("ui.no_data", "zh")]
    assert not at.get("plotly_chart") and not at.dataframe


def test_a_section_with_rows_draws_its_chart_and_table() -> None:
    at = AppTest.from_function(_section, kwargs={"rows": 2}).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 1 and len(at.dataframe[0].value) == 2
    assert not at.info
