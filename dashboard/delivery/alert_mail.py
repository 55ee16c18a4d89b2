"""The e-mails of alert events: one per event and recipient, in Chinese then English."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from alerts.outbox import ROBOT, Message, enqueue
from alerts.rules import is_event_rule
from alerts.state import CLEARED
from alerts.store import Announcement
from dashboard.delivery.contacts import alert_recipients, allowed_domains
from dashboard.delivery.words import (
    detail,
    figure_text,
    group_ids,
    headline,
    link_params,
    named_subjects,
)
from dashboard.i18n.catalogue import t
from queries.exposures import group_names
from warehouse.engine import create_warehouse_engine
from warehouse.settings import Settings

# Rules whose resolution is not mailed (the missed-filing rule, or the filing, says it).
SILENT_WHEN_RESOLVED: frozenset[str] = frozenset({"filing.t5", "filing.t1", "committee.review"})


def link(base_url: str, said: Announcement, lang: str) -> str:
    """The deep link to the page that shows the alert's figure (at its month-end)."""
    name = said.page.removesuffix(".py")
    query = urlencode(link_params(said.rule, said.subject, said.period, lang))
    return f"{base_url.rstrip('/')}/{name}?{query}"


def compose(
    said: Announcement, base_url: str, names: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """(subject, body) of one alert event: the figure, its value against its line, the month,
    the link; Chinese first, English below (`names`: what to call a subject, e.g. a group)."""
    row = {
        "rule": said.rule,
        "subject": said.subject,
        "value": said.value,
        "line": said.line,
        "first_period": said.period,
    }
    event = "resolved" if said.event == CLEARED else said.event
    if is_event_rule(said.rule):
        figure = detail(row, "zh", names)
    else:
        value, line = figure_text(said.rule, said.value), figure_text(said.rule, said.line)
        figure = f"{value}（线 {line}）· {said.period:%Y-%m}"
    subject = f"[Postloan {t(f'al.mail.{event}', 'zh')}] {headline(said.rule, 'zh')}：{figure}"
    parts = []
    for lang in ("zh", "en"):
        parts.append(
            f"{t(f'al.mail.{event}', lang)}: {headline(said.rule, lang)}\n"
            f"{detail(row, lang, names)}\n"
            f"{t('al.mail.open', lang)}: {link(base_url, said, lang)}"
        )
    return subject, "\n\n".join(parts) + "\n"


def queue_alert_mail(
    portal: Engine,
    announcements: Iterable[Announcement],
    settings: Settings,
    now: datetime,
    *,
    robot: bool = False,
    names: Mapping[str, str] | None = None,
) -> int:
    """Queue one e-mail per alert event and recipient, and with `robot` one chat-robot message
    per event (idempotent); the number queued. `names`: what to call a subject (`subject_names`)."""
    domains = allowed_domains(str(settings["delivery.allowed_domains"]))
    messages = []
    for said in announcements:
        if said.event == CLEARED and said.rule in SILENT_WHEN_RESOLVED:
            continue  # a submitted filing resolves its stages too: one message is enough
        subject, body = compose(said, str(settings["delivery.base_url"]), names)
        for username, address in alert_recipients(portal, said.rule, domains, said.subject):
            key = f"alert:{said.alert_id}:{said.event}:{said.period:%Y-%m}:{username}"
            messages.append(Message(key, "alert", username, address, subject, body))
        if robot:
            key = f"alert:{said.alert_id}:{said.event}:{said.period:%Y-%m}:{ROBOT}"
            messages.append(Message(key, "alert", ROBOT, ROBOT, subject, f"{subject}\n\n{body}"))
    return enqueue(portal, messages, now)


def subject_names(warehouse_url: str, announcements: Iterable[Announcement]) -> dict[str, str]:
    """What to call the announced subjects that have a name in the warehouse at
    `warehouse_url` (a group by its name and id); {} when it cannot be asked."""
    wanted = group_ids(said.subject for said in announcements)
    if not wanted:
        return {}
    engine = create_warehouse_engine(warehouse_url, read_only=True)
    try:
        return named_subjects(group_names(engine, wanted))
    except sa.exc.SQLAlchemyError:
        return {}  # a name is a courtesy: the message still reads by the id
    finally:
        engine.dispose()
