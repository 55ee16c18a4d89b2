"""预警与租赁物 page on the monitoring book (figures in tests/dashboard/monitoring_app.py)."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd
import pyarrow as pa

from dashboard.page.format import display
from tests.dashboard.analytics_app import assert_clean, metrics, open_page, table_text
from tests.dashboard.monitoring_app import monitoring, monitoring_url

__all__ = ["monitoring", "monitoring_url"]


def test_lead_time_groups_and_median(monitoring: str) -> None:
    at = open_page("early_warning", roles=("risk_committee",))
    assert_clean(at)
    shown = metrics(at)
    assert shown["提前预警"] == "1"
    assert shown["预警滞后"] == "1"
    assert shown["未预警"] == "1"
    assert shown["未违约"] == "1"
    assert shown["提前期中位数（天）"] == "61"


def test_medium_signals_and_a_filter_change_the_numbers(monitoring: str) -> None:
    at = open_page("early_warning", roles=("risk_committee",))
    at.radio(key="ew_level").set_value("medium").run()
    assert_clean(at)
    assert metrics(at)["提前预警"] == "2"
    assert metrics(at)["提前期中位数（天）"] == "89"
    at.multiselect(key="flt_product").set_value(["sale_leaseback"]).run()
    assert_clean(at)
    shown = metrics(at)
    assert [shown[k] for k in ("提前预警", "预警滞后", "未预警", "未违约")] == ["0"] * 4
    assert shown["提前期中位数（天）"] == "—"


def test_inspection_lists_show_the_contracts_behind(monitoring: str) -> None:
    at = open_page("early_warning", roles=("risk_committee",))
    text = table_text(at)
    # Overdue inspections at June: B (last 2024-03-10) and D (2024-05-01).
    assert "2024-03-10" in text and "2024-05-01" in text
    at.radio(key="ew_inspections").set_value("abnormal").run()
    assert_clean(at)
    assert "灭失/下落不明" in table_text(at)


def test_open_dossier_carries_the_contract(monitoring: str) -> None:
    at = open_page("early_warning", roles=("risk_committee",))
    at.selectbox(key="pick_lead_time_high_warned").set_value("B")
    at.button(key="open_lead_time_high_warned").click().run()
    assert_clean(at)
    assert [title.value for title in at.title] == ["合同档案"]
    assert at.query_params["contract"] in ("B", ["B"])


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_no_table_needs_an_arrow_fallback(monitoring: str) -> None:
    """Every table of the page and of the dossier it opens is Arrow-ready: a date column with a
    missing value ("—") is text throughout, so Streamlit logs no ArrowTypeError."""
    caught = _Records()
    logger = logging.getLogger("streamlit.dataframe_util")
    logger.addHandler(caught)
    try:
        at = open_page("early_warning", roles=("risk_committee",))
        at.selectbox(key="pick_lead_time_high_warned").set_value("B")
        at.button(key="open_lead_time_high_warned").click().run()
        assert_clean(at)
    finally:
        logger.removeHandler(caught)
    assert not [m for m in caught.messages if "Arrow" in m]


def test_display_makes_a_column_with_a_dash_text_throughout() -> None:
    """[date, None] → ["2024-03-10", "—"]: one type, which Arrow accepts."""
    frame = pd.DataFrame({"last": [date(2024, 3, 10), None], "n": [1, 2]})
    shown = display(frame)
    assert list(shown["last"]) == ["2024-03-10", "—"]
    assert list(shown["n"]) == [1, 2]
    pa.Table.from_pandas(shown)


def test_inspection_settings_are_named_in_words(monitoring: str) -> None:
    at = open_page("early_warning", roles=("risk_committee",))
    settings = [c.value for c in at.caption if c.value.startswith("适用参数")]
    # the monitoring book's settings: every 60 days, assets of 5,000 yuan (0.50 万元) and more
    assert settings == ["适用参数：检查周期（天） 60；需检查资产原值下限（万元） 0.50"]
