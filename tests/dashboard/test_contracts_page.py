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


def test_vintage_point_lists_its_cohort_at_that_mob(analytics: str) -> None:
    """Cohort 2024-01 (A, B) at MOB 4 = May: B 12,000 before A 5,000. Quarter 2024Q1 at MOB 1,
    each at its own month: A and B in February, C in April (its closing row) → 3, and the
    criteria say which point it is."""
    at = open_page("contracts", {"vintage": "2024-01:4", "as_of": "2024-05"})
    assert_clean(at)
    assert _ids(at) == ["B", "A"]
    at = open_page("contracts", {"vintage": "2024Q1:1"})
    assert sorted(_ids(at)) == ["A", "B", "C"]
    assert any("共 3 份合同" in m.value for m in at.markdown)
    assert any("2024Q1" in m.value and "MOB 1" in m.value for m in at.markdown)
