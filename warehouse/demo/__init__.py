"""The demo generator: a realistic synthetic extract of a financing-lease book (`postloan demo`).

Tables are generated and written one after another so that a million contracts fit in memory.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

from warehouse.demo import book as book_mod
from warehouse.demo import columns as col
from warehouse.demo import dunning, financials, ledger, monitoring, oversight, parties, risk
from warehouse.demo.calendar import EPOCH, Calendar, last_month_end
from warehouse.demo.history import first_over, last_open_month
from warehouse.demo.payments import simulate
from warehouse.demo.write import write_table
from warehouse.months import month_idx

INSTITUTION = "示范融资租赁有限公司"
SPAN_BEFORE = 24  # calendar months kept before the window (lessee statements reach back)
SPAN_AFTER = 12 * 12  # and after as-of, for schedules and restructurings

__all__ = ["INSTITUTION", "generate_extract", "hidden_risk"]


@dataclass(frozen=True)
class Setup:
    """What every table of a demo extract is drawn from: the random stream, the months, the book
    and the lessees' hidden risk."""

    rng: np.random.Generator
    cal: Calendar
    first: int
    last: int
    as_of: date
    book: book_mod.Book
    latent: risk.Latent


def _setup(contracts: int, as_of: date | None, months: int, seed: int) -> Setup:
    if contracts < 1 or months < 1:
        raise ValueError("contracts and months must be positive")
    last = month_idx(as_of or last_month_end(datetime.now(ZoneInfo("Asia/Shanghai")).date()))
    first = last - months + 1
    cal = Calendar.spanning(first - SPAN_BEFORE, last + SPAN_AFTER)
    as_of = date.fromordinal(int(cal.end(last)) + EPOCH.toordinal())
    rng = np.random.default_rng(seed)
    book = book_mod.draw_book(rng, contracts, cal, first, last)
    hidden = np.random.default_rng([seed, risk.LATENT_STREAM])
    latent = risk.latent_risk(hidden, book.l_grade, first, last)
    return Setup(rng, cal, first, last, as_of, book, latent)


def hidden_risk(
    *, contracts: int = 20_000, as_of: date, months: int = 48, seed: int = 7
) -> tuple[pa.Array, pa.Array, risk.Latent]:
    """The hidden risk behind the extract `generate_extract` writes with the same arguments: the
    lessee ids (columns of `latent.z`), each contract's lessee id (in contract-id order, C00000001
    first) and the latent series. Never part of the extract; for tests and for docs/demo.md."""
    setup = _setup(contracts, as_of, months, seed)
    lessee_ids = parties.lessee_ids(len(setup.book.l_type))
    return lessee_ids, lessee_ids.take(pa.array(setup.book.lessee)), setup.latent


def generate_extract(
    out: Path,
    *,
    contracts: int = 20_000,
    as_of: date | None = None,
    months: int = 48,
    seed: int = 7,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write a demo extract (one CSV per table plus manifest.csv) to `out`; returns row counts.

    Contracts start within the `months` months up to `as_of` (moved to its month-end; default:
    the last month-end before today, Beijing time). The same arguments always give byte-identical
    files. Each lessee carries a hidden, drifting risk (`hidden_risk`, docs/demo.md) that drives
    its payments, statements, signals, devices, inspections and collection contacts. `progress`,
    when given, is told about each step.
    """
    say = progress or (lambda _message: None)
    setup = _setup(contracts, as_of, months, seed)
    rng, cal, first, last, book, latent = (
        setup.rng,
        setup.cal,
        setup.first,
        setup.last,
        setup.book,
        setup.latent,
    )
    as_of = setup.as_of
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    def write(name: str, table: object) -> None:
        counts[name] = write_table(out, name, table)  # type: ignore[arg-type]
        say(f"wrote {name}.csv: {counts[name]:,} rows")

    contract_ids = col.ids("C", np.arange(1, book.size + 1), 8)
    lessee_ids = parties.lessee_ids(len(book.l_type))
    write("lessees", parties.lessees_table(rng, book))
    write("contracts", book_mod.contracts_table(rng, book, contract_ids, lessee_ids))
    guarantors, has_guarantor = parties.guarantors_table(rng, book, contract_ids)
    write("guarantors", guarantors)
    del guarantors

    say(f"simulating {book.size:,} contracts over {months} months")
    outcome = simulate(book, cal, first, last, rng, latent)
    write("schedule", ledger.schedule_chunks(outcome, contract_ids))
    write("receipts", ledger.receipt_chunks(outcome, contract_ids))
    write("restructurings", ledger.restructurings_table(outcome, contract_ids))
    write("writeoffs", ledger.writeoffs_table(outcome, contract_ids))
    paid = dunning.Paid.of(outcome)  # what promises to pay are kept by, before receipts go
    outcome.state.store = None  # type: ignore[assignment]
    outcome.receipts = ()  # type: ignore[assignment]
    gc.collect()

    anchor = first_over(outcome, 30)
    first_late = first_over(outcome, 0)
    last_open = last_open_month(outcome, book.start_month)
    write("classification_overrides", oversight.overrides_table(rng, outcome, contract_ids))
    month_ends = cal.end(np.arange(first, last + 1))
    write("provisions", oversight.provisions_table(rng, outcome, month_ends, contract_ids))
    write(
        "collections",
        dunning.collections_table(
            rng, book, outcome, cal, has_guarantor, contract_ids, paid, latent
        ),
    )
    del paid
    write(
        "inspections",
        monitoring.inspections_table(
            rng, book, cal, latent, first_late, anchor, last_open, contract_ids
        ),
    )
    write(
        "device_events",
        monitoring.device_events_table(rng, book, cal, latent, last_open, contract_ids),
    )
    write(
        "warning_signals",
        monitoring.signals_table(
            rng, book, cal, latent, last_open, first, contract_ids, lessee_ids
        ),
    )
    write(
        "lessee_financials",
        financials.lessee_financials_table(rng, book, cal, latent, first, last, lessee_ids),
    )
    write(
        "company_financials", financials.company_financials_table(rng, cal, outcome.totals, first)
    )

    manifest = pa.table(
        {
            "key": ["as_of", "institution", "entity_type", "currency"],
            "value": [as_of.isoformat(), INSTITUTION, "financing_lease", "CNY"],
        }
    )
    write_table(out, "manifest", manifest)
    return counts
