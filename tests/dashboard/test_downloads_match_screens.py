"""Every table download of the analytics pages is, cell by cell, the table on screen (AppTest).

For each `.xlsx` table button a page draws, the file (read back with openpyxl, through each
cell's number format) has a header block naming the page and the display zone, then exactly the
headers and values of one table the page shows; the KPI file is the KPI cards.
"""

from __future__ import annotations

import pytest

from tests.access.access_app import capture_served, download
from tests.dashboard import risk_app
from tests.dashboard.analytics_app import assert_clean, open_page
from tests.dashboard.monitoring_app import monitoring, monitoring_url
from tests.file_cells import read_table, screen_rows

__all__ = ["monitoring", "monitoring_url"]
risk_url, risk = risk_app.risk_url, risk_app.risk

TITLES = {
    "overview": "组合概览",
    "overdue": "逾期分析",
    "vintage": "账龄分析",
    "migration": "资产质量迁徙",
}


def table_buttons(at) -> list[str]:
    """The keys of the page's `.xlsx` table buttons (not the raw-data ones)."""
    keys = [b.id.split("-", 2)[-1] for b in at.get("download_button")]
    return [k for k in keys if k.startswith("dl_xlsx_")]


@pytest.mark.parametrize("page", ["overview", "overdue", "vintage", "migration"])
def test_every_table_file_is_its_screen_table(
    analytics: str, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    served = capture_served(monkeypatch)
    at = open_page(page, roles=("executive",))
    assert_clean(at)
    screens = [frame.value for frame in at.dataframe]
    keys = table_buttons(at)
    assert keys
    for key in keys:
        _, data = download(at, served, key)
        block, head, body = read_table(data)
        assert block["页面"] == TITLES[page], key
        assert str(block["生成时间"]).endswith("(UTC+08:00 Asia/Shanghai)"), key
        if key == "dl_xlsx_kpis":
            cards = {m.label: m.value for m in at.metric}
            for row in body:
                label = f"{row[0]} · {row[1]}"
                if label in cards:
                    assert cards[label] == row[2], label
            assert any(f"{r[0]} · {r[1]}" in cards for r in body)
            continue
        same = [s for s in screens if list(s.columns) == head and screen_rows(s) == body]
        assert same, f"{page} {key}: no screen table equals the file (headers {head})"


@pytest.mark.parametrize("page", ["collections", "early_warning"])
def test_every_monitoring_table_file_is_its_screen_table(
    monitoring: str, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    served = capture_served(monkeypatch)
    at = open_page(page, roles=("risk_committee",))
    assert_clean(at)
    screens = [frame.value for frame in at.dataframe]
    keys = table_buttons(at)
    assert keys
    for key in keys:
        _, data = download(at, served, key)
        _, head, body = read_table(data)
        same = [s for s in screens if list(s.columns) == head and screen_rows(s) == body]
        assert same, f"{page} {key}: no screen table equals the file (headers {head})"
        codes = {"phone", "visit", "sms", "letter", "legal"}
        assert not codes & {str(v) for row in body for v in row}, key


def test_the_at_risk_tables_files_are_their_screen_tables(
    risk: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """风险合同: the rule counts and the list, each file its screen table, in 万元 and words."""
    served = capture_served(monkeypatch)
    at = open_page("at_risk", roles=("risk_committee",))
    assert_clean(at)
    screens = [frame.value for frame in at.dataframe]
    for key in ("dl_xlsx_at_risk_counts", "dl_xlsx_at_risk"):
        _, data = download(at, served, key)
        block, head, body = read_table(data)
        assert block["页面"] == "风险合同", key
        same = [s for s in screens if list(s.columns) == head and screen_rows(s) == body]
        assert same, f"{key}: no screen table equals the file (headers {head})"
