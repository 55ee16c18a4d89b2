"""The rectification ledger's data for the 整改台账 page: the items a user may see, one item's
history, the people who may own it, and the changes (portal store).

Changes go through `tasks.rectification` (department, branch and role checked there, audited);
a refusal comes back as a message in the user's language, never an exception.
"""

from __future__ import annotations

import pandas as pd

from dashboard.access.user import User
from dashboard.data import portal_store
from dashboard.i18n.catalogue import t
from dashboard.page.format import zone
from tasks import rectification as ledger
from warehouse.portal import utc_now
from warehouse.portal.departments import department_of, members
from warehouse.settings import warehouse_url


def may_edit(user: User) -> bool:
    """True when the user's roles edit the ledger (compliance, admin); others read it."""
    return user.has_any(ledger.EDIT_ROLES)


def items(
    user: User,
    *,
    statuses: tuple[str, ...] = (),
    sources: tuple[str, ...] = (),
    overdue_only: bool = False,
) -> pd.DataFrame:
    """The items in the user's branch scope (institution-wide ones need every branch)."""
    return ledger.items(
        portal_store.portal(),
        statuses=statuses,
        sources=sources,
        overdue_only=overdue_only,
        branches=user.branches,
    )


def item(user: User, item_id: int) -> dict[str, object] | None:
    """One item the user may see, or None (a forged or out-of-scope id shows nothing)."""
    frame = ledger.items(portal_store.portal(), item_id=item_id, branches=user.branches)
    return None if frame.empty else frame.iloc[0].to_dict()


def history(item_id: int) -> pd.DataFrame:
    """The item's events, oldest first."""
    return ledger.history(portal_store.portal(), item_id)


def owners(department: str) -> list[str]:
    """Who may own an item of `department`: its enabled members."""
    return members(portal_store.portal(), department)


def my_department(user: User) -> str | None:
    """The user's department code (None: none)."""
    return department_of(portal_store.portal(), user.username)


def explain(error: ledger.RectificationError, lang: str) -> str:
    """The refusal in `lang`."""
    return t(f"rc.err.{error.code}", lang, **error.values)


def act(user: User, action: str, item_id: int, lang: str, text: str = "") -> str | None:
    """Do `action` (assign, start, submit, sign_off, send_back) on `item_id` as `user`; None when
    done, else why it was refused (in `lang`). `text`: the owner, evidence note or return note."""
    store = portal_store.portal()
    try:
        if action == "assign":
            ledger.assign(store, item_id, text, user)
        elif action == "start":
            ledger.start(store, item_id, user)
        elif action == "submit":
            ledger.submit(store, item_id, text, user)
        elif action == "sign_off":
            ledger.sign_off(store, item_id, user)
        elif action == "send_back":
            ledger.send_back(store, item_id, text, user)
        else:
            raise ValueError(f"unknown action {action!r}")
    except ledger.RectificationError as exc:
        return explain(exc, lang)
    return None


def sync_now(user: User) -> ledger.SyncResult:
    """Bring the ledger in line with the findings now (after a check run or a validation on
    their pages), as `user` in the audit row; only for those who edit the ledger."""
    if not may_edit(user):
        raise ValueError(f"{user.username} may not sync the rectification ledger")
    now = utc_now()
    return ledger.sync(
        portal_store.portal(),
        warehouse_url(),
        portal_store.settings(),
        today=ledger.local_today(now, zone()),
        now=now,
        actor=user.username,
    )
