"""Build step: IoT device status per month-end × segments × cohort, counted once per build.

A *fitted device* at a month-end is a device that has reported at least one event by then, on a
contract with a row at that month-end; per month it counts its `offline`, `geofence_exit` and
`abnormal_stop` events (docs/monitoring.md). Finding each device's first event and joining it to
every month of its contract reads the whole `device_events` table and `contract_month` per page
view. The build counts every month-end up to its as-of into `device_month`;
`queries.leased_assets.device_status` sums that table for an as-of the build reached and runs
`device_rows` live otherwise. Both routes sum the rows of the one statement below.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse import schema
from warehouse.months import month_end_of, month_idx, month_index
from warehouse.settings import Settings

NAME = "device status"
EVENTS = schema.SOURCE_TABLES["device_events"]
ALERTS: tuple[str, ...] = ("offline", "geofence_exit", "abnormal_stop")
MEASURES: tuple[str, ...] = (
    "devices",
    "offline_devices",
    "geofence_exits",
    "geofence_devices",
    "abnormal_stops",
    "abnormal_stop_devices",
)


def device_rows(
    first_idx: int, last_idx: int, clauses: Sequence[sa.ColumnElement[bool]] = ()
) -> sa.Subquery:
    """Fitted devices at the month-ends `first_idx` to `last_idx` on `contract_month` rows
    meeting `clauses`: month, segments, cohort and the month's alert counts per device."""
    e, cm = EVENTS, schema.contract_month
    lo = datetime.combine(month_end_of(first_idx - 1) + timedelta(days=1), time())
    hi = datetime.combine(month_end_of(last_idx) + timedelta(days=1), time())
    emonth = month_index(e.c.event_time)
    first = (
        sa.select(e.c.device_id, e.c.contract_id, sa.func.min(emonth).label("first_idx"))
        .where(e.c.event_time < hi)
        .group_by(e.c.device_id, e.c.contract_id)
        .subquery("first_seen")
    )
    fitted = (
        sa.select(
            first.c.device_id,
            cm.c.month_idx,
            *(cm.c[name] for name in schema.SEGMENT_COLUMNS),
            cm.c.cohort_month,
        )
        .select_from(first.join(cm, cm.c.contract_id == first.c.contract_id))
        .where(
            cm.c.month_idx >= sa.func.greatest(first.c.first_idx, first_idx),
            cm.c.month_idx <= last_idx,
            *clauses,
        )
        .subquery("fitted")
    )

    def count_of(kind: str) -> sa.Label:
        return sa.func.sum(sa.case((e.c.event_type == kind, 1), else_=0)).label(kind)

    monthly = (
        sa.select(e.c.device_id, emonth.label("month_idx"), *(count_of(k) for k in ALERTS))
        .where(e.c.event_time >= lo, e.c.event_time < hi)
        .group_by(e.c.device_id, emonth)
        .subquery("monthly")
    )
    return (
        sa.select(fitted, *(monthly.c[k] for k in ALERTS))
        .select_from(
            fitted.outerjoin(
                monthly,
                sa.and_(
                    monthly.c.device_id == fitted.c.device_id,
                    monthly.c.month_idx == fitted.c.month_idx,
                ),
            )
        )
        .subquery("device_rows")
    )


def device_counts(d: sa.Subquery) -> list[sa.Label]:
    """The `MEASURES` over rows of `device_rows`."""

    def devices(col: sa.ColumnElement) -> sa.ColumnElement:
        return sa.func.coalesce(sa.func.sum(sa.case((col > 0, 1), else_=0)), 0)

    def events(col: sa.ColumnElement) -> sa.ColumnElement:
        return sa.func.coalesce(sa.func.sum(col), 0)

    return [
        sa.func.count().label("devices"),
        devices(d.c.offline).label("offline_devices"),
        events(d.c.geofence_exit).label("geofence_exits"),
        devices(d.c.geofence_exit).label("geofence_devices"),
        events(d.c.abnormal_stop).label("abnormal_stops"),
        devices(d.c.abnormal_stop).label("abnormal_stop_devices"),
    ]


def write_device_status(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `device_month` for every month-end up to `as_of` (no setting applies)."""
    first = conn.execute(sa.select(sa.func.min(schema.month_ends.c.month_idx))).scalar()
    d = device_rows(month_idx(as_of) if first is None else first, month_idx(as_of))
    keys = [d.c.month_idx, *(d.c[name] for name in schema.SEGMENT_COLUMNS), d.c.cohort_month]
    stmt = sa.select(*keys, *device_counts(d)).group_by(*keys)
    columns = [c.name for c in stmt.selected_columns]
    conn.execute(sa.insert(schema.device_month).from_select(columns, stmt))


ALERT_NAME = "device alerts"


def alert_statement() -> sa.Select:
    """Per month × alert event type × contract: devices with such events, events and the last
    event's time, with the contract's lessee, segments and cohort (every loaded event)."""
    e, cs = EVENTS, schema.contract_segments
    emonth = month_index(e.c.event_time).label("month_idx")
    keys = [
        emonth,
        e.c.event_type,
        e.c.contract_id,
        cs.c.lessee_id,
        *(cs.c[n] for n in schema.SEGMENT_COLUMNS),
        cs.c.cohort_month,
    ]
    return (
        sa.select(
            *keys,
            sa.func.count(sa.distinct(e.c.device_id)).label("devices"),
            sa.func.count().label("events"),
            sa.func.max(e.c.event_time).label("last_event_time"),
        )
        .select_from(e.join(cs, cs.c.contract_id == e.c.contract_id))
        .where(e.c.event_type.in_(ALERTS))
        .group_by(*keys)
    )


def write_device_alerts(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `device_alert_month` from every loaded device event (no setting applies)."""
    stmt = alert_statement()
    columns = [c.name for c in stmt.selected_columns]
    conn.execute(sa.insert(schema.device_alert_month).from_select(columns, stmt))
