"""Build step: the watch rules read from the source tables, flagged once at the build's as-of.

Signals, IoT events, inspections, promises to pay and lessee financials are scattered over large
source tables; flagging them per page view costs seconds on a real-size book. The build writes the
open contracts at its as-of that meet any of these rules, with its own `watch.*` settings, to
`contract_watch`; `queries.at_risk` reads that table when a list asks for that as-of and those
settings and computes the rules live otherwise. After the early-warning scores, the build also
writes `at_risk_rows`: every open contract at its as-of meeting any rule but the watchlist, with
what the list shows, so the list at the build's as-of, settings and cut-off reads a quarter of
the open book instead of joining every open contract-month to the flags (about 174 thousand
rows of 681 thousand at 1,000,000 contracts). Both use the one set of rule subqueries
(`warehouse.marts.watch_rules.live_flags`), so they cannot disagree.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse import schema
from warehouse.marts.watch_rules import (
    BUILD_RULES,
    ROW_COLUMNS,
    SOURCE_RULES,
    at_risk_rows_statement,
    params_from,
    source_flags_statement,
)
from warehouse.settings import Settings

NAME = "watch flags"
ROWS_NAME = "at-risk rows"
CUTOFF_KEY = "early_warning.score_cutoff"


def write_watch_flags(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `contract_watch` for `as_of` with the watch settings in `settings`."""
    params = params_from(dict(settings.as_rows()))
    columns = ["contract_id", *(f"f_{r}" for r in SOURCE_RULES)]
    stmt = sa.insert(schema.contract_watch).from_select(
        columns, source_flags_statement(as_of, params)
    )
    conn.execute(stmt)


def write_at_risk_rows(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `at_risk_rows` for `as_of`: every open contract meeting a rule the build can flag,
    with the build's watch settings (`contract_watch`) and score cut-off (after `ew_scores`)."""
    columns = [*ROW_COLUMNS, "score", "score_reason", *(f"f_{r}" for r in BUILD_RULES)]
    stmt = sa.insert(schema.at_risk_rows).from_select(
        columns, at_risk_rows_statement(as_of, settings.decimal(CUTOFF_KEY))
    )
    conn.execute(stmt)
