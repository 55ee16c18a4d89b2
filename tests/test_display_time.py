"""One display time zone (`display.time_zone`): a pinned instant, converted and labelled."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dashboard.page import format as fmt
from regulatory.cover import cover_rows
from regulatory.model import Cover
from warehouse.settings import display_zone, labelled_time, load_settings, local_time, zone_label

# 2026-10-31 10:05 UTC, stored naive as the portal and the loader store it.
PINNED = datetime(2026, 10, 31, 10, 5, tzinfo=UTC).replace(tzinfo=None)


def test_the_default_zone_is_shanghai_and_the_label_names_offset_and_zone() -> None:
    zone = display_zone(load_settings(overrides={}))
    assert zone.key == "Asia/Shanghai"
    assert local_time(PINNED, zone) == "2026-10-31 18:05"
    assert labelled_time(PINNED, zone) == "2026-10-31 18:05 (UTC+08:00 Asia/Shanghai)"


def test_an_aware_time_is_converted_too() -> None:
    at = datetime(2026, 10, 31, 10, 5, tzinfo=UTC)
    assert local_time(at, ZoneInfo("Asia/Shanghai"), "%H:%M:%S") == "18:05:00"


def test_a_zone_with_summer_time_takes_the_offset_of_the_instant() -> None:
    """Berlin: UTC+01:00 on 31 October 2026 (summer time ended on the 25th), +02:00 in July."""
    berlin = display_zone(load_settings(overrides={"display.time_zone": "Europe/Berlin"}))
    assert labelled_time(PINNED, berlin) == "2026-10-31 11:05 (UTC+01:00 Europe/Berlin)"
    july = datetime(2026, 7, 1, 10, 5, tzinfo=UTC)
    assert zone_label(berlin, july) == "UTC+02:00 Europe/Berlin"


def test_an_unknown_zone_is_an_error_not_a_fallback() -> None:
    with pytest.raises(ValueError, match=r"display\.time_zone"):
        display_zone(load_settings(overrides={"display.time_zone": "Mars/Olympus"}))


def test_the_settings_file_sets_the_zone_for_screens_and_covers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `time_zone = "America/New_York"`, the dashboard and a workbook cover both use it."""
    path = tmp_path / "postloan.toml"
    path.write_text('[display]\ntime_zone = "America/New_York"\n', encoding="utf-8")
    monkeypatch.setenv("POSTLOAN_SETTINGS", str(path))
    monkeypatch.setattr(fmt, "_zone", [])  # forget the zone read before
    assert fmt.shown_time_zoned(PINNED) == "2026-10-31 06:05 (UTC-04:00 America/New_York)"
    assert fmt.shown_time(PINNED) == "2026-10-31 06:05"
    cover = Cover(
        institution="X",
        period=datetime(2026, 9, 30, tzinfo=UTC).date(),
        unit="万元",
        preparer="",
        reviewer="",
        generated_at=PINNED,
        fingerprint="",
        settings=(),
        draft=False,
    )
    rows = dict(cover_rows(cover, []))
    assert rows["生成时间 Generated"] == "2026-10-31 06:05:00 (UTC-04:00 America/New_York)"
    monkeypatch.setattr(fmt, "_zone", [])
