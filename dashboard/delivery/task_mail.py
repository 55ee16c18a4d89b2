"""The e-mails of task events (`tasks.notify`): one per event and recipient, Chinese then English.

Queued in the alerts outbox under `task:<id>:<event>:<event id or due date>:<username>` (a queue
digest: `tasks:queue:<department>:<day>:<username>`), so the scheduler may ask every round and a
person still hears of each event once; the sender delivers them like every alert. A recipient
without an address, or one outside the allowed domains, gets no e-mail (the task centre still
shows the task).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode

from sqlalchemy.engine import Engine

from alerts.outbox import Message, enqueue
from dashboard.delivery.contacts import addresses, allowed_domains, check_address
from dashboard.i18n.catalogue import CATALOGUE, t
from tasks.departments import department_name
from tasks.notify import Digest, Notice, latest_event, notices, queued_keys
from warehouse.settings import Settings, display_zone


def _name(prefix: str, code: str, lang: str) -> str:
    key = f"tk.{prefix}.{code}"
    return t(key, lang) if key in CATALOGUE else code


def link(base_url: str, task_id: int, lang: str) -> str:
    """The deep link that opens the task in 任务中心."""
    return f"{base_url.rstrip('/')}/tasks?{urlencode({'task': task_id, 'lang': lang})}"


def compose(notice: Notice, base_url: str) -> tuple[str, str]:
    """(subject, body) of one task notice, Chinese first, English below."""
    parts = []
    for lang in ("zh", "en"):
        line = t(
            "tk.mail.line",
            lang,
            id=notice.task_id,
            kind=_name("kind", notice.kind, lang),
            step=_name("step", notice.step, lang),
            contract=notice.contract_id or "—",
            department=department_name(notice.department, lang),
            priority=notice.priority,
            due=f"{notice.due_date:%Y-%m-%d}",
        )
        said = [f"{t(f'tk.mail.{notice.event}', lang)}: {line}"]
        if notice.actor:
            said.append(t("tk.mail.by", lang, actor=notice.actor))
        said.append(f"{t('tk.mail.open', lang)}: {link(base_url, notice.task_id, lang)}")
        parts.append("\n".join(said))
    kind, step = _name("kind", notice.kind, "zh"), _name("step", notice.step, "zh")
    title = t("tk.title", "zh", id=notice.task_id, kind=kind, step=step)
    subject = f"[Postloan {t(f'tk.mail.{notice.event}', 'zh')}] {title}"
    return subject, "\n\n".join(parts) + "\n"


def compose_digest(digest: Digest, base_url: str) -> tuple[str, str]:
    """(subject, body) of one person's daily queue digest, Chinese first, English below."""
    parts = []
    for lang in ("zh", "en"):
        line = t(
            "tk.mail.digest_line",
            lang,
            department=department_name(digest.department, lang),
            soon=digest.due_tomorrow,
            late=digest.overdue,
        )
        url = f"{base_url.rstrip('/')}/tasks?{urlencode({'lang': lang})}"
        parts.append(f"{line}\n{t('tk.mail.open_queue', lang)}: {url}")
    name = department_name(digest.department, "zh")
    subject = f"[Postloan {t('tk.mail.digest', 'zh')}] {name}"
    return subject, "\n\n".join(parts) + "\n"


@dataclass
class TaskMailState:
    """What the scheduler remembers between rounds: the last task event told, the local day."""

    last_event: int | None = None
    day: date | None = None


def queue_task_mail(
    portal: Engine, settings: Settings, now: datetime, state: TaskMailState | None = None
) -> int:
    """Queue the e-mails of every task notice and queue digest due at `now` (UTC); the number
    queued. With `state` (the scheduler's) only events after the last one told are read, and the
    due dates are scanned only on a new local day or after new events."""
    state = state if state is not None else TaskMailState()
    today = now.replace(tzinfo=UTC).astimezone(display_zone(settings)).date()
    newest = latest_event(portal)
    scan = state.day != today or state.last_event is None or newest != state.last_event
    found, digests, last = notices(portal, now, today, state.last_event, scan_due=scan)
    domains = allowed_domains(str(settings["delivery.allowed_domains"]))
    known = addresses(portal)
    base = str(settings["delivery.base_url"])
    messages = []

    def add(key: str, username: str, subject: str, body: str) -> None:
        try:
            address = check_address(known.get(username, ""), domains)
        except ValueError:
            return  # no address, or not in an allowed domain any more
        messages.append(Message(key, "task", username, address, subject, body))

    for notice in found:
        subject, body = compose(notice, base)
        for username in notice.recipients:
            add(f"{notice.key}:{username}", username, subject, body)
    for digest in digests:
        subject, body = compose_digest(digest, base)
        add(f"{digest.key}:{digest.username}", digest.username, subject, body)
    sent_before = queued_keys(portal, [m.key for m in messages])
    queued = enqueue(portal, [m for m in messages if m.key not in sent_before], now)
    state.last_event, state.day = last, today
    return queued
