"""合同列表: deep links list the contracts behind a figure; forged params are ignored."""

from __future__ import annotations

from tests.dashboard.analytics_app import assert_clean, link_params, open_page, table_text


def _ids(at) -> list[str]:
    return list(at.dataframe[0].value["合同编号"]) if at.dataframe else []


def test_bucket_link_lists_its_contracts(analytics: str) -> None:
    at = open_page("contracts", {"bucket": "M4"})
    assert_clean(at)
    assert _ids(at) == ["A"]
    at = open_page("contracts", {"bucket": "M4", "as_of": "2024-05"})
    assert _ids(at) == ["B"]
    assert "1.20" in table_text(at)  # B's 12,000 outstanding in 万元


def test_segment_and_threshold(analytics: str) -> None:
    at = open_page(
        "contracts", {"segment": "product:direct_lease", "threshold": "90", "as_of": "2024-05"}
    )
    assert_clean(at)
    assert _ids(at) == ["B"]
    assert any("共 1 份合同" in m.value for m in at.markdown)


def test_forged_params_fall_back_to_all_open_contracts(analytics: str) -> None:
    at = open_page(
        "contracts",
        {"bucket": "M99", "segment": "secret:x", "roll": "M1:nowhere", "as_of": "2024-03"},
    )
    assert_clean(at)
    assert _ids(at) == ["B", "A", "C"]


def test_followed_from_the_overdue_page(analytics: str) -> None:
    params = link_params(open_page("overdue", {"as_of": "2024-05"}), "M3 · 1")
    at = open_page("contracts", params)
    assert_clean(at)
    assert _ids(at) == ["A"]
