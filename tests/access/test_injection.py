"""Forged query parameters and injection strings through every filter and deep link of every page.

Every registered page (iterating `PAGES`, so pages added later are covered) is opened by a user
holding every role, with EVERY query parameter any page or shared widget reads set to one hostile
value: SQL (`' OR 1=1 --`, `"; DROP TABLE …`), spreadsheet formulas (`=HYPERLINK(…)`, `+cmd…`,
`@SUM…`, `-1+1`), unicode oddities and an overlong value. Each page must render without an
exception, the warehouse must keep every row of every table, and every file the page offers for
download must hold text cells only — no formula.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dashboard.access import audit_view
from dashboard.page.contract_params import DRILL_KEYS
from dashboard.page.registry import PAGES
from dashboard.page.sidebar import FILTER_KEYS
from tests.access.access_app import (
    HYPERLINK,
    open_page,
    warehouse_fingerprint,
)

ROOT = Path(__file__).resolve().parents[2]
ALL_ROLES = ("executive", "risk_committee", "compliance", "admin")

HOSTILE: dict[str, str] = {
    "sql_or": "' OR 1=1 --",
    "sql_drop": '"; DROP TABLE contract_month; --',
    "hyperlink": HYPERLINK,
    "cmd": "+cmd|' /C calc'!A0",
    "at_sum": "@SUM(1+1)",
    "minus": "-1+1",
    "unicode": "²٣１ 张三\u202e💥\u200b",
    "digit_like": "²",  # str.isdigit() says yes, int() says no
    "overlong": "9" * 20_000,
    "month_like": "2024-13",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def page_param_keys() -> list[str]:
    """Every query parameter a page or shared widget reads: the declared lists plus any literal
    key in `st.query_params[...]`, `.get(...)`, `.get_all(...)` or `.pop(...)` in the sources."""
    keys = {*FILTER_KEYS, *DRILL_KEYS, *audit_view.PARAM_KEYS, "lang", "contract"}
    pattern = re.compile(r"query_params(?:\[|\.get\(|\.get_all\(|\.pop\()\s*[\"'](\w+)[\"']")
    for folder in ("pages", "dashboard"):
        for path in (ROOT / folder).glob("*.py"):
            keys |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(keys)


def is_number(text: str) -> bool:
    """A plain number such as -0.25 (a negative figure, not a formula)."""
    return re.fullmatch(r"-?\d+(\.\d+)?([eE]-?\d+)?", text) is not None


def assert_inert(name: str, content: bytes) -> None:
    """An .xlsx has no formula cell; a .csv has no cell a spreadsheet would evaluate."""
    if content[:2] == b"PK":
        for row in load_workbook(io.BytesIO(content)).active.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (name, cell.coordinate, cell.value)
        return
    if not content.startswith(codecs.BOM_UTF8):
        return  # not a table download (our CSVs carry a BOM): an image, the favicon
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))):
        for value in row:
            assert not value.startswith(FORMULA_START) or is_number(value), (name, value)


def test_the_sweep_covers_the_known_parameters() -> None:
    """Filters, drill keys, the audit page's keys and the dossier's `contract` are all forged."""
    keys = page_param_keys()
    assert {"as_of", "branch", "segment", "roll", "migration", "page", "q", "actor"} <= set(keys)
    assert {"contract", "lang"} <= set(keys)


@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.script)
def test_hostile_parameters_break_nothing(access, served, spec) -> None:
    before = warehouse_fingerprint(access)
    keys = page_param_keys()
    for label, value in HOSTILE.items():
        served.clear()
        params = {key: [value, value] for key in keys}
        at = open_page(spec.script, params, username="forger", roles=ALL_ROLES)
        assert not at.exception, (label, [e.value for e in at.exception])
        for file_id, content in served.items():
            assert_inert(f"{spec.script}:{label}:{file_id}", content)
    assert warehouse_fingerprint(access) == before
