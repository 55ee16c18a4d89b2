"""dashboard.data.source.StoreUnavailable: the one error loaders raise for a store that cannot be
read, and the page message it becomes (the same words as before there was one error)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from dashboard.data import cached
from dashboard.data.source import StoreUnavailable, WarehouseState, loaded, reading
from dashboard.i18n.catalogue import t
from queries.filters import Filters
from tests.dashboard.test_data_quality_page import _open, warehouse

EMPTY = WarehouseState("empty", "duckdb:///nowhere.duckdb")
JUNE = Filters(as_of=date(2024, 6, 30))


def _down(*args: object, **kwargs: object) -> None:
    raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))


def test_a_driver_error_is_store_unavailable_with_its_class_name() -> None:
    with pytest.raises(StoreUnavailable) as caught, reading():
        _down()
    assert caught.value.detail == "OperationalError"
    assert "connection refused" in str(caught.value)
    assert isinstance(caught.value.__cause__, sa.exc.OperationalError)


def test_no_load_to_read_is_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable, match="no load to read: warehouse is empty") as caught:
        loaded(EMPTY)
    assert caught.value.detail == "empty"
    with pytest.raises(StoreUnavailable):
        cached.query(EMPTY, "portfolio.kpis", JUNE)
    with pytest.raises(StoreUnavailable):
        cached.choices(EMPTY)


def test_an_unknown_query_is_still_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown query 'kpis'"):
        cached.query(EMPTY, "kpis", JUNE)


def test_data_quality_says_the_store_of_runs_is_down(
    warehouse: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dashboard.views.quality.list_runs", _down)
    at = _open("dq.down")
    assert not at.exception
    assert t("dq.store_down", "zh", error="OperationalError") in [w.value for w in at.warning]


__all__ = ["warehouse"]  # the fixture, used by name
