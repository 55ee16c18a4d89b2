"""`postloan model evaluate` (dashboard/cli/model.py): the backtest written into its document on
a small demo book, and a one-line refusal that writes nothing on a book too short to backtest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.cli.main import main
from early_warning.report import BEGIN, END
from tests.warehouse.book import Book, build_book, monthly
from warehouse.demo import generate_extract


def test_evaluate_writes_both_models_backtest_and_keeps_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = tmp_path / "extract"
    generate_extract(extract, contracts=1_500, as_of=date(2026, 10, 31), months=36, seed=5)
    url = f"duckdb:///{tmp_path}/w.duckdb"
    assert main(["load", str(extract), "--warehouse", url, "--actor", "ops.li"]) == 0
    doc = tmp_path / "ew.md"
    doc.write_text("# Early warning\n\nhand-written part\n", encoding="utf-8")
    assert main(["model", "evaluate", "--warehouse", url, "--doc", str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Early warning\n\nhand-written part\n\n" + BEGIN)
    assert text.rstrip().endswith(END)
    # Built to 2026-10: trained on month-ends up to 2025-04, tested on 2025-11 … 2026-04.
    assert "month-ends up to 2025-04" in text and "2025-11 … 2026-04" in text
    for row in ("scorecard (champion), test |", "LightGBM (challenger), test at DPD 0 |"):
        assert row in text
    out = capsys.readouterr().out
    assert out.count("test AUC") == 2 and f"backtest written to {doc}" in out


def test_a_book_too_short_is_refused_in_one_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"duckdb:///{tmp_path}/w.duckdb"
    b = Book()
    b.contract("C1", "2024-01-15", monthly("2024-02-15", 6, "100"))
    build_book(url, b, "2024-12-31")
    doc = tmp_path / "ew.md"
    doc.write_text("unchanged\n", encoding="utf-8")
    assert main(["model", "evaluate", "--warehouse", url, "--doc", str(doc)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("postloan model evaluate: the book spans 12 month-ends")
    assert err.endswith("nothing written") and "\n" not in err
    assert doc.read_text(encoding="utf-8") == "unchanged\n"
