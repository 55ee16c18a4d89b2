"""The build-time monitoring tables answer exactly as the live statements they replace.

On the book of `monitoring_books.py` (see `test_leased_assets.py` and
`test_collections_compliance.py` for the hand-worked figures), every slice — as-ofs the build
reached, windows, segments, cohorts and branch scopes — gives the same rows by both routes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import collections_compliance as compliance
from queries import inspections, leased_assets, warnings
from queries.execute import fetch_frame
from queries.filters import Filters, where
from queries.monitoring_scope import settings_and_build, stored_covers
from tests.queries.monitoring_books import ENGINES, built_engine
from warehouse.marts.compliance import COLUMNS, FLAGS
from warehouse.marts.devices import ALERTS
from warehouse.marts.inspection import OVERDUE_COLUMNS, inspection_settings, overdue_rows
from warehouse.schema import (
    collection_flags,
    contract_segments,
    device_alert_month,
    device_month,
    inspection_findings_month,
    inspection_month,
    inspection_overdue,
    lead_time_facts,
    signal_scope,
)

SLICES = [
    (Filters(as_of=date(2024, 6, 30)), 12),
    (Filters(as_of=date(2024, 6, 30)), 3),
    (Filters(as_of=date(2024, 5, 31)), 6),
    (Filters(as_of=date(2024, 4, 30)), 1),
    (Filters(as_of=date(2024, 6, 30), scope=("BJ",)), 12),
    (Filters(as_of=date(2024, 6, 30), scope=("SH",)), 12),
    (Filters(as_of=date(2024, 6, 30), scope=()), 12),
    (Filters(as_of=date(2024, 6, 30), product=("direct_lease",)), 12),
    (Filters(as_of=date(2024, 6, 30), cohort_from=date(2024, 2, 29)), 12),
    (Filters(as_of=date(2024, 4, 30)), 2),
    (Filters(as_of=date(2024, 3, 31)), 1),
]
IDS = [f"{f.as_of:%Y-%m}-{m}m-{i}" for i, (f, m) in enumerate(SLICES)]


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The monitoring book, built once per engine."""
    yield from built_engine(request, tmp_path_factory.mktemp("stored"))


def _rows(engine: Engine, stmt: sa.Select) -> list[tuple[int, ...]]:
    return [tuple(int(v) for v in row) for row in fetch_frame(engine, stmt).itertuples(index=False)]


@pytest.mark.parametrize(("filters", "months"), SLICES, ids=IDS)
def test_inspection_month_equals_the_live_coverage(
    engine: Engine, filters: Filters, months: int
) -> None:
    """`inspection_month` (the build's counts) and the live range join give the same rows."""
    settings, built = settings_and_build(engine)
    assert stored_covers(filters, built)
    live = inspections.coverage_statement(filters, months, settings, stored=False)
    stored = inspections.coverage_statement(filters, months, settings, stored=True)
    assert _rows(engine, stored) == _rows(engine, live)


def test_inspection_month_holds_the_builds_month_ends(engine: Engine) -> None:
    """The build counted April to June (5 assets each, docs of test_leased_assets.py)."""
    im = inspection_month
    stmt = (
        sa.select(im.c.month_idx, sa.func.sum(im.c.assets))
        .where(im.c.month_idx >= 2024 * 12 + 3)
        .group_by(im.c.month_idx)
        .order_by(im.c.month_idx)
    )
    assert [n for _, n in _rows(engine, stmt)] == [5, 5, 5]


def test_stored_counts_answer_only_up_to_the_builds_as_of(engine: Engine) -> None:
    """An as-of after the build's (or no build) goes live."""
    _, built = settings_and_build(engine)
    assert built == date(2024, 6, 30)
    assert not stored_covers(Filters(as_of=date(2024, 7, 31)), built)
    assert not stored_covers(Filters(as_of=date(2024, 6, 30)), None)


def _actions(engine: Engine, f: sa.Subquery) -> list[tuple[object, ...]]:
    stmt = sa.select(*(f.c[c] for c in COLUMNS)).order_by(f.c.action_id)
    return [tuple(r) for r in fetch_frame(engine, stmt).itertuples(index=False)]


