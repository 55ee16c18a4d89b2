"""OIDC claims → portal user (no identity provider is reachable here: the mapping is ours)."""

from __future__ import annotations

from datetime import UTC, datetime

from dashboard.access.oidc import claims_user, signed_in_at


def test_roles_from_a_list_claim_keep_only_known_roles() -> None:
    user = claims_user(
        {"preferred_username": "li.wei", "name": "李伟", "groups": ["executive", "hr", "admin"]},
        "groups",
        "branches",
    )
    assert user.username == "li.wei" and user.display_name == "李伟"
    assert user.roles == {"executive", "admin"}
    assert user.branches is None  # no branches claim: every branch


def test_roles_and_branches_from_comma_or_space_separated_strings() -> None:
    user = claims_user(
        {"email": "wang@example.com", "roles": "risk_committee, compliance", "br": "SH BJ"},
        "roles",
        "br",
    )
    assert user.username == "wang@example.com"
    assert user.roles == {"risk_committee", "compliance"}
    assert user.branches == ("BJ", "SH")


def test_unknown_or_missing_roles_give_no_role_at_all() -> None:
    assert claims_user({"sub": "x", "roles": ["superuser"]}, "roles", "branches").roles == set()
    assert claims_user({"sub": "x"}, "roles", "branches").roles == set()
    assert claims_user({"sub": "x", "roles": None}, "roles", "branches").roles == set()


def test_an_empty_branches_claim_fails_closed() -> None:
    user = claims_user({"sub": "x", "roles": ["executive"], "branches": []}, "roles", "branches")
    assert user.branches == ()  # present but empty: no branch, not every branch
    assert user.username == "x"


def test_sign_in_time_comes_from_the_token() -> None:
    # 1,700,000,000 s after the epoch = 2023-11-14 22:13:20 UTC.
    now = datetime(2026, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    expected = datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC).replace(tzinfo=None)
    assert signed_in_at({"auth_time": 1_700_000_000, "iat": 1}, now) == expected
    assert signed_in_at({"iat": 1_700_000_000}, now) == expected
    assert signed_in_at({"iat": "soon"}, now) == now
    assert signed_in_at({}, now) == now
