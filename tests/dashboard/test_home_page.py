"""The home page over a hand-made warehouse: known rows give known headline numbers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from queries.loads import expected_layout
from tests.signin import sign_in
from warehouse import schema
from warehouse.engine import create_warehouse_engine

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
AS_OF = date(2026, 10, 31)
PREVIOUS = date(2026, 9, 30)


def _month(contract: str, lessee: str, month_end: date, outstanding: str, dpd: int, **flags: bool):
    """One `contract_month` row; columns the page does not read get plain fillers."""
    return {
        "contract_id": contract,
        "lessee_id": lessee,
        "month_end": month_end,
        "month_idx": month_end.year * 12 + month_end.month - 1,
        "mob": 3,
        "outstanding_principal": Decimal(outstanding),
        "overdue_principal": Decimal("0.00"),
        "overdue_interest": Decimal("0.00"),
        "dpd": dpd,
        "dpd_bucket": "M0",
        "risk_class": "normal",
        "class_reason": "dpd",
        "in_observation": False,
        "written_off": flags.get("written_off", False),
        "closed": flags.get("closed", False),
        "provision": Decimal("0.00"),
        "provision_estimated": True,
        "received_to_date": Decimal("0.00"),
        "product": "direct_lease",
        "lessee_type": "corporate",
        "industry": "C",
        "region": "310000",
        "branch": "上海",
        "asset_category": "machinery",
        "cohort_month": date(2026, 7, 31),
        "original_principal": Decimal("2000000.00"),
    }


# Open at AS_OF: C1, C2 (lessee L1) and C3 (L2) -> 3 contracts, 2 lessees.
# Outstanding 1,000,000.00 + 250,000.50 + 123,456.78 = 1,373,457.28 yuan = 137.35 万元.
# DPD > 0: C2 (15) and C3 (95) -> 2. C4 closed this month and C5 written off are not open;
# C1's September row is another month.
ROWS = [
    _month("C1", "L1", AS_OF, "1000000.00", 0),
    _month("C2", "L1", AS_OF, "250000.50", 15),
    _month("C3", "L2", AS_OF, "123456.78", 95),
    _month("C4", "L3", AS_OF, "0.00", 0, closed=True),
    _month("C5", "L4", AS_OF, "50000.00", 400, written_off=True),
    _month("C1", "L1", PREVIOUS, "1100000.00", 40),
]
SHA = "abcdef0123456789" + "0" * 48


def _load(load_id: int, as_of: date, institution: str) -> dict[str, object]:
    return {
        "load_id": load_id,
        # stored naive UTC, as the loader records it: 10:30 in Beijing
        "loaded_at": datetime(2026, 11, 1, 2, 30, load_id, tzinfo=UTC).replace(tzinfo=None),
        "as_of": as_of,
        "institution": institution,
        "entity_type": "financing_lease",
        "currency": "CNY",
        "source": "extract",
        "sha256": SHA if load_id == 2 else "f" * 64,
        "row_counts": json.dumps({"contracts": 5}),
        "build_seconds": 1.5,
    }


def _fill(url: str) -> None:
    engine = create_warehouse_engine(url)
    try:
        # Every table a load and build write (empty but for these rows), as a real build leaves.
        tables = [schema.metadata.tables[name] for name in expected_layout()]
        schema.metadata.create_all(engine, tables=tables)
        with engine.begin() as conn:
            conn.execute(sa.insert(schema.contract_month), ROWS)
            conn.execute(
                sa.insert(schema.loads),
                [_load(1, PREVIOUS, "旧机构"), _load(2, AS_OF, "示例融资租赁有限公司")],
            )
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()  # disposes the cached engines (on_release)


def _app(url: str, monkeypatch: pytest.MonkeyPatch, lang: str | None = None) -> AppTest:
    monkeypatch.setenv("POSTLOAN_WAREHOUSE_URL", url)
    at = AppTest.from_file(str(APP), default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    sign_in(at)
    return at.run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_headline_numbers_match_the_hand_worked_rows(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(db_url)
    at = _app(db_url, monkeypatch)
    assert not at.exception
    assert _metrics(at) == {
        "存续合同数": "3",
        "承租人数": "2",
        "未偿本金": "137.35 万元",
        "逾期合同数": "2",
    }
    text = _text(at)
    assert "2026-10-31" in text
    assert "示例融资租赁有限公司" in text
    assert "2026-11-01 10:30" in text
    assert "#2" in text and "abcdef012345" in text


def test_english_switch_changes_labels_and_the_url(
    duckdb_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(duckdb_url)
    at = _app(duckdb_url, monkeypatch)
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert _metrics(at)["Open contracts"] == "3"
    assert _metrics(at)["Outstanding"] == "137.35 × 10k"
    helps = {m.label: m.proto.help for m in at.metric}
    assert helps["Contracts past due"] == (
        "Open contracts more than 0 days past due at the month-end."
    )
    assert at.title[0].value == "Portfolio overview"
    assert at.query_params["lang"] == "en"


def test_lang_query_parameter_opens_in_english(
    duckdb_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(duckdb_url)
    at = _app(duckdb_url, monkeypatch, lang="en")
    assert not at.exception
    assert "Lessees" in _metrics(at)


def test_forged_lang_falls_back_to_chinese(
    duckdb_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(duckdb_url)
    at = _app(duckdb_url, monkeypatch, lang="<script>")
    assert not at.exception
    assert "承租人数" in _metrics(at)


def test_missing_warehouse_gives_a_friendly_message(
    duckdb_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(duckdb_url, monkeypatch)
    assert not at.exception
    assert not at.metric
    assert "make run" in at.info[0].value


def test_empty_warehouse_gives_a_friendly_message(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_warehouse_engine(db_url)
    schema.metadata.create_all(engine, tables=[schema.loads])
    engine.dispose()
    at = _app(db_url, monkeypatch)
    assert not at.exception
    assert "postloan load" in at.info[0].value


def test_warehouse_from_an_older_version_says_to_rebuild(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table this version needs is missing (an older build): the page names it and says
    `postloan build` instead of failing on the first query."""
    _fill(db_url)
    engine = create_warehouse_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE contract_watch"))
    engine.dispose()
    at = _app(db_url, monkeypatch)
    assert not at.exception
    assert not at.metric
    assert "postloan build" in at.warning[0].value and "contract_watch" in at.warning[0].value
