"""逾期分析 on the built portfolio book (figures in tests/dashboard/analytics_app.py)."""

from __future__ import annotations

from tests.dashboard.analytics_app import assert_clean, link_params, links, open_page


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