@pytest.mark.parametrize(("filters", "months"), SLICES, ids=IDS)
def test_collection_flags_equal_the_live_flags(
    engine: Engine, filters: Filters, months: int
) -> None:
    """Every flag raises the same actions from `collection_flags` as from the live statements."""
    settings, _ = settings_and_build(engine)
    for flag in FLAGS:
        live = compliance.flagged_actions(filters, flag, months, settings, stored=False)
        stored = compliance.flagged_actions(filters, flag, months, settings, stored=True)
        assert _actions(engine, stored) == _actions(engine, live), flag


def test_collection_flags_hold_the_hand_worked_actions(engine: Engine) -> None:
    """The build flagged the actions of test_collections_compliance.py (whole history)."""
    cf = collection_flags
    stmt = sa.select(cf.c.flag, cf.c.action_id).order_by(cf.c.flag, cf.c.action_id)
    got: dict[str, list[str]] = {}
    for flag, action in fetch_frame(engine, stmt).itertuples(index=False):
        got.setdefault(flag, []).append(action)
    assert got == {
        "agency_without_notice": ["B4"],
        "outside_window": ["A2", "A4"],
        "over_daily_cap": ["B8"],
        "third_party": ["B2", "C4"],
    }


@pytest.mark.parametrize(("filters", "months"), SLICES, ids=IDS)
def test_device_month_equals_the_live_device_status(
    engine: Engine, filters: Filters, months: int
) -> None:
    """`device_month` (the build's counts) and the live event reads give the same rows."""
    stored = leased_assets.device_statement(filters, months, stored=True)
    live = leased_assets.device_statement(filters, months, stored=False)
    assert _rows(engine, stored) == _rows(engine, live)


def test_device_month_holds_the_fitted_devices(engine: Engine) -> None:
    """Fitted devices Feb 1, Mar 1, Apr 2, May 2, Jun 2 (test_leased_assets.py)."""
    dm = device_month
    stmt = (
        sa.select(dm.c.month_idx, sa.func.sum(dm.c.devices))
        .group_by(dm.c.month_idx)
        .order_by(dm.c.month_idx)
    )
    assert [n for _, n in _rows(engine, stmt)] == [1, 1, 2, 2, 2]


def _lead(engine: Engine, filters: Filters, severity: str, stored: bool) -> list[tuple]:
    lt = warnings.lead_times(filters, severity, stored=stored)
    stmt = sa.select(lt).order_by(lt.c.lessee_id)
    frame = fetch_frame(engine, stmt).astype(object)
    return [tuple(None if pd.isna(v) else v for v in r) for r in frame.itertuples(index=False)]


@pytest.mark.parametrize(("filters", "months"), SLICES, ids=IDS)
@pytest.mark.parametrize("severity", ["high", "medium"])
def test_lead_time_facts_equal_the_live_lead_times(
    engine: Engine, filters: Filters, months: int, severity: str
) -> None:
    """Every lessee's first signal, first 90+, lead and group are the same from
    `lead_time_facts` as from the live signals × contracts (the window does not apply)."""
    assert _lead(engine, filters, severity, True) == _lead(engine, filters, severity, False)


