"""`postloan subscribe add|list|pause|resume|test`: report packs by e-mail on a schedule.

See docs/alerts.md ("Subscriptions"). The scheduler (or `postloan deliver --due`) sends them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime

EXIT_BAD_INPUT = 2


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def cmd_subscribe(args: argparse.Namespace) -> int:
    """Subscribe a user to a report pack, list, pause, resume or test-send subscriptions."""
    import sqlalchemy as sa

    from dashboard.cli.common import cli_actor, settings_file, warehouse_url_of
    from dashboard.delivery import subscriptions as subs
    from dashboard.delivery.contacts import allowed_domains
    from warehouse.portal import portal_engine, portal_url

    try:
        engine = portal_engine(portal_url(warehouse_url_of(args)))
    except (ValueError, sa.exc.SQLAlchemyError) as exc:
        print(f"postloan subscribe: cannot open the portal store: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    actor, now = cli_actor(args), _now()
    try:
        if args.action == "add":
            domains = allowed_domains(str(settings_file()["delivery.allowed_domains"]))
            sub_id = subs.add(
                engine,
                args.name,
                args.pack,
                args.schedule,
                lang=args.lang,
                actor=actor,
                now=now,
                domains=domains,
                view=args.view,
            )
            print(f"subscription #{sub_id}: {args.pack} to {args.name}, {args.schedule}")
        elif args.action == "list":
            frame = subs.listing(engine)
            if frame.empty:
                print("no subscriptions")
            for r in frame.to_dict("records"):
                state = "paused" if r["paused"] else "active"
                who = f"#{r['sub_id']} {r['username']} {r['pack']}"
                print(f"{who} {r['schedule']} {r['lang']} {state}")
        elif args.action in ("pause", "resume"):
            subs.set_paused(engine, args.id, args.action == "pause", actor=actor, now=now)
            print(f"subscription #{args.id} {args.action}d")
        else:
            queued = subs.queue_test(engine, args.id, now, actor=actor)
            print(f"subscription #{args.id}: {queued} test message queued (sent at the next round)")
    except subs.SubscriptionError as exc:
        print(f"postloan subscribe {args.action}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        engine.dispose()
    return 0


def add_subscribe_parser(
    sub: argparse._SubParsersAction,
    warehouse_option: Callable[[argparse.ArgumentParser], None],
    actor_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register `postloan subscribe …` on the top-level subparsers."""
    parser = sub.add_parser(
        "subscribe", help="report packs by e-mail on a schedule", description=cmd_subscribe.__doc__
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="subscribe a user to a pack", description="Subscribe.")
    add.add_argument("name", metavar="NAME", help="the recipient's username")
    add.add_argument(
        "--pack", required=True, help="executive_weekly, at_risk or compliance_calendar"
    )
    add.add_argument("--schedule", required=True, help="'weekly MON 08:00' or 'monthly WD3 08:00'")
    add.add_argument("--lang", default="zh", help="zh (default) or en")
    add.add_argument(
        "--view",
        default="",
        metavar="FILTERS",
        help="a page view's filters in URL form, e.g. 'product=loan&region=310000'",
    )
    listing = actions.add_parser("list", help="every subscription", description="List them.")
    for name, text in (
        ("pause", "stop sending until resumed"),
        ("resume", "send again"),
        ("test", "queue one message now"),
    ):
        one = actions.add_parser(name, help=text, description=text)
        one.add_argument("id", type=int, metavar="ID", help="the subscription's number")
        warehouse_option(one)
        actor_option(one)
    for each in (add, listing):
        warehouse_option(each)
    actor_option(add)
    parser.set_defaults(func=cmd_subscribe)
