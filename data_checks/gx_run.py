"""Great Expectations: one ephemeral context per process, a suite per dataset, chunked pandas runs.

GX's SQL datasource cannot validate DuckDB, so every dataset is validated through GX's pandas
datasource, chunk by chunk (`data_checks.frames`); failing counts add up over the chunks and the
first offending keys are kept. GX is imported only here, on first use (it takes seconds).
"""

from __future__ import annotations

import functools
import operator
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_checks.frames import iter_frames
from data_checks.registry import Check, Expect, Params

_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass
class Tally:
    """Failing rows and the first offending keys of one expectation, over all chunks."""

    failing_rows: int = 0
    examples: list[dict[str, str]] = field(default_factory=list)


@functools.cache
def _gx() -> Any:
    """great_expectations, imported once; its own imports raise deprecation warnings we ignore."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import great_expectations as gx
        import great_expectations.data_context.types.base
        import great_expectations.expectations.row_conditions
    return gx


@functools.cache
def _context() -> Any:
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas("postloan")
    return context


@functools.cache
def _batch_definition(dataset: str) -> Any:
    source = _context().data_sources.get("postloan")
    return source.add_dataframe_asset(dataset).add_batch_definition_whole_dataframe("all")


def _condition(when: Sequence[tuple[str, str, Any]]) -> Any:
    _gx()
    from great_expectations.expectations.row_conditions import Column

    parts = [
        Column(col).is_in(value) if op == "in" else _OPERATORS[op](Column(col), value)
        for col, op, value in when
    ]
    return functools.reduce(operator.and_, parts)


def _expectation(check: Check) -> Any:
    gx = _gx()

    spec = check.run
    if not isinstance(spec, Expect):
        raise TypeError(f"{check.id} is not a GX check")
    kwargs: dict[str, Any] = dict(spec.kwargs)
    if spec.when:
        kwargs["row_condition"] = _condition(spec.when)
    cls = getattr(gx.expectations, spec.expectation)
    return cls(**kwargs, meta={"check_id": check.id})


def _suite(dataset: str, checks: Sequence[Check]) -> Any:
    gx = _gx()

    return gx.ExpectationSuite(name=dataset, expectations=[_expectation(c) for c in checks])


def _text(value: Any) -> str:
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)


def _keys_of(found: dict[str, Any], key: Sequence[str]) -> dict[str, str]:
    return {k: _text(found[k]) for k in key if k in found}


# Per-value expectations: checking each distinct value once (weighted by its count) is exactly
# checking every row, and far cheaper for code lists, patterns and small integers.
_PER_VALUE = (
    "ExpectColumnValuesToBeInSet",
    "ExpectColumnValuesToNotBeInSet",
    "ExpectColumnValuesToMatchRegex",
    "ExpectColumnValueLengthsToEqual",
)


def _on_distinct(table: sa.Table, check: Check) -> bool:
    """True when the check can run on the column's distinct values with their counts."""
    spec = check.run
    if not isinstance(spec, Expect) or spec.when:
        return False
    if spec.expectation in _PER_VALUE:
        return True
    column = table.c[spec.columns[0]]
    return spec.expectation == "ExpectColumnValuesToBeBetween" and isinstance(
        column.type, sa.Integer
    )


def _rows(table: sa.FromClause, columns: Sequence[str], params: Params) -> sa.Select:
    stmt = sa.select(*(table.c[c] for c in columns))
    if params.as_of is not None and "month_end" in table.c:
        stmt = stmt.where(table.c.month_end <= params.as_of)
    return stmt


def _validate(dataset: str, frame: Any, checks: Sequence[Check], result_format: Any) -> Any:
    batch = _batch_definition(dataset).get_batch(batch_parameters={"dataframe": frame})
    outcome = batch.validate(_suite(dataset, checks), result_format=result_format)
    for result in outcome.results:
        info = result.exception_info or {}
        raised = info.get("raised_exception") or any(
            isinstance(v, dict) and v.get("raised_exception") for v in info.values()
        )
        if raised:
            raise RuntimeError(f"{result.expectation_config.meta['check_id']}: {info}")
        yield result.expectation_config.meta["check_id"], result.result


def _count_distinct(
    engine: Engine, table: sa.FromClause, check: Check, params: Params, dataset: str
) -> int:
    """Failing rows of a value-set check, validated by GX on the column's distinct values."""
    column = check.run.columns[0]
    stmt = _rows(table, [column], params).subquery("rows")
    counts = sa.select(stmt.c[column], sa.func.count().label("n")).group_by(stmt.c[column])
    failing = 0
    for frame in iter_frames(engine, counts):
        fmt = {"result_format": "COMPLETE", "unexpected_index_column_names": [column, "n"]}
        for _id, result in _validate(dataset, frame, [check], fmt):
            failing += sum(int(found["n"]) for found in result.get("unexpected_index_list") or [])
    return failing


def validate_dataset(
    engine: Engine,
    table: sa.Table,
    key: Sequence[str],
    checks: Sequence[Check],
    params: Params,
    examples: int,
) -> dict[str, Tally]:
    """Run the dataset's GX checks over its rows in chunks; a tally per check id.

    Pass 1 counts failing rows, reading only the checked columns (per-value checks read only
    the distinct values and their counts). Pass 2, only for checks that failed, reads the key
    columns too and keeps the first offending keys, stopping once it has enough.
    """
    dataset = table.name
    tallies = {c.id: Tally() for c in checks}
    for check in (c for c in checks if _on_distinct(table, c)):
        tallies[check.id].failing_rows = _count_distinct(engine, table, check, params, dataset)
    rowwise = [c for c in checks if not _on_distinct(table, c)]
    columns = list(dict.fromkeys(c for ch in rowwise for c in ch.run.columns))
    if rowwise:
        for frame in iter_frames(engine, _rows(table, columns, params)):
            for check_id, result in _validate(dataset, frame, rowwise, {"result_format": "BASIC"}):
                tallies[check_id].failing_rows += int(result.get("unexpected_count") or 0)
    failed = [c for c in checks if tallies[c.id].failing_rows]
    if not failed:
        return tallies
    fmt = {
        "result_format": "SUMMARY",
        "partial_unexpected_count": examples,
        "unexpected_index_column_names": list(key),
    }
    columns = list(dict.fromkeys([*key, *(c for ch in failed for c in ch.run.columns)]))
    for frame in iter_frames(engine, _rows(table, columns, params)):
        for check_id, result in _validate(dataset, frame, failed, fmt):
            found = tallies[check_id].examples
            for index in result.get("partial_unexpected_index_list") or []:
                if len(found) < examples:
                    found.append(_keys_of(index, key))
        if all(len(tallies[c.id].examples) >= examples for c in failed):
            break
    return tallies
