"""`postloan deliver --due` and `postloan scheduler`: send what is due, once or as a process.

`deliver --due` is one round (for a site that prefers cron or a systemd timer); `scheduler` runs
rounds until stopped, one instance per portal store. See docs/alerts.md.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime

EXIT_BAD_INPUT = 2
EXIT_ALREADY_RUNNING = 3


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _scheduler(args: argparse.Namespace):
    from dashboard.cli.common import warehouse_url_of
    from dashboard.delivery.scheduler import Scheduler

    return Scheduler(warehouse_url_of(args), _now)


def cmd_deliver(args: argparse.Namespace) -> int:
    """Evaluate the alerts when due and send every message that is due, once."""
    import sqlalchemy as sa

    from dashboard.cli.common import warehouse_url_of
    from dashboard.delivery.scheduler import AlreadyRunning, single_instance
    from warehouse.portal import portal_url

    if not args.due:
        print("postloan deliver: say --due to send what is due", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        with single_instance(portal_url(warehouse_url_of(args))):
            scheduler = _scheduler(args)
            scheduler.recover()
            done = scheduler.round()
    except AlreadyRunning as exc:
        print(f"postloan deliver: {exc}; it sends what is due", file=sys.stderr)
        return EXIT_ALREADY_RUNNING
    except (ValueError, LookupError, sa.exc.SQLAlchemyError) as exc:
        print(f"postloan deliver: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"sent {done.sent}, retrying {done.retrying}, failed {done.failed}")
    return 0


def cmd_scheduler(args: argparse.Namespace) -> int:
    """Run the scheduler until stopped (SIGTERM or Ctrl-C): alerts and deliveries every round."""
    from dashboard.cli.common import warehouse_url_of
    from dashboard.delivery.scheduler import AlreadyRunning, single_instance
    from warehouse.portal import portal_url

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with single_instance(portal_url(warehouse_url_of(args))):
            scheduler = _scheduler(args)
            again = scheduler.recover()
            print(f"[scheduler] running, a round every {args.interval:g} s", flush=True)
            if scheduler.smtp() is None:
                print(
                    "[scheduler] no SMTP server in [smtp] of the secrets file: messages wait in "
                    "the outbox until one is set",
                    flush=True,
                )
            if again:
                print(f"[scheduler] {again} messages left mid-send queued again", flush=True)
            try:
                scheduler.run(
                    stop, args.interval, lambda text: print(f"[scheduler] {text}", flush=True)
                )
            except KeyboardInterrupt:
                stop.set()
    except AlreadyRunning as exc:
        print(f"postloan scheduler: {exc}; not started", file=sys.stderr)
        return EXIT_ALREADY_RUNNING
    print("[scheduler] stopped", flush=True)
    return 0


def add_deliver_parsers(
    sub: argparse._SubParsersAction, warehouse_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register `postloan deliver` and `postloan scheduler` on the top-level subparsers."""
    deliver = sub.add_parser(
        "deliver", help="send the messages that are due, once", description=cmd_deliver.__doc__
    )
    deliver.add_argument("--due", action="store_true", help="send every message that is due")
    warehouse_option(deliver)
    deliver.set_defaults(func=cmd_deliver)
    scheduler = sub.add_parser(
        "scheduler",
        help="evaluate alerts and send messages until stopped (one instance)",
        description=cmd_scheduler.__doc__,
    )
    scheduler.add_argument(
        "--interval",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="seconds between rounds (default 60)",
    )
    warehouse_option(scheduler)
    scheduler.set_defaults(func=cmd_scheduler)
