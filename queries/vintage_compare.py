"""Vintage by segment (DOMAIN.md §6): one pooled curve per value of a dimension.

For each value of `by` (within the filters), the cohorts' mature cells at each MOB are pooled:
rate = Σ amount of the cohorts mature at that MOB ÷ Σ their original principal. A MOB no cohort
has reached is None (never 0). At most `top` values: those chosen in the filters, else the
largest by outstanding at the as-of, then the rest in order (a segment with nothing left open
still has a history).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from sqlalchemy.engine import Engine

from queries import measures, portfolio, segments
from queries.filters import SEGMENTS, Filters
from queries.vintage import RATES, vintage

COLUMNS = ("segment", "mob", "cohort_principal", "amount", "rate")


def _largest(engine: Engine, filters: Filters, by: str, top: int) -> tuple[str, ...]:
    """The `top` values of `by` with the largest outstanding at the as-of (bounds the queries)."""
    frame = portfolio.breakdown(engine, filters, by)
    ranked = sorted(zip(frame["outstanding"], frame[by], strict=True), key=lambda r: -r[0])
    values = [value for _, value in ranked]
    values += [v for v in segments.choices(engine)[by] if v not in values]
    return tuple(values[:top])


def segment_curves(
    engine: Engine, filters: Filters, by: str, metric: str = "ever30_rate", top: int = 6
) -> pd.DataFrame:
    """Per value of segment `by` × MOB: pooled mature principal, amount and `metric` rate."""
    if by not in SEGMENTS:
        raise ValueError(f"by must be one of {SEGMENTS}")
    if metric not in RATES:
        raise ValueError(f"metric must be one of {sorted(RATES)}")
    amount = RATES[metric]
    values = getattr(filters, by) or _largest(engine, filters, by, top)
    pooled = []
    for value in values[:top]:
        frame = vintage(engine, replace(filters, **{by: (value,)}))
        if frame.empty:
            continue
        mature = frame[frame["mature"].astype(bool)]
        for mob in sorted(set(frame["mob"])):
            cells = mature[mature["mob"] == mob]
            principal = sum(cells["cohort_principal"], start=0)
            total = sum(cells[amount], start=0)
            pooled.append(
                {
                    "segment": value,
                    "mob": int(mob),
                    "cohort_principal": principal,
                    "amount": total if len(cells) else None,
                    "rate": measures.ratio(total, principal) if len(cells) else None,
                }
            )
    return pd.DataFrame(pooled, columns=COLUMNS, dtype=object)
