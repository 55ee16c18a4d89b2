"""The load records: which extract the warehouse holds (as-of, institution, fingerprint)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_one, table_exists
from warehouse.schema import loads


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
    row_counts: dict[str, int]
    build_seconds: float | None


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
    )
