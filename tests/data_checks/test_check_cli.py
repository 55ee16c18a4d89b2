"""`postloan check`: a summary table, the run stored, exit 1 only on a blocking failure."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from data_checks.store import list_runs, run_results, store_url
from tests.data_checks.conftest import execute, make_warehouse
from warehouse import schema

POSTLOAN = Path(sys.executable).parent / "postloan"


def _check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(POSTLOAN), "check", *args],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),
        timeout=300,
    )


def test_check_exit_codes_and_stored_runs(db_url: str) -> None:
    make_warehouse(db_url)
    clean = _check("--warehouse", db_url)
    assert clean.returncode == 0, clean.stderr
    assert "check" in clean.stdout and "failing rows" in clean.stdout and "examples" in clean.stdout
    assert "0 blocking failures" in clean.stdout
    assert "checking contract_month" in clean.stderr  # progress

    receipt = {"receipt_id": "RBIG", "contract_id": "C1", "received_date": date(2024, 3, 1)}
    execute(db_url, schema.receipts.insert().values(**receipt, amount=500000))
    warned = _check("--warehouse", db_url)
    assert warned.returncode == 0, warned.stderr  # a failed warning does not block
    assert "receipts.within_ever_due" in warned.stdout and "1 warning," in warned.stdout

    cm = schema.contract_month
    execute(db_url, cm.update().where(cm.c.contract_id == "C2").values(dpd_bucket="M9"))
    blocked = _check("--warehouse", db_url, "--as-of", "2024-06")
    assert blocked.returncode == 1, blocked.stderr
    line = next(x for x in blocked.stdout.splitlines() if "contract_month.dpd_bucket.in_set" in x)
    assert "blocking" in line and "failed" in line and "C2/2024-01-31" in line
    assert "Traceback" not in blocked.stderr

    runs = list_runs(db_url)
    assert [r["run_id"] for r in runs] == [3, 2, 1]
    assert runs[0]["as_of"] == date(2024, 6, 30) and runs[0]["sha256"] == "ab" * 32
    assert runs[0]["load_id"] == 1 and runs[0]["blocking_failures"] >= 1
    assert runs[2]["blocking_failures"] == 0 and runs[1]["warnings"] == 1
    results = {r["check_id"]: r for r in run_results(db_url, 3)}
    bucket = results["contract_month.dpd_bucket.in_set"]
    assert bucket["status"] == "failed" and bucket["failing_rows"] == 6  # Jan-Jun 2024
    assert {"contract_id": "C2", "month_end": "2024-01-31"} in bucket["examples"]
    if db_url.startswith("duckdb"):  # kept beside the file, not in it (data_checks.store)
        engine = sa.create_engine(db_url)
        try:
            assert not sa.inspect(engine).has_table(schema.check_runs.name)
        finally:
            engine.dispose()


def test_runs_of_a_duckdb_file_are_kept_beside_it(tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path}/w.duckdb"
    assert store_url(url) == f"duckdb:///{tmp_path}/w.checks.duckdb"
    assert store_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert list_runs(url) == []  # nothing stored yet, and looking creates nothing
    assert not (tmp_path / "w.checks.duckdb").exists()


def test_check_on_a_missing_warehouse_says_so(tmp_path: Path) -> None:
    path = tmp_path / "nothing.duckdb"
    result = _check("--warehouse", f"duckdb:///{path}")
    assert result.returncode == 1
    assert "no warehouse at" in result.stderr and "Traceback" not in result.stderr
    assert not path.exists()
