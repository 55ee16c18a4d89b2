"""The e-mails of alert events: one per event and recipient, in Chinese then English."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.engine import Engine

from alerts.outbox import Message, enqueue
from alerts.state import CLEARED
from alerts.store import Announcement
from dashboard.delivery.contacts import alert_recipients, allowed_domains
from dashboard.delivery.words import detail, headline
from dashboard.i18n.catalogue import t
from dashboard.page.format import pct
from warehouse.settings import Settings


def link(base_url: str, page: str, period: datetime | object, lang: str) -> str:
    """The deep link to `page` at the alert's month-end."""
    name = page.removesuffix(".py")
    return f"{base_url.rstrip('/')}/{name}?as_of={period:%Y-%m}&lang={lang}"


def compose(said: Announcement, base_url: str) -> tuple[str, str]:
    """(subject, body) of one alert event: the figure, its value against its line, the month,
    the link; Chinese first, English below."""
    row = {
        "rule": said.rule,
        "subject": said.subject,
        "value": said.value,
        "line": said.line,
        "first_period": said.period,
    }
    event = "resolved" if said.event == CLEARED else said.event
    subject = (
        f"[Postloan {t(f'al.mail.{event}', 'zh')}] {headline(said.rule, 'zh')}：{pct(said.value)}"
        f"（线 {pct(said.line)}）· {said.period:%Y-%m}"
    )
    parts = []
    for lang in ("zh", "en"):
        parts.append(
            f"{t(f'al.mail.{event}', lang)}: {headline(said.rule, lang)}\n{detail(row, lang)}\n"
            f"{t('al.mail.open', lang)}: {link(base_url, said.page, said.period, lang)}"
        )
    return subject, "\n\n".join(parts) + "\n"


def queue_alert_mail(
    portal: Engine, announcements: Iterable[Announcement], settings: Settings, now: datetime
) -> int:
    """Queue one e-mail per alert event and recipient (idempotent); the number queued."""
    domains = allowed_domains(str(settings["delivery.allowed_domains"]))
    messages = []
    for said in announcements:
        subject, body = compose(said, str(settings["delivery.base_url"]))
        for username, address in alert_recipients(portal, said.rule, domains):
            key = f"alert:{said.alert_id}:{said.event}:{said.period:%Y-%m}:{username}"
            messages.append(Message(key, "alert", username, address, subject, body))
    return enqueue(portal, messages, now)
