"""Lead time: how many months before a contract first goes 30+ or 90+ it was flagged, by the score
(its riskiest tenth) and by the committee's current watch rules.

For every contract whose first month-end over the threshold F falls where the 6 month-ends before
it were all scored, the lead time is F minus the first of those month-ends (F − 6 … F − 1) at which
it was flagged while performing, 0 when it was not. The watch rules are those of
`queries.at_risk` read at each month-end with the default `watch.*` settings: DPD > 0, a class
worse than normal, an observation period (from the features) and the source-table rules
(`warehouse.marts.watch_rules.source_flags_statement`); the committee's watchlist is not
historical and is left out.

On a whole-contract sample (a frame with `weight`, `early_warning.data.ContractSample`) each
contract keeps its month-by-month rows, so its lead time is its own; the events counted are
those of the sampled contracts, each weighted by its contract's weight, and the flag rates and
the "as many as the watch rules" cut-off are shares of weight.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from early_warning import metrics
from early_warning.backtest import Backtest
from early_warning.data import weights
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
    in_range = ((frame.month_idx >= first_idx) & (frame.month_idx <= last_idx)).to_numpy()
    scored = frame[in_range]
    w_all = weights(frame)
    w = None if w_all is None else w_all[in_range]
    watch = watch_flag(scored, source_flags(engine, sorted(scored.month_idx.unique())))
    flags: dict[str, np.ndarray] = {}
    for name, model in bt.fitted.items():
        p = model.predict(scored)
        flags[name] = p >= bt.cutoffs[name]
        # The same model flagging as many rows as the watch rules do, for a like-for-like lead.
        if w is None:
            flags[f"{name}{AS_MANY}"] = p >= np.quantile(p, 1 - watch.mean())
        else:
            as_many = metrics.weighted_quantile(p, w, 1 - _rate(watch, w))
            flags[f"{name}{AS_MANY}"] = p >= as_many
    flags["watch rules"] = watch
    firsts = first_over(engine).set_index("contract_id")
    per_contract = None
    if w_all is not None:
        # Only the sampled contracts' events count, each for as many contracts as it stands for.
        per_contract = pd.Series(w_all, index=frame.contract_id.to_numpy()).groupby(level=0).max()
        firsts = firsts[firsts.index.isin(per_contract.index)]
    rows = []
    for event, column in (("30+", "first_30_idx"), ("90+", "first_90_idx")):
        first = pd.to_numeric(firsts[column], errors="coerce")
        for name, flagged in flags.items():
            lead = lead_times(scored, flagged, first, first_idx, last_idx)
            lw = None if per_contract is None else per_contract.reindex(lead.index).to_numpy()
            rate = float(flagged.mean()) if w is None else _rate(flagged, w)
            rows.append({"event": event, "flagger": name, **summary(lead, rate, lw)})
    return pd.DataFrame(rows)


def _rate(flagged: np.ndarray, w: np.ndarray) -> float:
    """The share of the weight of the rows `flagged`."""
    total = float(w.sum())
    return float(w[flagged].sum() / total) if total > 0 else float("nan")


def summary(lead: pd.Series, flag_rate: float, w: np.ndarray | None = None) -> dict[str, float]:
    """Events, the share flagged before them, the median lead (0 when not flagged) and the
    share flagged 3 months or more ahead, with the share of scored rows flagged. With `w` (each
    event's contract weight) events are a sum of weight, the shares shares of weight and the
    median the smallest lead with half the weight at or below it."""
    if w is not None:
        return _weighted_summary(lead.to_numpy(dtype=np.float64), flag_rate, np.asarray(w))
    n = len(lead)
    return {
        "events": n,
        "flagged": float((lead > 0).mean()) if n else np.nan,
        "median_lead": float(lead.median()) if n else np.nan,
        "lead_3": float((lead >= 3).mean()) if n else np.nan,
        "flag_rate": flag_rate,
    }


def _weighted_summary(lead: np.ndarray, flag_rate: float, w: np.ndarray) -> dict[str, float]:
    total = float(w.sum())
    if not len(lead) or total <= 0:
        return {
            "events": 0,
            "flagged": np.nan,
            "median_lead": np.nan,
            "lead_3": np.nan,
            "flag_rate": flag_rate,
        }
    return {
        "events": round(total),
        "flagged": float(w[lead > 0].sum() / total),
        "median_lead": float(metrics.weighted_quantile(lead, w, 0.5)),
        "lead_3": float(w[lead >= 3].sum() / total),
        "flag_rate": flag_rate,
    }
