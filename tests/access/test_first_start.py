"""The first start on an empty account store creates `admin` and prints its password once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.access.apptest import APP, shows_sign_in_form
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.sign_in import authenticate
from warehouse.portal.users import list_accounts


def test_first_start_prints_a_working_admin_password_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"duckdb:///{tmp_path}/w.duckdb"  # no warehouse yet: the store is still created
    monkeypatch.setenv("POSTLOAN_WAREHOUSE_URL", url)
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=90).run()
    assert shows_sign_in_form(at)
    printed = capsys.readouterr().out
    match = re.search(r"created user 'admin' \(role admin\) with password: (\S+)", printed)
    assert match is not None, printed
    shown = [*at.title, *at.markdown, *at.caption, *at.info, *at.error, *at.success, *at.warning]
    assert match.group(1) not in " ".join(str(e.value) for e in shown)  # never on the page
    store = portal_engine(portal_url(url))
    try:
        (admin,) = list_accounts(store)
        assert admin.username == "admin" and admin.roles == {"admin"}
        assert authenticate(store, "admin", match.group(1), max_failed=5, lockout_minutes=15).ok
        st.cache_resource.clear()  # a restarted server: the store is no longer empty
        AppTest.from_file(str(APP), default_timeout=90).run()
        assert "created user" not in capsys.readouterr().out
        assert len(list_accounts(store)) == 1
    finally:
        store.dispose()
        st.cache_resource.clear()
