"""账龄分析 on the built portfolio book.

Cohort 2024-01 = A 6,000 + B 12,000 = 18,000: B first DPD > 30 in March (MOB 2), A in April
(MOB 3) → ever-30+ 66.67% at MOB 2, 100.00% at MOB 3. Quarter 2024Q1 adds C 1,500 (never
overdue): 12,000 ÷ 19,500 = 61.54% at MOB 2. Current 90+ of 2024-01: B 12,000 at DPD 101 in May
(MOB 4) → 66.67%; A 5,000 at DPD 112 in June (MOB 5; B's written-off row is out) → 27.78%.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from functools import partial

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.analytics_app import (
    assert_clean,
    build_analytics_warehouse,
    open_page,
    table_text,
)
from tests.dashboard.app_fixtures import app_on, built_duckdb
from tests.warehouse.book import Book, add_months, monthly


def test_curves_and_grain_selector(analytics: str) -> None:
    at = open_page("vintage")
    assert_clean(at)
    text = table_text(at)
    assert "66.67%" in text and "2024-01" in text
    at.radio(key="vt_grain").set_value("quarter").run()
    assert_clean(at)
    text = table_text(at)
    assert "2024Q1" in text and "61.54%" in text


def test_metric_and_segment_selectors(analytics: str) -> None:
    at = open_page("vintage")
    at.radio(key="vt_metric").set_value("writeoff_rate").run()
    at.selectbox(key="vt_by").set_value("region").run()
    assert_clean(at)
    # B's 12,000 written off in June (MOB 5): 12,000 ÷ 18,000.
    assert "66.67%" in table_text(at)


def test_current_90_balance_rate_triangle(analytics: str) -> None:
    at = open_page("vintage")
    options = at.radio(key="vt_metric").options
    assert "当前90+余额率" in options and "当前30+余额率" in options
    at.radio(key="vt_metric").set_value("current90_rate").run()
    assert_clean(at)
    triangle = next(df.value for df in at.dataframe if "5" in df.value.columns)
    row = triangle[triangle.iloc[:, 0] == "2024-01"].iloc[0]
    assert [row[str(mob)] for mob in range(6)] == ["0.00%"] * 4 + ["66.67%", "27.78%"]


def _fourteen_cohorts() -> Book:
    """One contract started on the 5th of each month, 2023-05 … 2024-06 (14 monthly cohorts)."""
    book = Book()
    for n in range(14):
        start = add_months(date(2023, 5, 5), n)
        book.contract(f"K{n:02d}", start.isoformat(), monthly("2024-07-05", 1, "1000"))
    return book


@pytest.fixture(scope="module")
def fourteen_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A warehouse of 14 monthly cohorts, built to 2024-06."""
    build = partial(build_analytics_warehouse, book=_fourteen_cohorts())
    return built_duckdb(tmp_path_factory, "vintage14", build)


@pytest.fixture
def fourteen(fourteen_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app on the 14-cohort warehouse."""
    yield from app_on(fourteen_url, monkeypatch)


def _curve_names(at: AppTest) -> list[str]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [trace["name"] for trace in spec["data"]]


def test_curves_draw_the_latest_twelve_cohorts_until_asked_for_all(fourteen: str) -> None:
    at = open_page("vintage")
    assert_clean(at)
    assert _curve_names(at) == [f"2023-{m:02d}" for m in (7, 8, 9, 10, 11, 12)] + [
        f"2024-{m:02d}" for m in range(1, 7)
    ]
    # the table under the chart still holds all 14
    assert "2023-05" in table_text(at) and "2023-06" in table_text(at)
    at.toggle(key="vt_all").set_value(True).run()
    assert_clean(at)
    assert len(_curve_names(at)) == 14 and _curve_names(at)[0] == "2023-05"
