"""The load records: which extract the warehouse holds (as-of, institution, fingerprint)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame, fetch_one, table_exists
from warehouse.schema import load_late_rows, loads, metadata


@dataclass(frozen=True)
class LoadInfo:
    """One successful load, as recorded in `loads`."""

    load_id: int
    loaded_at: datetime
    as_of: date
    institution: str
    entity_type: str
    currency: str
    source: str
    sha256: str
    row_counts: dict[str, int]  # rows loaded, per table
    build_seconds: float | None
    # Rows dated after as_of, not loaded, per table that may have them (empty: none recorded).
    late_rows: dict[str, int]


def latest_load_statement() -> sa.Select:
    """The newest row of `loads`."""
    return sa.select(loads).order_by(loads.c.load_id.desc()).limit(1)


def latest_load(engine: Engine) -> LoadInfo | None:
    """The newest load, or None when the warehouse has no loads (or no `loads` table)."""
    if not table_exists(engine, loads.name):
        return None
    row = fetch_one(engine, latest_load_statement())
    if row is None:
        return None
    build = row["build_seconds"]
    return LoadInfo(
        load_id=int(row["load_id"]),
        loaded_at=row["loaded_at"],
        as_of=row["as_of"],
        institution=str(row["institution"]),
        entity_type=str(row["entity_type"]),
        currency=str(row["currency"]),
        source=str(row["source"]),
        sha256=str(row["sha256"]),
        row_counts={str(k): int(v) for k, v in json.loads(row["row_counts"] or "{}").items()},
        build_seconds=None if build is None else float(build),
        late_rows=late_rows(engine, int(row["load_id"])),
    )


def late_rows(engine: Engine, load_id: int) -> dict[str, int]:
    """Per extract table, the rows dated after as_of that load `load_id` left out (empty when
    the warehouse has no record of them: written by an older version)."""
    if not table_exists(engine, load_late_rows.name):
        return {}
    t = load_late_rows
    stmt = (
        sa.select(t.c.table_name, t.c.late_rows)
        .where(t.c.load_id == load_id)
        .order_by(t.c.table_name)
    )
    frame = fetch_frame(engine, stmt)
    return {str(name): int(n) for name, n in zip(frame.table_name, frame.late_rows, strict=True)}


# The layers a load and a build write into the warehouse (the portal's tables live elsewhere).
WAREHOUSE_LAYERS = ("source", "build", "mart")
_COLUMNS = sa.table(
    "columns",
    sa.column("table_schema"),
    sa.column("table_name"),
    sa.column("column_name"),
    schema="information_schema",
)


def expected_layout() -> dict[str, set[str]]:
    """The tables (and their columns) this version reads from a warehouse."""
    tables = [t for t in metadata.sorted_tables if t.info.get("layer") in WAREHOUSE_LAYERS]
    return {t.name: {c.name for c in t.columns} for t in [*tables, loads]}


def missing_layout(engine: Engine) -> list[str]:
    """Tables (`name`) and columns (`table.column`) this version needs but the warehouse lacks:
    a warehouse written by an older version, to rebuild (`postloan build`) or load again."""
    c = _COLUMNS.c
    stmt = sa.select(c.table_name, c.column_name).where(c.table_schema == sa.func.current_schema())
    with engine.connect() as conn:
        found: dict[str, set[str]] = {}
        for table, column in conn.execute(stmt):
            found.setdefault(str(table), set()).add(str(column))
    missing = []
    for table, columns in sorted(expected_layout().items()):
        if table not in found:
            missing.append(table)
        else:
            missing.extend(f"{table}.{name}" for name in sorted(columns - found[table]))
    return missing
