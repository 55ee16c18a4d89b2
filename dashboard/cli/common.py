"""What the `postloan` subcommands share: exit codes, progress lines, options, the audit row.

Imports are lazy so `postloan --help` answers at once.
"""

from __future__ import annotations

import argparse
import calendar
import getpass
import sys
import time
from datetime import date
from typing import Any

EXIT_BAD_INPUT = 2
EXIT_NO_WAREHOUSE = 1
EXIT_CHECK_FAILED = 1
EXIT_STALE = 3


class Progress:
    """Timestamped progress lines on stderr for long steps."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def __call__(self, *parts: object) -> None:
        """Print one progress message, prefixed with the seconds since the command started."""
        elapsed = time.monotonic() - self.start
        print(f"[{elapsed:7.1f}s] {' '.join(str(p) for p in parts)}", file=sys.stderr, flush=True)


def month_end(text: str) -> date:
    """`YYYY-MM` as the last calendar day of that month."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, calendar.monthrange(year, month)[1])
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM, got {text!r}") from exc


def positive_int(text: str) -> int:
    """An integer greater than zero."""
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {value}")
    return value


class CliError(Exception):
    """A problem the user can fix, reported in one line with exit code 2."""


def os_user() -> str:
    """The operating-system user running the command ("unknown" when it cannot be told)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def cli_actor(args: argparse.Namespace) -> str:
    """The audit trail's actor of a command: `cli:<--actor>`, else `cli:<OS user>`."""
    return f"cli:{getattr(args, 'actor', None) or os_user()}"[:64]


def audit(
    url: str,
    args: argparse.Namespace,
    action: str,
    target: str,
    details: dict[str, object],
    row_count: int | None = None,
    sha256: str | None = None,
) -> None:
    """Append the command's audit row to the portal store of warehouse `url` (raises if it
    cannot be written: the caller decides what that means for its output)."""
    from warehouse.portal import portal_engine, portal_url
    from warehouse.portal.audit import record

    engine = portal_engine(portal_url(url))
    try:
        record(
            engine,
            actor=cli_actor(args),
            action=action,
            target=target,
            details={"command": f"postloan {args.command}", "os_user": os_user(), **details},
            row_count=row_count,
            sha256=sha256,
        )
    finally:
        engine.dispose()


def check_portal(url: str) -> str | None:
    """Why the portal store of warehouse `url` (where the audit row goes) cannot be opened."""
    from sqlalchemy.exc import SQLAlchemyError

    from warehouse.portal import portal_engine, portal_url

    try:
        portal_engine(portal_url(url)).dispose()
    except (ValueError, SQLAlchemyError) as exc:
        return f"cannot open the portal store for the audit trail: {exc}"
    return None


def unaudited(what: str, exc: Exception) -> int:
    print(f"{what}, but its audit row could not be written: {exc}", file=sys.stderr)
    return EXIT_NO_WAREHOUSE


def settings_file() -> Any:
    from warehouse.settings import load_settings

    try:
        return load_settings()
    except ValueError as exc:  # unknown keys, and tomllib.TOMLDecodeError
        raise CliError(f"bad settings file: {exc}") from exc


def warehouse_url_of(args: argparse.Namespace) -> str:
    from warehouse.settings import warehouse_url

    return warehouse_url(args.warehouse)


def shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def missing_duckdb(url: str) -> bool:
    """True (after saying so) when `url` names a DuckDB file that does not exist."""
    from warehouse.engine import duckdb_path, is_duckdb

    path = duckdb_path(url) if is_duckdb(url) else None
    if path is None or path.exists():
        return False
    print(
        f"no warehouse at {path}: run `postloan load <extract>` (or `make run`) first",
        file=sys.stderr,
    )
    return True


def warehouse_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--warehouse",
        metavar="URL",
        help="SQLAlchemy URL (default: $POSTLOAN_WAREHOUSE_URL, .streamlit/secrets.toml, "
        "then duckdb:///data/warehouse.duckdb)",
    )


def actor_option(parser: argparse.ArgumentParser) -> None:
    """`--actor NAME`: who runs the command, as the audit trail records it."""
    parser.add_argument(
        "--actor",
        metavar="NAME",
        help="who runs this, recorded in the audit trail as cli:NAME (default: the OS user)",
    )
