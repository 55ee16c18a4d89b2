"""Where messages go and what was sent: users' e-mail addresses and the delivery log.

`deliveries` is the outbox and the log in one: a message is queued once per idempotency key
(unique: an alert event per recipient, a subscription per period), claimed by one sender at a time
(`status` moves queued → sending under a lease), then marked sent, retried with back-off, or failed
for an admin to see. The SHA-256 of each attachment is kept with it. Times are UTC.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.portal import portal_metadata

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"

user_contacts = sa.Table(
    "user_contacts",
    portal_metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("email", sa.String(254), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False, comment="UTC"),
    comment="the address each account's messages go to",
)

deliveries = sa.Table(
    "deliveries",
    portal_metadata,
    sa.Column("delivery_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("idem_key", sa.String(200), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False, comment="alert, subscription, test"),
    sa.Column("username", sa.String(64), nullable=False, comment="the recipient"),
    sa.Column("address", sa.String(254), nullable=False),
    sa.Column("subject", sa.String(300), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, comment="queued, sending, sent, failed"),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.DateTime, nullable=False, comment="UTC"),
    sa.Column("lease_until", sa.DateTime, nullable=True, comment="UTC, while sending"),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Column("attachments", sa.Text, nullable=False, default="[]", comment="JSON name, sha256"),
    sa.Column("created_at", sa.DateTime, nullable=False, comment="UTC"),
    sa.Column("sent_at", sa.DateTime, nullable=True, comment="UTC"),
    comment="outbox and delivery log; one row per message and recipient",
)

subscriptions = sa.Table(
    "subscriptions",
    portal_metadata,
    sa.Column("sub_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, comment="the recipient and owner"),
    sa.Column("pack", sa.String(40), nullable=False, comment="executive_weekly, at_risk"),
    sa.Column("schedule", sa.String(40), nullable=False, comment="e.g. weekly MON 08:00"),
    sa.Column("lang", sa.String(2), nullable=False, default="zh"),
    sa.Column(
        "view", sa.String(500), nullable=False, default="", comment="the page's filters, URL form"
    ),
    sa.Column("paused", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime, nullable=False, comment="UTC"),
    sa.Column("updated_at", sa.DateTime, nullable=False, comment="UTC"),
    comment="who receives which pack when; rendered as that user sees it",
)
