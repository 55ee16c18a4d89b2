"""合同列表 opened from the 预警与租赁物 charts (`device=`, `inspection=overdue`) on the monitoring
book (tests/queries/monitoring_books.py): DEV1 on A has offline events on 04-05 and 04-20, a
geofence exit on 05-03 and an abnormal stop on 05-04; DEV2 on B an abnormal stop on 04-01 and
an offline event on 06-12; at June, B's and D's inspections are overdue."""

from __future__ import annotations

from tests.dashboard.analytics_app import assert_clean, open_page
from tests.dashboard.monitoring_app import monitoring, monitoring_url

__all__ = ["monitoring", "monitoring_url"]


def _ids(at) -> list[str]:
    return sorted(at.dataframe[0].value["合同编号"]) if at.dataframe else []


def test_a_device_bar_lists_the_contracts_with_that_event_in_its_month(monitoring: str) -> None:
    at = open_page("contracts", {"device": "abnormal_stop", "as_of": "2024-04"})
    assert_clean(at)
    assert _ids(at) == ["B"]
    assert any("异常停机" in m.value for m in at.markdown)  # the criteria name the event
    assert _ids(open_page("contracts", {"device": "abnormal_stop", "as_of": "2024-05"})) == ["A"]
    assert _ids(open_page("contracts", {"device": "offline", "as_of": "2024-04"})) == ["A"]
    assert _ids(open_page("contracts", {"device": "geofence_exit", "as_of": "2024-06"})) == []


def test_an_overdue_inspection_bar_lists_the_overdue_contracts(monitoring: str) -> None:
    at = open_page("contracts", {"inspection": "overdue"})
    assert_clean(at)
    assert _ids(at) == ["B", "D"]
    assert any("共 2 份合同" in m.value for m in at.markdown)


def test_a_findings_bar_lists_the_contracts_inspected_with_that_finding(monitoring: str) -> None:
    """June: missing -> E; March: damaged -> B; a forged status lists the open book instead."""
    at = open_page("contracts", {"finding": "missing"})
    assert_clean(at)
    assert _ids(at) == ["E"]
    assert any("灭失/下落不明" in m.value for m in at.markdown)
    assert _ids(open_page("contracts", {"finding": "damaged", "as_of": "2024-03"})) == ["B"]
