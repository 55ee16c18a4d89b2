"""`postloan alerts evaluate|list|ack`: run the alert rules, list open alerts, acknowledge one.

`evaluate` also runs after every `postloan load` and `postloan build`; see docs/alerts.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

EXIT_BAD_INPUT = 2


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _pct(value: object) -> str:
    """A ratio as a percentage with two decimals; — when there is none."""
    if value is None:
        return "—"
    return f"{Decimal(str(value)) * 100:.2f}%"


def _figure(rule: str, value: object, line: object) -> str:
    """An alert's figure against its line in the rule's own unit: a ratio in %, an exposure in
    yuan, working days left, blocking failures, a model's PSI or AUC as a number; a proposal
    has none."""
    if rule.startswith("committee."):
        return "awaiting review"
    if value is None:
        return "—"
    amount, bound = Decimal(str(value)), None if line is None else Decimal(str(line))
    if rule.startswith("exposure."):
        return f"{amount:,.2f} yuan (from {bound:,.2f})"
    if rule == "filing.missed":
        return "past its deadline, not submitted"
    if rule.startswith("filing."):
        return f"{int(amount)} working days left (line {int(bound or 0)})"
    if rule.startswith("checks."):
        return f"{int(amount)} blocking failures"
    if rule.startswith("model."):
        return f"{amount:.3f} (line {bound:.3f})" if bound is not None else f"{amount:.3f}"
    return f"{_pct(value)} (line {_pct(line)})"


def evaluate_and_report(url: str, settings: Any, as_of: date | None = None) -> int:
    """Evaluate the rules, print one line per alert that fired or resolved; 0, or 2 on error."""
    import sqlalchemy as sa

    from alerts.run import evaluate
    from alerts.webhook import WebhookConfig
    from dashboard.delivery.alert_mail import queue_alert_mail, subject_names
    from warehouse.portal import portal_engine, portal_url
    from warehouse.settings import secrets_section

    try:
        now = _now()
        done = evaluate(url, settings, now, as_of)
        portal = portal_engine(portal_url(url))
        try:
            robot = WebhookConfig.from_secrets(secrets_section("webhook")) is not None
            names = subject_names(url, done.announcements)
            queued = queue_alert_mail(
                portal, done.announcements, settings, now, robot=robot, names=names
            )
        finally:
            portal.dispose()
    except (LookupError, ValueError, sa.exc.SQLAlchemyError) as exc:
        sys.stderr.write(f"alerts not evaluated: {exc}\n")
        return EXIT_BAD_INPUT
    print(
        f"alerts evaluated at {done.as_of:%Y-%m}: {done.rules} rules, "
        f"{done.observations} figures, {done.breached} over their line"
    )
    for a in done.announcements:
        print(
            f"  #{a.alert_id} {a.event}: {a.rule} {a.subject} = {_figure(a.rule, a.value, a.line)}"
        )
    if done.missing:
        print(f"  no figure this time for: {', '.join(done.missing)} (nothing opened or closed)")
    if queued:
        print(f"  {queued} e-mails queued (postloan deliver --due or the scheduler sends them)")
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    """Evaluate the alert rules, list the open alerts, or acknowledge one."""
    import sqlalchemy as sa

    from dashboard.cli.common import cli_actor, settings_file, warehouse_url_of

    url = warehouse_url_of(args)
    if args.action == "evaluate":
        return evaluate_and_report(url, settings_file(), args.as_of)
    from alerts.store import acknowledge_alert, open_alerts
    from warehouse.portal import portal_engine, portal_url

    try:
        engine = portal_engine(portal_url(url))
    except (ValueError, sa.exc.SQLAlchemyError) as exc:
        sys.stderr.write(f"postloan alerts: cannot open the portal store: {exc}\n")
        return EXIT_BAD_INPUT
    try:
        if args.action == "list":
            frame = open_alerts(engine)
            if frame.empty:
                print("no open alerts")
            for row in frame.to_dict("records"):
                print(
                    f"#{row['alert_id']} {row['status']} {row['rule']} {row['subject']} "
                    f"= {_figure(row['rule'], row['value'], row['line'])} "
                    f"since {row['first_period']:%Y-%m}"
                )
            return 0
        until = None
        if args.until:
            until = datetime.fromisoformat(args.until).replace(tzinfo=None)
        try:
            acknowledge_alert(engine, args.alert_id, actor=cli_actor(args), until=until)
        except ValueError as exc:
            sys.stderr.write(f"postloan alerts ack: {exc}\n")
            return EXIT_BAD_INPUT
        print(f"alert #{args.alert_id} " + (f"snoozed until {until}" if until else "acknowledged"))
        return 0
    finally:
        engine.dispose()


def add_alerts_parser(
    sub: argparse._SubParsersAction,
    warehouse_option: Callable[[argparse.ArgumentParser], None],
    month_end: Callable[[str], date],
    actor_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Register `postloan alerts evaluate|list|ack` on the top-level subparsers."""
    alerts = sub.add_parser(
        "alerts",
        help="evaluate the alert rules, list or acknowledge alerts",
        description=cmd_alerts.__doc__,
    )
    actions = alerts.add_subparsers(dest="action", required=True, metavar="ACTION")
    evaluate = actions.add_parser(
        "evaluate",
        help="evaluate every rule at the latest month-end (also run after load and build)",
        description="Evaluate every alert rule and print what fired or resolved.",
    )
    evaluate.add_argument(
        "--as-of", type=month_end, metavar="YYYY-MM", help="month-end to evaluate (default latest)"
    )
    warehouse_option(evaluate)
    listing = actions.add_parser(
        "list", help="the open alerts", description="List the open (fired) alerts, newest first."
    )
    warehouse_option(listing)
    ack = actions.add_parser(
        "ack",
        help="acknowledge (or snooze) a firing alert",
        description="Acknowledge a firing alert; with --until, snooze it until then (UTC).",
    )
    ack.add_argument("alert_id", type=int, metavar="ID", help="the alert's number")
    ack.add_argument("--until", metavar="YYYY-MM-DDTHH:MM", help="snooze until this UTC time")
    warehouse_option(ack)
    actor_option(ack)
    alerts.set_defaults(func=cmd_alerts)
