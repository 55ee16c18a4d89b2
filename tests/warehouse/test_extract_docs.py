"""docs/extract-format.md stays in step with the extract registry (`warehouse/extract_spec.py`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from warehouse import extract_spec as spec

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "extract-format.md").read_text(encoding="utf-8")


def _section(table: str) -> str:
    match = re.search(
        rf"^### `{table}` \((required|optional)\)\n(.*?)(?=^#+ |\Z)", DOC, re.M | re.S
    )
    return match.group(0) if match else ""


def _rows(section: str) -> dict[str, list[str]]:
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if line.startswith("| `") and len(cells) >= 4:
            rows[cells[0].strip("`")] = cells
    return rows


@pytest.mark.parametrize("table", spec.TABLES, ids=lambda t: t.name)
def test_every_table_is_documented_as_required_or_optional(table: spec.Table) -> None:
    section = _section(table.name)
    assert section, f"docs/extract-format.md has no section ### `{table.name}`"
    assert section.startswith(
        f"### `{table.name}` ({'required' if table.required else 'optional'})"
    )


@pytest.mark.parametrize("table", spec.TABLES, ids=lambda t: t.name)
def test_every_column_is_documented_with_kind_and_cell_rule(table: spec.Table) -> None:
    rows = _rows(_section(table.name))
    assert set(rows) == set(table.column_names), f"{table.name}: documented columns differ"
    for col in table.columns:
        _, kind, cell, *_ = rows[col.name]
        assert kind == col.kind, f"{table.name}.{col.name}: kind"
        assert cell == ("required" if col.required else "may be empty"), f"{table.name}.{col.name}"
        if col.nonnegative:
            assert "≥ 0" in rows[col.name][3], f"{table.name}.{col.name}: not marked ≥ 0"
        if col.pattern:
            assert f"`{col.pattern}`" in rows[col.name][3]


@pytest.mark.parametrize("table", spec.TABLES, ids=lambda t: t.name)
def test_keys_references_and_codes_are_documented(table: spec.Table) -> None:
    section = " ".join(_section(table.name).split())
    key = ", ".join(f"`{k}`" for k in table.key)
    assert f"Key: {key}." in section, f"{table.name}: key not stated"
    for ref in table.references:
        assert f"`{ref.columns[0]}` → `{ref.table}`" in section, f"{table.name}: {ref}"
    for col in table.columns:
        for value in col.enum or ():
            assert f"`{value}`" in section, f"{table.name}.{col.name}: code {value} missing"


def test_manifest_keys_and_entity_types_are_documented() -> None:
    for key in spec.MANIFEST_KEYS:
        assert f"| `{key}` |" in DOC
    for value in spec.ENTITY_TYPES:
        assert f"`{value}`" in DOC


def test_every_kind_is_documented() -> None:
    for kind in spec.KINDS:
        assert re.search(rf"^\| {kind} \|", DOC, re.M), f"kind {kind} not in the units table"


def test_what_is_refused_states_the_limits_the_loader_applies() -> None:
    from warehouse import extract_read, extract_text

    match = re.search(r"^## What is refused\n(.*?)(?=^## |\Z)", DOC, re.M | re.S)
    assert match, "docs/extract-format.md has no section ## What is refused"
    section = match.group(1)
    for limit in (extract_text.MAX_CELL_CHARS, extract_text.MAX_LINE_BYTES):
        assert f"**{limit:,} " in section
    assert f"at most {extract_read.MANIFEST_ROWS:,} rows" in section
    for code in ("U+0000", "U+001F", "U+007F", "U+0080", "U+009F"):
        assert code in section
    refused = "".join(chr(c) for c in range(0x100) if extract_text.CONTROL.match(chr(c)))
    assert refused == "".join(
        chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in "\t\n\r"
    )
