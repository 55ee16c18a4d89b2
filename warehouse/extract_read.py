"""Read an extract (a folder of CSV files or one .xlsx) into an in-memory DuckDB staging database.

Every cell is read as text, trimmed (empty becomes NULL) and staged beside its typed value in
`s_<table>`; cell-level problems (type, empty required cell, enum, pattern, negative, decimals)
are collected row by row in the text column `_bad`. Rows keep file order, so a row's line in the
file is `rowid + 2` (the header is line 1). Extra columns are ignored; optional tables and optional
columns may be missing.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from warehouse import extract_spec as spec
from warehouse.extract_files import folder_files, open_regular
from warehouse.extract_kinds import DUCK_TYPES, lit, problem_expr, typed_expr
from warehouse.extract_problems import CAP, Problem
from warehouse.extract_text import (
    CONTROL,
    MAX_LINE_BYTES,
    encoding_message,
    field_index,
    first_undecodable,
    header_end,
    locate,
    split_record,
    text_problem,
)

MANIFEST_ROWS = 1000
# How Excel writes a character XML cannot hold (ST_Xstring); openpyxl leaves it as it is.
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


@dataclass(frozen=True)
class StagedTable:
    """One extract table staged as `s_<name>`."""

    name: str
    file: str  # how problems name it: `contracts.csv` or `book.xlsx:contracts`
    present: frozenset[str]  # registry columns the file has
    rows: int


@dataclass
class Staging:
    """The staged extract: the DuckDB connection, its tables, the manifest and reading problems."""

    con: duckdb.DuckDBPyConnection
    tables: dict[str, StagedTable] = field(default_factory=dict)
    manifest: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (value, row)
    manifest_file: str = "manifest.csv"
    manifest_read: bool = False  # false when the manifest is missing or unreadable (reported)
    problems: list[Problem] = field(default_factory=list)


def _header_index(
    header: list[Any], table: spec.Table, file: str, problems: list[Problem]
) -> dict[str, int]:
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    index: dict[str, int] = {}
    for col in table.columns:
        found = [i for i, n in enumerate(names) if n == col.name]
        if len(found) > 1:
            problems.append(Problem(file, 1, col.name, "column appears more than once"))
        if found:
            index[col.name] = found[0]
        elif col.required:
            problems.append(Problem(file, 1, col.name, "required column is missing"))
    return index


def _stage_sql(table: spec.Table, index: dict[str, int], source: str) -> str:
    raws, typed, outs, bad = [], [], [], []
    for c in table.columns:
        r, v = f'"r_{c.name}"', f'"v_{c.name}"'
        text = f"NULLIF(trim(c{index[c.name]}), '')" if c.name in index else "NULL::VARCHAR"
        raws.append(f"{text} AS {r}")
        typed.append(f"CAST({typed_expr(c, r)} AS {DUCK_TYPES[c.kind]}) AS {v}")
        outs.append(f'{v} AS "{c.name}"')
        what = problem_expr(c, r, v, present=c.name in index)
        bad.append(f"{lit(c.name + chr(31))} || ({what})")
    keyok = " AND ".join(f'("r_{k}" IS NULL OR "v_{k}" IS NOT NULL)' for k in table.key)
    return (
        f'CREATE TABLE "s_{table.name}" AS SELECT {", ".join(outs)}, '  # noqa: S608 - registry names only
        f"NULLIF(concat_ws(chr(30), {', '.join(bad)}), '') AS _bad, {keyok} AS _keyok "
        f"FROM (SELECT *, {', '.join(typed)} FROM (SELECT {', '.join(raws)} FROM {source}))"
    )


def _read_csv_header(path: Path, file: str, problems: list[Problem]) -> list[str] | None:
    """The header of a CSV file, or None after reporting why it cannot be read."""
    try:
        with open_regular(path) as fh:
            data = fh.read(MAX_LINE_BYTES + 1)
    except OSError as exc:  # unreadable, or swapped for something else since it was vetted
        problems.append(Problem(file, None, "", f"the file cannot be read: {exc.strerror or exc}"))
        return None
    data = data.removeprefix(codecs.BOM_UTF8)
    if not data:
        problems.append(Problem(file, None, "", "the file is empty (no header line)"))
        return None
    end = header_end(data)
    if end is None and len(data) > MAX_LINE_BYTES:
        names = split_record(data[:MAX_LINE_BYTES].decode("utf-8", errors="replace"))
        message = f"the line is longer than {MAX_LINE_BYTES:,} bytes"
        problems.append(Problem(file, 1, _name(names, len(names) - 1), message))
        return None
    line = data[: len(data) if end is None else end].removesuffix(b"\r")
    bad = first_undecodable(line, complete=True)
    if bad is not None:
        before = line[:bad].decode("utf-8")
        where = f"column {field_index(before) + 1}"  # its name is what cannot be read
        message = encoding_message(line[bad : bad + 64])
        problems.append(Problem(file, 1 + before.count("\n"), where, message))
        return None
    return split_record(line.decode("utf-8"))


def _name(header: list[str], index: int) -> str:
    """How a problem names the column at 0-based `index` of a CSV header."""
    name = header[index].strip() if 0 <= index < len(header) else ""
    return name or f"column {index + 1}"


def _csv_source(path: Path, width: int, rejects: str, *, padded: bool = False) -> str:
    """SQL reading the CSV file `path` as text columns c0..c<width-1>, bad lines to `rejects`."""
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    return (
        f"read_csv({lit(str(path))}, header=true, auto_detect=false, columns={columns}, "
        f"delim=',', quote='\"', escape='\"', encoding='utf-8', max_line_size={MAX_LINE_BYTES}, "
        f"null_padding={str(padded).lower()}, store_rejects=true, "
        f"rejects_table='{rejects}', rejects_scan='{rejects}_scan')"
    )


def _bad_lines(st: Staging, path: Path, file: str, header: list[str], rejects: str) -> bool:
    """Report the lines DuckDB could not read (at most CAP); True if there were any.

    Lines that are not UTF-8 or too long are found again in the file, so they are named by
    physical line and by the column the first offending byte falls in.
    """
    rows = st.con.execute(
        "SELECT line, line_byte_position, column_idx, error_type, error_message, "  # noqa: S608
        f"count(*) OVER () FROM {rejects} ORDER BY line LIMIT {CAP}"
    ).fetchall()
    found = {
        kind: locate(path, [int(r[1]) - 1 for r in rows if r[3] == kind], encoding=encoding)
        for kind, encoding in (("INVALID ENCODING", True), ("LINE SIZE OVER MAXIMUM", False))
    }
    named: set[int] = set()
    for line, start, col_idx, kind, message, _ in rows:
        spot = found.get(kind, {}).get(int(start) - 1)
        if spot is not None and start in named:
            continue  # one line, one problem: its first offending byte
        named.add(start)
        if spot is None:
            name = header[col_idx - 1].strip() if col_idx and col_idx <= len(header) else ""
            text = f"{str(kind).lower().replace('_', ' ')}: {message}"
            st.problems.append(Problem(file, int(line), name, text))
        elif kind == "INVALID ENCODING":
            message = encoding_message(spot.found)
            st.problems.append(Problem(file, spot.line, _name(header, spot.field), message))
        else:
            message = f"the line is longer than {MAX_LINE_BYTES:,} bytes"
            st.problems.append(Problem(file, spot.line, _name(header, spot.field), message))
    if rows and rows[0][5] > CAP:
        more = rows[0][5] - CAP
        st.problems.append(Problem(file, None, "", f"... and {more} more lines like these"))
    if rows:
        # Rows after a malformed line would get wrong line numbers; report only the lines.
        st.problems.append(Problem(file, None, "", "fix the malformed lines to check the rest"))
    return bool(rows)


def _stage_csv(st: Staging, table: spec.Table, path: Path, file: str) -> None:
    header = _read_csv_header(path, file, st.problems)
    if header is None:
        return
    index = _header_index(header, table, file, st.problems)
    rejects = f"rej_{table.name}"
    source = _csv_source(path, len(header), rejects)
    st.con.execute(_stage_sql(table, index, source)).fetchall()
    if _bad_lines(st, path, file, header, rejects):
        return
    _register(st, table, file, index)


def _register(st: Staging, table: spec.Table, file: str, index: dict[str, int]) -> None:
    sql = f'SELECT count(*) FROM "s_{table.name}"'  # noqa: S608 - registry names only
    ((rows,),) = st.con.execute(sql).fetchall()
    st.tables[table.name] = StagedTable(table.name, file, frozenset(index), int(rows))


def cell_text(value: Any) -> str | None:
    """A workbook cell as the text a CSV file would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        text = f"{value:.15g}"  # what Excel shows; drops binary noise such as 0.30000000000000004
        return text if "e" not in text else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return _EXCEL_ESCAPE.sub(_control_unescaped, str(value))


