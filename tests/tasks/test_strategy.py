"""The strategy as data: the defaults of the issue, which row a contract takes, versions, and the
refusals that write nothing (on SQLite and PostgreSQL)."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tasks.strategy import Strategy, StrategyError, current, from_settings, parse, save_version
from tasks.triggers import assign_bands
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.portal.tasks import task_strategies
from warehouse.settings import SETTINGS, Settings

DEFAULTS = Settings({s.key: s.default for s in SETTINGS})
AT = datetime(2026, 12, 1, 1, 0, tzinfo=UTC).replace(tzinfo=None)


def _band(start: int, end: int | None, step: str, department: str, sla: int = 3, **more) -> dict:
    return {
        "dpd_from": start,
        "dpd_to": end,
        "step": step,
        "department": department,
        "sla_days": sla,
        "priority": 2,
        **more,
    }


GOOD = {
    "bands": [
        _band(1, 30, "notice", "collections"),
        _band(31, None, "litigation", "legal"),
        # Sale-leasebacks from 5,000,000 yuan go to risk management from the first day.
        _band(1, None, "visit", "risk", product="sale_leaseback", min_exposure="5000000"),
    ],
    "triggers": [
        {
            "trigger": "iot",
            "step": "site_inspection",
            "department": "operations",
            "sla_days": 2,
            "priority": 1,
        }
    ],
}


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    engine = portal_engine(portal_url(db_url))
    yield engine
    engine.dispose()


def _versions(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(task_strategies)).scalar_one()


def _audited(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        stmt = sa.select(audit_events.c.actor, audit_events.c.target).where(
            audit_events.c.action == "task_strategy"
        )
        return [tuple(r) for r in conn.execute(stmt.order_by(audit_events.c.event_id))]


def test_the_defaults_are_the_issues_tiers() -> None:
    s = from_settings(DEFAULTS)
    assert [(b.dpd_from, b.dpd_to, b.step, b.department, b.sla_days) for b in s.bands] == [
        (1, 7, "reminder", "service", 1),
        (8, 30, "notice", "collections", 3),
        (31, 60, "visit", "risk", 10),
        (61, 90, "demand", "legal", 5),
        (91, None, "litigation", "legal", 20),
    ]
    assert [(t.trigger, t.step, t.department, t.sla_days) for t in s.triggers] == [
        ("iot", "site_inspection", "operations", 3),
        ("inspection", "legal_review", "legal", 5),
        ("financial", "financial_review", "finance", 10),
        ("signal", "signal_review", "risk", 5),
    ]
    assert s.version == 0


def test_a_contract_takes_its_products_row_then_its_exposure_tier_then_its_band() -> None:
    strategy = save_free_parse(GOOD)
    frame = pd.DataFrame(
        {
            "contract_id": ["A", "B", "C", "D"],
            "dpd": [5, 45, 5, 5],
            "product": ["direct_lease", "direct_lease", "sale_leaseback", "sale_leaseback"],
            "exposure": [
                Decimal("9000000"),
                Decimal("10"),
                Decimal("4999999.99"),
                Decimal("5000000.00"),
            ],
        }
    )
    got = assign_bands(frame, strategy)
    assert list(got["step"]) == ["notice", "litigation", "notice", "visit"]
    assert list(got["department"]) == ["collections", "legal", "collections", "risk"]


def save_free_parse(body: dict) -> Strategy:
    """The strategy of `body`, validated, without saving it."""
    return parse(body)


def test_a_saved_version_is_in_force_and_the_settings_are_version_0(portal: Engine) -> None:
    assert current(portal, DEFAULTS).version == 0
    saved = save_version(portal, GOOD, "admin", "sale-leasebacks to risk", at=AT)
    assert saved.version == 1
    again = save_version(portal, GOOD, "admin2", at=AT)
    in_force = current(portal, DEFAULTS)
    assert (again.version, in_force.version, in_force.created_by) == (2, 2, "admin2")
    assert in_force.trigger_rule("iot").sla_days == 2
    assert in_force.trigger_rule("signal") is None  # left out: no signal tasks
    assert in_force.body() == save_free_parse(GOOD).body()
    assert _audited(portal) == [("admin", "task_strategies:1"), ("admin2", "task_strategies:2")]


def _without(body: dict, n: int) -> dict:
    out = copy.deepcopy(body)
    del out["bands"][n]
    return out


def _changed(body: dict, n: int, **values: object) -> dict:
    out = copy.deepcopy(body)
    out["bands"][n].update(values)
    return out


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            _changed(GOOD, 1, dpd_from=30),
            "product '*' from exposure 0: DPD bands overlap at 30",
        ),
        (_changed(GOOD, 1, dpd_from=35), "product '*' from exposure 0: no band for DPD 31–34"),
        (_changed(GOOD, 1, dpd_to=90), "no band for DPD 91 and above"),
        (_without(GOOD, 0), "no band for DPD 1–30"),
        (_without(_without(GOOD, 0), 0), "no band for product '*' from exposure 0"),
        (_changed(GOOD, 0, department="treasury"), "band 1: unknown department 'treasury'"),
        (_changed(GOOD, 0, step="send_flowers"), "band 1: unknown step 'send_flowers'"),
        (_changed(GOOD, 0, sla_days=0), "band 1: the SLA must be at least 1 working day, not 0"),
        (_changed(GOOD, 0, sla_days=-2), "band 1: the SLA must be at least 1 working day"),
        (
            {**GOOD, "triggers": [{**GOOD["triggers"][0], "department": "nobody"}]},
            "trigger 1 (iot): unknown department 'nobody'",
        ),
        ({**GOOD, "triggers": [{"trigger": "weather"}]}, "trigger 1: unknown trigger 'weather'"),
    ],
)
def test_a_bad_strategy_is_refused_with_its_reason_and_nothing_is_saved(
    portal: Engine, body: dict, message: str
) -> None:
    save_version(portal, GOOD, "admin", at=AT)
    with pytest.raises(StrategyError, match=re.escape(message)):
        save_version(portal, body, "admin", at=AT)
    assert _versions(portal) == 1
    assert current(portal, DEFAULTS).version == 1
    assert _audited(portal) == [("admin", "task_strategies:1")]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_postloan_tasks_strategy_set_refuses_a_gap_and_saves_a_good_file(
    db_url: str, tmp_path: Path
) -> None:
    bad, good = tmp_path / "bad.json", tmp_path / "good.json"
    bad.write_text(json.dumps(_changed(GOOD, 1, dpd_from=40)), encoding="utf-8")
    good.write_text(json.dumps(GOOD), encoding="utf-8")
    refused = _cli("tasks", "strategy", "set", str(bad), "--warehouse", db_url)
    assert refused.returncode == 2
    assert "refused: product '*' from exposure 0: no band for DPD 31–39" in refused.stderr
    assert "nothing saved" in refused.stderr
    saved = _cli("tasks", "strategy", "set", str(good), "--warehouse", db_url, "--actor", "ann")
    assert saved.returncode == 0, saved.stderr
    assert "strategy version 1 saved by cli:ann" in saved.stdout
    shown = _cli("tasks", "strategy", "show", "--json", "--warehouse", db_url)
    assert json.loads(shown.stdout) == save_free_parse(GOOD).body()


def test_a_settings_row_of_the_wrong_shape_is_refused_with_its_key() -> None:
    short = {**DEFAULTS.values, "tasks.dpd_bands": ["1-7 * 0 reminder service 1"]}
    with pytest.raises(StrategyError, match=re.escape("tasks.dpd_bands: '1-7 * 0 reminder")):
        from_settings(Settings(short))
    gap = {**DEFAULTS.values, "tasks.dpd_bands": ["1-7 * 0 reminder service 1 3"]}
    with pytest.raises(StrategyError, match="no band for DPD 8 and above"):
        from_settings(Settings(gap))
