"""A tiny builder for hand-worked books: source rows written straight to a warehouse, then built.

Tests describe a few contracts with explicit schedules and receipts, run the real build, and read
`contract_month` back, so every expected value in a test can be checked with pen and paper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
import sqlalchemy as sa

from tests.warehouse import built_cache
from warehouse import schema
from warehouse.engine import create_warehouse_engine
from warehouse.marts import build_mart
from warehouse.marts.ew_scores import Scorer
from warehouse.settings import load_settings


def d(text: str) -> date:
    """A date from ISO text."""
    return date.fromisoformat(text)


def add_months(day: date, months: int) -> date:
    """The same day-of-month `months` later, clamped to that month's last day."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    following = date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1)
    return date(year, month0 + 1, min(day.day, (following - timedelta(days=1)).day))


@dataclass
class Book:
    """Source rows for a hand-worked case."""

    lessees: list[dict[str, Any]] = field(default_factory=list)
    contracts: list[dict[str, Any]] = field(default_factory=list)
    schedule: list[dict[str, Any]] = field(default_factory=list)
    receipts: list[dict[str, Any]] = field(default_factory=list)
    restructurings: list[dict[str, Any]] = field(default_factory=list)
    writeoffs: list[dict[str, Any]] = field(default_factory=list)
    classification_overrides: list[dict[str, Any]] = field(default_factory=list)
    provisions: list[dict[str, Any]] = field(default_factory=list)
    collections: list[dict[str, Any]] = field(default_factory=list)
    # Approved risk-committee classifications, handed to the build (not a source table).
    committee: list[dict[str, Any]] = field(default_factory=list)

    def lessee(self, lessee_id: str, lessee_type: str = "individual") -> None:
        """Add a lessee."""
        self.lessees.append(
            {
                "lessee_id": lessee_id,
                "name": f"name {lessee_id}",
                "lessee_type": lessee_type,
                "id_number": f"ID{lessee_id}",
                "industry": "C",
                "region": "310000",
                "group_id": None,
                "related_party": False,
            }
        )

    def contract(
        self,
        contract_id: str,
        start: str,
        installments: list[tuple[str, str, str]],
        lessee_id: str | None = None,
        valid_to: str | None = None,
    ) -> None:
        """Add a contract whose principal is the sum of its first schedule version."""
        if lessee_id is None:
            lessee_id = f"L{contract_id}"
            self.lessee(lessee_id)
        principal = sum(Decimal(p) for _, p, _ in installments)
        self.contracts.append(
            {
                "contract_id": contract_id,
                "lessee_id": lessee_id,
                "product": "direct_lease",
                "asset_category": "truck",
                "start_date": d(start),
                "principal": principal,
                "annual_rate": Decimal("0.06"),
                "term_months": len(installments),
                "branch": "SH",
                "account_manager": "am",
            }
        )
        self.version(contract_id, installments, valid_from=None, valid_to=valid_to)

    def version(
        self,
        contract_id: str,
        installments: list[tuple[str, str, str]],
        valid_from: str | None,
        valid_to: str | None = None,
    ) -> None:
        """Add a schedule version: (due_date, principal_due, interest_due) rows."""
        for n, (due, p, i) in enumerate(installments, start=1):
            self.schedule.append(
                {
                    "contract_id": contract_id,
                    "installment_no": n,
                    "due_date": d(due),
                    "principal_due": Decimal(p),
                    "interest_due": Decimal(i),
                    "valid_from": d(valid_from) if valid_from else None,
                    "valid_to": d(valid_to) if valid_to else None,
                }
            )

    def pay(self, contract_id: str, when: str, amount: str) -> None:
        """Add a receipt."""
        n = len(self.receipts) + 1
        self.receipts.append(
            {
                "receipt_id": f"R{n}",
                "contract_id": contract_id,
                "received_date": d(when),
                "amount": Decimal(amount),
            }
        )

    def restructure(self, contract_id: str, when: str, kind: str = "extension") -> None:
        """Add a restructuring row (the new schedule version is added with `version`)."""
        self.restructurings.append(
            {"contract_id": contract_id, "effective_date": d(when), "restructure_type": kind}
        )

    def override(self, contract_id: str, month: str, risk_class: str) -> None:
        """Add a manual classification."""
        self.classification_overrides.append(
            {
                "contract_id": contract_id,
                "effective_month": month,
                "risk_class": risk_class,
                "reason": "committee",
                "approved_by": "chair",
            }
        )

    def committee_decision(self, contract_id: str, month: str, risk_class: str) -> None:
        """Add an approved risk-committee classification (as the portal hands it to the build)."""
        n = len(self.committee) + 1
        self.committee.append(
            {
                "contract_id": contract_id,
                "effective_month": month,
                "risk_class": risk_class,
                "proposal_id": n,
                "proposed_by": "alice",
                "approved_by": "bob",
                "approved_at": datetime(2024, 1, 1, 9, tzinfo=UTC).replace(tzinfo=None)
                + timedelta(days=n),
            }
        )


def monthly(first_due: str, count: int, principal: str, interest: str = "0") -> list:
    """`count` monthly installments of equal principal and interest from `first_due`."""
    start = d(first_due)
    return [(add_months(start, k).isoformat(), principal, interest) for k in range(count)]


def build_book(
    url: str,
    book: Book,
    as_of: str,
    scorer: Scorer | None = None,
    progress: Callable[[str], None] | None = None,
    **overrides: Any,
) -> pd.DataFrame:
    """Write the book's source rows to an empty warehouse, build (with the early-warning step
    `scorer`, if given, its lines to `progress`), return `contract_month`."""
    settings = load_settings(overrides=overrides or None)
    # Builds that score or report progress always run; the others may be copies of an earlier
    # identical build in this process (tests/warehouse/built_cache.py).
    build_key = built_cache.key(url, (book, as_of, sorted(overrides.items())))
    cacheable = build_key is not None and scorer is None and progress is None
    copied = cacheable and built_cache.restore(url, build_key)
    from_nothing = cacheable and not copied and built_cache.fresh(url)
    engine = create_warehouse_engine(url)
    try:
        if not copied:
            built_cache.counts["built"] += 1
            with engine.begin() as conn:
                schema.metadata.drop_all(conn)
                schema.metadata.create_all(conn, tables=list(schema.SOURCE_TABLES.values()))
                for name, table in schema.SOURCE_TABLES.items():
                    rows = getattr(book, name, [])
                    if rows:
                        conn.execute(table.insert(), rows)
                build_mart(
                    conn, settings, d(as_of), progress, committee=book.committee, scorer=scorer
                )
            if from_nothing:
                engine.dispose()
                built_cache.keep(url, build_key)
        with engine.connect() as conn:
            cm = schema.contract_month
            result = conn.execute(sa.select(cm).order_by(cm.c.contract_id, cm.c.month_end))
            frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    finally:
        engine.dispose()
    return frame


def row(frame: pd.DataFrame, contract_id: str, month_end: str) -> dict[str, Any]:
    """The contract_month row of one contract at one month-end, as a dict."""
    hit = frame[(frame.contract_id == contract_id) & (frame.month_end == d(month_end))]
    assert len(hit) == 1, f"{contract_id} {month_end}: {len(hit)} rows"
    return hit.iloc[0].to_dict()
