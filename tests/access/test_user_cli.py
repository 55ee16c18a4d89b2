"""`postloan user …` against a warehouse's portal store (SQLite beside a DuckDB file)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from dashboard.cli.main import main
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.departments import department_of
from warehouse.portal.sign_in import authenticate
from warehouse.portal.users import get_account

SECRET = "cli-password-0123"  # noqa: S105 - a test account
LIMITS = {"max_failed": 5, "lockout_minutes": 15}


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A warehouse URL whose portal store starts empty (the warehouse file itself may not exist)."""
    return f"duckdb:///{tmp_path}/w.duckdb"


def _run(url: str, *args: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["user", *args, "--warehouse", url])


def test_add_list_disable_enable_reset(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add = ["add", "zhang", "--roles", "executive,compliance", "--branches", "SH,BJ"]
    assert (
        _run(
            url,
            *add,
            "--display-name",
            "张三",
            "--password-stdin",
            stdin=f"{SECRET}\n",
            monkeypatch=monkeypatch,
        )
        == 0
    )
    assert _run(url, "list", monkeypatch=monkeypatch) == 0
    listing = capsys.readouterr().out
    assert "zhang" in listing and "compliance,executive" in listing and "BJ,SH" in listing
    assert "active" in listing and SECRET not in listing
    store = portal_engine(portal_url(url))
    assert authenticate(store, "zhang", SECRET, **LIMITS).ok

    assert _run(url, "disable", "zhang", monkeypatch=monkeypatch) == 0
    assert authenticate(store, "zhang", SECRET, **LIMITS).reason == "disabled"
    assert _run(url, "enable", "zhang", monkeypatch=monkeypatch) == 0
    new = "another-password-99"
    assert (
        _run(
            url,
            "reset-password",
            "zhang",
            "--password-stdin",
            stdin=f"{new}\n",
            monkeypatch=monkeypatch,
        )
        == 0
    )
    assert authenticate(store, "zhang", new, **LIMITS).ok
    assert get_account(store, "zhang").display_name == "张三"  # type: ignore[union-attr]
    store.dispose()


def test_all_branches_and_an_empty_branch_list(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (
        _run(
            url,
            "add",
            "all",
            "--roles",
            "admin",
            "--all-branches",
            "--password-stdin",
            stdin=f"{SECRET}\n",
            monkeypatch=monkeypatch,
        )
        == 0
    )
    assert (
        _run(
            url,
            "add",
            "none",
            "--roles",
            "executive",
            "--branches",
            "",
            "--password-stdin",
            stdin=f"{SECRET}\n",
            monkeypatch=monkeypatch,
        )
        == 0
    )
    store = portal_engine(portal_url(url))
    assert get_account(store, "all").branches is None  # type: ignore[union-attr]
    assert get_account(store, "none").branches == ()  # type: ignore[union-attr]
    store.dispose()


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add", "x", "--roles", "boss"], SECRET, "unknown role"),
        (["add", "x", "--roles", "executive"], "short", "at least 12"),
        (
            ["add", "x", "--roles", "admin", "--branches", "SH", "--all-branches"],
            SECRET,
            "not both",
        ),
        (["disable", "ghost"], "", "no user"),
        (["reset-password", "ghost"], SECRET, "no user"),
    ],
)
def test_refused_changes_exit_2_with_a_message(
    url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str,
    message: str,
) -> None:
    extra = ["--password-stdin"] if args[0] in {"add", "reset-password"} else []
    assert _run(url, *args, *extra, stdin=f"{stdin}\n", monkeypatch=monkeypatch) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("password", "english", "chinese"),
    [
        (" " * 12, "cannot be blank", "不能为空白"),
        ("aaaaaaaaaaaa", "one character or a pattern repeated", "重复"),
        ("abcdefghijkl", "a sequence", "连续"),
        ("password1234", "common or known from breaches", "常见或已在泄露"),
        ("Password1234", "common or known from breaches", "常见或已在泄露"),
        ("li.xiaoming", "at least 12", "至少需要 12 位"),
        ("li.xiaoming.2024", "cannot contain the username", "不能包含用户名"),
        ("LI.XIAOMING.2024", "cannot contain the username", "不能包含用户名"),
    ],
)
def test_weak_passwords_are_refused_on_add_and_reset_with_the_rule_named(
    url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    password: str,
    english: str,
    chinese: str,
) -> None:
    add = ["add", "li.xiaoming", "--roles", "executive", "--password-stdin"]
    assert _run(url, *add, stdin=f"{password}\n", monkeypatch=monkeypatch) == 2
    refused = capsys.readouterr().err
    assert english in refused and chinese in refused
    assert not password.strip() or password not in refused  # the password is never echoed
    assert _run(url, *add, stdin=f"{SECRET}\n", monkeypatch=monkeypatch) == 0  # a strong one
    reset = ["reset-password", "li.xiaoming", "--password-stdin"]
    assert _run(url, *reset, stdin=f"{password}\n", monkeypatch=monkeypatch) == 2
    assert english in capsys.readouterr().err
    store = portal_engine(portal_url(url))
    assert authenticate(store, "li.xiaoming", SECRET, **LIMITS).ok  # the strong one stands
    store.dispose()


