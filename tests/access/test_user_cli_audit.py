"""Every `postloan user …` that changes or lists accounts writes an audit row by the CLI actor."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from dashboard.cli.main import main
from tests.test_cli_audit import audit_rows

SECRET = "cli-audit-password-0123"  # noqa: S105 - a test account


def test_each_user_command_is_audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"duckdb:///{tmp_path}/w.duckdb"
    commands = [
        ["add", "wu", "--roles", "compliance", "--branches", "BJ", "--password-stdin"],
        ["disable", "wu"],
        ["enable", "wu"],
        ["reset-password", "wu", "--password-stdin"],
        ["list"],
    ]
    for args in commands:
        monkeypatch.setattr("sys.stdin", io.StringIO(f"{SECRET}x{len(args)}\n"))
        assert main(["user", *args, "--warehouse", url, "--actor", "it.sun"]) == 0, args
    rows = audit_rows(url)
    changes = [(r["actor"], r["action"], r["target"], r["details"]["change"]) for r in rows]
    assert changes == [
        ("cli:it.sun", "user_admin", "wu", "add"),
        ("cli:it.sun", "user_admin", "wu", "disable"),
        ("cli:it.sun", "user_admin", "wu", "enable"),
        ("cli:it.sun", "user_admin", "wu", "reset_password"),
        ("cli:it.sun", "user_admin", "", "list"),
    ]
    assert rows[-1]["row_count"] == 1
    assert rows[0]["details"]["branches"] == ["BJ"]
    capsys.readouterr()
