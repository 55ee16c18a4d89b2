"""The scheduler: one process beside the server that evaluates the alerts and sends what is due.

One instance per portal store, enforced by a lock the operating system or the database releases
when the process ends (however it ends): an exclusive `flock` on `<store>.scheduler.lock` beside a
SQLite store, a session advisory lock on PostgreSQL. Each round it evaluates the alert rules when
a new load has arrived or an hour has passed, queues their e-mails and every subscription whose
time has come, and the task notices due (`dashboard.delivery.task_mail`), then sends everything due.
A round that fails is reported and the next one tries again; nothing queued is lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from alerts.mail import SmtpConfig
from alerts.outbox import Message, recover
from alerts.run import evaluate
from alerts.webhook import WebhookConfig
from dashboard.delivery.alert_mail import queue_alert_mail, subject_names
from dashboard.delivery.sender import Round, deliver_due
from dashboard.delivery.subscriptions import attachments, queue_due
from dashboard.delivery.task_mail import TaskMailState, queue_task_mail
from queries.loads import latest_load
from warehouse.engine import create_warehouse_engine
from warehouse.portal import portal_engine, portal_url
from warehouse.settings import Settings, load_settings, secrets_section

ADVISORY_KEY = 0x706F73746C6F616E  # "postloan": the scheduler's PostgreSQL advisory lock
EVALUATE_EVERY = timedelta(hours=1)


class AlreadyRunning(RuntimeError):
    """Another scheduler holds the lock of this portal store."""


@contextlib.contextmanager
def single_instance(store_url: str) -> Iterator[None]:
    """Hold the scheduler lock of the portal store at `store_url` for the block."""
    url = make_url(store_url)
    if url.get_backend_name() == "sqlite":
        path = Path(f"{url.database}.scheduler.lock")
        with path.open("a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise AlreadyRunning(f"another scheduler holds {path}") from exc
            yield
        return
    engine = sa.create_engine(store_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            taken = conn.execute(sa.select(sa.func.pg_try_advisory_lock(ADVISORY_KEY))).scalar()
            if not taken:
                raise AlreadyRunning("another scheduler holds this database's scheduler lock")
            try:
                yield
            finally:
                conn.execute(sa.select(sa.func.pg_advisory_unlock(ADVISORY_KEY)))
    finally:
        engine.dispose()


@dataclass
class Scheduler:
    """The rounds of one scheduler process (state: the last load evaluated and when)."""

    warehouse_url: str
    clock: Callable[[], datetime]
    settings: Callable[[], Settings] = load_settings
    smtp: Callable[[], SmtpConfig | None] = field(
        default=lambda: SmtpConfig.from_secrets(secrets_section("smtp"))
    )
    robot: Callable[[], WebhookConfig | None] = field(
        default=lambda: WebhookConfig.from_secrets(secrets_section("webhook"))
    )
    last_load: int | None = None
    last_evaluated: datetime | None = None
    task_mail: TaskMailState = field(default_factory=TaskMailState)  # what tasks were told

    def _latest_load_id(self) -> int | None:
        engine = create_warehouse_engine(self.warehouse_url, read_only=True)
        try:
            load = latest_load(engine)
        finally:
            engine.dispose()
        return None if load is None else load.load_id

    def evaluate_if_due(self, portal: Engine) -> int:
        """Evaluate the alerts after a new load or an hour; the e-mails queued."""
        now = self.clock()
        load_id = self._latest_load_id()
        stale = self.last_evaluated is None or now - self.last_evaluated >= EVALUATE_EVERY
        if load_id is None or (load_id == self.last_load and not stale):
            return 0
        settings = self.settings()
        done = evaluate(self.warehouse_url, settings, now)
        self.last_load, self.last_evaluated = load_id, now
        robot = self.robot() is not None
        names = subject_names(self.warehouse_url, done.announcements)
        return queue_alert_mail(portal, done.announcements, settings, now, robot=robot, names=names)

    def round(self) -> Round:
        """One round: evaluate the alerts when due, queue them and the subscriptions due, send
        what is due (a subscription's pack rendered as it goes)."""
        portal = portal_engine(portal_url(self.warehouse_url))
        try:
            self.evaluate_if_due(portal)
            queue_due(portal, self.settings(), self.clock())
            queue_task_mail(portal, self.settings(), self.clock(), self.task_mail)

            def attach(message: Message) -> tuple[tuple[str, bytes], ...]:
                return attachments(portal, self.warehouse_url, message, self.clock())

            return deliver_due(portal, self.smtp(), self.clock, attach=attach, webhook=self.robot())
        finally:
            portal.dispose()

    def recover(self) -> int:
        """Queue again what a dead sender left mid-send (call holding the lock); how many."""
        portal = portal_engine(portal_url(self.warehouse_url))
        try:
            return recover(portal)
        finally:
            portal.dispose()

    def run(self, stop: threading.Event, interval: float, report: Callable[[str], None]) -> None:
        """Rounds every `interval` seconds until `stop` is set; each round's outcome and any
        failure go to `report`, and the next round tries again."""
        while not stop.is_set():
            try:
                done = self.round()
                if done.sent or done.failed or done.retrying:
                    report(f"sent {done.sent}, retrying {done.retrying}, failed {done.failed}")
            except (sa.exc.SQLAlchemyError, OSError, ValueError, LookupError) as exc:
                report(f"round failed: {exc}")
            stop.wait(interval)
