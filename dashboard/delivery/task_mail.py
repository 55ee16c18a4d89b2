"""The e-mails of task events (`tasks.notify`): one per event and recipient, Chinese then English.

Queued in the alerts outbox under `task:<id>:<event>:<event id or due date>:<username>`, so the
scheduler may ask every round and a person still hears of each event once; the sender delivers
them like every alert. A recipient without an address, or one outside the allowed domains, gets
no e-mail (the task centre still shows the task).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from sqlalchemy.engine import Engine

from alerts.outbox import Message, enqueue
from dashboard.delivery.contacts import addresses, allowed_domains, check_address
from dashboard.i18n.catalogue import CATALOGUE, t
from tasks.departments import department_name
from tasks.notify import Notice, notices
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


def queue_task_mail(
    portal: Engine, settings: Settings, now: datetime, since: int | None = None
) -> tuple[int, int | None]:
    """Queue the e-mails of every task notice due at `now` (UTC) after event `since`; the number
    queued and the last event id read (the next round's `since`)."""
    today = now.replace(tzinfo=UTC).astimezone(display_zone(settings)).date()
    found, last = notices(portal, now, today, since)
    domains = allowed_domains(str(settings["delivery.allowed_domains"]))
    known = addresses(portal)
    base = str(settings["delivery.base_url"])
    messages = []
    for notice in found:
        subject, body = compose(notice, base)
        for username in notice.recipients:
            try:
                address = check_address(known.get(username, ""), domains)
            except ValueError:
                continue  # no address, or not in an allowed domain any more
            key = f"{notice.key}:{username}"
            messages.append(Message(key, "task", username, address, subject, body))
    return enqueue(portal, messages, now), last
