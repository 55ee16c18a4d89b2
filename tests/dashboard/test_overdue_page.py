"""逾期分析 on the built portfolio book (figures in tests/dashboard/analytics_app.py)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.dashboard.analytics_app import assert_clean, link_params, links, open_page, table_text


def _segment_bars(at: AppTest) -> dict[str, tuple[float, str]]:
    """Bar name -> (rate in %, numerator / denominator) of the segment chart (the second)."""
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    bars = spec["data"][0]
    return {
        x: (round(y, 2), data[0])
        for x, y, data in zip(bars["x"], bars["y"], bars["customdata"], strict=True)
    }


def _click(at: AppTest, chart: str, point: dict) -> AppTest:
    """Select `point` of the chart `chart_<chart>`, as a click on it does."""
    at.session_state[f"chart_{chart}"] = {"selection": {"points": [point], "point_indices": [0]}}
    return at.run()


def test_bucket_links_and_segment_rates_in_june(analytics: str) -> None:
    at = open_page("overdue")
    assert_clean(at)
    shown = links(at)
    assert "M4 · 1" in shown and "M0 · 0" in shown
    # June: A 5,000 at DPD 112 is the whole direct-lease book
    assert _segment_bars(at) == {"直租": (100.0, "5,000 / 5,000")}


def test_threshold_and_basis_selectors_change_the_rates(analytics: str) -> None:
    at = open_page("overdue", {"as_of": "2024-05"})
    assert _segment_bars(at) == {"直租": (100.0, "17,000 / 17,000")}
    at.radio(key="od_x").set_value(90).run()
    assert_clean(at)
    assert _segment_bars(at) == {"直租": (70.59, "12,000 / 17,000")}
    at.radio(key="od_basis").set_value("count").run()
    assert _segment_bars(at) == {"直租": (50.0, "1 / 2")}


def test_bucket_link_carries_filters_and_drill_keys(analytics: str) -> None:
    at = open_page("overdue", {"as_of": "2024-05"})
    params = link_params(at, "M4 · 1")
    assert params["bucket"] == ["M4"] and params["as_of"] == ["2024-05"]


def test_a_bucket_bar_click_opens_that_months_bucket(analytics: str) -> None:
    # May's M4 bar: B (12,000 at DPD 101)
    at = open_page("overdue", {"product": "direct_lease"})
    at = _click(at, "bucket_distribution", {"x": "2024-05", "customdata": [1.2, 1, "M4"]})
    assert_clean(at)
    assert at.query_params["bucket"] == "M4" and at.query_params["as_of"] == "2024-05"
    assert at.query_params["product"] == "direct_lease"
    assert list(at.dataframe[0].value["合同编号"]) == ["B"]


def test_a_segment_bar_click_opens_its_contracts_over_the_threshold(analytics: str) -> None:
    at = open_page("overdue", {"as_of": "2024-05"})
    at.radio(key="od_x").set_value(90).run()
    at = _click(
        at, "segment_rates", {"x": "直租", "customdata": ["12,000 / 17,000", "direct_lease"]}
    )
    assert_clean(at)
    assert at.query_params["segment"] == "product:direct_lease"
    assert at.query_params["threshold"] == "90"
    assert list(at.dataframe[0].value["合同编号"]) == ["B"]


def test_a_click_on_others_or_a_forged_point_stays_on_the_page(analytics: str) -> None:
    at = open_page("overdue")
    at = _click(at, "segment_rates", {"x": "Others (3)", "customdata": ["1 / 2", None]})
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2  # still the overdue page
    at = _click(at, "bucket_distribution", {"x": 5, "customdata": "M4"})
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 2


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
    assert next(iter(bars)) == "M0" and round(bars["M4"], 2) == 70.59
