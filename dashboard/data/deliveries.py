"""The subscriptions page's data: a user's address, subscriptions and deliveries; admin's log."""

from __future__ import annotations

import pandas as pd

from alerts.outbox import log
from dashboard.access.user import User
from dashboard.data import portal_store
from dashboard.delivery import subscriptions as subs
from dashboard.delivery.contacts import addresses, allowed_domains, set_address
from dashboard.delivery.packs import PACKS
from warehouse.portal import utc_now


def _domains() -> tuple[str, ...]:
    return allowed_domains(str(portal_store.settings()["delivery.allowed_domains"]))


def my_address(user: User) -> str:
    """The address the user's messages go to ("" when none)."""
    return addresses(portal_store.portal()).get(user.username, "")


def set_my_address(user: User, address: str) -> None:
    """Set (or with "" remove) the user's own address; ValueError when it is refused."""
    set_address(
        portal_store.portal(), user.username, address, actor=user.username, domains=_domains()
    )


def packs_for(user: User) -> list[str]:
    """The packs the user's roles may receive."""
    return [key for key, pack in PACKS.items() if user.roles & pack.roles]


def my_subscriptions(user: User) -> pd.DataFrame:
    """The user's subscriptions, oldest first."""
    return subs.listing(portal_store.portal(), user.username)


def subscribe(user: User, pack: str, schedule: str, lang: str, view: str = "") -> int:
    """Subscribe the user to `pack` (with a page view's filters); SubscriptionError (a
    ValueError) when refused."""
    return subs.add(
        portal_store.portal(),
        user.username,
        pack,
        schedule,
        lang=lang,
        actor=user.username,
        now=utc_now(),
        domains=_domains(),
        view=view,
    )


def _own(user: User, sub_id: int) -> None:
    mine = my_subscriptions(user)
    if mine.empty or sub_id not in {int(s) for s in mine["sub_id"]}:
        raise subs.SubscriptionError(f"subscription {sub_id} is not {user.username}'s", "unknown")


def pause(user: User, sub_id: int, paused: bool) -> None:
    """Pause or resume one of the user's own subscriptions."""
    _own(user, sub_id)
    subs.set_paused(portal_store.portal(), sub_id, paused, actor=user.username, now=utc_now())


def send_test(user: User, sub_id: int) -> int:
    """Queue one message of the user's own subscription now."""
    _own(user, sub_id)
    return subs.queue_test(portal_store.portal(), sub_id, utc_now(), actor=user.username)


def my_deliveries(user: User, limit: int = 20) -> pd.DataFrame:
    """The user's newest deliveries (alerts and packs)."""
    frame = log(portal_store.portal(), limit=500)
    if frame.empty:
        return frame
    return frame[frame["username"] == user.username].head(limit).reset_index(drop=True)


def delivery_log(status: str | None = None) -> pd.DataFrame:
    """Admin: the newest deliveries (of one status, or all)."""
    return log(portal_store.portal(), status)
