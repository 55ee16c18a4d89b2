"""Check a staged extract and return every problem: manifest, cells, keys, references and dates.

The queries run in the staging DuckDB over the typed tables `s_<table>` (see `extract_read`);
a row's line in its file is `rowid + 2`. Cells that failed to parse are NULL there and already
reported, so later checks skip them instead of reporting the same cell twice.
"""

from __future__ import annotations

import datetime as dt
import re

from warehouse import extract_spec as spec
from warehouse.extract_collect import CAP, collect
from warehouse.extract_cutoff import AS_OF_FREE, day_of
from warehouse.extract_kinds import SEP_FIELD, SEP_PROBLEM
from warehouse.extract_problems import Problem
from warehouse.extract_read import Staging
from warehouse.extract_schedule import check_schedule

# Dates that cannot come before their contract's start_date.
AFTER_START: tuple[tuple[str, str], ...] = (
    ("schedule", "due_date"),
    ("receipts", "received_date"),
    ("writeoffs", "writeoff_date"),
    ("restructurings", "effective_date"),
)
# Columns named month_end must hold a calendar month-end.
MONTH_ENDS: tuple[tuple[str, str], ...] = (
    ("provisions", "month_end"),
    ("company_financials", "month_end"),
)


def _is_month_end(d: dt.date) -> bool:
    return (d + dt.timedelta(days=1)).day == 1


def check_manifest(st: Staging) -> tuple[list[Problem], dt.date | None]:
    """Problems of the manifest, and its as_of date when valid."""
    file, problems, as_of = st.manifest_file, [], None
    if not st.manifest_read:
        return problems, None  # the manifest is missing or unreadable, already reported
    for key in spec.MANIFEST_KEYS:
        if key not in st.manifest:
            problems.append(Problem(file, None, "key", f"required key {key} is missing"))
        elif not st.manifest[key][0]:
            problems.append(Problem(file, st.manifest[key][1], "value", f"{key} is empty"))
    value, row = st.manifest.get("as_of", ("", 0))
    if value:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError(value)
            as_of = dt.date.fromisoformat(value)
        except ValueError:
            problems.append(Problem(file, row, "value", f"as_of is not a date: '{value}'"))
        else:
            if not _is_month_end(as_of):
                problems.append(Problem(file, row, "value", f"as_of is not a month-end: {value}"))
                as_of = None
    value, row = st.manifest.get("entity_type", ("", 0))
    if value and value not in spec.ENTITY_TYPES:
        allowed = "|".join(spec.ENTITY_TYPES)
        problems.append(Problem(file, row, "value", f"entity_type not one of {allowed}: '{value}'"))
    return problems, as_of


def _cells(st: Staging, table: str) -> list[Problem]:
    file = st.tables[table].file
    rows = st.con.execute(
        f'SELECT rowid + 2, _bad, count(*) OVER () FROM "s_{table}" '  # noqa: S608
        f"WHERE _bad IS NOT NULL ORDER BY rowid LIMIT {CAP}"
    ).fetchall()
    problems = []
    for row, bad, _ in rows:
        for item in bad.split(SEP_PROBLEM):
            column, message = item.split(SEP_FIELD, 1)
            problems.append(Problem(file, int(row), column, message))
    if rows and rows[0][2] > CAP:
        problems.append(
            Problem(file, None, "", f"... and {rows[0][2] - CAP} more rows with bad cells")
        )
    return problems


def _shown(column: str, alias: str = "s") -> str:
    return f"'{column}=' || coalesce(CAST({alias}.\"{column}\" AS VARCHAR), '(empty)')"


def _duplicates(st: Staging, t: spec.Table) -> list[Problem]:
    if not set(t.key) <= st.tables[t.name].present:
        return []
    keys = ", ".join(f'"{k}"' for k in t.key)
    same = " AND ".join(f's."{k}" IS NOT DISTINCT FROM d."{k}"' for k in t.key)
    shown = " || ', ' || ".join(_shown(k) for k in t.key)
    sql = (
        f'WITH d AS (SELECT {keys}, min(rowid) AS first FROM "s_{t.name}" WHERE _keyok '  # noqa: S608
        f"GROUP BY ALL HAVING count(*) > 1) "
        f"SELECT s.rowid + 2 AS row, 'duplicate key (' || {shown} || '); first at row ' "
        f'|| (d.first + 2) AS message FROM "s_{t.name}" s JOIN d ON {same} '
        f"WHERE s._keyok AND s.rowid > d.first"
    )
    return collect(st, st.tables[t.name].file, ",".join(t.key), sql)


