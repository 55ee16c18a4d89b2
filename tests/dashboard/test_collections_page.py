"""催收 page on the monitoring book (figures in tests/dashboard/monitoring_app.py)."""

from __future__ import annotations

from tests.dashboard.analytics_app import assert_clean, metrics, open_page, table_text
from tests.dashboard.monitoring_app import monitoring, monitoring_url

__all__ = ["monitoring", "monitoring_url"]


def test_headline_rates_and_flags_for_the_risk_committee(monitoring: str) -> None:
    at = open_page("collections", roles=("risk_committee",))
    assert_clean(at)
    shown = metrics(at)
    assert shown["联系尝试"] == "17"
    assert shown["联系率"] == "58.82%"
    assert shown["承诺还款率"] == "40.00%"
    assert shown["承诺履约率"] == "66.67%"
    assert shown["30天内回款"] == "0.40 万元"
    assert shown["非允许时段联系"] == "1"
    assert shown["联系第三方"] == "2"
    assert shown["委外前未告知"] == "1"
    # The risk committee sees collector names unmasked.
    assert "zhang" in table_text(at)


def test_a_filter_change_changes_the_numbers(monitoring: str) -> None:
    at = open_page("collections", roles=("risk_committee",))
    at.multiselect(key="flt_product").set_value(["sale_leaseback"]).run()
    assert_clean(at)
    shown = metrics(at)
    assert shown["联系尝试"] == "5"
    assert shown["联系率"] == "100.00%"
    assert shown["30天内回款"] == "0.10 万元"
    assert shown["联系第三方"] == "1"


def test_executives_see_collector_names_masked_and_english_works(monitoring: str) -> None:
    at = open_page("collections", {"lang": "en"}, roles=("executive",))
    assert_clean(at)
    assert metrics(at)["Contact rate"] == "58.82%"
    assert metrics(at)["Recovered in 30 days"] == "0.40 × 10k"
    text = table_text(at)
    assert "zhang" not in text and "z****" in text


def test_admin_alone_is_refused(monitoring: str) -> None:
    at = open_page("collections", roles=("admin",))
    assert not at.metric


def test_settings_in_force_are_named_in_words(monitoring: str) -> None:
    at = open_page("collections", roles=("risk_committee",))
    settings = next(c.value for c in at.caption if c.value.startswith("适用参数"))
    assert settings == (
        "适用参数：允许联系时段开始 = 08:00, 允许联系时段结束 = 21:00; 每日联系次数上限 = 3"
    )