def _control_unescaped(match: re.Match[str]) -> str:
    """A control character Excel wrote as `_x0001_` is that character, to be refused as one."""
    char = chr(int(match.group(1), 16))
    return char if CONTROL.fullmatch(char) else match.group()


def _sheet_rows(ws: Any) -> list[list[str | None]]:
    rows = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
    while rows and all(v is None or not v.strip() for v in rows[-1]):
        rows.pop()
    return rows


def _stage_sheet(st: Staging, table: spec.Table, rows: list[list[str | None]], file: str) -> None:
    if not rows:
        st.problems.append(Problem(file, None, "", "the sheet is empty (no header row)"))
        return
    header, data = rows[0], rows[1:]
    index = _header_index(header, table, file, st.problems)
    width = len(header)
    arrays = {
        f"c{i}": pa.array([r[i] if i < len(r) else None for r in data], pa.string())
        for i in range(width)
    }
    view = f"x_{table.name}"
    st.con.register(view, pa.table(arrays))
    st.con.execute(_stage_sql(table, index, view)).fetchall()
    st.con.unregister(view)
    _register(st, table, file, index)


def _manifest(st: Staging, rows: list[list[Any]], file: str) -> None:
    st.manifest_file = file
    if not rows:
        st.problems.append(Problem(file, None, "", "the manifest is empty (no header line)"))
        return
    names = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    missing = [c for c in ("key", "value") if c not in names]
    for name in missing:
        st.problems.append(Problem(file, 1, name, "required column is missing"))
    if missing:
        return
    st.manifest_read = True
    k, v = names.index("key"), names.index("value")
    for line, row in enumerate(rows[1:], start=2):
        key = (row[k] or "").strip() if k < len(row) else ""
        value = (row[v] or "").strip() if v < len(row) else ""
        cells = (("key", key), ("value", value))
        unsafe = [(c, why) for c, text in cells if (why := text_problem(text))]
        for column, why in unsafe:
            st.problems.append(Problem(file, line, column, why))
        if not key or any(column == "key" for column, _ in unsafe):
            continue
        if key in st.manifest:
            first = st.manifest[key][1]
            st.problems.append(Problem(file, line, "key", f"duplicate key {key} (row {first})"))
            continue
        st.manifest[key] = (value, line)


