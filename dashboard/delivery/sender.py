"""Send what is due: claim, hand to the SMTP server, record; every delivery audited."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.engine import Engine

from alerts.mail import MailError, SmtpConfig, build, send
from alerts.outbox import MAX_ATTEMPTS, Message, claim, mark_failed, mark_sent
from alerts.webhook import WebhookConfig, post
from warehouse.portal.audit import record


@dataclass(frozen=True)
class Round:
    """What one sending round did."""

    sent: int
    retrying: int
    failed: int


Attach = Callable[[Message], tuple[tuple[str, bytes], ...]]


def deliver_due(
    portal: Engine,
    config: SmtpConfig | None,
    clock: Callable[[], datetime],
    *,
    attach: Attach | None = None,
    webhook: WebhookConfig | None = None,
    limit: int = 50,
    max_attempts: int = MAX_ATTEMPTS,
) -> Round:
    """Send every due message (up to `limit` of each kind), one at a time, each recorded as it
    goes: e-mails through `config`, a chat robot's messages through `webhook`.

    Without an SMTP server (`config` None) no e-mail is claimed, without a robot no robot message,
    so nothing queued is lost. `attach` renders a message's files when it is sent (a
    subscription's pack); a message whose files cannot be made is retried like one the server
    refused. Each message is marked sent right after the server accepts it.
    """
    done = Round(0, 0, 0)
    if config is not None:
        done = _round(
            portal,
            clock,
            False,
            limit,
            max_attempts,
            attach,
            lambda m: send(build(m, config), config),
        )
    if webhook is not None:
        more = _round(
            portal, clock, True, limit, max_attempts, None, lambda m: post(m.body, webhook)
        )
        done = Round(
            done.sent + more.sent, done.retrying + more.retrying, done.failed + more.failed
        )
    return done


def _round(
    portal: Engine,
    clock: Callable[[], datetime],
    robot: bool,
    limit: int,
    max_attempts: int,
    attach: Attach | None,
    hand_over: Callable[[Message], None],
) -> Round:
    sent = retrying = failed = 0
    for _ in range(limit):
        claimed = claim(portal, clock(), 1, robot=robot)  # one at a time: a killed sender holds one
        if not claimed:
            break
        held = claimed[0]
        try:
            files = attach(held.message) if attach is not None else ()
            hand_over(replace(held.message, attachments=files))
        except (MailError, ValueError, PermissionError, LookupError) as exc:
            status = mark_failed(portal, held, clock(), str(exc), max_attempts)
            failed += status == "failed"
            retrying += status == "queued"
            continue
        hashes = [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest()} for name, data in files
        ]
        mark_sent(portal, held.delivery_id, clock(), hashes)
        record(
            portal,
            actor="system",
            action="delivery",
            target=held.message.key,
            details={
                "kind": held.message.kind,
                "recipient": held.message.username,
                "address": held.message.address,
                "attachments": hashes,
            },
        )
        sent += 1
    return Round(sent, retrying, failed)
