"""The rectification ledger (整改台账) in the portal store: one row per finding episode, and its
append-only history.

A finding is something that must be put right: a blocking data-check failure, a validation
finding of a filing, a filed report that had to be corrected (`tasks.rectification` reads them).
`finding_key` names the finding (`check:<check id>`, `validation:<report>:<period>:<rule>`,
`correction:<version id>`); `source_key` = finding key + `#` + episode is unique, so the database
itself refuses a second item for the same finding even with two syncs at once. A finding that
returns after its item was closed *and* after it had gone away is a new episode (`#2`, …).
`finding_present` says whether the last sync still saw the finding: an item whose finding
disappeared stays open until someone closes it with evidence and a second person's sign-off.
Every change is one `rectification_events` row in the same transaction. Times are UTC; `deadline`
is a calendar date (working days Mon–Fri from the day the item was made).
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.portal import append_only, portal_metadata

SOURCES: tuple[str, ...] = ("data_check", "validation", "correction")
STATUSES: tuple[str, ...] = ("open", "in_progress", "submitted", "closed", "overdue")
OPEN_STATUSES: tuple[str, ...] = ("open", "in_progress", "overdue")
"""Statuses in which the owner still has to act (submitted waits for the sign-off)."""

rectification_items = sa.Table(
    "rectification_items",
    portal_metadata,
    sa.Column("item_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source_key", sa.String(260), nullable=False, unique=True, comment="finding#n"),
    sa.Column("finding_key", sa.String(240), nullable=False, comment="the finding, any episode"),
    sa.Column("source", sa.String(16), nullable=False, comment="data_check, validation, …"),
    sa.Column("title", sa.String(300), nullable=False, comment="inert text"),
    sa.Column("description", sa.Text, nullable=False, comment="inert text"),
    sa.Column("branch", sa.String(64), nullable=True, comment="NULL: the whole institution"),
    sa.Column("department", sa.String(32), nullable=False),
    sa.Column("owner", sa.String(64), nullable=True, comment="NULL: not assigned yet"),
    sa.Column("deadline", sa.Date, nullable=False, comment="working days from creation"),
    sa.Column("status", sa.String(16), nullable=False, comment="open, in_progress, …, closed"),
    sa.Column("evidence", sa.Text, nullable=True, comment="the owner's proof of closure"),
    sa.Column("submitted_by", sa.String(64), nullable=True),
    sa.Column("submitted_at", sa.DateTime, nullable=True, comment="UTC"),
    sa.Column("closed_by", sa.String(64), nullable=True, comment="the second person signing off"),
    sa.Column("closed_at", sa.DateTime, nullable=True, comment="UTC"),
    sa.Column("finding_present", sa.Boolean, nullable=False, comment="seen by the last sync"),
    sa.Column("created_at", sa.DateTime, nullable=False, comment="UTC"),
    sa.Column("updated_at", sa.DateTime, nullable=False, comment="UTC"),
    sa.Index("ix_rectification_items_finding", "finding_key"),
    sa.Index("ix_rectification_items_status", "status", "deadline"),
    comment="one rectification item per finding episode; closed items stay",
)

rectification_events = append_only(
    sa.Table(
        "rectification_events",
        portal_metadata,
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "item_id",
            sa.Integer,
            sa.ForeignKey("rectification_items.item_id"),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("actor", sa.String(64), nullable=False, comment="username or system"),
        sa.Column("action", sa.String(16), nullable=False, comment="created, assigned, …"),
        sa.Column("detail", sa.Text, nullable=True, comment="JSON"),
        sa.Index("ix_rectification_events_item", "item_id"),
        comment="append-only history of every rectification item",
    )
)
