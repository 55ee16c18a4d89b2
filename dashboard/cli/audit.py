"""`postloan audit verify`: check the audit trail's hash chain and say where it breaks.

Prints the state (rows, the row verified up to, rows of an older version and the row that seals
them, the head to note elsewhere) and exits 1 at the first broken, missing, foreign or back-dated
row (`warehouse.portal.audit_chain`), 2 when the portal store cannot be opened. Opening the store
upgrades one written by an older version (adds the chain columns), so run it once with an
administrator's URL after an upgrade on PostgreSQL.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

EXIT_BROKEN = 1
EXIT_BAD_INPUT = 2


def cmd_audit(args: argparse.Namespace) -> int:
    """Verify the audit trail's hash chain (exit 1 at the first broken link)."""
    import sqlalchemy as sa

    from warehouse.portal import portal_engine, portal_url
    from warehouse.portal.audit_chain import verify
    from warehouse.settings import warehouse_url

    try:
        engine = portal_engine(portal_url(warehouse_url(args.warehouse)))
    except (ValueError, sa.exc.SQLAlchemyError) as exc:
        sys.stderr.write(f"postloan audit: cannot open the portal store: {exc}\n")
        return EXIT_BAD_INPUT
    try:
        state = verify(engine)
    except sa.exc.SQLAlchemyError as exc:
        sys.stderr.write(f"postloan audit: cannot read the audit trail: {exc}\n")
        return EXIT_BAD_INPUT
    finally:
        engine.dispose()
    (sys.stdout if state.ok else sys.stderr).write(state.message() + "\n")
    return 0 if state.ok else EXIT_BROKEN


def add_audit_parser(
    sub: argparse._SubParsersAction, warehouse_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    """Register `postloan audit verify` on the top-level subparsers."""
    audit = sub.add_parser(
        "audit", help="verify the audit trail's hash chain", description=cmd_audit.__doc__
    )
    actions = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify_help = "walk the audit trail; exit 1 at the first broken, missing or back-dated row"
    warehouse_option(actions.add_parser("verify", help=verify_help, description=verify_help))
    audit.set_defaults(func=cmd_audit)
