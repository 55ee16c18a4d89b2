"""The `loads` row a real load writes, recorded in a test warehouse."""

from __future__ import annotations

import json
from datetime import date, datetime

from warehouse import schema
from warehouse.engine import create_warehouse_engine


def record_load(
    url: str,
    *,
    as_of: date,
    loaded_at: datetime,
    institution: str,
    source: str,
    sha256: str,
    contracts: int,
    build_seconds: float | None = None,
) -> None:
    """Add the `loads` row a real load writes (load 1, a 融资租赁公司 reporting in CNY)."""
    row = {
        "load_id": 1,
        "loaded_at": loaded_at,
        "as_of": as_of,
        "institution": institution,
        "entity_type": "financing_lease",
        "currency": "CNY",
        "source": source,
        "sha256": sha256,
        "row_counts": json.dumps({"contracts": contracts}),
    }
    if build_seconds is not None:
        row["build_seconds"] = build_seconds
    engine = create_warehouse_engine(url)
    try:
        schema.metadata.create_all(engine, tables=[schema.loads], checkfirst=True)
        with engine.begin() as conn:
            conn.execute(schema.loads.insert().values(**row))
    finally:
        engine.dispose()
