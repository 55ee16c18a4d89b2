"""Every registered page × every role, in AppTest: allowed pages open, others refuse clearly.

The list comes from `dashboard.page.registry.PAGES`, so a page registered later is covered
without touching this file. Nobody signed in sees only the sign-in form, deep link or not.
"""

from __future__ import annotations

import pytest

from dashboard.access.user import ROLES
from dashboard.i18n.catalogue import t
from dashboard.page.registry import PAGES
from tests.access.apptest import (
    audit_trail,
    nav_titles,
    open_as,
    refusal,
    shows_sign_in_form,
)

CASES = [(spec, role) for spec in PAGES for role in ROLES]


@pytest.mark.parametrize(("spec", "role"), CASES, ids=[f"{s.script}-{r}" for s, r in CASES])
def test_page_opens_for_its_roles_and_refuses_the_others(app_url: str, spec, role: str) -> None:
    username = f"u_{role}"
    at = open_as(spec.script, (role,), username=username)
    assert not shows_sign_in_form(at)
    if role in spec.roles:
        assert refusal(at) is None
        assert not at.exception, [e.value for e in at.exception]
        assert at.title and at.title[0].value != t("auth.title", "zh")
    else:
        message = refusal(at)
        assert message is not None
        assert t(spec.title_key, "zh") in message
        assert all(t(f"role.{r}", "zh") in message for r in spec.roles)
        assert not at.metric and not at.dataframe  # nothing of the page leaks out
        assert ("access_denied", spec.script) in [
            (a, tg) for a, tg, _ in audit_trail(app_url, username)
        ]


@pytest.mark.parametrize("spec", PAGES, ids=[s.script for s in PAGES])
def test_nobody_signed_in_sees_only_the_sign_in_form(app_url: str, spec) -> None:
    at = open_as(spec.script, None, params={"contract": "A", "as_of": "2024-05"})
    assert shows_sign_in_form(at)
    assert at.title[0].value == t("auth.title", "zh")
    assert not at.metric and not at.dataframe and not at.exception
    assert nav_titles(at) == []  # no navigation before sign-in


@pytest.mark.parametrize("role", ROLES)
def test_navigation_lists_exactly_the_pages_the_role_may_open(app_url: str, role: str) -> None:
    at = open_as("home.py", (role,), username=f"nav_{role}")
    allowed = [t(p.title_key, "zh") for p in PAGES if role in p.roles]
    assert nav_titles(at) == allowed


def test_a_user_with_several_roles_gets_the_union(app_url: str) -> None:
    at = open_as("home.py", ("compliance", "admin"), username="two_roles")
    allowed = [t(p.title_key, "zh") for p in PAGES if {"compliance", "admin"} & p.roles]
    assert nav_titles(at) == allowed


def test_home_shows_book_figures_to_analysts_only(app_url: str) -> None:
    # branch_book at June: A only is open (tests/access/books.py).
    at = open_as("home.py", ("risk_committee",), username="home_risk")
    assert {m.label: m.value for m in at.metric}["存续合同数"] == "1"
    at = open_as("home.py", ("admin",), username="home_admin")
    assert not at.metric and t("home.no_figures", "zh") in [i.value for i in at.info]
