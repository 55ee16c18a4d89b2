"""The audit page (审计日志): filters from the URL, newest first, and an export that is audited.

Rows planted in the trail (UTC; Beijing = UTC+8), all by actors named `aud.*`:
  T1 2024-03-01 15:00 UTC = 03-01 23:00 Beijing  aud.alpha  download  "overdue"
  T2 2024-03-01 16:30 UTC = 03-02 00:30 Beijing  aud.alpha  export    "contracts"
  T3 2024-03-02 02:00 UTC = 03-02 10:00 Beijing  aud.beta   decision  "C-100"
So for aud.alpha: newest first T2, T1; Beijing day 2024-03-02 holds T2 and T3.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tests.access.access_app import (
    audit_rows,
    download,
    module_warehouse,
    open_page,
)
from tests.file_cells import read_table
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


PLANTED = [
    (utc(2024, 3, 1, 15, 0), "aud.alpha", "download", "overdue"),
    (utc(2024, 3, 1, 16, 30), "aud.alpha", "export", "contracts"),
    (utc(2024, 3, 2, 2, 0), "aud.beta", "decision", "C-100"),
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = module_warehouse(tmp_path_factory)
    engine = portal_engine(portal_url(url))
    with engine.begin() as conn:
        for at, actor, action, target in PLANTED:
            conn.execute(
                sa.insert(audit_events).values(at=at, actor=actor, action=action, target=target)
            )
    engine.dispose()
    return url


def targets(at) -> list[str]:
    """The target column of the table on screen (headers localised to Chinese)."""
    assert not at.exception, [e.value for e in at.exception]
    frame = at.dataframe[0].value
    return list(frame["对象"])


def test_actor_filter_lists_newest_first(access) -> None:
    at = open_page("audit.py", {"actor": "aud.alpha"}, username="aud.c", roles=("compliance",))
    assert targets(at) == ["contracts", "overdue"]
    assert "共 2 条记录" in at.markdown[0].value


def test_action_filter(access) -> None:
    at = open_page("audit.py", {"action": "decision"}, username="aud.a", roles=("admin",))
    assert targets(at) == ["C-100"]


def test_beijing_date_range(access) -> None:
    """2024-03-02 in Beijing is [03-01 16:00, 03-02 16:00) UTC: T2 and T3, not T1."""
    params = {"from": "2024-03-02", "to": "2024-03-02"}
    at = open_page("audit.py", params, username="aud.c", roles=("compliance",))
    assert targets(at) == ["C-100", "contracts"]


def test_text_filter_searches_targets(access) -> None:
    at = open_page("audit.py", {"q": "c-10"}, username="aud.c", roles=("compliance",))
    assert targets(at) == ["C-100"]


def test_times_are_shown_in_the_display_zone_named_in_the_header(access) -> None:
    """T3 (02:00 UTC) is 10:00 in the default display zone, which the header names."""
    at = open_page("audit.py", {"actor": "aud.beta"}, username="aud.c", roles=("compliance",))
    header = "时间（UTC+08:00 Asia/Shanghai）"
    assert list(at.dataframe[0].value[header]) == ["2024-03-02 10:00:00"]


@pytest.mark.parametrize("text", ["' OR 1=1 --", '"; DROP TABLE audit_events; --', "%"])
def test_injected_search_text_matches_nothing(access, text) -> None:
    at = open_page("audit.py", {"q": text}, username="aud.c", roles=("compliance",))
    assert not at.exception
    assert at.info[0].value == "没有符合条件的记录。"
    assert len([r for r in audit_rows(access) if r["actor"].startswith("aud.")]) >= 3


def test_forged_values_are_dropped(access) -> None:
    """An unknown action, a bad date and a non-number page show the unfiltered trail."""
    params = {"action": "drop_table", "from": "2024-02-30", "page": "²", "actor": "aud.beta"}
    at = open_page("audit.py", params, username="aud.c", roles=("compliance",))
    assert targets(at) == ["C-100"]


def test_export_is_itself_audited(access, served) -> None:
    """The aud.alpha export holds T2 and T1; clicking writes an `export` row with its hash."""
    at = open_page("audit.py", {"actor": "aud.alpha"}, username="aud.x", roles=("compliance",))
    button, content = download(at, served, "dl_xlsx_audit_trail")
    block, header, rows = read_table(content)
    assert block["页面"] == "审计日志" and block["筛选条件"] == "操作人：aud.alpha"
    assert [r[header.index("target")] for r in rows] == ["contracts", "overdue"]
    local = ["2024-03-02 00:30:00", "2024-03-01 23:00:00"]
    assert [r[header.index("at (UTC+08:00 Asia/Shanghai)")] for r in rows] == local
    button.click()
    at.run()
    exports = [r for r in audit_rows(access, "export") if r["actor"] == "aud.x"]
    assert len(exports) == 1
    assert (exports[0]["target"], exports[0]["row_count"]) == ("audit_trail", 2)
    assert exports[0]["sha256"] == hashlib.sha256(content).hexdigest()
    assert json.loads(exports[0]["details"])["filters"] == {"actor": ["aud.alpha"]}


def test_english_labels(access) -> None:
    params = {"actor": "aud.beta", "lang": "en"}
    at = open_page("audit.py", params, username="aud.c", roles=("compliance",))
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["Target"]) == ["C-100"]
    assert list(frame["Action"]) == ["Committee decision"]
    assert at.title[0].value == "Audit trail"
