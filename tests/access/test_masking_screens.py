"""Personal data is masked on screen and in both downloads for executive and admin, shown to the
risk committee and compliance — applied centrally, after the cache shared by every user.

The access book (tests/access/access_app.py) has three lessees: LA 张三丰 (individual, ID
110101199001011234), LB 上海某某物流有限公司 (corporate, USCC 91310000MA1K00000X) and LC
`+cmd|' /C calc'!A0` (individual, ID `-1+1`). Masked by hand: 张三丰 → 张**, 110…1234 →
110***********1234, `+cmd|' /C calc'!A0` (18 characters) → `+` and 17 `*`, `-1+1` (4 characters,
too short to keep 3 + 4) → `****`; the company's name and code stay.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

from dashboard.data import cached
from dashboard.page.registry import PAGES
from queries.execute import fetch_frame
from queries.filters import Filters
from tests.access.access_app import (
    CORPORATE_ID,
    CORPORATE_NAME,
    INDIVIDUAL_ID,
    INDIVIDUAL_NAME,
    download,
    open_page,
    shown_text,
)
from tests.dashboard.app_fixtures import app_on
from tests.file_cells import read_table
from tests.signin import sign_in
from warehouse.schema import SOURCE_TABLES

MASKED = {
    "LA": ("张**", "110***********1234"),
    "LB": (CORPORATE_NAME, CORPORATE_ID),
    "LC": ("+" + "*" * 17, "****"),
}
CLEAR = {
    "LA": (INDIVIDUAL_NAME, INDIVIDUAL_ID),
    "LB": (CORPORATE_NAME, CORPORATE_ID),
    "LC": ("+cmd|' /C calc'!A0", "-1+1"),
}


def lessee_register(engine: Engine, filters: Filters) -> pd.DataFrame:
    """A query returning personal data under the listed column names (what dossier lists do)."""
    lessees = SOURCE_TABLES["lessees"]
    stmt = sa.select(
        lessees.c.lessee_id,
        lessees.c.lessee_type,
        lessees.c.name.label("lessee_name"),
        lessees.c.id_number.label("lessee_id_number"),
    ).order_by(lessees.c.lessee_id)
    return fetch_frame(engine, stmt)


def register_app() -> None:
    """A page showing the register through the central loader, with the usual downloads."""
    from datetime import date

    import streamlit as st

    from dashboard.data import cached, source
    from dashboard.page.widgets import download_table
    from queries.filters import Filters

    state = source.warehouse_state()
    frame = cached.query(state, "test_lessee_register", Filters(as_of=date(2024, 6, 30)))
    st.dataframe(frame)
    download_table(frame, "register", "zh")
    # The raw frame, straight from the query function: downloads must mask it on their own.
    raw = cached.QUERIES["test_lessee_register"](source.warehouse_engine(state.url), None)
    download_table(raw, "register_raw", "zh")


@pytest.fixture
def access(warehouse: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setitem(cached.QUERIES, "test_lessee_register", lessee_register)
    yield from app_on(warehouse, monkeypatch)


def run_register(roles: tuple[str, ...]) -> AppTest:
    at = AppTest.from_function(register_app, default_timeout=120)
    sign_in(at, username=f"mask.{'_'.join(roles)}", roles=roles)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def on_screen(at: AppTest) -> dict[str, tuple[str, str]]:
    frame = at.dataframe[0].value
    return {r.lessee_id: (r.lessee_name, r.lessee_id_number) for r in frame.itertuples(index=False)}


def in_xlsx(content: bytes) -> dict[str, tuple[str, str]]:
    """The table under the file's header block (page, as-of, filters, user, time)."""
    _, header, rows = read_table(content)
    at = {name: header.index(name) for name in ("lessee_id", "lessee_name", "lessee_id_number")}
    return {r[at["lessee_id"]]: (r[at["lessee_name"]], r[at["lessee_id_number"]]) for r in rows}


