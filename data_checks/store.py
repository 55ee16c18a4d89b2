"""Where check runs are kept: `check_runs` and `check_results` (portal tables of `schema`).

Decision: on PostgreSQL (and any server database) the two tables live in the warehouse itself
and a run is written in one transaction. On a DuckDB *file* they live in a small separate portal
store beside it, `<warehouse>.checks.duckdb`, with the same tables. Writing into the warehouse
file would mean copying it whole for every run (`atomic_write(start_empty=False)`: 5.6 GB at 1M
contracts) and would race with a concurrent load's rename, silently undoing that load. The side
file is written the same atomic way (copy, insert, rename) under an exclusive lock, so the
dashboard can read it read-only at any time and two runs never lose each other's record. Each
run names the load it checked (load id and extract SHA-256), so history survives reloads.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url

from data_checks.runner import CheckResult, CheckRun
from warehouse import schema
from warehouse.engine import atomic_write, create_warehouse_engine, duckdb_path, is_duckdb

TABLES = (schema.check_runs, schema.check_results)


def store_url(warehouse_url: str) -> str:
    """The URL holding the check runs of the warehouse at `warehouse_url`."""
    path = duckdb_path(warehouse_url) if is_duckdb(warehouse_url) else None
    if path is None:
        return warehouse_url
    side = path.with_name(f"{path.stem}.checks.duckdb")
    return make_url(warehouse_url).set(database=str(side)).render_as_string(hide_password=False)


@contextlib.contextmanager
def _writer(url: str) -> Iterator[Connection]:
    target = store_url(url)
    path = duckdb_path(target) if is_duckdb(target) else None
    if path is None:
        with atomic_write(target, start_empty=False) as conn:
            yield conn
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_name(path.name + ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with atomic_write(target, start_empty=False) as conn:
            yield conn


def _result_row(run_id: int, r: CheckResult) -> dict[str, object]:
    return {
        "run_id": run_id,
        "check_id": r.check_id,
        "dataset": r.dataset,
        "severity": r.severity,
        "status": r.status,
        "failing_rows": r.failing_rows,
        "examples": json.dumps(list(r.examples), ensure_ascii=False, sort_keys=True),
        "message": r.message,
        "seconds": r.seconds,
    }


def save_run(url: str, run: CheckRun) -> int:
    """Record `run` for the warehouse at `url`; its new run id."""
    with _writer(url) as conn:
        schema.metadata.create_all(conn, tables=list(TABLES), checkfirst=True)
        runs = schema.check_runs
        last = conn.execute(sa.select(sa.func.coalesce(sa.func.max(runs.c.run_id), 0))).scalar()
        run_id = int(last or 0) + 1
        conn.execute(
            runs.insert().values(
                run_id=run_id,
                run_at=run.run_at,
                as_of=run.as_of,
                load_id=run.load_id,
                sha256=run.sha256,
                seconds=round(run.seconds, 3),
                checks=len(run.results),
                blocking_failures=run.blocking_failures,
                warnings=run.warnings,
            )
        )
        conn.execute(schema.check_results.insert(), [_result_row(run_id, r) for r in run.results])
    return run_id


def _read(url: str, stmt: sa.Select) -> list[dict[str, object]]:
    target = store_url(url)
    path = duckdb_path(target) if is_duckdb(target) else None
    if path is not None and not path.exists():
        return []
    engine = create_warehouse_engine(target, read_only=True)
    try:
        if not sa.inspect(engine).has_table(schema.check_runs.name):
            return []
        with engine.connect() as conn:
            return [dict(row) for row in conn.execute(stmt).mappings()]
    finally:
        engine.dispose()


def list_runs(url: str, limit: int = 50) -> list[dict[str, object]]:
    """The latest check runs of the warehouse at `url`, newest first."""
    runs = schema.check_runs
    return _read(url, sa.select(runs).order_by(runs.c.run_id.desc()).limit(limit))


def run_results(url: str, run_id: int) -> list[dict[str, object]]:
    """The results of one stored run, examples decoded, by check id."""
    res = schema.check_results
    stmt = sa.select(res).where(res.c.run_id == run_id).order_by(res.c.check_id)
    rows = _read(url, stmt)
    for row in rows:
        row["examples"] = json.loads(str(row["examples"]))
    return rows
