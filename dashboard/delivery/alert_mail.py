"""The e-mails of alert events, in Chinese then English: one per event and recipient, or, for
several events of one rule told at once, one per rule and recipient listing them."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from alerts.groups import grouped, severity
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


def _row(said: Announcement) -> dict[str, object]:
    """The alert row `detail` words, from one announced event."""
    return {
        "rule": said.rule,
        "subject": said.subject,
        "value": said.value,
        "line": said.line,
        "first_period": said.period,
    }


def _event(said: Announcement) -> str:
    """The catalogue's word for the event (a cleared alert is told as resolved)."""
    return "resolved" if said.event == CLEARED else said.event


def compose(
    said: Announcement, base_url: str, names: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """(subject, body) of one alert event: the figure, its value against its line, the month,
    the link; Chinese first, English below (`names`: what to call a subject, e.g. a group)."""
    row = _row(said)
    event = _event(said)
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


def _worst_first(said: Announcement) -> tuple:
    return (-severity(said.rule, said.value, said.line), said.alert_id)


def compose_group(
    told: list[Announcement], base_url: str, names: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """(subject, body) of several events of one rule told at once (e.g. 44 large exposures
    with a signal): one message naming the rule and how many, then each alert worst first with
    its own link; Chinese first, English below."""
    first = told[0]
    event = _event(first)
    count = t("al.mail.count", "zh", n=len(told))
    subject = f"[Postloan {t(f'al.mail.{event}', 'zh')}] {headline(first.rule, 'zh')}：{count}"
    parts = []
    for lang in ("zh", "en"):
        lines = [
            f"{t(f'al.mail.{event}', lang)}: {headline(first.rule, lang)} · "
            f"{t('al.mail.count', lang, n=len(told))}"
        ]
        for said in told:
            lines.append(f"- {detail(_row(said), lang, names)}")
            lines.append(f"  {t('al.mail.open', lang)}: {link(base_url, said, lang)}")
        parts.append("\n".join(lines))
    return subject, "\n\n".join(parts) + "\n"


def _group_key(told: list[Announcement], recipient: str) -> str:
    """The idempotency key of one grouped message: the rule, event, month, how many and which
    alerts (a digest of their ids), and the recipient."""
    first = told[0]
    ids = ",".join(str(a) for a in sorted(said.alert_id for said in told))
    digest = hashlib.sha256(ids.encode()).hexdigest()[:16]
    return f"alert:{first.rule}:{first.event}:{first.period:%Y-%m}:{len(told)}x{digest}:{recipient}"


def _message(
    told: list[Announcement],
    recipient: str,
    address: str,
    base_url: str,
    names: Mapping[str, str] | None,
) -> Message:
    if len(told) == 1:
        said = told[0]
        subject, body = compose(said, base_url, names)
        key = f"alert:{said.alert_id}:{said.event}:{said.period:%Y-%m}:{recipient}"
    else:
        subject, body = compose_group(told, base_url, names)
        key = _group_key(told, recipient)
    if recipient == ROBOT:
        body = f"{subject}\n\n{body}"
    return Message(key, "alert", recipient, address, subject, body)


def queue_alert_mail(
    portal: Engine,
    announcements: Iterable[Announcement],
    settings: Settings,
    now: datetime,
    *,
    robot: bool = False,
    names: Mapping[str, str] | None = None,
) -> int:
    """Queue the e-mails of alert events and, with `robot`, the chat-robot messages
    (idempotent); the number queued. Events of one rule told at once (same event and month)
    go to each recipient as one message listing them, worst first (`compose_group`); a single
    event as its own message (`compose`). `names`: what to call a subject (`subject_names`)."""
    domains = allowed_domains(str(settings["delivery.allowed_domains"]))
    base_url = str(settings["delivery.base_url"])
    told = [
        said
        for said in announcements
        if not (said.event == CLEARED and said.rule in SILENT_WHEN_RESOLVED)
    ]  # a submitted filing resolves its stages too: one message is enough
    batches = grouped(told, lambda a: f"{a.rule}|{a.event}|{a.period:%Y-%m}", _worst_first)
    messages = []
    for batch in batches:
        mine: dict[tuple[str, str], list[Announcement]] = {}
        for said in batch:
            for username, address in alert_recipients(portal, said.rule, domains, said.subject):
                mine.setdefault((username, address), []).append(said)
        for (username, address), theirs in mine.items():
            messages.append(_message(theirs, username, address, base_url, names))
        if robot:
            messages.append(_message(batch, ROBOT, ROBOT, base_url, names))
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
