"""任务中心's data: the user's lists from the portal store, and each act done as the user.

Nothing here is cached: a task changes under people's hands, and every act checks the version it
was shown (`expected`), so a list must be the store's current state.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime

import pandas as pd

from dashboard.access.user import User
from dashboard.data import portal_store
from tasks import actions, board
from tasks.actions import Acted, Actor
from tasks.outcomes import ContactRules
from warehouse.portal import utc_now
from warehouse.portal.departments import department_of, members
from warehouse.portal.users import get_account
from warehouse.settings import display_zone


def actor(user: User) -> Actor:
    """The acting user as the task actions see them."""
    return Actor(user.username, user.roles, user.branches)


def department(user: User) -> str | None:
    """The user's department code, or None."""
    return department_of(portal_store.portal(), user.username)


def today() -> date:
    """Today's date in the display zone (due dates are calendar dates there)."""
    return utc_now().replace(tzinfo=UTC).astimezone(display_zone(portal_store.settings())).date()


def now_local() -> str:
    """The current local time of the display zone, to the minute (a contact's default time)."""
    zone = display_zone(portal_store.settings())
    return f"{utc_now().replace(tzinfo=UTC).astimezone(zone):%Y-%m-%d %H:%M}"


def lists(user: User, dept: str) -> dict[str, pd.DataFrame]:
    """The three lists of the page: mine, the department's queue, overdue."""
    engine, scope = portal_store.portal(), user.branches
    return {
        "mine": board.assigned_to(engine, user.username, dept, scope),
        "queue": board.department_queue(engine, dept, scope),
        "overdue": board.overdue(engine, dept, scope, today()),
    }


def task_param(text: str | None) -> int | None:
    """The `?task=` deep link as a task id: 1 to 18 ASCII digits, else None (forged input)."""
    said = (text or "").strip()
    return int(said) if re.fullmatch(r"[0-9]{1,18}", said) else None


def task(user: User, task_id: int) -> dict | None:
    """One task within the user's branches, or None."""
    return board.one(portal_store.portal(), task_id, user.branches)


def history(task_ids: list[int]) -> pd.DataFrame:
    """The events of the tasks, oldest first."""
    return board.history(portal_store.portal(), task_ids)


def contract_tasks(user: User, contract_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A contract's tasks within the user's branches and their events (the dossier's tab)."""
    found = board.of_contract(portal_store.portal(), contract_id, user.branches)
    ids = [int(i) for i in found["task_id"]]
    return found, (history(ids) if ids else history([]))


def assignees(dept: str, branch: str | None) -> list[str]:
    """The enabled members of `dept` whose branches cover `branch`."""
    engine = portal_store.portal()
    found = []
    for name in members(engine, dept):
        account = get_account(engine, name)
        if account is not None and actions.in_scope(account.branches, branch):
            found.append(name)
    return found


def act(
    user: User, what: str, task_id: int, expected: datetime | None, arg: object = None
) -> Acted:
    """Do act `what` on a task as `user`: assign / reassign (`arg` the assignee), escalate and
    cancel (`arg` the reason), comment (`arg` the text), start, done."""
    engine, who = portal_store.portal(), actor(user)
    if what == "comment":
        return actions.comment(engine, who, task_id, str(arg))
    if expected is None:
        raise ValueError(f"{what} needs the version the user saw")
    if what == "assign":
        return actions.assign(engine, who, task_id, str(arg), expected=expected)
    if what == "reassign":
        to = None if arg is None else str(arg)
        return actions.reassign(engine, who, task_id, to, expected=expected)
    if what == "escalate":
        return actions.escalate(engine, who, task_id, str(arg), expected=expected)
    if what == "cancel":
        return actions.cancel(engine, who, task_id, str(arg), expected=expected)
    if what == "start":
        return actions.start(engine, who, task_id, expected=expected)
    if what == "done":
        return actions.done(engine, who, task_id, expected=expected)
    raise ValueError(f"unknown task act {what!r}")


def record(
    user: User,
    task_id: int,
    kind: str,
    fields: Mapping[str, object],
    *,
    expected: datetime,
    confirm_breach: bool,
) -> Acted:
    """Record an outcome as `user`, judged by the contact rules in force."""
    rules = ContactRules.from_settings(portal_store.settings())
    return actions.record_outcome(
        portal_store.portal(),
        actor(user),
        task_id,
        kind,
        fields,
        rules,
        expected=expected,
        confirm_breach=confirm_breach,
    )
