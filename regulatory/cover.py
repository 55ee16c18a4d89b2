"""The cover of a workbook: institution and data fingerprint of the newest load, the build's
settings, and the rows every workbook (summary tables and loan-level detail) prints from it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from queries.loads import latest_load
from queries.supervisory import built_settings
from regulatory.model import Cover
from regulatory.setting_names import cover_setting_rows
from warehouse.settings import display_zone, labelled_time

SETTINGS_HEADING = "建库设置 Settings the warehouse was built with"


def make_cover(
    engine: Engine,
    period: date,
    *,
    preparer: str = "",
    reviewer: str = "",
    generated_at: datetime | None = None,
    draft: bool = False,
    unit: str = "万元",
) -> Cover:
    """A cover naming the newest load's institution and SHA-256 and the build's settings.

    The settings are those recorded by the build that wrote the figures (`build_settings`), not
    the settings file as it is now, and the cover names no file or server path.
    """
    load = latest_load(engine)
    stamp = generated_at or datetime.now(tz=UTC).replace(microsecond=0)
    return Cover(
        institution=load.institution if load else "",
        period=period,
        unit=unit,
        preparer=preparer,
        reviewer=reviewer,
        # stored as naive UTC; a naive `generated_at` is UTC already (never the machine's zone)
        generated_at=stamp if stamp.tzinfo is None else stamp.astimezone(UTC).replace(tzinfo=None),
        fingerprint=f"load {load.load_id} sha256 {load.sha256}" if load else "no load recorded",
        settings=built_settings(engine),
        draft=draft,
    )


def cover_title(cover: Cover) -> str:
    """The cover's title line: 监管报表, marked as a draft when it is one."""
    return "监管报表（草稿 DRAFT）" if cover.draft else "监管报表"


def cover_rows(
    cover: Cover, reports: Sequence[tuple[str, str]], zone: ZoneInfo | None = None
) -> list[tuple[str, str]]:
    """The cover's (label, value) rows: who, what, when, on which data; then the settings.

    `reports` are the (code, Chinese title) pairs the workbook holds. An empty row separates the
    settings that shaped the figures, in words (`regulatory.setting_names`), which follow under
    `SETTINGS_HEADING`. The generation time is shown in `zone`
    (default: the display zone, `display.time_zone`) and names it.
    """
    shown_in = zone or display_zone()
    at = cover.generated_at
    generated = labelled_time(at, shown_in, "%Y-%m-%d %H:%M:%S") if at else ""
    rows = [
        ("填报机构 Institution", cover.institution),
        ("报表期间 Period", cover.period.isoformat()),
        ("金额单位 Unit", cover.unit),
        ("填报人 Preparer", cover.preparer),
        ("复核人 Reviewer", cover.reviewer),
        ("生成时间 Generated", generated),
        ("数据指纹 Data fingerprint", cover.fingerprint),
        ("状态 Status", "草稿 DRAFT" if cover.draft else "正式 FINAL"),
    ]
    rows += [(f"报表 {code}", title) for code, title in reports]
    rows += [("", ""), (SETTINGS_HEADING, "")]
    rows += cover_setting_rows(cover.settings) or [("", "未记录 none recorded")]
    return rows