def test_minimum_length_follows_the_setting(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = tmp_path / "postloan.toml"
    settings.write_text("[access]\nmin_password_length = 20\n", encoding="utf-8")
    monkeypatch.setenv("POSTLOAN_SETTINGS", str(settings))
    add = ["add", "wang", "--roles", "executive", "--password-stdin"]
    assert _run(url, *add, stdin=f"{SECRET}\n", monkeypatch=monkeypatch) == 2
    assert "at least 20" in capsys.readouterr().err
    long_secret = "cli-password-0123-kiwi"  # noqa: S105 - a test account
    assert _run(url, *add, stdin=f"{long_secret}\n", monkeypatch=monkeypatch) == 0


def test_init_creates_the_first_admin_once_and_prints_its_password_once(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make run` calls `postloan user init`: the first time an admin and a password appear."""
    assert _run(url, "init", monkeypatch=monkeypatch) == 0
    first = capsys.readouterr().out
    password = first.split("with password: ", 1)[1].split()[0]
    store = portal_engine(portal_url(url))
    try:
        assert authenticate(store, "admin", password, **LIMITS).ok
        assert get_account(store, "admin").roles == frozenset({"admin"})
    finally:
        store.dispose()  # an undisposed PostgreSQL pool warns when collected, in a later test

    assert _run(url, "init", monkeypatch=monkeypatch) == 0
    second = capsys.readouterr().out
    assert "nothing created" in second and password not in second


def test_department_is_set_listed_refused_when_unknown_and_removed(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`user department NAME CODE` stores it and `list` shows it; an unknown code exits 2 with
    the codes allowed (English and Chinese) and changes nothing; `none` removes it."""
    add = ["add", "li", "--roles", "compliance", "--password-stdin"]
    assert _run(url, *add, stdin=f"{SECRET}\n", monkeypatch=monkeypatch) == 0
    assert _run(url, "department", "li", "compliance", monkeypatch=monkeypatch) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "li works in department compliance"
    assert _run(url, "list", monkeypatch=monkeypatch) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split()[:5] == ["username", "roles", "branches", "department", "state"]
    assert listing[1].split()[:5] == ["li", "compliance", "*", "compliance", "active"]

    assert _run(url, "department", "li", "sales", monkeypatch=monkeypatch) == 2
    err = capsys.readouterr().err
    assert "unknown department 'sales'; choose from service, collections" in err
    assert "未知部门" in err
    store = portal_engine(portal_url(url))
    try:
        assert department_of(store, "li") == "compliance"
        assert _run(url, "department", "li", "none", monkeypatch=monkeypatch) == 0
        assert department_of(store, "li") is None
    finally:
        store.dispose()
