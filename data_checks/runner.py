"""Run the registered checks on a warehouse and return a plain `CheckRun` (no UI, no storing).

GX checks of one dataset run together as that dataset's suite over its rows in chunks; query
checks run in the database. A check whose table is missing, or that raises, is reported with
status `error` (or `skipped` for a portal table that does not exist yet), never silently passed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from data_checks.gx_run import Tally, validate_dataset
from data_checks.registry import BLOCKING, WARNING, Check, Expect, Params, Query
from data_checks.suites import DATASET_KEYS, all_checks
from warehouse import schema

EXAMPLES = 10
PASSED, FAILED, ERROR, SKIPPED = "passed", "failed", "error", "skipped"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: status, how many rows fail, and the first offending keys."""

    check_id: str
    dataset: str
    description: str
    severity: str
    status: str
    failing_rows: int
    examples: tuple[dict[str, str], ...] = ()
    message: str | None = None
    seconds: float = 0.0

    @property
    def blocks(self) -> bool:
        """True for a blocking check that failed or could not run."""
        return self.severity == BLOCKING and self.status in (FAILED, ERROR)


@dataclass(frozen=True)
class CheckRun:
    """One run of the checks over a warehouse, with the data fingerprint it ran on."""

    run_at: dt.datetime
    as_of: dt.date | None
    load_id: int | None
    sha256: str | None
    seconds: float
    results: tuple[CheckResult, ...]

    @property
    def blocking_failures(self) -> int:
        """Blocking checks that failed or could not run."""
        return sum(r.blocks for r in self.results)

    @property
    def warnings(self) -> int:
        """Warning checks that failed or could not run."""
        return sum(r.severity == WARNING and r.status in (FAILED, ERROR) for r in self.results)

    @property
    def passed(self) -> bool:
        """True when no blocking check failed."""
        return self.blocking_failures == 0


def _result(
    check: Check, status: str, tally: Tally, message: str | None, seconds: float
) -> CheckResult:
    return CheckResult(
        check.id,
        check.dataset,
        check.description,
        check.severity,
        status,
        tally.failing_rows,
        tuple(tally.examples),
        message,
        round(seconds, 3),
    )


def _text(value: object) -> str:
    return value.isoformat()[:10] if isinstance(value, dt.date) else str(value)


def _run_query(engine: Engine, check: Check, params: Params) -> Tally:
    if not isinstance(check.run, Query):
        raise TypeError(f"{check.id} is not a query check")
    offending = check.run.build(params).subquery("offending")
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(offending)).scalar_one()
        tally = Tally(failing_rows=int(count))
        if count:
            first = sa.select(offending).order_by(*offending.c).limit(EXAMPLES)
            rows = conn.execute(first).mappings().all()
            tally.examples = [{k: _text(v) for k, v in row.items()} for row in rows]
    return tally


def _fingerprint(engine: Engine, tables: set[str]) -> tuple[int | None, str | None, Decimal]:
    """The latest load's id and sha256, and the DPD tolerance the mart was built with."""
    load_id = sha256 = None
    tolerance = Decimal("0")
    with engine.connect() as conn:
        if "loads" in tables:
            latest = sa.select(schema.loads.c.load_id, schema.loads.c.sha256)
            row = conn.execute(latest.order_by(schema.loads.c.load_id.desc()).limit(1)).first()
            if row is not None:
                load_id, sha256 = int(row.load_id), str(row.sha256)
        if "build_settings" in tables:
            bs = schema.build_settings
            value = conn.execute(
                sa.select(bs.c.value).where(bs.c.key == sa.bindparam("k", "dpd.tolerance"))
            ).scalar()
            if value is not None:
                tolerance = Decimal(str(value))
    return load_id, sha256, tolerance


def _missing(check: Check) -> CheckResult:
    table = schema.metadata.tables.get(check.dataset)
    portal = table is not None and table.info.get("layer") == "portal"
    status = SKIPPED if portal else ERROR
    return _result(check, status, Tally(), f"table {check.dataset} does not exist", 0.0)


def _by_dataset(checks: Iterable[Check]) -> dict[str, list[Check]]:
    grouped: dict[str, list[Check]] = {}
    for check in checks:
        grouped.setdefault(check.dataset, []).append(check)
    return grouped


def _error(check: Check, exc: Exception, seconds: float) -> CheckResult:
    message = f"{type(exc).__name__}: {(str(exc).splitlines() or [''])[0]}"
    return _result(check, ERROR, Tally(), message, seconds)


def _run_expectations(engine: Engine, checks: list[Check], params: Params) -> list[CheckResult]:
    """One dataset's GX checks, as its suite; all `error` when the suite cannot run."""
    started = time.perf_counter()
    table = schema.metadata.tables[checks[0].dataset]
    try:
        key = DATASET_KEYS[table.name]
        tallies = validate_dataset(engine, table, key, checks, params, EXAMPLES)
    except Exception as exc:  # a broken dataset is reported, never allowed to stop the run
        return [_error(c, exc, 0.0) for c in checks]
    spent = (time.perf_counter() - started) / len(checks)
    return [
        _result(c, FAILED if tallies[c.id].failing_rows else PASSED, tallies[c.id], None, spent)
        for c in checks
    ]


def _run_one_query(engine: Engine, check: Check, params: Params) -> CheckResult:
    started = time.perf_counter()
    try:
        tally = _run_query(engine, check, params)
    except Exception as exc:  # reported as `error`, and blocking when the check is
        return _error(check, exc, time.perf_counter() - started)
    status = FAILED if tally.failing_rows else PASSED
    return _result(check, status, tally, None, time.perf_counter() - started)


def run_checks(
    engine: Engine,
    as_of: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    checks: Sequence[Check] | None = None,
    step: Callable[[int, int], None] | None = None,
) -> CheckRun:
    """Run `checks` (default: every registered check) on the warehouse behind `engine`.

    `progress` gets a message per dataset; `step(done, total)` the datasets done so far (for a
    progress bar), before each dataset and once at the end.
    """
    say = progress or (lambda _message: None)
    advance = step or (lambda _done, _total: None)
    started = time.perf_counter()
    tables = set(sa.inspect(engine).get_table_names())
    load_id, sha256, tolerance = _fingerprint(engine, tables)
    params = Params(as_of=as_of, tolerance=tolerance)
    chosen = list(all_checks() if checks is None else checks)
    datasets = _by_dataset(chosen)
    results: dict[str, CheckResult] = {}
    for n, (dataset, group) in enumerate(datasets.items(), start=1):
        advance(n - 1, len(datasets))
        say(f"checking {dataset} ({n}/{len(datasets)}, {len(group)} checks)")
        if dataset not in tables:
            results.update((c.id, _missing(c)) for c in group)
            continue
        expect = [c for c in group if isinstance(c.run, Expect)]
        if expect:
            results.update((r.check_id, r) for r in _run_expectations(engine, expect, params))
        for c in group:
            if isinstance(c.run, Query):
                results[c.id] = _run_one_query(engine, c, params)
    advance(len(datasets), len(datasets))
    run_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    ordered = tuple(results[c.id] for c in chosen)
    return CheckRun(run_at, as_of, load_id, sha256, time.perf_counter() - started, ordered)
