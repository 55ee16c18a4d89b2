"""The committee pack as PDF (dashboard/dossier/pack_pdf.py): read back with pypdf, page by page."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from dashboard.dossier.pack_buttons import pack_meta, pack_text
from dashboard.dossier.pack_pdf import (
    EMBEDDED_FONT,
    PackText,
    cell_text,
    column_widths,
    dossier_pdf,
)
from dashboard.i18n.catalogue import t
from dashboard.views.risk import shown
from queries.at_risk import rules_for
from queries.filters import Filters
from queries.registry import DOSSIER_SECTIONS, QUERIES
from tests.dashboard import risk_app
from tests.dashboard.analytics_app import assert_clean, open_page
from warehouse.engine import create_warehouse_engine

# The fixtures of risk_app (the built watch book), used by name below.
risk_url, risk = risk_app.risk_url, risk_app.risk

TEXT = PackText(
    title="合同档案 · 风险委员会材料 · C1",
    empty="无记录。",
    page="第 {page} 页，共 {pages} 页",
    yes="是",
    no="否",
    cut="仅列出前 {shown:,} 行（共 {rows:,} 行），完整数据见 Excel 版。",
)
META = {"合同编号": "C1", "月末": "2024-06-30", "命中规则": "逾期（DPD>0）", "生成人": "risk"}


def _head() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "contract_id": "C1",
                "lessee_name": "张三丰",
                "lessee_type": "individual",
                "outstanding_principal": Decimal("1234567.89"),
                "dpd": 95,
                "risk_class": "substandard",
                "in_observation": False,
            }
        ]
    )


def _sections() -> dict[str, pd.DataFrame]:
    return {
        "逾期与分类历史": pd.DataFrame(
            {
                "month_end": [date(2024, 5, 31), date(2024, 6, 30)],
                "dpd": [64, 95],
                "risk_class": ["special_mention", "substandard"],
                "overdue_principal": [Decimal("50000.00"), Decimal("75000.50")],
            }
        ),
        "担保人": pd.DataFrame({"guarantor_name": ["李四"], "guarantor_type": ["individual"]}),
        "催收记录": pd.DataFrame({"note": []}),
        "委员会决议": pd.DataFrame({"kind": ["watch_add"], "note": ["x < y & z\n第二行"]}),
    }


def _pdf(*, reveal: bool = False, embed_font: bool = True, sections=None):
    return dossier_pdf(
        META,
        _head(),
        _sections() if sections is None else sections,
        reveal=reveal,
        text=TEXT,
        display=lambda frame: shown(frame, "zh"),
        embed_font=embed_font,
    )


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_pack_opens_with_the_contract_and_the_figures_worked_by_hand() -> None:
    """Cover (one cell a line, item then value): C1, the rules met, outstanding 1,234,567.89
    yuan = 123.456789 万元 → 123.46, DPD 95, class 次级, in_observation False → 否. History:
    overdue 50,000.00 → 5.00 and 75,000.50 → 7.50005 → 7.50 万元, classes 关注 then 次级; an
    empty section says 无记录。; a note with < & and a line break is shown as written; both
    pages (cover, then the sections) are numbered; rows 2 + 1 + 0 + 1."""
    pack = _pdf()
    pages = _pages(pack.data)
    assert len(pages) == 2
    cover, body = pages
    assert cover.startswith("合同档案 · 风险委员会材料 · C1")
    for field, value in (
        ("合同编号", "C1"),
        ("命中规则", "逾期（DPD>0）"),
        ("未偿本金（万元）", "123.46"),
        ("逾期天数", "95"),
        ("五级分类", "次级"),
        ("观察期", "否"),
    ):
        assert f"\n{field}\n{value}\n" in cover, (field, value)  # one cell a line
    assert "第 1 页，共 2 页" in cover
    for expected in (
        "2024-05-31",
        "5.00",
        "7.50",
        "关注",
        "次级",
        "无记录。",
        "x < y & z",
        "第二行",
    ):
        assert expected in body
    assert "第 2 页，共 2 页" in body
    assert pack.fmt == "pdf"
    assert pack.mime == "application/pdf"
    assert pack.row_count == 2 + 1 + 0 + 1


def test_individual_names_are_masked_unless_revealed() -> None:
    """张三丰 (individual lessee) → 张**, guarantor 李四 → 李*; both shown to a role that may."""
    masked = "\n".join(_pages(_pdf(reveal=False).data))
    assert "张**" in masked and "李*" in masked
    assert "张三丰" not in masked and "李四" not in masked
    clear = "\n".join(_pages(_pdf(reveal=True).data))
    assert "张三丰" in clear and "李四" in clear


def test_same_input_gives_the_same_bytes() -> None:
    """Invariant mode: no creation date or random id, so the audit hash can be reproduced."""
    first, second = _pdf(), _pdf()
    assert first.data == second.data
    assert first.sha256 == hashlib.sha256(first.data).hexdigest() == second.sha256


def test_a_long_table_continues_on_the_next_page_under_its_header() -> None:
    """120 rows of one line: 7.5 pt text with 9.375 pt leading and 1.25 pt padding above and
    below is 11.875 pt a row, so 120 rows take 1,425 pt, more than two A4-landscape frames of
    595.3 − 2 × 34.0 = 527.3 pt: the table runs over at least three pages after the cover, each
    starting with the header row (行号, 金额)."""
    rows = pd.DataFrame(
        {"行号": [f"R{i:03d}" for i in range(1, 121)], "金额": [Decimal("1000.5")] * 120}
    )
    pages = _pages(_pdf(sections={"长表": rows}).data)
    table_pages = pages[1:]
    assert len(table_pages) >= 3
    assert all("行号" in page and "金额" in page for page in table_pages)
    assert "R001" in table_pages[0] and "R120" not in table_pages[0]
    assert "R120" in table_pages[-1]
    assert "1,000.5" in table_pages[-1]  # Decimal shown exactly, with separators
    found = [row for page in table_pages for row in re.findall(r"R\d{3}", page)]
    assert sorted(found) == [f"R{i:03d}" for i in range(1, 121)]  # each row once


def test_narrow_columns_keep_their_width_and_wide_ones_share_the_rest() -> None:
    """Helvetica 7.5 pt ("1" 0.556 em, "x" 0.5 em), 100 pt across. Column 1: header "n" counts
    half, its cell "1" is 0.556 × 7.5 = 4.17 pt, plus 2 × 2.5 padding and 1 = 10.17 pt. Columns
    2 and 3 hold 100 "x" (375 pt): they share 100 − 10.17 = 89.83 pt, 44.915 pt each."""
    widths = column_widths(["n", "a", "b"], [["1", "x" * 100, "x" * 100]], "Helvetica", 100)
    assert widths == pytest.approx([10.17, 44.915, 44.915], abs=0.01)
    assert sum(widths) == pytest.approx(100)


def test_all_columns_fit_at_their_natural_width() -> None:
    """Helvetica 7.5 pt, 100 pt across, each column + 2 × 2.5 padding + 1. Header "amount"
    (a .556 + m .833 + o .556 + u .556 + n .556 + t .278 = 3.335 em = 25.01 pt) is one English
    word, which never breaks: 25.01 + 6 = 31.01 pt (its cell "12" is only 8.34). Header
    "xxxx xxxx" (4.278 em = 32.09 pt) may wrap between its words: half, 16.04 pt, above its
    longest word (15 pt) and its cell "xx" (7.5 pt): 22.04 pt. Both fit: neither is widened."""
    widths = column_widths(["amount", "xxxx xxxx"], [["12", "xx"]], "Helvetica", 100)
    assert widths == pytest.approx([31.01, 22.04], abs=0.01)


def test_a_very_long_section_is_cut_with_a_note() -> None:
    """1,001 rows: the first 1,000 are shown under the note, R1001 is not, and the row count
    is the rows in the PDF (1,000)."""
    rows = pd.DataFrame({"行号": [f"R{i:04d}" for i in range(1, 1002)]})
    pack = _pdf(sections={"物联网事件": rows})
    text = "\n".join(_pages(pack.data))
    assert "仅列出前 1,000 行（共 1,001 行），完整数据见 Excel 版。" in text
    assert "R1000" in text and "R1001" not in text
    assert pack.row_count == 1000


def test_cid_font_needs_no_font_file() -> None:
    """Without the embedded font the PDF names ReportLab's STSong-Light (no font file), and
    the Chinese still reads back."""
    pack = _pdf(embed_font=False)
    assert b"/STSong-Light" in pack.data
    assert b"/FontFile2" not in pack.data
    assert "合同档案" in _pages(pack.data)[0]


def test_installed_font_is_embedded() -> None:
    """`make test` installs WenQuanYi Zen Hei (system-deps); the pack then embeds a subset."""
    assert EMBEDDED_FONT[1].is_file()
    pack = _pdf()
    assert b"/FontFile2" in pack.data
    assert b"/STSong-Light" not in pack.data


def test_pack_of_a_warehouse_contract_shows_its_figures(risk_url: str) -> None:
    """D1 of the watch book (tests/queries/risk_books.py), as the page builds its pack: 500 due
    2024-06-10 unpaid and 500 due 2024-12-10, so at 2024-06-30 DPD 20 (06-10 → 06-30), 关注 by
    逾期天数, outstanding 1,000 yuan = 0.10 万元 and overdue 500 = 0.05 万元; rules dpd,class in
    words; generated 02:00 UTC = 10:00 (UTC+08:00 Asia/Shanghai) by `risk`; lessee `name LD1`
    (individual) masked to n******* (8 characters) as for a role without personal data."""
    engine = create_warehouse_engine(risk_url, read_only=True)
    try:
        filters = Filters(as_of=date(2024, 6, 30))
        frames = {n: QUERIES[n](engine, filters, contract_id="D1") for n in DOSSIER_SECTIONS}
        rules = str(rules_for(engine, filters, "D1")["rules"].iloc[0])
    finally:
        engine.dispose()
    head = frames.pop("dossier.header")
    sections = {t(f"rk.pack.{k}", "zh"): v for k, v in frames.items()}
    at = datetime(2024, 7, 1, 2, 0, tzinfo=UTC).replace(tzinfo=None)
    pack = dossier_pdf(
        pack_meta("D1", date(2024, 6, 30), rules, "risk", at, "zh"),
        head,
        sections,
        reveal=False,
        text=pack_text("D1", "zh"),
        display=lambda frame: shown(frame, "zh"),
    )
    pages = _pages(pack.data)
    cover = pages[0]
    assert cover.startswith("合同档案 · 风险委员会材料 · D1")
    for field, value in (
        ("命中规则", "逾期（DPD>0）、分类劣于正常"),
        ("生成时间", "2024-07-01 10:00:00 (UTC+08:00 Asia/Shanghai)"),
        ("生成人", "risk"),
        ("逾期天数", "20"),
        ("五级分类", "关注"),
        ("分类依据", "逾期天数"),
        ("未偿本金（万元）", "0.10"),
        ("逾期本金（万元）", "0.05"),
        ("承租人名称", "n*******"),
    ):
        assert f"\n{field}\n{value}\n" in cover, (field, value)
    assert "name LD1" not in "\n".join(pages)
    body = "\n".join(pages[1:])
    assert "还款计划" in body and "2024-06-10" in body and "2024-12-10" in body
    assert pack.row_count == sum(len(frame) for frame in frames.values())


def test_dossier_page_offers_the_pack_as_xlsx_and_pdf(risk: str) -> None:
    """The page's first two download buttons are the pack's, the Excel one first."""
    at = open_page("dossier", {"contract": "D1"}, roles=("risk_committee",))
    assert_clean(at)
    first = [(b.proto.label, b.proto.id.rsplit("-", 1)[-1]) for b in at.get("download_button")][:2]
    assert first == [
        ("导出委员会材料（Excel）", "rk_pack"),
        ("导出委员会材料（PDF）", "rk_pack_pdf"),
    ]


def test_values_become_text_exactly() -> None:
    """Decimal 1234567.89 keeps every digit with separators; a float32 run-hours reading
    5.699999809… rounds at 6 places to 5.7; a midnight timestamp is a date; an event keeps its
    time; flags are 是/否; None and NaN are "—"."""
    cases = [
        (Decimal("1234567.89"), "1,234,567.89"),
        (Decimal("0.50"), "0.50"),
        (np.float32(5.7), "5.7"),
        (34.31181335449219, "34.311813"),
        (pd.Timestamp("2024-06-30"), "2024-06-30"),
        (pd.Timestamp("2024-06-15 10:00"), "2024-06-15 10:00:00"),
        (date(2024, 6, 10), "2024-06-10"),
        (True, "是"),
        (np.False_, "否"),
        (None, "—"),
        (float("nan"), "—"),
    ]
    assert [cell_text(value, TEXT) for value, _ in cases] == [text for _, text in cases]
