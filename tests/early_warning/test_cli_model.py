"""`postloan model` (dashboard/cli/model.py) on a small demo book: the backtest written into its
document; a version trained, refused to its trainer, approved by a second person and used to
score; and one-line refusals that write nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.cli.main import main
from early_warning.report import BEGIN, END
from tests.warehouse.book import Book, build_book, monthly
from warehouse.demo import generate_extract
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A 1,500-contract demo book over 36 months to 2026-10, loaded into a DuckDB file."""
    folder = tmp_path_factory.mktemp("ew_demo")
    generate_extract(folder / "x", contracts=1_500, as_of=date(2026, 10, 31), months=36, seed=5)
    url = f"duckdb:///{folder}/w.duckdb"
    assert main(["load", str(folder / "x"), "--warehouse", url, "--actor", "ops.li"]) == 0
    yield url


def test_evaluate_writes_both_models_backtest_and_keeps_the_document(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "ew.md"
    doc.write_text("# Early warning\n\nhand-written part\n", encoding="utf-8")
    assert main(["model", "evaluate", "--warehouse", demo_url, "--doc", str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Early warning\n\nhand-written part\n\n" + BEGIN)
    assert text.rstrip().endswith(END)
    # Built to 2026-10: trained on month-ends up to 2025-04, tested on 2025-11 … 2026-04.
    assert "month-ends up to 2025-04" in text and "2025-11 … 2026-04" in text
    for row in ("scorecard (champion), test |", "LightGBM (challenger), test at DPD 0 |"):
        assert row in text
    assert "| 90+ | watch rules |" in text and "| 30+ | scorecard (champion) |" in text
    assert "| 30+ | LightGBM (challenger) at the watch rules' flag rate |" in text
    out = capsys.readouterr().out
    assert out.count("test AUC") == 2 and f"backtest written to {doc}" in out


def test_train_is_approved_by_a_second_person_then_scores(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = str(tmp_path / "models")
    common = ["--registry", reg]
    assert main(["model", "score", *common, "--warehouse", demo_url]) == 1
    assert "no approved model version" in capsys.readouterr().err
    train = ["model", "train", *common, "--warehouse", demo_url, "--actor", "alice"]
    assert main(train) == 0
    assert "proposed ew-0001 (trained by alice)" in capsys.readouterr().out
    card = json.loads((tmp_path / "models" / "ew-0001" / "card.json").read_text("utf-8"))
    assert card["data"]["built_to"] == "2026-10-31" and card["data"]["month_ends"][1] == "2026-04"
    assert card["scorecard"]["coefficients"] and len(card["data"]["fingerprint"]) == 64
    # The training distribution monitoring measures PSI against: score deciles, every feature.
    reference = card["reference"]
    assert reference["rows"] == card["data"]["rows"] and reference["score"]["edges"]
    assert set(reference["features"]) == set(card["features"])
    assert main(["model", "promote", "ew-0001", *common, "--actor", "alice"]) == 1
    assert "a second person must approve it" in capsys.readouterr().err
    promote = ["model", "promote", "ew-0001", *common, "--warehouse", demo_url, "--actor", "bob"]
    assert main(promote) == 0
    capsys.readouterr()
    engine = portal_engine(portal_url(demo_url))
    try:
        with engine.connect() as conn:
            acts = conn.execute(
                sa.select(audit_events.c.actor, audit_events.c.target)
                .where(audit_events.c.action == "model")
                .order_by(audit_events.c.event_id)
            ).all()
    finally:
        engine.dispose()
    assert [tuple(a) for a in acts] == [("cli:alice", "ew-0001"), ("cli:bob", "ew-0001")]
    assert main(["model", "list", *common]) == 0
    assert "ew-0001  approved" in capsys.readouterr().out
    score = ["model", "score", *common, "--warehouse", demo_url, "--top", "3", "--lang", "en"]
    assert main(score) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("ew-0001: ") and "performing contracts scored" in out[0]
    assert len(out) == 4 and all(line.startswith("  C") for line in out[1:])


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
    reg = tmp_path / "models"
    assert main(["model", "train", "--registry", str(reg), "--warehouse", url]) == 1
    assert capsys.readouterr().err.strip().endswith("nothing stored") and not reg.exists()
