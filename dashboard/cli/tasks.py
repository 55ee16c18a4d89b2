"""`postloan tasks sync|list|strategy`: the work queues from the command line (docs/tasks.md).

`sync` makes the tasks of the latest build (also run after every load and build, never failing
them); `--at` sets the clock (an ISO time, UTC when it names no zone) so due dates and overdue
marks can be replayed. `list` prints a department's queue. `strategy show` prints the strategy in
force (`--json`: its body, to edit and `set`); `strategy set FILE` saves a new version after
validating it (a refused file changes nothing).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

EXIT_BAD_INPUT = 2


def _clock(text: str | None) -> datetime:
    """`--at` as naive UTC (a time without a zone is UTC); now when not given."""
    if not text:
        return datetime.now(UTC).replace(tzinfo=None)
    try:
        at = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected an ISO time, got {text!r}") from exc
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    return at.replace(tzinfo=None)


def sync_and_report(url: str, settings: Any, now: datetime | None = None) -> int:
    """Sync the tasks with the latest build and print what changed; 0, or 2 on error."""
    import sqlalchemy as sa

    from tasks.strategy import StrategyError
    from tasks.sync import sync
    from warehouse.engine import create_warehouse_engine
    from warehouse.portal import portal_engine, portal_url

    try:
        warehouse = create_warehouse_engine(url, read_only=True)
        try:
            portal = portal_engine(portal_url(url))
            try:
                done = sync(warehouse, portal, settings, now or _clock(None))
            finally:
                portal.dispose()
        finally:
            warehouse.dispose()
    except (LookupError, ValueError, StrategyError, sa.exc.SQLAlchemyError) as exc:
        sys.stderr.write(f"tasks not synced: {exc}\n")
        return EXIT_BAD_INPUT
    print(
        f"tasks synced at {done.as_of:%Y-%m-%d}: {done.triggers} open triggers, "
        f"{len(done.created)} created, {len(done.superseded)} superseded, "
        f"{len(done.ended)} closed (trigger ended), {len(done.escalated)} overdue and escalated"
    )
    return 0


def _list(portal: Any, args: argparse.Namespace) -> int:
    from warehouse.portal.tasks import task_list

    rows = task_list(portal, args.department, args.status)
    if not rows:
        print("no tasks")
    for r in rows:
        subject = r["contract_id"] or r["lessee_id"] or ""
        print(
            f"#{r['task_id']} P{r['priority']} {r['status']} {r['department']} {r['step']} "
            f"{subject} due {r['due_date']:%Y-%m-%d} "
            f"{'assignee ' + r['assignee'] if r['assignee'] else 'queue'}"
        )
    return 0


def _show(portal: Any, settings: Any, as_json: bool) -> int:
    from tasks.strategy import current, step_words

    strategy = current(portal, settings)
    if as_json:
        print(json.dumps(strategy.body(), ensure_ascii=False, indent=2))
        return 0
    when = f" at {strategy.created_at:%Y-%m-%d %H:%M} UTC" if strategy.created_at else ""
    print(f"strategy version {strategy.version} by {strategy.created_by}{when}")
    for b in strategy.bands:
        days = f"DPD {b.dpd_from}-{b.dpd_to}" if b.dpd_to is not None else f"DPD {b.dpd_from}+"
        print(
            f"  {days} product {b.product} exposure >= {b.min_exposure}: {b.step} "
            f"({step_words(b.step, 'en')}) by {b.department}, {b.sla_days} working days, "
            f"P{b.priority}"
        )
    for t in strategy.triggers:
        print(
            f"  {t.trigger}: {t.step} ({step_words(t.step, 'en')}) by {t.department}, "
            f"{t.sla_days} working days, P{t.priority}"
        )
    return 0


def _set(portal: Any, args: argparse.Namespace) -> int:
    from dashboard.cli.common import cli_actor
    from tasks.strategy import StrategyError, save_version

    try:
        body = json.loads(Path(args.file).read_text(encoding="utf-8"))
        saved = save_version(portal, body, cli_actor(args), args.note)
    except (OSError, ValueError) as exc:  # StrategyError and JSONDecodeError are ValueErrors
        kind = "refused" if isinstance(exc, StrategyError) else "not read"
        sys.stderr.write(f"postloan tasks strategy set: {kind}: {exc}; nothing saved\n")
        return EXIT_BAD_INPUT
    print(f"strategy version {saved.version} saved by {saved.created_by}; in force from now")
    return 0


def cmd_tasks(args: argparse.Namespace) -> int:
    """Sync the tasks with the latest build, list a queue, or show or set the strategy."""
    import sqlalchemy as sa

    from dashboard.cli.common import settings_file, warehouse_url_of
    from warehouse.portal import portal_engine, portal_url

    url = warehouse_url_of(args)
    settings = settings_file()
    if args.action == "sync":
        return sync_and_report(url, settings, _clock(args.at))
    try:
        portal = portal_engine(portal_url(url))
    except (ValueError, sa.exc.SQLAlchemyError) as exc:
        sys.stderr.write(f"postloan tasks: cannot open the portal store: {exc}\n")
        return EXIT_BAD_INPUT
    try:
        if args.action == "list":
            return _list(portal, args)
        if args.strategy_action == "show":
            return _show(portal, settings, args.json)
        return _set(portal, args)
    finally:
        portal.dispose()


def add_tasks_parser(
    sub: argparse._SubParsersAction,
    warehouse_option: Callable[[argparse.ArgumentParser], None],
    actor_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register `postloan tasks sync|list|strategy` on the top-level subparsers."""
    tasks = sub.add_parser(
        "tasks",
        help="make the tasks of the latest build, list a queue, show or set the strategy",
        description=cmd_tasks.__doc__,
    )
    actions = tasks.add_subparsers(dest="action", required=True, metavar="ACTION")
    sync = actions.add_parser(
        "sync",
        help="create, close and escalate tasks from the latest build (also run after load/build)",
        description="Bring the tasks in line with the open triggers of the latest build.",
    )
    sync.add_argument(
        "--at", metavar="ISO-TIME", help="the clock: an ISO time (UTC without a zone; default now)"
    )
    warehouse_option(sync)
    listing = actions.add_parser(
        "list", help="the tasks, most urgent first", description="List tasks, most urgent first."
    )
    listing.add_argument("--department", metavar="CODE", help="only this department's tasks")
    listing.add_argument(
        "--status",
        metavar="STATUS",
        choices=("open", "in_progress", "overdue", "done", "cancelled"),
        help="open (every open status), in_progress, overdue, done or cancelled",
    )
    warehouse_option(listing)
    strategy = actions.add_parser(
        "strategy", help="show or set the strategy", description="Show or set the task strategy."
    )
    steps = strategy.add_subparsers(dest="strategy_action", required=True, metavar="WHAT")
    show = steps.add_parser("show", help="the strategy in force", description="Print it.")
    show.add_argument("--json", action="store_true", help="print the body as JSON, to edit")
    warehouse_option(show)
    save = steps.add_parser(
        "set", help="save FILE (JSON) as the next version", description="Validate and save."
    )
    save.add_argument("file", metavar="FILE", help="a JSON strategy body (see --json)")
    save.add_argument("--note", help="why this version (kept with it)")
    warehouse_option(save)
    actor_option(save)
    tasks.set_defaults(func=cmd_tasks)
