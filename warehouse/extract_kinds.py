"""Per-kind SQL for the staging database: the typed value of a text cell and what is wrong with it.

Every extract cell is read as text. For each column kind this module gives the DuckDB expression
that turns the trimmed text into its typed value (NULL when empty or invalid) and the expression
that says, in words, what is wrong with a cell (NULL when nothing is). The SQL is assembled from
the registry only; cell values never become SQL text.
"""

from __future__ import annotations

from warehouse import extract_spec as spec
from warehouse.extract_text import CONTROL_CLASS, MAX_CELL_CHARS

# DuckDB types the checked data is staged in; money stays exact as DECIMAL(18, 2).
DUCK_TYPES: dict[str, str] = {
    spec.TEXT: "VARCHAR",
    spec.DATE: "DATE",
    spec.MONTH: "VARCHAR",
    spec.TIMESTAMP: "TIMESTAMP",
    spec.MONEY: "DECIMAL(18,2)",
    spec.RATE: "DECIMAL(12,8)",
    spec.INT: "INTEGER",
    spec.FLOAT: "DOUBLE",
    spec.BOOL: "BOOLEAN",
}

# (pattern the text must match in full, cast, what a valid cell looks like)
_PARSE: dict[str, tuple[str, str, str]] = {
    spec.DATE: (r"\d{4}-\d{2}-\d{2}", "DATE", "not a date (YYYY-MM-DD)"),
    spec.TIMESTAMP: (
        r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?",
        "TIMESTAMP",
        "not a timestamp (YYYY-MM-DD HH:MM[:SS])",
    ),
    # Trailing zeros beyond the allowed decimals do not change the value, so they are accepted.
    spec.MONEY: (
        r"-?\d{1,16}(\.\d{0,2}0*)?",
        "DECIMAL(18,2)",
        "not an amount in yuan (digits, optional minus sign and decimal point, no separators)",
    ),
    spec.RATE: (
        r"-?\d{1,4}(\.\d{0,8}0*)?",
        "DECIMAL(12,8)",
        "not a rate (a decimal such as 0.065, at most 8 decimals)",
    ),
    spec.INT: (r"-?\d{1,9}", "INTEGER", "not a whole number"),
    spec.FLOAT: (r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", "DOUBLE", "not a number"),
}

SEP_FIELD = "\x1f"  # between a column name and its message inside `_bad`
SEP_PROBLEM = "\x1e"  # between problems inside `_bad`


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _shown(raw: str) -> str:
    return f"'''' || left({raw}, 60) || ''''"


def _free_text(col: spec.Column) -> bool:
    """A text column without a code list or pattern: any text is valid, so check it for safety."""
    return col.kind == spec.TEXT and col.enum is None and col.pattern is None


def unsafe_expr(raw: str) -> str:
    """SQL for what makes the text `raw` unacceptable in any cell (NULL when nothing does):
    longer than MAX_CELL_CHARS, or a control character (`extract_text`)."""
    found = f"regexp_extract({raw}, {lit(CONTROL_CLASS)})"
    return (
        f"CASE WHEN length({raw}) > {MAX_CELL_CHARS} "
        f"THEN 'longer than {MAX_CELL_CHARS:,} characters (' || length({raw}) || ')' "
        f"WHEN {found} <> '' THEN printf('control character U+%04X at character %d "
        f"(not allowed in a cell)', unicode({found}), strpos({raw}, {found})) END"
    )


def typed_expr(col: spec.Column, raw: str) -> str:
    """SQL for the typed value of the trimmed text `raw` (NULL when empty or invalid).

    Every other kind has a strict form, so only free text is searched for control characters.
    """
    if _free_text(col):
        return (
            f"CASE WHEN length({raw}) <= {MAX_CELL_CHARS} "
            f"AND NOT regexp_matches({raw}, {lit(CONTROL_CLASS)}) THEN {raw} END"
        )
    if col.kind == spec.TEXT:
        return raw
    if col.kind == spec.BOOL:
        return f"CASE lower({raw}) WHEN 'true' THEN true WHEN 'false' THEN false END"
    if col.kind == spec.MONTH:
        return f"CASE WHEN regexp_full_match({raw}, '\\d{{4}}-(0[1-9]|1[0-2])') THEN {raw} END"
    pattern, cast, _ = _PARSE[col.kind]
    return f"CASE WHEN regexp_full_match({raw}, {lit(pattern)}) THEN TRY_CAST({raw} AS {cast}) END"


def _invalid_message(col: spec.Column, raw: str) -> str:
    if col.kind == spec.BOOL:
        return f"'not true or false: ' || {_shown(raw)}"
    if col.kind == spec.MONTH:
        return f"'not a month (YYYY-MM): ' || {_shown(raw)}"
    what = lit(_PARSE[col.kind][2] + ": ")
    if col.kind in (spec.MONEY, spec.RATE):
        places = 2 if col.kind == spec.MONEY else 8
        return (
            f"CASE WHEN regexp_full_match({raw}, '-?\\d+\\.\\d+') "
            f"THEN 'more than {places} decimals: ' || {_shown(raw)} "
            f"ELSE {what} || {_shown(raw)} END"
        )
    return f"{what} || {_shown(raw)}"


def problem_expr(col: spec.Column, raw: str, typed: str, *, present: bool) -> str:
    """SQL for what is wrong with one cell (NULL when nothing is).

    `present` is false when the file lacks the column; that is reported once for the file, so
    its empty cells are not reported again.
    """
    empty = lit("required value is empty") if col.required and present else "NULL"
    # Evaluated only for cells that failed otherwise: unsafe text is named as such.
    unsafe = unsafe_expr(raw)
    checks = []
    if _free_text(col):
        checks.append(f"WHEN {typed} IS NULL THEN {unsafe}")
    if col.kind != spec.TEXT:
        checks.append(f"WHEN {typed} IS NULL THEN coalesce({unsafe}, {_invalid_message(col, raw)})")
    if col.enum is not None:
        allowed = ", ".join(lit(v) for v in col.enum)
        listed = lit(f"not one of {'|'.join(col.enum)}: ")
        checks.append(
            f"WHEN {typed} NOT IN ({allowed}) THEN coalesce({unsafe}, {listed} || {_shown(raw)})"
        )
    if col.pattern is not None:
        shown = f"{lit(f'does not match the pattern {col.pattern}: ')} || {_shown(raw)}"
        checks.append(
            f"WHEN NOT regexp_full_match({typed}, {lit(col.pattern)}) "
            f"THEN coalesce({unsafe}, {shown})"
        )
    if col.nonnegative:
        checks.append(f"WHEN {typed} < 0 THEN 'negative: ' || {_shown(raw)}")
    return f"CASE WHEN {raw} IS NULL THEN {empty} {' '.join(checks)} END"
