"""The cover of a workbook: institution and data fingerprint of the newest load, settings."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from queries.loads import latest_load
from regulatory.model import Cover
from warehouse.settings import Settings


def make_cover(
    engine: Engine,
    period: date,
    settings: Settings,
    *,
    preparer: str = "",
    reviewer: str = "",
    generated_at: datetime | None = None,
    draft: bool = False,
) -> Cover:
    """A cover naming the newest load's institution and SHA-256 and the settings in force."""
    load = latest_load(engine)
    stamp = generated_at or datetime.now(tz=UTC).replace(microsecond=0)
    return Cover(
        institution=load.institution if load else "",
        period=period,
        unit="万元",
        preparer=preparer,
        reviewer=reviewer,
        generated_at=stamp.astimezone(UTC).replace(tzinfo=None),
        fingerprint=f"load {load.load_id} sha256 {load.sha256}" if load else "no load recorded",
        settings=(("settings file", settings.source), *settings.as_rows()),
        draft=draft,
    )
