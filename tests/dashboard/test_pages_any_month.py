"""The demo, the load and every page at three as-of months: a date never empties a page silently.

The demo book follows the calendar when no as-of is given, so a list that a small book leaves
empty in some month would otherwise be found by a user on that date. Here the same small demo is
generated and loaded with `postloan demo` / `postloan load` as of a January, a December and a
mid-year month, and every registered page opens for a role it serves: no exception, and no table
drawn empty - an empty list says so in words (`t("mon.none")` and its kin) instead of a gap.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.i18n.catalogue import t
from dashboard.page.registry import PAGES
from tests.access.apptest import open_as
from tests.dashboard.app_fixtures import app_on
from warehouse import schema
from warehouse.engine import create_warehouse_engine

POSTLOAN = str(Path(sys.executable).parent / "postloan")
# A January, a December, and a month in between (first month of a quarter's second half).
AS_OF_MONTHS = ("2026-01", "2025-12", "2026-08")
# Pages with a contract list that opens the dossier: a button, or the words for an empty list.
LISTS = ("collections.py", "early_warning.py", "at_risk.py")
ROLE_OF = {
    "audit.py": "compliance",
    "filing.py": "compliance",
    "users.py": "admin",
    "task_strategy.py": "admin",
}


def _run(*args: str) -> None:
    done = subprocess.run([POSTLOAN, *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module", params=AS_OF_MONTHS)
def month_warehouse(request: pytest.FixtureRequest, tmp_path_factory) -> tuple[str, str, str]:
    """(as-of month, URL, a contract id) of the small demo loaded as of that month."""
    work = tmp_path_factory.mktemp(f"demo-{request.param}")
    _run("demo", str(work / "extract"), "--contracts", "300", "--months", "24",
         "--as-of", request.param)  # fmt: skip
    url = f"duckdb:///{work / 'w.duckdb'}"
    _run("load", str(work / "extract"), "--warehouse", url)
    engine = create_warehouse_engine(url)  # read before the app holds the file open
    try:
        with engine.connect() as conn:
            contract = conn.execute(sa.select(sa.func.min(schema.contracts.c.contract_id)))
            return request.param, url, str(contract.scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def month_app(
    month_warehouse: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The app pointed at the month's warehouse with empty caches; yields the URL."""
    yield from app_on(month_warehouse[1], monkeypatch)


def test_the_demo_loads_as_of_the_month_asked(month_warehouse: tuple[str, str, str]) -> None:
    month, url, _ = month_warehouse
    info = subprocess.run([POSTLOAN, "info", "--warehouse", url], capture_output=True, text=True)
    assert info.returncode == 0, info.stderr
    assert f"{month}-" in info.stdout


@pytest.mark.parametrize("spec", PAGES, ids=[s.script for s in PAGES])
def test_every_page_renders_and_no_list_is_an_empty_gap(
    month_warehouse: tuple[str, str, str], month_app: str, spec
) -> None:
    role = ROLE_OF.get(spec.script, "risk_committee" if "risk_committee" in spec.roles else "")
    role = role or sorted(spec.roles)[0]
    params = {"contract": month_warehouse[2]} if spec.script == "dossier.py" else None
    at = open_as(spec.script, (role,), username=f"month_{role}", params=params)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "the page drew no title"
    empty = [i for i, frame in enumerate(at.dataframe) if len(frame.value) == 0]
    assert not empty, f"{spec.script}: tables {empty} drawn empty instead of saying so"
    if spec.script in LISTS:
        opens = [b for b in at.button if b.label == t("mon.open_dossier", "zh")]
        says_none = [i for i in at.info if i.value == t("mon.none", "zh")]
        assert opens or says_none, f"{spec.script}: neither a listed contract nor 'none' in words"
