"""组合概览 on the built portfolio book (figures in tests/dashboard/analytics_app.py)."""

from __future__ import annotations

import json
from datetime import date

from tests.dashboard.analytics_app import assert_clean, metrics, open_page


def test_kpis_show_the_hand_worked_june_book(analytics: str) -> None:
    at = open_page("overview")
    assert_clean(at)
    shown = metrics(at)
    assert shown["未偿本金"] == "0.50 万元"
    assert shown["存续合同数"] == "1"
    assert shown["不良率"] == "100.00%"
    assert shown["逾期率 30+"] == "100.00%"
    assert any("余额口径" in m.label for m in at.metric)
    assert any("2024-06-30" in i.value for i in at.info)


def test_changing_the_as_of_changes_the_numbers(analytics: str) -> None:
    at = open_page("overview")
    at.selectbox(key="flt_as_of").set_value(date(2024, 5, 31)).run()
    assert_clean(at)
    shown = metrics(at)
    assert shown["未偿本金"] == "1.70 万元"
    assert shown["存续合同数"] == "2"
    assert shown["不良率"] == "70.59%"
    assert at.query_params["as_of"] in ("2024-05", ["2024-05"])  # now in the URL


def test_url_filters_apply_and_forged_values_are_dropped(analytics: str) -> None:
    at = open_page(
        "overview", {"as_of": "2024-03", "product": ["sale_leaseback", "<script>"], "x": "1"}
    )
    assert_clean(at)
    shown = metrics(at)
    assert shown["未偿本金"] == "0.15 万元"
    assert shown["存续合同数"] == "1"
    assert at.multiselect(key="flt_product").value == ["sale_leaseback"]


def test_english_switch(analytics: str) -> None:
    at = open_page("overview", {"lang": "en"})
    assert_clean(at)
    assert metrics(at)["Outstanding"] == "0.50 × 10k"


def test_kpi_cards_say_how_much_of_the_provisions_is_estimated(analytics: str) -> None:
    """June: A substandard 5,000 → 25% = 1,250 estimated (the book gives no provision), so
    0.13 万元 of which 0.13 万元 estimated (100.00%); May: 100 + 3,000 = 0.31 万元, all
    estimated."""
    at = open_page("overview")
    assert_clean(at)
    captions = [c.value for c in at.caption]
    assert (
        "拨备 0.13 万元，其中估算 0.13 万元（100.00%）：拨备覆盖率、拨备率含估算部分。" in captions
    )
    at = open_page("overview", {"as_of": "2024-05", "lang": "en"})
    captions = [c.value for c in at.caption]
    assert (
        "Provisions 0.31 (10k yuan), of which estimated 0.31 (100.00%): coverage and "
        "provisions ÷ receivables include the estimated part." in captions
    )


def test_ratios_are_read_against_their_regulatory_lines(analytics: str) -> None:
    """June: NPL 5,000 ÷ 5,000 = 100% > 5% (past the line); 偏离度: A at DPD 112 is 90+, so
    5,000 ÷ NPL 5,000 = 100% ≤ 100% (within). A 融资租赁公司 book: no provision lines."""
    at = open_page("overview")
    assert_clean(at)
    texts = [m.value for m in at.markdown]
    assert "**不良率** 100.00%" in texts
    assert "**偏离度** 100.00%" in texts
    assert ":red[越线，需关注] · 红线 ≤ 5.00%" in texts
    assert ":green[符合] · 红线 ≤ 100.00%" in texts
    assert not any("拨备覆盖率**" in x for x in texts)


def test_a_breakdown_bar_click_opens_the_contracts_of_its_segment(analytics: str) -> None:
    # May, by product: direct_lease = A 5,000 + B 12,000 (1.70 万元)
    at = open_page("overview", {"as_of": "2024-05"})
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    bars = next(s["data"][0] for s in specs if s["data"][0].get("x") == ["直租"])
    assert (
        bars["x"] == ["直租"]
        and bars["y"] == [1.7]
        and bars["customdata"][0][2] == ("direct_lease")
    )
    point = {"x": "直租", "customdata": bars["customdata"][0]}
    at.session_state["chart_breakdown_product"] = {"selection": {"points": [point]}}
    at.run()
    assert_clean(at)
    assert at.query_params["segment"] == "product:direct_lease"
    assert at.query_params["as_of"] == "2024-05"
    assert sorted(at.dataframe[0].value["合同编号"]) == ["A", "B"]


def test_a_trend_point_click_opens_the_contracts_over_the_threshold_that_month(
    analytics: str,
) -> None:
    # May 2024: A at DPD 82 and B at DPD 101 are both over 30
    at = open_page("overview")
    point = {"x": "2024-05", "customdata": "overdue_rate_balance_dpd30"}
    at.session_state["chart_trend_rates"] = {"selection": {"points": [point]}}
    at.run()
    assert_clean(at)
    assert at.query_params["as_of"] == "2024-05" and at.query_params["threshold"] == "30"
    assert sorted(at.dataframe[0].value["合同编号"]) == ["A", "B"]