def _references(st: Staging, t: spec.Table) -> list[Problem]:
    problems = []
    for ref in t.references:
        parent = st.tables.get(ref.table)
        if parent is None or not set(ref.columns) <= st.tables[t.name].present:
            continue
        if not set(ref.target) <= parent.present:
            continue
        match = " AND ".join(
            f'p."{b}" = s."{a}"' for a, b in zip(ref.columns, ref.target, strict=True)
        )
        given = " AND ".join(f's."{a}" IS NOT NULL' for a in ref.columns)
        shown = " || ', ' || ".join(_shown(a) for a in ref.columns)
        sql = (
            f"SELECT s.rowid + 2 AS row, 'unknown {ref.table} reference: ' || {shown} AS message "  # noqa: S608
            f'FROM "s_{t.name}" s WHERE {given} '
            f'AND NOT EXISTS (SELECT 1 FROM "s_{ref.table}" p WHERE {match})'
        )
        problems += collect(st, st.tables[t.name].file, ",".join(ref.columns), sql)
    return problems


def _dated(t: spec.Table) -> list[spec.Column]:
    return [c for c in t.columns if c.kind in (spec.DATE, spec.TIMESTAMP, spec.MONTH)]


def _after_as_of(st: Staging, t: spec.Table, as_of: dt.date) -> list[Problem]:
    problems = []
    for c in _dated(t):
        if (t.name, c.name) in AS_OF_FREE or c.name not in st.tables[t.name].present:
            continue
        sql = (
            f"SELECT rowid + 2 AS row, 'after the manifest as_of {as_of}: ' || \"{c.name}\" "  # noqa: S608
            f'AS message FROM "s_{t.name}" WHERE {day_of(t.name, c.name)} > $1'
        )
        problems += collect(st, st.tables[t.name].file, c.name, sql, [as_of])
    return problems


def _ordered(st: Staging, table: str, column: str, sql: str) -> list[Problem]:
    if table not in st.tables or column not in st.tables[table].present:
        return []
    return collect(st, st.tables[table].file, column, sql)


def _order_checks(st: Staging) -> list[Problem]:
    problems: list[Problem] = []
    if "contracts" in st.tables:
        for table, column in AFTER_START:
            sql = (
                f"SELECT DISTINCT s.rowid + 2 AS row, 'before the contract start_date ' "  # noqa: S608
                f'|| c.start_date || \': \' || s."{column}" AS message FROM "s_{table}" s '
                f"JOIN s_contracts c ON c.contract_id = s.contract_id "
                f'WHERE s."{column}" < c.start_date'
            )
            problems += _ordered(st, table, column, sql)
    problems += _ordered(
        st,
        "schedule",
        "valid_to",
        "SELECT rowid + 2 AS row, 'valid_to ' || valid_to || ' is not after valid_from ' "
        "|| valid_from AS message FROM s_schedule WHERE valid_to <= valid_from",
    )
    problems += _ordered(
        st,
        "collections",
        "promised_date",
        "SELECT rowid + 2 AS row, 'promised_date ' || promised_date || ' is before the action "
        "time ' || action_time AS message FROM s_collections "
        "WHERE promised_date < CAST(action_time AS DATE)",
    )
    for table, column in MONTH_ENDS:
        sql = (
            f"SELECT rowid + 2 AS row, 'not a month-end: ' || \"{column}\" AS message "  # noqa: S608
            f'FROM "s_{table}" WHERE "{column}" <> last_day("{column}")'
        )
        problems += _ordered(st, table, column, sql)
    return problems


def check_extract(st: Staging) -> list[Problem]:
    """Every problem of the staged extract (reading problems included), unsorted."""
    problems = list(st.problems)
    manifest_problems, as_of = check_manifest(st)
    problems += manifest_problems
    for t in spec.TABLES:
        if t.name not in st.tables:
            continue
        problems += _cells(st, t.name)
        problems += _duplicates(st, t)
        problems += _references(st, t)
        if as_of is not None:
            problems += _after_as_of(st, t, as_of)
    problems += _order_checks(st)
    problems += check_schedule(st)
    return problems