def test_lead_time_facts_hold_the_hand_worked_firsts(engine: Engine) -> None:
    """Firsts of test_warnings.py: high S3 (LA, on A), S1 (LB, lessee-wide), S5 (LD, on D);
    medium adds S2 (LB's first on B: S1 names no contract, so it is kept beside it) and S6
    (LE, on E); first 90+ B 05-31, D 02-29, E 04-30. LC's signal is low, LF and LG have none."""
    lt = lead_time_facts
    stmt = sa.select(
        lt.c.kind,
        lt.c.level,
        lt.c.lessee_id,
        lt.c.branch,
        lt.c.event_date,
        lt.c.signal_id,
        lt.c.source,
        lt.c.contract_id,
    ).order_by(lt.c.kind, lt.c.level, lt.c.lessee_id, lt.c.event_date)
    got = [tuple(r) for r in fetch_frame(engine, stmt).astype(object).itertuples(index=False)]
    got = [tuple(None if pd.isna(v) else v for v in r) for r in got]
    assert got == [
        ("over90", None, "LB", "SH", date(2024, 5, 31), None, None, "B"),
        ("over90", None, "LD", "SH", date(2024, 2, 29), None, None, "D"),
        ("over90", None, "LE", "SH", date(2024, 4, 30), None, None, "E"),
        ("signal", "high", "LA", "SH", date(2024, 2, 15), "S3", "iot", "A"),
        ("signal", "high", "LB", "SH", date(2024, 1, 20), "S1", "tax", None),
        ("signal", "high", "LD", "SH", date(2024, 3, 10), "S5", "financial", "D"),
        ("signal", "medium", "LA", "SH", date(2024, 2, 15), "S3", "iot", "A"),
        ("signal", "medium", "LB", "SH", date(2024, 1, 20), "S1", "tax", None),
        ("signal", "medium", "LB", "SH", date(2024, 3, 1), "S2", "court", "B"),
        ("signal", "medium", "LD", "SH", date(2024, 3, 10), "S5", "financial", "D"),
        ("signal", "medium", "LE", "SH", date(2024, 2, 1), "S6", "internal", "E"),
    ]


def _overdue(engine: Engine, rows: sa.FromClause) -> list[tuple]:
    stmt = sa.select(*(rows.c[c] for c in OVERDUE_COLUMNS)).order_by(rows.c.contract_id)
    frame = fetch_frame(engine, stmt).astype(object)
    return [tuple(None if pd.isna(v) else v for v in r) for r in frame.itertuples(index=False)]


@pytest.mark.parametrize(
    "filters", [f for f, _ in SLICES if f.as_of == date(2024, 6, 30)], ids=lambda f: repr(f)[:60]
)
def test_inspection_overdue_equals_the_live_list(engine: Engine, filters: Filters) -> None:
    """At the build's as-of, `inspection_overdue` under the filters holds the live rows."""
    settings, _ = settings_and_build(engine)
    interval, floor = inspection_settings(settings)
    live = overdue_rows(filters.as_of_idx, interval, floor, where(filters, contract_segments))
    o = inspection_overdue
    stored = sa.select(o).where(*where(filters, o)).subquery("stored")
    assert _overdue(engine, stored) == _overdue(engine, live)


def test_inspection_overdue_holds_the_hand_worked_assets(engine: Engine) -> None:
    """June (test_leased_assets.py): B, last inspected 03-10, and D, 05-01 (exactly 60 days)."""
    o = inspection_overdue
    stmt = sa.select(o.c.contract_id, o.c.last_inspection).order_by(o.c.contract_id)
    got = [tuple(r) for r in fetch_frame(engine, stmt).itertuples(index=False)]
    assert got == [("B", date(2024, 3, 10)), ("D", date(2024, 5, 1))]


@pytest.mark.parametrize(("filters", "months"), SLICES, ids=IDS)
def test_inspection_findings_month_equals_the_live_findings(
    engine: Engine, filters: Filters, months: int
) -> None:
    """`inspection_findings_month` summed and the live inspections × contracts join agree."""
    stored = inspections.findings_statement(filters, months, stored=True)
    live = inspections.findings_statement(filters, months, stored=False)
    assert _rows_any(engine, stored) == _rows_any(engine, live)


def _rows_any(engine: Engine, stmt: sa.Select) -> list[tuple]:
    return [
        (int(r[0]), r[1], *(int(v) for v in r[2:]))
        for r in fetch_frame(engine, stmt).itertuples(index=False)
    ]


