"""The cover of every workbook: the build's settings (not the settings file now), no path.

The report book (`tests/regulatory/books.py`) is built with the default settings, so the build
recorded provisions.normal = 0.01, dpd.tolerance = 0.00 and as_of = 2024-06-30.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from regulatory.cover import SETTINGS_HEADING, make_cover
from regulatory.model import ReportData
from regulatory.workbook import render_workbook
from tests.regulatory.books import PERIOD

GENERATED = datetime(2024, 7, 5, 8, 30)  # noqa: DTZ001 - naive UTC


def cover_cells(sheet) -> dict[str, object]:
    """Label → value of a cover sheet, from row 2 on (the title is row 1)."""
    return {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]}


@pytest.fixture
def changed_settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A settings file, changed after the build: other rates, in a server directory."""
    path = tmp_path / "srv" / "postloan.toml"
    path.parent.mkdir()
    path.write_text('[provisions]\nnormal = "0.05"\n[dpd]\ntolerance = "3.00"\n')
    monkeypatch.setenv("POSTLOAN_SETTINGS", str(path))
    return path


def test_cover_lists_the_builds_settings_not_the_settings_file_now(
    report_engine: Engine, reports: dict[str, ReportData], changed_settings_file: Path
) -> None:
    cover = make_cover(report_engine, PERIOD, preparer="张三", generated_at=GENERATED)
    settings = dict(cover.settings)
    assert settings["provisions.normal"] == "0.01"  # the build's, not the file's 0.05
    assert settings["dpd.tolerance"] == "0.00"
    assert settings["as_of"] == "2024-06-30"
    assert list(settings)[:2] == ["dpd.tolerance", "classification.observation_months"]
    data = render_workbook([r for r in reports.values() if r.sheets], cover)
    sheet = load_workbook(io.BytesIO(data))["封面"]
    shown = cover_cells(sheet)
    assert shown["provisions.normal"] == "0.01"
    assert shown["as_of"] == "2024-06-30"
    assert SETTINGS_HEADING in shown
    assert "settings file" not in shown
    texts = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert not any(str(changed_settings_file.parent) in t or "/" in t for t in texts), texts
