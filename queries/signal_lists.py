"""预警 drill lists: the lessees behind one bar of the warning-signal chart or of the lead-time
chart, each with a contract to open (SQLAlchemy Core).

A bar of the signal chart (a month × source at a severity) lists the lessees with such signals
in the as-of month; a bar of the lead-time chart (a band of days at a severity) the lessees whose
lead time falls in that band. Both count as their charts do (`queries/warnings.py`: a signal
counts when its contract, or for a lessee-wide signal one of the lessee's contracts, is one the
filters and the user's branch scope allow) and give their first 1,000 rows at most
(`total_rows` counts them all).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.filters import Filters
from queries.monitoring_scope import (
    LIST_LIMIT,
    settings_and_build,
    stored_covers,
    window_start,
)
from queries.warnings import (
    BANDS,
    SEVERITY_LEVELS,
    lead_times,
    named_lessees,
    signals_in_scope,
    whole_book,
)
from warehouse.extract_spec import SEVERITIES, SIGNAL_SOURCES

CAP = 1000
BAND_NAMES: tuple[str, ...] = tuple(b[0] for b in BANDS)


def _cap(limit: int) -> int:
    return max(1, min(int(limit), CAP))


def signal_lessees(
    engine: Engine,
    filters: Filters,
    source: str,
    severity: str,
    limit: int = LIST_LIMIT,
) -> pd.DataFrame:
    """The lessees with signals of `source` and `severity` dated in the as-of month: how many,
    the last one's date and the contract it names (else the lessee's first allowed contract);
    latest first. `total_rows` counts the lessees before the cap."""
    if source not in SIGNAL_SOURCES or severity not in SEVERITIES:
        raise ValueError(f"source must be one of {SIGNAL_SOURCES}, severity of {SEVERITIES}")
    s = signals_in_scope(filters)
    last = sa.func.max(s.c.signal_date)
    page = (
        sa.select(
            s.c.lessee_id,
            sa.func.min(s.c.contract_id).label("contract_id"),
            sa.func.count().label("signals"),
            last.label("last_signal_date"),
            sa.func.count().over().label("total_rows"),
        )
        .where(
            s.c.source == source,
            s.c.severity == severity,
            s.c.signal_date >= window_start(filters, 1),
        )
        .group_by(s.c.lessee_id)
        .order_by(last.desc(), s.c.lessee_id)
        .limit(_cap(limit))
        .cte("page")
    )
    return named_lessees(engine, filters, page, [page.c.last_signal_date.desc(), page.c.lessee_id])


def band_lessees(
    engine: Engine,
    filters: Filters,
    severity: str,
    band: str,
    limit: int = LIST_LIMIT,
) -> pd.DataFrame:
    """The lessees whose lead time (first `severity` signal to first 90+ DPD, as of the
    filters' month) falls in `band` (`queries.warnings.BANDS`): their dates and lead days,
    longest lead first. `total_rows` counts them before the cap."""
    if severity not in SEVERITY_LEVELS or band not in BAND_NAMES:
        raise ValueError(f"severity must be one of {sorted(SEVERITY_LEVELS)}, band {BAND_NAMES}")
    built = settings_and_build(engine)[1]
    route = {"stored": stored_covers(filters, built), "whole": whole_book(filters, built)}
    lt = lead_times(filters, severity, **route)
    _, low, high = BANDS[BAND_NAMES.index(band)]
    conds = [lt.c.lead_days.is_not(None)]
    if low is not None:
        conds.append(lt.c.lead_days >= low)
    if high is not None:
        conds.append(lt.c.lead_days <= high)
    page = (
        sa.select(
            lt.c.lessee_id,
            lt.c.contract_id,
            lt.c.first_signal_date,
            lt.c.first_signal_source,
            lt.c.first_90_month_end,
            lt.c.lead_days,
            sa.func.count().over().label("total_rows"),
        )
        .where(*conds)
        .order_by(lt.c.lead_days.desc(), lt.c.lessee_id)
        .limit(_cap(limit))
        .cte("page")
    )
    return named_lessees(engine, filters, page, [page.c.lead_days.desc(), page.c.lessee_id])
