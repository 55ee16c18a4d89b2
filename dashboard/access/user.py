"""Who a signed-in user is: name, roles, branch scope, and what the roles let them see."""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.portal import users as accounts

ROLES: tuple[str, ...] = accounts.ROLES


@dataclass(frozen=True)
class User:
    """A signed-in user: name, roles, and branch scope (None = every branch, () = none)."""

    username: str
    display_name: str
    roles: frozenset[str]
    branches: tuple[str, ...] | None = None

    def has_any(self, roles: frozenset[str] | set[str] | tuple[str, ...]) -> bool:
        """True when the user holds at least one of `roles`."""
        return bool(self.roles & frozenset(roles))


# Roles whose work needs individual lessees' names, ID numbers and phones (docs/security.md);
# executive and admin see them masked (queries/personal_data.py).
PERSONAL_DATA_ROLES: frozenset[str] = frozenset({"risk_committee", "compliance"})


def sees_personal_data(user: User | None) -> bool:
    """True when `user` may see personal data unmasked (nobody signed in: False)."""
    return user is not None and user.has_any(PERSONAL_DATA_ROLES)


def user_of(account: accounts.Account) -> User:
    """The session's User for a stored account."""
    return User(account.username, account.display_name, account.roles, account.branches)
