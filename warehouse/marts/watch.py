"""Build step: the watch rules read from the source tables, flagged once at the build's as-of.

Signals, IoT events, inspections, promises to pay and lessee financials are scattered over large
source tables; flagging them per page view costs seconds on a real-size book. The build writes the
open contracts at its as-of that meet any of these rules, with its own `watch.*` settings, to
`contract_watch`; `queries.at_risk` reads that table when a list asks for that as-of and those
settings and computes the rules live otherwise. Both use the one set of rule subqueries
(`warehouse.marts.watch_rules.live_flags`), so they cannot disagree.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse import schema
from warehouse.marts.watch_rules import SOURCE_RULES, params_from, source_flags_statement
from warehouse.settings import Settings

NAME = "watch flags"


def write_watch_flags(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `contract_watch` for `as_of` with the watch settings in `settings`."""
    params = params_from(dict(settings.as_rows()))
    columns = ["contract_id", *(f"f_{r}" for r in SOURCE_RULES)]
    stmt = sa.insert(schema.contract_watch).from_select(
        columns, source_flags_statement(as_of, params)
    )
    conn.execute(stmt)
