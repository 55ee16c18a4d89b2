"""`postloan rectification sync|list`: bring the rectification ledger (整改台账) in line with the
findings present now, and list its items.

`sync` also runs after every `postloan load`, `postloan build` and `postloan check`; a failure
is said on stderr and never fails the command it follows. See docs/rectification.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

EXIT_BAD_INPUT = 2


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def sync_and_report(url: str, settings: Any, now: datetime | None = None) -> int:
    """Sync the ledger with the findings of `url`; print what changed; 0, or 2 on error."""
    from tasks.rectification import local_today, sync
    from warehouse.portal import portal_engine, portal_url
    from warehouse.settings import display_zone

    at = now or _now()
    try:
        portal = portal_engine(portal_url(url))
        try:
            today = local_today(at, display_zone(settings))
            done = sync(portal, url, settings, today=today, now=at)
        finally:
            portal.dispose()
    except Exception as exc:  # the load or build it follows is done: say it, never fail it
        sys.stderr.write(f"rectification ledger not synced: {type(exc).__name__}: {exc}\n")
        return EXIT_BAD_INPUT
    print(
        f"rectification ledger: {len(done.created)} new, {len(done.gone)} finding gone, "
        f"{len(done.back)} finding back, {len(done.overdue)} overdue"
        + (f" (not read: {', '.join(done.unread)})" if done.unread else "")
    )
    return 0


def _sync(args: argparse.Namespace) -> int:
    from dashboard.cli.common import settings_file, warehouse_url_of

    return sync_and_report(warehouse_url_of(args), settings_file())


def _list(args: argparse.Namespace) -> int:
    import sqlalchemy as sa

    from dashboard.cli.common import warehouse_url_of
    from tasks.rectification import items
    from warehouse.portal import portal_engine, portal_url
    from warehouse.portal.rectification import STATUSES

    unknown = sorted(set(args.status or ()) - set(STATUSES))
    if unknown:
        sys.stderr.write(
            f"postloan rectification list: unknown status {', '.join(unknown)}; "
            f"choose from {', '.join(STATUSES)}\n"
        )
        return EXIT_BAD_INPUT
    try:
        portal = portal_engine(portal_url(warehouse_url_of(args)))
        try:
            frame = items(portal, statuses=args.status or ())
        finally:
            portal.dispose()
    except (ValueError, sa.exc.SQLAlchemyError) as exc:
        sys.stderr.write(f"postloan rectification list: {exc}\n")
        return EXIT_BAD_INPUT
    if frame.empty:
        print("no rectification item")
        return 0
    for r in frame.itertuples():
        gone = "" if r.finding_present else " (finding no longer present)"
        print(
            f"#{r.item_id} {r.status:<11} due {r.deadline} {r.source:<10} "
            f"owner {r.owner or '-'}: {r.title!r}{gone}"
        )
    return 0


def cmd_rectification(args: argparse.Namespace) -> int:
    """Sync the rectification ledger with the findings present now, or list its items."""
    return {"sync": _sync, "list": _list}[args.action](args)


def add_rectification_parser(
    sub: argparse._SubParsersAction, warehouse_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register `postloan rectification …` on the top-level subparsers."""
    parser = sub.add_parser(
        "rectification",
        help="the rectification ledger (整改台账)",
        description=cmd_rectification.__doc__,
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    sync_help = "make items for new findings, mark gone ones, age overdue ones"
    warehouse_option(actions.add_parser("sync", help=sync_help, description=sync_help))
    listing = actions.add_parser("list", help="list the items", description="list the items")
    listing.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help="only this status: open, in_progress, submitted, closed, overdue (repeatable)",
    )
    warehouse_option(listing)
    parser.set_defaults(func=cmd_rectification)
