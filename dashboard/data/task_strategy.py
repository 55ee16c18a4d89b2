"""The task strategy editor's data: the strategy in force as tables, its history, a save."""

from __future__ import annotations

import pandas as pd

from dashboard.access.user import User
from dashboard.data import portal_store
from tasks import strategy
from tasks.strategy import Strategy, StrategyError, Version

BAND_COLUMNS = (
    "dpd_from",
    "dpd_to",
    "product",
    "min_exposure",
    "step",
    "department",
    "sla_days",
    "priority",
)
TRIGGER_COLUMNS = ("trigger", "step", "department", "sla_days", "priority")


def in_force() -> Strategy:
    """The strategy the next sync uses: the latest saved version, else the settings'."""
    return strategy.current(portal_store.portal(), portal_store.settings())


def history() -> list[Version]:
    """The saved versions, newest first."""
    return strategy.versions(portal_store.portal())


def band_frame(s: Strategy) -> pd.DataFrame:
    """The DPD bands as an editable table (exposure as exact text, an open end as blank)."""
    frame = pd.DataFrame(s.body()["bands"], columns=list(BAND_COLUMNS))
    return frame.astype({"dpd_from": "Int64", "dpd_to": "Int64", "sla_days": "Int64"})


def trigger_frame(s: Strategy) -> pd.DataFrame:
    """The rules beyond DPD as an editable table."""
    frame = pd.DataFrame(s.body()["triggers"], columns=list(TRIGGER_COLUMNS))
    return frame.astype({"sla_days": "Int64"})


def save(
    admin: User, bands: pd.DataFrame, triggers: pd.DataFrame, note: str
) -> tuple[Strategy | None, str | None]:
    """Save the edited tables as the next version: (the version, None) or (None, why not);
    a refused strategy stores nothing."""
    body = strategy.body_from_rows(
        bands.astype(object).to_dict("records"), triggers.astype(object).to_dict("records")
    )
    try:
        saved = strategy.save_version(portal_store.portal(), body, admin.username, note)
    except StrategyError as exc:
        return None, str(exc)
    return saved, None
