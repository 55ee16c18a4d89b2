"""租赁物 Leased assets: IoT device status over time (inspections: `queries/inspections.py`).

Definitions (docs/monitoring.md):
- A *fitted device* at a month-end is a device that has reported at least one event by then, on
  a contract with a row at that month-end (on the book that month). Offline rate = fitted devices
  with an `offline` event in the month ÷ fitted devices. Geofence exits and abnormal stops are
  counted as events and as devices.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from queries.filters import Filters, where
from queries.measures import add_ratio
from queries.monitoring_scope import (
    LIST_LIMIT,
    check_months,
    scoped_contracts,
    settings_and_build,
    stored_covers,
    timestamps,
)
from warehouse.marts.devices import ALERTS, EVENTS, MEASURES, device_counts, device_rows
from warehouse.months import month_end_of
from warehouse.schema import contract_month, device_alert_month, device_month

__all__ = [
    "ALERTS",
    "alert_statement",
    "device_alert_contracts",
    "device_statement",
    "device_status",
]


def _month_ends(frame: pd.DataFrame) -> pd.DataFrame:
    frame.insert(0, "month_end", [month_end_of(int(i)) for i in frame["month_idx"]])
    return frame.drop(columns=["month_idx"])


def device_statement(filters: Filters, months: int, stored: bool = False) -> sa.Select:
    """Per month-end the `warehouse.marts.devices.MEASURES`; `stored` sums `device_month` (right
    only for an as-of the build reached: see `monitoring_scope.stored_covers`)."""
    first = filters.as_of_idx - check_months(months) + 1
    if stored:
        dm = device_month
        return (
            sa.select(
                dm.c.month_idx,
                *(sa.func.coalesce(sa.func.sum(dm.c[m]), 0).label(m) for m in MEASURES),
            )
            .where(
                dm.c.month_idx >= first, dm.c.month_idx <= filters.as_of_idx, *where(filters, dm)
            )
            .group_by(dm.c.month_idx)
            .order_by(dm.c.month_idx)
        )
    d = device_rows(first, filters.as_of_idx, where(filters, contract_month))
    return (
        sa.select(d.c.month_idx, *device_counts(d)).group_by(d.c.month_idx).order_by(d.c.month_idx)
    )


def device_status(engine: Engine, filters: Filters, months: int = 24) -> pd.DataFrame:
    """Per month-end: fitted devices, offline devices and rate, geofence exits, abnormal stops."""
    _, built = settings_and_build(engine)
    frame = fetch_frame(engine, device_statement(filters, months, stored_covers(filters, built)))
    for column in MEASURES:
        frame[column] = frame[column].astype("int64")
    add_ratio(frame, "offline_rate", "offline_devices", "devices")
    return _month_ends(frame)


def device_alert_contracts(
    engine: Engine, filters: Filters, event_type: str = "offline", limit: int = LIST_LIMIT
) -> pd.DataFrame:
    """Contracts with `event_type` events in the as-of month: devices, events, last event."""
    if event_type not in ALERTS:
        raise ValueError(f"event_type must be one of {ALERTS}")
    _, built = settings_and_build(engine)
    return fetch_frame(
        engine, alert_statement(filters, event_type, limit, stored_covers(filters, built))
    )


def alert_statement(
    filters: Filters, event_type: str, limit: int = LIST_LIMIT, stored: bool = False
) -> sa.Select:
    """The as-of month's contracts with `event_type` events, most events first; `stored` reads
    `device_alert_month` (right only for an as-of the build reached: `stored_covers`)."""
    cap = max(1, min(int(limit), 1000))
    total = sa.func.count().over().label("total_rows")
    if stored:
        a = device_alert_month
        return (
            sa.select(
                a.c.contract_id,
                a.c.lessee_id,
                a.c.branch,
                a.c.asset_category,
                a.c.devices,
                a.c.events,
                a.c.last_event_time,
                total,
            )
            .where(
                a.c.month_idx == filters.as_of_idx,
                a.c.event_type == event_type,
                a.c.cohort_month <= filters.as_of,  # started by the as-of, as `scoped_contracts`
                *where(filters, a),
            )
            .order_by(a.c.events.desc(), a.c.contract_id)
            .limit(cap)
        )
    e, sc = EVENTS, scoped_contracts(filters)
    lo, hi = timestamps(filters, 1)
    return (
        sa.select(
            e.c.contract_id,
            sc.c.lessee_id,
            sc.c.branch,
            sc.c.asset_category,
            sa.func.count(sa.distinct(e.c.device_id)).label("devices"),
            sa.func.count().label("events"),
            sa.func.max(e.c.event_time).label("last_event_time"),
            total,
        )
        .select_from(e.join(sc, sc.c.contract_id == e.c.contract_id))
        .where(e.c.event_type == event_type, e.c.event_time >= lo, e.c.event_time < hi)
        .group_by(e.c.contract_id, sc.c.lessee_id, sc.c.branch, sc.c.asset_category)
        .order_by(sa.literal_column("events").desc(), e.c.contract_id)
        .limit(cap)
    )
