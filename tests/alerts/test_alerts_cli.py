"""`postloan alerts`: evaluation after a load, the list of open alerts, acknowledging one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from alerts.rules import figure_rules
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.alerts import alerts
from warehouse.settings import load_settings


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def _open_alerts(url: str) -> list[sa.Row]:
    engine = portal_engine(portal_url(url))
    try:
        with engine.connect() as conn:
            stmt = sa.select(alerts).where(alerts.c.status.in_(["firing", "acknowledged"]))
            return list(conn.execute(stmt.order_by(alerts.c.alert_id)).all())
    finally:
        engine.dispose()


def test_a_load_evaluates_the_alerts_and_ack_silences_one(db_url: str, tmp_path: Path) -> None:
    extract = tmp_path / "demo"
    demo = _run("demo", str(extract), "--contracts", "300", "--months", "12", "--as-of", "2026-06")
    assert demo.returncode == 0, demo.stderr
    load = _run("load", str(extract), "--warehouse", db_url)
    assert load.returncode == 0, load.stderr
    # The demo is a 融资租赁公司: NPL and 偏离度 lines, PAR30 and PAR90, the concentration
    # limits and the five migration rates: 10 figure rules; then the data-check rule, the
    # three filing-deadline rules, the proposal rule and the large-exposure signal rule: 16.
    rules = figure_rules(load_settings(), "financing_lease")
    assert len(rules) == 10
    assert "alerts evaluated at 2026-06: 16 rules" in load.stdout
    fired = _open_alerts(db_url)
    listed = _run("alerts", "list", "--warehouse", db_url)
    assert listed.returncode == 0, listed.stderr
    # This small demo book breaches at least one line (e.g. its largest lessees' concentration).
    assert fired
    lines = listed.stdout.strip().splitlines()
    assert [int(line.split()[0][1:]) for line in lines] == sorted(
        (r.alert_id for r in fired), reverse=True
    )
    # Figure alerts start at the book's month-end (the filing-deadline ones, which depend on the
    # day the test runs, at that day, and are left out here).
    figures = [line for line in lines if " filing." not in line]
    assert figures and all(line.rstrip().endswith("since 2026-06") for line in figures)
    # Evaluating the same month again announces nothing new.
    again = _run("alerts", "evaluate", "--warehouse", db_url)
    assert again.returncode == 0, again.stderr
    assert "#" not in again.stdout
    first = fired[0].alert_id
    ack = _run("alerts", "ack", str(first), "--warehouse", db_url, "--actor", "boss")
    assert ack.returncode == 0, ack.stderr
    assert [r.status for r in _open_alerts(db_url) if r.alert_id == first] == ["acknowledged"]
    unknown = _run("alerts", "ack", "999999", "--warehouse", db_url)
    assert unknown.returncode == 2 and "not firing" in unknown.stderr


@pytest.mark.parametrize(
    ("rule", "value", "line", "text"),
    [
        ("kpi.npl_ratio", "0.0513", "0.05", "5.13% (line 5.00%)"),
        (
            "exposure.signal",
            "10768788.00",
            "10000000.00",
            "10,768,788.00 yuan (from 10,000,000.00)",
        ),
        ("filing.t5", "4", "5", "4 working days left (line 5)"),
        ("filing.missed", "0", "0", "past its deadline, not submitted"),
        ("checks.blocking", "3", "0", "3 blocking failures"),
        ("committee.review", "1", "0", "awaiting review"),
    ],
)
def test_each_alert_reads_in_its_own_unit_on_the_command_line(rule, value, line, text) -> None:
    from dashboard.cli.alerts import _figure

    assert _figure(rule, value, line) == text
