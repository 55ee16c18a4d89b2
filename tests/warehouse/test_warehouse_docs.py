"""docs/warehouse.md stays in step with the MetaData: every table, its grain, every mart column."""

from __future__ import annotations

from pathlib import Path

from warehouse import schema

DOC = (Path(__file__).resolve().parents[2] / "docs" / "warehouse.md").read_text(encoding="utf-8")


def test_every_table_is_documented_with_its_grain() -> None:
    """A table row `| name | grain |` exists for each table in the MetaData."""
    for name, table in schema.metadata.tables.items():
        assert f"| `{name}` |" in DOC, name
        assert table.info.get("grain"), f"{name} states no grain in schema.py"


def test_every_contract_month_column_is_documented() -> None:
    """Each mart column is named in the column table."""
    for column in schema.contract_month.columns:
        assert f"`{column.name}`" in DOC, column.name


def test_every_class_reason_is_documented() -> None:
    """Each class_reason value the build can write is explained."""
    for reason in schema.CLASS_REASONS:
        assert f"`{reason}`" in DOC, reason
