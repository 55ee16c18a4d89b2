"""The scheduler process: one instance per store, and a kill mid-run loses and doubles nothing.

Real parts: a DuckDB warehouse with the analytics book and its SQLite portal store, or PostgreSQL;
`postloan scheduler` as a separate process; a local SMTP server (aiosmtpd). The server holds one
recipient so the scheduler can be killed (SIGKILL) in the middle of its round, at a known point.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from alerts.outbox import Message, enqueue, log
from tests.dashboard.analytics_app import build_analytics_warehouse
from tests.mail_server import smtp_server, wait_until
from warehouse.portal import portal_engine, portal_url

NOW = datetime(2024, 7, 1, 3, 0, tzinfo=UTC).replace(tzinfo=None)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(db_url: str) -> Iterator[tuple[str, Engine]]:
    """A warehouse with the book (alerts go to nobody: no account has an address) and four
    queued messages to four recipients; on DuckDB (a SQLite store, a file lock) and PostgreSQL
    (the store in the warehouse database, an advisory lock)."""
    url = db_url
    build_analytics_warehouse(url)
    engine = portal_engine(portal_url(url))
    enqueue(
        engine,
        [
            Message(f"test:{n}", "test", f"u{n}", f"u{n}@example.com", f"subject {n}", "body")
            for n in range(1, 5)
        ],
        NOW,
    )
    yield url, engine
    engine.dispose()


def _scheduler(url: str, secrets: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "POSTLOAN_SECRETS": str(secrets), "POSTLOAN_WAREHOUSE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli.main", "scheduler", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _secrets(tmp_path: Path, port: int) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\ntimeout = 60\n')
    return path


def _stop(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=60)
    return out


def test_a_scheduler_killed_mid_round_and_restarted_sends_each_message_once(
    store: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = store
    with smtp_server() as (box, port):
        box.hold = "u3@example.com"  # the third message waits in the middle of its SMTP dialog
        first = _scheduler(url, _secrets(tmp_path, port))
        try:
            assert box.holding.wait(timeout=120), "the scheduler never reached the third message"
            first.kill()  # SIGKILL: no clean-up of any kind
        finally:
            if first.poll() is None:
                first.kill()
            first.communicate(timeout=60)
        box.release.set()  # the dead client's dialog ends without the message being accepted
        statuses = dict(zip(log(engine)["idem_key"], log(engine)["status"], strict=True))
        assert statuses == {
            "test:1": "sent",
            "test:2": "sent",
            "test:3": "sending",
            "test:4": "queued",
        }
        second = _scheduler(url, _secrets(tmp_path, port))
        try:
            wait_until(lambda: set(log(engine)["status"]) == {"sent"}, 120, "every message sent")
        finally:
            output = _stop(second)
        received = sorted(str(m["To"]) for m in box.received())
    assert received == [f"u{n}@example.com" for n in range(1, 5)]  # each exactly once
    assert "1 messages left mid-send queued again" in output


def test_a_second_scheduler_on_the_same_store_does_not_start(
    store: tuple[str, Engine], tmp_path: Path
) -> None:
    url, _ = store
    secrets = tmp_path / "none.toml"  # no SMTP server: the first scheduler sends nothing
    first = _scheduler(url, secrets)
    try:
        assert first.stdout is not None
        assert "[scheduler] running" in first.stdout.readline()
        second = _scheduler(url, secrets)
        out, _ = second.communicate(timeout=60)
        assert second.returncode == 3
        assert "another scheduler holds" in out
    finally:
        _stop(first)
