"""账龄分析 on the built portfolio book.

Cohort 2024-01 = A 6,000 + B 12,000 = 18,000: B first DPD > 30 in March (MOB 2), A in April
(MOB 3) → ever-30+ 66.67% at MOB 2, 100.00% at MOB 3. Quarter 2024Q1 adds C 1,500 (never
overdue): 12,000 ÷ 19,500 = 61.54% at MOB 2. Current 90+ of 2024-01: B 12,000 at DPD 101 in May
(MOB 4) → 66.67%; A 5,000 at DPD 112 in June (MOB 5; B's written-off row is out) → 27.78%.
"""

from __future__ import annotations

from tests.dashboard.analytics_app import assert_clean, open_page, table_text


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
