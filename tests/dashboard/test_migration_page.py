"""资产质量迁徙 on the built portfolio book: May → June.

G12 (month): A special_mention 5,000 → substandard 5,000 (0.50 万元); B substandard 12,000 is
written off in June → reduced 1.20 万元. Roll rates: A M3 → M4, B M4 → written_off (100% each).
"""

from __future__ import annotations

from urllib.parse import parse_qs

from tests.dashboard.analytics_app import (
    assert_clean,
    link_params,
    links,
    open_page,
    table_text,
)


def test_matrix_cells_are_links_to_their_contracts(analytics: str) -> None:
    at = open_page("migration")
    assert_clean(at)
    shown = links(at)
    assert "0.50" in shown and "1.20" in shown
    params = link_params(at, "1.20")
    assert params["migration"] == ["month:substandard:reduced"]
    contracts = open_page("contracts", params)
    assert_clean(contracts)
    assert list(contracts.dataframe[0].value["合同编号"]) == ["B"]


def test_views_and_roll_rate_drill(analytics: str) -> None:
    at = open_page("migration")
    at.radio(key="mg_view").set_value("contracts").run()
    assert_clean(at)
    assert links(at).count("1") >= 2
    at.radio(key="mg_view").set_value("row_share").run()
    assert "100.00%" in links(at)
    rolls = [parse_qs(el.proto.query_string).get("roll") for el in at.main.get("page_link")]
    assert sorted(r[0] for r in rolls if r) == ["M3:M4", "M4:written_off"]
    contracts = open_page("contracts", {"roll": "M4:written_off"})
    assert list(contracts.dataframe[0].value["合同编号"]) == ["B"]
    assert "1.20" in table_text(contracts)


def test_period_selector_changes_the_matrix(analytics: str) -> None:
    at = open_page("migration")
    at.radio(key="mg_period").set_value("ytd").run()
    assert_clean(at)
    # Year to date from 2023-12-31: nothing was open then, so A is new business (0.50).
    params = link_params(at, "0.50")
    assert params["migration"] == ["ytd:new_business:substandard"]
