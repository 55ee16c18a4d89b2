"""The check registry as data: every check's id, dataset, description, severity and how it runs.

A check runs one of two ways. `Expect` checks are Great Expectations expectations, grouped into one
suite per dataset and validated on the dataset's rows in chunks (`data_checks.gx_run`). `Query`
checks are SQLAlchemy Core statements that return the keys of the offending rows
(`data_checks.sql_checks`); they cover what GX expresses poorly: uniqueness over the whole table,
references, accounting identities and continuity per contract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

BLOCKING = "blocking"
WARNING = "warning"
SEVERITIES = (BLOCKING, WARNING)


@dataclass(frozen=True)
class Params:
    """What a run is parameterised by: the as-of month-end (None: all) and the DPD tolerance."""

    as_of: date | None = None
    tolerance: Decimal = Decimal("0")


@dataclass(frozen=True)
class Expect:
    """A GX expectation: its class name in `gx.expectations`, arguments and an optional condition.

    `when` is a conjunction of (column, operator, value) row conditions, operator one of
    `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`.
    """

    expectation: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    when: tuple[tuple[str, str, Any], ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the expectation and its condition read."""
        names = [v for k, v in self.kwargs.items() if k.startswith("column")]
        return tuple(dict.fromkeys([*names, *(c for c, _, _ in self.when)]))


@dataclass(frozen=True)
class Query:
    """A Core statement builder whose result rows are the offending keys (empty: passed)."""

    build: Callable[[Params], sa.Select]


@dataclass(frozen=True)
class Check:
    """One data check."""

    id: str
    dataset: str
    description: str
    severity: str
    run: Expect | Query

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.id}: severity {self.severity!r}")
