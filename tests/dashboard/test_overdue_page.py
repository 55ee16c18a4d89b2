"""逾期分析 on the built portfolio book (figures in tests/dashboard/analytics_app.py)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.dashboard.analytics_app import assert_clean, link_params, links, open_page, table_text


def test_bucket_links_and_segment_rates_in_june(analytics: str) -> None:
    at = open_page("overdue")
    assert_clean(at)
    shown = links(at)
    assert "M4 · 1" in shown and "M0 · 0" in shown
    assert "直租 · 100.00% (0.50)" in shown


def test_threshold_and_basis_selectors_change_the_rates(analytics: str) -> None:
    at = open_page("overdue", {"as_of": "2024-05"})
    assert "直租 · 100.00% (1.70)" in links(at)
    at.radio(key="od_x").set_value(90).run()
    assert_clean(at)
    assert "直租 · 70.59% (1.20)" in links(at)
    at.radio(key="od_basis").set_value("count").run()
    assert "直租 · 50.00% (1)" in links(at)


def test_segment_link_carries_filters_and_drill_keys(analytics: str) -> None:
    at = open_page("overdue", {"as_of": "2024-05"})
    params = link_params(at, "M4 · 1")
    assert params["bucket"] == ["M4"] and params["as_of"] == ["2024-05"]
    params = link_params(at, "直租 · 100.00% (1.70)")
    assert params["segment"] == ["product:direct_lease"] and params["threshold"] == ["30"]


def _bucket_bars(at: AppTest) -> dict[str, float | None]:
    """Bucket -> its bar of the last month in the bucket chart (the page's first chart)."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return {trace["name"]: trace["y"][-1] for trace in spec["data"]}


def test_bucket_chart_opens_without_m0_and_switches_to_all_buckets(analytics: str) -> None:
    # May: A 5,000 at M3 and B 12,000 at M4 are the whole overdue book: 29.41% and 70.59%.
    at = open_page("overdue", {"as_of": "2024-05"})
    assert_clean(at)
    assert at.radio(key="od_view").value == "overdue"
    bars = _bucket_bars(at)
    assert list(bars) == ["M1", "M2", "M3", "M4", "M5", "M6", "M7+"]
    assert round(bars["M3"], 2) == 29.41 and round(bars["M4"], 2) == 70.59 and bars["M1"] == 0
    text = table_text(at)
    assert "29.41%" in text and "70.59%" in text
    at.radio(key="od_view").set_value("all").run()
    assert_clean(at)
    # all buckets: shares of the whole book, M0 (nothing at M0 in May) drawn first
    bars = _bucket_bars(at)
    assert list(bars)[0] == "M0" and round(bars["M4"], 2) == 70.59
