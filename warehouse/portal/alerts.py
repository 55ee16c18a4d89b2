"""The alerts' tables in the portal store: one row per episode, and its append-only history.

An episode opens when a rule is first breached for a subject and ends when it resolves (the rules
of `alerts.state`; the writes are `alerts.store`). `alerts.open_key` ("rule|subject") is set while
the episode is open and cleared when it resolves; it is unique, so the database itself holds at
most one open alert per rule and subject, even with two evaluations at once. Every change is one
`alert_events` row written in the same transaction. Times are UTC.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.portal import append_only, portal_metadata

alerts = sa.Table(
    "alerts",
    portal_metadata,
    sa.Column("alert_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("rule", sa.String(64), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False, comment="book, or kind:key"),
    sa.Column("status", sa.String(16), nullable=False, comment="pending, firing, …, resolved"),
    sa.Column("breaches", sa.Integer, nullable=False, comment="breached periods in a row"),
    sa.Column("first_period", sa.Date, nullable=False),
    sa.Column("last_period", sa.Date, nullable=False),
    sa.Column("value", sa.String(40), nullable=True, comment="exact decimal text"),
    sa.Column("line", sa.String(40), nullable=True, comment="exact decimal text"),
    sa.Column("page", sa.String(40), nullable=False, comment="page script showing the figure"),
    sa.Column("opened_at", sa.DateTime, nullable=False, comment="UTC"),
    sa.Column("fired_at", sa.DateTime, nullable=True, comment="UTC"),
    sa.Column("resolved_at", sa.DateTime, nullable=True, comment="UTC"),
    sa.Column("snoozed_until", sa.DateTime, nullable=True, comment="UTC"),
    sa.Column("open_key", sa.String(280), nullable=True, unique=True, comment="rule|subject"),
    comment="alert episodes; at most one open per rule and subject",
)

alert_events = append_only(
    sa.Table(
        "alert_events",
        portal_metadata,
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("alert_id", sa.Integer, sa.ForeignKey("alerts.alert_id"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False, comment="username or system"),
        sa.Column("period", sa.Date, nullable=True),
        sa.Column("value", sa.String(40), nullable=True),
        comment="append-only history of every alert",
    )
)

alert_runs = append_only(
    sa.Table(
        "alert_runs",
        portal_metadata,
        sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("as_of", sa.Date, nullable=False, comment="the month-end evaluated"),
        sa.Column("rules", sa.Integer, nullable=False),
        sa.Column("figures", sa.Integer, nullable=False),
        sa.Column("breached", sa.Integer, nullable=False),
        sa.Column("missing", sa.Text, nullable=False, comment="JSON: rules with no figure"),
        comment="one row per evaluation of the alert rules",
    )
)
