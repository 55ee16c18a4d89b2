"""Rows dated after as_of (a month-end extract pulled a few days late): accepted, counted per
table, left out of every figure, and used by the next month's load, on DuckDB and PostgreSQL.

The late rows below are added to the hand-made extract (as_of 2024-06-30); each would change a
June figure if it counted: C2's receipt of 2,060.00 on 07-03 clears three months of arrears, C1's
restructuring on 07-10 (with its new schedule version) puts it in observation, its July override
makes it doubtful, C2's write-off on 07-31 ends it, and the collection, inspection, signal and IoT
event would raise watch flags.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from queries.loads import latest_load
from tests.warehouse.book import Book, build_book, monthly
from tests.warehouse.extract_edits import FIXTURE, append_line, extract, set_cell, to_workbook
from warehouse import schema
from warehouse.engine import create_warehouse_engine
from warehouse.load import load_extract
from warehouse.load_write import layer_tables
from warehouse.settings import load_settings

SETTINGS = load_settings()
POSTLOAN = str(Path(sys.executable).with_name("postloan"))
JUN, JUL = date(2024, 6, 30), date(2024, 7, 31)

# C1's first version (schedule.csv rows 2-13) is closed by the restructuring on 2024-07-10. The
# new version restates 7,000.00: the five 1,050.00 receipts up to 07-09 paid 5 × 1,000 principal.
NEW_C1_VERSION = [
    f"C1,{n},{due},1000.00,30.00,2024-07-10,"
    for n, (due, _, _) in enumerate(monthly("2024-08-15", 7, "1000.00"), start=1)
]
LATE_EDITS = [
    *(set_cell("schedule", r, "valid_to", "2024-07-10") for r in range(2, 14)),
    *(append_line("schedule", line) for line in NEW_C1_VERSION),
    append_line("receipts", "R14,C2,2024-07-03,2060.00"),
    append_line("receipts", "R15,C3,2024-07-10,1320.00"),
    append_line("receipts", "R16,C1,2024-07-15,1030.00"),
    append_line("restructurings", "C1,2024-07-10,extension"),
    append_line("writeoffs", "C2,2024-07-31,2530.00"),
    append_line("classification_overrides", "C1,2024-07,doubtful,展期后失联,风险管理委员会"),
    append_line(
        "collections",
        "A3,C2,2024-07-01 09:00,phone,lessee,promise_to_pay,2060.00,2024-07-03,催收员甲",
    ),
    append_line("inspections", "I3,C2,2024-07-05,site,missing,设备下落不明"),
    append_line("warning_signals", "W3,L2,C2,2024-07-02,court,high,被起诉"),
    append_line("device_events", "E3,C1,D-100,2024-07-01 08:00,geofence_exit,31.0,121.0,"),
]
# Counted by hand from LATE_EDITS: every table that may hold rows dated after as_of.
LATE_COUNTS = {
    "schedule": 7,
    "receipts": 3,
    "restructurings": 1,
    "writeoffs": 1,
    "classification_overrides": 1,
    "collections": 1,
    "inspections": 1,
    "device_events": 1,
    "warning_signals": 1,
}


def _warehouse(url: str) -> dict[str, list[tuple]]:
    """Every source, build and mart table, row by row in a fixed order."""
    engine = create_warehouse_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            return {
                t.name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.c))]
                for t in layer_tables(["source", "build", "mart"])
            }
    finally:
        engine.dispose()


def _month(url: str, month_end: date) -> dict[str, dict]:
    engine = create_warehouse_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            cm = schema.contract_month
            rows = conn.execute(sa.select(cm).where(cm.c.month_end == month_end)).mappings()
            return {r["contract_id"]: dict(r) for r in rows}
    finally:
        engine.dispose()


def _pick(row: dict, *names: str) -> tuple:
    return tuple(row[n] for n in names)


def test_late_rows_leave_every_table_as_without_them(db_url: str, tmp_path: Path) -> None:
    load_extract(FIXTURE, db_url, SETTINGS)
    without = _warehouse(db_url)
    load_extract(extract(tmp_path, *LATE_EDITS), db_url, SETTINGS)
    with_late = _warehouse(db_url)
    assert with_late["contract_month"] == without["contract_month"]
    assert with_late == without  # sources, summaries, monitoring marts and watch flags too
    june = _month(db_url, JUN)
    # C2: still 1,530.00 received, DPD 90, open; C1: no observation, normal; C3: 5,020.00 received.
    assert _pick(june["C2"], "received_to_date", "dpd", "outstanding_principal", "written_off") == (
        Decimal("1530.00"),
        90,
        Decimal("4530.00"),
        False,
    )
    assert _pick(june["C1"], "in_observation", "risk_class", "outstanding_principal") == (
        False,
        "normal",
        Decimal("7000.00"),
    )
    assert june["C3"]["received_to_date"] == Decimal("5020.00")
    month_end = schema.contract_month.c.keys().index("month_end")
    assert max(r[month_end] for r in with_late["contract_month"]) == JUN


def test_late_rows_are_counted_per_table(db_url: str, tmp_path: Path) -> None:
    src = extract(tmp_path, *LATE_EDITS)
    result = load_extract(src, db_url, SETTINGS)
    assert result.late_rows == LATE_COUNTS
    assert result.row_counts["receipts"] == 13 and result.row_counts["schedule"] == 37
    engine = create_warehouse_engine(db_url, read_only=True)
    try:
        recorded = latest_load(engine)
    finally:
        engine.dispose()
    assert recorded is not None and recorded.late_rows == LATE_COUNTS
    # The CLI's load summary and `postloan info` both print them, one line per table.
    for args in (["load", str(src)], ["info"]):
        done = subprocess.run(
            [POSTLOAN, *args, "--warehouse", db_url], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        section = done.stdout.split("rows dated after as of 2024-06-30, not loaded:\n")[1]
        shown = [line.split() for line in section.splitlines()[: len(LATE_COUNTS)]]
        assert {name: int(n) for name, n in shown} == LATE_COUNTS


def test_an_extract_without_late_rows_records_zero(duckdb_url: str) -> None:
    result = load_extract(FIXTURE, duckdb_url, SETTINGS)
    assert result.late_rows == dict.fromkeys(LATE_COUNTS, 0)


def test_late_rows_in_a_workbook_are_counted_alike(duckdb_url: str, tmp_path: Path) -> None:
    book = to_workbook(extract(tmp_path, *LATE_EDITS), tmp_path / "book.xlsx")
    assert load_extract(book, duckdb_url, SETTINGS).late_rows == LATE_COUNTS


def test_the_next_months_load_uses_the_late_rows(db_url: str, tmp_path: Path) -> None:
    src = extract(tmp_path, *LATE_EDITS, set_cell("manifest", 2, "value", "2024-07-31"))
    result = load_extract(src, db_url, SETTINGS)
    assert result.late_rows == dict.fromkeys(LATE_COUNTS, 0)
    assert result.row_counts["receipts"] == 16 and result.row_counts["schedule"] == 44
    july = _month(db_url, JUL)
    # C2: 1,530 + 2,060 = 3,590 received pays installments 1-3 (3,090) and 500 of installment 4
    # (due 06-01): 30 interest, 470 principal → repaid 3,470, 2,530 left, DPD 60 at 07-31. The
    # June override (substandard) still holds; written off in July: its last row.
    assert _pick(
        july["C2"], "received_to_date", "outstanding_principal", "dpd", "risk_class", "written_off"
    ) == (Decimal("3590.00"), Decimal("2530.00"), 60, "substandard", True)
    # C1: restructured on 07-10 (in observation), the July override makes it doubtful.
    assert _pick(july["C1"], "in_observation", "risk_class", "class_reason") == (
        True,
        "doubtful",
        "override",
    )
    # C3: the 1,320 on 07-10 pays its new version's third installment: 7,740 − 3 × 1,290.
    assert july["C3"]["outstanding_principal"] == Decimal("3870.00")


def _promise(action_id: str, contract_id: str, when: str, amount: str, due: str) -> dict:
    return {
        "action_id": action_id,
        "contract_id": contract_id,
        "action_time": datetime.fromisoformat(when),
        "channel": "phone",
        "counterparty_role": "lessee",
        "outcome": "promise_to_pay",
        "promised_amount": Decimal(amount),
        "promised_date": date.fromisoformat(due),
        "collector": "c1",
    }


def _book(late: bool) -> Book:
    """Two contracts whose June figures late source rows must not change."""
    b = Book()
    b.contract("K1", "2024-01-05", monthly("2024-02-05", 6, "1000.00", "10.00"))
    b.pay("K1", "2024-02-05", "1010.00")
    b.contract("K2", "2024-03-01", monthly("2024-04-01", 4, "500.00"))
    b.pay("K2", "2024-04-01", "500.00")
    b.collections.append(_promise("A1", "K2", "2024-06-20 10:00", "500.00", "2024-07-05"))
    if late:
        # K1: three installments paid on 07-02 (2,000 principal left), restructured on 07-10
        # (its first version closed then), overridden in July; K2: pays the promised 500 on
        # 07-03 after another call, written off on 07-20.
        b.pay("K1", "2024-07-02", "3030.00")
        for s in b.schedule:
            if s["contract_id"] == "K1":
                s["valid_to"] = date(2024, 7, 10)
        b.version("K1", monthly("2024-08-10", 2, "1000.00"), valid_from="2024-07-10")
        b.restructure("K1", "2024-07-10")
        b.override("K1", "2024-07", "loss")
        b.collections.append(_promise("A2", "K2", "2024-07-01 09:00", "500.00", "2024-07-03"))
        b.pay("K2", "2024-07-03", "500.00")
        b.writeoffs.append(
            {"contract_id": "K2", "writeoff_date": date(2024, 7, 20), "amount": Decimal("1500")}
        )
    return b


def _monitoring(url: str) -> dict[str, list[tuple]]:
    engine = create_warehouse_engine(url)  # read-write: build_book writes the same file next
    try:
        with engine.connect() as conn:
            tables = (schema.collection_facts, schema.collection_credits)
            return {t.name: [tuple(r) for r in conn.execute(sa.select(t))] for t in tables}
    finally:
        engine.dispose()


def test_the_build_itself_ignores_source_rows_after_as_of(db_url: str) -> None:
    """Even written straight into the source tables, rows after as_of change no figure."""
    plain = build_book(db_url, _book(late=False), "2024-06-30")
    plain_monitoring = _monitoring(db_url)
    late = build_book(db_url, _book(late=True), "2024-06-30")
    assert late.to_dict("records") == plain.to_dict("records")
    assert _monitoring(db_url) == plain_monitoring
    k1 = plain[(plain.contract_id == "K1") & (plain.month_end == JUN)].iloc[0]
    # K1: one of six 1,010 installments paid; installment 2 (due 03-05) unpaid: DPD 117.
    assert (k1.outstanding_principal, k1.dpd, k1.risk_class) == (5000, 117, "substandard")
    # K2's promise of 06-20 (due 07-05) is not kept by the 07-03 receipt: nothing paid by June.
    (fact,) = plain_monitoring["collection_facts"]
    kept = schema.collection_facts.c.keys().index("kept")
    assert fact[0] == "A1" and fact[kept] == 0
