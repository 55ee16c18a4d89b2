"""The one place that runs statements: SQLAlchemy Core in, DataFrames out.

Values come back as the driver gives them (NUMERIC as `Decimal`), so money stays exact until it
is displayed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Executable


def fetch_frame(engine: Engine, statement: Executable) -> pd.DataFrame:
    """Execute a Core statement and return every row as a DataFrame (object columns kept)."""
    with engine.connect() as conn:
        result = conn.execute(statement)
        columns = list(result.keys())
        rows = [tuple(row) for row in result.fetchall()]  # one fetch, not one call per row
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=False)


def table_exists(engine: Engine, name: str) -> bool:
    """True when the warehouse has a table of this name."""
    with engine.connect() as conn:
        return sa.inspect(conn).has_table(name)


def fetch_one(engine: Engine, statement: Executable) -> dict[str, Any] | None:
    """Execute a Core statement and return its first row as a plain dict (None when empty)."""
    with engine.connect() as conn:
        row = conn.execute(statement).mappings().first()
    return None if row is None else dict(row)
