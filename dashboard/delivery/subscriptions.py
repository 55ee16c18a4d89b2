"""Subscriptions: who receives which pack when; queued once per period, rendered when sent.

A subscription belongs to its recipient (a user subscribes themselves; an admin may subscribe
anyone). At each occurrence of its schedule (`dashboard.delivery.schedule`) one message is queued
with the key `sub:<id>:<period>`, so a restart or two schedulers never queue it twice; its
attachments are rendered when it is sent, from the newest load, as the recipient would see them
(their roles, branch scope and masking at that moment, never the subscriber's at creation).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from alerts.outbox import Message, enqueue
from dashboard.access.user import user_of
from dashboard.delivery.contacts import addresses, allowed_domains, check_address
from dashboard.delivery.packs import PACKS, check_view, render
from dashboard.delivery.schedule import latest, parse
from dashboard.i18n.catalogue import LANGS, t
from queries.loads import latest_load
from warehouse.engine import create_warehouse_engine
from warehouse.portal.audit import record
from warehouse.portal.deliveries import subscriptions
from warehouse.portal.users import get_account
from warehouse.settings import Settings, display_zone


class SubscriptionError(ValueError):
    """A subscription the rules refuse (unknown pack or user, role, schedule, no address).

    `code` names the rule for the interface's catalogue (`sub.err.<code>`); the English text is
    for logs and the command line.
    """

    def __init__(self, message: str, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code


def add(
    engine: Engine,
    username: str,
    pack: str,
    schedule: str,
    *,
    lang: str,
    actor: str,
    now: datetime,
    domains: tuple[str, ...] = (),
    view: str = "",
) -> int:
    """Subscribe `username` to `pack` on `schedule`, optionally to a page view: the page's
    filters in URL form (`product=loan&region=310000`); the new subscription's id (audited)."""
    account = get_account(engine, username)
    if account is None:
        raise SubscriptionError(f"no account {username!r}", "no_account")
    if pack not in PACKS:
        raise SubscriptionError(f"unknown pack {pack!r}; one of {', '.join(PACKS)}", "pack")
    if not account.roles & PACKS[pack].roles:
        raise SubscriptionError(f"{username}'s roles may not receive the {pack} pack", "role")
    if lang not in LANGS:
        raise SubscriptionError(f"unknown language {lang!r}; one of {', '.join(LANGS)}", "lang")
    try:
        parsed = parse(schedule)
    except ValueError as exc:
        raise SubscriptionError(str(exc), "schedule") from exc
    try:
        view = check_view(view)
    except ValueError as exc:
        raise SubscriptionError(str(exc), "view") from exc
    address = addresses(engine).get(username)
    if address is None:
        raise SubscriptionError(
            f"{username} has no e-mail address (postloan user email)", "no_address"
        )
    try:
        check_address(address, domains)
    except ValueError as exc:
        raise SubscriptionError(str(exc), "address") from exc
    with engine.begin() as conn:
        sub_id = conn.execute(
            subscriptions.insert().values(
                username=username,
                pack=pack,
                schedule=parsed.text(),
                lang=lang,
                view=view,
                paused=False,
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]
        details = {"change": "subscribe", "pack": pack, "schedule": parsed.text(), "view": view}
        record(conn, actor=actor, action="user_admin", target=username, details=details)
    return int(sub_id)


def set_paused(engine: Engine, sub_id: int, paused: bool, *, actor: str, now: datetime) -> None:
    """Pause or resume a subscription (audited); a paused one queues nothing."""
    with engine.begin() as conn:
        row = conn.execute(sa.select(subscriptions).where(subscriptions.c.sub_id == sub_id)).first()
        if row is None:
            raise SubscriptionError(f"no subscription {sub_id}", "unknown")
        conn.execute(
            subscriptions.update()
            .where(subscriptions.c.sub_id == sub_id)
            .values(paused=paused, updated_at=now)
        )
        change = "pause" if paused else "resume"
        record(
            conn,
            actor=actor,
            action="user_admin",
            target=row.username,
            details={"change": change, "subscription": sub_id},
        )


def listing(engine: Engine, username: str | None = None) -> pd.DataFrame:
    """Every subscription (or one user's), oldest first."""
    stmt = sa.select(subscriptions).order_by(subscriptions.c.sub_id)
    if username is not None:
        stmt = stmt.where(subscriptions.c.username == username)
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), dtype=object)


def _message(row: dict, period: str, address: str) -> Message:
    pack = t(f"sub.pack.{row['pack']}", row["lang"])
    return Message(
        f"sub:{row['sub_id']}:{period}",
        "subscription",
        row["username"],
        address,
        t("sub.mail.subject", row["lang"], pack=pack, as_of=period),
        t("sub.mail.body", row["lang"], pack=pack, as_of=period) + "\n",
    )


def queue_due(engine: Engine, settings: Settings, now: datetime) -> int:
    """Queue every active subscription's latest occurrence (once per period); how many queued.
    An occurrence before the subscription was made is not sent; a recipient without an allowed
    address is skipped until they have one."""
    zone = display_zone(settings)
    domains = allowed_domains(str(settings["delivery.allowed_domains"]))
    known = addresses(engine)
    messages = []
    for row in listing(engine).to_dict("records"):
        if row["paused"]:
            continue
        try:
            when, period = latest(parse(row["schedule"]), now, zone)
        except ValueError:
            continue  # checked when made; a row edited by hand is skipped, not fatal
        address = known.get(row["username"])
        if when < row["created_at"] or address is None:
            continue
        try:
            messages.append(_message(row, period, check_address(address, domains)))
        except ValueError:
            continue
    return enqueue(engine, messages, now)


def queue_test(engine: Engine, sub_id: int, now: datetime, *, actor: str) -> int:
    """Queue one message of the subscription now ("send a test"); 1, or 0 if just queued."""
    rows = listing(engine)
    found = rows[rows["sub_id"] == sub_id] if not rows.empty else rows
    if found.empty:
        raise SubscriptionError(f"no subscription {sub_id}", "unknown")
    row = found.iloc[0].to_dict()
    address = addresses(engine).get(row["username"])
    if address is None:
        raise SubscriptionError(f"{row['username']} has no e-mail address", "no_address")
    message = _message(row, f"test-{now:%Y%m%dT%H%M%S}", address)
    queued = enqueue(engine, [message], now)
    record(
        engine,
        actor=actor,
        action="user_admin",
        target=row["username"],
        details={"change": "test_send", "subscription": sub_id},
    )
    return queued


def attachments(
    portal: Engine, warehouse_url: str, message: Message, now: datetime
) -> tuple[tuple[str, bytes], ...]:
    """The files of a subscription message, rendered now as its recipient sees the newest load."""
    if message.kind != "subscription":
        return ()
    sub_id = int(message.key.split(":")[1])
    rows = listing(portal)
    row = rows[rows["sub_id"] == sub_id].iloc[0].to_dict()
    account = get_account(portal, row["username"])
    if account is None or account.disabled:
        raise SubscriptionError(f"{row['username']} can no longer receive messages")
    engine = create_warehouse_engine(warehouse_url, read_only=True)
    try:
        load = latest_load(engine)
        if load is None:
            raise SubscriptionError("the warehouse holds no load")
        user = user_of(account)
        pack, lang = row["pack"], row["lang"]
        return tuple(render(engine, pack, user, lang, load.as_of, now, view=row["view"] or ""))
    finally:
        engine.dispose()
