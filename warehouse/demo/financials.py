"""Financial statements: corporate lessees' half-year and annual figures, the company's month-ends.

A lessee's statements follow its hidden risk z (`risk.Latent`, docs/demo.md), averaged over the
six months the statement covers: as z rises revenue falls, profit and operating cash flow turn
negative and leverage climbs, each with its own noise.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from warehouse.demo import columns as col
from warehouse.demo import risk
from warehouse.demo.book import CORPORATE, Book
from warehouse.demo.calendar import Calendar
from warehouse.demo.history import spread

BIG = np.iinfo(np.int32).max


def lessee_financials_table(
    rng: np.random.Generator,
    book: Book,
    cal: Calendar,
    latent: risk.Latent,
    first: int,
    last: int,
    lessee_ids: pa.Array,
) -> pa.Table:
    """Half-year (June) and annual (December) statements of corporate lessees, up to as-of."""
    nl = len(book.l_type)
    start = np.full(nl, BIG, dtype=np.int64)
    np.minimum.at(start, book.lessee, book.start_month)
    exposure = np.bincount(book.lessee, weights=book.principal, minlength=nl)
    corp = np.flatnonzero(book.l_type == CORPORATE)
    lo = np.maximum(start[corp] - 12, first - 12)
    h_lo = -((5 - lo) // 6)  # first half-year end (month 5 + 6h) not before lo
    h_hi = (last - 5) // 6
    owner, rank = spread(np.maximum(h_hi - h_lo + 1, 0))
    lessee = corp[owner]
    month = 5 + 6 * (h_lo[owner] + rank)
    n = len(lessee)
    size = exposure[corp] * rng.lognormal(np.log(6.0), 0.5, len(corp))
    grade = book.l_grade[lessee].astype(np.float64)
    total_assets = size[owner] * 1.03**rank * rng.lognormal(0, 0.04, n)
    lev = 0.5 + 0.04 * grade + rng.normal(0, 0.05, n)
    margin = 0.07 - 0.01 * grade + rng.normal(0, 0.01, n)
    cash_ratio = 0.09 - 0.01 * grade + rng.normal(0, 0.02, n)
    revenue = total_assets * 0.4 * np.where(month % 12 == 5, 0.5, 1.0) * rng.lognormal(0, 0.05, n)
    z = latent.mean_over(6, month, lessee)
    stress = np.clip((z - 0.3) / 1.7 + rng.normal(0, 0.1, n), 0.0, 1.5)
    revenue *= 1 - 0.35 * stress
    margin -= 0.15 * stress
    cash_ratio -= 0.2 * stress
    lev = np.clip(lev + 0.25 * stress, 0.2, 1.2)
    total_assets *= 1 - 0.1 * stress

    def cents(x: np.ndarray) -> pa.Array:
        return col.money(np.round(x / 100).astype(np.int64) * 100)

    return pa.table(
        {
            "lessee_id": lessee_ids.take(pa.array(lessee)),
            "period_end": col.dates(cal.end(month)),
            "total_assets": cents(total_assets),
            "total_liabilities": cents(total_assets * lev),
            "revenue": cents(revenue),
            "net_profit": cents(revenue * margin),
            "operating_cash_flow": cents(revenue * cash_ratio),
        }
    )


def company_financials_table(
    rng: np.random.Generator, cal: Calendar, totals: np.ndarray, first: int
) -> pa.Table:
    """The institution's month-end balance sheet; leasing assets are the book's outstanding."""
    n = len(totals)
    leasing = totals.astype(np.float64)
    total = leasing / (0.82 + rng.normal(0, 0.01, n))
    net = total / 6 * (1 + rng.normal(0, 0.02, n))

    def cents(x: np.ndarray) -> pa.Array:
        return col.money(np.round(x).astype(np.int64))

    return pa.table(
        {
            "month_end": col.dates(cal.end(np.arange(first, first + n))),
            "total_assets": cents(total),
            "net_assets": cents(net),
            "cash_and_deposits": cents(total * 0.07),
            "government_bonds": cents(total * 0.01),
            "fixed_income_investments": cents(total * 0.02),
            "leasing_assets": col.money(totals),
            "capital_net": cents(net * 0.92),
        }
    )
