"""Write extract tables as UTF-8 CSV with pyarrow, in registry column order, chunk by chunk."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from warehouse.extract_spec import TABLES_BY_NAME

# Demo text never contains commas, quotes or line breaks, so nothing needs quoting.
OPTIONS = pacsv.WriteOptions(
    include_header=True, quoting_style="none", quoting_header="none", batch_size=65536
)


def write_table(out: Path, name: str, parts: Iterable[pa.Table] | pa.Table) -> int:
    """Write `<name>.csv` from one table or a stream of chunks; returns the number of rows."""
    columns = list(TABLES_BY_NAME[name].column_names) if name in TABLES_BY_NAME else None
    chunks = [parts] if isinstance(parts, pa.Table) else parts
    rows = 0
    writer: pacsv.CSVWriter | None = None
    schema: pa.Schema | None = None
    with (out / f"{name}.csv").open("wb") as sink:
        for chunk in chunks:
            table = chunk if columns is None else chunk.select(columns)
            if writer is None:
                schema = table.schema
                writer = pacsv.CSVWriter(sink, schema, write_options=OPTIONS)
            writer.write_table(table if table.schema == schema else table.cast(schema))
            rows += table.num_rows
        if writer is None:  # no chunk at all: a header-only file
            empty = pa.table({c: pa.array([], pa.string()) for c in columns or []})
            pacsv.write_csv(empty, sink, OPTIONS)
        else:
            writer.close()
    return rows


def chunked(total: int, size: int) -> Iterable[tuple[int, int]]:
    """(start, stop) ranges covering 0..total in steps of `size`."""
    for start in range(0, total, size):
        yield start, min(start + size, total)
