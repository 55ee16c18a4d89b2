"""The loan-level detail (合同明细): one row per open contract at a month-end, streamed in batches.

Open = neither closed nor written off at the month-end, so the detail's outstanding adds up to
the balance figures of `queries/portfolio` and G11. Rows are ordered by contract id, so the same
data always gives the same file. `batches` streams with a server-side cursor (bounded memory)
and yields Arrow record batches; nothing here holds the whole book.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pyarrow as pa
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import measures
from queries.execute import fetch_one
from queries.filters import is_open
from warehouse.schema import contract_month, contracts, lessees

cm = contract_month
# Contracts per DuckDB query: bounds the join and sort the database holds at once.
CHUNK_ROWS = 50_000
# Output column -> expression, in the order of the registry's DETAIL_COLUMNS (A, B, …).
DETAIL_FIELDS: tuple[tuple[str, sa.ColumnElement], ...] = (
    ("contract_id", cm.c.contract_id),
    ("lessee_id", cm.c.lessee_id),
    ("name", lessees.c.name),
    ("id_number", lessees.c.id_number),
    ("lessee_type", cm.c.lessee_type),
    ("industry", cm.c.industry),
    ("region", cm.c.region),
    ("product", cm.c.product),
    ("asset_category", cm.c.asset_category),
    ("branch", cm.c.branch),
    ("start_date", contracts.c.start_date),
    ("original_principal", cm.c.original_principal),
    ("annual_rate", contracts.c.annual_rate),
    ("outstanding_principal", cm.c.outstanding_principal),
    ("overdue_principal", cm.c.overdue_principal),
    ("overdue_interest", cm.c.overdue_interest),
    ("dpd", cm.c.dpd),
    ("dpd_bucket", cm.c.dpd_bucket),
    ("risk_class", cm.c.risk_class),
    ("class_reason", cm.c.class_reason),
    ("in_observation", cm.c.in_observation),
    ("provision", cm.c.provision),
    ("provision_estimated", cm.c.provision_estimated),
)
FIELD_NAMES: tuple[str, ...] = tuple(name for name, _ in DETAIL_FIELDS)


def detail_statement(period: date, low: str | None = None, high: str | None = None) -> sa.Select:
    """Every open contract at the month-end `period` with the detail's columns, by contract id.

    `low` ≤ contract id < `high` restricts it to one range (on both sides of the contract join,
    so the database joins only that range).
    """
    conds = [cm.c.month_end == period, is_open(cm)]
    for table in (cm, contracts):
        if low is not None:
            conds.append(table.c.contract_id >= low)
        if high is not None:
            conds.append(table.c.contract_id < high)
    return (
        sa.select(*(expr.label(name) for name, expr in DETAIL_FIELDS))
        .select_from(
            cm.join(lessees, lessees.c.lessee_id == cm.c.lessee_id).join(
                contracts, contracts.c.contract_id == cm.c.contract_id
            )
        )
        .where(*conds)
        .order_by(cm.c.contract_id)
    )


def range_starts(period: date, chunk_rows: int) -> sa.Select:
    """The contract id opening every `chunk_rows` open contracts at `period`, in order."""
    place = sa.func.row_number().over(order_by=cm.c.contract_id).label("place")
    ids = (
        sa.select(cm.c.contract_id, place)
        .where(cm.c.month_end == period, is_open(cm))
        .subquery("ids")
    )
    return (
        sa.select(ids.c.contract_id)
        .where((ids.c.place - 1) % chunk_rows == 0)
        .order_by(ids.c.contract_id)
    )


def detail_totals(engine: Engine, period: date) -> dict[str, object]:
    """Contracts and the sums of the detail's money columns (keyed by column letter)."""
    stmt = sa.select(
        sa.func.count().label("contracts"),
        measures.total(cm.c.original_principal, "L"),
        measures.total(cm.c.outstanding_principal, "N"),
        measures.total(cm.c.overdue_principal, "O"),
        measures.total(cm.c.overdue_interest, "P"),
        measures.total(cm.c.provision, "V"),
        # W is the flag 准备是否估算: its total is the provisions it marks as estimated.
        measures.when(cm.c.provision_estimated, cm.c.provision, "W"),
    ).where(cm.c.month_end == period, is_open(cm))
    return fetch_one(engine, stmt) or {}


def batches(
    engine: Engine, period: date, batch_rows: int = 50_000, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pa.RecordBatch]:
    """The detail rows as Arrow record batches of at most `batch_rows`, streamed from the server.

    On DuckDB the detail is read in contract-id ranges of `chunk_rows` contracts, one query
    each, and the database hands Arrow batches over directly: a single query would hold the
    whole book's join and sort in memory before the first row. Elsewhere a server-side cursor
    is read in partitions (the server sorts and spills on its own) and each becomes a batch.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "duckdb":
            starts = [row[0] for row in conn.execute(range_starts(period, chunk_rows))]
            raw = conn.connection.driver_connection
            for low, high in zip(starts, [*starts[1:], None], strict=True):
                compiled = detail_statement(period, low, high).compile(dialect=conn.dialect)
                params = [compiled.params[k] for k in compiled.positiontup or ()]
                reader = raw.sql(str(compiled), params=params).to_arrow_reader(batch_rows)
                try:
                    for batch in reader:
                        yield batch.rename_columns(list(FIELD_NAMES))
                finally:
                    reader.close()  # releases DuckDB's result even when the caller stops early
            return
        result = conn.execution_options(stream_results=True, yield_per=batch_rows).execute(
            detail_statement(period)
        )
        for part in result.partitions(batch_rows):
            columns = list(zip(*part, strict=True))
            yield pa.RecordBatch.from_arrays(
                [pa.array(list(col)) for col in columns], names=list(FIELD_NAMES)
            )
