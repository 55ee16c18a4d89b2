"""Helpers for the load tests: edit a copy of the small fixture extract, read a warehouse back."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import sqlalchemy as sa

from warehouse import schema
from warehouse.engine import create_warehouse_engine

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "extract_small"
Edit = Callable[[Path], None]


# ---- editing a copy of the fixture ----------------------------------------------------------


def read_rows(folder: Path, table: str) -> list[list[str]]:
    """The rows of a CSV table, header first."""
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(folder: Path, table: str, rows: list[list[str]]) -> None:
    """Replace a CSV table with these rows."""
    with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def set_cell(table: str, row: int, column: str, value: str) -> Edit:
    """An edit setting one cell; `row` counts the header as row 1."""

    def edit(folder: Path) -> None:
        rows = read_rows(folder, table)
        rows[row - 1][rows[0].index(column)] = value
        write_rows(folder, table, rows)

    return edit


def append_line(table: str, line: str) -> Edit:
    """An edit adding one raw line at the end of a file."""

    def edit(folder: Path) -> None:
        with (folder / f"{table}.csv").open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    return edit


def add_column(table: str, column: str, value: str) -> Edit:
    """An edit adding a column at the end of a file, `value` in every row."""

    def edit(folder: Path) -> None:
        rows = read_rows(folder, table)
        write_rows(folder, table, [[*rows[0], column], *([*r, value] for r in rows[1:])])

    return edit


def drop_column(table: str, column: str) -> Edit:
    """An edit removing one column from a file."""

    def edit(folder: Path) -> None:
        rows = read_rows(folder, table)
        i = rows[0].index(column)
        write_rows(folder, table, [r[:i] + r[i + 1 :] for r in rows])

    return edit


def drop_rows(table: str, first: str) -> Edit:
    """An edit removing the data rows whose first cell is `first`."""

    def edit(folder: Path) -> None:
        rows = read_rows(folder, table)
        write_rows(folder, table, [rows[0]] + [r for r in rows[1:] if r[0] != first])

    return edit


def remove_file(table: str) -> Edit:
    """An edit deleting a table's file."""
    return lambda folder: (folder / f"{table}.csv").unlink()


def reencode_line(table: str, line: int, encoding: str) -> Edit:
    """An edit writing physical line `line` (the header is line 1) of a file in `encoding`."""

    def edit(folder: Path) -> None:
        path = folder / f"{table}.csv"
        lines = path.read_bytes().split(b"\n")
        lines[line - 1] = lines[line - 1].decode("utf-8").encode(encoding)
        path.write_bytes(b"\n".join(lines))

    return edit


def replace_file(table: str, kind: str) -> Edit:
    """An edit putting something else where a table's file was: `fifo` (a named pipe), `folder`,
    `link_outside` (a link to a copy of the file outside the extract folder) or `link_inside`
    (a link to a copy inside it, under another name)."""

    def edit(folder: Path) -> None:
        path = folder / f"{table}.csv"
        copy = (folder.parent if kind == "link_outside" else folder) / f"{table}-copy.txt"
        shutil.copyfile(path, copy)
        path.unlink()
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "folder":
            path.mkdir()
        else:
            path.symlink_to(copy)

    return edit


def extract(tmp_path: Path, *edits: Edit) -> Path:
    """A copy of the fixture extract with edits applied."""
    folder = tmp_path / "extract"
    shutil.copytree(FIXTURE, folder)
    for edit in edits:
        edit(folder)
    return folder


def to_workbook(folder: Path, path: Path) -> Path:
    """The CSV extract as one workbook, numbers and dates as typed cells (as Excel keeps them)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for csv_path in sorted(folder.glob("*.csv")):
        ws = book.create_sheet(csv_path.stem)
        for i, row in enumerate(read_rows(folder, csv_path.stem)):
            ws.append(row if i == 0 or csv_path.stem == "manifest" else [_typed(v) for v in row])
    book.save(path)
    return path


def _typed(value: str) -> object:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value)
    if re.fullmatch(r"-?\d+", value) and len(value) < 15:
        return int(value)
    if re.fullmatch(r"-?\d+\.\d+", value):
        return float(value)
    return value if value else None


# ---- reading the warehouse ------------------------------------------------------------------


def snapshot(url: str) -> dict[str, list[tuple]]:
    """The load records (loads, load_late_rows) and every source table, row by row."""
    engine = create_warehouse_engine(url)
    try:
        with engine.connect() as conn:
            tables = [schema.loads, schema.load_late_rows, *schema.SOURCE_TABLES.values()]
            return {
                t.name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.c))]
                for t in tables
            }
    finally:
        engine.dispose()


def count(url: str, table: sa.Table) -> int:
    """The number of rows of `table` in the warehouse at `url`."""
    engine = create_warehouse_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
    finally:
        engine.dispose()
