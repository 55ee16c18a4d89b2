"""The audit page respects branch scope (fail closed: own actions only) and shows admin the chain.

Rows recorded here (through `audit.record`, so chained): `sc.other` downloads `overdue` and views
the dossier of `A`; `sc.bj` and `sc.none` sign in. A compliance user scoped to BJ sees neither of
sc.other's rows, on screen or in the export, only the rows of their own actions; an unscoped one
sees everyone's.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dashboard.access import audit_view
from tests.access.access_app import download, module_warehouse, open_page
from tests.file_cells import csv_records
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events, record

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC).replace(tzinfo=None)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = module_warehouse(tmp_path_factory)
    engine = portal_engine(portal_url(url))
    record(engine, actor="sc.other", action="download", target="overdue", at=T0)
    record(engine, actor="sc.other", action="dossier_view", target="A", at=T0)
    for own in ("sc.bj", "sc.none"):
        record(engine, actor=own, action="sign_in", at=T0)
    engine.dispose()
    return url


def actors_shown(at) -> set[str]:
    assert not at.exception, [e.value for e in at.exception]
    return set(at.dataframe[0].value["操作人"])


def test_a_branch_scoped_user_sees_only_their_own_actions(access, served) -> None:
    at = open_page("audit.py", username="sc.bj", roles=("compliance",), branches=("BJ",))
    assert actors_shown(at) == {"sc.bj"}
    assert "本人的操作" in " ".join(i.value for i in at.info)
    _, data = download(at, served, "dl_csv_audit_trail")
    rows = csv_records(data)  # below the file's header block
    assert rows and {r["actor"] for r in rows} == {"sc.bj"}


def test_a_forged_actor_link_does_not_widen_the_scope(access) -> None:
    at = open_page(
        "audit.py", {"actor": "sc.other"}, username="sc.bj", roles=("compliance",), branches=("BJ",)
    )
    assert not at.exception
    assert "没有符合条件的记录。" in [i.value for i in at.info]


def test_an_empty_scope_also_sees_only_its_own_actions(access) -> None:
    at = open_page("audit.py", username="sc.none", roles=("admin",), branches=())
    assert actors_shown(at) == {"sc.none"}


def test_an_unscoped_user_sees_everyone(access) -> None:
    at = open_page("audit.py", username="sc.all", roles=("compliance",))
    assert {"sc.other", "sc.bj", "test"} <= actors_shown(at)


def test_admin_sees_the_chain_verified_then_broken(access) -> None:
    at = open_page("audit.py", username="sc.admin", roles=("admin",))
    assert not at.exception
    assert any("审计链完整" in s.value for s in at.success)
    engine = portal_engine(portal_url(access))
    try:
        with engine.begin() as conn:  # an attacker with the file: triggers off, one row edited
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
            conn.execute(
                audit_events.update().where(audit_events.c.event_id == 1).values(target="x")
            )
    finally:
        engine.dispose()
    audit_view._chain.clear()  # the state is cached for a minute; do not wait for it
    at = open_page("audit.py", username="sc.admin", roles=("admin",))
    errors = " ".join(e.value for e in at.error)
    assert "断开" in errors and "第 1 条" in errors
    assert not at.success


def test_compliance_does_not_see_the_chain_panel(access) -> None:
    at = open_page("audit.py", username="sc.c2", roles=("compliance",))
    assert not at.exception
    assert not any("审计链" in s.value for s in (*at.success, *at.error))