def test_inspection_findings_month_holds_the_hand_worked_inspections(engine: Engine) -> None:
    """I2 B damaged in March; I1 A and I3 D normal in May (two groups: other cohorts); I5 C idle
    (branch BJ) and I4 E missing in June: one inspection of one contract each."""
    fm = inspection_findings_month
    stmt = sa.select(
        fm.c.month_idx - 2024 * 12 + 1,
        fm.c.asset_status,
        fm.c.branch,
        fm.c.inspections,
        fm.c.contracts,
    ).order_by(fm.c.month_idx, fm.c.asset_status, fm.c.cohort_month)
    got = [tuple(r) for r in fetch_frame(engine, stmt).itertuples(index=False)]
    assert [(int(m), st, b, int(n), int(c)) for m, st, b, n, c in got] == [
        (3, "damaged", "SH", 1, 1),
        (5, "normal", "SH", 1, 1),
        (5, "normal", "SH", 1, 1),
        (6, "idle", "BJ", 1, 1),
        (6, "missing", "SH", 1, 1),
    ]


@pytest.mark.parametrize(("filters", "months"), SLICES, ids=IDS)
def test_signal_scope_equals_the_live_signals(
    engine: Engine, filters: Filters, months: int
) -> None:
    """Signals and lessees per month × source × severity: `signal_scope` and the live match of
    signals to the contracts in scope agree."""
    stored = warnings.signals_statement(filters, months, stored=True)
    live = warnings.signals_statement(filters, months, stored=False)
    got = [tuple(r) for r in fetch_frame(engine, stored).itertuples(index=False)]
    assert got == [tuple(r) for r in fetch_frame(engine, live).itertuples(index=False)]


def test_signal_scope_holds_each_signal_on_its_groups(engine: Engine) -> None:
    """S2, S3, S5, S6 on their contracts (B, A, D, E); the lessee-wide S1 on LB's one group and
    S4 on LC's (branch BJ): every lessee holds one contract in the book."""
    ss = signal_scope
    stmt = sa.select(ss.c.signal_id, ss.c.contract_id, ss.c.branch).order_by(ss.c.signal_id)
    got = [tuple(r) for r in fetch_frame(engine, stmt).astype(object).itertuples(index=False)]
    assert [tuple(None if pd.isna(v) else v for v in r) for r in got] == [
        ("S1", None, "SH"),
        ("S2", "B", "SH"),
        ("S3", "A", "SH"),
        ("S4", None, "BJ"),
        ("S5", "D", "SH"),
        ("S6", "E", "SH"),
    ]


@pytest.mark.parametrize(("filters", "months"), SLICES, ids=IDS)
@pytest.mark.parametrize("event_type", ALERTS)
def test_device_alert_month_equals_the_live_alert_list(
    engine: Engine, filters: Filters, months: int, event_type: str
) -> None:
    """The as-of month's alert contracts: `device_alert_month` and the live events × contracts
    join give the same rows in the same order (the window does not apply)."""
    stored = leased_assets.alert_statement(filters, event_type, stored=True)
    live = leased_assets.alert_statement(filters, event_type, stored=False)
    got = [tuple(r) for r in fetch_frame(engine, stored).itertuples(index=False)]
    assert got == [tuple(r) for r in fetch_frame(engine, live).itertuples(index=False)]


def test_device_alert_month_holds_the_hand_worked_events(engine: Engine) -> None:
    """DEV1 on A: offline 04-05 and 04-20, geofence exit 05-03, abnormal stop 05-04; DEV2 on B:
    abnormal stop 04-01, offline 06-12 (DEV1's low-utilisation event is no alert)."""
    a = device_alert_month
    stmt = sa.select(
        a.c.month_idx - 2024 * 12 + 1,
        a.c.event_type,
        a.c.contract_id,
        a.c.devices,
        a.c.events,
        a.c.last_event_time,
    ).order_by(a.c.month_idx, a.c.event_type, a.c.contract_id)
    got = [
        (int(m), t, c, int(d), int(n), last.date())
        for m, t, c, d, n, last in fetch_frame(engine, stmt).itertuples(index=False)
    ]
    assert got == [
        (4, "abnormal_stop", "B", 1, 1, date(2024, 4, 1)),
        (4, "offline", "A", 1, 2, date(2024, 4, 20)),
        (5, "abnormal_stop", "A", 1, 1, date(2024, 5, 4)),
        (5, "geofence_exit", "A", 1, 1, date(2024, 5, 3)),
        (6, "offline", "B", 1, 1, date(2024, 6, 12)),
    ]
