"""用户管理 (admin only): the list, adding an account, disabling it, and what is refused."""

from __future__ import annotations

from dashboard.i18n.catalogue import t
from tests.access.apptest import audit_trail, open_as
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.departments import department_of
from warehouse.portal.users import get_account


def _account(url: str, name: str):
    engine = portal_engine(portal_url(url))
    try:
        return get_account(engine, name)
    finally:
        engine.dispose()


def test_admin_adds_a_scoped_account_and_disables_it(app_url: str) -> None:
    at = open_as("users.py", ("admin",), username="root1")
    assert not at.exception
    at.text_input(key="ua_name").input("new_exec")
    at.text_input(key="ua_display").input("王五")
    at.multiselect(key="ua_roles").set_value(["executive"])
    at.text_input(key="ua_branches").input("SH，BJ")  # a full-width comma is accepted too
    at.text_input(key="ua_password").input("initial-password-1")
    next(b for b in at.button if b.label == t("users.create", "zh")).click().run()
    assert t("users.created", "zh", name="new_exec") in [s.value for s in at.success]
    account = _account(app_url, "new_exec")
    assert account.roles == {"executive"} and account.branches == ("BJ", "SH")
    assert "new_exec" in at.dataframe[0].value.iloc[:, 0].tolist()

    at.selectbox(key="um_name").set_value("new_exec")
    at.button(key="um_disable").click().run()
    assert _account(app_url, "new_exec").disabled
    actions = [(a, target) for a, target, _ in audit_trail(app_url, "root1")]
    assert actions.count(("user_admin", "new_exec")) == 2  # added, then disabled


def test_admin_cannot_disable_themself_and_bad_values_are_explained(app_url: str) -> None:
    at = open_as("users.py", ("admin",), username="root2")
    at.selectbox(key="um_name").set_value("root2")
    at.button(key="um_disable").click().run()
    assert t("users.self", "zh") in [e.value for e in at.error]
    assert not _account(app_url, "root2").disabled
    at.text_input(key="ua_name").input("short_pw")
    at.multiselect(key="ua_roles").set_value(["executive"])
    at.text_input(key="ua_password").input("short")
    next(b for b in at.button if b.label == t("users.create", "zh")).click().run()
    assert t("users.err.short_password", "zh", n=12) in [e.value for e in at.error]
    assert _account(app_url, "short_pw") is None


WEAK = [
    (" " * 12, "blank_password"),
    ("aaaaaaaaaaaa", "repetitive_password"),
    ("password1234", "common_password"),
    ("Password1234", "common_password"),
    ("weak_user_2024", "password_has_username"),
]


def test_weak_passwords_are_refused_on_the_page_with_the_rule_named(app_url: str) -> None:
    at = open_as("users.py", ("admin",), username="root3")
    assert t("users.password", "zh", n=12) in [w.label for w in at.text_input]
    for password, code in WEAK:
        at.text_input(key="ua_name").input("weak_user")
        at.multiselect(key="ua_roles").set_value(["executive"])
        at.text_input(key="ua_password").input(password)
        next(b for b in at.button if b.label == t("users.create", "zh")).click().run()
        assert [e.value for e in at.error] == [t(f"users.err.{code}", "zh")], password
        assert _account(app_url, "weak_user") is None
    at.text_input(key="ua_name").input("weak_user")
    at.multiselect(key="ua_roles").set_value(["executive"])
    at.text_input(key="ua_password").input("initial-password-1")
    next(b for b in at.button if b.label == t("users.create", "zh")).click().run()
    assert _account(app_url, "weak_user") is not None

    at.selectbox(key="um_name").set_value("weak_user")
    for password, code in WEAK:
        at.text_input(key="um_password").input(password)
        next(b for b in at.button if b.label == t("users.reset", "zh")).click().run()
        assert [e.value for e in at.error] == [t(f"users.err.{code}", "zh")], password
    at.text_input(key="um_password").input("a-brand-new-secret")
    next(b for b in at.button if b.label == t("users.reset", "zh")).click().run()
    assert t("users.done", "zh", name="weak_user") in [s.value for s in at.success]


def test_admin_sets_a_department_shown_in_the_list_by_name(app_url: str) -> None:
    """The picker stores the code, audited with the admin as actor; the list names it."""
    at = open_as("users.py", ("admin",), username="root5")
    at.selectbox(key="um_name").set_value("root5")
    at.selectbox(key="um_department").set_value("legal")
    next(b for b in at.button if b.label == t("users.set_department", "zh")).click().run()
    assert t("users.done", "zh", name="root5") in [s.value for s in at.success]
    engine = portal_engine(portal_url(app_url))
    try:
        assert department_of(engine, "root5") == "legal"
    finally:
        engine.dispose()
    frame = at.dataframe[0].value
    assert frame.loc[frame.iloc[:, 0] == "root5", t("col.department", "zh")].tolist() == ["法务部"]
    details = [d for a, target, d in audit_trail(app_url, "root5") if target == "root5"]
    assert any('"to": "legal"' in d for d in details)
