"""The cell-by-cell difference between two versions of a report (what a correction changed)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


@dataclass(frozen=True)
class CellChange:
    """One cell whose value differs: before, after and, for numbers, the exact change."""

    cell: str
    before: object
    after: object
    change: Decimal | None


def _number(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _same(a: object, b: object) -> bool:
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na == nb
    return a == b


def cell_order(cell: str) -> tuple[object, ...]:
    """Sort key that puts G11_2_C before G11_10_C (numbers compared as numbers)."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", cell)
        if part
    )


def cell_diff(before: Mapping[str, object], after: Mapping[str, object]) -> list[CellChange]:
    """Every cell whose value changed, appeared or disappeared, in cell-code order."""
    changes: list[CellChange] = []
    for cell in sorted(set(before) | set(after), key=cell_order):
        old, new = before.get(cell), after.get(cell)
        if _same(old, new):
            continue
        a, b = _number(old), _number(new)
        delta = (b or Decimal(0)) - (a or Decimal(0)) if a is not None or b is not None else None
        if (old is not None and a is None) or (new is not None and b is None):
            delta = None
        changes.append(CellChange(cell, old, new, delta))
    return changes
