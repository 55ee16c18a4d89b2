"""The loan-level detail 合同明细: streamed to .xlsx (continuation sheets) or CSV, bounded memory.

The first sheet is the cover every supervisory workbook carries (`regulatory.cover`: institution,
period, unit 元, preparer, reviewer, generation time, data fingerprint, the build's settings).
Rows come from `queries.contract_detail.batches` (Arrow batches, never the whole book) and go
through `regulatory.xlsx_stream` one batch at a time. Codes become their Chinese labels (class,
lessee type, product, class reason; flags 是/否); money stays in yuan with 2 decimals (a
loan-level figure in 万元 would lose its cents). Past `rows_per_sheet` data rows a sheet is
continued on 合同明细(2), (3), …; each sheet repeats the header row. The same data gives the same
bytes; every text is an inline string (xlsx) or, in CSV, prefixed with `'` when a spreadsheet
would read it as a formula.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy.engine import Engine

from queries.contract_detail import FIELD_NAMES, batches
from queries.inert_text import FORMULA_START
from regulatory.codes import CLASS_LABELS, LESSEE_TYPE_LABELS, PRODUCT_LABELS, REASON_LABELS
from regulatory.cover import cover_rows, cover_title, make_cover
from regulatory.model import Cover
from regulatory.registry import DETAIL_COLUMNS, report_spec
from regulatory.xlsx_stream import EXCEL_MAX_ROWS, StreamingWorkbook
from warehouse.settings import Settings

SHEET = "合同明细"
COVER_SHEET = "封面"
UNIT = "元"  # a loan-level figure in 万元 would lose its cents
ROWS_PER_SHEET = EXCEL_MAX_ROWS - 1  # one header row per sheet
BATCH_ROWS = 20_000
_LABELS: dict[str, dict[str, str]] = {
    "risk_class": {k: v[0] for k, v in CLASS_LABELS.items()},
    "lessee_type": {k: v[0] for k, v in LESSEE_TYPE_LABELS.items()},
    "product": {k: v[0] for k, v in PRODUCT_LABELS.items()},
    "class_reason": REASON_LABELS,
}
_FLAGS = ("in_observation", "provision_estimated")
# The csv rule of `queries.inert_text`, as a regex for Arrow: cells a spreadsheet would evaluate.
_FORMULA_START = "^[" + re.escape("".join(FORMULA_START)) + "]"


@dataclass(frozen=True)
class DetailResult:
    """What was written: data rows, SHA-256 of the file, the detail's sheet names (after the
    cover), the outstanding total."""

    rows: int
    sha256: str
    sheets: tuple[str, ...]
    outstanding: Decimal = Decimal(0)


def _label(col: pa.Array, mapping: dict[str, str]) -> pa.Array:
    keys, values = pa.array(list(mapping)), pa.array(list(mapping.values()))
    found = values.take(pc.index_in(col, value_set=keys))
    return pc.coalesce(found, pc.cast(col, pa.string()))


def display(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch as the detail shows it: labels for codes, 是/否 for flags."""
    arrays = []
    for name, col in zip(FIELD_NAMES, batch.columns, strict=True):
        if name in _LABELS:
            col = _label(col, _LABELS[name])
        elif name in _FLAGS:
            col = pc.if_else(col, "是", "否")
        arrays.append(col)
    return pa.RecordBatch.from_arrays(arrays, names=list(FIELD_NAMES))


