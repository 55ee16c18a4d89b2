"""The open triggers at a month-end, each with its key, step, department, SLA and priority.

`queries.task_triggers` reads the rows set-based; this module gives each row its strategy row
(`tasks.strategy`) and its `trigger_key`, the identity that makes the sync idempotent: the same
trigger always has the same key, so it never makes a second task (docs/tasks.md, "Triggers"):

- DPD band: `dpd:<contract>:<step>:<oldest overdue due date>` (DPD counts from that date, so
  the date names the delinquency);
- IoT alert: `iot:<contract>:<event type>:<YYYY-MM>`, the first month of the unbroken run of
  months with such an event;
- inspection finding: `insp:<contract>:<inspection id>`;
- financial deterioration: `fin:<lessee>:<period end of the statement that shows it>`;
- external signal: `sig:<signal id>`.

A DPD task and a financial task have a *subject* (the contract, the lessee): a new key for the
same subject supersedes the older task (a new band step, a new delinquency, a newer statement).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pandas as pd
from sqlalchemy.engine import Engine

from queries.task_triggers import CONTRACT_COLUMNS, TriggerParams, trigger_frames
from tasks.strategy import ANY_PRODUCT, Strategy
from warehouse.settings import Settings

COLUMNS = (
    "trigger_key",
    "kind",
    "step",
    "subject",
    *CONTRACT_COLUMNS,
    "department",
    "sla_days",
    "priority",
    "detail",
)
KEY_LENGTH = 200  # tasks.trigger_key


def params_from(settings: Settings) -> TriggerParams:
    """The trigger definitions of the `tasks.*` settings."""

    def codes(key: str) -> tuple[str, ...]:
        return tuple(c.strip() for c in str(settings[key]).split(",") if c.strip())

    return TriggerParams(
        iot_events=codes("tasks.iot_events"),
        inspection_statuses=codes("tasks.inspection_statuses"),
        debt_ratio=settings.decimal("tasks.debt_ratio"),
        debt_ratio_rise=settings.decimal("tasks.debt_ratio_rise"),
        revenue_drop_share=settings.decimal("tasks.revenue_drop_share"),
        cash_flow_floor=settings.decimal("tasks.cash_flow_floor"),
        signal_sources=codes("tasks.signal_sources"),
        signal_severities=codes("tasks.signal_severities"),
        signal_days=int(settings["tasks.signal_days"]),
    )


def _key(*parts: object) -> str:
    """A trigger key; one longer than the column keeps its start and a digest of the whole."""
    key = ":".join(str(p) for p in parts)
    if len(key) <= KEY_LENGTH:
        return key
    return f"{key[: KEY_LENGTH - 41]}#{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def _lists(frame: pd.DataFrame, *columns: str) -> list[list]:
    """Columns as Python lists (iterating a Series value by value is many times slower)."""
    return [frame[c].tolist() for c in columns]


def _details(frame: pd.DataFrame, columns: dict[str, str]) -> list[str]:
    """One JSON text per row: `columns` maps the frame's column to the detail's name."""
    values = [
        [v.isoformat() if isinstance(v, date) else v for v in frame[c].tolist()] for c in columns
    ]
    names = list(columns.values())
    return [
        json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str)
        for row in zip(*values, strict=True)
    ]


def assign_bands(frame: pd.DataFrame, strategy: Strategy) -> pd.DataFrame:
    """`frame` (contracts past due: dpd, product, exposure) with the step, department, SLA and
    priority of the strategy row each takes: its own product before `*`, then the largest
    `min_exposure` not above its exposure, then the DPD band."""
    out = frame.copy()
    for column in ("step", "department"):
        out[column] = None
    out["sla_days"] = 0
    out["priority"] = 0
    ordered = sorted(strategy.bands, key=lambda b: (b.product != ANY_PRODUCT, b.min_exposure))
    for band in ordered:  # later rows are more specific and win
        hit = (out["dpd"] >= band.dpd_from) & (out["exposure"] >= band.min_exposure)
        if band.dpd_to is not None:
            hit &= out["dpd"] <= band.dpd_to
        if band.product != ANY_PRODUCT:
            hit &= out["product"] == band.product
        out.loc[hit, ["step", "department", "sla_days", "priority"]] = (
            band.step,
            band.department,
            band.sla_days,
            band.priority,
        )
    return out


def _dpd(frame: pd.DataFrame, strategy: Strategy) -> pd.DataFrame:
    out = assign_bands(frame, strategy)
    since = pd.to_datetime(out["month_end"]) - pd.to_timedelta(out["dpd"].astype("int64"), "D")
    out["since"] = since.dt.strftime("%Y-%m-%d")
    keys = zip(*_lists(out, "contract_id", "step", "since"), strict=True)
    out["trigger_key"] = [_key("dpd", c, s, d) for c, s, d in keys]
    out["kind"] = "collections"
    out["subject"] = out["contract_id"]
    out["detail"] = _details(out, {"dpd": "dpd", "since": "overdue_since"})
    return out


def _month(idx: int) -> str:
    year, month0 = divmod(int(idx), 12)
    return f"{year:04d}-{month0 + 1:02d}"


def _beyond(kind: str, frame: pd.DataFrame, strategy: Strategy) -> pd.DataFrame:
    rule = strategy.trigger_rule(kind)
    if rule is None or frame.empty:
        return frame.iloc[0:0]
    out = frame.copy()
    out["step"], out["department"] = rule.step, rule.department
    out["sla_days"], out["priority"] = rule.sla_days, rule.priority
    out["kind"] = rule.step
    out["subject"] = None
    if kind == "iot":
        out["since"] = [_month(i) for i in out["run_start"].tolist()]
        keys = zip(*_lists(out, "contract_id", "event_type", "since"), strict=True)
        out["trigger_key"] = [_key("iot", c, t, s) for c, t, s in keys]
        out["detail"] = _details(out, {"event_type": "event_type", "since": "since"})
    elif kind == "inspection":
        keys = zip(*_lists(out, "contract_id", "inspection_id"), strict=True)
        out["trigger_key"] = [_key("insp", c, i) for c, i in keys]
        out["subject"] = out["contract_id"]
        out["detail"] = _details(
            out,
            {
                "inspection_id": "inspection_id",
                "inspection_date": "inspection_date",
                "asset_status": "asset_status",
            },
        )
    elif kind == "financial":
        out["period"] = [v.isoformat() for v in out["period_end"].tolist()]
        keys = zip(*_lists(out, "lessee_id", "period"), strict=True)
        out["trigger_key"] = [_key("fin", le, p) for le, p in keys]
        out["subject"] = out["lessee_id"]
        names = ("debt", "rise", "cash", "revenue")
        flags = zip(*(out[n].astype("int64").tolist() for n in names), strict=True)
        out["rules"] = [[n for n, f in zip(names, row, strict=True) if f] for row in flags]
        out["detail"] = _details(out, {"period": "period_end", "rules": "rules"})
    else:
        out["trigger_key"] = [_key("sig", s) for s in out["signal_id"].tolist()]
        out["detail"] = _details(
            out,
            {
                "signal_id": "signal_id",
                "signal_date": "signal_date",
                "source": "source",
                "severity": "severity",
            },
        )
    return out


def open_triggers(
    engine: Engine, as_of: date, strategy: Strategy, settings: Settings
) -> pd.DataFrame:
    """Every open trigger at the as-of with its key and strategy row, one row per key
    (`COLUMNS`; `exposure` as exact decimal text)."""
    frames = trigger_frames(engine, as_of, params_from(settings))
    parts = [_dpd(frames["dpd"], strategy)] if not frames["dpd"].empty else []
    parts += [_beyond(kind, frames[kind], strategy) for kind in ("iot", "inspection")]
    parts += [_beyond(kind, frames[kind], strategy) for kind in ("financial", "signal")]
    parts = [p[list(COLUMNS)] for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=list(COLUMNS))
    out = pd.concat(parts, ignore_index=True)
    out["exposure"] = [str(v) for v in out["exposure"].tolist()]
    out["dpd"] = out["dpd"].astype("int64")
    return out.drop_duplicates("trigger_key").reset_index(drop=True)
