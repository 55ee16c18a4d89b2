"""The outbox: queue a message once per key, claim it for one sender, mark it sent or retry.

Queuing is idempotent: the same key (an alert event for one recipient, a subscription's period
for one recipient) is queued at most once, however often it is asked for, even by two processes
at once (the key is unique). A sender claims a due message by moving it from queued to sending
in one conditional UPDATE, so two senders never take the same one; a claim carries a lease, and a
message whose sender died mid-claim is queued again when its lease runs out, or at once when the
next scheduler starts (`recover`). A failure is retried
after 1, 2, 4 … minutes (at most an hour) up to `MAX_ATTEMPTS`, then kept as failed for an admin.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from warehouse.portal.deliveries import FAILED, QUEUED, SENDING, SENT, deliveries

MAX_ATTEMPTS = 5
ROBOT = "webhook"  # the recipient of a group chat robot's messages (alerts.webhook)
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Message:
    """One message for one recipient, with the key that makes queuing it idempotent."""

    key: str
    kind: str
    username: str
    address: str
    subject: str
    body: str
    attachments: tuple[tuple[str, bytes], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Claimed:
    """A message a sender holds: its row id, attempt number and content."""

    delivery_id: int
    attempts: int
    message: Message


def enqueue(engine: Engine, messages: Iterable[Message], now: datetime) -> int:
    """Queue each message whose key is new; the number queued (0 for keys already known)."""
    queued = 0
    for m in messages:
        row = {
            "idem_key": m.key[:200],
            "kind": m.kind,
            "username": m.username,
            "address": m.address,
            "subject": m.subject[:300],
            "body": m.body,
            "status": QUEUED,
            "attempts": 0,
            "next_attempt_at": now,
            "attachments": "[]",
            "created_at": now,
        }
        try:
            with engine.begin() as conn:
                conn.execute(deliveries.insert().values(**row))
            queued += 1
        except sa.exc.IntegrityError:
            continue  # queued before (or by another process just now): nothing to do
    return queued


def claim(
    engine: Engine, now: datetime, limit: int = 50, *, robot: bool | None = None
) -> list[Claimed]:
    """Take up to `limit` due messages for this sender (queued and due, or a lapsed lease);
    `robot` True takes only a chat robot's messages, False only e-mails, None both."""
    d = deliveries
    due = sa.or_(
        sa.and_(d.c.status == QUEUED, d.c.next_attempt_at <= now),
        sa.and_(d.c.status == SENDING, d.c.lease_until < now),
    )
    if robot is not None:
        due = sa.and_(due, (d.c.username == ROBOT) if robot else (d.c.username != ROBOT))
    with engine.connect() as conn:
        ids = [
            r.delivery_id
            for r in conn.execute(
                sa.select(d.c.delivery_id).where(due).order_by(d.c.delivery_id).limit(limit)
            )
        ]
    taken: list[Claimed] = []
    for delivery_id in ids:
        with engine.begin() as conn:
            won = conn.execute(
                d.update()
                .where(d.c.delivery_id == delivery_id, due)
                .values(status=SENDING, lease_until=now + LEASE, attempts=d.c.attempts + 1)
            ).rowcount
            if won != 1:
                continue  # another sender took it first
            row = conn.execute(sa.select(d).where(d.c.delivery_id == delivery_id)).one()
        message = Message(row.idem_key, row.kind, row.username, row.address, row.subject, row.body)
        taken.append(Claimed(delivery_id, row.attempts, message))
    return taken


def recover(engine: Engine) -> int:
    """Queue again every message left mid-send by a sender that died; how many.

    Only the holder of the scheduler lock calls this (no other sender can be running), so a
    message still marked sending was being handed over when its sender ended: the SMTP server
    most likely never accepted it, and sending it again is how it is not lost.
    """
    with engine.begin() as conn:
        return conn.execute(
            deliveries.update()
            .where(deliveries.c.status == SENDING)
            .values(status=QUEUED, lease_until=None)
        ).rowcount


def mark_sent(
    engine: Engine, delivery_id: int, now: datetime, attachments: list[dict[str, str]]
) -> None:
    """The message went out: keep when, and each attachment's name and SHA-256."""
    with engine.begin() as conn:
        conn.execute(
            deliveries.update()
            .where(deliveries.c.delivery_id == delivery_id)
            .values(
                status=SENT,
                sent_at=now,
                lease_until=None,
                last_error=None,
                attachments=json.dumps(attachments, ensure_ascii=False),
            )
        )


def backoff(attempts: int) -> timedelta:
    """The wait before the next try after `attempts` failed ones: 1, 2, 4 … minutes, ≤ 1 hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def mark_failed(
    engine: Engine, claimed: Claimed, now: datetime, error: str, max_attempts: int = MAX_ATTEMPTS
) -> str:
    """A try failed: queue it again after its back-off, or keep it as failed; the new status."""
    status = FAILED if claimed.attempts >= max_attempts else QUEUED
    with engine.begin() as conn:
        conn.execute(
            deliveries.update()
            .where(deliveries.c.delivery_id == claimed.delivery_id)
            .values(
                status=status,
                lease_until=None,
                last_error=error[:2000],
                next_attempt_at=now + backoff(claimed.attempts),
            )
        )
    return status


def log(engine: Engine, status: str | None = None, limit: int = 200) -> pd.DataFrame:
    """The newest deliveries (of one `status`, or all), newest first."""
    d = deliveries
    stmt = sa.select(d).order_by(d.c.delivery_id.desc()).limit(limit)
    if status is not None:
        stmt = stmt.where(d.c.status == status)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), dtype=object)
