"""warehouse.load on bad input: each kind of problem is reported at its exact file, row and
column, all problems at once, and the warehouse does not change, on DuckDB and on PostgreSQL."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from tests.warehouse.extract_edits import (
    FIXTURE,
    Edit,
    add_column,
    append_line,
    drop_column,
    drop_rows,
    extract,
    reencode_line,
    remove_file,
    replace_file,
    set_cell,
    snapshot,
    to_workbook,
)
from warehouse.load import ExtractError, Problem, format_problems, load_extract
from warehouse.settings import load_settings

SETTINGS = load_settings()
Where = tuple[str, int | None, str]

BAD_INPUTS: dict[str, tuple[list[Edit], list[Where], str]] = {
    "missing_table": ([remove_file("receipts")], [("receipts.csv", None, "")], "required table"),
    "missing_column": (
        [drop_column("contracts", "principal")],
        [("contracts.csv", 1, "principal")],
        "required column is missing",
    ),
    "malformed_line": (
        [append_line("receipts", "R14,C1,2024-06-20,10.00,extra")],
        [("receipts.csv", None, ""), ("receipts.csv", 15, "")],
        "too many columns",
    ),
    "bad_date": (
        [set_cell("contracts", 3, "start_date", "2024-02-30")],
        [("contracts.csv", 3, "start_date")],
        "not a date (YYYY-MM-DD): '2024-02-30'",
    ),
    "bad_number": (
        [set_cell("schedule", 15, "principal_due", "1,000.00")],
        [("schedule.csv", 15, "principal_due")],
        "not an amount in yuan",
    ),
    "empty_required_cell": (
        [set_cell("receipts", 8, "amount", "")],
        [("receipts.csv", 8, "amount")],
        "required value is empty",
    ),
    "bad_enum": (
        [set_cell("lessees", 3, "lessee_type", "person")],
        [("lessees.csv", 3, "lessee_type")],
        "not one of corporate|individual: 'person'",
    ),
    "bad_pattern": (
        [set_cell("lessees", 4, "region", "31011")],
        [("lessees.csv", 4, "region")],
        "does not match the pattern",
    ),
    "duplicate_key": (
        [append_line("receipts", "R05,C1,2024-06-20,10.00")],
        [("receipts.csv", 15, "receipt_id")],
        "duplicate key (receipt_id=R05); first at row 6",
    ),
    "duplicate_key_with_empty_valid_from": (
        [append_line("schedule", "C1,12,2025-01-15,1000.00,50.00,,")],
        [
            ("schedule.csv", 2, "principal_due"),  # the first version no longer sums to 12,000
            ("schedule.csv", 39, "contract_id,valid_from,installment_no"),
        ],
        "valid_from=(empty)",
    ),
    "unknown_reference": (
        [set_cell("contracts", 3, "lessee_id", "L9")],
        [("contracts.csv", 3, "lessee_id")],
        "unknown lessees reference: lessee_id=L9",
    ),
    "negative_amount": (
        [set_cell("receipts", 7, "amount", "-1030.00")],
        [("receipts.csv", 7, "amount")],
        "negative: '-1030.00'",
    ),
    "date_before_contract_start": (
        [set_cell("receipts", 2, "received_date", "2024-01-10")],
        [("receipts.csv", 2, "received_date")],
        "before the contract start_date 2024-01-15",
    ),
    "promise_before_action": (
        [set_cell("collections", 2, "promised_date", "2024-04-01")],
        [("collections.csv", 2, "promised_date")],
        "is before the action time",
    ),
    "valid_to_not_after_valid_from": (
        [set_cell("schedule", 30, "valid_to", "2024-04-01")],
        [("schedule.csv", 30, "valid_to"), ("schedule.csv", 30, "valid_to")],
        "is not after valid_from",
    ),
    "versions_overlap": (
        [set_cell("schedule", r, "valid_to", "2024-05-01") for r in range(20, 30)],
        [("schedule.csv", 30, "valid_from")],
        "overlaps the previous version (valid_to 2024-05-01)",
    ),
    "versions_gap": (
        [set_cell("schedule", r, "valid_to", "2024-03-15") for r in range(20, 30)],
        [("schedule.csv", 30, "valid_from")],
        "starts after the previous version ends (valid_to 2024-03-15)",
    ),
    "no_first_version": (
        [drop_rows("schedule", "C4")],
        [("contracts.csv", 5, "contract_id")],
        "contract C4 has no first schedule version",
    ),
    "first_version_not_principal": (
        [set_cell("schedule", 13, "principal_due", "999.00")],
        [("schedule.csv", 2, "principal_due")],
        "sums principal_due to 11999.00, not the contract principal 12000.00",
    ),
    "later_version_not_outstanding": (
        [set_cell("schedule", 30, "principal_due", "1291.00")],
        [("schedule.csv", 30, "principal_due")],
        "sums principal_due to 7741.00, not the principal outstanding on that date 7740.00",
    ),
    "manifest_bad_entity_type": (
        [set_cell("manifest", 4, "value", "bank")],
        [("manifest.csv", 4, "value")],
        "entity_type not one of",
    ),
    "manifest_as_of_not_month_end": (
        [set_cell("manifest", 2, "value", "2024-06-15")],
        [("manifest.csv", 2, "value")],
        "as_of is not a month-end",
    ),
    "manifest_missing": (
        [remove_file("manifest")],
        [("manifest.csv", None, "")],
        "required table is missing",
    ),
    "manifest_key_missing": (
        [drop_rows("manifest", "currency")],
        [("manifest.csv", None, "key")],
        "required key currency is missing",
    ),
    # A receipt dated after as_of is a late row, left out of the load (test_load_late_rows.py);
    # a contract cannot start, nor a provision be for a month-end, after as_of.
    "contract_start_after_as_of": (
        [
            append_line("contracts", "C5,L2,loan,vehicle,2024-07-01,1000.00,0.05,1,北京分部,赵六"),
            append_line("schedule", "C5,1,2024-08-01,1000.00,5.00,,"),
        ],
        [("contracts.csv", 6, "start_date")],
        "after the manifest as_of 2024-06-30: 2024-07-01",
    ),
    "provision_after_as_of": (
        [set_cell("provisions", 3, "month_end", "2024-07-31")],
        [("provisions.csv", 3, "month_end")],
        "after the manifest as_of 2024-06-30: 2024-07-31",
    ),
    "late_row_still_checked": (
        [append_line("receipts", "R14,C9,2024-07-03,10.00")],
        [("receipts.csv", 15, "contract_id")],
        "unknown contracts reference: contract_id=C9",
    ),
    "more_than_two_decimals": (
        [set_cell("receipts", 3, "amount", "1050.005")],
        [("receipts.csv", 3, "amount")],
        "more than 2 decimals: '1050.005'",
    ),
    # Extracts that cannot hurt (docs/extract-format.md, "What is refused").
    "nul_in_a_cell": (
        [set_cell("contracts", 3, "asset_category", "veh\x00icle")],
        [("contracts.csv", 3, "asset_category")],
        "control character U+0000 at character 4 (not allowed in a cell)",
    ),
    "control_character_in_a_text_cell": (
        [set_cell("lessees", 3, "name", "张\x01三")],
        [("lessees.csv", 3, "name")],
        "control character U+0001 at character 2",
    ),
    "escape_sequence_in_a_text_cell": (
        [set_cell("collections", 2, "collector", "\x1b[2J王五")],
        [("collections.csv", 2, "collector")],
        "control character U+001B at character 1",
    ),
    "del_in_a_code_cell": (
        [set_cell("lessees", 2, "lessee_type", "corporate\x7f")],
        [("lessees.csv", 2, "lessee_type")],
        "control character U+007F at character 10",
    ),
    "c1_control_in_a_date_cell": (
        [set_cell("receipts", 4, "received_date", "2024-04-15\x85")],
        [("receipts.csv", 4, "received_date")],
        "control character U+0085 at character 11",
    ),
    "control_character_in_the_manifest": (
        [set_cell("manifest", 3, "value", "示例\x00融资租赁有限公司")],
        [("manifest.csv", 3, "value")],
        "control character U+0000 at character 3",
    ),
    "line_of_200_kib": (
        [set_cell("lessees", 3, "name", "x" * 200 * 1024)],
        [("lessees.csv", 3, "name")],
        "longer than 32,767 characters (204800)",
    ),
    "manifest_line_of_200_kib": (
        [append_line("manifest", "note," + "说明" * 100 * 1024)],
        [("manifest.csv", 6, "value")],
        "longer than 32,767 characters (204800)",
    ),
    "line_longer_than_2_mib": (
        [append_line("receipts", "R14,C1,2024-06-20," + "1" * (2 << 20))],
        [("receipts.csv", None, ""), ("receipts.csv", 15, "amount")],
        "the line is longer than 2,097,152 bytes",
    ),
    "gbk_on_line_3": (
        [reencode_line("lessees", 3, "gbk")],
        [("lessees.csv", None, ""), ("lessees.csv", 3, "name")],
        "not UTF-8 text: bytes D5 C5...; save the file as UTF-8 (it looks like GBK/GB18030)",
    ),
    "gbk_after_a_quoted_line_break": (
        [
            set_cell("lessees", 2, "name", "华东机械\n制造有限公司"),
            reencode_line("lessees", 4, "gbk"),
        ],
        [("lessees.csv", None, ""), ("lessees.csv", 4, "name")],  # DuckDB counts it as row 3
        "not UTF-8 text: bytes D5 C5",
    ),
    "gbk_in_a_later_column": (
        [reencode_line("contracts", 4, "gbk")],
        [("contracts.csv", None, ""), ("contracts.csv", 4, "branch")],
        "not UTF-8 text: bytes C9 CF",
    ),
    "gbk_in_the_header": (
        [add_column("receipts", "备注", ""), reencode_line("receipts", 1, "gbk")],
        [("receipts.csv", 1, "column 5")],
        "not UTF-8 text: bytes B1 B8",
    ),
    "symlink_to_a_file_outside_the_folder": (
        [replace_file("receipts", "link_outside")],
        [("receipts.csv", None, "")],
        "a symbolic link to a file outside the extract folder",
    ),
    "fifo_as_a_table_file": (
        [replace_file("provisions", "fifo")],
        [("provisions.csv", None, "")],
        "a named pipe (FIFO), not a regular file",
    ),
    "folder_named_like_a_table_file": (
        [replace_file("contracts", "folder")],
        [("contracts.csv", None, "")],
        "a folder, not a regular file",
    ),
}


def _where(problems: list[Problem]) -> list[Where]:
    return [(p.file, p.row, p.column) for p in problems]


@pytest.mark.parametrize("case", BAD_INPUTS, ids=str)
def test_bad_input_is_reported_and_changes_nothing(case: str, db_url: str, tmp_path: Path) -> None:
    edits, where, message = BAD_INPUTS[case]
    load_extract(FIXTURE, db_url, SETTINGS)
    before = snapshot(db_url)
    with pytest.raises(ExtractError) as caught:
        load_extract(extract(tmp_path, *edits), db_url, SETTINGS)
    problems = caught.value.problems
    assert _where(problems) == where, format_problems(problems)
    assert any(message in p.message for p in problems), format_problems(problems)
    assert snapshot(db_url) == before


def test_workbook_problems_name_the_sheet(duckdb_url: str, tmp_path: Path) -> None:
    src = extract(tmp_path, set_cell("contracts", 3, "start_date", "someday"))
    book = to_workbook(src, tmp_path / "book.xlsx")
    with pytest.raises(ExtractError) as caught:
        load_extract(book, duckdb_url, SETTINGS)
    assert _where(caught.value.problems) == [("book.xlsx:contracts", 3, "start_date")]


def test_all_problems_are_reported_at_once(duckdb_url: str, tmp_path: Path) -> None:
    edits = [e for case in ("bad_enum", "negative_amount", "bad_date") for e in BAD_INPUTS[case][0]]
    with pytest.raises(ExtractError) as caught:
        load_extract(extract(tmp_path, *edits), duckdb_url, SETTINGS)
    assert len(caught.value.problems) == 3


WORKBOOK_CASES: dict[str, tuple[Edit, Where, str]] = {
    "del_in_a_text_cell": (
        set_cell("lessees", 3, "name", "张\x7f三"),
        ("book.xlsx:lessees", 3, "name"),
        "control character U+007F at character 2",
    ),
    # Excel writes a control character in a cell as _x0001_; openpyxl hands that text over as is.
    "excel_escaped_control_character": (
        set_cell("guarantors", 2, "name", "孙_x0001_八"),
        ("book.xlsx:guarantors", 2, "name"),
        "control character U+0001 at character 2",
    ),
    "c1_control_in_the_manifest": (
        set_cell("manifest", 3, "value", "示例\x85融资租赁有限公司"),
        ("book.xlsx:manifest", 3, "value"),
        "control character U+0085 at character 3",
    ),
}


@pytest.mark.parametrize("case", WORKBOOK_CASES, ids=str)
def test_workbook_cells_follow_the_same_rules(case: str, db_url: str, tmp_path: Path) -> None:
    edit, where, message = WORKBOOK_CASES[case]
    load_extract(FIXTURE, db_url, SETTINGS)
    before = snapshot(db_url)
    book = to_workbook(extract(tmp_path, edit), tmp_path / "book.xlsx")
    with pytest.raises(ExtractError) as caught:
        load_extract(book, db_url, SETTINGS)
    problems = caught.value.problems
    assert _where(problems) == [where], format_problems(problems)
    assert message in problems[0].message
    assert snapshot(db_url) == before


def test_a_sheet_that_is_not_xml_is_reported_not_raised(duckdb_url: str, tmp_path: Path) -> None:
    book = to_workbook(extract(tmp_path), tmp_path / "book.xlsx")
    with zipfile.ZipFile(book) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = next(n for n, d in parts.items() if "华东机械制造有限公司".encode() in d)
    parts[sheet] = parts[sheet].replace("华东机械".encode(), b"&#1;")  # not a character XML allows
    with zipfile.ZipFile(book, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(ExtractError) as caught:
        load_extract(book, duckdb_url, SETTINGS)
    problems = caught.value.problems
    assert _where(problems) == [("book.xlsx:lessees", None, "")], format_problems(problems)
    assert problems[0].message.startswith("not a readable sheet: ")


def test_what_is_not_a_table_is_left_alone(duckdb_url: str, tmp_path: Path) -> None:
    """A link inside the folder is read like its file; extra pipes, folders and long extra
    columns are ignored (the digest never opens a pipe, so nothing blocks)."""
    src = extract(
        tmp_path,
        replace_file("receipts", "link_inside"),
        add_column("provisions", "说明" * 70_000, "x" * 40_000),
    )
    os.mkfifo(src / "notes.csv")
    (src / "old.csv").mkdir()
    result = load_extract(src, duckdb_url, SETTINGS)
    assert result.row_counts["receipts"] == 13
    assert result.row_counts["provisions"] == 2


def test_printed_problems_never_carry_control_characters() -> None:
    problem = Problem("lessees.csv", 3, "name\x00", "unknown reference: lessee_id=\x1b[2J\n")
    assert str(problem) == "lessees.csv:3:name\\x00: unknown reference: lessee_id=\\x1b[2J\\x0a"