class _Rows:
    """The detail's display batches, handed out in slices of at most a given number of rows."""

    def __init__(self, engine: Engine, period: date, batch_rows: int) -> None:
        self._source = (display(b) for b in batches(engine, period, batch_rows))
        self._pending: pa.RecordBatch | None = None
        self.outstanding = Decimal(0)
        self.done = False

    def upto(self, limit: int) -> Iterator[pa.RecordBatch]:
        """Yield batches until `limit` rows or the end; keeps the remainder for the next call."""
        left = limit
        while left > 0:
            batch = self._pending if self._pending is not None else next(self._source, None)
            self._pending = None
            if batch is None:
                self.done = True
                return
            if batch.num_rows > left:
                self._pending = batch.slice(left)
                batch = batch.slice(0, left)
            left -= batch.num_rows
            total = pc.sum(batch.column(FIELD_NAMES.index("outstanding_principal"))).as_py()
            self.outstanding += Decimal(total or 0)
            yield batch
        if self._pending is None:
            self._pending = next(self._source, None)
            self.done = self._pending is None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _cover_sheet(book: StreamingWorkbook, cover: Cover) -> None:
    """The cover every workbook carries (regulatory.cover), as the detail's first sheet."""
    spec = report_spec("DETAIL")
    rows = cover_rows(cover, [(spec.code, spec.title_zh)])
    batch = pa.RecordBatch.from_arrays(
        [
            pa.array([k or None for k, _ in rows], pa.string()),
            pa.array([v or None for _, v in rows], pa.string()),
        ],
        names=["key", "value"],
    )
    book.write_sheet(COVER_SHEET, [cover_title(cover), ""], ["text", "text"], [batch], [40.0, 70.0])


def write_detail(
    engine: Engine,
    period: date,
    out: Path,
    settings: Settings | None = None,
    rows_per_sheet: int = ROWS_PER_SHEET,
    batch_rows: int = BATCH_ROWS,
    cover: Cover | None = None,
) -> DetailResult:
    """Write the detail of the month-end `period` to `out` (.xlsx): a cover (unit 元), then the
    rows, continuing past the limit. Without `cover`, one generated now (make_cover)."""
    if not 0 < rows_per_sheet <= ROWS_PER_SHEET:
        raise ValueError(f"rows_per_sheet must be between 1 and {ROWS_PER_SHEET}")
    cover = cover or make_cover(engine, period, unit=UNIT)
    if cover.unit != UNIT:
        raise ValueError(f"the detail is in {UNIT}, not {cover.unit}")
    header = [c.label_zh for c in DETAIL_COLUMNS]
    kinds = [c.kind for c in DETAIL_COLUMNS]
    widths = [16.0 if k != "text" else 14.0 for k in kinds]
    source = _Rows(engine, period, min(batch_rows, rows_per_sheet))
    book = StreamingWorkbook(out, stamp=period)
    rows = 0
    sheets: list[str] = []
    try:
        _cover_sheet(book, cover)
        while True:
            sheets.append(SHEET if not sheets else f"{SHEET}({len(sheets) + 1})")
            rows += book.write_sheet(sheets[-1], header, kinds, source.upto(rows_per_sheet), widths)
            if source.done:
                break
    finally:
        book.close()
    return DetailResult(rows, _sha256(out), tuple(sheets), source.outstanding)


def _csv_safe(col: pa.Array) -> pa.Array:
    if not pa.types.is_string(col.type):
        return col
    risky = pc.fill_null(pc.match_substring_regex(col, _FORMULA_START), False)
    return pc.if_else(risky, pc.binary_join_element_wise("'", col, ""), col)


def write_detail_csv(
    engine: Engine,
    period: date,
    out: Path,
    settings: Settings | None = None,
    batch_rows: int = BATCH_ROWS,
) -> DetailResult:
    """The same detail as UTF-8 CSV (with BOM, Chinese headers), streamed batch by batch."""
    header = [c.label_zh for c in DETAIL_COLUMNS]
    source = _Rows(engine, period, batch_rows)
    rows = 0
    with out.open("wb") as fh:
        fh.write("\ufeff".encode())
        writer = None
        for batch in source.upto(2**62):
            safe = pa.RecordBatch.from_arrays(
                [_csv_safe(pc.cast(c, pa.string())) for c in batch.columns], names=header
            )
            if writer is None:
                writer = pacsv.CSVWriter(fh, safe.schema)
            writer.write_batch(safe)
            rows += batch.num_rows
        if writer is None:
            fh.write((",".join(f'"{h}"' for h in header) + "\n").encode("utf-8"))
        else:
            writer.close()
    return DetailResult(rows, _sha256(out), (), source.outstanding)
