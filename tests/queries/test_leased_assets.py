"""IoT device status and inspections on the book of `monitoring_books.py`.

Devices: DEV1 (A) first reports 02-10; DEV2 (B) 04-01. A and B have rows every month to June.
Fitted devices: Feb 1, Mar 1, Apr 2, May 2, Jun 2. April: DEV1 offline twice (one device),
DEV2 one abnormal stop; May: DEV1 one geofence exit and one abnormal stop; June: DEV2 offline.
Offline rate: Feb 0, Mar 0, Apr 1/2, May 0, Jun 1/2.

Inspections (minimum value 5,000, interval 60 days): needing inspection are open contracts above
5,000: A 6,000, B 12,000, D 6,000, E 6,000, F 6,000 from May, and G 6,000 until April (it
closes in May, so its May row is not open); C 3,000 is below.
- June (cutoff 06-30 − 60 = 05-01, covered after it): A (05-20) and E (06-15) covered; B (last
  03-10) and D (05-01, exactly 60 days) overdue; F started 05-10, after the cutoff: not yet due.
  Coverage 2 / 4.
- May (cutoff 04-01): A (05-20) and D (05-01) covered; B (03-10) and E (none) overdue; F not
  yet due. Coverage 2 / 4.
- April (cutoff 03-01): B (03-10) covered; A, D, E, G (none; all started by 03-01) overdue.
  Coverage 1 / 5.
Findings: Mar damaged (B); May normal ×2 (A, D); Jun idle (C), missing (E).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from queries import inspections, leased_assets
from queries.filters import Filters
from tests.queries.monitoring_books import ENGINES, built_engine

AS_OF = Filters(as_of=date(2024, 6, 30))


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The monitoring book, built once per engine."""
    yield from built_engine(request, tmp_path_factory.mktemp("assets"))


def test_device_status_per_month(engine: Engine) -> None:
    """See the module docstring: fitted devices, offline devices, exits and stops per month."""
    frame = leased_assets.device_status(engine, AS_OF, months=6)
    got = {
        r["month_end"].isoformat()[:7]: (
            r["devices"],
            r["offline_devices"],
            r["geofence_exits"],
            r["abnormal_stops"],
            r["offline_rate"],
        )
        for r in frame.to_dict("records")
    }
    half = Decimal("0.5")
    assert got == {
        "2024-02": (1, 0, 0, 0, Decimal(0)),
        "2024-03": (1, 0, 0, 0, Decimal(0)),
        "2024-04": (2, 1, 0, 1, half),
        "2024-05": (2, 0, 1, 1, Decimal(0)),
        "2024-06": (2, 1, 0, 0, half),
    }


def test_device_alert_contracts_in_the_as_of_month(engine: Engine) -> None:
    """June: B's DEV2 went offline once; no geofence exit in June."""
    offline = leased_assets.device_alert_contracts(engine, AS_OF, "offline")
    assert list(
        offline[["contract_id", "devices", "events"]].itertuples(index=False, name=None)
    ) == [("B", 1, 1)]
    assert leased_assets.device_alert_contracts(engine, AS_OF, "geofence_exit").empty


def test_inspection_coverage_per_month_end(engine: Engine) -> None:
    """April 5 needing (G still open), 1 covered, 4 overdue; May and June 5 needing (G closed,
    F new), 2 covered, 2 overdue, 1 not yet due (F). Coverage 1/5, 1/2, 1/2."""
    frame = inspections.inspection_coverage(engine, AS_OF, months=3)
    got = {
        r["month_end"].isoformat()[:7]: (
            r["assets"],
            r["covered"],
            r["overdue"],
            r["not_yet_due"],
            r["coverage_rate"],
        )
        for r in frame.to_dict("records")
    }
    assert got == {
        "2024-04": (5, 1, 4, 0, Decimal("0.2")),
        "2024-05": (5, 2, 2, 1, Decimal("0.5")),
        "2024-06": (5, 2, 2, 1, Decimal("0.5")),
    }
    assert set(frame["interval_days"]) == {60}
    assert set(frame["min_asset_value"]) == {Decimal("5000.00")}


