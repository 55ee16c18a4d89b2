"""`postloan report`: the file named by --out is what it says it is, and its writing is audited."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dashboard.cli.main import main
from tests.test_cli_audit import audit_rows


def run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str]:
    code = main(["report", "--period", "2024-06", "--warehouse", url, *args])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize(
    ("name", "report"),
    [("x.csv", None), ("x.csv", "G11"), ("x.pdf", None), ("x", "G12"), ("x.txt", "DETAIL")],
)
def test_out_in_a_format_the_report_is_not_written_in_is_refused(
    report_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    report: str | None,
) -> None:
    """A summary workbook named .csv (or anything but .xlsx) exits 2 with the reason, writes
    nothing; the detail takes .xlsx or .csv only."""
    args = ["--out", str(tmp_path / name), "--draft"] + (["--report", report] if report else [])
    code, text = run(capsys, report_url, *args)
    assert code == 2, text
    assert "nothing written" in text and ".xlsx" in text
    assert list(tmp_path.iterdir()) == []


def test_detail_as_csv_is_csv(
    report_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The detail under a .csv name is CSV text (with a BOM), not a zip."""
    out = tmp_path / "detail.csv"
    code, text = run(capsys, report_url, "--out", str(out), "--report", "DETAIL", "--draft")
    assert code == 0, text
    assert not out.read_bytes().startswith(b"PK")


@pytest.mark.parametrize(
    ("name", "report", "target"),
    [("book.xlsx", None, "summary"), ("detail.csv", "DETAIL", "DETAIL")],
)
def test_writing_a_report_is_audited_with_the_files_hash(
    report_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    report: str | None,
    target: str,
) -> None:
    """One `export` row by cli:<--actor>: the file, the period and the SHA-256 of its bytes."""
    out = tmp_path / name
    args = ["--out", str(out), "--draft", "--actor", "rpt.zhao"]
    code, text = run(capsys, report_url, *args, *(["--report", report] if report else []))
    assert code == 0, text
    row = audit_rows(report_url)[-1]
    assert (row["actor"], row["action"], row["target"]) == ("cli:rpt.zhao", "export", target)
    assert row["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert row["details"]["file"] == str(out.resolve())
    assert row["details"]["period"] == "2024-06-30" and row["details"]["draft"] is True
    if report == "DETAIL":
        assert row["details"]["personal_data"] == "unmasked" and row["row_count"] == 6
