"""催收合规 The collections compliance flags of docs/domain.md §10, with the contracts behind each.

Over the actions of the window on contracts the filters allow (docs/monitoring.md):
- `outside_window`: a real-time contact (phone, sms, visit, agency) whose time of day is before
  `collections.contact_window_start` or after `collections.contact_window_end` (both allowed);
  letters and court filings have no contact time and are not judged.
- `over_daily_cap`: real-time contacts addressed to the lessee, counted per debtor (lessee) and
  calendar day over all its contracts (also those outside the filters); those after the first
  `collections.daily_cap` of the day.
- `third_party`: any action addressed to `other`, or to `guarantor` on a contract with no
  guarantor on record — someone who is neither the lessee nor one of its guarantors.
- `agency_without_notice`: a contract's first `agency` action ever falls in the window and no
  `letter` to the lessee is logged before it (the notice of agency use to the debtor).
`flag_counts` gives actions and contracts per flag; `flagged_contracts` lists one flag's
contracts (a bounded page, largest count first, with `total_rows`).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from queries.filters import Filters, where
from queries.monitoring_scope import (
    LIST_LIMIT,
    settings_and_build,
    stored_covers,
    timestamps,
)
from warehouse.marts.compliance import (
    COLUMNS,
    FLAG_SETTINGS,
    FLAGS,
    REAL_TIME,
    flagged_statement,
)
from warehouse.schema import collection_flags

__all__ = ["FLAGS", "FLAG_SETTINGS", "REAL_TIME", "flag_counts", "flagged_actions"]

LIST_COLUMNS = (
    "contract_id",
    "lessee_id",
    "branch",
    "product",
    "flagged_actions",
    "first_time",
    "last_time",
    "channel",
    "collector",
)


def flagged_actions(
    filters: Filters, flag: str, months: int, settings: dict[str, str], stored: bool = False
) -> sa.Subquery:
    """The actions raising `flag` (action_id, contract_id, lessee_id, action_time, …); `stored`
    reads them from `collection_flags` (right only for an as-of the build reached, with its
    settings: see `monitoring_scope.stored_covers`)."""
    window = timestamps(filters, months)
    if stored:
        if flag not in FLAGS:
            raise ValueError(f"unknown flag {flag!r}; choose from {FLAGS}")
        cf = collection_flags
        lo, hi = window
        return (
            sa.select(*(cf.c[c] for c in COLUMNS))
            .where(
                cf.c.flag == flag,
                cf.c.action_time >= lo,
                cf.c.action_time < hi,
                *where(filters, cf),
            )
            .subquery(flag)
        )
    return flagged_statement(flag, window, lambda t: where(filters, t), settings).subquery(flag)


def _route(engine: Engine, filters: Filters) -> tuple[dict[str, str], bool]:
    settings, built = settings_and_build(engine)
    return settings, stored_covers(filters, built)


def flag_counts(engine: Engine, filters: Filters, months: int = 12) -> pd.DataFrame:
    """Per flag: flagged actions and contracts, and the settings the flag used (as text)."""
    settings, stored = _route(engine, filters)
    parts = []
    for flag in FLAGS:
        f = flagged_actions(filters, flag, months, settings, stored)
        parts.append(
            sa.select(
                sa.literal(flag).label("flag"),
                sa.func.count().label("actions"),
                sa.func.count(sa.distinct(f.c.contract_id)).label("contracts"),
            )
        )
    frame = fetch_frame(engine, sa.union_all(*parts))
    frame["flag"] = pd.Categorical(frame["flag"], FLAGS, ordered=True)
    frame = frame.sort_values("flag").reset_index(drop=True)
    frame["flag"] = frame["flag"].astype(str)
    frame["settings"] = [
        ", ".join(f"{k} = {settings[k]}" for k in FLAG_SETTINGS[f]) for f in frame["flag"]
    ]
    return frame


def flagged_contracts(
    engine: Engine, filters: Filters, flag: str, months: int = 12, limit: int = LIST_LIMIT
) -> pd.DataFrame:
    """The contracts behind `flag`: flagged actions, first and last time, latest collector."""
    f = flagged_actions(filters, flag, months, *_route(engine, filters))
    latest = sa.func.row_number().over(
        partition_by=f.c.contract_id, order_by=(f.c.action_time.desc(), f.c.action_id.desc())
    )
    ranked = sa.select(
        f.c.contract_id,
        f.c.lessee_id,
        f.c.branch,
        f.c.product,
        sa.func.count().over(partition_by=f.c.contract_id).label("flagged_actions"),
        sa.func.min(f.c.action_time).over(partition_by=f.c.contract_id).label("first_time"),
        f.c.action_time.label("last_time"),
        f.c.channel,
        f.c.collector,
        latest.label("rn"),
    ).subquery("ranked")
    stmt = (
        sa.select(
            *(c for c in ranked.c if c.name != "rn"),
            sa.func.count().over().label("total_rows"),
        )
        .where(ranked.c.rn == 1)
        .order_by(ranked.c.flagged_actions.desc(), ranked.c.contract_id)
        .limit(max(1, min(int(limit), 1000)))
    )
    return fetch_frame(engine, stmt)