def test_overdue_inspection_contracts_longest_uninspected_first(engine: Engine) -> None:
    """June: B (last 03-10) then D (last 05-01)."""
    frame = inspections.inspection_contracts(engine, AS_OF, "overdue")
    assert list(frame["contract_id"]) == ["B", "D"]
    assert list(frame["last_inspection"]) == [date(2024, 3, 10), date(2024, 5, 1)]
    assert set(frame["total_rows"]) == {2}


def test_abnormal_findings_by_month_and_status(engine: Engine) -> None:
    """Mar damaged 1; May normal 2; Jun idle 1 and missing 1."""
    frame = inspections.abnormal_findings(engine, AS_OF)
    got = {
        (r["month_end"].isoformat()[:7], r["asset_status"]): r["inspections"]
        for r in frame.to_dict("records")
    }
    assert got == {
        ("2024-03", "damaged"): 1,
        ("2024-05", "normal"): 2,
        ("2024-06", "idle"): 1,
        ("2024-06", "missing"): 1,
    }


def test_abnormal_inspection_contracts_latest_first(engine: Engine) -> None:
    """E (06-15 missing), C (06-01 idle), B (03-10 damaged)."""
    frame = inspections.inspection_contracts(engine, AS_OF, "abnormal")
    assert list(frame["contract_id"]) == ["E", "C", "B"]
    assert list(frame["asset_status"]) == ["missing", "idle", "damaged"]


def test_filters_apply_to_devices_and_inspections(engine: Engine) -> None:
    """Scope BJ (contract C only): no device; no contract above the value; C's idle finding."""
    bj = Filters(as_of=date(2024, 6, 30), scope=("BJ",))
    assert leased_assets.device_status(engine, bj).empty
    assert inspections.inspection_coverage(engine, bj).empty
    assert list(inspections.inspection_contracts(engine, bj, "abnormal")["contract_id"]) == ["C"]


def test_unknown_list_kinds_are_refused(engine: Engine) -> None:
    """Event types and inspection lists outside their allow-lists raise ValueError."""
    with pytest.raises(ValueError, match="event_type"):
        leased_assets.device_alert_contracts(engine, AS_OF, "low_utilisation")
    with pytest.raises(ValueError, match="kind"):
        inspections.inspection_contracts(engine, AS_OF, "everything")


def test_overdue_inspection_contracts_on_an_earlier_as_of(engine: Engine) -> None:
    """April (cutoff 03-01, read live: not the build's as-of): A, D, E and G, none inspected by
    April 30 (A's, D's and E's inspections come later), so in contract order."""
    april = Filters(as_of=date(2024, 4, 30))
    frame = inspections.inspection_contracts(engine, april, "overdue")
    assert list(frame["contract_id"]) == ["A", "D", "E", "G"]
    assert frame["last_inspection"].isna().all()


def test_finding_contracts_of_one_status_in_the_as_of_month(engine: Engine) -> None:
    """June: C idle (06-01), E missing (06-15), nothing damaged; March: B damaged (03-10)."""
    idle = inspections.finding_contracts(engine, AS_OF, "idle")
    assert list(idle["contract_id"]) == ["C"] and list(idle["total_rows"]) == [1]
    assert list(idle["inspection_date"]) == [date(2024, 6, 1)]
    assert list(inspections.finding_contracts(engine, AS_OF, "missing")["contract_id"]) == ["E"]
    assert inspections.finding_contracts(engine, AS_OF, "damaged").empty
    march = Filters(as_of=date(2024, 3, 31))
    assert list(inspections.finding_contracts(engine, march, "damaged")["contract_id"]) == ["B"]
    with pytest.raises(ValueError, match="status must be one of"):
        inspections.finding_contracts(engine, AS_OF, "on fire")
