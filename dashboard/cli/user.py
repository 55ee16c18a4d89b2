"""`postloan user add|disable|enable|reset-password|list|department`: local accounts in the portal
store.

Passwords are typed twice at a hidden prompt, or read from the first line of standard input with
`--password-stdin` (scripts, tests); never taken as an argument, where `ps` and the shell history
would show them. A new password must pass `warehouse.portal.passwords` (not blank, long enough
for `access.min_password_length`, not holding the username, not repetitive or sequential, not a
common or breached password); a refusal names the rule, in English and Chinese, and exits 2.
Every change, and every listing, is audited with the actor `cli:<operating-system user>` (or
`cli:<--actor>`).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `postloan --help` must not import SQLAlchemy
    from sqlalchemy.engine import Engine

EXIT_BAD_INPUT = 2


def _actor(args: argparse.Namespace) -> str:
    from dashboard.cli.common import cli_actor

    return cli_actor(args)


def _engine(args: argparse.Namespace) -> Engine:
    from warehouse.portal import portal_engine, portal_url
    from warehouse.settings import warehouse_url

    return portal_engine(portal_url(warehouse_url(args.warehouse)))


def _min_length() -> int:
    from warehouse.settings import load_settings

    return int(load_settings()["access.min_password_length"])


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise ValueError("the two passwords differ")
    return first


def _list(text: str | None) -> list[str]:
    return [v.strip() for v in (text or "").split(",") if v.strip()]


def _add(engine: Engine, args: argparse.Namespace) -> str:
    from warehouse.portal.users import add_account

    if args.all_branches and args.branches is not None:
        raise ValueError("give --branches or --all-branches, not both")
    # No --branches means every branch; `--branches ""` grants none (the user sees no figures).
    branches = None if args.branches is None else _list(args.branches)
    account = add_account(
        engine,
        args.name,
        _password(args),
        _list(args.roles),
        branches=branches,
        display_name=args.display_name or "",
        actor=_actor(args),
        min_length=_min_length(),
    )
    return f"added {account.username} ({','.join(sorted(account.roles))})"


def _disable(engine: Engine, args: argparse.Namespace) -> str:
    from warehouse.portal.users import set_disabled

    set_disabled(engine, args.name, True, actor=_actor(args))
    return f"disabled {args.name}"


def _enable(engine: Engine, args: argparse.Namespace) -> str:
    from warehouse.portal.users import set_disabled

    set_disabled(engine, args.name, False, actor=_actor(args))
    return f"enabled {args.name} (lockout cleared)"


def _reset(engine: Engine, args: argparse.Namespace) -> str:
    from warehouse.portal.users import reset_password

    reset_password(engine, args.name, _password(args), actor=_actor(args), min_length=_min_length())
    return f"password of {args.name} reset (lockout cleared)"


def _list_users(engine: Engine, args: argparse.Namespace) -> str:
    from warehouse.portal import audit
    from warehouse.portal.departments import departments_of_users
    from warehouse.portal.users import list_accounts

    accounts = list_accounts(engine)
    departments = departments_of_users(engine)
    audit.record(  # who looked at the accounts and their scopes is worth knowing too
        engine,
        actor=_actor(args),
        action="user_admin",
        details={"change": "list"},
        row_count=len(accounts),
    )
    rows = [("username", "roles", "branches", "department", "state", "display name")]
    for a in accounts:
        branches = "*" if a.branches is None else (",".join(a.branches) or "(none)")
        state = "disabled" if a.disabled else ("locked" if a.locked_until else "active")
        department = departments.get(a.username, "(none)")
        roles = ",".join(sorted(a.roles))
        rows.append((a.username, roles, branches, department, state, a.display_name))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


def _init(engine: Engine, args: argparse.Namespace) -> str:
    from warehouse.portal.users import ensure_first_admin

    password = ensure_first_admin(engine)  # audited (actor "system") when it creates admin
    if password is None:
        return "accounts exist already: nothing created"
    return (
        f"first start: created user 'admin' (role admin) with password: {password}\n"
        "shown once: sign in, add the people who use the portal (用户管理), then change it "
        "(postloan user reset-password admin)"
    )


def _email(engine: Engine, args: argparse.Namespace) -> str:
    from dashboard.delivery.contacts import allowed_domains, set_address
    from warehouse.settings import load_settings

    domains = allowed_domains(str(load_settings()["delivery.allowed_domains"]))
    set_address(engine, args.name, args.address, actor=_actor(args), domains=domains)
    if args.address.strip():
        return f"{args.name}'s messages go to {args.address.strip()}"
    return f"{args.name} has no e-mail address now: no messages go to them"


def _department(engine: Engine, args: argparse.Namespace) -> str:
    from warehouse.portal.departments import set_department

    code = None if args.code == "none" else args.code
    set_department(engine, args.name, code, _actor(args))
    if code is None:
        return f"{args.name} has no department now: no department queue"
    return f"{args.name} works in department {code}"


ACTIONS: dict[str, Callable[[Engine, argparse.Namespace], str]] = {
    "init": _init,
    "add": _add,
    "disable": _disable,
    "enable": _enable,
    "reset-password": _reset,
    "list": _list_users,
    "email": _email,
    "department": _department,
}


def cmd_user(args: argparse.Namespace) -> int:
    """Manage the portal's local accounts (init, add, disable, enable, reset-password, list,
    email, department)."""
    import sqlalchemy as sa

    from warehouse.portal.users import AccountError

    try:
        engine = _engine(args)
    except (ValueError, sa.exc.SQLAlchemyError) as exc:
        print(f"postloan user: cannot open the portal store: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        print(ACTIONS[args.action](engine, args))
    except AccountError as exc:
        from dashboard.i18n.catalogue import t

        chinese = t(f"users.err.{exc.code}", "zh", **exc.values)
        print(f"postloan user {args.action}: {exc} / {chinese}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:
        print(f"postloan user {args.action}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        engine.dispose()
    return 0


def add_user_parser(
    sub: argparse._SubParsersAction, warehouse_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register `postloan user …` on the top-level subparsers."""
    user = sub.add_parser("user", help="manage local portal accounts", description=cmd_user.__doc__)
    actions = user.add_subparsers(dest="action", required=True, metavar="ACTION")

    from dashboard.cli.common import actor_option

    def named(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("name", metavar="NAME", help="username")
        warehouse_option(parser)
        actor_option(parser)
        return parser

    add = named("add", "create an account (password prompted twice)")
    add.add_argument(
        "--roles", required=True, help="comma-separated: executive,risk_committee,compliance,admin"
    )
    add.add_argument(
        "--branches", metavar="X,Y", help="branch scope; empty string = no branch at all"
    )
    add.add_argument("--all-branches", action="store_true", help="every branch (the default)")
    add.add_argument("--display-name", metavar="TEXT", help="name shown in the portal")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    named("disable", "refuse further sign-ins (an open session ends at its next page)")
    named("enable", "allow sign-ins again and clear a lockout")
    reset = named("reset-password", "set a new password (prompted) and clear a lockout")
    email = named("email", "set the address alerts and subscriptions go to (empty removes it)")
    email.add_argument("address", metavar="ADDRESS", nargs="?", default="", help="e-mail address")
    reset.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    department = named("department", "set the department whose queue the user works")
    department.add_argument(
        "code",
        metavar="CODE",
        help="service, collections, risk, legal, operations, finance, compliance; none removes it",
    )
    listing = actions.add_parser("list", help="list the accounts", description="list the accounts")
    warehouse_option(listing)
    actor_option(listing)
    init_help = "create the first 'admin' account when there is none; print its password once"
    warehouse_option(actions.add_parser("init", help=init_help, description=init_help))
    user.set_defaults(func=cmd_user)
