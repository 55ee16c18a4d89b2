"""The cover of every workbook: the build's settings (not the settings file now), no path, and
the loan-level detail with the same cover as the summary workbook, in its unit 元.

The report book (`tests/regulatory/books.py`) is built with the default settings, so the build
recorded provisions.normal = 0.01, dpd.tolerance = 0.00 and as_of = 2024-06-30.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from regulatory.cover import SETTINGS_HEADING, make_cover
from regulatory.detail import write_detail
from regulatory.model import ReportData
from regulatory.workbook import render_workbook
from tests.regulatory.books import PERIOD
from tests.regulatory.conftest import FINGERPRINT, INSTITUTION
from tests.regulatory.libreoffice import sheets_as_csv

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
    assert shown["拨备计提比例：正常类 Provision rate: normal"] == "1%"
    assert shown["逾期容差（元） Unpaid residue ignored for DPD (yuan)"] == "0.00"
    assert shown["数据截止日 Figures as of"] == "2024-06-30"
    assert shown["观察期内再重组最低分类 Class floor of a restructuring inside observation"] == (
        "次级类 Substandard"
    )
    assert SETTINGS_HEADING in shown
    assert "settings file" not in shown
    texts = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    # no setting key and no setting that does not shape a filed figure (sign-in, alerts …)
    assert not [t for t in texts if re.fullmatch(r"[a-z_]+\.[a-z_.]+", t)], texts
    assert not any("access" in t or "idle" in t.lower() for t in texts), texts
    # no path (a zone name such as Asia/Shanghai is not one: no path starts a word with "/")
    path = re.compile(r"(^|[\s(])/[\w.]")
    assert not any(str(changed_settings_file.parent) in t or path.search(t) for t in texts), texts


def test_detail_has_the_same_cover_and_states_its_unit(
    report_engine: Engine, reports: dict[str, ReportData], tmp_path: Path
) -> None:
    """The detail's cover = the summary workbook's, but for its unit (元) and its report line."""
    summary = make_cover(report_engine, PERIOD, preparer="张三", generated_at=GENERATED)
    detail = make_cover(report_engine, PERIOD, preparer="张三", generated_at=GENERATED, unit="元")
    out = tmp_path / "d.xlsx"
    write_detail(report_engine, PERIOD, out, cover=detail)
    book = load_workbook(out)
    assert book.sheetnames == ["封面", "合同明细"]
    got = cover_cells(book["封面"])
    assert book["封面"]["A1"].value == "监管报表"
    data = render_workbook([r for r in reports.values() if r.sheets], summary)
    want = cover_cells(load_workbook(io.BytesIO(data))["封面"])
    assert got["金额单位 Unit"] == "元"
    assert got["报表 DETAIL"] == "合同明细"
    assert got["填报机构 Institution"] == INSTITUTION
    assert got["数据指纹 Data fingerprint"] == f"load 1 sha256 {FINGERPRINT}"
    assert got["生成时间 Generated"] == "2024-07-05 16:30:00 (UTC+08:00 Asia/Shanghai)"
    same = {k: v for k, v in want.items() if not k.startswith(("报表 ", "金额单位"))}
    assert {k: got[k] for k in same} == same
    sheets = sheets_as_csv(out, tmp_path)
    assert {"封面", "合同明细"} <= set(sheets)
    assert ["金额单位 Unit", "元"] in sheets["封面"]


def test_detail_cover_must_be_in_yuan(report_engine: Engine, tmp_path: Path) -> None:
    cover = make_cover(report_engine, PERIOD, generated_at=GENERATED)  # 万元
    with pytest.raises(ValueError, match="元"):
        write_detail(report_engine, PERIOD, tmp_path / "d.xlsx", cover=cover)
