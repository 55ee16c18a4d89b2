"""One evaluation of every alert rule: read the figures, step the alerts, report what fired.

Run after every load or build (`postloan load`, `postloan build`) and by `postloan alerts
evaluate`. It reads the warehouse read-only at its latest month-end and writes only the portal
store; a rule whose figure is missing changes nothing, and a failure here never fails a load.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from alerts.evaluate import observe
from alerts.events import (
    COMPLETE_EVENT_RULES,
    EVENT_PAGES,
    check_observations,
    filing_observations,
    review_observations,
    signal_observations,
)
from alerts.model import MODEL_RULES
from alerts.store import Announcement, apply_observations
from queries.loads import latest_load
from warehouse.engine import create_warehouse_engine
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.alerts import alert_runs
from warehouse.settings import Settings, display_zone

# Rules whose observations list every subject that can breach (see `apply_observations`).
# The model rules too: an alert on a version no longer in force resolves.
COMPLETE_RULES: tuple[str, ...] = ("concentration", *COMPLETE_EVENT_RULES, *MODEL_RULES)


@dataclass(frozen=True)
class Evaluation:
    """What one evaluation saw and said."""

    as_of: date
    rules: int
    observations: int
    breached: int
    announcements: list[Announcement]
    missing: tuple[str, ...] = ()  # rules with no figure this time (e.g. no NPL to cover)


def evaluate(
    warehouse_url: str, settings: Settings, now: datetime, as_of: date | None = None
) -> Evaluation:
    """Evaluate every figure rule at `as_of` (default: the latest load's month-end) at `now`
    (naive UTC), store the alerts and return what fired or resolved."""
    engine = create_warehouse_engine(warehouse_url, read_only=True)
    try:
        if as_of is None:
            load = latest_load(engine)
            if load is None:
                raise LookupError("the warehouse holds no load: nothing to evaluate")
            as_of = load.as_of
        rules, seen = observe(engine, as_of, settings)
        seen += signal_observations(engine, as_of, settings.decimal("alerts.large_exposure"))
    finally:
        engine.dispose()
    today = now.replace(tzinfo=UTC).astimezone(display_zone(settings)).date()
    portal = portal_engine(portal_url(warehouse_url))
    try:
        seen += check_observations(warehouse_url, today)
        seen += filing_observations(portal, today)
        seen += review_observations(portal, today)
        told = apply_observations(
            portal,
            seen,
            {**{r.key: r.page for r in rules}, **EVENT_PAGES},
            int(settings["alerts.grace_periods"]),
            now,
            complete=COMPLETE_RULES,
            graces=dict.fromkeys(EVENT_PAGES, 1),
            at=today,
        )
        count = len(rules) + len(EVENT_PAGES)
        missing = tuple(sorted({o.rule for o in seen if o.breached is None}))
        breached = sum(1 for o in seen if o.breached)
        with portal.begin() as conn:
            conn.execute(
                alert_runs.insert().values(
                    at=now,
                    as_of=as_of,
                    rules=count,
                    figures=len(seen),
                    breached=breached,
                    missing=json.dumps(missing),
                )
            )
    finally:
        portal.dispose()
    return Evaluation(as_of, count, len(seen), breached, told, missing)


def last_run(portal: Engine) -> dict[str, object] | None:
    """The newest evaluation: when, the month-end, counts and the rules that had no figure."""
    stmt = sa.select(alert_runs).order_by(alert_runs.c.run_id.desc()).limit(1)
    with portal.connect() as conn:
        row = conn.execute(stmt).mappings().first()
    if row is None:
        return None
    return {**row, "missing": tuple(json.loads(row["missing"]))}