def in_csv(content: bytes) -> dict[str, tuple[str, str]]:
    """CSV cells starting with + or - carry the inert-text apostrophe; strip it to compare."""
    text = content.decode("utf-8-sig")
    table = text.split("\n\n", 1)[1] if "\n\n" in text else text  # below the header block
    rows = csv.DictReader(io.StringIO(table))

    def plain(text: str) -> str:
        return text[1:] if text[:2] in ("'+", "'-", "'=", "'@") else text

    return {r["lessee_id"]: (plain(r["lessee_name"]), plain(r["lessee_id_number"])) for r in rows}


@pytest.mark.parametrize("roles", [("executive",), ("admin",)])
def test_masked_on_screen_for_roles_without_need(access, roles) -> None:
    assert on_screen(run_register(roles)) == MASKED


@pytest.mark.parametrize("roles", [("risk_committee",), ("compliance",)])
def test_shown_on_screen_to_risk_committee_and_compliance(access, roles) -> None:
    assert on_screen(run_register(roles)) == CLEAR


def test_masking_happens_after_the_shared_cache(access) -> None:
    """The committee's run fills the cache with clear data; the executive still sees it masked,
    and the committee after the executive still sees it clear."""
    assert on_screen(run_register(("risk_committee",))) == CLEAR
    assert on_screen(run_register(("executive",))) == MASKED
    assert on_screen(run_register(("risk_committee",))) == CLEAR


@pytest.mark.parametrize("name", ["register", "register_raw"])
def test_downloads_are_masked_for_an_executive(access, served, name) -> None:
    """Both files, whether given masked or raw data, carry only masked personal data."""
    at = run_register(("executive",))
    _, xlsx = download(at, served, f"dl_xlsx_{name}")
    _, text = download(at, served, f"dl_csv_{name}")
    assert in_xlsx(xlsx) == MASKED
    assert in_csv(text) == MASKED
    raw = xlsx + text
    assert INDIVIDUAL_NAME.encode() not in raw and INDIVIDUAL_ID.encode() not in raw


@pytest.mark.parametrize("name", ["register", "register_raw"])
def test_downloads_are_clear_for_the_risk_committee(access, served, name) -> None:
    at = run_register(("risk_committee",))
    _, xlsx = download(at, served, f"dl_xlsx_{name}")
    _, text = download(at, served, f"dl_csv_{name}")
    assert in_xlsx(xlsx) == CLEAR
    assert in_csv(text) == CLEAR


DEEP_LINKS: dict[str, str | list[str]] = {
    "threshold": "0",
    "contract": "A",
    "lessee": "LA",
    "q": "LA",
}


@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.script)
@pytest.mark.parametrize("roles", [("executive",), ("admin",)])
def test_no_page_shows_an_individuals_name_or_id_to_roles_without_need(
    access, served, spec, roles
) -> None:
    """Every registered page (pages added later included), deep-linked to lessee A's contract:
    an executive or admin never sees 张三丰 or the ID number, in any table or text, nor in any
    .xlsx or .csv the page offers."""
    at = open_page(spec.script, DEEP_LINKS, username=f"sweep.{roles[0]}", roles=roles)
    assert not at.exception, [e.value for e in at.exception]
    text = shown_text(at)
    assert INDIVIDUAL_NAME not in text
    assert INDIVIDUAL_ID not in text
    for content in served.values():
        cells = file_text(content)
        assert INDIVIDUAL_NAME not in cells
        assert INDIVIDUAL_ID not in cells


def file_text(content: bytes) -> str:
    """Every cell of a served .xlsx or .csv as text ('' for other files, such as images)."""
    if content[:2] == b"PK":
        book = load_workbook(io.BytesIO(content))
        return "\n".join(
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
        )
    if content.startswith(codecs.BOM_UTF8):
        return content.decode("utf-8-sig")
    return ""


def test_the_sweep_can_see_names_where_the_committee_may(access) -> None:
    """The sweep above is not vacuous: some page shows 张三丰 to the risk committee."""
    seen = []
    for spec in PAGES:
        if "risk_committee" not in spec.roles:
            continue
        at = open_page(spec.script, DEEP_LINKS, username="sweep.rc", roles=("risk_committee",))
        if INDIVIDUAL_NAME in shown_text(at):
            seen.append(spec.script)
    assert seen, "no page shows a lessee name to the risk committee"
