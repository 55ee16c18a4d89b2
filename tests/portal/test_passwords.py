"""warehouse/portal/passwords.py: the NIST SP 800-63B checks a new password must pass.

Each weak password people actually try (twelve spaces, `aaaaaaaaaaaa`, `password1234`, the username,
`Password1234`) is refused by its own rule; strong ones, passphrases included, are accepted.
"""

from __future__ import annotations

import pytest

from warehouse.portal.passwords import FLOOR, common_passwords, weakness

STRONG = (
    "test-password-0123",
    "long-enough-secret-1",
    "correct horse battery staple",
    "Tr0ub4dor&3-kiwi",
    "我爱北京天安门广场的人民群众",
    "x92837465012",
)


@pytest.mark.parametrize(
    ("password", "username", "code"),
    [
        (" " * 12, "zhang", "blank_password"),
        ("\t \u3000" * 5, "zhang", "blank_password"),
        ("short-one", "zhang", "short_password"),
        ("a" + " " * 11, "zhang", "short_password"),  # spaces around do not make it long
        ("x" * 300, "zhang", "long_password"),
        ("zhang.san.2024", "zhang.san", "password_has_username"),
        ("ZHANG.SAN", "zhang.san", "short_password"),
        ("My-ZHANG san-key", "zhangsan", "password_has_username"),  # any case, spaces ignored
        ("xx-gnahz-2024-yy", "zhang", "password_has_username"),  # reversed
        ("finance-team-99", "li@finance.example", "password_has_username"),  # a part of it
        ("aaaaaaaaaaaa", "zhang", "repetitive_password"),
        ("abcabcabcabc", "zhang", "repetitive_password"),
        ("121212121212", "zhang", "repetitive_password"),
        ("aabbaabbabab", "zhang", "repetitive_password"),
        ("abcdefghijkl", "zhang", "sequential_password"),
        ("123456789012", "zhang", "sequential_password"),
        ("987654321098", "zhang", "sequential_password"),
        ("qwertyuiop12", "zhang", "sequential_password"),
        ("abcd1234efgh", "zhang", "sequential_password"),
        ("password1234", "zhang", "common_password"),
        ("Password1234", "zhang", "common_password"),
        ("PASSWORD1234!", "zhang", "common_password"),
        ("P@ssw0rd2024!", "zhang", "common_password"),
        ("1qaz2wsx3edc", "zhang", "common_password"),
        ("woaini1314520", "zhang", "common_password"),
        ("!!sunshine2024", "zhang", "common_password"),
    ],
)
def test_each_weak_password_is_refused_by_its_rule(password: str, username: str, code: str) -> None:
    found = weakness(password, username)
    assert found is not None and found.code == code


def test_the_username_itself_is_refused() -> None:
    found = weakness("zhang.san.finance", "zhang.san.finance")
    assert found is not None and found.code == "password_has_username"


@pytest.mark.parametrize("password", STRONG)
def test_strong_passwords_are_accepted(password: str) -> None:
    assert weakness(password, "tester") is None


def test_minimum_length_is_configurable_but_never_below_the_floor() -> None:
    assert weakness("kiwi-falcon-7", "zhang", min_length=12) is None  # 13 characters
    refused = weakness("kiwi-falcon-7", "zhang", min_length=16)
    assert refused is not None and refused.code == "short_password" and refused.values == {"n": 16}
    floor = weakness("kiwi-7x", "zhang", min_length=4)  # 7 characters, setting below the floor
    assert floor is not None and floor.values == {"n": FLOOR}


def test_the_shipped_list_holds_common_and_breached_passwords() -> None:
    common = common_passwords()
    assert 10_000 <= len(common) <= 12_000  # compact: read once, no network
    assert {"password", "123456", "password1234", "qwertyuiop", "woaini1314"} <= common
    assert all(w == w.casefold() and w.strip() == w for w in common)
