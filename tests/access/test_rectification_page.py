"""整改台账: compliance assigns, submits with evidence and a second person signs off; the
submitter's own sign-off is refused on the page; executives read only; `?item=ID` opens an item."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from dashboard.i18n.catalogue import t
from tasks.findings import Finding
from tasks.rectification import apply_findings
from tests.access.apptest import open_as
from tests.signin import ensure_account
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.departments import set_department
from warehouse.portal.rectification import rectification_items

DAYS = {"data_check": 5, "validation": 5, "correction": 10}


def _ledger(url: str, *findings: Finding) -> dict[str, int]:
    """Make items for `findings` (today: Fri 4 Dec 2026); source key -> item id."""
    engine = portal_engine(portal_url(url))
    try:
        apply_findings(engine, findings, sources=DAYS, days=DAYS, today=date(2026, 12, 4))
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(rectification_items.c.source_key, rectification_items.c.item_id)
            ).all()
    finally:
        engine.dispose()
    return {r.source_key: int(r.item_id) for r in rows}


def _staff(url: str, *names: str) -> None:
    engine = portal_engine(portal_url(url))
    try:
        for name in names:
            ensure_account(url, name, ("compliance",))
            set_department(engine, name, "compliance", "test")
    finally:
        engine.dispose()


def _status(url: str, item_id: int) -> tuple[str, str | None, str | None]:
    i = rectification_items.c
    engine = portal_engine(portal_url(url))
    try:
        with engine.connect() as conn:
            row = conn.execute(
                sa.select(i.status, i.submitted_by, i.closed_by).where(i.item_id == item_id)
            ).one()
    finally:
        engine.dispose()
    return tuple(row)


def _press(at, label_key: str) -> None:
    next(b for b in at.button if b.label == t(label_key, "zh")).click().run()


def test_owner_submits_the_same_person_is_refused_a_second_person_signs_off(app_url: str) -> None:
    """rca assigns themself and submits; rca's sign-off is refused with the rule; rcb signs."""
    _staff(app_url, "rca", "rcb")
    key = "check:contract_pk#1"
    item_id = _ledger(app_url, Finding("data_check", "check:contract_pk", "contract_pk", "2"))[key]
    at = open_as("rectification.py", ("compliance",), username="rca", params={"item": str(item_id)})
    assert not at.exception
    at.selectbox(key="rc_owner").set_value("rca")
    _press(at, "rc.assign")
    assert t("rc.done", "zh", id=item_id) in [s.value for s in at.success]
    at.text_area(key="rc_evidence").input("主键重复已在源系统修复，重新加载后检查通过")
    _press(at, "rc.submit")
    assert _status(app_url, item_id) == ("submitted", "rca", None)
    _press(at, "rc.sign_off")
    assert t("rc.err.same_person", "zh") in [e.value for e in at.error]
    assert _status(app_url, item_id) == ("submitted", "rca", None)

    other = open_as(
        "rectification.py", ("compliance",), username="rcb", params={"item": str(item_id)}
    )
    _press(other, "rc.sign_off")
    assert _status(app_url, item_id) == ("closed", "rca", "rcb")


def test_an_executive_reads_the_ledger_without_actions(app_url: str) -> None:
    """The table and the item are shown; no owner picker, evidence box or sign-off button."""
    ids = _ledger(app_url, Finding("correction", "correction:77", "G01 更正", "wrong FX rate"))
    item_id = ids["correction:77#1"]
    at = open_as(
        "rectification.py", ("executive",), username="rcexec", params={"item": str(item_id)}
    )
    assert not at.exception
    assert t("rc.read_only", "zh") in [i.value for i in at.info]
    assert t("rc.item", "zh", id=item_id, title="G01 更正") in [h.value for h in at.subheader]
    assert [w.key for w in at.text_area] == []
    assert t("rc.sign_off", "zh") not in [b.label for b in at.button]
    assert "wrong FX rate" in [x.value for x in at.text]


def test_sync_now_makes_the_item_of_a_new_validation_finding(app_url: str) -> None:
    """A blocking validation finding recorded on the filing page is in the ledger after 立即同步
    (compliance); an executive has no such button."""
    from regulatory import filing

    _staff(app_url, "rcsync")
    engine = portal_engine(portal_url(app_url))
    try:
        draft = filing.new_version(
            engine,
            report_code="G11",
            period=date(2024, 6, 30),
            cells={"G11_1_A": 1},
            actor="rcsync",
            load_id=1,
            data_sha256="a" * 64,
        )
        finding = {"rule_id": "R9", "severity": "blocking", "cells": ["G11_1_A"]}
        filing.record_validation(engine, draft, [finding], "rcsync")
    finally:
        engine.dispose()
    reader = open_as("rectification.py", ("executive",), username="rcexec2")
    assert t("rc.sync", "zh") not in [b.label for b in reader.button]
    at = open_as("rectification.py", ("compliance",), username="rcsync")
    _press(at, "rc.sync")
    # (the other tests' hand-made correction item is not among the filings: it counts as gone)
    assert at.success[0].value.startswith("已同步：新增 1 项，")
    assert "G11 2024-06-30 v1 R9" in at.dataframe[0].value.iloc[:, 2].tolist()
