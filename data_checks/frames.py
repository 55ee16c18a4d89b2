"""A dataset's rows as pandas DataFrames in bounded chunks, for GX's pandas datasource.

On DuckDB the rows stream as Arrow record batches from the raw connection (no per-row Python
objects); elsewhere through a server-side cursor. Exact NUMERIC columns arrive as float64: the
expectations compare them with 0 or with each other, where float64 is exact enough for cents of
amounts below 10^13 yuan.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.engine import Engine

CHUNK_ROWS = 2_000_000


def _float_decimals(batch: pa.RecordBatch) -> pa.RecordBatch:
    columns = [
        col.cast(pa.float64()) if pa.types.is_decimal(col.type) else col for col in batch.columns
    ]
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def _duckdb_frames(engine: Engine, stmt: sa.Select, chunk: int) -> Iterator[pd.DataFrame]:
    compiled = stmt.compile(dialect=engine.dialect)
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    raw = engine.raw_connection()
    try:
        # duckdb_engine's wrapper hands `sql` to the DuckDB connection: a relation, streamed.
        relation = raw.driver_connection.sql(str(compiled), params=params or None)
        reader = relation.to_arrow_reader(chunk)
        for batch in reader:
            yield _float_decimals(batch).to_pandas()
    finally:
        raw.close()


def _stream_frames(engine: Engine, stmt: sa.Select, chunk: int) -> Iterator[pd.DataFrame]:
    numeric = [c.name for c in stmt.selected_columns if isinstance(c.type, sa.Numeric)]
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=chunk).execute(stmt)
        names = list(result.keys())
        for part in result.partitions():
            frame = pd.DataFrame.from_records(part, columns=names)
            for name in numeric:
                frame[name] = frame[name].astype("float64")
            yield frame


def iter_frames(engine: Engine, stmt: sa.Select, chunk: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """The rows of `stmt` as DataFrames of at most `chunk` rows (none for no rows)."""
    if engine.dialect.name == "duckdb":
        yield from _duckdb_frames(engine, stmt, chunk)
    else:
        yield from _stream_frames(engine, stmt, chunk)
