"""What the user-administration page does: list accounts and change them, as the signed-in admin.

Every change goes through `warehouse.portal.users` (validated, audited with the admin as actor);
refusals come back as a message in the user's language for the page to show, never an exception.
A new password must pass `warehouse.portal.passwords`, with the minimum length of the setting
`access.min_password_length`.
"""

from __future__ import annotations

import pandas as pd

from dashboard.access.user import User
from dashboard.data.portal_store import portal, settings
from dashboard.i18n.catalogue import localise, t
from dashboard.page.format import shown_time
from tasks.departments import DEPARTMENTS, department_name
from warehouse.portal import departments, passwords
from warehouse.portal import users as accounts

COLUMNS = (
    "username",
    "display_name",
    "roles",
    "branches",
    "department",
    "disabled",
    "locked_until",
)


def accounts_frame() -> pd.DataFrame:
    """One row per account (no hashes): username, name, roles, branches ('*' = all), department
    code (empty = none), state."""
    store = portal()
    codes = departments.departments_of_users(store)
    rows = [
        {
            "username": a.username,
            "display_name": a.display_name,
            "roles": ",".join(sorted(a.roles)),
            "branches": "*" if a.branches is None else ",".join(a.branches),
            "department": codes.get(a.username),
            "disabled": a.disabled,
            "locked_until": None if a.locked_until is None else shown_time(a.locked_until),
        }
        for a in accounts.list_accounts(store)
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)


def shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The accounts frame as displayed: department names in `lang`, headers from the catalogue."""
    out = frame.copy()
    out["department"] = [
        None if code is None else department_name(code, lang) for code in out["department"]
    ]
    return localise(out, lang)


def min_password_length() -> int:
    """The fewest characters a new password may have (setting access.min_password_length)."""
    return max(int(settings()["access.min_password_length"]), passwords.FLOOR)


def explain(error: accounts.AccountError, lang: str) -> str:
    """The refusal in `lang`."""
    return t(f"users.err.{error.code}", lang, **error.values)


def usernames() -> list[str]:
    """Every account's username, sorted."""
    return [a.username for a in accounts.list_accounts(portal())]


def branch_list(text: str, none: bool) -> tuple[str, ...] | None:
    """The scope typed in the form: `none` = no branch, empty text = every branch."""
    if none:
        return ()
    values = tuple(v.strip() for v in text.replace("，", ",").split(",") if v.strip())
    return values or None


def add(
    admin: User,
    username: str,
    password: str,
    roles: list[str],
    branches: tuple[str, ...] | None,
    display_name: str,
    lang: str,
) -> str | None:
    """Create an account; None when done, else why it was refused (in `lang`)."""
    try:
        accounts.add_account(
            portal(),
            username.strip(),
            password,
            roles,
            branches=branches,
            display_name=display_name,
            actor=admin.username,
            min_length=min_password_length(),
        )
    except accounts.AccountError as exc:
        return explain(exc, lang)
    return None


def set_disabled(admin: User, username: str, disabled: bool, lang: str) -> str | None:
    """Disable or enable `username` (an admin cannot disable themself); None when done."""
    if disabled and username == admin.username:
        return t("users.self", lang)
    try:
        accounts.set_disabled(portal(), username, disabled, actor=admin.username)
    except accounts.AccountError as exc:
        return explain(exc, lang)
    return None


def reset_password(admin: User, username: str, password: str, lang: str) -> str | None:
    """Give `username` a new password and clear a lockout; None when done."""
    try:
        accounts.reset_password(
            portal(), username, password, actor=admin.username, min_length=min_password_length()
        )
    except accounts.AccountError as exc:
        return explain(exc, lang)
    return None


def department_of(username: str) -> str | None:
    """The department code of `username` (None: no department)."""
    return departments.department_of(portal(), username)


def set_department(admin: User, username: str, code: str | None, lang: str) -> str | None:
    """Put `username` in department `code` (None: no department); None when done."""
    try:
        departments.set_department(portal(), username, code, admin.username)
    except accounts.AccountError as exc:
        return explain(exc, lang)
    return None


def department_choices() -> list[str | None]:
    """The department picker's options: no department, then every code in order."""
    return [None, *DEPARTMENTS]
