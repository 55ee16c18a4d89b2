"""Lead time: how many months before a contract first goes 30+ or 90+ it was flagged, by the score
(its riskiest tenth) and by the committee's current watch rules.

For every contract whose first month-end over the threshold F falls where the 6 month-ends before
it were all scored, the lead time is F minus the first of those month-ends (F − 6 … F − 1) at which
it was flagged while performing, 0 when it was not. The watch rules are those of
`queries.at_risk` read at each month-end with the default `watch.*` settings: DPD > 0, a class
worse than normal, an observation period (from the features) and the source-table rules
(`warehouse.marts.watch_rules.source_flags_statement`); the committee's watchlist is not
historical and is left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from early_warning.backtest import Backtest
from queries.execute import fetch_frame
from warehouse.marts.ew_features import first_over_statement
from warehouse.marts.watch_rules import WatchParams, source_flags_statement
from warehouse.months import month_end_of

LOOK_BACK = 6
AS_MANY = " at the watch rules' flag rate"


def source_flags(engine: Engine, months: list[int]) -> pd.DataFrame:
    """(contract_id, month_idx) of the open contracts meeting a source-table watch rule at each
    month-end of `months`."""
    params = WatchParams()
    parts = []
    for m in months:
        frame = fetch_frame(engine, source_flags_statement(month_end_of(m), params))
        parts.append(pd.DataFrame({"contract_id": frame.contract_id, "month_idx": m}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def first_over(engine: Engine) -> pd.DataFrame:
    """Per contract ever 30+: its first month index over 30 and over 90 (or written off)."""
    return fetch_frame(engine, first_over_statement())


def watch_flag(scored: pd.DataFrame, sources: pd.DataFrame) -> np.ndarray:
    """Whether each scored row meets any watch rule (mart rules from its features)."""
    hit = pd.MultiIndex.from_frame(sources[["contract_id", "month_idx"]])
    keys = pd.MultiIndex.from_frame(scored[["contract_id", "month_idx"]])
    mart = (scored.dpd > 0) | (scored.risk_class_rank > 0) | (scored.in_observation > 0)
    return (mart.to_numpy() | keys.isin(hit)).astype(bool)


def lead_times(
    scored: pd.DataFrame, flagged: np.ndarray, first: pd.Series, first_idx: int, last_idx: int
) -> pd.Series:
    """Per contract whose first month over the threshold (`first`, by contract id) lies in
    `first_idx + LOOK_BACK` … `last_idx + 1`: months between its first flagged month-end of the
    `LOOK_BACK` before it and it (0: none flagged)."""
    events = first.dropna().astype(np.int64)
    events = events[(events >= first_idx + LOOK_BACK) & (events <= last_idx + 1)]
    rows = pd.DataFrame(
        {"contract_id": scored.contract_id.to_numpy(), "m": scored.month_idx.to_numpy()}
    )[flagged]
    rows = rows[rows.contract_id.isin(events.index)]
    rows["event"] = events.reindex(rows.contract_id).to_numpy()
    rows = rows[(rows.m < rows.event) & (rows.m >= rows.event - LOOK_BACK)]
    earliest = rows.groupby("contract_id").m.min()
    lead = (events - earliest.reindex(events.index)).fillna(0).astype(np.int64)
    return lead


def compare(engine: Engine, bt: Backtest, frame: pd.DataFrame) -> pd.DataFrame:
    """Lead times of both models (flagging at their training top-decile cut-off) and of the
    watch rules, for first 30+ and first 90+, over the month-ends from the test period's first
    to the one before the last built."""
    first_idx, last_idx = bt.window.test_first, bt.window.built_to - 1
    scored = frame[(frame.month_idx >= first_idx) & (frame.month_idx <= last_idx)]
    watch = watch_flag(scored, source_flags(engine, sorted(scored.month_idx.unique())))
    flags: dict[str, np.ndarray] = {}
    for name, model in bt.fitted.items():
        p = model.predict(scored)
        flags[name] = p >= bt.cutoffs[name]
        # The same model flagging as many rows as the watch rules do, for a like-for-like lead.
        flags[f"{name}{AS_MANY}"] = p >= np.quantile(p, 1 - watch.mean())
    flags["watch rules"] = watch
    firsts = first_over(engine).set_index("contract_id")
    rows = []
    for event, column in (("30+", "first_30_idx"), ("90+", "first_90_idx")):
        first = pd.to_numeric(firsts[column], errors="coerce")
        for name, flagged in flags.items():
            lead = lead_times(scored, flagged, first, first_idx, last_idx)
            rows.append({"event": event, "flagger": name, **summary(lead, float(flagged.mean()))})
    return pd.DataFrame(rows)


def summary(lead: pd.Series, flag_rate: float) -> dict[str, float]:
    """Events, the share flagged before them, the median lead (0 when not flagged) and the
    share flagged 3 months or more ahead, with the share of scored rows flagged."""
    n = len(lead)
    return {
        "events": n,
        "flagged": float((lead > 0).mean()) if n else np.nan,
        "median_lead": float(lead.median()) if n else np.nan,
        "lead_3": float((lead >= 3).mean()) if n else np.nan,
        "flag_rate": flag_rate,
    }
