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
    scoped_contracts,
    timestamps,
)
from warehouse.months import month_end_of, month_index
from warehouse.schema import SOURCE_TABLES, contract_month

EVENTS = SOURCE_TABLES["device_events"]
ALERTS: tuple[str, ...] = ("offline", "geofence_exit", "abnormal_stop")


def _month_ends(frame: pd.DataFrame) -> pd.DataFrame:
    frame.insert(0, "month_end", [month_end_of(int(i)) for i in frame["month_idx"]])
    return frame.drop(columns=["month_idx"])


def device_status(engine: Engine, filters: Filters, months: int = 24) -> pd.DataFrame:
    """Per month-end: fitted devices, offline devices and rate, geofence exits, abnormal stops."""
    e, cm = EVENTS, contract_month
    _, hi = timestamps(filters, months)
    emonth = month_index(e.c.event_time)
    first = (
        sa.select(e.c.device_id, e.c.contract_id, sa.func.min(emonth).label("first_idx"))
        .where(e.c.event_time < hi)
        .group_by(e.c.device_id, e.c.contract_id)
        .subquery("first_seen")
    )
    lo_idx = filters.as_of_idx - months + 1
    fitted = (
        sa.select(first.c.device_id, cm.c.month_idx)
        .select_from(first.join(cm, cm.c.contract_id == first.c.contract_id))
        .where(
            cm.c.month_idx >= sa.func.greatest(first.c.first_idx, lo_idx),
            cm.c.month_idx <= filters.as_of_idx,
            *where(filters, cm),
        )
        .subquery("fitted")
    )

    def count_of(kind: str) -> sa.Label:
        return sa.func.sum(sa.case((e.c.event_type == kind, 1), else_=0)).label(kind)

    monthly = (
        sa.select(e.c.device_id, emonth.label("month_idx"), *(count_of(k) for k in ALERTS))
        .where(e.c.event_time >= timestamps(filters, months)[0], e.c.event_time < hi)
        .group_by(e.c.device_id, emonth)
        .subquery("monthly")
    )

    def devices(col: sa.ColumnElement) -> sa.Label:
        return sa.func.coalesce(sa.func.sum(sa.case((col > 0, 1), else_=0)), 0)

    def events(col: sa.ColumnElement) -> sa.Label:
        return sa.func.coalesce(sa.func.sum(col), 0)

    stmt = (
        sa.select(
            fitted.c.month_idx,
            sa.func.count().label("devices"),
            devices(monthly.c.offline).label("offline_devices"),
            events(monthly.c.geofence_exit).label("geofence_exits"),
            devices(monthly.c.geofence_exit).label("geofence_devices"),
            events(monthly.c.abnormal_stop).label("abnormal_stops"),
            devices(monthly.c.abnormal_stop).label("abnormal_stop_devices"),
        )
        .select_from(
            fitted.outerjoin(
                monthly,
                sa.and_(
                    monthly.c.device_id == fitted.c.device_id,
                    monthly.c.month_idx == fitted.c.month_idx,
                ),
            )
        )
        .group_by(fitted.c.month_idx)
        .order_by(fitted.c.month_idx)
    )
    frame = fetch_frame(engine, stmt)
    add_ratio(frame, "offline_rate", "offline_devices", "devices")
    return _month_ends(frame)


def device_alert_contracts(
    engine: Engine, filters: Filters, event_type: str = "offline", limit: int = LIST_LIMIT
) -> pd.DataFrame:
    """Contracts with `event_type` events in the as-of month: devices, events, last event."""
    if event_type not in ALERTS:
        raise ValueError(f"event_type must be one of {ALERTS}")
    e, sc = EVENTS, scoped_contracts(filters)
    lo, hi = timestamps(filters, 1)
    stmt = (
        sa.select(
            e.c.contract_id,
            sc.c.lessee_id,
            sc.c.branch,
            sc.c.asset_category,
            sa.func.count(sa.distinct(e.c.device_id)).label("devices"),
            sa.func.count().label("events"),
            sa.func.max(e.c.event_time).label("last_event_time"),
            sa.func.count().over().label("total_rows"),
        )
        .select_from(e.join(sc, sc.c.contract_id == e.c.contract_id))
        .where(e.c.event_type == event_type, e.c.event_time >= lo, e.c.event_time < hi)
        .group_by(e.c.contract_id, sc.c.lessee_id, sc.c.branch, sc.c.asset_category)
        .order_by(sa.literal_column("events").desc(), e.c.contract_id)
        .limit(max(1, min(int(limit), 1000)))
    )
    return fetch_frame(engine, stmt)
