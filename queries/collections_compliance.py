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

from queries.collections import actions
from queries.execute import fetch_frame
from queries.filters import Filters, where
from queries.monitoring_scope import LIST_LIMIT, clock, settings_in_force, timestamps
from warehouse.schema import SOURCE_TABLES, collection_facts

GUARANTORS = SOURCE_TABLES["guarantors"]
REAL_TIME = ("phone", "sms", "visit", "agency")
FLAGS: tuple[str, ...] = (
    "outside_window",
    "over_daily_cap",
    "third_party",
    "agency_without_notice",
)
FLAG_SETTINGS: dict[str, tuple[str, ...]] = {
    "outside_window": ("collections.contact_window_start", "collections.contact_window_end"),
    "over_daily_cap": ("collections.daily_cap",),
    "third_party": (),
    "agency_without_notice": (),
}
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


def _outside_window(filters: Filters, months: int, settings: dict[str, str]) -> sa.Select:
    act = actions(filters, months)
    tod = sa.cast(act.c.action_time, sa.Time)
    start = clock(settings["collections.contact_window_start"])
    end = clock(settings["collections.contact_window_end"])
    return sa.select(act).where(act.c.channel.in_(REAL_TIME), sa.or_(tod < start, tod > end))


def _over_daily_cap(filters: Filters, months: int, settings: dict[str, str]) -> sa.Select:
    # The cap is per debtor: every contact of the day counts, whichever of the debtor's
    # contracts it concerns, so the ranking runs on the whole book and the slice comes after.
    act = actions(Filters(as_of=filters.as_of), months)
    cap = int(settings["collections.daily_cap"])
    nth = sa.func.row_number().over(
        partition_by=(act.c.lessee_id, act.c.action_day),
        order_by=(act.c.action_time, act.c.action_id),
    )
    ranked = (
        sa.select(act, nth.label("nth"))
        .where(act.c.channel.in_(REAL_TIME), act.c.counterparty_role == "lessee")
        .subquery("ranked")
    )
    return sa.select(*(ranked.c[c.name] for c in act.c)).where(
        ranked.c.nth > cap, *where(filters, ranked)
    )


def _third_party(filters: Filters, months: int, settings: dict[str, str]) -> sa.Select:
    act, g = actions(filters, months), GUARANTORS
    has_guarantor = sa.exists().where(g.c.contract_id == act.c.contract_id)
    return sa.select(act).where(
        sa.or_(
            act.c.counterparty_role == "other",
            sa.and_(act.c.counterparty_role == "guarantor", ~has_guarantor),
        )
    )


def _agency_without_notice(filters: Filters, months: int, settings: dict[str, str]) -> sa.Select:
    a = collection_facts
    lo, hi = timestamps(filters, months)
    nth = sa.func.row_number().over(
        partition_by=a.c.contract_id, order_by=(a.c.action_time, a.c.action_id)
    )
    agency = (
        sa.select(a, nth.label("nth"))
        .where(a.c.channel == "agency", a.c.action_time < hi, *where(filters, a))
        .subquery("agency")
    )
    n = collection_facts.alias("notice")
    noticed = sa.exists().where(
        n.c.contract_id == agency.c.contract_id,
        n.c.channel == "letter",
        n.c.counterparty_role == "lessee",
        n.c.action_time < agency.c.action_time,
    )
    return sa.select(*(agency.c[c.name] for c in a.c)).where(
        agency.c.nth == 1, agency.c.action_time >= lo, ~noticed
    )


BUILDERS = {
    "outside_window": _outside_window,
    "over_daily_cap": _over_daily_cap,
    "third_party": _third_party,
    "agency_without_notice": _agency_without_notice,
}


def flagged_actions(
    filters: Filters, flag: str, months: int, settings: dict[str, str]
) -> sa.Subquery:
    """The actions raising `flag` (action_id, contract_id, lessee_id, action_time, …)."""
    if flag not in BUILDERS:
        raise ValueError(f"unknown flag {flag!r}; choose from {FLAGS}")
    return BUILDERS[flag](filters, months, settings).subquery(flag)


def flag_counts(engine: Engine, filters: Filters, months: int = 12) -> pd.DataFrame:
    """Per flag: flagged actions and contracts, and the settings the flag used (as text)."""
    settings = settings_in_force(engine)
    parts = []
    for flag in FLAGS:
        f = flagged_actions(filters, flag, months, settings)
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
    f = flagged_actions(filters, flag, months, settings_in_force(engine))
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
