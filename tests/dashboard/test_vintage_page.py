"""账龄分析 on the built portfolio book.

Cohort 2024-01 = A 6,000 + B 12,000 = 18,000: B first DPD > 30 in March (MOB 2), A in April
(MOB 3) → ever-30+ 66.67% at MOB 2, 100.00% at MOB 3. Quarter 2024Q1 adds C 1,500 (never
overdue): 12,000 ÷ 19,500 = 61.54% at MOB 2.
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