def _stage_manifest_csv(st: Staging, path: Path, file: str) -> None:
    st.manifest_file = file
    header = _read_csv_header(path, file, st.problems)
    if header is None:
        return
    source = _csv_source(path, len(header), "rej_manifest", padded=True)
    rows = st.con.execute(f"SELECT * FROM {source} LIMIT {MANIFEST_ROWS + 1}").fetchall()  # noqa: S608
    if _bad_lines(st, path, file, header, "rej_manifest"):
        return
    if len(rows) > MANIFEST_ROWS:
        message = f"the manifest has more than {MANIFEST_ROWS:,} rows"
        st.problems.append(Problem(file, None, "", message))
        return
    _manifest(st, [header, *(list(r) for r in rows)], file)


def _stage_folder(st: Staging, src: Path) -> None:
    try:
        found = folder_files(src)
    except OSError as exc:
        message = f"the folder cannot be read: {exc.strerror or exc}"
        st.problems.append(Problem(src.name, None, "", message))
        return
    wanted = ["manifest.csv", *(f"{t.name}.csv" for t in spec.TABLES)]
    for name in wanted:
        if name in found.refused:
            st.problems.append(Problem(name, None, "", found.refused[name]))
    manifest = found.files.get("manifest.csv")
    if manifest is not None:
        _stage_manifest_csv(st, manifest, "manifest.csv")
    elif "manifest.csv" not in found.refused:
        st.problems.append(Problem("manifest.csv", None, "", "required table is missing"))
    for table in spec.TABLES:
        name = f"{table.name}.csv"
        path = found.files.get(name)
        if path is not None:
            _stage_csv(st, table, path, name)
        elif table.required and name not in found.refused:
            st.problems.append(Problem(name, None, "", "required table is missing"))


def _stage_workbook(st: Staging, src: Path) -> None:
    import openpyxl  # only workbook extracts need it

    try:
        book = openpyxl.load_workbook(src, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key, value) on a broken file
        st.problems.append(Problem(src.name, None, "", f"not a readable .xlsx workbook: {exc}"))
        return
    try:
        sheets = {ws.title.strip(): ws for ws in book.worksheets}
        for name in REQUIRED_SHEETS_AND_TABLES:
            file = f"{src.name}:{name}"
            ws = sheets.get(name)
            if ws is None:
                required = name == "manifest" or spec.TABLES_BY_NAME[name].required
                if required:
                    st.problems.append(Problem(file, None, "", "required sheet is missing"))
                continue
            try:
                rows = _sheet_rows(ws)
            except Exception as exc:  # a sheet's XML is parsed only now, row by row
                st.problems.append(Problem(file, None, "", f"not a readable sheet: {exc}"))
                continue
            if name == "manifest":
                _manifest(st, [list(r) for r in rows], file)
            else:
                _stage_sheet(st, spec.TABLES_BY_NAME[name], rows, file)
    finally:
        book.close()


REQUIRED_SHEETS_AND_TABLES: tuple[str, ...] = ("manifest", *(t.name for t in spec.TABLES))


def stage_extract(src: Path, con: duckdb.DuckDBPyConnection) -> Staging:
    """Stage the extract at `src` (a folder of CSV files or an .xlsx file) into `con`."""
    st = Staging(con)
    if src.is_dir():
        _stage_folder(st, src)
    elif src.is_file() and src.suffix.lower() == ".xlsx":
        st.manifest_file = f"{src.name}:manifest"
        _stage_workbook(st, src)
    else:
        st.problems.append(
            Problem(src.name, None, "", "not a folder of CSV files or an .xlsx workbook")
        )
    return st
